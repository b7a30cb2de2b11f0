"""French text analysis for the Whoosh index: elisions, stop words, stemming, accent folding."""
import re
from functools import lru_cache

from whoosh.analysis import (
    CharsetFilter, Filter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter, Token, Tokenizer,
)
from whoosh.lang import stopwords_for_language
from whoosh.support.charset import accent_map

# Elided articles and pronouns that stand before an apostrophe: l'Ukraine, d’assistance, qu'il.
ELISIONS = frozenset({"l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"})
# Words with letters and digits; an apostrophe (' or ’) inside a word is kept so that
# ElisionFilter can split "l'ukraine" into its article and its word.
WORD_PATTERN = r"\w+(?:['’]\w+)*"


class ElisionFilter(Filter):
    """Drop the elided article in front of a word: "l’ukraine" becomes "ukraine"."""

    def __call__(self, tokens):
        for token in tokens:
            text = token.text
            for apostrophe in ("'", "’"):
                head, sep, tail = text.partition(apostrophe)
                if sep and head in ELISIONS and tail:
                    if token.chars:
                        token.startchar += len(head) + 1
                    text = tail
                    break
            token.text = text.replace("’", "'")
            yield token


def french_filter_chain():
    """Return the analysis as a chain of Whoosh's own filters: the reference FrenchAnalyzer follows."""
    stop_words = frozenset(stopwords_for_language("fr"))
    return (
        RegexTokenizer(WORD_PATTERN)
        | LowercaseFilter()
        | ElisionFilter()
        | StopFilter(stoplist=stop_words, minsize=1)
        | StemFilter(lang="fr")
        | CharsetFilter(accent_map)
    )


class FrenchAnalyzer(Tokenizer):
    """french_filter_chain() in one pass, each distinct word analysed once per process; at index
    time, a word whose stem differs when typed without accents gets that stem too (plain_stem).

    Whoosh runs every token through six generators; at index time that is a fifth of the build.
    This gives the same tokens (text, positions renumbered around stop words, character
    offsets, stop words flagged when kept) from a cache of each lowercased word's forms.
    """

    is_morph = True  # it stems: Whoosh keeps a separate spelling field for unstemmed words

    def __eq__(self, other):
        return other is not None and self.__class__ is other.__class__

    def __hash__(self):
        return hash(self.__class__)

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", no_morph=False, **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        matches = WORD.finditer(value) if tokenize else [_Whole(value)]
        renumbered = None
        for pos, match in enumerate(matches):
            word = match.group(0)
            cut, stopped, stemmed, unstemmed = _forms(word.lower())
            if stopped and removestops:
                continue
            token.text = unstemmed if (stopped or no_morph) else stemmed
            token.stopped = stopped
            token.boost = 1.0
            if keeporiginal:
                token.original = word
            if positions:
                token.pos = start_pos + pos
                if not stopped:  # StopFilter(renumber=True): kept words numbered without gaps
                    renumbered = token.pos if renumbered is None else renumbered + 1
                    token.pos = renumbered
            if chars:
                token.startchar = start_char + match.start() + cut
                token.endchar = start_char + match.end()
            yield token
            if mode == "index" and not stopped and not no_morph:
                plain = plain_stem(word.lower())
                if plain is not None:  # a second term at the same position (see plain_stem)
                    token.text = plain
                    yield token


class _Whole:
    """A match covering the whole value, for tokenize=False."""

    def __init__(self, value):
        self.value = value

    def group(self, _):
        return self.value

    def start(self):
        return 0

    def end(self):
        return len(self.value)


WORD = re.compile(WORD_PATTERN)
_STOP_WORDS = frozenset(stopwords_for_language("fr"))
_STEM = StemFilter(lang="fr", cachesize=None)._stem


@lru_cache(maxsize=200_000)
def _forms(lowered: str) -> tuple[int, bool, str, str]:
    """Return (characters cut by the elision, stop word?, stemmed form, unstemmed form)."""
    text, cut = lowered, 0
    for apostrophe in ("'", "’"):
        head, sep, tail = text.partition(apostrophe)
        if sep and head in ELISIONS and tail:
            cut, text = len(head) + 1, tail
            break
    text = text.replace("’", "'")
    stopped = not text or text in _STOP_WORDS
    unstemmed = text.translate(accent_map)
    return cut, stopped, unstemmed if stopped else _STEM(text).translate(accent_map), unstemmed


@lru_cache(maxsize=200_000)
def plain_stem(lowered: str) -> str | None:
    """Return the stem of the word typed without accents, when it differs from its indexed term.

    The stemmer reads accents: "céréalière" gives "céréali" (indexed "cereali") but a user
    typing "cerealiere" gets "cerealier". Indexing this second form at the same position lets
    a query without accents find the accented word; queries are analysed to one form only.
    """
    cut, stopped, stemmed, unstemmed = _forms(lowered)
    if stopped:
        return None
    plain = _STEM(unstemmed)
    return plain if plain != stemmed else None


@lru_cache(maxsize=1)
def french_analyzer():
    """Return the analyzer used for French text at index and query time."""
    return FrenchAnalyzer()
