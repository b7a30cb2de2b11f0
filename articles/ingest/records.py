"""Turn a JSON Lines record into ArticleData: the metadata it gives is taken as given."""
from __future__ import annotations

import re
from datetime import date

from articles.ingest.types import DAY, MONTH, UNKNOWN, YEAR, ActorMention, ArticleData, CountryMention

ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ].*)?$")


def parse_published(value: str | None) -> tuple[date | None, str]:
    """Return (date, precision) for "2022-03-20", "2022-03", "2022" or an ISO datetime."""
    if not value or not value.strip():
        return None, UNKNOWN
    match = ISO_DATE.match(value.strip())
    if not match:
        raise ValueError(f"'published' must look like 2022-03-20, 2022-03 or 2022, not {value!r}")
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        return date(year, month or 1, day or 1), DAY if day else MONTH if month else YEAR
    except ValueError:
        raise ValueError(f"'published' is not a real date: {value!r}") from None


def article_from_record(values: dict, *, raw: str, resolve_country) -> ArticleData:
    """Build ArticleData from a checked JSON Lines record; raise ValueError for bad values."""
    published_on, precision = parse_published(values.get("published"))
    countries = []
    for name in values.get("countries", []):
        code = resolve_country(name)
        if code is None:
            raise ValueError(f"unknown country {name!r}: use an ISO code such as 'FR' or a country name")
        countries.append(CountryMention(code=code, confidence=1.0))
    return ArticleData(
        body=values["body"].strip(),
        raw=raw,
        title=(values.get("title") or "").strip(),
        published_on=published_on,
        date_precision=precision,
        source=(values.get("source") or "").strip(),
        url=(values.get("url") or "").strip(),
        raw_format="json",
        tags=[t.strip() for t in values.get("tags", [])],
        actors=[ActorMention(name=n.strip(), confidence=1.0) for n in values.get("actors", [])],
        countries=countries,
    )
