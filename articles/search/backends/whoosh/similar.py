"""More like this on arrays: Whoosh's key terms of an article, searched as every query is.

Whoosh's Searcher.more_like takes the article's stored text, analyses it, looks up each of its
few hundred terms' collection frequency in every segment's term table (one hashed file read per
term and segment), keeps the five best by the Bo1 model (frequent in the article, rare in the
archive) and runs their OR through its per-document matcher: seconds at 100,000 articles. Here
the terms come from the same analysis, their frequencies from each segment's term statistics
(derived once per segment and memory-mapped: derived.py), the Bo1 scores are computed on arrays,
and the OR of the five terms, boosted as Whoosh boosts them, is evaluated like any search
(evaluation.evaluate), so the scores and the order are Whoosh's.

Work is bounded: at most MAX_TEXT_CHARS of the text are analysed, and the search is of five terms
(their posting lists are cached with every query's: snapshot.Snapshot.postings).
"""
from __future__ import annotations

import bisect
import threading
from collections import Counter, OrderedDict

import numpy as np
from whoosh import query as wq

from articles.search.backends.whoosh.evaluation import Hits, evaluate
from articles.search.backends.whoosh.segments import term_key

NUMBER_OF_TERMS = 5  # as Whoosh's more_like
MAX_TEXT_CHARS = 20_000  # the start of a longer article stands for it


def segment_term_stats(reader, fieldname: str) -> tuple[np.ndarray, np.ndarray]:
    """Return the field's terms in one segment: their keys, sorted, and for each its collection
    frequency and number of documents (float64, two columns)."""
    keys, stats = [], []
    for (name, btext), info in reader._terms.items_from(fieldname, b""):
        if name != fieldname:
            break
        keys.append(term_key(btext))
        stats.append((info.weight(), info.doc_frequency()))
    keys = np.array(keys, dtype=np.uint64)
    order = np.argsort(keys, kind="stable")
    return keys[order], np.array(stats, dtype=np.float64).reshape(-1, 2)[order]


_analysed: OrderedDict = OrderedDict()  # (index place, segment, document, field) -> its terms, keys, weights
_analysed_lock = threading.Lock()
ANALYSED_KEPT = 4000  # articles whose analysis is kept (a few KB each)


def _terms_of(snap, docnum: int, fieldname: str):
    """Return (terms, their keys, their weights) of a document's field, analysed once per process:
    a segment never changes, so neither does the analysis of one of its documents (an article page
    checked again after an edit of another article asks for it again)."""
    at = bisect.bisect_right(snap.offsets, docnum) - 1
    key = (snap.place, snap.segments[at].segment_id, docnum - snap.offsets[at], fieldname)
    with _analysed_lock:
        found = _analysed.get(key)
        if found is not None:
            _analysed.move_to_end(key)
            return found
    field = snap.schema[fieldname]
    text = snap.searcher.stored_fields(docnum).get(fieldname) or ""
    weights: Counter = Counter()
    for btext, _, weight, _ in field.index(text[:MAX_TEXT_CHARS]):
        weights[btext] += weight
    btexts = list(weights)
    found = (btexts, np.array([term_key(b) for b in btexts], dtype=np.uint64),
             np.array([weights[b] for b in btexts], dtype=np.float64))
    with _analysed_lock:
        _analysed[key] = found
        while len(_analysed) > ANALYSED_KEPT:
            _analysed.popitem(last=False)
    return found


def key_terms(snap, docnum: int, fieldname: str, number: int = NUMBER_OF_TERMS) -> list[tuple[str, float]]:
    """Return the article's `number` key terms with their weights (the best has 1.0), as
    Whoosh's Searcher.key_terms with the Bo1 model and normalize=False ranks them."""
    field = snap.schema[fieldname]
    btexts, keys, weights = _terms_of(snap, docnum, fieldname)
    if not btexts:
        return []
    frequency, _ = snap.term_stats(fieldname, keys)
    doc_count = snap.searcher.doc_count_all()
    usable = frequency > 0
    if not usable.any():
        return []
    in_article = weights[usable]
    share = frequency[usable] / doc_count
    scores = in_article * np.log2((1.0 + share) / share) + np.log2(1.0 + share)
    words = [field.from_bytes(b) for b, keep in zip(btexts, usable) if keep]
    best = sorted(zip(scores.tolist(), words), key=lambda item: (-item[0], item[1]))[:number]
    top = best[0][0]
    return [(word, score / top) for score, word in best]


def more_like(snap, docnum: int, fieldname: str, allowed=None) -> Hits:
    """Return the articles like the given one (itself left out), scored as Whoosh scores them."""
    terms = key_terms(snap, docnum, fieldname)
    if not terms:
        return Hits(np.zeros(0, dtype=np.int64), np.zeros(0))
    hits = evaluate(wq.Or([wq.Term(fieldname, word, boost=weight) for word, weight in terms]), snap)
    keep = hits.docs != docnum
    if allowed is not None:
        keep &= np.isin(hits.docs, allowed, assume_unique=True)
    return Hits(hits.docs[keep], hits.scores[keep])
