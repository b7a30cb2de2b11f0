"""Public pages: home, search with facets, article. Read-only; thin over selectors and search."""
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from articles import selectors
from articles.exports import FORMATS, export_lines, export_rows
from articles.search.facets import encode_params
from articles.search.query import SORTS, SearchRequest, run_search


@require_safe
def home(request):
    browse = run_search(SearchRequest(sort="newest"))
    return render(request, "articles/home.html", {
        "latest": selectors.latest_articles(10),
        "facets": browse.facets,
        "total": browse.total,
    })


@require_safe
def search(request):
    search_request = SearchRequest.from_querydict(request.GET)
    result = run_search(search_request)
    params = search_request.params()
    return render(request, "articles/search.html", {
        "result": result,
        "q": search_request.q,
        "sorts": [(key, key == search_request.sort) for key in SORTS],
        # The search box keeps the filters; the date form keeps everything but the dates.
        "hidden_params": [(k, v) for k, vs in params.items() if k != "q" for v in vs],
        "hidden_params_no_dates": [(k, v) for k, vs in params.items() if k not in {"date_from", "date_to"} for v in vs],
        "query_string": encode_params(params),
        "sort_base": encode_params({k: v for k, v in params.items() if k != "sort"}),
    })


@require_safe
def search_export(request):
    """Stream the articles of a search as JSON Lines or CSV, in the search's order."""
    fmt = request.GET.get("format", "csv")
    if fmt not in FORMATS:
        fmt = "csv"
    search_request = SearchRequest.from_querydict(request.GET)
    response = StreamingHttpResponse(export_lines(export_rows(search_request), fmt), content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="newsarchive-search.{fmt}"'
    return response


@require_safe
def search_help(request):
    return render(request, "articles/help.html")


@require_safe
def article_detail(request, pk):
    article = get_object_or_404(selectors.articles_with_metadata(), pk=pk)
    return render(request, "articles/article_detail.html", {"article": article})


@require_safe
def article_raw(request, pk):
    article = get_object_or_404(selectors.Article, pk=pk)
    content_type = "text/plain; charset=utf-8"
    response = HttpResponse(article.raw, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="article-{article.pk}-raw.txt"'
    response["X-Content-Type-Options"] = "nosniff"
    return response

