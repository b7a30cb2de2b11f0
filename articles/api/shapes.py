"""The JSON the API answers, built from what the pages are built from.

A search's JSON is its SearchPage (articles.search.page.run_search) and its facet rows
(articles.search.facets.Facet.results), the same objects the search page renders; an entity's is
browse.entity_page's; an article's the article page's selectors. Only the links differ: a facet
row's toggle URL is the page's query string under /api/search/ instead of /search/.
The shapes are declared for the OpenAPI schema in articles.api.schema (the schemathesis tests
check every answer against it).
"""
from __future__ import annotations

import re

from django.urls import reverse
from django.utils.translation import get_language

from articles import browse, selectors
from articles.models import Article
from articles.search.facets import ENTITY_FACETS, FACETS_BY_PARAM, UNKNOWN_SOURCE, FacetRow, encode_params
from articles.search.page import SearchPage


SLUG = re.compile(r"[-a-zA-Z0-9_]+\Z")  # what Django's slug converter matches: the keys an address can carry
KEY = "0"  # reversed once per URL name, then replaced: a page of results names hundreds of things


class Links:
    """Absolute addresses of pages and API endpoints, for one request.

    Each URL name is reversed once, with a placeholder key, and its address made by putting the
    key in: reverse() per link cost more than the search itself on a page of twenty results.
    """

    def __init__(self, request):
        self.request = request
        self.base = request.build_absolute_uri("/")[:-1]
        self._patterns = {}

    def absolute(self, path: str) -> str:
        return self.base + path if path.startswith("/") else self.request.build_absolute_uri(path)

    def _url(self, name: str, key) -> str:
        if name not in self._patterns:
            self._patterns[name] = reverse(name, args=[KEY]).rsplit(f"/{KEY}/", 1)
        before, after = self._patterns[name]
        return f"{self.base}{before}/{key}/{after}"

    def api_search(self, query_string: str) -> str:
        """Return /api/search/ with a query string ("?q=…" or "q=…")."""
        query_string = query_string.lstrip("?")
        if "search" not in self._patterns:
            self._patterns["search"] = self.base + reverse("api:search")
        return self._patterns["search"] + (f"?{query_string}" if query_string else "")

    def article_page(self, pk: int) -> str:
        return self._url("articles:detail", pk)

    def article_api(self, pk: int) -> str:
        return self._url("api:article", pk)

    def _entity_key(self, param: str, value: str) -> tuple[str, str] | None:
        """Return (kind of page, key) of a value that has a page, as Facet.entity_url decides; else None."""
        facet = FACETS_BY_PARAM[param]
        if not facet.page_name or (param == "source" and value == UNKNOWN_SOURCE):
            return None
        key = facet.url_key(value)
        if not SLUG.match(key):  # a value typed in the address that no page can have
            return None
        return ENTITY_FACETS.get(param, FACETS_BY_PARAM["source"]).param, key  # agencies are sources

    def entity_page(self, param: str, value: str) -> str | None:
        found = self._entity_key(param, value)
        return self._url(f"articles:{found[0]}", found[1]) if found else None

    def entity_api(self, param: str, value: str) -> str | None:
        found = self._entity_key(param, value)
        return self._url(f"api:{found[0]}", found[1]) if found else None

    def feed(self, name: str, *args, query_string: str = "") -> str | None:
        from django.urls import NoReverseMatch

        try:
            url = reverse(f"feeds:{name}", args=args)
        except NoReverseMatch:  # before the feeds exist, or for a value no feed can have
            return None
        return self.absolute(url + (f"?{query_string}" if query_string else ""))


def named(param: str, slug: str, name: str, links: Links) -> dict:
    """Return {slug, name, page_url, api_url} of a source, tag or actor."""
    return {"slug": slug, "name": name, "page_url": links.entity_page(param, slug), "api_url": links.entity_api(param, slug)}


def source(obj, links: Links) -> dict | None:
    return named("source", obj.slug, obj.name, links) if obj is not None else None


def article_summary(article: Article, related: dict, links: Links, *, snippet: str | None = None) -> dict:
    """Return what a list of results says of an article; `related` is its selectors.listing_links() entry."""
    english = get_language() == "en"
    shape = {
        "id": article.pk,
        "title": article.display_title,
        "published": selectors.format_published(article),
        "date_precision": article.date_precision,
        "source": source(article.source, links),
        "agency": source(article.agency, links),
        "tags": [{**named("tag", slug, name, links), "status": status} for slug, name, status in related["tags"]],
        "actors": [named("actor", slug, name, links) for slug, name in related["actors"]],
        "countries": [{"code": code, "name": name_en if english else name_fr, "page_url": links.entity_page("country", code),
                       "api_url": links.entity_api("country", code)} for code, name_fr, name_en in related["countries"]],
        "page_url": links.article_page(article.pk),
        "api_url": links.article_api(article.pk),
    }
    if snippet is not None:
        shape["snippet_html"] = snippet
    return shape


def brief(article: Article, links: Links) -> dict:
    """Return an article as a list of related articles names it (same story, similar)."""
    return {"id": article.pk, "title": article.display_title, "published": selectors.format_published(article),
            "date_precision": article.date_precision, "source": article.source.name if article.source else None,
            "page_url": links.article_page(article.pk), "api_url": links.article_api(article.pk)}


def listed_articles(page, links: Links) -> list[dict]:
    """Return the page of results as the search page lists it (browse.page_articles), with their links."""
    listed = browse.page_articles(page)
    related = selectors.listing_links(item.article.pk for item in listed)
    return [article_summary(item.article, related[item.article.pk], links, snippet=item.snippet) for item in listed]


def facet_row(param: str, row: FacetRow, links: Links) -> dict:
    return {"value": row.value, "label": str(row.label), "count": row.count, "selected": row.selected,
            "toggle_url": links.api_search(row.toggle_url),
            "page_url": links.entity_page(param, row.value), "api_url": links.entity_api(param, row.value)}


def pager(page, params: dict[str, list[str]], url_for) -> dict:
    """Return the page number, the number of pages and the links to the next and previous pages."""
    def link(number):
        return url_for(encode_params({**params, **({"page": [str(number)]} if number > 1 else {})}))

    return {
        "page": page.number,
        "pages": page.paginator.num_pages,
        "next": link(page.next_page_number()) if page.has_next() else None,
        "previous": link(page.previous_page_number()) if page.has_previous() else None,
    }


def search_result(result: SearchPage, links: Links) -> dict:
    """Return a search's JSON: its results, total, facets, notices, suggestions and pages."""
    request = result.request
    params = request.params()
    if request.more:
        params["more"] = [request.more]
    return {
        "query": {k: (v if k in FACETS_BY_PARAM else v[0]) for k, v in request.params().items()},
        "total": result.total,
        **pager(result.page, params, links.api_search),
        "page_url": links.absolute(browse.search_url(params)),
        "feed_url": links.feed("search", query_string=encode_params(request.params())),
        "results": listed_articles(result.page, links),
        "facets": [
            {"param": facet.param, "title": str(facet.title), "truncated": found.truncated,
             "rows": [facet_row(facet.param, row, links) for row in found.rows]}
            for found in result.facets for facet in [found.facet]
        ],
        "notices": [str(notice) for notice in result.notices],
        "suggestion": {"q": result.suggestion, "url": links.api_search(result.suggestion_url)} if result.suggestion else None,
        "drop_suggestions": [{"label": str(s.label), "count": s.count, "url": links.api_search(s.url)} for s in result.drop_suggestions],
        "exact_toggle_url": links.api_search(result.exact_toggle_url),
        "confirmed_toggle_url": links.api_search(result.confirmed_toggle_url),
    }


def article_detail(article: Article, *, same_story, similar, similar_skipped: bool, links: Links) -> dict:
    """Return everything the article page shows, the clean text included."""
    return {
        **article_summary(article, selectors.listing_links([article.pk])[article.pk], links),
        "language": article.language or None,
        "url": article.url or None,
        "origin": article.origin,
        "body": article.body,
        "captions": list(article.captions or []),
        "raw_url": links.absolute(reverse("articles:raw", args=[article.pk])),
        "same_story": [brief(a, links) for a in same_story],
        "similar": [brief(a, links) for a in similar],
        "similar_skipped": similar_skipped,
    }


def timeline(result: SearchPage, params: dict[str, list[str]], links: Links) -> dict | None:
    """Return the timeline the page draws (articles per month, per year over a long span)."""
    def url_for(period):
        return links.api_search(encode_params({**params, "date_from": [period], "date_to": [period]}))

    drawn = browse.build_timeline(result, url_for)
    if drawn is None:
        return None
    return {"unit": drawn.unit, "not_drawn": drawn.not_drawn,
            "bars": [{"period": bar.period, "label": bar.label, "count": bar.count, "search_url": bar.url} for bar in drawn.bars]}


def entity_facts(param: str, obj) -> dict:
    """Return what the entity's page says of it beside its name."""
    if param == "actor":
        return {"kind": obj.kind, "aliases": [alias.name for alias in obj.aliases.all()]}
    if param == "country":
        return {"code": obj.code, "name_fr": obj.name_fr, "name_en": obj.name_en}
    if param == "tag":
        return {"description": obj.description}
    return {"is_agency": obj.is_agency, "url": obj.url or None}


def entity(found: browse.EntityPage, links: Links) -> dict:
    """Return an entity page's JSON: the entity, its count, its articles, timeline and company."""
    param, value, result = found.facet.param, found.value, found.result
    params = {param: [value]}
    sort = result.request.sort
    own = {"sort": [sort]} if sort != "newest" else {}
    api_url = links.entity_api(param, value)
    return {
        "kind": param,
        "value": value,
        "name": found.facet.name_of(found.obj),
        "facts": entity_facts(param, found.obj),
        "total": result.total,
        "page_url": links.entity_page(param, value),
        "api_url": api_url,
        "search_url": links.api_search(encode_params(params)),
        "feed_url": links.feed(param, found.facet.url_key(value)),
        "timeline": timeline(result, params, links),
        "related": {p: [facet_row(p, row, links) for row in rows] for p, rows in found.related.items()},
        **pager(result.page, own, lambda qs: api_url + (f"?{qs}" if qs else "")),
        "articles": listed_articles(result.page, links),
    }
