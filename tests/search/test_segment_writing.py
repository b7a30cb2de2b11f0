"""What an edit writes and reads: one-document terms kept in the terms file, old versions found
with the readers searches keep open (issue 14: edits at scale)."""
import pytest
from haystack.inputs import Exact
from haystack.query import SearchQuerySet
from whoosh import query as wq
from whoosh.reading import SegmentReader

from articles.models import Article
from articles.search.backends.whoosh import writing
from tests.search.test_index_growth import bulk_built_index


def ids(sqs):
    return sorted(int(r.pk) for r in sqs)


@pytest.mark.django_db
def test_an_edit_keeps_its_one_document_terms_in_the_terms_file_and_every_reader_finds_them(search_options, commit_hooks):
    backend, pks = bulk_built_index(search_options)
    article = Article.objects.get(pk=pks[0])
    with commit_hooks():
        article.body = "Le zorglub vermillon traverse la steppe."
        article.save()
    index = backend.index.refresh()
    newest = SegmentReader(index.storage, index.schema, index._segments()[-1])
    try:
        info = newest._terms.term_info("text", "zorglub".encode())
        assert info.is_inlined() and info.doc_frequency() == 1
    finally:
        newest.close()
    assert ids(SearchQuerySet().filter(content="zorglub")) == [article.pk]  # our engine's arrays
    assert ids(SearchQuerySet().filter(content=Exact("zorglub vermillon"))) == [article.pk]  # a phrase: positions
    assert ids(SearchQuerySet().filter(content=Exact("vermillon zorglub"))) == []
    with index.searcher() as searcher:  # Whoosh's own reader and matchers, as any other program would read it
        found = searcher.search(wq.Phrase("text", ["zorglub", "vermillon"]), limit=None)
        assert [hit["django_id"] for hit in found] == [str(article.pk)]
    index.optimize()  # Whoosh's own writer merges every segment, ours included, into one
    assert len(backend.index.refresh()._segments()) == 1
    assert ids(SearchQuerySet().filter(content=Exact("zorglub vermillon"))) == [article.pk]
    assert SearchQuerySet().auto_query("budget").count() == len(pks) - 1  # the edited text has no "budget"


@pytest.mark.django_db
def test_an_edit_does_not_open_every_segment_again_to_find_the_old_version(search_options, commit_hooks, monkeypatch):
    bulk_built_index(search_options)
    backend = search_options(EDIT_MERGE_MAX_DOCS=5)  # no merge of the bulk segments: only the lookup is counted
    backend.setup()
    pks = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    segments = len(backend.index.refresh()._segments())
    assert SearchQuerySet().auto_query("budget").count() == len(pks)  # searches have the segments open
    opened = []
    real_init = SegmentReader.__init__

    def counting(self, *args, **kwargs):
        opened.append(1)
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(SegmentReader, "__init__", counting)
    for n, pk in enumerate(pks[:3]):
        article = Article.objects.get(pk=pk)
        with commit_hooks():
            article.title = f"Révision zorx{'abc'[n]}"
            article.save()
    monkeypatch.undo()
    assert len(opened) <= 3 * 2, f"{len(opened)} segment readers opened for 3 edits of an index of {segments} segments"
    assert SearchQuerySet().auto_query("budget").count() == len(pks)  # each old version deleted, none lost
    assert [ids(SearchQuerySet().auto_query(f"zorx{c}")) for c in "abc"] == [[pk] for pk in pks[:3]]
