"""Every edit reaches search, whatever segments the bulk writer left behind (issue 14)."""
import os
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from haystack.query import SearchQuerySet
from whoosh.index import TOC

from articles import services
from articles.ingest.types import ArticleData
from articles.models import Article, PendingIndexUpdate
from articles.search.backends.whoosh import writing
from articles.search.indexing.queue import apply_pending, article_index
from tests.factories import make_article

SEGMENTS, PER_SEGMENT, EDITS = 25, 12, 50


def bulk_built_index(search_options):
    """Store SEGMENTS * PER_SEGMENT short articles and write them with the bulk writer, one
    batch (one segment) at a time, as rebuild_index writes a large archive."""
    backend = search_options(BULK_MIN_DOCUMENTS=PER_SEGMENT)
    items = [(ArticleData(body=f"Dépêche courte numéro {n} sur le budget.", raw="", language="fr", raw_format="text"), "test")
             for n in range(SEGMENTS * PER_SEGMENT)]
    services.articles_bulk_upsert(items=items, reindex=False)
    index = article_index()
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), PER_SEGMENT):
        backend.update(index, list(index.index_queryset().filter(pk__in=ids[start:start + PER_SEGMENT])))
    return backend, ids


def word(n: int) -> str:
    return "k" + chr(97 + n // 26) + chr(97 + n % 26) + "zorx"  # kaazorx, kabzorx ...: stems that differ


def found(text: str) -> list[int]:
    return sorted(int(r.pk) for r in SearchQuerySet().auto_query(text))


def leftovers(backend) -> set[str]:
    """The index folder's files that belong to no segment of the current generation (the lock's
    file stays: Whoosh locks it, never deletes it)."""
    index = backend.index.refresh()
    live = {s.segment_id() for s in index._segments()}
    pattern, toc = TOC._segment_pattern(index.indexname), TOC._pattern(index.indexname)
    return {name for name in os.listdir(backend.path) if name != f"{index.indexname}_WRITELOCK"
            and not (toc.match(name) or (pattern.match(name) and pattern.match(name).group(1) in live))}


def lock_is_free(backend) -> bool:
    lock = backend.index.lock("WRITELOCK")
    if lock.acquire():
        lock.release()
        return True
    return False


@pytest.mark.django_db
def test_fifty_edits_after_a_bulk_build_of_many_segments_all_reach_search(search_options, commit_hooks, capsys):
    backend, ids = bulk_built_index(search_options)
    assert len(backend.index.refresh()._segments()) > 20
    assert SearchQuerySet().auto_query("budget").count() == len(ids)
    for n, pk in enumerate(ids[:EDITS]):  # one after another, as a curator works
        article = Article.objects.get(pk=pk)
        with commit_hooks():
            article.title = f"Révision {word(n)}"
            article.save()
        assert found(word(n)) == [pk], f"edit {n + 1} of {EDITS} is not searchable"
    assert PendingIndexUpdate.objects.count() == 0
    assert SearchQuerySet().auto_query("budget").count() == len(ids)  # merges lose no article
    call_command("index_status")
    assert "Drift: 0 missing from the index, 0 no longer in the database, 0 stale." in capsys.readouterr().out
    assert leftovers(backend) == set()  # no temporary folder or orphan segment file
    assert lock_is_free(backend)


@pytest.mark.django_db
def test_a_failed_commit_leaves_nothing_behind_and_is_tried_again_later(search_backend, commit_hooks, monkeypatch,
                                                                         capsys, client):
    with commit_hooks():
        article = make_article("Un texte sur le budget.")
    real_merge = writing.merge_tiers

    def disk_full(writer, segments, **options):  # the disk fills up while the commit writes
        real_merge(writer, segments, **options)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writing, "merge_tiers", disk_full)
    with commit_hooks():
        article.title = f"Révision {word(0)}"
        article.save()
    assert found(word(0)) == []
    row = PendingIndexUpdate.objects.get()
    assert (row.article_id, row.attempts, row.last_error) == (article.pk, 1, "OSError: [Errno 28] No space left on device")
    assert leftovers(search_backend) == set()
    assert lock_is_free(search_backend)
    assert found("budget") == [article.pk]  # the index as it was

    assert apply_pending() == 0  # the queue worker waits before trying it again
    call_command("index_status")
    # The next try is 2 s after the failure: 1 s away already when the machine took a second since.
    assert re.search(r"Failing index updates: 1 article \(1 failed attempt at most\), next try in [12] s; "
                     r"last error: OSError: \[Errno 28\] No space left on device", capsys.readouterr().out)
    client.force_login(get_user_model().objects.create_superuser("curator", password="not-used-here"))
    page = client.get("/admin/articles/pendingindexupdate/").content.decode()
    assert "La mise à jour de l’index de recherche échoue pour 1 article" in page
    assert "No space left on device" in page

    monkeypatch.undo()  # room on the disk again
    PendingIndexUpdate.objects.update(retry_at=timezone.now() - timedelta(seconds=1))  # its next try is due
    call_command("process_index_queue")
    assert "1 article re-indexed." in capsys.readouterr().out
    assert found(word(0)) == [article.pk]
    assert not PendingIndexUpdate.objects.exists()
