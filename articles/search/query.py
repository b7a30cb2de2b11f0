"""Turn what a user asked on the search page into a haystack SearchQuerySet, and run it."""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from haystack.inputs import Exact
from haystack.query import SearchQuerySet

from articles.search.facets import FACETS, FacetRow, facet_rows

log = logging.getLogger(__name__)

SORTS = {"relevance": None, "newest": "-published", "oldest": "published"}
PAGE_SIZE = 20
MAX_FILTER_VALUES = 20  # per facet; more is not a real request
WORD = re.compile(r"\w+")


@dataclass
class SearchRequest:
    """A search as the user asked it, already bounded and cleaned."""

    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)  # facet param -> values
    sort: str = "relevance"
    page: int = 1
    notices: list[str] = field(default_factory=list)

    @classmethod
    def from_querydict(cls, data) -> "SearchRequest":
        notices = []
        q = " ".join(data.get("q", "").split())
        limit = settings.NEWSARCHIVE_MAX_QUERY_LENGTH
        if len(q) > limit:
            q = q[:limit]
            notices.append(_("Votre recherche était trop longue : seuls ses %(n)d premiers caractères ont été utilisés.") % {"n": limit})
        filters = {}
        for facet in FACETS:
            values = [facet.normalise(v) for v in data.getlist(facet.param) if v.strip()]
            values = list(dict.fromkeys(v for v in values if len(v) <= 200))[:MAX_FILTER_VALUES]
            if values:
                filters[facet.param] = values
        sort = data.get("sort", "")
        if sort not in SORTS:
            sort = "relevance" if q else "newest"
        try:
            page = max(1, int(data.get("page", 1)))
        except (TypeError, ValueError):
            page = 1
        return cls(q=q, filters=filters, sort=sort, page=page, notices=notices)

    def params(self) -> dict[str, list[str]]:
        """Return the query-string parameters that describe this search (without the page)."""
        params = {"q": [self.q]} if self.q else {}
        params.update({k: list(v) for k, v in self.filters.items()})
        if self.sort != ("relevance" if self.q else "newest"):
            params["sort"] = [self.sort]
        return params


def build_queryset(request: SearchRequest, *, plain_words: bool = False) -> SearchQuerySet:
    """Return the SearchQuerySet for the request: words, facet filters, facets, sort, highlights."""
    sqs = SearchQuerySet()
    if request.q:
        text = " ".join(WORD.findall(request.q)) if plain_words else request.q
        sqs = sqs.auto_query(text) if text else sqs.none()
    else:
        sqs = sqs.all()
    for facet in FACETS:
        values = request.filters.get(facet.param, [])
        if not values:
            continue
        if facet.combine_all:
            for value in values:
                sqs = sqs.filter(**{f"{facet.field}_exact": Exact(value)})
        else:
            sqs = sqs.filter(**{f"{facet.field}_exact__in": values})
    for facet in FACETS:
        sqs = sqs.facet(facet.field, size=1000)
    if SORTS[request.sort]:
        sqs = sqs.order_by(SORTS[request.sort])
    return sqs.highlight() if request.q else sqs


@dataclass
class SearchPage:
    request: SearchRequest
    page: object  # a django Page of SearchResult
    total: int
    facets: list[tuple[object, list[FacetRow]]]
    notices: list[str]


def run_search(request: SearchRequest) -> SearchPage:
    """Run the search; a query the engine cannot take falls back to its plain words."""
    notices = list(request.notices)
    sqs = build_queryset(request)
    try:
        total = sqs.count()
    except Exception:  # the engine refused the query syntax: never a 500 for a user's words
        log.warning("search fell back to plain words for %r", request.q, exc_info=True)
        notices.append(_("La syntaxe de la recherche n’a pas été comprise : recherche des mots seuls."))
        sqs = build_queryset(request, plain_words=True)
        total = sqs.count()
    paginator = Paginator(sqs, PAGE_SIZE)
    page = paginator.get_page(request.page)
    counts = sqs.facet_counts().get("fields", {})
    params = request.params()
    facets = [
        (facet, facet_rows(facet, counts.get(f"{facet.field}_exact", counts.get(facet.field, [])), params, limit=10))
        for facet in FACETS
    ]
    return SearchPage(request=request, page=page, total=total, facets=facets, notices=notices)
