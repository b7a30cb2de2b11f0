"""Visitors' pages are kept for as long as the archive does not change, and never shown stale."""
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from articles.search.indexing.queue import article_index
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def kept_pages(settings):
    settings.NEWSARCHIVE_PAGE_CACHE_SIZE = 1000


def test_a_page_asked_again_is_the_same_page_from_memory(client, commit_hooks):
    with commit_hooks():
        make_article("Le blé ukrainien quitte Odessa.", title="Le blé")
    first = client.get("/search/?q=blé")
    again = client.get("/search/?q=blé")
    assert "X-Page-Cache" not in first and again["X-Page-Cache"] == "hit"
    assert again.content == first.content
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_an_indexed_change_is_seen_at_once(client, commit_hooks, search_backend):
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
