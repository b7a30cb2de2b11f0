"""Visitors' pages are kept for as long as the archive does not change, and shown at most a second after it does."""
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from articles import page_cache
from articles.search.indexing.queue import article_index
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def kept_pages(settings):
    settings.NEWSARCHIVE_PAGE_CACHE_SIZE = 1000
    page_cache.pages.pages.clear()  # another test's pages are of another archive
    yield
    page_cache.pages.pages.clear()


@pytest.fixture
def clock(monkeypatch):
    """The page cache's clock, moved by hand: clock.now seconds."""
    class Clock:
        now = 1000.0
    monkeypatch.setattr(page_cache, "clock", lambda: Clock.now)
    return Clock


def test_a_page_asked_again_is_the_same_page_from_memory(client, commit_hooks):
    with commit_hooks():
        make_article("Le blé ukrainien quitte Odessa.", title="Le blé")
    first = client.get("/search/?q=blé")
    again = client.get("/search/?q=blé")
    assert "X-Page-Cache" not in first and again["X-Page-Cache"] == "hit"
    assert again.content == first.content
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_an_indexed_change_is_seen_at_once_without_stale_pages(client, commit_hooks, search_backend, settings):
    settings.NEWSARCHIVE_PAGE_STALE_MS = 0
    settings.NEWSARCHIVE_STATE_CHECK_MS = 0  # the state read for every request
    with commit_hooks():
        article = make_article("Le blé ukrainien quitte Odessa.", title="Le blé")
    assert "Odessa" in client.get(article.get_absolute_url()).content.decode()
    client.get(article.get_absolute_url())
    article.title = "Les silos"
    article.save()
    search_backend.update(article_index(), [article])
    fresh = client.get(article.get_absolute_url())
    assert "X-Page-Cache" not in fresh and "Les silos" in fresh.content.decode()


def test_curators_and_each_language_get_their_own_pages(client, commit_hooks):
    with commit_hooks():
        make_article("Le blé ukrainien quitte Odessa.", title="Le blé")
    client.get("/", HTTP_ACCEPT_LANGUAGE="fr")
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert "X-Page-Cache" not in english and 'lang="en"' in english.content.decode()
    curator = get_user_model().objects.create_user("charge", password="x", is_staff=True)
    curator.groups.add(Group.objects.get(name="Curators"))
    client.force_login(curator)
    assert "X-Page-Cache" not in client.get("/", HTTP_ACCEPT_LANGUAGE="fr")
    assert "X-Page-Cache" not in client.get("/", HTTP_ACCEPT_LANGUAGE="fr")


def test_nothing_is_kept_when_the_cache_is_off(client, commit_hooks, settings):
    settings.NEWSARCHIVE_PAGE_CACHE_SIZE = 0
    with commit_hooks():
        make_article("Le blé ukrainien quitte Odessa.")
    client.get("/")
    assert "X-Page-Cache" not in client.get("/")


def test_a_page_made_before_a_change_is_shown_at_most_a_second_after_it_was_made(client, commit_hooks, search_backend, clock):
    with commit_hooks():
        article = make_article("Le blé ukrainien quitte Odessa.", title="Le blé")
    client.get(article.get_absolute_url())  # made at 1000.0
    article.title = "Les silos"
    article.save()
    search_backend.update(article_index(), [article])
    clock.now = 1000.6
    stale = client.get(article.get_absolute_url())
    assert stale["X-Page-Cache"] == "stale" and "Le blé" in stale.content.decode()
    clock.now = 1001.1
    fresh = client.get(article.get_absolute_url())
    assert "X-Page-Cache" not in fresh and "Les silos" in fresh.content.decode()
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"


def test_a_page_kept_long_while_nothing_changed_is_not_shown_after_a_change(client, commit_hooks, search_backend, clock):
    with commit_hooks():
        article = make_article("Le blé ukrainien quitte Odessa.", title="Le blé")
    client.get(article.get_absolute_url())  # made at 1000.0
    clock.now = 1600.0
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"
    article.title = "Les silos"
    article.save()
    search_backend.update(article_index(), [article])
    clock.now = 1600.2  # the state read at 1600.0 is used again for 0.1 s (NEWSARCHIVE_STATE_CHECK_MS)
    fresh = client.get(article.get_absolute_url())
    assert "X-Page-Cache" not in fresh and "Les silos" in fresh.content.decode()


def test_the_state_read_is_used_again_briefly_and_a_change_is_still_shown_within_the_second(
        client, commit_hooks, search_backend, clock, django_assert_num_queries):
    with commit_hooks():
        article = make_article("Le blé ukrainien quitte Odessa.", title="Le blé")
    client.get(article.get_absolute_url())  # the state read, the page made, at 1000.0
    clock.now = 1000.05
    with django_assert_num_queries(0):  # a kept page, the state read 50 ms ago: no query at all
        assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"
    article.title = "Les silos"
    article.save()
    search_backend.update(article_index(), [article])
    clock.now = 1000.08
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"  # not read again yet
    clock.now = 1000.5
    stale = client.get(article.get_absolute_url())
    assert stale["X-Page-Cache"] == "stale" and "Le blé" in stale.content.decode()
    clock.now = 1001.01  # a second after the state the page was made in was read: made afresh
    fresh = client.get(article.get_absolute_url())
    assert "X-Page-Cache" not in fresh and "Les silos" in fresh.content.decode()


def test_names_of_facet_values_are_read_once_per_state_and_a_renamed_tag_is_shown_renamed(client, commit_hooks, clock):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from articles.models import Tag

    with commit_hooks():
        make_article("Le blé ukrainien quitte Odessa.", title="Le blé", tags=["Agriculture"])
        make_article("Le maïs quitte Odessa.", title="Le maïs", tags=["Agriculture"])
    assert "Agriculture" in client.get("/search/?q=blé").content.decode()
    with CaptureQueriesContext(connection) as queries:
        other_page = client.get("/search/?q=maïs").content.decode()  # another page, the same state
    assert "Agriculture" in other_page
    assert not [q["sql"] for q in queries if 'FROM "articles_tag"' in q["sql"]]
    curator = Client()
    user = get_user_model().objects.create_user("charge", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    curator.force_login(user)
    tag = Tag.objects.get()
    with commit_hooks():
        assert curator.post(f"/admin/articles/tag/{tag.pk}/change/", {"name": "Céréales", "slug": tag.slug, "description": ""}).status_code == 302
    clock.now += 1.5
    page = client.get("/search/?q=maïs").content.decode()
    assert "Céréales" in page and "Agriculture" not in page
    assert "Céréales" in client.get("/search/?q=Odessa").content.decode()
