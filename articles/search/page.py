"""Run a search and assemble what its page shows: results, facet rows, suggestions, notices."""
from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass, field, replace

import numpy as np

from django.conf import settings
from django.core.paginator import Paginator
from django.db import Error as DatabaseError
from django.db import connection
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from haystack import connections
from haystack.query import SearchQuerySet

from articles import page_cache
from articles.search import hits
from articles.search import reads as search_reads
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


def names_stamp() -> dict[str, tuple]:
    """Return how many actors, aliases, tags, sources and countries the archive has, with the
    largest id of each (countries have none), and the latest admin history entry ("curated").

    Outside the admin (whose every change a kept page sees through its history), names a query
    may stand for only come with new rows: an import adds actors, aliases, tags and sources, and
    never renames one. While the stamp of what a query read is the same, the query built again
    would be the same."""
    tables = {"actor": "articles_actor", "alias": "articles_actoralias", "tag": "articles_tag",
              "source": "articles_source", "country": "articles_country"}
    # How many rows, and the largest id: a row whose id was taken before another's but that was
    # committed after it changes the count though not the largest id.
    columns = ", ".join(f"(SELECT COUNT(*) FROM {table}), (SELECT MAX(id) FROM {table})" if kind != "country" else
                        f"(SELECT COUNT(*) FROM {table}), NULL" for kind, table in tables.items())
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns}, (SELECT MAX(id) FROM django_admin_log)")
        row = cursor.fetchone()
    stamp = {kind: (row[2 * n], row[2 * n + 1]) for n, kind in enumerate(tables)}
    stamp["curated"] = row[-1]
    return stamp


def _names_read(request: SearchRequest, stamp: dict, *, names_shown: bool) -> tuple:
    """Return the parts of a names stamp a search's page depends on: actors and aliases always
    (any word may name one); tags, sources and countries, with the admin's history (a tag renamed
    there), when its words use the query language's fields (`tag:Énergie` names a tag by its
    name), or when it filters by them and shows their names though no article may change with
    them (names_shown: an entity page, a page with no result and its "drop a filter" labels).

    Otherwise filters give slugs and codes, which the query uses as they are: no name added or
    changed since can alter the query built from them, and the articles of a tag or source renamed
    are written again, so they are in the index's journal and the page's check sees them."""
    kinds = ["actor", "alias"]
    fields = ":" in request.q
    kinds += [kind for kind in ("tag", "source", "country") if fields or (names_shown and kind in request.filters)]
    if len(kinds) > 2:
        kinds.append("curated")
    return tuple(stamp.get(kind) for kind in kinds)


def keep_search_page(search_request: SearchRequest, result: SearchPage, stamp: dict | None, *, own_request: bool = True) -> None:
    """Ask the page cache to keep a search page (or an entity page, own_request=False) across
    changes of articles it neither lists nor counts; stamp: names_stamp() read before the search
    (None: the page is not kept)."""
    if stamp is None:
        return
    names_shown = not own_request or not result.total
    page_cache.keep_across_changes(still_the_page, (None if own_request else search_request, tuple(result.notices),
                                                    _names_read(search_request, stamp, names_shown=names_shown), names_shown))


def still_the_page(request, fingerprint: tuple, made, changed) -> bool:
    """Return whether a search page made before some articles changed is still the page
    (articles.page_cache): none of the changed articles matched its searches then, nor matches
    them now. When a name its query read may have changed since (the names stamp), its query is
    built again and must be the same, with the same notices; otherwise the searches it ran are
    asked again as they were."""
    if len(fingerprint) != 4:  # kept by an earlier version of this code (the shared pages)
        return False
    kept_request, kept_notices, names, names_shown = fingerprint
    searches = made.searches
    changed = np.asarray(changed, dtype=np.int64)
    if any(np.isin(changed, before).any() for before in searches.values()):
        return False  # a changed article matched it when it was made
    backend = connections["default"].get_backend()
    if made.words and not (hasattr(backend, "known_words") and backend.known_words(made.words)):
        return False  # a word of the query is no longer known: "did you mean" may now differ
    search_request = kept_request or SearchRequest.from_querydict(request.GET)
    stamp = page_cache.remembered.many([("names-stamp",)], lambda keys: {keys[0]: names_stamp()})[("names-stamp",)]
    same_names = _names_read(search_request, stamp, names_shown=names_shown) == names
    if same_names and hasattr(backend, "matching"):  # ask only whether a changed article matches now
        return not any(backend.matching(query_string, narrow, changed) for query_string, narrow in searches)
    with search_reads.recording() as now:
        if same_names:
            for query_string, narrow in searches:
                backend.search(query_string, narrow_queries=set(narrow), end_offset=0)
        else:
            notices = list(search_request.notices)
            searchable_queryset(search_request, notices)
            if tuple(notices) != kept_notices:
                return False
    if now.whole_index or now.searches.keys() != searches.keys():
        return False
    return not any(np.isin(changed, matched).any() for matched in now.searches.values())


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


def more_like_this(article, *, limit: int = 5, ids: list[int] | None = None) -> list:
    """Return up to `limit` articles whose text is most like this one's, best first (those of
    similar_ids, when given)."""
    from articles.selectors import articles_for_listing

    ids = similar_ids(article, limit=limit) if ids is None else ids
    found = articles_for_listing(ids) if ids else {}
    return [found[pk] for pk in ids if pk in found and pk != article.pk]


def similar_ids(article, *, limit: int = 5) -> list[int]:
    """Return the primary keys of the engine's `limit` articles most like this one, best first."""
    try:
        return [int(result.pk) for result in SearchQuerySet().more_like_this(article)[:limit]]
    except Exception:  # a page must show even when the engine cannot answer this
        log.warning("more like this failed for article %s", article.pk, exc_info=True)
        return []
