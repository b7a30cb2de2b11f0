"""A curator's request never waits for the search index: the update is queued and the page says when it will show."""
import pytest
from django.core.management import call_command
from haystack.query import SearchQuerySet

from articles.models import PendingIndexUpdate, Tag
from articles.search.backends.whoosh import writing
from articles.search.indexing import queue
from tests.factories import make_article

# Real commits: the index update runs when the request's transaction commits, inside the request.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
CHANGELIST = "/admin/articles/article/"
NOTICE = "La modification est enregistrée. L’index de recherche étant occupé"


def tagged(slug):
    return sorted(int(r.pk) for r in SearchQuerySet().filter(tags_exact=slug))


def add_tag(client, ids, name):
    return client.post(CHANGELIST, {"action": "add_tag", "_selected_action": [str(i) for i in ids], "new_tag": name, "step": "apply"},
                       follow=True)


def test_with_the_index_free_the_change_is_searchable_when_the_page_comes_back(client, curator):
    articles = [make_article(f"Texte {n}.").pk for n in range(2)]
    page = add_tag(client, articles, "Sanctions")
    assert NOTICE not in page.content.decode()
    assert tagged("sanctions") == articles and not PendingIndexUpdate.objects.exists()


def test_with_the_index_busy_the_request_does_not_wait_and_the_page_says_when(client, curator, search_backend, monkeypatch):
    articles = [make_article(f"Texte {n}.").pk for n in range(2)]
    waits = []
    real_writer = writing.edit_writer

    def writer(index, **kwargs):  # the lock waits the engine asks for, kept to be checked
        waits.append(kwargs.get("timeout"))
        return real_writer(index, **kwargs)

    search_backend.setup()
    holder = search_backend.index.writer()  # another process is writing
    monkeypatch.setattr(writing, "edit_writer", writer)
    try:
        page = add_tag(client, articles, "Sanctions")
    finally:
        holder.cancel()
    assert page.status_code == 200
    assert "« Sanctions » ajouté à 2 articles." in page.content.decode()
    assert f"{NOTICE}, elle y sera visible dès que la file d’attente l’aura appliquée, en général d’ici quelques secondes (2 articles en attente)." in page.content.decode()
    assert waits == [queue.REQUEST_LOCK_WAIT]  # a tenth of a second, not the two seconds of other writers
    assert Tag.objects.get(name="Sanctions").articles.count() == 2 and tagged("sanctions") == []
    call_command("process_index_queue")
    assert tagged("sanctions") == articles


def test_a_change_to_many_articles_is_left_to_the_queue_worker(client, curator, monkeypatch):
    monkeypatch.setattr(queue, "REQUEST_MAX_ARTICLES", 2)
    articles = [make_article(f"Texte {n}.").pk for n in range(3)]
    page = add_tag(client, articles, "Sanctions")
    assert "(3 articles en attente)" in page.content.decode()
    assert tagged("sanctions") == []
    call_command("process_index_queue")
    assert tagged("sanctions") == articles


def test_a_waiting_queue_worker_wakes_as_soon_as_a_change_is_left_to_it(client, curator, search_backend):
    # It looked at the queue every --interval seconds only: an edit left to it by a busy index
    # waited up to that long (a second under make run) before it was even tried.
    import time

    from articles.management.commands.process_index_queue import Waiter

    articles = [make_article(f"Texte {n}.").pk for n in range(2)]
    waiter = Waiter()
    try:
        started = time.monotonic()
        assert waiter.wait(0.3) is False  # nothing left to it: the whole interval
        assert time.monotonic() - started >= 0.3
        search_backend.setup()
        holder = search_backend.index.writer()  # another process is writing
        try:
            add_tag(client, articles, "Sanctions")
        finally:
            holder.cancel()
        assert PendingIndexUpdate.objects.count() == 2
        started = time.monotonic()
        assert waiter.wait(30) is True
        assert time.monotonic() - started < 5
    finally:
        waiter.close()
    call_command("process_index_queue")
    assert tagged("sanctions") == articles



def test_a_worker_that_cannot_be_woken_leaves_the_change_stored_and_queued(monkeypatch):
    # A connection already closed (PostgreSQL restarted) raises InterfaceError, which is no
    # DatabaseError: the notice must never undo what the request did.
    from django.db import InterfaceError

    class Closed:
        vendor = "postgresql"

        def cursor(self):
            raise InterfaceError("connection already closed")

    monkeypatch.setattr(queue, "connection", Closed())
    queue.wake_worker()  # logged, not raised
