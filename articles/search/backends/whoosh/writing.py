"""Faster segment writing for Whoosh 2.7: what our bulk writer changes, and why.

Whoosh's writers spend most of their time on two things that need not cost that much:

- When a writer turns its buffered postings into a segment, it asks for the document's field
  length once per posting (W3PerDocReader.doc_field_length): for a field without lengths (the
  ID fields) each ask checks the file system again. BulkW3Codec reads each length column once.
  Its segments name Whoosh's own codec, so the index never depends on this module.
- A text field with spelling (haystack turns it on for the document field) adds one posting per
  distinct word *per document* to a "spell_" field, all for document 0: as many postings as the
  text itself. Only the words and their total frequency are ever read (Whoosh's corrector), so
  the bulk writer's pool counts each word once per segment, with the number of documents as
  its weight: the same words and frequencies, half the postings.

- Whoosh's add_document hands the pool one posting per spelling word and document; the bulk
  segment writer counts a document's words in one Counter.update instead. The French text
  field (analysis.FrenchText) analyses each article once for its terms and spelling words.

bulk_writer() returns Whoosh's multi-process writer (one segment per process, no merge) using
all three. Give it a pool large enough for its batch (BULK_POOL_MB in backends): a pool that
spills to disk merges its runs in Python, which cost a fifth of the build. Small updates keep
a plain writer.
"""
from __future__ import annotations

from collections import Counter

from whoosh.codec.whoosh3 import W3Codec, W3PerDocReader, W3Segment, _lenfield
from whoosh.columns import NumericColumn
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.util.numeric import byte_to_length
from whoosh.writing import PostingPool, SegmentWriter

SPELLING_PREFIX = "spell_"  # Whoosh's FieldType.spelling_prefix

LENGTHS_COLUMN = NumericColumn("B")
_UNREAD = object()
_LENGTH_OF_BYTE = [byte_to_length(b) for b in range(256)]


class BulkW3Codec(W3Codec):
    """W3Codec whose per-document reader (used while writing postings) reads lengths in bulk."""

    def per_document_reader(self, storage, segment):
        return _LengthsInMemory(storage, segment)

    def new_segment(self, storage, indexname):
        return W3Segment(W3Codec(), indexname)


class _LengthsInMemory(W3PerDocReader):
    def __init__(self, storage, segment):
        super().__init__(storage, segment)
        self._lengths: dict[str, bytes | None] = {}

    def doc_field_length(self, docnum, fieldname, default=0):
        lengths = self._lengths.get(fieldname, _UNREAD)
        if lengths is _UNREAD:
            lengths = self._lengths[fieldname] = self._read_lengths(fieldname)
        if lengths is None:
            return default
        code = lengths[docnum] if docnum < len(lengths) else 0
        # As W3PerDocReader: no length byte gives None.
        return _LENGTH_OF_BYTE[code] if code else None

    def _read_lengths(self, fieldname):
        column = self._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if column is None:
            return None
        return column._dbfile.get(column._basepos, min(column._count, self._doccount))


def bulk_writer(index, *, procs: int, limitmb: int):
    """Return a writer that indexes with procs processes, each writing its own segment."""
    return _BulkMpWriter(index, procs=procs, multisegment=True, limitmb=limitmb, codec=BulkW3Codec())


class _SpellingCountingPool(PostingPool):
    """A posting pool that keeps one spelling posting per word, weighted by its documents."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._spelling: dict[tuple[str, bytes], list] = {}
        self._spelling_words: dict[str, Counter] = {}  # spelling field -> word -> documents

    def count_spelling(self, fieldname: str, words) -> None:
        """Count one document's distinct spelling words (a C loop, not a posting per word)."""
        counter = self._spelling_words.get(fieldname)
        if counter is None:
            counter = self._spelling_words[fieldname] = Counter()
        counter.update(words)

    def add(self, item):
        fieldname, word, docnum, weight, value = item
        # Whoosh's spelling entries are (spell_field, word, 0, 1, value), one per document.
        if docnum == 0 and fieldname.startswith(SPELLING_PREFIX):
            entry = self._spelling.get((fieldname, word))
            if entry is None:
                self._spelling[(fieldname, word)] = [weight, value]
            else:
                entry[0] += weight
            return
        super().add(item)

    def _push_spelling(self):
        for fieldname, counter in self._spelling_words.items():
            for word, documents in counter.items():
                entry = self._spelling.setdefault((fieldname, word.encode("utf-8")), [0, None])
                entry[0] += documents
        self._spelling_words.clear()
        for (fieldname, word), (weight, value) in self._spelling.items():
            self.fieldnames.add(fieldname)
            self.current.append((fieldname, word, 0, float(weight), value))
        self._spelling.clear()

    def save(self):
        self._push_spelling()
        super().save()

    def iter_postings(self):
        self._push_spelling()
        return super().iter_postings()


def _count_spelling(writer, limitmb):
    writer.pool = _SpellingCountingPool(writer._tempstorage, writer.newsegment, limitmb=limitmb)


class _BulkSegmentWriter(SegmentWriter):
    def __init__(self, ix, **kwargs):
        super().__init__(ix, **kwargs)
        _count_spelling(self, kwargs.get("limitmb", 128))

    def add_document(self, **fields):
        """Whoosh 2.7.4's SegmentWriter.add_document for our fields (no term vectors, no
        boosts, no _stored_ values), spelling words counted per segment in one call."""
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        add_post = self.pool.add
        perdocwriter.start_doc(docnum)
        for fieldname in sorted(name for name in fields if not name.startswith("_")):
            value = fields[fieldname]
            if value is None:
                continue
            field = schema[fieldname]
            length = 0
            if field.indexed:
                scorable = field.scorable
                for tbytes, freq, weight, vbytes in field.index(value):
                    if scorable:
                        length += freq
                    add_post((fieldname, tbytes, docnum, weight, vbytes))
            if field.separate_spelling():
                self.pool.count_spelling(field.spelling_fieldname(fieldname), field.spellable_words(value))
            perdocwriter.add_field(fieldname, field, value if field.stored else None, length)
            column = field.column_type
            if column:
                perdocwriter.add_column_value(fieldname, column, field.to_column_value(value))
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1


class _BulkSubWriterTask(SubWriterTask):
    """Whoosh's SubWriterTask.run (multisegment case) with our segment writer.

    The index is opened with the parent writer's schema, as haystack opens it, rather than
    the schema pickled in the index: that pickle names the classes of the code that last
    wrote it, which need not be importable any more.
    """

    schema = None

    def run(self):
        ix = self.storage.open_index(self.indexname, schema=self.schema)
        writer = self.writer = _BulkSegmentWriter(ix, _lk=False, **self.kwargs)
        while self.running:
            jobinfo = self.jobqueue.get()
            if jobinfo is None:
                break
            self._process_file(*jobinfo)
        if not self.running:
            writer.cancel()
            return
        fieldnames = writer.pool.fieldnames
        segment = writer._finalize_segment()
        self.resultqueue.put((None, fieldnames, segment), timeout=5)


class _BulkMpWriter(MpWriter):
    def __init__(self, ix, **kwargs):
        super().__init__(ix, **kwargs)
        _count_spelling(self, kwargs.get("limitmb", 128))

    def _new_task(self):
        task = _BulkSubWriterTask(
            self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs, self.multisegment
        )
        task.schema = self.schema
        self.tasks.append(task)
        task.start()
        return task
