"""What the searches of one request read from the engine, for a page kept across edits.

Engine-neutral: articles.page_cache turns recording on while it makes a page; an engine that
can tell which documents changed between two of its generations (the Whoosh engine's
`changes_between`) notes here, for each search, the query it ran and the primary keys of every
document that matched, and says when the page read something that any change may alter (the
index's vocabulary for "did you mean", "more like this", a search it answered another way).
An engine that notes nothing leaves the page depending on everything, as before.
"""
from __future__ import annotations

import contextvars
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

MAX_MATCHES = 10_000  # matches a search notes (4 bytes each, per page kept); past them a page depends on everything


@dataclass
class Reads:
    searches: dict = field(default_factory=dict)  # (query string, narrow queries) -> sorted primary keys matched
    whole_index: bool = False  # read something any change may alter
    words: set = field(default_factory=set)  # words "did you mean" found known

    def search(self, query_string: str, narrow, pks: np.ndarray | None) -> None:
        """Note a search and the primary keys of all it matched (None: not known)."""
        if pks is None or len(pks) > MAX_MATCHES:
            self.whole_index = True
            return
        self.searches[(query_string, frozenset(narrow))] = np.unique(pks).astype(np.int32)


    def word(self, word: str) -> None:
        """Note a word "did you mean" found known (not corrected)."""
        self.words.add(word)


_current: contextvars.ContextVar[Reads | None] = contextvars.ContextVar("search_reads", default=None)


def current() -> Reads | None:
    """Return the reads being recorded for this request, or None."""
    return _current.get()


def depends_on_whole_index() -> None:
    """Note that the request read something any change of the index may alter."""
    reads = _current.get()
    if reads is not None:
        reads.whole_index = True


@contextmanager
def recording():
    """Record the engine's reads made inside the block; yields the Reads."""
    reads = Reads()
    token = _current.set(reads)
    try:
        yield reads
    finally:
        _current.reset(token)
