"""Run a search and assemble what its page shows: results, facet rows, suggestions, notices."""
from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.core.paginator import Paginator
from django.db import Error as DatabaseError
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from haystack.query import SearchQuerySet

from articles import page_cache
from articles.search import hits
from articles.search.build import MAX_FACET_VALUES, searchable_queryset
from articles.search.facets import FACETS, FacetResult, encode_params
from articles.search.request import SearchRequest

log = logging.getLogger(__name__)

PAGE_SIZE = 20
FACET_LIMIT = 10  # values shown per facet before "more"
MAX_DROP_SUGGESTIONS = 6  # filters a search that found nothing offers to drop, each a search of its own


class Budget:
    """The time a page may spend: once it is spent, optional parts are skipped and the page says so.

    The search itself, its facets and its page of results always run (their inputs are bounded:
    query length, filter values, prefixes); suggestions to drop a filter, "did you mean" and
    "more like this" each cost one or more searches of their own and run only while time is left.
    """

    def __init__(self, seconds: float | None = None):
        seconds = settings.NEWSARCHIVE_PAGE_BUDGET_MS / 1000 if seconds is None else seconds
        self.deadline = time.monotonic() + seconds
        self.skipped = False

    def left(self) -> bool:
        """Return whether time is left; note that something was skipped when none is."""
        if time.monotonic() < self.deadline:
            return True
        self.skipped = True
        page_cache.mark_incomplete()  # a page with parts left out is made again for the next visitor
        return False


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
    facets: list[FacetResult]  # each unpacks as (facet, rows)
    notices: list[str]
    drop_suggestions: list[DropSuggestion] = field(default_factory=list)
    suggestion: str = ""  # "did you mean": a corrected query that finds more articles
    suggestion_url: str = ""  # its query string: "?q=..."
    exact_toggle_url: str = ""  # the same search with exact mode switched on or off
    confirmed_toggle_url: str = ""  # the same search counting confirmed tags only, or proposed ones too



def _count(request: SearchRequest, words: dict | None = None) -> int:
    return searchable_queryset(request, words=words)[1]


def run_search(request: SearchRequest, *, budget: Budget | None = None) -> SearchPage:
    """Run the search; a query that is not valid syntax falls back to its plain words.

    The optional parts (drop-a-filter suggestions, did you mean) run while the budget lasts.
    """
    budget = budget or Budget()
    notices = list(request.notices)
    words: dict = {}  # the words' part of the query, built once for the page's searches
    sqs, total = searchable_queryset(request, notices, words=words)
    page = Paginator(sqs, PAGE_SIZE).get_page(request.page)
    counts = hits.facet_counts(sqs)
    params = request.params()
    facets = [
        facet.results(request, counts, limit=MAX_FACET_VALUES if request.more == facet.param else FACET_LIMIT)
        for facet in FACETS if facet.applies(request)
    ]
    suggestions = drop_suggestions(request, params, budget, words=words) if total == 0 else []
    suggestion = spelling_suggestion(request, sqs, total, budget)
    if budget.skipped:
        notices.append(_("Pour répondre vite, certaines suggestions n’ont pas été calculées."))
    return SearchPage(
        request=request, page=page, total=total, facets=facets, notices=notices, drop_suggestions=suggestions,
        suggestion=suggestion, suggestion_url="?" + encode_params(request.with_query(suggestion).params()) if suggestion else "",
        exact_toggle_url="?" + encode_params(replace(request.with_query(request.q), exact=not request.exact).params()),
        confirmed_toggle_url="?" + encode_params(replace(request.with_query(request.q), confirmed_tags=not request.confirmed_tags).params()),
    )


def spelling_suggestion(request: SearchRequest, sqs, total: int, budget: Budget | None = None) -> str:
    """Return the query with the engine's corrections, if that query finds more articles; or ''.

    The corrections come with the search itself; only counting the corrected query is a search
    of its own, run while the budget lasts. (Asking the budget first skipped every suggestion of
    a page that was slow to start, so under load no search page was complete, nor kept.)
    """
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
    if q == request.q or not (budget or Budget()).left() or _count(request.with_query(q)) <= total:
        return ""
    return q


def drop_suggestions(request: SearchRequest, params, budget: Budget | None = None, *,
                     words: dict | None = None) -> list[DropSuggestion]:
    """For a search that found nothing: how many articles each filter, dropped alone, would give.

    Each suggestion is a search: at most MAX_DROP_SUGGESTIONS filters (the dates always, the facets'
    values in their order), then "every filter", each only while the budget lasts. They search
    the request's words: `words` (build.build_queryset's) keeps them built.
    """
    budget = budget or Budget()
    dates = [(f"{title} {getattr(request, name)}", request.without(name))
             for name, title in (("date_from", _("depuis")), ("date_to", _("jusqu’à"))) if getattr(request, name)]
    candidates = []
    for facet in FACETS:
        selected = request.filters.get(facet.param, [])[:max(0, MAX_DROP_SUGGESTIONS - len(dates) - len(candidates))]
        labels = facet.labels(selected) if selected else {}
        candidates += [(_("%(name)s : %(value)s") % {"name": capfirst(facet.noun), "value": labels.get(value, value)},
                        request.without(facet.param, value)) for value in selected]
    candidates += dates
    filters = sum(len(v) for v in request.filters.values()) + bool(request.date_from) + bool(request.date_to)
    if filters > 1:
        bare = SearchRequest(q=request.q, sort=request.sort, exact=request.exact, confirmed_tags=request.confirmed_tags)
        candidates.append((_("tous les filtres"), bare))
    suggestions = []
    for label, smaller in candidates:
        if not budget.left():
            break
        suggestions.append(DropSuggestion(label=label, count=_count(smaller, words), url="?" + encode_params(smaller.params())))
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
