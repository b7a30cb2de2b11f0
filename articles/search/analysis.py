"""French text analysis for the Whoosh index: elisions, stop words, stemming, accent folding."""
from functools import lru_cache

from whoosh.analysis import CharsetFilter, Filter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
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


@lru_cache(maxsize=1)
def french_analyzer():
    """Return the analyzer used for French text at index and query time."""
    stop_words = frozenset(stopwords_for_language("fr"))
    return (
        RegexTokenizer(WORD_PATTERN)
        | LowercaseFilter()
        | ElisionFilter()
        | StopFilter(stoplist=stop_words, minsize=1)
        | StemFilter(lang="fr")
        | CharsetFilter(accent_map)
    )
