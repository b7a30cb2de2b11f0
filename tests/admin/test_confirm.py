"""Bulk actions and merges: the change and its history commit together, and parallel requests never fail."""
import threading
from unittest import mock

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client

from articles.models import Actor, Article, Tag
from tests.factories import make_article

CHANGELIST = "/admin/articles/article/"


def curator_client() -> Client:
    user, created = get_user_model().objects.get_or_create(username="claire", defaults={"is_staff": True})
    if created:
        user.groups.add(Group.objects.get(name="Curators"))
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def apply_action(client, action, ids, changelist=CHANGELIST, **fields):
    return client.post(changelist, {"action": action, "_selected_action": [str(i) for i in ids], "step": "apply", **fields})


@pytest.mark.django_db
def test_a_change_whose_history_cannot_be_written_is_not_stored_either(commit_hooks):
    """A worker killed between the change and its history entry (simulated here) leaves neither."""
    with commit_hooks():
        articles = [make_article(f"Texte numéro {n}.") for n in range(3)]
    client = curator_client()
    with mock.patch.object(LogEntry.objects, "log_actions", side_effect=RuntimeError("worker killed")):
        response = apply_action(client, "add_tag", [a.pk for a in articles], new_tag="Sanctions")
    assert response.status_code == 500
    assert not Tag.objects.filter(name="Sanctions").exists()
    assert not Article.tags.through.objects.exists()
    assert apply_action(client, "add_tag", [a.pk for a in articles], new_tag="Sanctions").status_code == 302
    assert LogEntry.objects.filter(change_message="Thème « Sanctions » ajouté.").count() == 3


def in_parallel(count: int, request) -> list[int]:
    """Send count requests at once, each from a thread with its own client and connection; return the statuses."""
    start = threading.Barrier(count)
    statuses = [None] * count

    def run(n):
        try:
            client = curator_client()
            start.wait()
            statuses[n] = request(client, n).status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_bulk_add_of_the_same_new_tag_never_fails_and_adds_it_once():
    articles = [make_article(f"Texte parallèle {n}.").pk for n in range(6)]
    curator_client()
    for round_ in range(3):
        name = f"Nouveau thème {round_}"
        statuses = in_parallel(8, lambda client, n: apply_action(client, "add_tag", articles, new_tag=name))
        assert statuses == [302] * 8, name
        tag = Tag.objects.get(name=name)
        assert sorted(tag.articles.values_list("pk", flat=True)) == articles
        history = LogEntry.objects.filter(change_message=f"Thème « {name} » ajouté.")
        assert sorted(int(pk) for pk in history.values_list("object_id", flat=True)) == articles  # once each


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_bulk_add_of_an_existing_tag_on_overlapping_articles_never_fails():
    articles = [make_article(f"Texte chevauché {n}.").pk for n in range(8)]
    tag = Tag.objects.create(name="Diplomatie")
    curator_client()
    statuses = in_parallel(8, lambda client, n: apply_action(client, "add_tag", articles[n % 3:n % 3 + 5], tag=str(tag.pk)))
    assert statuses == [302] * 8
    assert sorted(tag.articles.values_list("pk", flat=True)) == articles[:7]
    assert Article.tags.through.objects.count() == 7


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_merges_of_the_same_actors_never_fail_and_merge_once():
    actors = [Actor.objects.create(name=name) for name in ("Xi Jinping", "Xi", "Président Xi")]
    make_article("Xi et le président Xi.", actors=["Xi", "Président Xi", "Xi Jinping"])
    curator_client()
    statuses = in_parallel(6, lambda client, n: apply_action(
        client, "merge", [a.pk for a in actors], changelist="/admin/articles/actor/", into=str(actors[0].pk)))
    assert statuses == [302] * 6
    assert list(Actor.objects.values_list("name", flat=True)) == ["Xi Jinping"]
    assert list(Article.objects.get().actor_links.values_list("actor__name", flat=True)) == ["Xi Jinping"]


@pytest.mark.django_db
def test_a_bulk_action_reads_only_the_articles_it_changes_not_the_list_page(commit_hooks):
    from django.test.utils import CaptureQueriesContext

    with commit_hooks():
        articles = [make_article(f"Texte numéro {n}.") for n in range(3)]
    client = curator_client()
    with commit_hooks(), CaptureQueriesContext(connection) as queries:
        response = apply_action(client, "add_tag", [articles[0].pk], new_tag="Sanctions")
    assert response.status_code == 302
    assert list(Tag.objects.get(name="Sanctions").articles.all()) == [articles[0]]
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"] and '"articles_article"' in q["sql"]]
    assert counts == []  # before: the list's two counts of every article, for a redirect
    listing = client.get(response["Location"])
    assert listing.status_code == 200 and "« Sanctions » ajouté à 1 article." in listing.content.decode()
    assert listing.context["cl"].result_count == 3 and len(listing.context["cl"].result_list) == 3


@pytest.mark.django_db
def test_a_reader_without_actions_posting_a_selection_still_sees_the_whole_list(commit_hooks):
    from django.contrib.auth.models import Permission

    with commit_hooks():
        for n in range(3):
            make_article(f"Texte numéro {n}.")
    reader = get_user_model().objects.create_user("lucie", password="x", is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_article"))
    client = Client()
    client.force_login(reader)
    page = client.post(CHANGELIST, {"_selected_action": [str(Article.objects.first().pk)]})
    assert page.status_code == 200 and page.context["cl"].result_count == 3  # no action for her: the list as it is


@pytest.mark.django_db
@pytest.mark.parametrize("selection", [["abc"], [""], ["99999999999999999999"], ["1", "2;DROP"]])
def test_a_bulk_action_on_a_selection_that_is_no_article_says_so_and_changes_nothing(commit_hooks, selection):
    with commit_hooks():
        make_article("Texte numéro 1.")
    client = curator_client()
    response = apply_action(client, "add_tag", selection, new_tag="Sanctions")
    assert response.status_code == 302  # before: a server error
    assert "La sélection n’est pas valide" in client.get(response["Location"]).content.decode()
    assert not Tag.objects.filter(name="Sanctions").exists()


def registered_lists():
    from django.contrib import admin

    return sorted((m._meta.app_label, m._meta.model_name) for m in admin.site._registry)


@pytest.mark.django_db
@pytest.mark.parametrize("app_label, model_name", registered_lists())
def test_every_admin_list_refuses_a_selection_that_is_no_row(app_label, model_name):
    """Every list of the admin, Django's own included, with each of its actions."""
    from django.contrib import admin
    from django.test import RequestFactory

    superuser = get_user_model().objects.create_superuser("root", password="x")
    client = Client(raise_request_exception=False)
    client.force_login(superuser)
    from django.apps import apps

    model_admin = admin.site.get_model_admin(apps.get_model(app_label, model_name))
    request = RequestFactory().get("/")
    request.user = superuser
    changelist = f"/admin/{app_label}/{model_name}/"
    actions = list(model_admin.get_actions(request))
    if not actions:  # a read-only list (the index queue): the list, as for any POST without an action
        assert client.post(changelist, {"action": "delete_selected", "_selected_action": ["abc"]}).status_code == 200
    for action in actions:
        response = client.post(changelist, {"action": action, "_selected_action": ["abc"]})
        assert response.status_code == 302, (action, response.status_code)
        assert "La sélection n’est pas valide" in client.get(response["Location"]).content.decode(), action
