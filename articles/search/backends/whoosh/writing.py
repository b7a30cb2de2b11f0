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
  segment writer counts a document's words in one Counter.update instead, and takes a French
  text field's terms and spelling words from one analysis (analysis.FrenchText.terms_and_spelling).

- Whoosh's pool keeps one tuple per posting, sorts them all when the segment is written (a
  tenth of the build), then its field writer takes them one at a time through four calls each.
  The bulk segment writer groups a term's postings as they come (document numbers grow, so each
  group is in order), sorts only the terms, and hands each term's postings to the postings
  writer a block at a time (_write_grouped): the same files, byte for byte (tests/search/
  test_segment_writing.py). With the postings
  file's position counted rather than asked (_CountingFile) and a word's one-position value
  encoded once (analysis.FrenchText), a rebuild of 100,000 articles took 3.95 ms of CPU an
  article instead of 4.99 (218 s instead of 275 s).

bulk_writer() returns Whoosh's multi-process writer (one segment per process, no merge) using
all four; each process hands the words it analysed back to its parent, for the processes of
the next batch. Give it a pool large enough for its batch (the connection's BULK_POOL_MB): a pool
that spills to disk merges its runs in Python, which cost a fifth of the build. Small updates
use edit_writer(): Whoosh's own segment writer with the same spelling pool, merging only small
segments (merging.merge_tiers) and able to merge segments whoever wrote them. A write that
fails is undone whole (merging.discard). IndexWriting is the engine's update() and remove().
"""
from __future__ import annotations

import logging
import os
import pickle
import time
from array import array
from collections import Counter
from functools import partial

from haystack.constants import ID
from haystack.exceptions import SkipDocument
from haystack.utils import get_identifier
from whoosh.index import LockError
from whoosh.query import Term

from whoosh.codec.whoosh3 import W3Codec, W3PerDocReader, W3PostingsWriter, W3Segment, W3TermInfo, _lenfield
from whoosh.columns import NumericColumn
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.util.numeric import byte_to_length
from whoosh.system import pack_int, pack_uint
from whoosh.writing import PostingPool, SegmentWriter

from articles.search.backends.whoosh import analysis, changes
from articles.search.backends.whoosh import snapshot as snapshots
from articles.search.backends.whoosh.merging import SPELLING_PREFIX, add_postings, discard, merge_tiers

log = logging.getLogger(__name__)

LENGTHS_COLUMN = NumericColumn("B")
_UNREAD = object()
_LENGTH_OF_BYTE = [byte_to_length(b) for b in range(256)]


class BulkW3Codec(W3Codec):
    """W3Codec whose per-document reader (used while writing postings) reads lengths in bulk, and
    whose postings writer keeps a term found in one document only inside the term's entry."""

    def per_document_reader(self, storage, segment):
        return _LengthsInMemory(storage, segment)

    def postings_writer(self, dbfile, byteids=False):
        if byteids:  # term vectors (none here): Whoosh's own
            return super().postings_writer(dbfile, byteids=byteids)
        return _InliningPostingsWriter(_CountingFile(dbfile), blocklimit=self._blocklimit, compression=self._compression,
                                       inlinelimit=INLINE_LIMIT)

    def new_segment(self, storage, indexname):
        return W3Segment(W3Codec(), indexname)


# Terms with fewer postings than this are written inside their entry of the terms file (Whoosh's
# "inlined" postings, which its readers and ours read) rather than as a block of the postings
# file: a term found in one document only (most of a one-article edit's terms, and the many words
# of a bulk segment seen once) then costs a few bytes of pickle instead of a compressed block, its
# header and its statistics.
INLINE_LIMIT = 2


class _CountingFile:
    """The postings file as a postings writer writes it, its position counted rather than asked:
    the writer asks it twice per term, and each ask of a buffered file is a system call (a
    twentieth of the build). Only the postings writer writes to this file while it is open."""

    def __init__(self, dbfile):
        self._file = dbfile
        self._position = dbfile.tell()

    def write(self, data):
        self._position += len(data)
        return self._file.write(data)

    def write_int(self, n):
        self.write(pack_int(n))

    def tell(self):
        return self._position

    def __getattr__(self, name):  # anything else (never called while writing postings) as the file does
        return getattr(self._file, name)


class _InliningPostingsWriter(W3PostingsWriter):
    """W3PostingsWriter whose inlining works: Whoosh 2.7.4 calls `terminfo.set_inline`, a method
    W3TermInfo does not have (it is `set_inlined`), so only the default limit of 1 (never) ran."""

    def finish_postings(self):
        terminfo = self._terminfo
        if not self.written() and len(self) < self._inlinelimit:
            terminfo.add_block(self)
            # A format without values (Existence) buffers none; Whoosh's own merging wants the
            # b"" its block matchers give for each posting, not the '' of an empty inlined list.
            terminfo.set_inlined(self._ids, self._weights, self._values or [b""] * len(self._ids))
            self._terminfo = None
            return terminfo
        return super().finish_postings()


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


def edit_writer(index, *, timeout: float, merge_max_docs: int):
    """Return a writer for a few documents whose commit merges only small segments (at most
    merge_max_docs documents into one); LockError after timeout seconds of a busy index."""
    writer = _EditSegmentWriter(index, timeout=timeout, delay=0.1, codec=BulkW3Codec())
    writer.mergetype = partial(merge_tiers, max_docs=merge_max_docs)
    return writer


def commit_or_discard(writer, **options) -> None:
    """Commit the writer; if that fails, undo it whole (files, temporary folder, lock) and raise."""
    try:
        writer.commit(**options)
    except BaseException:
        discard(writer)
        raise


class _SpellingCountingPool(PostingPool):
    """A posting pool that keeps one spelling posting per word, weighted by its documents."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._spelling: dict[tuple[str, bytes], list] = {}
        self._spelling_words: dict[str, Counter] = {}  # spelling field -> word -> documents
        self._spilling = False

    def count_spelling_bytes(self, fieldname: str, btext: bytes, documents) -> None:
        """Count a spelling word that a merged segment holds in `documents` documents."""
        entry = self._spelling.setdefault((fieldname, btext), [0, None])
        entry[0] += documents

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
        self._spilling = True  # a run written because the pool is full: the words are counted on
        try:
            super().add(item)
        finally:
            self._spilling = False

    def spelling_postings(self) -> list[tuple]:
        """Return the spelling postings counted so far, one per word, and forget them."""
        for fieldname, counter in self._spelling_words.items():
            for word, documents in counter.items():
                entry = self._spelling.setdefault((fieldname, word.encode("utf-8")), [0, None])
                entry[0] += documents
        self._spelling_words.clear()
        postings = []
        for (fieldname, word), (weight, _) in self._spelling.items():
            self.fieldnames.add(fieldname)
            # The spelling field's format (Frequency) keeps each posting's frequency as its value.
            postings.append((fieldname, word, 0, float(weight), pack_uint(int(weight))))
        self._spelling.clear()
        return postings

    def _push_spelling(self):
        self.current.extend(self.spelling_postings())

    def save(self):
        # Only when the pool is finished (Whoosh's finish_subsegment), not each time it spills a
        # run: a word's count pushed with every run became one posting per run.
        if not self._spilling:
            self._push_spelling()
        super().save()

    def iter_postings(self):
        self._push_spelling()
        return super().iter_postings()


def _count_spelling(writer, limitmb):
    writer.pool = _SpellingCountingPool(writer._tempstorage, writer.newsegment, limitmb=limitmb)


class _EditSegmentWriter(SegmentWriter):
    """Whoosh's segment writer with the spelling pool, able to merge any segment."""

    def __init__(self, ix, **kwargs):
        super().__init__(ix, **kwargs)
        _count_spelling(self, kwargs.get("limitmb", 128))

    add_postings_to_pool = add_postings


class _BulkSegmentWriter(_EditSegmentWriter):
    grouped = True  # False: Whoosh's pool and field writer (what tests compare the grouped files with)

    def __init__(self, ix, **kwargs):
        super().__init__(ix, **kwargs)
        # fieldname -> term bytes -> (document numbers, weights, values), each in document order
        self._grouped: dict[str, dict[bytes, tuple[array, array, list]]] = {}
        self._grouped_bytes = 0
        self._grouped_limit = kwargs.get("limitmb", 128) * 1024 * 1024

    def add_document(self, **fields):
        """Whoosh 2.7.4's SegmentWriter.add_document for our fields (no term vectors, no
        boosts, no _stored_ values), spelling words counted per segment in one call, postings
        grouped by term."""
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        grouped = self._grouped if self.grouped else None
        add_post = self.pool.add
        added = 0
        perdocwriter.start_doc(docnum)
        for fieldname in sorted(name for name in fields if not name.startswith("_")):
            value = fields[fieldname]
            if value is None:
                continue
            field = schema[fieldname]
            length = 0
            spelling = None
            if field.indexed:
                scorable = field.scorable
                if field.separate_spelling() and hasattr(field, "terms_and_spelling"):
                    postings, spelling = field.terms_and_spelling(value)  # one analysis for both
                else:
                    postings = field.index(value)
                if grouped is None:
                    for tbytes, freq, weight, vbytes in postings:
                        if scorable:
                            length += freq
                        add_post((fieldname, tbytes, docnum, weight, vbytes))
                else:
                    terms = grouped.get(fieldname)
                    if terms is None:
                        terms = grouped[fieldname] = {}
                        self.pool.fieldnames.add(fieldname)
                    found = terms.get
                    count = 0
                    for tbytes, freq, weight, vbytes in postings:
                        if scorable:
                            length += freq
                        group = found(tbytes)
                        if group is None:
                            terms[tbytes] = (array("I", (docnum,)), array("d", (weight,)), [vbytes])
                            added += 400 + len(tbytes)  # a term's key, arrays and list (measured)
                        else:
                            group[0].append(docnum)
                            group[1].append(weight)
                            group[2].append(vbytes)
                        count += 1
                    added += 50 * count  # a posting's number, weight and value (measured, with its positions)
            if field.separate_spelling():
                words = spelling if spelling is not None else field.spellable_words(value)
                self.pool.count_spelling(field.spelling_fieldname(fieldname), words)
            perdocwriter.add_field(fieldname, field, value if field.stored else None, length)
            column = field.column_type
            if column:
                perdocwriter.add_column_value(fieldname, column, field.to_column_value(value))
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1
        if added:
            self._grouped_bytes += added
            if self._grouped_bytes > self._grouped_limit:
                self._spill_grouped()

    def _spill_grouped(self):
        """Over the pool's memory bound: write the grouped postings as one run of Whoosh's pool
        (they are in its order already: field, term, document), and write this segment Whoosh's
        way from then on."""
        pool = self.pool
        postings = ((fieldname, tbytes, docnum, weight, value)
                    for fieldname, terms in _in_order(self._grouped)
                    for tbytes, (docnums, weights, values) in terms
                    for docnum, weight, value in zip(docnums, weights, values))
        path, runfile = pool._new_run()
        pool._write_run(runfile, postings)  # the spelling words are counted to the end
        pool._add_run(path)
        self._grouped = {}
        self._grouped_bytes = 0
        self.grouped = False

    def _flush_segment(self):
        if self.grouped and (self.pool.current or self.pool.runs):
            # Postings that reached Whoosh's pool (another segment's, through add_reader): write
            # them all Whoosh's way rather than leave them out.
            self._spill_grouped()
        if not self.grouped:
            return super()._flush_segment()
        self.perdocwriter.close()
        lengths = self.per_document_reader()
        grouped = self._grouped
        for fieldname, word, docnum, weight, value in self.pool.spelling_postings():
            grouped.setdefault(fieldname, {})[word] = (array("I", [docnum]), array("d", [weight]), [value])
        _write_grouped(self.fieldwriter, self.schema, lengths, grouped)
        self._grouped = {}
        self.fieldwriter.close()
        lengths.close()


def _write_grouped(fieldwriter, schema, lengths, grouped) -> None:
    """Write grouped postings as FieldWriter.add_postings writes sorted ones, a block at a time.

    For each term in order, the postings writer gets each block's documents, weights, values
    and statistics (the same ones add_posting gathers) and writes it as Whoosh does, the last
    block left for finish_postings (which inlines a term of one posting).
    """
    for fieldname, terms in _in_order(grouped):
        fieldwriter.start_field(fieldname, schema[fieldname])
        postwriter = fieldwriter._postwriter
        codes = lengths._read_lengths(fieldname)  # what doc_field_length reads, once
        limit = postwriter._blocklimit
        for btext, (docnums, weights, values) in terms:
            _write_term(fieldwriter, postwriter, btext, docnums, weights, values, codes, limit)
        fieldwriter.finish_field()


def _in_order(grouped):
    """Yield (fieldname, [(term bytes, its postings)]) in Whoosh's pool order, for the fields that
    have terms (a field of no term, an empty value, is never named by Whoosh's pool either)."""
    for fieldname in sorted(grouped):
        terms = grouped[fieldname]
        if terms:
            yield fieldname, [(tbytes, terms[tbytes]) for tbytes in sorted(terms)]


def _write_term(fieldwriter, postwriter, btext, docnums, weights, values, codes, limit) -> None:
    """One term's postings, in blocks of `limit`, with what add_posting would have gathered."""
    fieldwriter._btext = btext
    count = len(docnums)
    if count < postwriter._inlinelimit:  # inlined: start_postings without its file position
        postwriter._format = fieldwriter._format
        postwriter._blockcount = 0
        postwriter._terminfo = W3TermInfo()
    else:
        postwriter.start_postings(fieldwriter._format, W3TermInfo())
    for start in range(0, count, limit):
        if start:
            postwriter._write_block()
        end = start + limit
        block_weights = weights[start:end]
        postwriter._ids = docnums[start:end]
        postwriter._weights = array("f", block_weights)
        postwriter._values = [value for value in values[start:end] if value]
        postwriter._maxweight = max(0, max(block_weights))
        if codes is None:
            postwriter._minlength, postwriter._maxlength = None, 0
        else:
            known = len(codes)
            found = [_LENGTH_OF_BYTE[codes[d]] for d in postwriter._ids if d < known and codes[d]]
            postwriter._minlength, postwriter._maxlength = (min(found), max(found)) if found else (None, 0)
    fieldwriter.finish_term()


class _BulkSubWriterTask(SubWriterTask):
    """Whoosh's SubWriterTask.run (multisegment case) with our segment writer.

    The index is opened with the parent writer's schema, as haystack opens it, rather than
    the schema pickled in the index: that pickle names the classes of the code that last
    wrote it, which need not be importable any more. The words' forms the process analysed
    go back to its parent (analysis.learned_forms), for the processes of the next batch.
    """

    schema = None
    forms_path = None  # where this process leaves the words' forms it learned, for its parent

    def run(self):
        known = analysis.known_forms()  # what the parent knew when it started this process
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
        if self.forms_path:
            _save_forms(self.forms_path, analysis.learned_forms(known))
        self.resultqueue.put((None, fieldnames, segment), timeout=5)


def _save_forms(path: str, forms: dict) -> None:
    """Leave a writer process's learned word forms in path (a file, not the result queue: a
    parent joins its processes before it reads the queue, and a large item would block them)."""
    try:
        with open(path, "wb") as f:
            pickle.dump(forms, f, pickle.HIGHEST_PROTOCOL)
    except OSError:
        log.warning("could not leave the learned word forms in %s", path, exc_info=True)


def _load_forms(path: str) -> dict:
    """Return the word forms a writer process left in path; none if it left none or half."""
    try:
        with open(path, "rb") as f:
            return pickle.load(f)
    except (OSError, EOFError, pickle.UnpicklingError):
        return {}


class _BulkMpWriter(MpWriter):
    def __init__(self, ix, **kwargs):
        super().__init__(ix, **kwargs)
        _count_spelling(self, kwargs.get("limitmb", 128))

    add_postings_to_pool = add_postings

    def _new_task(self):
        task = _BulkSubWriterTask(
            self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs, self.multisegment
        )
        task.schema = self.schema
        # In this writer's temporary folder: deleted with it whatever happens.
        task.forms_path = os.path.join(self.temp_storage().folder, f"forms-{len(self.tasks)}.pickle")
        self.tasks.append(task)
        task.start()
        return task

    def _finish(self):
        # The processes have ended (committed or cancelled); their folder is still there.
        for task in self.tasks:
            if task.forms_path and os.path.exists(task.forms_path):
                analysis.learn_forms(_load_forms(task.forms_path))
        super()._finish()


class IndexWriting:
    """update() and remove() of the Whoosh engine (a mixin of its backend class).

    A small write waits at most the connection's EDIT_LOCK_TIMEOUT for a busy index, then raises
    LockError: haystack's own writer would wait for ever in a thread, holding up the web
    request, and the change's queued row (articles.search.indexing.queue) keeps it for the
    queue worker. Large batches go through bulk_writer().
    """

    def update(self, index, iterable, commit=True):
        """Write the objects' documents; large batches through several processes at once."""
        if not self.setup_complete:
            self.setup()
        self.index = self.index.refresh()
        objects = iterable if isinstance(iterable, (list, tuple)) else list(iterable)
        try:
            if len(objects) < self.tuning.bulk_min_documents:
                self._write_small(list(self._prepared(index, objects)))
            else:
                self._write_bulk(self._prepared(index, objects))  # prepared as the processes take them
        except Exception:
            if not self.silently_fail:
                raise
            self.log.exception("Failed to add documents to Whoosh")

    def _write_small(self, docs):
        writer = self._edit_writer()
        try:
            before = changes.starting_point(writer)
            for docnum in self._old_versions(writer, docs):
                writer.delete_document(docnum)
            for doc in docs:
                writer.add_document(**doc)
        except BaseException:
            discard(writer)
            raise
        commit_or_discard(writer)
        changes.note(writer, before, [doc[ID] for doc in docs])

    def _old_versions(self, writer, docs) -> list[int]:
        """Return the document numbers of the documents' versions in the index, as Whoosh's
        update_document finds them, but with the segment readers searches keep open (the
        snapshot of the generation the writer starts from) rather than opening every segment's
        files again for each edit, which cost more than writing the edit at 4,000 articles."""
        def found(searcher):
            return [docnum for doc in docs for docnum in searcher.docs_for_query(Term(ID, doc[ID]), for_deletion=True)]

        with snapshots.lock:
            snap = snapshots.current(self.index, postings_cache_size=self.tuning.postings_cache_size)
            if snap.key[0] == writer.generation - 1 and snap.searcher.doc_count_all() == sum(
                    s.doc_count_all() for s in writer.segments):
                return found(snap.searcher)
        # Not the writer's generation (never while it holds the lock): Whoosh's own way.
        with writer.searcher() as searcher:
            return found(searcher)

    def _write_bulk(self, docs):
        writer = self._bulk_writer()
        try:
            # Whoosh's update_document runs a query on every segment for each document: look
            # the document's term up in one reader instead (none is found in a rebuild) and
            # delete only the old versions found. Deletions apply to the segments there were.
            before, written = changes.starting_point(writer), []
            with writer.searcher() as searcher:
                stored = self._stored_ids(searcher.reader())
                for doc in docs:
                    if len(written) <= changes.MAX_NOTED:
                        written.append(doc[ID])
                    if doc[ID].encode("utf-8") in stored:
                        writer.delete_by_term(ID, doc[ID], searcher=searcher)
                    writer.add_document(**doc)
        except BaseException:
            discard(writer)
            raise
        # No merge: merging rewrites existing segments in Python, slower than the build itself.
        commit_or_discard(writer, merge=False)
        changes.note(writer, before, written)
        self.derive_arrays()

    def _stored_ids(self, reader) -> set[bytes]:
        """Return the ID terms of the reader's segments (deleted documents' too, as `in reader`).

        Asking the reader for each document costs a lookup per segment: at a million articles
        written 10,000 at a time, 200 segments, 1.3 ms a document by the end. Each segment's IDs
        are read once per process instead (segments never change) and looked up in one set.
        """
        known = self.__dict__.setdefault("_segment_ids", {})
        stored, live = set(), set()
        for leaf, _base in reader.leaf_readers():
            segment = leaf.segment() if hasattr(leaf, "segment") else None
            segment = segment.segment_id() if segment is not None else None
            if segment is None:  # not a segment's reader: read it each time
                stored.update(leaf.lexicon(ID))
                continue
            live.add(segment)
            if segment not in known:
                known[segment] = frozenset(leaf.lexicon(ID))
            stored |= known[segment]
        for segment in set(known) - live:
            del known[segment]
        return stored

    def derive_arrays(self):
        """Derive now what searches need from each segment (facet pairs, date columns, lengths,
        term statistics), beside the index: a bulk write does, so that no web worker's first
        query pays for it (14 s at 100,000 articles)."""
        with snapshots.lock:
            snap = snapshots.current(self.index, postings_cache_size=self.tuning.postings_cache_size)
            snap.derive(self.content_field_name)

    def _prepared(self, index, objects):
        """Yield the objects' documents as Whoosh takes them."""
        for obj in objects:
            try:
                doc = index.full_prepare(obj)
            except SkipDocument:
                self.log.debug("Indexing for object `%s` skipped", obj)
                continue
            doc.pop("boost", None)  # document boosts: not in Whoosh 2.5+
            for name in self.exact_fields:  # their terms are in the field they are the exact mode of
                doc.pop(name, None)
            for name in self.facet_sources:  # indexed as their facet twins only
                doc.pop(name, None)
            yield {key: self._from_python(value) for key, value in doc.items()}

    def remove(self, obj_or_string, commit=True):
        """Delete one document, waiting at most EDIT_LOCK_TIMEOUT for a busy index (then LockError)."""
        if not self.setup_complete:
            self.setup()
        self.index = self.index.refresh()
        identifier = get_identifier(obj_or_string)
        try:
            writer = self._edit_writer()
            try:
                before = changes.starting_point(writer)
                writer.delete_by_term(ID, identifier)
            except BaseException:
                discard(writer)
                raise
            commit_or_discard(writer)
            changes.note(writer, before, [identifier])
        except Exception:
            if not self.silently_fail:
                raise
            self.log.exception("Failed to remove document '%s' from Whoosh", identifier)

    def _edit_writer(self):
        return edit_writer(self.index, timeout=self.tuning.edit_lock_timeout, merge_max_docs=self.tuning.edit_merge_max_docs)

    def _bulk_writer(self):
        deadline = time.monotonic() + self.tuning.bulk_lock_timeout
        while True:
            try:
                return bulk_writer(self.index, procs=self.tuning.bulk_processes, limitmb=self.tuning.bulk_pool_mb)
            except LockError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.25)
