"""Spot near-duplicates: the same story republished, trimmed or lightly reworded.

An article's text becomes a MinHash signature of its word 3-grams; two signatures that agree on
at least SIMILARITY of their values come from texts sharing about that share of their 3-grams.
NearDuplicateIndex finds candidates among many signatures with locality-sensitive hashing.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Hashable, Sequence

NUM_PERM = 128
SEED = 1
SCHEME = "affine32"  # fixed, so that stored signatures stay comparable across datasketch versions
SHINGLE_WORDS = 3
SIMILARITY = 0.5  # estimated Jaccard similarity of the 3-grams from which two texts are one story


def shingles(text: str) -> set[bytes]:
    """Return the text's word 3-grams, case and accents' composition normalised."""
    words = re.findall(r"\w+", unicodedata.normalize("NFC", text).casefold())
    if len(words) < SHINGLE_WORDS:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i:i + SHINGLE_WORDS]).encode() for i in range(len(words) - SHINGLE_WORDS + 1)}


def signature(text: str) -> list[int]:
    """Return the MinHash signature of a text, as NUM_PERM integers below 2**32."""
    from datasketch import MinHash

    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, permutations=_permutations())
    minhash.update_batch(list(shingles(text)))
    return minhash.hashvalues.tolist()


@functools.cache
def _permutations():
    """Return the hash permutations of SEED, drawn once per process (datasketch draws them again
    for every MinHash: 0.7 ms, as long as the rest of a 400-word article's signature)."""
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations


def similarity(a: Sequence[int], b: Sequence[int]) -> float:
    """Return the estimated Jaccard similarity of the texts behind two signatures."""
    if len(a) != len(b) or not a:
        return 0.0
    return sum(x == y for x, y in zip(a, b)) / len(a)


class NearDuplicateIndex:
    """Signatures by key, queried for the keys whose texts are probably near-duplicates."""

    def __init__(self, threshold: float = SIMILARITY):
        from datasketch import MinHashLSH

        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._keys: set = set()

    def __len__(self) -> int:
        return len(self._keys)

    def _minhash(self, signature: Sequence[int]):
        from datasketch import MinHash

        return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, hashvalues=signature)

    def add(self, key: Hashable, signature: Sequence[int]) -> None:
        """Index the signature under key, in place of the one it had."""
        if len(signature) != NUM_PERM:
            return
        if key in self._keys:
            self._lsh.remove(key)
        self._lsh.insert(key, self._minhash(signature))
        self._keys.add(key)

    def candidates(self, signature: Sequence[int]) -> list:
        """Return the keys that share a band with the signature (verify them with similarity)."""
        if len(signature) != NUM_PERM or not self._keys:
            return []
        return list(self._lsh.query(self._minhash(signature)))
