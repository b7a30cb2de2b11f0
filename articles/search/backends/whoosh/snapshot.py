"""One generation of the Whoosh index, kept open across requests, with its data as numpy arrays.

Whoosh 2.7 reads segment files when a searcher opens, and haystack opens one per query; its
facet counting and date sorting are per-document Python loops. A Snapshot keeps one searcher
per index generation, plus arrays built once per segment and reused by later generations
(segments never change, only their deletions): each facet field's (document, value) pairs,
date columns and field lengths. Posting lists are decoded straight from Whoosh's blocks into
numpy and kept in a bounded cache until the index changes; so are evaluated queries (the
engine's count-then-page pattern). All of it belongs to one generation and goes with it, and
is read and changed under `lock` only.
"""
from __future__ import annotations

import io
import os
import pickle
import struct
import threading
import zlib
from collections import OrderedDict

import numpy as np
from whoosh.codec.whoosh3 import _lenfield
from whoosh.columns import NumericColumn
from whoosh.fields import DATETIME
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC
from whoosh.util.numeric import byte_to_length
from whoosh.util.times import datetime_to_long

LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)
LENGTHS_COLUMN = NumericColumn("B")
_BLOCK_LENGTH = struct.Struct("!i")

# One lock for everything that reads index files: Whoosh's files seek and read.
lock = threading.RLock()
_snapshots: OrderedDict[str, "Snapshot"] = OrderedDict()
MAX_OPEN_INDEXES = 4  # indexes kept open per process (tests open one per test)
_segments: dict[tuple[str, str], "SegmentData"] = {}


def current(index, *, postings_cache_size: int = 8_000_000) -> "Snapshot":
    """Return the snapshot of the index's latest generation, opening it if the index changed.

    It keeps up to postings_cache_size decoded postings (about 12 bytes each).
    """
    storage = index.storage
    key = _generation_key(storage, index.indexname)
    place = _place(storage)
    with lock:
        snapshot = _snapshots.get(place)
        if snapshot is not None and snapshot.key == key:
            _snapshots.move_to_end(place)
            snapshot.postings_cache_size = postings_cache_size
            return snapshot
        fresh = Snapshot(index.refresh(), key, place, postings_cache_size=postings_cache_size)
        _snapshots[place] = fresh
        _snapshots.move_to_end(place)
        while len(_snapshots) > MAX_OPEN_INDEXES:
            forget_place(next(iter(_snapshots)))
        live_segments = {(place, s.segment_id) for s in fresh.segments}
        for stale in [k for k in _segments if k[0] == place and k not in live_segments]:
            del _segments[stale]
        if snapshot is not None:
            snapshot.close()
        return fresh


def forget_place(place: str) -> None:
    """Close the snapshot of the index at place and drop its segments' arrays."""
    with lock:
        snapshot = _snapshots.pop(place, None)
        if snapshot is not None:
            snapshot.close()
        for key in [k for k in _segments if k[0] == place]:
            del _segments[key]


def clear_caches() -> None:
    """Forget evaluated queries and decoded posting lists (the benchmark does, to time every
    query as a fresh one)."""
    with lock:
        for snapshot in _snapshots.values():
            snapshot.queries.clear()
            snapshot.postings_cache.clear()
            snapshot.postings_cached = 0


def _place(storage) -> str:
    return os.path.realpath(storage.folder) if isinstance(storage, FileStorage) else f"ram:{id(storage)}"


def _generation_key(storage, indexname) -> tuple:
    generation = TOC._latest_generation(storage, indexname)
    if not isinstance(storage, FileStorage):
        return (generation,)
    # The generation number restarts when the index is deleted and rebuilt: add the TOC file's
    # identity so that a rebuilt index is never mistaken for the one we hold.
    try:
        stat = os.stat(os.path.join(storage.folder, TOC._filename(indexname, generation)))
    except OSError:
        return (generation,)
    return (generation, stat.st_ino, stat.st_mtime_ns)


class SegmentData:
    """Arrays of one segment, built on first use; valid as long as the segment exists."""

    def __init__(self, reader):
        self.reader = reader
        self.size = reader.doc_count_all()
        self.segment_id = reader.segment().segment_id()
        self._columns: dict[str, np.ndarray] = {}
        self._lengths: dict[str, np.ndarray] = {}
        self._facets: dict[str, tuple[list[str], np.ndarray, np.ndarray]] = {}

    def postings(self, fieldname: str, btext: bytes):
        """Return (document numbers, weights) of a term in this segment, or None."""
        terms = self.reader._terms
        if (fieldname, btext) not in terms:
            return None
        info = terms.term_info(fieldname, btext)
        if info.is_inlined():
            ids, weights, _ = info.inlined_postings()
            return np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64)
        offset, length = info.extent()
        if isinstance(length, tuple):  # Whoosh 2.7.4's W3TermInfo.from_bytes leaves it unpacked
            length = length[0]
        return _decode_blocks(terms._postfile.get(offset, length))

    def numeric_column(self, fieldname: str, fieldobj) -> np.ndarray | None:
        """Return the field's column as unsigned integers, 0 where a document has no value."""
        if fieldname not in self._columns:
            self._columns[fieldname] = None
            if isinstance(fieldobj.column_type, NumericColumn):
                if self.reader.has_column(fieldname):
                    column = self.reader.column_reader(fieldname, translate=False)
                    self._columns[fieldname] = _numeric_array(column, self.size)
                else:  # no document of the segment has a value
                    self._columns[fieldname] = np.zeros(self.size, dtype=np.uint64)
        return self._columns[fieldname]

    def field_lengths(self, fieldname: str) -> np.ndarray:
        """Return each document's length in the field, as Whoosh's scorers see it."""
        if fieldname not in self._lengths:
            perdoc = self.reader._perdoc
            column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            codes = _numeric_array(column, self.size) if column is not None else np.zeros(self.size, dtype=np.uint64)
            self._lengths[fieldname] = LENGTH_OF_BYTE[codes.astype(np.uint8)]
        return self._lengths[fieldname]

    def spelling_words(self, fieldname: str) -> list[str]:
        """Return the words of a spelling field in this segment, sorted."""
        key = ("spelling", fieldname)
        if key not in self._columns:
            if fieldname in self.reader.indexed_field_names():
                self._columns[key] = [btext.decode("utf-8") for btext in self.reader.lexicon(fieldname)]
            else:
                self._columns[key] = []
        return self._columns[key]

    def facet_pairs(self, fieldname: str, fieldobj):
        """Return (values, documents, value positions): one pair per document and value."""
        if fieldname not in self._facets:
            values, docs, which = [], [], []
            for btext in self.reader.lexicon(fieldname):
                decoded = self.postings(fieldname, btext)
                if decoded is None:
                    continue
                which.append(np.full(len(decoded[0]), len(values), dtype=np.int32))
                docs.append(decoded[0])
                values.append(fieldobj.from_bytes(btext))
            self._facets[fieldname] = (
                values,
                np.concatenate(docs) if docs else np.zeros(0, dtype=np.int64),
                np.concatenate(which) if which else np.zeros(0, dtype=np.int32),
            )
        return self._facets[fieldname]


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


def _decode_blocks(data: bytes):
    """Decode a W3 posting list: blocks of pickled, delta-coded ids and weights."""
    stream = io.BytesIO(data)
    position, ids, weights = 4, [], []  # after the 4-byte header magic
    previous_last = 0
    while position < len(data):
        (length,) = _BLOCK_LENGTH.unpack_from(data, position)
        end = position + 4 + abs(length)
        stream.seek(position + 4)
        count, last_id, _, compression, _, _ = pickle.load(stream)
        block = data[stream.tell():end]
        deltas, block_weights, _ = pickle.loads(zlib.decompress(block) if compression else block)
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
        position = end
        if length < 0:
            break
    return np.cumsum(np.concatenate(ids)), np.concatenate(weights)


class Snapshot:
    """A searcher over one generation of the index, with global (whole-index) arrays."""

    def __init__(self, index, key, place, *, postings_cache_size: int):
        self.key = key
        self.index = index
        self.schema = index.schema
        self.searcher = index.searcher()
        readers = [(r, offset) for r, offset in self.searcher.reader().leaf_readers() if r.doc_count_all()]
        self.segments = []
        offsets = []
        for reader, offset in readers:
            data = _segments.get((place, reader.segment().segment_id()))
            if data is None:
                data = _segments[(place, reader.segment().segment_id())] = SegmentData(reader)
            else:
                data.reader = reader
            self.segments.append(data)
            offsets.append(offset)
        self.offsets = offsets
        self.size = sum(s.size for s in self.segments)
        self.live = np.ones(self.size, dtype=bool)
        self.has_deletions = False
        for (reader, offset), data in zip(readers, self.segments):
            if reader.has_deletions():
                deleted = np.fromiter(reader.segment().deleted_docs(), dtype=np.int64)
                self.live[deleted + offset] = False
                self.has_deletions = True
        self.live_docs = np.flatnonzero(self.live)
        self.postings_cache: OrderedDict = OrderedDict()
        self.postings_cached = 0
        self.postings_cache_size = postings_cache_size
        self.queries: OrderedDict = OrderedDict()  # the engine's evaluated queries, most recent last
        self._global: dict = {}
        self.suggestions: dict = {}  # (field, word) -> its spelling correction or None

    def close(self):
        self.searcher.close()

    def doc_count(self) -> int:
        return len(self.live_docs)

    def postings(self, fieldname: str, btext: bytes):
        """Return (sorted live document numbers, weights) of a term over the whole index."""
        key = (fieldname, btext)
        cached = self.postings_cache.get(key)
        if cached is not None:
            self.postings_cache.move_to_end(key)
            return cached
        docs, weights = [], []
        for data, offset in zip(self.segments, self.offsets):
            decoded = data.postings(fieldname, btext)
            if decoded is not None:
                docs.append(decoded[0] + offset)
                weights.append(decoded[1])
        if docs:
            docs, weights = np.concatenate(docs), np.concatenate(weights)
            if self.has_deletions:
                keep = self.live[docs]
                docs, weights = docs[keep], weights[keep]
        else:
            docs, weights = np.zeros(0, dtype=np.int64), np.zeros(0)
        result = (docs, weights)
        self.postings_cache[key] = result
        self.postings_cached += len(docs)
        while self.postings_cached > self.postings_cache_size and len(self.postings_cache) > 1:
            _, (old, _) = self.postings_cache.popitem(last=False)
            self.postings_cached -= len(old)
        return result

    def _whole(self, key, build):
        if key not in self._global:
            self._global[key] = build()
        return self._global[key]

    def field_lengths(self, fieldname: str) -> np.ndarray:
        return self._whole(("lengths", fieldname), lambda: np.concatenate(
            [s.field_lengths(fieldname) for s in self.segments]) if self.segments else np.zeros(0))

    def spelling_words(self, fieldname: str) -> list[str]:
        """Return the words of a spelling field over the whole index, sorted, each once."""
        return self._whole(("spelling", fieldname), lambda: sorted(
            set().union(*(s.spelling_words(fieldname) for s in self.segments))))

    def numeric_column(self, fieldname: str) -> np.ndarray | None:
        """Return the field's column over the whole index (0 = no value), or None."""
        def build():
            fieldobj = self.schema[fieldname]
            parts = [s.numeric_column(fieldname, fieldobj) for s in self.segments]
            if not parts or any(p is None for p in parts):
                return None
            return np.concatenate(parts)
        return self._whole(("column", fieldname), build)

    def date_rank(self, fieldname: str, reverse: bool) -> np.ndarray | None:
        """Return each document's position when sorted by the field; no value sorts last.

        Ties keep index order (newest first: the later document first).
        """
        def build():
            column = self.numeric_column(fieldname)
            if column is None:
                return None
            docs = np.arange(self.size)
            keys = column if not reverse else np.iinfo(np.uint64).max - column
            order = np.lexsort((-docs if reverse else docs, keys, column == 0))
            rank = np.empty(self.size, dtype=np.int64)
            rank[order] = docs
            return rank
        return self._whole(("rank", fieldname, reverse), build)

    def facet(self, fieldname: str):
        """Return (values, pair documents, pair value ids, has-a-value mask) over the whole index."""
        def build():
            fieldobj = self.schema[fieldname]
            ids: dict[str, int] = {}
            docs, which = [], []
            for data, offset in zip(self.segments, self.offsets):
                values, pair_docs, pair_which = data.facet_pairs(fieldname, fieldobj)
                to_global = np.array([ids.setdefault(v, len(ids)) for v in values], dtype=np.int32)
                docs.append(pair_docs + offset)
                which.append(to_global[pair_which] if len(values) else pair_which)
            pair_docs = np.concatenate(docs) if docs else np.zeros(0, dtype=np.int64)
            pair_which = np.concatenate(which) if which else np.zeros(0, dtype=np.int32)
            has_value = np.zeros(self.size, dtype=bool)
            has_value[pair_docs] = True
            return list(ids), pair_docs, pair_which, has_value
        return self._whole(("facet", fieldname), build)

    def datetime_bounds(self, fieldname: str, start, end):
        """Return a DATETIME range's bounds in the column's encoding (None: open)."""
        fieldobj = self.schema[fieldname]
        if not isinstance(fieldobj, DATETIME):
            return None

        def encode(value):
            # DATETIME columns hold the prepared number itself (DATETIME.to_column_value).
            if value is None:
                return None
            return value if isinstance(value, int) else datetime_to_long(value)
        return encode(start), encode(end)

