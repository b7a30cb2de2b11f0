"""French text analysis for the Whoosh index: elisions, stop words, stemming, accent folding,
and the exact terms (words as written) of exact mode."""
import re
from functools import lru_cache
from itertools import islice
from pickle import dumps as _dumps

from whoosh.analysis import (
    CharsetFilter, Filter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter, Token, Tokenizer,
)
from whoosh.fields import TEXT
from whoosh.formats import Positions
from whoosh.lang import stopwords_for_language
from whoosh.support.charset import accent_map
from whoosh.system import pack_uint

# Elided articles and pronouns that stand before an apostrophe: l'Ukraine, d’assistance, qu'il.
ELISIONS = frozenset({"l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"})
# Marks the term of a word as written (lower-cased, accents kept, not stemmed), indexed at the
# same position as its stem for exact mode. A stem never starts with it.
EXACT_MARK = "="
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
    time, a word whose stem differs when typed without accents gets that stem too (plain_stem),
    and with exact_terms=True every word also gets its exact term (EXACT_MARK + the word as
    written, see exact_term), for a field that carries the terms of an exact-mode field.

    With exact=True it analyses a query of exact mode: each word gives its exact term only.

    Whoosh runs every token through six generators; at index time that is a fifth of the build.
    This gives the same tokens (text, positions renumbered around stop words, character
    offsets, stop words flagged when kept) from a cache of each lowercased word's forms.
    """

    is_morph = True  # it stems: Whoosh keeps a separate spelling field for unstemmed words

    exact = False  # what indexes built before exact mode unpickle
    exact_terms = True  # what indexes built before exact terms were asked for field by field unpickle

    def __init__(self, exact: bool = False, exact_terms: bool = False):
        self.exact = exact
        self.exact_terms = exact_terms and not exact

    def __eq__(self, other):
        return (other is not None and self.__class__ is other.__class__ and self.exact == getattr(other, "exact", False)
                and self.exact_terms == getattr(other, "exact_terms", True))

    def __hash__(self):
        return hash((self.__class__, self.exact, self.exact_terms))

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
            if self.exact and not stopped:
                token.text = exact_term(word.lower())
            else:
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
            if mode == "index" and not stopped and not no_morph and not self.exact:
                plain = plain_stem(word.lower())
                if plain is not None:  # a second term at the same position (see plain_stem)
                    token.text = plain
                    yield token
                if self.exact_terms:
                    token.text = exact_term(word.lower())
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


@lru_cache(maxsize=200_000)
def exact_term(lowered: str) -> str:
    """Return the exact-mode term of a word: "L’Élysée" gives "=élysée" (case ignored, accents kept).

    Every indexed word gets one, even when it equals its stem: "sanction" and "sanctions" share
    the stem "sanction", so only a term of its own tells the first from the second.
    """
    cut = _forms(lowered)[0]
    return EXACT_MARK + lowered[cut:].replace("’", "'")


# Each lowercased word's index forms, as _index_forms gives them, kept by the process for the next
# document that has the word: the first INDEX_FORMS_LIMIT words met (the frequent ones, mostly),
# never evicted. A bulk build's writer processes are forked for each batch and start from this
# table; each hands back the words it met (learned_forms, learn_forms: writing._BulkMpWriter), so
# a word is stemmed once per build, not once per batch and process (at 5,000 articles a writer
# process, a fifth of the analysis).
INDEX_FORMS_LIMIT = 200_000
_INDEX_FORMS: dict[str, tuple[tuple[str, ...], str]] = {}


def _index_forms(lowered: str) -> tuple[tuple[str, ...], str]:
    """Return the terms a word is indexed under (none for a stop word), its exact term last,
    and its spelling word."""
    forms = _INDEX_FORMS.get(lowered)
    if forms is None:
        cut, stopped, stemmed, unstemmed = _forms(lowered)
        if stopped:
            forms = (), ""
        else:
            plain = plain_stem(lowered)
            exact = exact_term(lowered)
            forms = ((stemmed, plain, exact) if plain is not None else (stemmed, exact)), unstemmed
        if len(_INDEX_FORMS) < INDEX_FORMS_LIMIT:
            _INDEX_FORMS[lowered] = forms
    return forms


def known_forms() -> int:
    """Return how many words' index forms this process keeps (a mark for learned_forms)."""
    return len(_INDEX_FORMS)


def learned_forms(since: int) -> dict[str, tuple[tuple[str, ...], str]]:
    """Return the words' index forms kept after the first `since` (the table keeps its order)."""
    return dict(islice(_INDEX_FORMS.items(), since, None))


def learn_forms(forms: dict[str, tuple[tuple[str, ...], str]]) -> None:
    """Keep index forms another process found (learned_forms), up to INDEX_FORMS_LIMIT words."""
    room = INDEX_FORMS_LIMIT - len(_INDEX_FORMS)
    for word, found in forms.items():
        if room <= 0:
            break
        if word not in _INDEX_FORMS:
            _INDEX_FORMS[word] = found
            room -= 1


def forget_forms() -> None:
    """Forget every kept word's forms (tests, measurements)."""
    _INDEX_FORMS.clear()


def index_terms(value: str, *, exact_terms: bool = True) -> tuple[dict[str, list[int]], list[str]]:
    """Return each term's positions in value, as FrenchAnalyzer indexes it, and its spelling words.

    The same terms and positions as the analyzer in index mode, without a Token per word.
    """
    positions: dict[str, list[int]] = {}
    spelling = set()
    pos = None
    known = _INDEX_FORMS.get
    for raw, match in enumerate(WORD.finditer(value)):
        lowered = match.group().lower()
        terms, word = known(lowered) or _index_forms(lowered)
        if not terms:
            continue
        if not exact_terms:
            terms = terms[:-1]
        # As the analyzer: the first kept word keeps its place, the next ones follow it.
        pos = raw if pos is None else pos + 1
        spelling.add(word)
        for term in terms:
            found = positions.get(term)
            if found is None:
                positions[term] = [pos]
            else:
                found.append(pos)
    return positions, sorted(spelling)


def spelling_words(value: str) -> list[str]:
    """Return the spelling words of value (its words unstemmed, without accents), sorted."""
    return sorted({word for word in (_index_forms(m.group().lower())[1] for m in WORD.finditer(value)) if word})


_ONE_POSITION: dict[int, bytes] = {}  # position -> the Positions value of a word found there only


class FrenchText(TEXT):
    """A TEXT field that indexes French text in one pass (index_terms) instead of Whoosh's Token
    per word; the bulk writer (writing.py) takes its terms and spelling words from that one pass
    (terms_and_spelling)."""

    def _fast(self, value) -> bool:
        return isinstance(value, str) and type(self.format) is Positions and type(self.analyzer) is FrenchAnalyzer

    def index(self, value, **kwargs):
        if not self._fast(value):
            yield from super().index(value, **kwargs)
            return
        yield from self._postings(index_terms(value, exact_terms=self.analyzer.exact_terms)[0])

    def terms_and_spelling(self, value):
        """Return (the postings index() yields, the spelling words), analysing value once."""
        if not self._fast(value):
            return list(self.index(value)), self.spellable_words(value)
        positions, spelling = index_terms(value, exact_terms=self.analyzer.exact_terms)
        return self._postings(positions), spelling

    def _postings(self, positions):
        boost = self.format.field_boost
        once = _ONE_POSITION
        for term, found in positions.items():
            if len(found) == 1:  # most words of an article: one encoding per position, kept
                position = found[0]
                value = once.get(position)
                if value is None:
                    value = once[position] = pack_uint(1) + _dumps(found, 2)
                yield term.encode("utf-8"), 1, boost, value
                continue
            deltas = [found[0]] + [b - a for a, b in zip(found, found[1:])]
            # Positions.encode, inlined.
            yield term.encode("utf-8"), len(found), len(found) * boost, pack_uint(len(deltas)) + _dumps(deltas, 2)

    def spellable_words(self, value):
        if self._fast(value):
            return spelling_words(value)
        return super().spellable_words(value)


ANALYSES = ("french", "french_exact")  # the names a haystack field's analyzer= may give


def named_analyzer(name: str, *, exact_terms: bool = False) -> FrenchAnalyzer:
    """Return the analyzer of an analysis named by a haystack field (analyzer="french").

    "french": elisions, stop words, stemming, accent folding (with exact_terms, the exact term
    of every word too); "french_exact": the words as written, for queries of exact mode.
    """
    if name == "french":
        return FrenchAnalyzer(exact_terms=exact_terms)
    if name == "french_exact":
        return FrenchAnalyzer(exact=True)
    raise ValueError(f"unknown analysis {name!r}: expected one of {', '.join(ANALYSES)}")


@lru_cache(maxsize=1)
def french_analyzer():
    """Return the analyzer of French text with exact terms, as the articles' text is indexed."""
    return FrenchAnalyzer(exact_terms=True)


@lru_cache(maxsize=1)
def french_exact_analyzer():
    """Return the analyzer of exact-mode queries: each word as written, not stemmed."""
    return FrenchAnalyzer(exact=True)
