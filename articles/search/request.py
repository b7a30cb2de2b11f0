"""What a user asked on the search page, bounded and cleaned: the words, filters, dates, sort and page.

Engine-neutral and free of the engine: articles.search.build turns it into a SearchQuerySet.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from articles.search import parser
from articles.search.facets import FACETS, FACETS_BY_PARAM

SORTS = {"relevance": None, "newest": "-published", "oldest": "published"}
MAX_FILTER_VALUES = 10  # per facet; more is not a real request (README, "Bounded work")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class SearchRequest:
    """A search as the user asked it, already bounded and cleaned."""

    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)  # facet param -> values
    date_from: str = ""  # "2022", "2022-03" or "2022-03-15"
    date_to: str = ""
    sort: str = "relevance"
    page: int = 1
    more: str = ""  # a facet whose values are all shown
    exact: bool = False  # words as written: no stemming, accents kept, no actor aliases
    confirmed_tags: bool = False  # the tag facet and filters count only tags a curator confirmed
    notices: list[str] = field(default_factory=list)

    @classmethod
    def from_querydict(cls, data) -> "SearchRequest":
        notices = []
        q = " ".join(_printable(data.get("q", "")).split())
        limit = settings.NEWSARCHIVE_MAX_QUERY_LENGTH
        if len(q) > limit:
            q = q[:limit]
            notices.append(_("Votre recherche était trop longue : seuls ses %(n)d premiers caractères ont été utilisés.") % {"n": limit})
        filters = {}
        for facet in FACETS:
            values = [facet.normalise(_printable(v)) for v in data.getlist(facet.param) if _printable(v).strip()]
            values = list(dict.fromkeys(v for v in values if len(v) <= 200))
            if len(values) > MAX_FILTER_VALUES:
                values = values[:MAX_FILTER_VALUES]
                notices.append(_("Seules les %(n)d premières valeurs du filtre « %(facet)s » sont prises en compte.") % {
                    "n": MAX_FILTER_VALUES, "facet": facet.title})
            if values:
                filters[facet.param] = values
        dates = {}
        for name in ("date_from", "date_to"):
            value = _printable(data.get(name, "")).strip()
            if value:
                try:
                    parser.parse_period_bound(value, end=name == "date_to")
                    dates[name] = value
                except parser.QuerySyntaxError:
                    notices.append(_("La date « %(value)s » n’a pas été comprise (exemples : 2022, 2022-03, 2022-03-15) ; elle est ignorée.") % {"value": value[:40]})
        sort = data.get("sort", "")
        if sort not in SORTS:
            sort = "relevance" if q else "newest"
        try:
            page = max(1, min(int(data.get("page", 1)), 10_000))
        except (TypeError, ValueError):
            page = 1
        more = data.get("more", "") if data.get("more", "") in FACETS_BY_PARAM else ""
        exact = data.get("exact", "") == "1"
        confirmed_tags = data.get("confirmed", "") == "1"
        return cls(q=q, filters=filters, sort=sort, page=page, more=more, exact=exact, confirmed_tags=confirmed_tags,
                   notices=notices, **dates)

    def params(self) -> dict[str, list[str]]:
        """Return the query-string parameters that describe this search (without page and more)."""
        params = {"q": [self.q]} if self.q else {}
        params.update({k: list(v) for k, v in self.filters.items()})
        for name in ("date_from", "date_to"):
            if getattr(self, name):
                params[name] = [getattr(self, name)]
        if self.sort != ("relevance" if self.q else "newest"):
            params["sort"] = [self.sort]
        if self.exact:
            params["exact"] = ["1"]
        if self.confirmed_tags:
            params["confirmed"] = ["1"]
        return params

    def without(self, param: str, value: str | None = None) -> "SearchRequest":
        """Return this request with one filter value (or a date bound) removed, on page 1."""
        filters = {k: [v for v in vs if not (k == param and v == value)] for k, vs in self.filters.items()}
        dates = {n: ("" if n == param else getattr(self, n)) for n in ("date_from", "date_to")}
        return SearchRequest(q=self.q, filters={k: v for k, v in filters.items() if v}, sort=self.sort, exact=self.exact,
                             confirmed_tags=self.confirmed_tags, **dates)

    def with_query(self, q: str) -> "SearchRequest":
        """Return this request with another query, on page 1."""
        dates = {n: getattr(self, n) for n in ("date_from", "date_to")}
        return SearchRequest(q=q, filters=self.filters, sort=self.sort, exact=self.exact, confirmed_tags=self.confirmed_tags, **dates)


def _printable(text: str) -> str:
    """Return text with control characters (NUL included, which PostgreSQL refuses) made spaces."""
    return CONTROL_CHARACTERS.sub(" ", text)
