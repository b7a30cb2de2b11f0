"""What an edit writes and reads: one-document terms kept in the terms file, old versions found
with the readers searches keep open (issue 14: edits at scale)."""
import os

import pytest
from haystack.inputs import Exact
from haystack.query import SearchQuerySet
from whoosh import query as wq
from whoosh.reading import SegmentReader

from articles import services
from articles.ingest.types import ArticleData
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


class _AskingCodec(writing.BulkW3Codec):
    """The reference: its postings writer asks the file where it is (Whoosh's way), not _CountingFile."""

    def postings_writer(self, dbfile, byteids=False):
        return writing._InliningPostingsWriter(dbfile, blocklimit=self._blocklimit, compression=self._compression,
                                               inlinelimit=writing.INLINE_LIMIT)


def _segment_files(documents, tmp_path, schema, *, grouped: bool, limitmb: float) -> tuple[dict[str, bytes], SegmentReader, bool]:
    """Write documents into a new index's one segment with the bulk segment writer; return its
    files by extension, a reader of it and whether its postings stayed grouped to the end."""
    from whoosh import index as whoosh_index

    folder = tmp_path / f"grouped-{grouped}-{limitmb}"
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), schema)
    writer_class = type("Writer", (writing._BulkSegmentWriter,), {"grouped": grouped})
    writer = writer_class(ix, codec=writing.BulkW3Codec() if grouped else _AskingCodec(), limitmb=limitmb, compound=False)
    for document in documents:
        writer.add_document(**document)
    segment = writer._finalize_segment()
    prefix = segment.segment_id()  # "MAIN_<random id>"
    files = {name[len(prefix):]: (folder / name).read_bytes() for name in os.listdir(folder) if name.startswith(prefix)}
    return files, SegmentReader(ix.storage, schema, segment), writer.grouped


def postings_of(reader) -> dict:
    """Every term's statistics and postings (document, weight, value), by field."""
    found = {}
    for fieldname in reader.indexed_field_names():
        for btext in reader.lexicon(fieldname):
            info = reader._terms.term_info(fieldname, btext)
            matcher = reader.postings(fieldname, btext)
            postings = []
            while matcher.is_active():
                postings.append((matcher.id(), matcher.weight(), matcher.value()))
                matcher.next()
            found[(fieldname, btext)] = ((info.weight(), info.doc_frequency(), info.min_length(), info.max_length(),
                                          info.max_weight(), info.min_id(), info.max_id()), postings)
    return found


@pytest.mark.django_db
def test_grouped_postings_write_the_same_segment_files_as_whoosh_s_pool_byte_for_byte(search_options, tmp_path):
    """Terms of one document (inlined), of a few, and of more than one block of 128 postings;
    the same with a pool so small that the grouped postings spill to Whoosh's runs on disk."""
    import random

    from articles.search.indexing.queue import article_index

    rng = random.Random(7)
    words = [f"k{chr(97 + n // 26)}{chr(97 + n % 26)}zorx" for n in range(300)]
    items = []
    for n in range(400):
        # word 0 in every document (4 blocks), then fewer and fewer, and a word of its own each
        chosen = [w for i, w in enumerate(words) if rng.random() < 1 / (1 + i)] + [f"seul{n}zorx"]
        body = " ".join(rng.sample(chosen, len(chosen)) * rng.randint(1, 3)) + f" Dépêche {n}."
        items.append((ArticleData(body=body, title=f"Titre {n % 7}", raw="", language="fr", raw_format="text",
                                  tags=[f"Sujet {n % 5}"]), "test"))
    services.articles_bulk_upsert(items=items, reindex=False)
    backend = search_options()
    backend.setup()
    index = article_index()
    documents = list(backend._prepared(index, index.index_queryset().order_by("pk")))

    whoosh_files, whoosh_reader, _ = _segment_files(documents, tmp_path, backend.schema, grouped=False, limitmb=256)
    grouped_files, reader, stayed_grouped = _segment_files(documents, tmp_path, backend.schema, grouped=True, limitmb=256)
    spilled_files, spilled_reader, spill_stayed_grouped = _segment_files(documents, tmp_path, backend.schema, grouped=True, limitmb=0.05)
    # Whoosh's pool spilling runs to disk: a spelling word's count was written with every run
    (tmp_path / "whoosh").mkdir()
    whoosh_spilled, whoosh_spilled_reader, _ = _segment_files(documents, tmp_path / "whoosh", backend.schema, grouped=False, limitmb=0.05)
    try:
        assert {".trm", ".pst"} <= set(whoosh_files)
        assert stayed_grouped and not spill_stayed_grouped
        assert grouped_files == whoosh_files
        # Runs on disk come back as new objects: their blocks' pickles differ (no shared values), not what they say
        assert postings_of(spilled_reader) == postings_of(whoosh_reader)
        assert postings_of(whoosh_spilled_reader) == postings_of(whoosh_reader)
        common, alone = reader._terms.term_info("text", words[0].encode()), reader._terms.term_info("text", b"seul5zorx")
        assert common.doc_frequency() == 400 and not common.is_inlined()  # four blocks
        assert alone.doc_frequency() == 1 and alone.is_inlined()
        assert list(reader.postings("text", words[0].encode()).all_ids()) == list(range(400))
        assert reader.doc_count() == 400 and sum(1 for _ in reader.lexicon("spell_text")) > 300
    finally:
        for opened in (whoosh_reader, reader, spilled_reader, whoosh_spilled_reader):
            opened.close()


def test_postings_of_a_segment_added_to_a_grouped_writer_are_written_too(tmp_path):
    """A segment's postings given to the writer's pool (Whoosh's add_reader) are not left out."""
    from whoosh import fields, index

    schema = fields.Schema(id=fields.ID(stored=True), text=fields.TEXT())

    def build(documents, name, grouped, other=None):
        (tmp_path / name).mkdir()
        ix = index.create_in(str(tmp_path / name), schema)
        writer = type("Writer", (writing._BulkSegmentWriter,), {"grouped": grouped})(ix, codec=writing.BulkW3Codec(), compound=False)
        for document in documents:
            writer.add_document(**document)
        if other is not None:
            writer.add_reader(other)
        return SegmentReader(ix.storage, schema, writer._finalize_segment())

    other = build([{"id": "x", "text": "zebra quux"}], "other", grouped=False)
    for grouped in (False, True):
        reader = build([{"id": "a", "text": "alpha beta"}], f"grouped-{grouped}", grouped, other)
        assert (reader.doc_count_all(), sorted(reader.lexicon("id")), sorted(reader.lexicon("text"))) == (
            2, [b"a", b"x"], [b"alpha", b"beta", b"quux", b"zebra"])
        reader.close()
    other.close()
