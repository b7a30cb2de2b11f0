"""Find the article's own run of paragraphs inside a raw text page full of furniture.

A page scraped as text is a list of blocks (lines). Each block gets a score: a block of prose (a
sentence with enough words and stop words, as jusText measures it) counts for its length, a line of
furniture (menu item, button, teaser headline) costs a little, and the best-scoring contiguous run
of blocks is the core of the article (the maximum-subarray rule of Finn et al.'s "Body Text
Extraction"). Lists whose items are dated again and again (comment threads, "en continu", "les plus
lus") are found first by the density of their date stamps, and their prose counts for nothing, so a
long comment thread never outweighs a short article. The headline is then looked for just above the
core: the nearest headline-like line whose words the article uses, else the nearest one with only
article furniture (byline, date, credits, share buttons) between it and the text. Everything between
the headline and the core belongs to the article's head: its lead, byline and date stamp.

Why not jusText itself: its context rules were made for HTML paragraphs; on a page of one line per
block they promote whole menus to "good" (measured on the development pages: on one page 162 of
296 lines kept, on another none). Its length and stop-word signals are kept, the context rules
are replaced by the run search above.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache


PROSE_MIN_WORDS = 4
PROSE_MIN_STOP_DENSITY = 0.2
LONG_PROSE_CHARS = 150  # a block this long is prose even without a closing full stop
FURNITURE_COST = 40  # what one line of furniture costs, in characters of prose
ARTICLE_FURNITURE_COST = 5  # bylines, stamps, credits, captions, "Lire aussi": found inside articles
LIST_STAMPS, LIST_GAP = 3, 12  # three date stamps, each within 12 blocks of the next, make a dated list
HEADLINE_WINDOW = 40  # blocks looked at above the core for its headline
HEADLINE_MIN_OVERLAP = 2  # words of the headline the article uses (a headline shown twice needs one)
HEADLINE_DISTANCE_COST = 0.05  # per block between a headline candidate and the text
HEADLINE_MAX_OCCURRENCES = 2  # a headline shows once or twice (page, share box); a box title on every box
BOX_COST = 300  # a bare "À lire aussi" heading opens a box of other articles' teasers
ARTICLE_KINDS = {"meta", "credit", "caption", "related"}
SENTENCE_END = re.compile(r"(?:[.!?…]|[.!?…]\s*[»\"”)]|\.\s*\(\d+\))$")
STATEMENT_END = re.compile(r"(?:[.…]|[.!?…]\s*[»\"”)]|\.\s*\(\d+\))$")
INNER_SENTENCE_END = re.compile(r"[.!?…]\s+\S")
READER_ADDRESS_MAX_CHARS = 350
READER_WORDS = re.compile(r"\b(?:vous|votre|vos|you|your)\b", re.IGNORECASE)
IMPERATIVE_OPENING = re.compile(r"^(?:[\w’'-]+,?\s+){0,2}?[^\W\d_]{2,}ez\b(?!\s+(?:que|qu['’]))", re.IGNORECASE)
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """Return French and English stop words (spaCy's lists), lower-cased."""
    from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH
    from spacy.lang.fr.stop_words import STOP_WORDS as FRENCH

    return frozenset(word.replace("’", "'") for word in FRENCH | ENGLISH)


def _words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in WORD.findall(text)]


def stop_density(text: str) -> float:
    """Return the share of a text's words that are stop words."""
    words = [part for word in _words(text) for part in re.split(r"(?<=')", word) if part]
    return sum(word in stop_words() for word in words) / len(words) if words else 0.0


def addresses_reader(text: str) -> bool:
    """Tell whether a short block speaks to the reader ("Recevez notre lettre", "Votre adresse email").

    Forms, newsletter boxes, paywalls and calls to share address the reader; news reports do not,
    outside quotations.
    """
    text = text.strip()
    if len(text) > READER_ADDRESS_MAX_CHARS or text[:1] in "«\"“—-":
        return False
    return bool(READER_WORDS.search(text) or IMPERATIVE_OPENING.match(text))


def is_prose(text: str) -> bool:
    """Tell whether a block reads as running text: enough words, stop words, and a sentence's end.

    A lone question or exclamation is a headline more often than a paragraph ("Qui a gagné ?"): it
    counts as prose only after another sentence, or when long.
    """
    words = _words(text)
    text = text.rstrip()
    if len(words) < PROSE_MIN_WORDS or stop_density(text) < PROSE_MIN_STOP_DENSITY or addresses_reader(text):
        return False
    if len(text) >= LONG_PROSE_CHARS or STATEMENT_END.search(text):
        return True
    return bool(SENTENCE_END.search(text)) and bool(INNER_SENTENCE_END.search(text))


def stems(text: str) -> set[str]:
    """Return crude stems of a text's content words (folded, first six letters), for overlaps."""
    found = set()
    for word in _words(text):
        if len(word) < 4 or word in stop_words():
            continue
        folded = "".join(ch for ch in unicodedata.normalize("NFKD", word) if not unicodedata.combining(ch))
        found.add(folded[:6])
    return found


@dataclass
class Block:
    """One line of the page with what the run search needs to know of it."""

    index: int  # position in the page's lines
    text: str
    kind: str  # the line's kind from clean._classify: text, widget, related, meta, credit, caption ...
    prose: bool
    stamp: bool
    key: str  # the line reduced to letters and digits, to spot repeats
    occurrences: int  # how many times the same line appears in the page
    in_list: bool = False  # inside a list dated item by item (comments, teasers)

    @property
    def repeated(self) -> bool:
        return self.occurrences > 1


@dataclass
class Layout:
    """Where the article is: its headline (or None), the first block of its head, its last block."""

    headline: int | None
    start: int  # first block of the article's head (lead, byline), after the headline
    core_start: int
    end: int  # last block, inclusive


def mark_dated_lists(blocks: list[Block]) -> None:
    """Mark the blocks of lists whose items carry a date stamp each: comment threads, news tickers."""
    stamps = [i for i, block in enumerate(blocks) if block.stamp]
    groups, current = [], stamps[:1]
    for previous, i in zip(stamps, stamps[1:]):
        if i - previous <= LIST_GAP:
            current.append(i)
        else:
            groups.append(current)
            current = [i]
    if current:
        groups.append(current)
    for group in groups:
        if len(group) < LIST_STAMPS:
            continue
        spacing = max(1, (group[-1] - group[0]) // (len(group) - 1))
        first = group[0]
        while first > 0 and group[0] - first < spacing and not blocks[first - 1].prose:
            first -= 1  # the first item's name or title, above its stamp; never the text before the list
        for i in range(first, min(len(blocks), group[-1] + spacing + 1)):
            blocks[i].in_list = True


def score(block: Block) -> float:
    """Return what a block adds to a run: its length when it is prose, a cost when it is furniture."""
    if block.in_list:
        return -FURNITURE_COST
    if block.kind == "box":
        return -BOX_COST
    if block.kind in ARTICLE_KINDS or block.stamp:
        return -ARTICLE_FURNITURE_COST
    if block.prose and block.kind == "text" and not block.repeated:
        return float(len(block.text))
    return -FURNITURE_COST


def best_run(scores: list[float]) -> tuple[int, int] | None:
    """Return (first, last) of the contiguous run with the largest positive sum, or None."""
    best, best_span, total, start = 0.0, None, 0.0, 0
    for i, value in enumerate(scores):
        if total <= 0:
            total, start = 0.0, i
        total += value
        if total > best:
            best, best_span = total, (start, i)
    return best_span


def is_headline_like(block: Block) -> bool:
    from .clean import is_headline

    words = _words(block.text)
    return (block.kind == "text" and not block.stamp and not block.in_list and len(words) >= 2
            and len(block.text) >= 12 and is_headline(block.text) and block.text[:1].isalnum()
            and not block.text[:1].islower())


def find_headline(blocks: list[Block], core_start: int, end: int) -> int | None:
    """Return the block index of the article's headline above its core, or None.

    Headline-like lines above the core (or opening it) that the text is about (it uses two of
    their words, or one when the line is shown again in the article's own run) compete on the
    share of their words the text uses, on being shown again below (a share box, the picture's
    title), on nearness, and the nearest of them above the byline or date stamp wins a point:
    headline, byline, date, picture is the usual order, and captions and boxes sit below the
    byline. With no such line, the nearest headline-like line with only article furniture between
    it and the core.
    """
    after = stems(" ".join(block.text for block in blocks[core_start + 1:end + 1] if block.prose))
    core_stems = after | (stems(blocks[core_start].text) if blocks[core_start].prose else set())
    best, best_score, fallback, furniture_only = None, 0.0, None, True
    meta_seen = above_meta_taken = False
    for distance, i in enumerate(range(core_start, max(-1, core_start - 1 - HEADLINE_WINDOW), -1)):
        block = blocks[i]
        if block.in_list:
            break
        if is_headline_like(block) and block.occurrences <= HEADLINE_MAX_OCCURRENCES:
            words = stems(block.text)
            shared = len(words & (after if i == core_start else core_stems))
            shown_again = any(other.key == block.key for other in blocks[i + 1:end + 1])
            if words and shared + shown_again >= HEADLINE_MIN_OVERLAP:
                value = shared / len(words) + shown_again / 2 - HEADLINE_DISTANCE_COST * distance
                if meta_seen and not above_meta_taken:
                    value, above_meta_taken = value + 1, True
                if best is None or value > best_score:
                    best, best_score = i, value
            if fallback is None and furniture_only:
                fallback = i
        if i < core_start and not (block.kind in ARTICLE_KINDS or block.kind == "widget" or block.stamp
                                   or block.prose):
            furniture_only = False
        meta_seen |= i < core_start and (block.kind == "meta" or block.stamp)
    return best if best is not None else fallback


def locate(blocks: list[Block]) -> Layout | None:
    """Return where the article is among the page's blocks, or None when no block is prose."""
    mark_dated_lists(blocks)
    run = best_run([score(block) for block in blocks])
    if run is None:
        return None
    core_start, end = run
    headline = find_headline(blocks, core_start, end)
    start = core_start if headline is None else headline + 1
    return Layout(headline, start, max(core_start, start), end)
