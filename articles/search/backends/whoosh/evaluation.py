"""Evaluate a parsed Whoosh query with numpy: the matching documents and their BM25F scores.

Whoosh scores and collects one document at a time in Python. Here a term's posting list is
decoded into arrays once (articles.search.backends.whoosh.snapshot) and the query tree is evaluated on whole
arrays: AND intersects and adds scores, OR unites and adds the scores of the parts that match,
NOT subtracts, ranges and match-all read columns. Scores are Whoosh's own formulas (BM25F with
its defaults, constant scores for ranges, 1.0 for a NOT inside an AND), so the
order is Whoosh's. Query types without a vectorised form (phrases, fuzzy terms ...) are run by
Whoosh's own matcher over the shared searcher, and combined like the others.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from whoosh import query as wq
from whoosh.scoring import BM25F
from whoosh.util import make_binary_tree

from articles.search.backends.whoosh.snapshot import Snapshot

B, K1 = 0.75, 1.2  # Whoosh's BM25F defaults, the weighting haystack's searcher uses
MAX_EXPANSIONS = 200  # words one prefix or wildcard stands for, the most frequent ones


@dataclass
class Hits:
    docs: np.ndarray  # sorted, unique global document numbers (int64)
    scores: np.ndarray  # float64, aligned with docs

    def __len__(self):
        return len(self.docs)


def empty() -> Hits:
    return Hits(np.zeros(0, dtype=np.int64), np.zeros(0))


def evaluate(query, snapshot: Snapshot) -> Hits:
    """Return the live documents matching the query, with the scores Whoosh would give."""
    if query is None or query is wq.NullQuery:
        return empty()
    boost = getattr(query, "boost", 1.0)
    if isinstance(query, wq.Term):
        return snapshot.kept_hits(query, lambda: _term(query, snapshot))
    if isinstance(query, wq.And):
        _know_idfs(query.subqueries, snapshot)
        return _scaled(_and(query.subqueries, snapshot), boost)
    if isinstance(query, wq.Or) and not query.minmatch and not query.scale:
        if not any(isinstance(q, wq.Not) for q in query.subqueries):
            _know_idfs(query.subqueries, snapshot)
            return _scaled(_or([evaluate(q, snapshot) for q in query.subqueries]), boost)
    if isinstance(query, wq.Not):
        docs = np.setdiff1d(snapshot.live_docs, evaluate(query.query, snapshot).docs, assume_unique=True)
        return Hits(docs, np.ones(len(docs)))
    if isinstance(query, wq.Every):
        # Whoosh's Every(field) collects every document with a term in the field; every
        # article has text, so it is every live document.
        return Hits(snapshot.live_docs, np.full(len(snapshot.live_docs), boost))
    if isinstance(query, wq.NumericRange):
        hits = _range(query, snapshot)
        if hits is not None:
            return hits
    if isinstance(query, (wq.PatternQuery, wq.TermRange)):
        return snapshot.kept_hits(query, lambda: _expanded_terms(query, snapshot))
    if isinstance(query, wq.Phrase):
        hits = _phrase(query, snapshot)
        if hits is not None:
            return hits
    return _by_whoosh(query, snapshot)


def _know_idfs(subqueries, snapshot: Snapshot) -> None:
    """Look up at once the idf of the terms among subqueries that are not evaluated yet in this
    generation: each lookup walks every segment's term table (32 at 100,000 articles, 200 at a
    million), and the five terms of "more like this" cost five such walks, half its time."""
    wanted: dict[str, list[bytes]] = {}
    for q in subqueries:
        if isinstance(q, wq.Term) and q.fieldname in snapshot.schema and snapshot.schema[q.fieldname].scorable:
            wanted.setdefault(q.fieldname, []).append(_term_bytes(q, snapshot.schema[q.fieldname]))
    for fieldname, btexts in wanted.items():
        if len(btexts) > 1:
            snapshot.idf(fieldname, btexts)  # kept for the generation: _term finds them there


def _term_bytes(query: wq.Term, fieldobj) -> bytes:
    """The term as its field stores it."""
    return query.text if isinstance(query.text, bytes) else fieldobj.to_bytes(query.text)


def _scaled(hits: Hits, boost: float) -> Hits:
    return hits if boost == 1.0 else Hits(hits.docs, hits.scores * boost)


def _term(query: wq.Term, snapshot: Snapshot) -> Hits:
    fieldname = query.fieldname
    if fieldname not in snapshot.schema:
        return empty()
    fieldobj = snapshot.schema[fieldname]
    btext = _term_bytes(query, fieldobj)
    docs, weights = snapshot.postings(fieldname, btext)
    if not len(docs):
        return empty()
    if fieldobj.scorable and isinstance(snapshot.searcher.weighting, BM25F):
        # Searcher.idf and avg_field_length, from the snapshot's term statistics (Whoosh asks
        # every segment's term table, one hashed file read each).
        idf = snapshot.idf(fieldname, [btext])[0]
        average = snapshot.average_length(fieldname) or 1
        lengths = snapshot.field_lengths(fieldname)[docs]
        scores = idf * ((weights * (K1 + 1)) / (weights + K1 * ((1 - B) + B * lengths / average)))
    else:
        scores = weights.astype(np.float64)
    return Hits(docs, scores * query.boost if query.boost != 1.0 else scores)


def _and(subqueries, snapshot: Snapshot) -> Hits:
    positive = [q for q in subqueries if not isinstance(q, wq.Not)]
    negative = [q.query for q in subqueries if isinstance(q, wq.Not)]
    if not positive:
        return evaluate(wq.Not(wq.Or(negative)), snapshot)
    # Cheap filters first: a rare term or a small facet value narrows what the rest must match.
    parts = sorted((evaluate(q, snapshot) for q in positive), key=len)
    docs, scores = parts[0].docs, parts[0].scores.copy()
    for part in parts[1:]:
        if not len(docs):
            break
        docs, here, there = np.intersect1d(docs, part.docs, assume_unique=True, return_indices=True)
        scores = scores[here] + part.scores[there]
    for q in negative:
        if not len(docs):
            break
        keep = ~np.isin(docs, evaluate(q, snapshot).docs, assume_unique=True)
        # Whoosh's inverse matcher scores 1.0 where the excluded part does not match.
        docs, scores = docs[keep], scores[keep] + 1.0
    return Hits(docs, scores)


def _or(parts: list[Hits]) -> Hits:
    parts = [p for p in parts if len(p)]
    if not parts:
        return empty()
    if len(parts) == 1:
        return parts[0]
    docs = np.concatenate([p.docs for p in parts])
    united, position = np.unique(docs, return_inverse=True)
    scores = np.bincount(position, weights=np.concatenate([p.scores for p in parts]), minlength=len(united))
    return Hits(united, scores)


def _range(query: wq.NumericRange, snapshot: Snapshot) -> Hits | None:
    """Match a date range on the field's column; None when the field has no usable column."""
    if not query.constantscore:
        return None
    bounds = snapshot.datetime_bounds(query.fieldname, query.start, query.end)
    column = snapshot.numeric_column(query.fieldname) if bounds is not None else None
    if column is None:
        return None
    low, high = bounds
    match = column != 0
    if low is not None:
        match &= (column > low) if query.startexcl else (column >= low)
    if high is not None:
        match &= (column < high) if query.endexcl else (column <= high)
    docs = np.flatnonzero(match & snapshot.live)
    return Hits(docs, np.full(len(docs), query.boost))


def _expanded_terms(query, snapshot: Snapshot) -> Hits:
    """Match a prefix, wildcard or term range as Whoosh does: an OR of the terms it expands to.

    Whoosh 2.7 scores them with BM25F whatever `constantscore` says (Searcher.postings falls
    back to the searcher's weighting), and so do we. A short prefix can start thousands of
    words: only the MAX_EXPANSIONS most frequent are kept (as Elasticsearch's max_expansions
    does), which bounds the work of one query; the words left out are the rarest. Each segment
    keeps the terms it expands to (segments.SegmentData.expansion), so that a new generation
    expands them in its new segment only.
    """
    fieldname = query.fieldname
    if fieldname not in snapshot.schema:
        return empty()
    btexts = set()
    for segment in snapshot.segments:
        btexts.update(segment.expansion(query))
    btexts = sorted(btexts)
    if len(btexts) > MAX_EXPANSIONS:
        frequency = snapshot.doc_frequencies(fieldname, btexts)
        order = np.lexsort((np.arange(len(btexts)), -frequency))  # most documents first, then the term
        btexts = sorted(btexts[i] for i in order[:MAX_EXPANSIONS])
    return _scaled(_terms_or(fieldname, tuple(btexts), snapshot), query.boost)


def capped_expansions(query, snapshot: Snapshot) -> bool:
    """Return whether a prefix, wildcard or range of the query stands for more than MAX_EXPANSIONS
    words: which of them are kept depends on every article's words, not only on those it matches."""
    for leaf in query.leaves() if query.is_leaf() is False else [query]:
        if hasattr(leaf, "_btexts") and getattr(leaf, "fieldname", None) in snapshot.schema:
            words = set()
            for segment in snapshot.segments:
                words.update(segment.expansion(leaf))
                if len(words) > MAX_EXPANSIONS:
                    return True
    return False


def _terms_or(fieldname: str, btexts: tuple[bytes, ...], snapshot: Snapshot) -> Hits:
    """Return the OR of several terms of a field, scored as _term scores each and _or adds them:
    each segment's postings of them all at once, kept by the segment, and one scoring."""
    docs, weights, which = [], [], []
    for data, offset in zip(snapshot.segments, snapshot.offsets):
        found_docs, found_weights, found_which = data.expansion_postings(
            fieldname, btexts, cache_size=snapshot.postings_cache_size)
        if len(found_docs):
            docs.append(found_docs + offset)
            weights.append(found_weights)
            which.append(found_which)
    if not docs:
        return empty()
    # Segment after segment, each term after term: a document's scores are added in the order
    # of the terms, as _or adds the terms' Hits.
    docs, weights, which = np.concatenate(docs), np.concatenate(weights), np.concatenate(which)
    if snapshot.has_deletions:
        keep = snapshot.live[docs]
        docs, weights, which = docs[keep], weights[keep], which[keep]
    if not len(docs):
        return empty()
    fieldobj = snapshot.schema[fieldname]
    if fieldobj.scorable and isinstance(snapshot.searcher.weighting, BM25F):
        idf = np.array(snapshot.idf(fieldname, list(btexts)))[which]
        average = snapshot.average_length(fieldname) or 1
        lengths = snapshot.field_lengths(fieldname)[docs]
        scores = idf * ((weights * (K1 + 1)) / (weights + K1 * ((1 - B) + B * lengths / average)))
    else:
        scores = weights.astype(np.float64)
    united, position = np.unique(docs, return_inverse=True)
    return Hits(united, np.bincount(position, weights=scores, minlength=len(united)))


def existing_terms(query, snapshot: Snapshot, fieldname: str) -> frozenset[str]:
    """Return the words of the field the query's leaves search that the index has, prefixes and
    wildcards expanded to every word they start: the field's part of Whoosh's
    query.existing_terms(reader, expand=True), from each segment's kept expansions and the
    term statistics (Whoosh walks and hashes every segment's term table for each leaf)."""
    fieldobj = snapshot.schema[fieldname] if fieldname in snapshot.schema else None
    found, wanted = set(), []
    if fieldobj is None:
        return frozenset()
    for leaf in query.leaves():
        if isinstance(leaf, wq.MultiTerm):
            if leaf.field() == fieldname:  # its expansions are the index's terms
                for segment in snapshot.segments:
                    found.update(segment.expansion(leaf))
            continue
        for name, text in leaf.expanded_terms(snapshot.searcher.reader(), phrases=True):
            if name != fieldname:
                continue
            try:
                wanted.append(fieldobj.to_bytes(text))
            except ValueError:
                continue
    wanted = [btext for btext in dict.fromkeys(wanted) if btext not in found]
    if wanted:
        found.update(btext for btext, documents in zip(wanted, snapshot.doc_frequencies(fieldname, wanted).tolist()) if documents)
    return frozenset(btext.decode("utf-8") for btext in found)


def _phrase(query: wq.Phrase, snapshot: Snapshot) -> Hits | None:
    """A phrase as Whoosh's Phrase matcher finds and scores it: the documents holding all its
    words where they stand in order (segments.phrase_docs), the words' scores added, times the
    phrase's boost.
    None: not a phrase of positions (Whoosh's own code then answers, or raises)."""
    fieldname = query.fieldname
    if fieldname not in snapshot.schema:
        return empty()
    fieldobj = snapshot.schema[fieldname]
    if len(query.words) < 2 or not fieldobj.format or not fieldobj.format.supports("positions"):
        return None
    try:
        btexts = tuple(fieldobj.to_bytes(word) for word in query.words)
    except ValueError:
        return empty()
    terms = [wq.Term(fieldname, word) for word in query.words]
    _know_idfs(terms, snapshot)
    words = [evaluate(term, snapshot) for term in terms]
    docs = words[0].docs
    for word in words[1:]:
        docs = np.intersect1d(docs, word.docs, assume_unique=True)
    if not len(docs):
        return empty()
    keep = np.zeros(len(docs), dtype=bool)
    for data, offset in zip(snapshot.segments, snapshot.offsets):
        lo, hi = np.searchsorted(docs, [offset, offset + data.size])
        if hi > lo:
            found = data.phrase_docs(fieldname, btexts, query.slop, fieldobj.format, cache_size=snapshot.postings_cache_size)
            keep[lo:hi] = np.isin(docs[lo:hi] - offset, found, assume_unique=True)
    docs = docs[keep]
    # The words' scores added as Whoosh's phrase matcher adds them (a binary tree of
    # intersections in the phrase's order), not in the AND's order of sizes: the same bits.
    scores = make_binary_tree(lambda a, b: a + b, [w.scores[np.searchsorted(w.docs, docs)] for w in words])
    return _scaled(Hits(docs, scores), query.boost)


def _by_whoosh(query, snapshot: Snapshot) -> Hits:
    """Run a query with Whoosh's own matcher, for its matching documents and scores."""
    results = snapshot.searcher.search(query, limit=None, terms=False)
    pairs = sorted((docnum, score) for score, docnum in results.top_n)
    if not pairs:
        return empty()
    docs, scores = zip(*pairs)
    return Hits(np.array(docs, dtype=np.int64), np.array(scores, dtype=np.float64))


class EvaluatedQuery:
    """A query's matching documents with their scores; ordered and counted on demand."""

    def __init__(self, hits: Hits, sort):
        self.hits = hits
        self.sort = sort
        self.size = len(hits)
        self._order = None  # every result's position, once a page needed most of them
        self._facets: dict[str, list] = {}

    def page(self, snap, start: int, stop: int) -> list[tuple[int, float]]:
        """Return (document, score) pairs from start to stop in result order."""
        docs, scores = self.hits.docs, self.hits.scores
        if self.sort is None:
            # Highest score first; equal scores in index order, as Whoosh's collector does.
            if self._order is not None:
                order = self._order
            elif stop < len(docs):
                threshold = -np.partition(-scores, stop - 1)[stop - 1]
                candidates = np.flatnonzero(scores >= threshold)
                order = candidates[np.lexsort((docs[candidates], -scores[candidates]))]
                if len(candidates) > 10_000:  # many ties (match-all): keep the order for later pages
                    self._order = order = np.lexsort((docs, -scores))
            else:
                order = self._order = np.lexsort((docs, -scores))
            return [(int(docs[i]), float(scores[i])) for i in order[start:stop]]
        fieldname, reverse = self.sort
        ranks = snap.date_rank(fieldname, reverse)[docs]
        if stop < len(docs):
            first = np.argpartition(ranks, stop - 1)[:stop]
            order = first[np.argsort(ranks[first])]
        else:
            order = np.argsort(ranks)
        return [(int(docs[i]), 0.0) for i in order[start:stop]]

    def facet_lists(self, snap, facets) -> dict[str, list]:
        """Return each facet's (value, count) list as haystack builds it from Whoosh's groups."""
        missing = [name for name in facets if name not in self._facets]
        if missing:
            matching = np.zeros(snap.size, dtype=bool)
            matching[self.hits.docs] = True
        for name in missing:
            self._facets[name] = _facet_list(snap, name, matching, self.hits.docs) if name in snap.schema else []
        return {name: self._facets[name] for name in facets}


def _facet_list(snap, fieldname, matching, docs) -> list:
    if not len(docs):
        return []
    values, pair_docs, pair_values, has_value = snap.facet(fieldname)
    counts = np.bincount(pair_values[matching[pair_docs]], minlength=len(values))
    # Most documents first, then the values in order (Whoosh's and haystack's), sorted in numpy:
    # a list of 3,000 actors sorted in Python cost a page 5-8 ms.
    present = np.flatnonzero(counts)
    order = present[np.lexsort((snap.facet_value_rank(fieldname)[present], -counts[present]))]
    found = list(zip([values[i] for i in order.tolist()], counts[order].tolist()))
    # Whoosh counts the documents without a value under None; haystack puts that entry
    # before the first smaller count.
    without = len(docs) - int(np.count_nonzero(has_value[docs]))
    if without:
        position = next((i for i, (_, count) in enumerate(found) if count < without), len(found))
        found.insert(position, (None, without))
    return found
