"""What the engine derives from the index is written once beside it and mapped by every process (issue 14)."""
import os

import pytest
from haystack.query import SearchQuerySet

from articles.search.backends.whoosh import derived, snapshot
from articles.search.backends.whoosh.compound import MappedBufferFile
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def derived_files(backend) -> dict[str, int]:
    folder = derived.folder_of(os.path.realpath(backend.path))
    return {entry.name: entry.stat().st_mtime_ns for entry in os.scandir(folder) if entry.name.endswith(".npy")}


def counts(sqs) -> dict:
    return sqs.facet("countries").facet("tags").facet_counts()["fields"]


def test_a_new_process_maps_the_arrays_the_first_one_derived(search_backend, commit_hooks):
    with commit_hooks():
        make_article("Le blé ukrainien quitte Odessa.", countries=["UA"], tags=["Céréales"])
        make_article("Le blé russe et les ports.", countries=["RU"], tags=["Céréales"])
    first = counts(SearchQuerySet().auto_query("blé"))
    assert first["countries"] == [("RU", 1), ("UA", 1)]
    written = derived_files(search_backend)
    live = {s.segment_id() for s in search_backend.index.refresh()._segments()}
    assert written and {name.split(".")[0] for name in written} <= live
    snapshot.forget_place(os.path.realpath(search_backend.path))  # as a new worker starts with nothing
    assert counts(SearchQuerySet().auto_query("blé")) == first
    assert derived_files(search_backend) == written  # mapped, not derived again


def test_a_damaged_array_file_is_derived_again(search_backend, commit_hooks):
    with commit_hooks():
        make_article("Le blé ukrainien quitte Odessa.", countries=["UA"])
    first = counts(SearchQuerySet().auto_query("blé"))
    folder = derived.folder_of(os.path.realpath(search_backend.path))
    for name in derived_files(search_backend):
        (folder / name).write_bytes(b"\x93NUMPY cut short")
    snapshot.forget_place(os.path.realpath(search_backend.path))
    assert counts(SearchQuerySet().auto_query("blé")) == first


def test_the_arrays_of_merged_segments_go(search_backend, commit_hooks):
    with commit_hooks():
        for n in range(3):
            make_article(f"Le blé numéro {n}.", countries=["UA"])
    counts(SearchQuerySet().auto_query("blé"))
    before = {name.split(".")[0] for name in derived_files(search_backend)}
    search_backend.index.optimize()  # one segment now
    assert counts(SearchQuerySet().auto_query("blé"))["countries"] == [("UA", 3)]
    after = {name.split(".")[0] for name in derived_files(search_backend)}
    assert after == {s.segment_id() for s in search_backend.index.refresh()._segments()}
    assert not after & before


def test_segment_files_are_read_from_their_map_not_copied(search_backend, commit_hooks):
    with commit_hooks():
        make_article("Le blé ukrainien quitte Odessa.")
    assert [int(r.pk) for r in SearchQuerySet().auto_query("blé")]
    with snapshot.lock:
        snap = snapshot.current(search_backend.index)
        files = [reader._terms._postfile for reader, _ in snap.searcher.reader().leaf_readers()]
    assert files and all(isinstance(f, MappedBufferFile) for f in files)


def test_an_edit_reuses_the_readers_of_the_segments_it_keeps(search_backend, commit_hooks):
    with commit_hooks():
        kept = make_article("Le blé ukrainien quitte Odessa.")
        edited = make_article("Les ports de la mer Noire.")
    assert sorted(int(r.pk) for r in SearchQuerySet().auto_query("ports")) == [edited.pk]
    with snapshot.lock:
        before = {id(r) for r, _ in snapshot.current(search_backend.index).searcher.reader().leaf_readers()}
    with commit_hooks():
        edited.body = "Les silos de la mer Noire."
        edited.save()
        from articles.search.indexing.queue import article_index
        search_backend.update(article_index(), [edited])
    assert [int(r.pk) for r in SearchQuerySet().auto_query("ports")] == []
    assert sorted(int(r.pk) for r in SearchQuerySet().auto_query("silos")) == [edited.pk]
    assert sorted(int(r.pk) for r in SearchQuerySet().auto_query("blé")) == [kept.pk]
    with snapshot.lock:
        after = {id(r) for r, _ in snapshot.current(search_backend.index).searcher.reader().leaf_readers()}
    assert before & after  # the untouched segment's reader was taken over


def test_facet_counts_after_edits_are_those_a_new_process_counts(search_backend, commit_hooks):
    with commit_hooks():
        gone = make_article("Le blé ukrainien quitte Odessa.", countries=["UA"], tags=["Céréales"])
        make_article("Le blé russe et les ports.", countries=["RU"], tags=["Céréales"])
    assert counts(SearchQuerySet().auto_query("blé"))["countries"] == [("RU", 1), ("UA", 1)]
    for n, country in enumerate(["CN", "UA", "CN"]):  # a segment each, after the first ones
        with commit_hooks():
            make_article(f"Le blé numéro {n}.", countries=[country], tags=["Engrais"])
        counts(SearchQuerySet().auto_query("blé"))
    search_backend.remove(gone)
    after_edits = counts(SearchQuerySet().auto_query("blé"))
    assert after_edits["countries"] == [("CN", 2), ("RU", 1), ("UA", 1)]
    assert after_edits["tags"] == [("engrais", 3), ("cereales", 1)]
    snapshot.forget_place(os.path.realpath(search_backend.path))
    assert counts(SearchQuerySet().auto_query("blé")) == after_edits


def test_a_new_process_maps_the_spelling_words_and_an_edit_adds_its_own(search_backend, commit_hooks):
    search_backend.include_spelling = True
    with commit_hooks():
        make_article("Les sanctions contre Moscou.", countries=["RU"])
    with commit_hooks():
        make_article("Une aide militaire annoncée.", countries=["UA"])
    assert SearchQuerySet().auto_query("sanctoins").spelling_suggestion() == "sanctions"
    segments = {s.segment_id() for s in search_backend.index.refresh()._segments()}
    spelling = {name.split(".")[0] for name in derived_files(search_backend) if ".spelling-spell_text." in name}
    whole = {name for name in derived_files(search_backend) if ".spelling-all-" in name}
    assert spelling == segments and len(segments) == 2
    assert len(whole) == 1  # the whole index's words, for this generation
    snapshot.forget_place(os.path.realpath(search_backend.path))  # as a new worker starts with nothing
    written = derived_files(search_backend)
    assert SearchQuerySet().auto_query("militiare").spelling_suggestion() == "militaire"
    assert derived_files(search_backend) == written  # mapped, not derived again
    with commit_hooks():
        make_article("Le blé ukrainien quitte Odessa.", countries=["UA"])
    assert SearchQuerySet().auto_query("ukrainein").spelling_suggestion() == "ukrainien"
    assert SearchQuerySet().auto_query("sanctoins").spelling_suggestion() == "sanctions"
    now = {name for name in derived_files(search_backend) if ".spelling-all-" in name}
    assert len(now) <= 1 and now != whole  # the earlier generation's words went
