"""Public pages: home, search, article, entity pages, date archive. Read-only; thin over selectors and search."""
import threading
from bisect import bisect_left, bisect_right

from django.conf import settings
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from articles import browse, page_cache, redirects, selectors
from articles.exports import FORMATS, export, export_lines
from articles.search.facets import ENTITY_FACETS, encode_params
from articles.search.parser import QuerySyntaxError, parse_period
from articles.search.page import Budget, keep_search_page, more_like_this, names_stamp, run_search, similar_ids
from articles.search.request import SORTS, SearchRequest

LIST_SORTS = ("newest", "oldest")  # a list without words has no relevance order


def _sort_and_page(request, default_sort: str) -> tuple[str, int]:
    sort = request.GET.get("sort", "")
    try:
        page = max(1, min(int(request.GET.get("page", 1)), 10_000))
    except (TypeError, ValueError):
        page = 1
    return (sort if sort in LIST_SORTS else default_sort), page


def _list_context(result, sort: str, default_sort: str) -> dict:
    """Return what the article list, its sort links and its pager need."""
    params = {"sort": [sort]} if sort != default_sort else {}
    return {
        "result": result,
        "articles": browse.page_articles(result.page),
        "query_string": encode_params(params),
        "list_sorts": [(key, key == sort, "" if key == default_sort else f"sort={key}") for key in LIST_SORTS],
    }


@require_safe
def home(request):
    browse_all = run_search(SearchRequest(sort="newest"))
    return render(request, "articles/home.html", {
        "latest": selectors.latest_listed(10),
        "total": browse_all.total,
        "top": [(param, browse.related_rows(browse_all, param)) for param in browse.RELATED],
        "timeline": browse.build_timeline(browse_all, browse.archive_url),
        "home": True,
        "feed_url": reverse("feeds:archive"),
    })


@require_safe
def search(request):
    search_request = SearchRequest.from_querydict(request.GET)
    stamp = names_stamp() if page_cache.keeping() else None  # read only for a page that may be kept
    result = run_search(search_request)
    # Shown again after edits of articles it neither lists nor counts (articles.page_cache).
    keep_search_page(search_request, result, stamp)
    params = search_request.params()
    return render(request, "articles/search.html", {
        "result": result,
        "articles": browse.page_articles(result.page),
        "chips": browse.selected_chips(result),
        "timeline": browse.build_timeline(result, browse.narrowed_by_period(params)),
        "q": search_request.q,
        "sorts": [(key, key == search_request.sort) for key in SORTS],
        # The search box keeps the filters; the date form keeps everything but the dates.
        "hidden_params": [(k, v) for k, vs in params.items() if k != "q" for v in vs],
        "hidden_params_no_dates": [(k, v) for k, vs in params.items() if k not in {"date_from", "date_to"} for v in vs],
        "query_string": encode_params(params),
        "feed_url": reverse("feeds:search") + (f"?{encode_params(params)}" if params else ""),
        "sort_base": encode_params({k: v for k, v in params.items() if k != "sort"}),
        # Removes the filters, keeps the words and how they are searched.
        "clear_url": browse.search_url({k: v for k, v in search_request.params().items() if k in ("q", "exact")}),
        "rule_url": browse.rule_url(search_request) if request.user.has_perm("articles.add_tagrule") else "",
    })


class _ExportSlot:
    """Streaming content that frees its export slot when the response is closed, read or not."""

    def __init__(self, lines):
        self.lines = lines

    def __iter__(self):
        return iter(self.lines)

    def close(self):
        if self.lines is not None:
            self.lines.close()
            self.lines = None
            _export_slots.release()


_export_slots = threading.BoundedSemaphore(settings.NEWSARCHIVE_EXPORTS_AT_ONCE)
_export_waiting = threading.BoundedSemaphore(1)  # exports that may wait for a slot, per process


def _export_slot() -> bool:
    """Take an export slot: at once, or after waiting at most NEWSARCHIVE_EXPORT_WAIT_MS if no
    other export is waiting already (so a burst never takes every thread); False: none."""
    if _export_slots.acquire(blocking=False):
        return True
    wait = settings.NEWSARCHIVE_EXPORT_WAIT_MS / 1000
    if wait <= 0 or not _export_waiting.acquire(blocking=False):
        return False
    try:
        return _export_slots.acquire(timeout=wait)
    finally:
        _export_waiting.release()


@require_safe
def search_export(request):
    """Stream the articles of a search as JSON Lines or CSV, in the search's order.

    A worker process streams at most NEWSARCHIVE_EXPORTS_AT_ONCE exports at once, so that
    exports never take every thread away from the pages; one more waits for a slot (at most
    NEWSARCHIVE_EXPORT_WAIT_MS), others get a 503 that says to retry. An export of at most
    NEWSARCHIVE_EXPORT_FREE_ROWS articles is about a search page's work and takes no slot: the
    search runs first (bounded as the search page's is), and its count decides.
    """
    fmt = request.GET.get("format", "csv")
    if fmt not in FORMATS:
        return render(request, "articles/export_format.html", {"format": fmt[:40], "formats": sorted(FORMATS)}, status=400)
    found = export(SearchRequest.from_querydict(request.GET), site_url=request.build_absolute_uri("/"))
    lines = export_lines(found.rows, fmt)
    if found.total > settings.NEWSARCHIVE_EXPORT_FREE_ROWS:
        if not _export_slot():
            lines.close()
            response = render(request, "articles/export_busy.html", status=503)
            response["Retry-After"] = "10"
            return response
        lines = _ExportSlot(lines)
    response = StreamingHttpResponse(lines, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="newsarchive-search.{fmt}"'
    response["X-Article-Count"] = str(found.total)  # fewer rows received: the stream was cut
    return response


@require_safe
def search_help(request):
    return render(request, "articles/help.html")


@require_safe
def article_detail(request, pk):
    budget = Budget()
    article = get_object_or_404(selectors.articles_with_sources(), pk=pk)
    similar = similar_ids(article) if budget.left() else []  # optional: skipped once the page's time is spent
    same_story = selectors.same_story_ids(article)
    # Shown again after edits of other articles, while what it shows of others is the same.
    page_cache.keep_across_changes(article_page_holds, (article.pk, tuple(similar), tuple(same_story)), reads=False)
    return render(request, "articles/article_detail.html", {
        "article": article,
        "links": browse.article_links(article),
        "same_story": selectors.same_story(article, ids=same_story),
        "more_like_this": more_like_this(article, ids=similar),
        "similar_skipped": budget.skipped,
    })


def article_page_holds(request, fingerprint: tuple, made, changed) -> bool:
    """Return whether an article page made before some articles changed is still the page: neither
    the article nor any it lists changed, and the articles most like it and of its story are the same."""
    pk, similar, same_story = fingerprint
    if not {pk, *similar, *same_story}.isdisjoint(changed):
        return False
    article = selectors.Article.objects.filter(pk=pk).only("pk", "story_id").first()
    return (article is not None and tuple(similar_ids(article)) == similar
            and tuple(selectors.same_story_ids(article)) == same_story)


@require_safe
def article_raw(request, pk):
    article = get_object_or_404(selectors.Article, pk=pk)
    content_type = "text/plain; charset=utf-8"
    response = HttpResponse(article.raw, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="article-{article.pk}-raw.txt"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def entity(request, param, key):
    """The page of one actor, country, tag or source: its articles, timeline and company."""
    facet = ENTITY_FACETS[param]
    if facet.url_key(key) != key:  # /countries/CN/ is /countries/cn/
        return redirect(facet.entity_url(key), permanent=True)
    sort, page = _sort_and_page(request, "newest")
    stamp = names_stamp() if page_cache.keeping() else None  # read only for a page that may be kept
    try:
        found = browse.entity_page(param, key, sort=sort, page=page)
    except Http404:
        moved = redirects.current_key(param, key)  # merged or renamed: its address lasts
        if moved is None:
            raise
        return redirect(_with_query(facet.entity_url(moved), request), permanent=True)
    params = {param: [found.value]}
    # Shown again after edits of articles it neither lists nor counts; the entity itself changes
    # through the admin or with its articles (articles.page_cache).
    keep_search_page(found.result.request, found.result, stamp, own_request=False)
    return render(request, "articles/entity.html", {
        **_list_context(found.result, sort, "newest"),
        "facet": facet,
        "obj": found.obj,
        "name": facet.name_of(found.obj),
        "related": found.related,
        "timeline": browse.build_timeline(found.result, browse.narrowed_by_period(params)),
        "search_url": browse.search_url(params),
        "feed_url": reverse(f"feeds:{param}", args=[facet.url_key(found.value)]),
        "feed_title": facet.name_of(found.obj),
    })


def _with_query(url: str, request) -> str:
    """Return url with the request's query string, if any."""
    query = request.META.get("QUERY_STRING", "")
    return f"{url}?{query}" if query else url


def _neighbours(periods: list, current) -> tuple:
    """Return the periods just before and just after current among those that have articles."""
    before, after = bisect_left(periods, current), bisect_right(periods, current)
    return (periods[before - 1] if before else None), (periods[after] if after < len(periods) else None)


def _check_period(period: str) -> None:
    """Raise Http404 for a period the archive cannot hold ("0000", "2022-13")."""
    try:
        parse_period(period)
    except QuerySyntaxError:
        raise Http404(period) from None


@require_safe
def archive_year(request, year):
    _check_period(year)
    sort, page = _sort_and_page(request, "oldest")
    result = run_search(SearchRequest(date_from=year, date_to=year, sort=sort, page=page))
    if not result.total:
        raise Http404(year)
    previous, following = _neighbours(selectors.archive_years(), int(year))
    return render(request, "articles/archive.html", {
        **_list_context(result, sort, "oldest"),
        "period": year,
        "year": year,
        "timeline": browse.build_timeline(result, browse.archive_url),
        "previous": previous and (str(previous), browse.archive_url(f"{previous:04d}")),
        "following": following and (str(following), browse.archive_url(f"{following:04d}")),
    })


@require_safe
def archive_month(request, year, month):
    period = f"{year}-{month}"
    _check_period(period)
    sort, page = _sort_and_page(request, "oldest")
    result = run_search(SearchRequest(date_from=period, date_to=period, sort=sort, page=page))
    if not result.total:
        raise Http404(period)
    previous, following = _neighbours(selectors.archive_months(), period)
    return render(request, "articles/archive.html", {
        **_list_context(result, sort, "oldest"),
        "period": period,
        "year": year,
        "month_label": browse.month_label(period),
        "previous": previous and (browse.month_label(previous), browse.archive_url(previous)),
        "following": following and (browse.month_label(following), browse.archive_url(following)),
    })
