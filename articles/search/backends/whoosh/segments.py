"""Arrays of one index segment: decoded postings, facet pairs, columns, lengths, term statistics.

A segment's files never change once written (only its deletions do, and they are the
generation's), so what is derived from it is valid for as long as the segment exists: the
arrays a query needs at once (facet pairs, date columns, field lengths, term statistics) are
derived once per segment and memory-mapped from files beside the index (derived.py), shared by
every process; decoded posting lists are kept in one bounded cache per process
(`postings_cache`), by segment, so that a new generation (an edit) only decodes the new
segment's.
"""
from __future__ import annotations

import hashlib
import io
import pickle
import struct
import zlib
from collections import OrderedDict
from types import SimpleNamespace

import numpy as np
from whoosh.codec.whoosh3 import _lenfield
from whoosh.columns import NumericColumn
from whoosh.query.spans import Span, SpanNear2
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

from articles.search.backends.whoosh import derived

LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)
LENGTHS_COLUMN = NumericColumn("B")
_BLOCK_LENGTH = struct.Struct("!i")
_NO_POSTINGS = (np.zeros(0, dtype=np.int64), np.zeros(0))
# A longer token (an address, a code) is never offered as a spelling correction: the words are
# kept in fixed-width arrays, as wide as their longest.
MAX_SPELLING_BYTES = 48
MAX_EXPANSIONS_KEPT = 256  # prefixes (wildcards, ranges) whose terms, and postings, a segment keeps


def term_key(btext: bytes) -> int:
    """Return the 64-bit key that stands for a term in the derived term statistics."""
    return int.from_bytes(hashlib.blake2b(btext, digest_size=8).digest(), "little")


def spelling_array(words) -> np.ndarray:
    """Return words (sorted bytes, each once) as a numpy array of fixed-width bytes."""
    words = list(words)
    return np.array(words, dtype=f"S{max(1, max(map(len, words), default=1))}")


class PostingsCache:
    """Decoded posting lists by (index place, segment, field, term), least recently used out
    first once they hold more than `limit` postings. Used under snapshot.lock only."""

    def __init__(self):
        self.entries: OrderedDict = OrderedDict()
        self.postings = 0

    def get(self, key):
        found = self.entries.get(key)
        if found is not None:
            self.entries.move_to_end(key)
        return found

    def put(self, key, value, limit: int) -> None:
        self.entries[key] = value
        self.postings += len(value[0]) + 1
        while self.postings > limit and len(self.entries) > 1:
            _, (old, _) = self.entries.popitem(last=False)
            self.postings -= len(old) + 1

    def clear(self, place: str | None = None) -> None:
        """Forget every entry, or those of the index at place."""
        if place is None:
            self.entries.clear()
            self.postings = 0
            return
        for key in [k for k in self.entries if k[0] == place]:
            self.postings -= len(self.entries.pop(key)[0]) + 1


postings_cache = PostingsCache()


class SegmentData:
    """Arrays of one segment, built (or mapped) on first use; valid as long as the segment exists."""

    def __init__(self, reader, place: str):
        self.reader = reader
        self.place = place
        self.size = reader.doc_count_all()
        self.segment_id = reader.segment().segment_id()
        self._columns: dict[str, np.ndarray] = {}
        self._lengths: dict[str, np.ndarray] = {}
        self._facets: dict[str, tuple[list[str], np.ndarray, np.ndarray]] = {}
        self._expansions: OrderedDict = OrderedDict()

    def expansion_postings(self, fieldname: str, btexts: tuple[bytes, ...], *, cache_size: int):
        """Return the postings of several terms in this segment at once: (document numbers,
        weights, position of the term in btexts), term after term; kept for the segment's life."""
        key = (fieldname, btexts)
        found = self._expansions.get(key)
        if found is None:
            docs, weights, which = [], [], []
            for number, btext in enumerate(btexts):
                found_docs, found_weights = self.postings(fieldname, btext, cache_size=cache_size)
                if len(found_docs):
                    docs.append(found_docs)
                    weights.append(found_weights)
                    which.append(np.full(len(found_docs), number, dtype=np.int32))
            found = self._expansions[key] = (np.concatenate(docs), np.concatenate(weights), np.concatenate(which)) if docs else (
                np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0, dtype=np.int32))
            while len(self._expansions) > MAX_EXPANSIONS_KEPT:
                self._expansions.popitem(last=False)
        else:
            self._expansions.move_to_end(key)
        return found

    def expansion(self, query) -> tuple[bytes, ...]:
        """Return the terms of this segment a prefix, wildcard or term range stands for, as
        Whoosh's query expands them (query._btexts); kept for the segment's life, so that a new
        generation (an edit) expands them in its new segment only."""
        key = (type(query), query)
        found = self._expansions.get(key)
        if found is None:
            found = self._expansions[key] = tuple(btext for btext in query._btexts(self.reader) if btext)
            while len(self._expansions) > MAX_EXPANSIONS_KEPT:
                self._expansions.popitem(last=False)
        else:
            self._expansions.move_to_end(key)
        return found

    def postings(self, fieldname: str, btext: bytes, *, cache_size: int):
        """Return (document numbers, weights) of a term in this segment (empty when it has none)."""
        key = (self.place, self.segment_id, fieldname, btext)
        found = postings_cache.get(key)
        if found is None:
            found = self._decode(fieldname, btext) or _NO_POSTINGS
            postings_cache.put(key, found, cache_size)
        return found

    def _decode(self, fieldname: str, btext: bytes):
        terms = self.reader._terms
        try:
            info = terms.term_info(fieldname, btext)
        except TermNotFound:
            return None
        if info.is_inlined():
            ids, weights, _ = info.inlined_postings()
            return np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64)
        offset, length = info.extent()
        if isinstance(length, tuple):  # Whoosh 2.7.4's W3TermInfo.from_bytes leaves it unpacked
            length = length[0]
        return _decode_blocks(terms._postfile.get(offset, length))

    def phrase_docs(self, fieldname: str, btexts: tuple[bytes, ...], slop: int, fmt, *, cache_size: int) -> np.ndarray:
        """Return the documents of this segment (deleted ones included) where the terms occur in
        order, each within slop positions of the one before: Whoosh's Phrase (SpanNear2, ordered,
        at least one position apart). Found once per segment, which never changes, and kept in
        the postings cache: after an edit only the new segment is read."""
        key = (self.place, self.segment_id, fieldname, ("phrase", slop) + btexts)
        found = postings_cache.get(key)
        if found is None:
            found = (self._phrase_docs(fieldname, btexts, slop, fmt, cache_size), None)
            postings_cache.put(key, found, cache_size)
        return found[0]

    def _phrase_docs(self, fieldname, btexts, slop, fmt, cache_size) -> np.ndarray:
        candidates = None
        for btext in dict.fromkeys(btexts):
            docs = self.postings(fieldname, btext, cache_size=cache_size)[0]
            candidates = docs if candidates is None else np.intersect1d(candidates, docs, assume_unique=True)
            if not len(candidates):
                return _NO_POSTINGS[0]
        values = {btext: self._values(fieldname, btext, candidates) for btext in dict.fromkeys(btexts)}
        matched = [doc for i, doc in enumerate(candidates.tolist())
                   if _in_phrase([fmt.decode_as("positions", values[btext][i]) for btext in btexts], slop)]
        return np.array(matched, dtype=np.int64)

    def _values(self, fieldname: str, btext: bytes, docs: np.ndarray) -> list[bytes]:
        """Return the term's stored values (its positions) for docs, which all hold it, in order;
        only the blocks that hold one of docs are read."""
        info = self.reader._terms.term_info(fieldname, btext)
        if info.is_inlined():
            ids, _, values = info.inlined_postings()
            at = dict(zip(ids, values))
            return [at[d] for d in docs.tolist()]
        offset, length = info.extent()
        if isinstance(length, tuple):  # as in _decode
            length = length[0]
        previous_last, found = -1, []
        for _, last_id, read in _blocks(self.reader._terms._postfile.get(offset, length)):
            lo = np.searchsorted(docs, previous_last, side="right")
            hi = np.searchsorted(docs, last_id, side="right")
            if hi > lo:  # a block's ids are (previous block's last, last_id], its first delta absolute
                deltas, _, values = read()
                ids = np.cumsum(np.array(deltas, dtype=np.int64))
                found.extend(values[i] for i in np.searchsorted(ids, docs[lo:hi]).tolist())
                if len(found) == len(docs):
                    break
            previous_last = last_id
        return found

    def term_stats(self, fieldname: str) -> tuple[np.ndarray, np.ndarray]:
        """Return the field's term keys in this segment, sorted (term_key), and for each its
        collection frequency and number of documents (an array of two columns)."""
        key = ("terms", fieldname)
        if key not in self._columns:
            from articles.search.backends.whoosh.similar import segment_term_stats

            built = []

            def part(number):
                if not built:
                    built.extend(segment_term_stats(self.reader, fieldname))
                return built[number]
            self._columns[key] = (
                derived.segment_array(self.place, self.segment_id, f"terms-{fieldname}-keys", lambda: part(0)),
                derived.segment_array(self.place, self.segment_id, f"terms-{fieldname}-stats", lambda: part(1)),
            )
        return self._columns[key]

    def numeric_column(self, fieldname: str, fieldobj) -> np.ndarray | None:
        """Return the field's column as unsigned integers, 0 where a document has no value."""
        if fieldname not in self._columns:
            self._columns[fieldname] = None
            if isinstance(fieldobj.column_type, NumericColumn):
                if self.reader.has_column(fieldname):
                    self._columns[fieldname] = derived.segment_array(
                        self.place, self.segment_id, f"column-{fieldname}",
                        lambda: _numeric_array(self.reader.column_reader(fieldname, translate=False), self.size))
                else:  # no document of the segment has a value
                    self._columns[fieldname] = np.zeros(self.size, dtype=np.uint64)
        return self._columns[fieldname]

    def field_lengths(self, fieldname: str) -> np.ndarray:
        """Return each document's length in the field, as Whoosh's scorers see it."""
        if fieldname not in self._lengths:
            def build():
                column = self.reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
                codes = _numeric_array(column, self.size) if column is not None else np.zeros(self.size, dtype=np.uint64)
                return LENGTH_OF_BYTE[codes.astype(np.uint8)]
            self._lengths[fieldname] = derived.segment_array(self.place, self.segment_id, f"lengths-{fieldname}", build)
        return self._lengths[fieldname]

    def spelling_words(self, fieldname: str) -> np.ndarray:
        """Return the words of a spelling field in this segment: sorted UTF-8 bytes, each once,
        those longer than MAX_SPELLING_BYTES left out (mapped from the derived folder)."""
        key = ("spelling", fieldname)
        if key not in self._columns:
            def build():
                if fieldname not in self.reader.indexed_field_names():
                    return np.zeros(0, dtype="S1")
                return spelling_array(b for b in self.reader.lexicon(fieldname) if len(b) <= MAX_SPELLING_BYTES)
            self._columns[key] = derived.segment_array(self.place, self.segment_id, f"spelling-{fieldname}", build)
        return self._columns[key]

    def facet_pairs(self, fieldname: str, fieldobj):
        """Return (values, documents, value positions): one pair per document and value; values is
        an array (of str for a keyword field)."""
        if fieldname not in self._facets:
            built = []

            def part(number):
                if not built:
                    built.extend(self._facet_arrays(fieldname, fieldobj))
                return built[number]
            values = derived.segment_array(self.place, self.segment_id, f"facet-{fieldname}-values", lambda: part(0))
            pairs = derived.segment_array(self.place, self.segment_id, f"facet-{fieldname}-pairs", lambda: part(1))
            self._facets[fieldname] = (values, pairs[:, 0], pairs[:, 1])
        return self._facets[fieldname]

    def document_pks(self, fieldname: str) -> np.ndarray:
        """Return each document's value of an ID field holding primary keys (haystack's
        django_id) as an integer, by document number; -1 where it has none or not a number."""
        key = ("pks", fieldname)
        if key not in self._columns:
            def build():
                pks = np.full(self.size, -1, dtype=np.int64)
                for btext in self.reader.lexicon(fieldname):
                    decoded = self._decode(fieldname, btext)
                    if decoded is not None and btext.isdigit():
                        pks[decoded[0]] = int(btext)
                return pks
            self._columns[key] = derived.segment_array(self.place, self.segment_id, f"pks-{fieldname}", build)
        return self._columns[key]

    def _facet_arrays(self, fieldname: str, fieldobj):
        values, docs, which = [], [], []
        for btext in self.reader.lexicon(fieldname):
            decoded = self._decode(fieldname, btext)
            if decoded is None:
                continue
            which.append(np.full(len(decoded[0]), len(values), dtype=np.int32))
            docs.append(decoded[0].astype(np.int32))
            values.append(fieldobj.from_bytes(btext))
        pairs = np.stack([np.concatenate(docs), np.concatenate(which)], axis=1) if docs else np.zeros((0, 2), dtype=np.int32)
        return np.array(values) if values else np.zeros(0, dtype="U1"), pairs


def _numeric_array(column, size: int) -> np.ndarray:
    """Read a Whoosh NumericColumn into unsigned integers, 0 where a document has no value."""
    count = min(column._count, size)
    raw = column._dbfile.get(column._basepos, count * column._fixedlen)
    values = np.frombuffer(raw, dtype=np.dtype(column._typecode).newbyteorder(">"))
    # Documents without a value hold the column's default (the type's maximum for dates).
    values = np.where(values == column._default, 0, values).astype(np.uint64)
    if count < size:
        values = np.concatenate([values, np.zeros(size - count, dtype=np.uint64)])
    return values


def _in_phrase(positions: list[list[int]], slop: int) -> bool:
    """Whether one position of each list follows one of the list before, as Whoosh's SpanNear2
    (ordered, mindist 1) finds it: next to it with slop 1, its own code otherwise."""
    if slop == 1:  # the spans are runs of positions: start, start + 1, start + 2 ...
        starts = set(positions[0])
        for i, later in enumerate(positions[1:], 1):
            starts.intersection_update(p - i for p in later)
            if not starts:
                return False
        return True
    near = SimpleNamespace(slop=slop, mindist=1, ordered=True,
                           ms=[SimpleNamespace(spans=lambda p=p: [Span(x) for x in p]) for p in positions])
    return bool(SpanNear2.SpanNear2Matcher._get_spans(near))


def _blocks(data: bytes):
    """Yield each block of a W3 posting list as (postings, last id, read), read() returning its
    (delta-coded ids, weights, values); a block is only decompressed and unpickled when read."""
    stream = io.BytesIO(data)
    position = 4  # after the 4-byte header magic
    while position < len(data):
        (length,) = _BLOCK_LENGTH.unpack_from(data, position)
        end = position + 4 + abs(length)
        stream.seek(position + 4)
        count, last_id, _, compression, _, _ = pickle.load(stream)
        block = data[stream.tell():end]
        yield count, last_id, lambda block=block, compression=compression: pickle.loads(
            zlib.decompress(block) if compression else block)
        position = end
        if length < 0:
            break


def _decode_blocks(data: bytes):
    """Decode a W3 posting list: blocks of pickled, delta-coded ids and weights."""
    ids, weights = [], []
    previous_last = 0
    for count, last_id, read in _blocks(data):
        deltas, block_weights, _ = read()
        deltas = np.array(deltas, dtype=np.int64)
        # Each block's first delta counts from 0: make it count from the previous block's last id.
        deltas[0] -= previous_last
        ids.append(deltas)
        previous_last = last_id
        if block_weights is None:
            weights.append(np.ones(count))
        elif isinstance(block_weights, float):
            weights.append(np.full(count, block_weights))
        else:
            weights.append(np.array(block_weights, dtype=np.float64))
    return np.cumsum(np.concatenate(ids)), np.concatenate(weights)
