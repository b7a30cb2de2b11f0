"""Describe a cleaned page: headline, publication date and its precision, publisher, language."""
from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from .clean import BYLINE, CleanPage
from .types import DAY, MONTH, UNKNOWN, YEAR

MONTHS = {
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12,
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
}
WEEKDAYS = {"lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6,
            "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
_MONTH = "(?P<month>" + "|".join(MONTHS) + ")"
_WEEKDAY = "(?P<weekday>" + "|".join(WEEKDAYS) + ")"
FULL_DATE = re.compile(rf"\b(?:{_WEEKDAY},?\s+)?(?P<day>\d{{1,2}})(?:er|st|nd|rd|th)?\s+{_MONTH}\s+(?P<year>\d{{4}})\b",
                       re.IGNORECASE)
NUMERIC_DATE = re.compile(r"\b(?P<day>\d{1,2})[/.](?P<month>\d{1,2})[/.](?P<year>\d{4})\b")
ISO_DATE = re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})(?:-(?P<day>\d{2}))?\b")
MONTH_YEAR = re.compile(rf"\b{_MONTH}\s+(?P<year>\d{{4}})\b", re.IGNORECASE)
WEEKDAY_DAY_MONTH = re.compile(rf"\b{_WEEKDAY}\s+(?P<day>\d{{1,2}})(?:er)?\s+{_MONTH}\b(?!\s+\d{{4}})", re.IGNORECASE)
PUBLISHED_FIRST = re.compile(r"publié|published|posted|date", re.IGNORECASE)
MAX_YEARS_BACK = 30

AGENCIES = re.compile(r"^(?:l['’])?(AFP|Reuters|AP|Associated Press|ANSA|DPA|EFE|Belga|Xinhua|TASS|Kyodo|"
                      r"Agence France-Presse|RIA Novosti|Anadolu|Bloomberg|Sputnik|Interfax|UPI|ATS|Yonhap)$",
                      re.IGNORECASE)
OUTLET_WORDS = re.compile(r"\b(?:Times|Post|News|Journal|Presse|Press|Info|Infos|Média|Media|TV|Radio|Magazine|"
                          r"Monde|Courrier|Tribune|Gazette|Herald|Express|Observateur|Quotidien|Hebdo|Daily|Soir|"
                          r"Matin|Dépêche|Républicain|Libre|Actu|Mag)\b")
DETERMINER = re.compile(r"^(?:Le|La|Les|L['’]|The)\b")
SELF_DESCRIPTION = re.compile(
    r"(?:^|(?<=[.!?]\s))(?P<name>(?:(?:The|Le|La|Les)\s+|L['’])?[A-Z][\w&.'’-]*"
    r"(?:\s+(?:(?:du|de|des|la|le|et|of|the)\s+)?[A-Z0-9][\w&.'’-]*){0,4})\s+"
    r"(?:est|is)\s+(?:un|une|an?)\s+(?:[\w-]+\s+){0,3}?(?:média|media|journal|site|quotidien|hebdomadaire|"
    r"magazine|newspaper|outlet|publication|organe de presse|titre de presse)\b")
COPYRIGHT = re.compile(r"©\s*(?:\d{4}\s*)?(?P<name>[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,3})")


def extract_title(page: CleanPage) -> str:
    """Return the headline, or "" when the page starts straight with its text."""
    return page.title or page.html_meta.get("title", "")


def _make_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_number(value: str) -> int:
    return int(value) if value.isdigit() else MONTHS[value.lower()]


def parse_date(text: str) -> tuple[date | None, str]:
    """Return the first explicit date in a text with its precision: "1er avril 2022" -> day."""
    found = []
    for pattern in (FULL_DATE, NUMERIC_DATE, ISO_DATE):
        for match in pattern.finditer(text):
            day = match.group("day")
            value = _make_date(int(match.group("year")), _month_number(match.group("month")), int(day or 1))
            if value:
                found.append((match.start(), value, DAY if day else MONTH))
    for match in MONTH_YEAR.finditer(text):
        if not any(start <= match.start() < start + 40 for start, _, _ in found):
            found.append((match.start(), date(int(match.group("year")), _month_number(match.group("month")), 1), MONTH))
    if not found:
        return None, UNKNOWN
    _, value, precision = min(found, key=lambda item: item[0])
    return value, precision


def resolve_weekday_date(weekday: int, day: int, month: int, imported_on: date) -> date | None:
    """Return the latest date not after the import on which day/month fell on that weekday."""
    for year in range(imported_on.year, imported_on.year - MAX_YEARS_BACK, -1):
        candidate = _make_date(year, month, day)
        if candidate and candidate <= imported_on and candidate.weekday() == weekday:
            return candidate
    return None


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
    for line in sorted(page.header, key=lambda line: not PUBLISHED_FIRST.search(line)):
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


def _looks_like_person(name: str) -> bool:
    words = name.split()
    return (2 <= len(words) <= 4 and not DETERMINER.match(name) and not OUTLET_WORDS.search(name)
            and all(re.fullmatch(r"[A-ZÀ-Ý][a-zà-ÿ'’-]+\.?|[A-Z]\.", word) for word in words))


def _split_byline(who: str) -> tuple[str, str]:
    """Return (publisher, agency) from a byline: "Jeanne Martin, Le Courrier avec Reuters"."""
    main, agency = who.strip(" ()."), ""
    if match := re.search(r"[\s,(]+(?:avec|with)\s+(?P<agency>.+)$", main, re.IGNORECASE):
        main, agency = main[:match.start()], match.group("agency").strip(" ().")
    parts = [part.strip() for part in re.split(r",|\s+[-–—|]\s+", main) if part.strip()]
    publisher = ""
    if len(parts) >= 2 and parts[-1][:1].isupper():
        publisher = parts[-1]
    elif len(parts) == 1 and not _looks_like_person(parts[0]) and not AGENCIES.match(parts[0]):
        publisher = parts[0]
    if AGENCIES.match(publisher):
        publisher, agency = "", agency or publisher
    return publisher, (agency if AGENCIES.match(agency) else "")


def extract_source(page: CleanPage) -> tuple[str, str]:
    """Return (publisher, agency) from the byline, the site name, a self-description or a copyright.

    A medium only quoted in the text ("a déclaré à CNN") is never taken: only the page's own
    byline, metadata and closing notes are read.
    """
    publisher = agency = ""
    for line in page.header:
        if match := BYLINE.match(line):
            publisher, agency = _split_byline(match.group("who"))
            if publisher:
                break
        elif match := re.match(r"^\(?\s*(?:avec|with)\s+(?P<agency>[^().]+?)\s*\)?\.?$", line, re.I):
            if AGENCIES.match(match.group("agency")):
                agency = agency or AGENCIES.match(match.group("agency")).group(1)
    if not publisher:
        publisher = page.html_meta.get("sitename", "")
    for line in page.footer + page.removed:
        if publisher:
            break
        if match := SELF_DESCRIPTION.search(line) or COPYRIGHT.search(line):
            publisher = match.group("name").strip()
    return publisher, agency


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
