"""Spelling suggestions ("did you mean") from the words of the index itself.

Haystack's Whoosh backend asks Whoosh's ReaderCorrector, which ranks the candidates by the
frequency of the *stemmed* field's term of the same spelling (0 for most words, so mostly
arbitrary) and not by their distance, and it corrects every word, even one the index knows.
Here a word is corrected only when the index does not know its stem; its candidates are the
words of the spelling field within two edits, ranked by distance, then by how many articles use
them. Whoosh's Levenshtein automaton walks each segment's word file with a seek per step
(0.6-0.9 s at 100,000 articles and 20 segments); it walks one sorted list of the index's
spelling words instead (a few ms): each segment's words are derived once, beside the index, as
a sorted array of UTF-8 bytes, and merged once per index generation into another array there;
every process maps them (before, each process read every segment's words: 1-4 s for its first
misspelt word at 100,000 articles). Answers are kept per index generation.
"""
from __future__ import annotations

import numpy as np
from whoosh.automata.fsa import find_all_matches
from whoosh.automata.lev import levenshtein_automaton

from articles.search.backends.whoosh.analysis import _forms

MAX_DISTANCE = 2
MIN_LENGTH = 4  # shorter words have too many neighbours within two edits to guess from


def correct(snapshot, fieldname: str, word: str) -> str | None:
    """Return the index's closest word to a word whose stem the index does not know, or None."""
    key = (fieldname, word)
    cache = snapshot.suggestions
    if key not in cache:
        cache[key] = _correct(snapshot, fieldname, word)
    return cache[key]


def unknown(snapshot, fieldname: str, word: str) -> bool:
    """Return whether a word is one `correct` looks for a correction of: long enough, made of
    letters, not a stop word, and its stem unknown to the index."""
    cut, stopped, stemmed, unstemmed = _forms(word.lower())
    if stopped or len(unstemmed) < MIN_LENGTH or not unstemmed.isalpha():
        return False
    return not snapshot.searcher.reader().doc_frequency(fieldname, stemmed)


def _correct(snapshot, fieldname: str, word: str) -> str | None:
    if not unknown(snapshot, fieldname, word):
        return None
    unstemmed = _forms(word.lower())[3]
    reader = snapshot.searcher.reader()
    fieldobj = snapshot.schema[fieldname]
    spellfield = fieldobj.spelling_fieldname(fieldname)
    dfa = levenshtein_automaton(unstemmed, MAX_DISTANCE, prefix=0).to_dfa()
    words = snapshot.spelling_words(spellfield)
    candidates = set(find_all_matches(dfa, _FirstAtLeast(words))) if len(words) else set()
    ranked = []
    for candidate in candidates:
        # A candidate whose stem the index does not know is itself a misspelling of another word.
        candidate_stem = _forms(candidate)[2]
        if candidate == unstemmed or not reader.doc_frequency(fieldname, candidate_stem):
            continue
        ranked.append((distance(unstemmed, candidate), -reader.frequency(spellfield, candidate), candidate))
    return min(ranked)[2] if ranked else None


class _FirstAtLeast:
    """Whoosh's ListCorrector.Skipper over the index's words as sorted fixed-width bytes: return
    the first word at or after w (str order is UTF-8 byte order), or None."""

    def __init__(self, words: np.ndarray):
        self.words = words

    def __call__(self, w: str) -> str | None:
        key = w.encode("utf-8")
        stripped = key.rstrip(b"\0")
        # numpy compares fixed-width bytes as if padded with NULs: "ab\0" is "ab" there, and the
        # first word at or after "ab\0" is the first after "ab" (no word holds a NUL).
        at = int(np.searchsorted(self.words, stripped, side="right" if stripped != key else "left"))
        return self.words[at].decode("utf-8") if at < len(self.words) else None


def distance(a: str, b: str) -> int:
    """Return the Damerau-Levenshtein distance (adjacent transpositions count one) of a and b."""
    previous2, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if previous2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, previous2[j - 2] + 1)
            current.append(cost)
        previous2, previous = previous, current
    return previous[-1]
