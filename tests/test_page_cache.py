"""Visitors' pages are kept for as long as the archive does not change, and shown at most a second after it does."""
import os
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from articles import page_cache
from articles.models import Article
from articles.search.indexing.queue import article_index
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def kept_pages(settings):
    settings.NEWSARCHIVE_PAGE_CACHE_SIZE = 1000
    page_cache.forget_pages()  # another test's pages are of another archive
    yield
    page_cache.forget_pages()


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


# --- search pages kept across edits of other articles --------------------------------------


def _curator_client():
    from django.test import Client

    user = get_user_model().objects.create_user("charge", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    curator = Client()
    curator.force_login(user)
    return curator


def _without_token(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def _fresh(client, path):
    """The page a visitor gets with nothing kept (but its form's CSRF token)."""
    page_cache.forget_pages()
    page = client.get(path)
    assert "X-Page-Cache" not in page
    return _without_token(page.content.decode())


def test_a_search_page_outlasts_the_edit_of_an_article_it_neither_lists_nor_counts(client, commit_hooks, search_backend, clock):
    with commit_hooks():
        make_article("Le blé ukrainien quitte Odessa.", title="Le blé", tags=["Agriculture"])
        other = make_article("Le gaz russe passe par la Turquie.", title="Le gaz")
    first = client.get("/search/?q=blé")
    other.title = "Le gazoduc"
    other.save()
    search_backend.update(article_index(), [other])
    clock.now += 5  # long after the page was made: shown only if it still holds
    again = client.get("/search/?q=blé")
    assert again["X-Page-Cache"] == "revalidated"
    assert again.content == first.content
    assert client.get("/search/?q=blé")["X-Page-Cache"] == "hit"  # kept for the new state now
    assert _without_token(again.content.decode()) == _fresh(client, "/search/?q=blé")


def test_a_search_page_is_made_afresh_when_an_article_it_lists_changes(client, commit_hooks, search_backend, clock):
    with commit_hooks():
        listed = make_article("Le blé ukrainien quitte Odessa.", title="Le blé")
    client.get("/search/?q=blé")
    listed.title = "Les silos"
    listed.save()
    search_backend.update(article_index(), [listed])
    clock.now += 5
    page = client.get("/search/?q=blé")
    assert "X-Page-Cache" not in page and "Les silos" in page.content.decode()


def test_a_search_page_is_made_afresh_when_an_edited_article_now_matches_it(client, commit_hooks, search_backend, clock):
    with commit_hooks():
        make_article("Le blé ukrainien quitte Odessa.", title="Le blé")
        other = make_article("Le gaz russe passe par la Turquie.", title="Le gaz")
    assert "Le gaz" not in client.get("/search/?q=blé").content.decode()
    other.body = "Le gaz russe et le blé passent par la Turquie."
    other.save()
    search_backend.update(article_index(), [other])
    clock.now += 5
    page = client.get("/search/?q=blé")
    assert "X-Page-Cache" not in page and "Le gaz" in page.content.decode()


def test_a_search_page_is_made_afresh_when_a_tag_it_counts_is_renamed(client, commit_hooks, clock):
    from articles.models import Tag

    with commit_hooks():
        make_article("Le blé ukrainien quitte Odessa.", title="Le blé", tags=["Agriculture"])
        make_article("Le gaz russe passe par la Turquie.", title="Le gaz")
    assert "Agriculture" in client.get("/search/?q=blé").content.decode()
    tag = Tag.objects.get()
    with commit_hooks():
        assert _curator_client().post(f"/admin/articles/tag/{tag.pk}/change/",
                                      {"name": "Céréales", "slug": tag.slug, "description": ""}).status_code == 302
    clock.now += 5
    page = client.get("/search/?q=blé")
    assert "X-Page-Cache" not in page and "Céréales" in page.content.decode()


def test_a_search_page_is_made_afresh_when_a_name_typed_in_it_now_stands_for_an_actor(client, commit_hooks, clock):
    with commit_hooks():
        make_article("Gazprom livre la Chine.", title="Le gaz")  # the word, no actor of that name yet
        make_article("Le blé ukrainien quitte Odessa.", title="Le blé")
    assert "Les livraisons" not in client.get("/search/?q=Gazprom").content.decode()
    with commit_hooks():  # an import names the actor in an article whose text does not
        make_article("Les livraisons reprennent vers l'Europe.", title="Les livraisons", actors=["Gazprom"])
    clock.now += 5
    page = client.get("/search/?q=Gazprom")
    assert "X-Page-Cache" not in page and "Les livraisons" in page.content.decode()


def test_a_search_page_with_a_word_the_index_does_not_know_is_made_afresh_after_any_edit(client, commit_hooks, search_backend, clock):
    with commit_hooks():
        make_article("Le blé ukrainien quitte Odessa.", title="Le blé")
        other = make_article("Le gaz russe passe par la Turquie.", title="Le gaz")
    client.get("/search/?q=Odessa+Odesssa")  # "did you mean" depends on every word of the index
    other.title = "Le gazoduc"
    other.save()
    search_backend.update(article_index(), [other])
    clock.now += 5
    assert "X-Page-Cache" not in client.get("/search/?q=Odessa+Odesssa")


def test_a_search_page_is_made_afresh_after_a_curators_change_of_an_actor(client, commit_hooks, clock):
    from articles.models import Actor

    with commit_hooks():
        make_article("Le blé ukrainien quitte Odessa.", title="Le blé")
        make_article("Gazprom livre la Chine.", title="Le gaz", actors=["Gazprom"])
    client.get("/search/?q=blé")
    actor = Actor.objects.get()
    from django.contrib.admin.models import CHANGE, LogEntry

    user = get_user_model().objects.create_user("charge2", password="x", is_staff=True)
    LogEntry.objects.log_actions(user.pk, Actor.objects.filter(pk=actor.pk), CHANGE, change_message="renamed")
    clock.now += 5
    assert "X-Page-Cache" not in client.get("/search/?q=blé")


def test_a_search_page_is_made_afresh_when_the_index_was_rebuilt(client, commit_hooks, search_backend, clock):
    with commit_hooks():
        article = make_article("Le blé ukrainien quitte Odessa.", title="Le blé")
    client.get("/search/?q=blé")
    search_backend.clear()  # no journal: what changed is not known
    search_backend.update(article_index(), [article])
    clock.now += 5
    assert "X-Page-Cache" not in client.get("/search/?q=blé")


def test_an_article_page_outlasts_edits_of_articles_it_does_not_show(client, commit_hooks, search_backend, clock):
    with commit_hooks():
        article = make_article("Le blé ukrainien quitte Odessa par la mer Noire.", title="Le blé")
        make_article("Le blé russe quitte Novorossiisk par la mer Noire.", title="Le blé russe")
        other = make_article("Le gaz passe par la Turquie.", title="Le gaz")
    first = client.get(article.get_absolute_url())
    assert "Le blé russe" in first.content.decode()  # more like this
    other.title = "Le gazoduc"
    other.save()
    search_backend.update(article_index(), [other])
    clock.now += 5
    again = client.get(article.get_absolute_url())
    assert again["X-Page-Cache"] == "revalidated" and again.content == first.content
    assert _without_token(again.content.decode()) == _fresh(client, article.get_absolute_url())


def test_an_article_page_is_made_afresh_when_an_article_it_shows_changes_or_a_more_similar_one_comes(
        client, commit_hooks, search_backend, clock):
    with commit_hooks():
        article = make_article("Le blé ukrainien quitte Odessa par la mer Noire.", title="Le blé")
        similar = make_article("Le blé russe quitte Novorossiisk par la mer Noire.", title="Le blé russe")
    assert "Le blé russe" in client.get(article.get_absolute_url()).content.decode()
    with commit_hooks():
        similar.title = "Les céréales russes"
        similar.save()
    clock.now += 5
    page = client.get(article.get_absolute_url())
    assert "X-Page-Cache" not in page and "Les céréales russes" in page.content.decode()
    with commit_hooks():
        make_article("Le blé ukrainien quitte Odessa par la mer Noire, dit le port.", title="La dépêche du port")
    clock.now += 5
    page = client.get(article.get_absolute_url())
    assert "X-Page-Cache" not in page and "La dépêche du port" in page.content.decode()


def test_an_entity_page_outlasts_edits_of_articles_it_does_not_count(client, commit_hooks, search_backend, clock):
    with commit_hooks():
        named = make_article("Gazprom livre la Chine.", title="Le gaz", actors=["Gazprom"])
        other = make_article("Le blé quitte Odessa.", title="Le blé")
    path = "/actors/gazprom/"
    assert "Le gaz" in client.get(path).content.decode()
    other.title = "Les silos"
    other.save()
    search_backend.update(article_index(), [other])
    clock.now += 5
    assert client.get(path)["X-Page-Cache"] == "revalidated"
    named.title = "Le gazoduc"
    named.save()
    search_backend.update(article_index(), [named])
    clock.now += 5
    page = client.get(path)
    assert "X-Page-Cache" not in page and "Le gazoduc" in page.content.decode()


def test_a_page_one_process_made_is_answered_by_another_and_a_broken_file_is_made_again(client, commit_hooks):
    with commit_hooks():
        make_article("Le blé ukrainien quitte Odessa.", title="Le blé")
    first = client.get("/search/?q=blé")
    page_cache.pages.pages.clear()  # another worker: its own pages are not these
    other = client.get("/search/?q=blé")
    assert other["X-Page-Cache"] == "shared" and other.content == first.content
    assert client.get("/search/?q=blé")["X-Page-Cache"] == "hit"  # now in its own memory too
    page_cache.pages.pages.clear()
    folder = page_cache.shared._folder()
    for name in os.listdir(folder):
        with open(os.path.join(folder, name), "r+b") as file:  # a file cut short by a full disk
            file.truncate(40)
    again = client.get("/search/?q=blé")
    assert again.status_code == 200 and "X-Page-Cache" not in again and "Le blé" in again.content.decode()


def test_no_page_is_shared_when_the_store_is_off(client, commit_hooks, settings):
    settings.NEWSARCHIVE_PAGE_STORE_SIZE = 0
    with commit_hooks():
        make_article("Le blé ukrainien quitte Odessa.", title="Le blé")
    client.get("/search/?q=blé")
    page_cache.pages.pages.clear()
    assert "X-Page-Cache" not in client.get("/search/?q=blé")


def test_the_shared_pages_are_bounded(client, commit_hooks, settings, monkeypatch):
    settings.NEWSARCHIVE_PAGE_STORE_SIZE = 10
    monkeypatch.setattr(page_cache.SharedPages, "CULL_EVERY", 1)
    with commit_hooks():
        make_article("Le blé ukrainien quitte Odessa.", title="Le blé")
    for n in range(25):
        assert client.get(f"/search/?q=blé&page={n + 1}").status_code == 200
    assert 1 <= len(os.listdir(page_cache.shared._folder())) <= 10


def test_a_search_page_is_made_afresh_when_a_tag_is_renamed_to_the_name_it_asks_for(client, commit_hooks, clock):
    from articles.models import Tag

    with commit_hooks():
        make_article("Le blé ukrainien quitte Odessa.", title="Le blé", tags=["Agriculture"])
        make_article("Le gaz passe par la Turquie.", title="Le gaz", tags=["Énergie"])
    assert "Le gaz" not in client.get("/search/?q=tag:Économie").content.decode()
    tag = Tag.objects.get(name="Énergie")
    with commit_hooks():
        assert _curator_client().post(f"/admin/articles/tag/{tag.pk}/change/",
                                      {"name": "Économie", "slug": tag.slug, "description": ""}).status_code == 302
    clock.now += 5
    page = client.get("/search/?q=tag:Économie")
    assert "X-Page-Cache" not in page and "Le gaz" in page.content.decode()


def test_a_search_page_is_made_afresh_when_one_of_its_words_is_no_longer_known(
        client, commit_hooks, search_backend, clock):
    with commit_hooks():
        make_article("Le blé ukrainien quitte Odessa.", title="Le blé")
        holder = make_article("Le gazoduc passe par la Turquie.", title="Le gaz")
        make_article("Le blé et le gazoduc.", title="Les deux")
    client.get("/search/?q=blé+gazoduc")
    holder.title = "Le tuyau"  # another article still holds the word: the page holds
    holder.save()
    search_backend.update(article_index(), [holder])
    clock.now += 5
    assert client.get("/search/?q=blé+gazoduc")["X-Page-Cache"] == "revalidated"
    assert search_backend.known_words({"blé", "gazoduc"})
    search_backend.remove(holder)
    search_backend.remove(Article.objects.get(title="Les deux"))
    search_backend.index.optimize()  # the deleted copies merged away: no article holds the word
    assert not search_backend.known_words({"blé", "gazoduc"})


def test_a_search_page_whose_prefix_stands_for_too_many_words_is_made_afresh_after_any_edit(
        client, commit_hooks, search_backend, clock, monkeypatch):
    from articles.search.backends.whoosh import evaluation

    monkeypatch.setattr(evaluation, "MAX_EXPANSIONS", 1)  # which words are kept depends on every article
    with commit_hooks():
        make_article("Le gaz russe.", title="Le gaz")
        make_article("Le gazoduc turc.", title="Le gazoduc")
        other = make_article("Le blé quitte Odessa.", title="Le blé")
    client.get("/search/?q=gaz*")
    other.title = "Les silos"
    other.save()
    search_backend.update(article_index(), [other])
    clock.now += 5
    assert "X-Page-Cache" not in client.get("/search/?q=gaz*")


def test_pages_are_not_shared_in_a_folder_others_can_write_to(client, commit_hooks, settings, tmp_path):
    shared_by_all = tmp_path / "everyone"
    shared_by_all.mkdir()
    shared_by_all.chmod(0o777)
    settings.NEWSARCHIVE_PAGE_STORE_DIR = str(shared_by_all)
    page_cache.shared.folders.clear()
    with commit_hooks():
        make_article("Le blé ukrainien quitte Odessa.", title="Le blé")
    client.get("/search/?q=blé")
    page_cache.pages.pages.clear()
    assert "X-Page-Cache" not in client.get("/search/?q=blé")
    page_cache.shared.folders.clear()


def test_a_search_page_filtered_by_a_tag_is_checked_without_building_its_query_again_when_a_tag_is_added(
        client, commit_hooks, search_backend, clock, monkeypatch):
    from articles.search import page as search_page

    with commit_hooks():
        make_article("Le blé ukrainien quitte Odessa.", title="Le blé", tags=["Agriculture"], countries=["UA"])
        other = make_article("Le gaz russe passe par la Turquie.", title="Le gaz")
    path = "/search/?q=blé&tag=agriculture&country=ua"
    first = client.get(path)
    assert "Le blé" in first.content.decode()
    with commit_hooks():  # a new tag, a new name: nothing the filters' slugs and codes stand for
        assert _curator_client().post("/admin/articles/article/", {
            "action": "add_tag", "_selected_action": [str(other.pk)], "new_tag": "Énergie", "step": "apply"}).status_code == 302
    built = []
    monkeypatch.setattr(search_page, "searchable_queryset", lambda *args, **kwargs: built.append(args) or 1 / 0)
    clock.now += 5
    again = client.get(path)
    assert again["X-Page-Cache"] == "revalidated" and again.content == first.content
    assert built == []  # only asked whether the changed article matches it now


def test_a_page_with_no_result_is_made_afresh_when_the_tag_it_filters_by_is_created(client, commit_hooks, clock):
    with commit_hooks():
        make_article("Le blé ukrainien quitte Odessa.", title="Le blé")
    path = "/search/?q=blé&tag=energie"
    assert "Énergie" not in client.get(path).content.decode()  # no such tag yet: nothing found
    assert _curator_client().post("/admin/articles/tag/add/", {"name": "Énergie", "slug": "energie", "description": ""}).status_code == 302
    clock.now += 5  # no article changed: only the name shown on the page did
    page = client.get(path)
    assert "X-Page-Cache" not in page and "Énergie" in page.content.decode()
