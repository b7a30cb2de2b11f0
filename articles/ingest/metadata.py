"""Describe a cleaned page: headline, publication date and its precision, language."""
from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from .clean import CleanPage
from .dates import FULL_DATE, MONTHS, WEEKDAY_DAY_MONTH, WEEKDAYS, parse_date, resolve_weekday_date
from .types import DAY, UNKNOWN, YEAR

PUBLISHED_FIRST = re.compile(r"publié|published|posted|date", re.IGNORECASE)
UPDATED = re.compile(r"mis\s+à\s+jour|modifié|actualisé|updated", re.IGNORECASE)


def extract_title(page: CleanPage) -> str:
    """Return the headline, or "" when the page starts straight with its text."""
    return page.title or page.html_meta.get("title", "")


def extract_date(page: CleanPage, *, imported_on: date | None = None) -> tuple[date | None, str]:
    """Return the publication date and its precision (day, month, year or unknown).

    In order: HTML metadata; date stamps and "Publié le" lines around the headline; a weekday with a
    day and month in the lead ("ce dimanche 20 mars"); last, the year of the latest full date in the
    page, since an article cannot show a dated photo or event from after its publication.
    Dates of events in the text are never taken for the publication date itself.
    """
    imported_on = imported_on or date.today()
    if page.html_meta.get("date"):
        value, precision = parse_date(page.html_meta["date"])
        if value:
            return value, precision
    for line in sorted(page.header, key=lambda line: (bool(UPDATED.match(line)), not PUBLISHED_FIRST.search(line))):
        value, precision = parse_date(line)
        if value and value <= imported_on:
            return value, precision
    lead = page.body.split("\n\n", 1)[0]
    value, precision = parse_date(lead)
    if value and precision == DAY and (match := FULL_DATE.search(lead)) and match.group("weekday"):
        return value, DAY
    if match := WEEKDAY_DAY_MONTH.search(lead):
        value = resolve_weekday_date(WEEKDAYS[match.group("weekday").lower()], int(match.group("day")),
                                     MONTHS[match.group("month").lower()], imported_on)
        if value:
            return value, DAY
    years = [int(m.group("year")) for text in [page.body, *page.captions] for m in FULL_DATE.finditer(text)]
    years = [year for year in years if year <= imported_on.year]
    if years:
        return date(max(years), 1, 1), YEAR
    return None, UNKNOWN


@lru_cache(maxsize=1)
def _stop_words() -> dict[str, frozenset[str]]:
    from importlib import import_module

    return {code: frozenset(import_module(f"spacy.lang.{code}.stop_words").STOP_WORDS)
            for code in ("fr", "en", "es", "de", "it", "pt", "nl")}


def detect_language(text: str) -> str:
    """Return the ISO 639-1 code of the language whose stop words are most used, or "" if unsure."""
    words = re.findall(r"[^\W\d_]+", text.lower())[:2000]
    if len(words) < 5:
        return ""
    scores = {code: sum(word in stops for word in words) / len(words) for code, stops in _stop_words().items()}
    best = max(scores, key=scores.get)
    return best if scores[best] >= 0.2 else ""
