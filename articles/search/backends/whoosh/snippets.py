"""Snippets of an article around the searched words, HTML-escaped, words marked.

Whoosh's highlighter runs the whole article through the analyzer chain token by token (about
1.5 ms per article of 400 words). Here the text is split with the French analyzer's word
pattern and each distinct word is analysed once per process (a cache), so a page of twenty
snippets costs a few milliseconds. A word matches when its analysed form (by the field's own
analyzer, exactly as indexed: elision, stemming, accent folding) is one of the query's terms.
"""
from __future__ import annotations

import re
from html import escape

from articles.search.backends.whoosh.analysis import WORD_PATTERN

WORD = re.compile(WORD_PATTERN)
FRAGMENT_CHARS = 240  # longest fragment
CONTEXT_CHARS = 60  # text kept before the first and after the last marked word of a fragment
FRAGMENTS = 2
BETWEEN = " … "


def _analyse(analyzer, word: str) -> tuple[frozenset[str], int] | None:
    """Return a word's indexed terms and where it starts in the word ("l’Ukraine": 2), or None."""
    tokens = [(token.text, token.startchar) for token in analyzer(word, chars=True, mode="index")]
    return (frozenset(text for text, _ in tokens), tokens[0][1]) if tokens else None


WORDS_KEPT = 200_000  # analysed words kept per analyzer; the memo starts afresh past that
_memos: dict = {}  # analyzer -> {word: _analyse(analyzer, word)}; ours (FrenchAnalyzer) are hashable


def _memo(analyzer) -> dict:
    """Return the analysed words kept for this analyzer (a new, unkept memo if it is unhashable)."""
    try:
        memo = _memos.get(analyzer)
    except TypeError:  # Whoosh's own analyzers are not hashable: kept for this call only
        return {}
    if memo is None or len(memo) > WORDS_KEPT:
        memo = _memos[analyzer] = {}
    return memo


SNIPPETS_KEPT = 5_000  # snippets made, kept per process with their text; the memo starts afresh past that
_snippets: dict = {}  # (text hash, terms, tag, analyzer) -> (text, snippet)


def snippet(text: str, terms: frozenset[str], analyzer, tag: str = "mark") -> str:
    """Return up to two fragments of text around words whose term (by analyzer) is in terms, or ''.

    A snippet made is kept (SNIPPETS_KEPT): the same search asks again for the same articles'
    snippets after every change of the index, which empties the page cache, not the texts.
    """
    if not terms:
        return ""
    try:
        key = (hash(text), terms, tag, analyzer)
        hash(key)
    except TypeError:  # an analyzer that cannot be a key (Whoosh's own)
        return _snippet(text, terms, analyzer, tag)
    kept = _snippets.get(key)
    if kept is not None and kept[0] == text:
        return kept[1]
    if len(_snippets) >= SNIPPETS_KEPT:
        _snippets.clear()
    made = _snippet(text, terms, analyzer, tag)
    _snippets[key] = (text, made)
    return made


def _snippet(text: str, terms: frozenset[str], analyzer, tag: str) -> str:
    """Make snippet(): each distinct word of the text is looked up once (a dict of analysed words
    per analyzer), and the text is then scanned for the words that matched, their offset within
    the word kept."""
    memo = _memo(analyzer)
    marked = {}  # word as written -> where its term starts in it
    for word in set(WORD.findall(text)):
        found = memo.get(word)
        if found is None and word not in memo:
            found = memo[word] = _analyse(analyzer, word)
        if found is not None and not found[0].isdisjoint(terms):
            marked[word] = found[1]
    if not marked:
        return ""
    spans = [(match.start() + marked[match.group()], match.end()) for match in WORD.finditer(text) if match.group() in marked]
    fragments = []  # [first span start, last span end, number of spans]
    for start, end in spans:
        if fragments and end + CONTEXT_CHARS - (fragments[-1][0] - CONTEXT_CHARS) <= FRAGMENT_CHARS:
            fragments[-1][1] = end
            fragments[-1][2] += 1
        else:
            fragments.append([start, end, 1])
    best = sorted(sorted(fragments, key=lambda f: -f[2])[:FRAGMENTS])
    windows = []
    for start, end, _ in best:
        start, end = max(0, start - CONTEXT_CHARS), min(len(text), end + CONTEXT_CHARS)
        if windows and start <= windows[-1][1]:
            windows[-1][1] = end
        else:
            windows.append([start, end])
    # Widen to whole words: never cut a word in two at either end.
    for window in windows:
        while window[0] > 0 and not text[window[0] - 1].isspace():
            window[0] -= 1
        while window[1] < len(text) and not text[window[1]].isspace():
            window[1] += 1
    body = BETWEEN.join(
        _format(text, start, end, [span for span in spans if start <= span[0] and span[1] <= end], tag)
        for start, end in windows
    )
    # A fragment that does not start or end the text says so: "… the words … ".
    lead = "… " if text[:windows[0][0]].strip() else ""
    tail = " …" if text[windows[-1][1]:].strip() else ""
    return f"{lead}{body}{tail}"


def lead(text: str, length: int) -> str:
    """Return the start of text, about length characters cut after a whole word, with "…" if cut; escaped."""
    words = " ".join(text.split())
    if len(words) <= length:
        return escape(words, quote=False)
    cut = words[:length + 1].rsplit(" ", 1)[0] if " " in words[:length + 1] else words[:length]
    return escape(cut.rstrip(" ,;:"), quote=False) + " …"


def _format(text: str, start: int, end: int, marks, tag: str) -> str:
    out, position = [], start
    for mark_start, mark_end in marks:
        out.append(escape(text[position:mark_start], quote=False))
        out.append(f"<{tag}>{escape(text[mark_start:mark_end], quote=False)}</{tag}>")
        position = mark_end
    out.append(escape(text[position:end], quote=False))
    return " ".join("".join(out).split())
