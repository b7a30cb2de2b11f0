"""Exports a stranger can start: streamed in bounded chunks, a cut stream detectable, no formula in a spreadsheet."""
import csv
import io
import json
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import exports
from articles.ingest.types import ArticleData
from articles.services import articles_bulk_upsert
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(client, commit_hooks):
    with commit_hooks():
        make_article("-5 % : le rouble chute.", title='=HYPERLINK("https://example.org","clic")', source="@Agence",
                     tags=["+Sanctions"])
    response = client.get("/search/export/", {"format": "csv"})
    [row] = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert (row["title"], row["source"], row["tags"], row["body"]) == (
        '\'=HYPERLINK("https://example.org","clic")', "'@Agence", "'+Sanctions", "'-5 % : le rouble chute.")


def test_a_whole_export_says_how_many_articles_and_ends_with_a_trailer(client, commit_hooks):
    with commit_hooks():
        for n in range(3):
            make_article(f"Sanctions numéro {n}.")
    for params in ({"format": "jsonl"}, {"format": "jsonl", "q": "sanctions"}):
        response = client.get("/search/export/", params)
        lines = b"".join(response.streaming_content).decode().splitlines()
        assert response["X-Article-Count"] == "3"
        assert json.loads(lines[-1]) == {"export_complete": True, "articles": 3}
        assert len(lines) == 4
    response = client.get("/search/export/", {"format": "csv"})
    assert response["X-Article-Count"] == "3"
    assert len(list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))) == 1 + 3


def test_a_stream_cut_short_has_no_trailer():
    rows = iter([{"id": 1}, {"id": 2}])
    lines = exports.jsonl_lines(rows)
    received = [next(lines), next(lines)]  # the connection drops here
    assert all("export_complete" not in line for line in received)


def many(n):
    articles_bulk_upsert(items=[(ArticleData(body=f"Texte long numéro {i}.", raw="x", raw_format="json", tags=["Diplomatie"]), "t")
                                for i in range(n)], reindex=False)


def chunks_read(lines) -> tuple[int, int, int]:
    """Return the chunks of articles read for the first line and for the others, and how many others."""
    def tag_reads(context):  # each chunk of articles fetches its tags once
        return sum("articles_article_tags" in q["sql"] for q in context.captured_queries)

    with CaptureQueriesContext(connection) as first:
        next(lines)
    with CaptureQueriesContext(connection) as rest:
        count = len(list(lines))
    return tag_reads(first), tag_reads(rest), count


@pytest.mark.parametrize("params", [{}, {"q": "texte"}])
def test_a_search_export_reads_the_results_a_chunk_at_a_time(params, client, commit_hooks):
    from articles.models import Article
    from articles.search.indexing.queue import reindex_articles

    many(1100)
    reindex_articles(Article.objects.values_list("pk", flat=True))
    response = client.get("/search/export/", {"format": "jsonl", **params})
    assert response["X-Article-Count"] == "1100"
    assert chunks_read(iter(response.streaming_content)) == (1, 2, 1100)  # 1099 articles and the trailer
    response.close()


def test_the_whole_archive_is_exported_from_a_server_side_cursor_a_chunk_at_a_time():
    many(1100)
    found = exports.export()
    assert found.total == 1100
    assert chunks_read(exports.jsonl_lines(found.rows)) == (1, 2, 1100)


def test_a_worker_streams_two_exports_at_once_and_asks_a_third_to_retry(client, commit_hooks, settings, monkeypatch):
    import threading

    from articles import views

    monkeypatch.setattr(views, "_export_slots", threading.BoundedSemaphore(2))
    settings.NEWSARCHIVE_EXPORT_WAIT_MS = 0
    settings.NEWSARCHIVE_EXPORT_FREE_ROWS = 0  # every export takes a slot
    with commit_hooks():
        make_article("Un texte.")
    first, second = client.get("/search/export/"), client.get("/search/export/")
    third = client.get("/search/export/")
    assert (third.status_code, third["Retry-After"]) == (503, "10")
    assert "Trop d’exports en cours" in third.content.decode()
    first.close()
    fourth = client.get("/search/export/")
    assert fourth.status_code == 200
    second.close(), fourth.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # as every committing test
def test_one_more_export_waits_for_a_slot_and_is_served_when_one_ends(client, settings, monkeypatch):
    import threading

    from django.db import connections
    from django.test import Client

    from articles import views

    # This process's slots, as a new worker has them (the test client never closes an export
    # that a test left unread).
    monkeypatch.setattr(views, "_export_slots", threading.BoundedSemaphore(2))
    monkeypatch.setattr(views, "_export_waiting", threading.BoundedSemaphore(1))
    settings.NEWSARCHIVE_EXPORT_WAIT_MS = 10_000
    settings.NEWSARCHIVE_EXPORT_FREE_ROWS = 0  # every export takes a slot
    make_article("Un texte.")
    first, second = client.get("/search/export/"), client.get("/search/export/")
    answers = {}

    def third():  # another thread of the same worker
        answers["third"] = Client().get("/search/export/")
        answers["body"] = b"".join(answers["third"].streaming_content).decode()
        answers["third"].close()
        connections.close_all()
    waiting = threading.Thread(target=third)
    waiting.start()
    deadline = time.monotonic() + 5
    while views._export_waiting._value and time.monotonic() < deadline:  # the third is waiting
        time.sleep(0.01)
    settings.NEWSARCHIVE_EXPORT_WAIT_MS = 0
    fourth = client.get("/search/export/")  # one waits already: told to retry at once
    assert fourth.status_code == 503
    first.close()
    waiting.join(10)
    assert answers["third"].status_code == 200 and "Un texte." in answers["body"]
    second.close()


@pytest.mark.parametrize("fmt", ["json", "xml", "CSV", "<b>"])
def test_an_unknown_format_is_a_400_that_lists_the_accepted_ones(fmt, client, commit_hooks):
    with commit_hooks():
        make_article("Sanctions.")
    response = client.get("/search/export/", {"format": fmt, "q": "sanctions"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Formats acceptés : <code>csv</code>, <code>jsonl</code>." in html
    assert "<b>" not in html


def test_each_exported_row_links_to_the_articles_page(client, commit_hooks):
    with commit_hooks():
        article = make_article("Sanctions contre Moscou.", title="Sanctions")
    response = client.get("/search/export/", {"format": "jsonl", "q": "sanctions"})
    [row, _trailer] = [json.loads(line) for line in b"".join(response.streaming_content).decode().splitlines()]
    assert row["page_url"] == f"http://testserver/articles/{article.pk}/"
    response = client.get("/search/export/", {"format": "csv"})
    [row] = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert row["page_url"] == f"http://testserver/articles/{article.pk}/"


def test_the_csv_export_opens_in_a_spreadsheet_with_its_accents(client, commit_hooks):
    with commit_hooks():
        make_article("Pékin et Moscou.", title="Pékin répond à l’Élysée")
    content = b"".join(client.get("/search/export/", {"format": "csv"}).streaming_content)
    assert content.startswith(b"\xef\xbb\xbfid,page_url,title,")  # UTF-8 with a byte-order mark
    [row] = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert row["title"] == "Pékin répond à l’Élysée"


def test_an_export_of_a_few_articles_is_served_while_every_slot_is_taken(client, commit_hooks, settings, monkeypatch):
    """A small export is a page's work: the exports of others never make it wait or fail."""
    import threading

    from articles import views

    monkeypatch.setattr(views, "_export_slots", threading.BoundedSemaphore(1))
    views._export_slots.acquire()  # a large export streams meanwhile
    settings.NEWSARCHIVE_EXPORT_WAIT_MS = 0
    settings.NEWSARCHIVE_EXPORT_FREE_ROWS = 2
    with commit_hooks():
        make_article("Blé et sanctions.")
        make_article("Blé en mer Noire.")
        make_article("Sanctions bancaires.")
    small = client.get("/search/export/", {"format": "jsonl", "q": "blé"})
    assert small.status_code == 200 and small["X-Article-Count"] == "2"
    assert json.loads(b"".join(small.streaming_content).decode().splitlines()[-1]) == {"export_complete": True, "articles": 2}
    small.close()
    larger = client.get("/search/export/", {"format": "jsonl"})
    assert (larger.status_code, larger["Retry-After"]) == (503, "10")
    views._export_slots.release()
    whole = client.get("/search/export/", {"format": "jsonl"})
    assert whole.status_code == 200 and whole["X-Article-Count"] == "3"
    whole.close()
