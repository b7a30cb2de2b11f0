"""Dates as pages write them: "1er avril 2022", "2 nov. 2023", "27 Sep 2016", "02/11/23", "2022-03"."""
from __future__ import annotations

import re
from datetime import date

from .types import DAY, MONTH, UNKNOWN

MONTHS = {
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12,
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
}
# Abbreviations as French and English pages print them ("2 nov. 2023", "27 Sep 2016").
MONTH_ABBREVIATIONS = {
    "janv": 1, "jan": 1, "févr": 2, "fevr": 2, "fév": 2, "fev": 2, "feb": 2, "mar": 3, "avr": 4, "apr": 4,
    "juil": 7, "jul": 7, "jun": 6, "aug": 8, "sept": 9, "sep": 9, "oct": 10, "nov": 11, "déc": 12, "dec": 12,
}
WEEKDAYS = {"lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6,
            "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
_ALL_MONTHS = sorted({**MONTHS, **MONTH_ABBREVIATIONS}, key=len, reverse=True)
_MONTH = "(?P<month>" + "|".join(_ALL_MONTHS) + r")\.?"
_FULL_MONTH = "(?P<month>" + "|".join(MONTHS) + ")"
_WEEKDAY = "(?P<weekday>" + "|".join(WEEKDAYS) + ")"
FULL_DATE = re.compile(rf"\b(?:{_WEEKDAY},?\s+)?(?P<day>\d{{1,2}})(?:er|st|nd|rd|th)?\s+{_MONTH}\s+(?P<year>\d{{4}})\b",
                       re.IGNORECASE)
# Day first, as in French; a two-digit year only when the date stands alone ("02/11/23 à 16h33").
NUMERIC_DATE = re.compile(r"\b(?P<day>\d{1,2})(?P<sep>[/.])(?P<month>\d{1,2})(?P=sep)"
                          r"(?P<year>\d{4}|(?<=/)\d{2}(?![\d/.,]))\b")
ISO_DATE = re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})(?:-(?P<day>\d{2}))?\b")
MONTH_YEAR = re.compile(rf"\b{_FULL_MONTH}\s+(?P<year>\d{{4}})\b", re.IGNORECASE)
WEEKDAY_DAY_MONTH = re.compile(rf"\b{_WEEKDAY}\s+(?P<day>\d{{1,2}})(?:er)?\s+{_FULL_MONTH}\b(?!\s+\d{{4}})",
                               re.IGNORECASE)
DAY_MONTH = re.compile(rf"\b(?P<day>\d{{1,2}})(?:er)?\s+{_MONTH}(?!\s*\d)", re.IGNORECASE)
TIME = re.compile(r"\b\d{1,2}\s?(?:h|:)\s?\d{2}\b|\b\d{1,2}\s?h\b|@\s?\d{1,2}h\d{2}")
RELATIVE = re.compile(r"\b(?:il\s+y\s+a\s+\d+\s+(?:min(?:ute)?s?|heures?|h|jours?|semaines?|mois|ans?)"
                      r"|\d+\s+(?:minutes?|hours?|days?)\s+ago|hier|yesterday|aujourd['’]hui)\b", re.IGNORECASE)
SHORT_DAY_MONTH = re.compile(r"^\(?\s*\d{1,2}[/.]\d{1,2}\s*\)?$")  # "31/10" in a list of teasers
MAX_YEARS_BACK = 30


def make_date(year: int, month: int, day: int) -> date | None:
    """Return the date, or None when it does not exist."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def month_number(value: str) -> int:
    value = value.lower().rstrip(".")
    return int(value) if value.isdigit() else MONTHS.get(value) or MONTH_ABBREVIATIONS[value]


def _year(value: str) -> int:
    if len(value) == 2:  # "23" in "02/11/23": this century unless that is in the future
        year = 2000 + int(value)
        return year if year <= date.today().year + 1 else year - 100
    return int(value)


def parse_date(text: str) -> tuple[date | None, str]:
    """Return the first explicit date in a text with its precision: "1er avril 2022" -> day."""
    found = []
    for pattern in (FULL_DATE, NUMERIC_DATE, ISO_DATE):
        for match in pattern.finditer(text):
            day = match.group("day")
            value = make_date(_year(match.group("year")), month_number(match.group("month")), int(day or 1))
            if value:
                found.append((match.start(), value, DAY if day else MONTH))
    for match in MONTH_YEAR.finditer(text):
        if not any(start <= match.start() < start + 40 for start, _, _ in found):
            found.append((match.start(), date(int(match.group("year")), month_number(match.group("month")), 1), MONTH))
    if not found:
        return None, UNKNOWN
    _, value, precision = min(found, key=lambda item: item[0])
    return value, precision


def resolve_weekday_date(weekday: int, day: int, month: int, imported_on: date) -> date | None:
    """Return the latest date not after the import on which day/month fell on that weekday."""
    for year in range(imported_on.year, imported_on.year - MAX_YEARS_BACK, -1):
        candidate = make_date(year, month, day)
        if candidate and candidate <= imported_on and candidate.weekday() == weekday:
            return candidate
    return None


def is_stamp(line: str) -> bool:
    """Tell whether a line is a date or time stamp and little else: "(22 juin 2018 @11h13)", "17h17", "31/10".

    Such lines date the article near its headline; repeated down a page they date comments or teasers.
    """
    text = line.strip()
    if not text or len(text) > 70 or not any(ch.isdigit() for ch in text) and not RELATIVE.search(text):
        return False
    if SHORT_DAY_MONTH.match(text):
        return True
    spans = [m.span() for pattern in (FULL_DATE, NUMERIC_DATE, ISO_DATE, DAY_MONTH, MONTH_YEAR, TIME, RELATIVE)
             for m in pattern.finditer(text)]
    if not spans:
        return False
    covered = set()
    for start, end in spans:
        covered.update(range(start, end))
    letters = [i for i, ch in enumerate(text) if ch.isalnum()]
    return len(covered.intersection(letters)) >= 0.5 * len(letters) or (len(text) <= 40 and len(spans) >= 1
                                                                          and len(text.split()) <= 7)
