"""Run a search and assemble what its page shows: results, facet rows, suggestions, notices."""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, replace

from django.core.paginator import Paginator
from django.db import Error as DatabaseError
from django.utils.translation import gettext as _
from haystack.query import SearchQuerySet

from articles.search import hits
from articles.search.build import searchable_queryset
from articles.search.facets import FACETS, FacetRow, encode_params, facet_rows
from articles.search.request import SearchRequest

log = logging.getLogger(__name__)

PAGE_SIZE = 20
FACET_LIMIT = 10  # values shown per facet before "more"


@dataclass
class DropSuggestion:
    label: str
    count: int
    url: str


@dataclass
class SearchPage:
    request: SearchRequest
    page: object  # a django Page of SearchResult
    total: int
    facets: list[tuple[object, list[FacetRow]]]
    notices: list[str]
    drop_suggestions: list[DropSuggestion] = field(default_factory=list)
    suggestion: str = ""  # "did you mean": a corrected query that finds more articles
    suggestion_url: str = ""  # its query string: "?q=..."
    exact_toggle_url: str = ""  # the same search with exact mode switched on or off
    confirmed_toggle_url: str = ""  # the same search counting confirmed tags only, or proposed ones too



def _count(request: SearchRequest) -> int:
    return searchable_queryset(request)[1]


def run_search(request: SearchRequest) -> SearchPage:
    """Run the search; a query that is not valid syntax falls back to its plain words."""
    notices = list(request.notices)
    sqs, total = searchable_queryset(request, notices)
    page = Paginator(sqs, PAGE_SIZE).get_page(request.page)
    counts = hits.facet_counts(sqs)
    params = request.params()
    facets = []
    for facet in FACETS:
        # Months are shown inside one chosen year.
        if facet.param == "month" and len(request.filters.get("year", [])) != 1 and "month" not in request.filters:
            continue
        rows = facet_rows(
            facet, counts.get(facet.field_for(confirmed_tags=request.confirmed_tags), []), params,
            limit=None if request.more == facet.param else FACET_LIMIT,
        )
        facets.append((facet, rows))
    suggestions = drop_suggestions(request, params) if total == 0 else []
    suggestion = spelling_suggestion(request, sqs, total)
    return SearchPage(
        request=request, page=page, total=total, facets=facets, notices=notices, drop_suggestions=suggestions,
        suggestion=suggestion, suggestion_url="?" + encode_params(request.with_query(suggestion).params()) if suggestion else "",
        exact_toggle_url="?" + encode_params(replace(request.with_query(request.q), exact=not request.exact).params()),
        confirmed_toggle_url="?" + encode_params(replace(request.with_query(request.q), confirmed_tags=not request.confirmed_tags).params()),
    )


def spelling_suggestion(request: SearchRequest, sqs, total: int) -> str:
    """Return the query with the engine's corrections, if that query finds more articles; or ''."""
    wanted = sqs.query.spelling_query
    if not wanted:
        return ""
    try:
        corrected = sqs.spelling_suggestion()
    except DatabaseError:
        raise
    except Exception:  # a suggestion is a nicety: never a 500
        log.warning("spelling suggestion failed for %r", request.q, exc_info=True)
        return ""
    if not corrected or corrected.split() == wanted.split() or len(corrected.split()) != len(wanted.split()):
        return ""
    q = request.q
    for old, new in zip(wanted.split(), corrected.split()):
        if old != new:
            new = new.capitalize() if old[:1].isupper() else new
            q = re.sub(rf"(?<![\w'’-]){re.escape(old)}(?![\w'’-])", lambda _m: new, q, count=1)
    if q == request.q or _count(request.with_query(q)) <= total:
        return ""
    return q


def drop_suggestions(request: SearchRequest, params) -> list[DropSuggestion]:
    """For a search that found nothing: how many articles each filter, dropped alone, would give."""
    suggestions = []
    for facet in FACETS:
        selected = request.filters.get(facet.param, [])
        labels = facet.labels(selected) if selected else {}
        for value in selected:
            smaller = request.without(facet.param, value)
            suggestions.append(DropSuggestion(
                label=f"{facet.title} : {labels.get(value, value)}", count=_count(smaller), url="?" + encode_params(smaller.params()),
            ))
    for name, title in (("date_from", _("depuis")), ("date_to", _("jusqu’à"))):
        if getattr(request, name):
            smaller = request.without(name)
            suggestions.append(DropSuggestion(label=f"{title} {getattr(request, name)}", count=_count(smaller), url="?" + encode_params(smaller.params())))
    if len(suggestions) > 1:
        bare = SearchRequest(q=request.q, sort=request.sort, exact=request.exact, confirmed_tags=request.confirmed_tags)
        suggestions.append(DropSuggestion(label=_("tous les filtres"), count=_count(bare), url="?" + encode_params(bare.params())))
    return suggestions


def more_like_this(article, *, limit: int = 5) -> list:
    """Return up to `limit` articles whose text is most like this one's, best first."""
    from articles.selectors import articles_for_listing

    try:
        ids = [int(result.pk) for result in SearchQuerySet().more_like_this(article)[:limit]]
    except Exception:  # a page must show even when the engine cannot answer this
        log.warning("more like this failed for article %s", article.pk, exc_info=True)
        return []
    found = articles_for_listing(ids)
    return [found[pk] for pk in ids if pk in found and pk != article.pk]
