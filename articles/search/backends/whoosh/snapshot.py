"""One generation of the Whoosh index, kept open across requests, with its data as numpy arrays.

Whoosh 2.7 reads segment files when a searcher opens, and haystack opens one per query; its
facet counting and date sorting are per-document Python loops. A Snapshot keeps one searcher
per index generation (taking over the previous generation's readers of the segments it still
has), and whole-index arrays made from each segment's (segments.py: facet pairs, date columns,
field lengths and term statistics, derived once per segment and memory-mapped; decoded postings
in a bounded cache by segment). A new generation (an edit) so reads only its new segment.
Evaluated queries (the engine's count-then-page pattern) and spelling answers belong to one
generation and go with it. Everything is read and changed under `lock` only.
"""
from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from math import log

import numpy as np
from haystack.constants import DJANGO_ID
from whoosh.fields import DATETIME, KEYWORD
from whoosh.index import TOC
from whoosh.reading import EmptyReader, MultiReader, SegmentReader
from whoosh.searching import Searcher
from whoosh.util.times import datetime_to_long

from articles.search.backends.whoosh import changes, derived
from articles.search.backends.whoosh.segments import SegmentData, postings_cache, term_key

# One lock for everything that reads index files: Whoosh's files seek and read.
lock = threading.RLock()
_snapshots: OrderedDict[str, "Snapshot"] = OrderedDict()
MAX_OPEN_INDEXES = 4  # indexes kept open per process (tests open one per test)
_segments: dict[tuple[str, str], SegmentData] = {}
KEPT_HITS = 2_000_000  # documents of evaluated terms and prefixes a generation keeps (16 bytes each)


def current(index, *, postings_cache_size: int = 8_000_000) -> "Snapshot":
    """Return the snapshot of the index's latest generation, opening it if the index changed.

    It keeps up to postings_cache_size decoded postings (about 12 bytes each).
    """
    storage = index.storage
    key = generation_key(storage, index.indexname)
    place = changes.place_of(storage)
    with lock:
        snapshot = _snapshots.get(place)
        if snapshot is not None and snapshot.key == key:
            _snapshots.move_to_end(place)
            snapshot.postings_cache_size = postings_cache_size
            return snapshot
        fresh = Snapshot(index.refresh(), key, place, postings_cache_size=postings_cache_size, previous=snapshot)
        _snapshots[place] = fresh
        _snapshots.move_to_end(place)
        while len(_snapshots) > MAX_OPEN_INDEXES:
            forget_place(next(iter(_snapshots)))
        live_segments = {(place, s.segment_id) for s in fresh.segments}
        for stale in [k for k in _segments if k[0] == place and k not in live_segments]:
            del _segments[stale]
        live_ids = {segment_id for _, segment_id in live_segments}
        if snapshot is None or {s.segment_id for s in snapshot.segments} - live_ids:  # a merge, or a new process
            derived.forget_other_segments(place, live_ids)
        if snapshot is not None:
            snapshot.close(keep=fresh.readers)
        return fresh


def forget_place(place: str) -> None:
    """Close the snapshot of the index at place and drop its segments' arrays."""
    with lock:
        snapshot = _snapshots.pop(place, None)
        if snapshot is not None:
            snapshot.close()
        for key in [k for k in _segments if k[0] == place]:
            del _segments[key]
        postings_cache.clear(place)


def clear_caches() -> None:
    """Forget evaluated queries and decoded posting lists (the benchmark does, to time every
    query as a fresh one)."""
    with lock:
        postings_cache.clear()
        for snapshot in _snapshots.values():
            snapshot.queries.clear()
            snapshot.hits.clear()
            snapshot._hits_size = 0


def generation_key(storage, indexname) -> tuple:
    # The generation number restarts when the index is deleted and rebuilt: the TOC file's
    # identity is added (changes.toc_key) so that a rebuilt index is never mistaken for the one we hold.
    generation = TOC._latest_generation(storage, indexname)
    return changes.toc_key(storage, indexname, generation) or (generation,)


def _number_values(ids: dict, mapped: dict, segments: list) -> None:
    """Give every facet value of the segments an id (into ids) and each segment the ids of its
    values (into mapped), sorting all values at once rather than one at a time."""
    arrays = [values for _, values in segments if len(values)]
    if not arrays:
        return
    unique, inverse = np.unique(np.concatenate(arrays), return_inverse=True)
    ids.update(zip(unique.tolist(), range(len(unique))))
    start = 0
    for segment_id, values in segments:
        mapped[segment_id] = inverse[start:start + len(values)].astype(np.int32)
        start += len(values)


def _searcher(index, previous: "Snapshot | None") -> Searcher:
    """Open a searcher on the index's latest generation, taking over the previous generation's
    readers of the segments it still has (their files never change; only deletions do, and they
    are the new segment object's). Whoosh's own reuse (Index.reader(reuse=...)) looks readers up by
    generation instead of segment id, so it never reuses one, and opening the twenty segments of a
    bulk build again after every edit costs more than the query."""
    toc = index._read_toc()
    old = {}
    if previous is not None:
        old = {r.segment().segment_id(): r for r, _ in previous.searcher.reader().leaf_readers()
               if isinstance(r, SegmentReader) and not r.is_closed}
    readers = []
    for segment in toc.segments:
        reader = old.get(segment.segment_id())
        if reader is None or reader.segment().doc_count_all() != segment.doc_count_all():
            reader = SegmentReader(index.storage, toc.schema, segment, generation=toc.generation)
        else:
            reader._segment = reader._perdoc._segment = segment  # deletions are read from the segment
            reader._gen = toc.generation
        readers.append(reader)
    if not readers:
        reader = EmptyReader(toc.schema)
    elif len(readers) == 1:
        reader = readers[0]
    else:
        reader = MultiReader(readers, generation=toc.generation)
    return Searcher(reader, fromindex=index)


class Snapshot:
    """A searcher over one generation of the index, with global (whole-index) arrays."""

    def __init__(self, index, key, place, *, postings_cache_size: int, previous: "Snapshot | None" = None):
        self.key = key
        self.place = place
        self.index = index
        self.schema = index.schema
        self.searcher = _searcher(index, previous)
        self.readers = {id(r) for r, _ in self.searcher.reader().leaf_readers()}
        readers = [(r, offset) for r, offset in self.searcher.reader().leaf_readers() if r.doc_count_all()]
        self.segments = []
        offsets = []
        for reader, offset in readers:
            data = _segments.get((place, reader.segment().segment_id()))
            if data is None:
                data = _segments[(place, reader.segment().segment_id())] = SegmentData(reader, place)
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
        self.postings_cache_size = postings_cache_size
        # Facet values get whole-index ids; a segment's mapping to them is kept from one
        # generation to the next (field -> (ids, segment id -> its values' ids)).
        self._facet_ids: dict = previous._facet_ids if previous is not None else {}
        # The segments this generation shares with the previous one, from the first: their part of
        # the previous whole-index facet arrays is the same, and is taken over (an edit adds a
        # segment at the end; merges replace the last small ones).
        self._shared_prefix, self._previous_facets, self._previous_spelling = 0, {}, {}
        if previous is not None:
            for mine, theirs, mine_at, theirs_at in zip(self.segments, previous.segments, self.offsets, previous.offsets):
                if mine is not theirs or mine_at != theirs_at:
                    break
                self._shared_prefix += 1
            self._previous_facets = {key: value for key, value in previous._global.items() if key[0] == "facet"}
            self._previous_spelling = {key[1]: (value, [s.segment_id for s in previous.segments])
                                       for key, value in previous._global.items() if key[0] == "spelling"}
        self.queries: OrderedDict = OrderedDict()  # the engine's evaluated queries, most recent last
        self._idf: dict = {}  # (field, term bytes) -> its idf, as the searcher's weighting gives it
        self._average_lengths: dict = {}
        # Terms and prefixes evaluated (query -> Hits), most recent last: the searches of one page
        # (its own, each "drop a filter") share their words; at most KEPT_HITS documents in all.
        self.hits: OrderedDict = OrderedDict()
        self._hits_size = 0
        self._global: dict = {}
        self.suggestions: dict = {}  # (field, word) -> its spelling correction or None
        # Query strings parsed by the engine, and the words of each that a snippet marks (prefixes
        # expanded to this generation's words): a page searches twice (its count, then its page).
        self.parsed: OrderedDict = OrderedDict()

    def close(self, keep=frozenset()):
        """Close the segment readers that the next generation did not take over (keep: their ids)."""
        for reader, _ in self.searcher.reader().leaf_readers():
            if id(reader) not in keep and not getattr(reader, "is_closed", False):
                reader.close()

    def doc_count(self) -> int:
        return len(self.live_docs)

    def postings(self, fieldname: str, btext: bytes):
        """Return (sorted live document numbers, weights) of a term over the whole index."""
        docs, weights = [], []
        for data, offset in zip(self.segments, self.offsets):
            found, found_weights = data.postings(fieldname, btext, cache_size=self.postings_cache_size)
            if len(found):
                docs.append(found + offset)
                weights.append(found_weights)
        if not docs:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        docs, weights = np.concatenate(docs), np.concatenate(weights)
        if self.has_deletions:
            keep = self.live[docs]
            docs, weights = docs[keep], weights[keep]
        return docs, weights

    def derive(self, text_field: str) -> None:
        """Derive (or map) every segment's arrays: facet pairs of keyword fields, date columns,
        field lengths, and the term statistics of the text field."""
        for data in self.segments:
            for name, field in self.schema.items():
                if isinstance(field, KEYWORD):
                    data.facet_pairs(name, field)
                elif isinstance(field, DATETIME):
                    data.numeric_column(name, field)
                if field.scorable:
                    data.field_lengths(name)
            if DJANGO_ID in self.schema:
                data.document_pks(DJANGO_ID)
            if text_field in self.schema:
                data.term_stats(text_field)
                spelling = self.schema[text_field].spelling_fieldname(text_field)
                if spelling in self.schema:
                    data.spelling_words(spelling)

    def _whole(self, key, build):
        if key not in self._global:
            self._global[key] = build()
        return self._global[key]

    def document_pks(self, docs: np.ndarray) -> np.ndarray:
        """Return the primary keys (haystack's django_id) of documents, by document number."""
        column = self._whole(("pks", DJANGO_ID), lambda: np.concatenate(
            [s.document_pks(DJANGO_ID) for s in self.segments]) if self.segments else np.zeros(0, dtype=np.int64))
        return column[docs]

    def field_lengths(self, fieldname: str) -> np.ndarray:
        return self._whole(("lengths", fieldname), lambda: np.concatenate(
            [s.field_lengths(fieldname) for s in self.segments]) if self.segments else np.zeros(0))

    def term_stats(self, fieldname: str, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return the collection frequency and document frequency of each term key (segments.term_key)
        over the whole index, deleted documents included, as Whoosh's readers count them."""
        frequency, documents = np.zeros(len(keys)), np.zeros(len(keys), dtype=np.int64)
        for data in self.segments:
            segment_keys, stats = data.term_stats(fieldname)
            if not len(segment_keys):
                continue
            at = np.minimum(np.searchsorted(segment_keys, keys), len(segment_keys) - 1)
            found = segment_keys[at] == keys
            frequency += np.where(found, stats[at, 0], 0.0)
            documents += np.where(found, stats[at, 1], 0).astype(np.int64)
        return frequency, documents

    def kept_hits(self, query, evaluate):
        """Return the Hits of a term or prefix query, evaluate() once per generation."""
        key = (type(query), query)
        found = self.hits.get(key)
        if found is not None:
            self.hits.move_to_end(key)
            return found
        found = self.hits[key] = evaluate()
        self._hits_size += len(found) + 1
        while self._hits_size > KEPT_HITS and len(self.hits) > 1:
            _, old = self.hits.popitem(last=False)
            self._hits_size -= len(old) + 1
        return found

    def doc_frequencies(self, fieldname: str, btexts) -> np.ndarray:
        """Return how many documents have each term, deleted ones included, as Whoosh's readers
        count them (reader.doc_frequency), from the segments' term statistics at once."""
        keys = np.array([term_key(btext) for btext in btexts], dtype=np.uint64)
        return self.term_stats(fieldname, keys)[1] if len(keys) else np.zeros(0, dtype=np.int64)

    def idf(self, fieldname: str, btexts: list[bytes]) -> list[float]:
        """Return each term's idf as the searcher's weighting gives it (WeightingModel.idf:
        log(documents / (doc_frequency + 1)) + 1), its doc frequencies read at once; kept for the
        generation, as Searcher.idf keeps them."""
        cache = self._idf
        missing = list(dict.fromkeys(b for b in btexts if (fieldname, b) not in cache))
        if missing:
            documents = self.searcher.doc_count_all()
            for btext, frequency in zip(missing, self.doc_frequencies(fieldname, missing).tolist()):
                cache[(fieldname, btext)] = log(documents / (frequency + 1)) + 1
        return [cache[(fieldname, b)] for b in btexts]

    def average_length(self, fieldname: str) -> float:
        """Return the field's average length, as the searcher gives it (a sum over the segments)."""
        if fieldname not in self._average_lengths:
            self._average_lengths[fieldname] = self.searcher.avg_field_length(fieldname)
        return self._average_lengths[fieldname]

    def spelling_words(self, fieldname: str) -> np.ndarray:
        """Return the words of a spelling field over the whole index: sorted UTF-8 bytes, each once.

        Written beside the index once per generation, under its first segment and a digest of
        all its segments, and mapped by every process; a generation that only adds segments
        to the previous one (an edit) merges the previous one's words with the new segments'.
        """
        key = ("spelling", fieldname)
        if key not in self._global:
            ids = [s.segment_id for s in self.segments]
            if not ids:
                self._global[key] = np.zeros(0, dtype="S1")
            elif len(ids) == 1:
                self._global[key] = self.segments[0].spelling_words(fieldname)
            else:
                digest = hashlib.sha1(" ".join(ids).encode()).hexdigest()[:16]
                name = f"spelling-all-{fieldname}-{digest}"
                self._global[key] = derived.segment_array(self.place, ids[0], name, lambda: self._merged_spelling(fieldname))
                derived.forget_others_named(self.place, ids[0], f"spelling-all-{fieldname}-", keep=name)
        return self._global[key]

    def _merged_spelling(self, fieldname: str) -> np.ndarray:
        previous, previous_ids = self._previous_spelling.get(fieldname, (None, ()))
        ids = {s.segment_id for s in self.segments}
        if previous is not None and set(previous_ids) <= ids:
            parts = [previous] + [s.spelling_words(fieldname) for s in self.segments if s.segment_id not in previous_ids]
        else:
            parts = [s.spelling_words(fieldname) for s in self.segments]
        parts = [p for p in parts if len(p)]
        return np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype="S1")

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
            ids, mapped = self._facet_ids.setdefault(fieldname, ({}, {}))
            live = {data.segment_id for data in self.segments}
            for gone in [segment for segment in mapped if segment not in live]:
                del mapped[gone]
            parts = [data.facet_pairs(fieldname, fieldobj) for data in self.segments]
            if not ids:  # a new process: number every segment's values at once
                _number_values(ids, mapped, [(data.segment_id, values) for data, (values, _, _) in zip(self.segments, parts)])
            docs, which = [], []
            has_value = np.zeros(self.size, dtype=bool)
            taken = self._previous_facets.pop(("facet", fieldname), None)
            start = self._shared_prefix if taken is not None else 0
            pairs = 0
            if start:
                pairs = sum(len(pair_docs) for _, pair_docs, _ in parts[:start])
                docs.append(taken[1][:pairs])
                which.append(taken[2][:pairs])
                prefix_docs = self.offsets[start] if start < len(self.offsets) else self.size
                has_value[:prefix_docs] = taken[3][:prefix_docs]
            for data, offset, (values, pair_docs, pair_which) in list(zip(self.segments, self.offsets, parts))[start:]:
                to_global = mapped.get(data.segment_id)
                if to_global is None:  # a segment new since the last generation
                    to_global = mapped[data.segment_id] = np.array(
                        [ids.setdefault(v, len(ids)) for v in values.tolist()], dtype=np.int32)
                docs.append(pair_docs.astype(np.int64) + offset)
                which.append(to_global[pair_which] if len(values) else np.asarray(pair_which))
            pair_docs = np.concatenate(docs) if docs else np.zeros(0, dtype=np.int64)
            pair_which = np.concatenate(which) if which else np.zeros(0, dtype=np.int32)
            has_value[pair_docs[pairs:]] = True
            return list(ids), pair_docs, pair_which, has_value
        return self._whole(("facet", fieldname), build)

    def facet_value_rank(self, fieldname: str) -> np.ndarray:
        """Return each facet value's position among the field's values in sorted order (by id)."""
        def build():
            values = self.facet(fieldname)[0]
            rank = np.empty(len(values), dtype=np.int64)
            if values:  # numpy orders str by code point, as Python does
                rank[np.argsort(np.array(values, dtype=str), kind="stable")] = np.arange(len(values))
            return rank
        return self._whole(("facet-rank", fieldname), build)

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

