"""What the browsing pages add around a search: timelines, filter chips, co-occurrence, entity kinds.

Every page that lists articles runs the one search code path (articles.search.page.run_search):
an actor's page is the search restricted to that actor, so its facets are exactly the counts of
the actors and countries mentioned alongside it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Callable, NamedTuple

from django.urls import reverse
from django.utils import dateformat
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from articles import links, selectors
from articles.models import Article
from articles.search import hits
from articles.search.facets import ENTITY_FACETS, Facet, FacetRow, encode_params
from articles.search.page import SearchPage, run_search
from articles.search.request import SearchRequest
from articles.timeline import build_timeline, month_label  # noqa: F401  (the pages' timeline)

def period_label(value: str) -> str:
    """Return a date bound as typed ("2022", "2022-03", "2022-03-15") in words of the current language."""
    parts = value.split("-")
    try:
        if len(parts) == 3:
            return dateformat.format(date(*map(int, parts)), "j F Y")
        if len(parts) == 2:
            return month_label(value)
    except ValueError:
        pass
    return value


def search_url(params: dict[str, list[str]]) -> str:
    query = encode_params(params)
    return links.address("articles:search") + (f"?{query}" if query else "")


def rule_url(search_request: SearchRequest) -> str:
    """Return the admin page that makes a tag rule of this search, its fields filled in."""
    fields = {"q": [search_request.q], "date_from": [search_request.date_from], "date_to": [search_request.date_to],
              "filters": [encode_params({**search_request.filters, **({"confirmed": ["1"]} if search_request.confirmed_tags else {})})],
              "exact": ["1" if search_request.exact else ""]}
    return reverse("admin:articles_tagrule_add") + "?" + encode_params({k: v for k, v in fields.items() if v[0]})


def narrowed_by_period(params: dict[str, list[str]]) -> Callable[[str], str]:
    """Return url_for(period): the search with its dates replaced by that month or year."""
    base = search_url({k: v for k, v in params.items() if k not in {"date_from", "date_to"}})
    joined = base + ("&" if "?" in base else "?")
    return lambda period: joined + encode_params({"date_from": [period], "date_to": [period]})


def archive_url(period: str) -> str:
    """Return the date archive page of "2022" or "2022-03"."""
    if len(period) == 4:
        return links.address("articles:archive_year", period)
    return links.address("articles:archive_month", *period.split("-"))


@dataclass
class Chip:
    """A selected filter above the results: what it is and the URL of the search without it."""

    name: str
    label: str
    remove_url: str
    entity_url: str | None = None


def selected_chips(result: SearchPage) -> list[Chip]:
    """Return one chip for each selected facet value and date bound of the search."""
    chips = []
    for facet, rows in result.facets:
        for row in rows:
            if row.selected:
                chips.append(Chip(facet.noun, row.label, links.address("articles:search") + row.toggle_url, facet.entity_url(row.value)))
    for name, noun in (("date_from", _("depuis")), ("date_to", _("jusqu’à"))):
        value = getattr(result.request, name)
        if value:
            chips.append(Chip(noun, period_label(value), search_url(result.request.without(name).params())))
    return chips


class LinkedName(NamedTuple):
    """A tag, actor or country an article's page names, linked to its own page."""

    url: str
    name: str
    status: str = ""  # a tag's: confirmed or proposed
    origin: str = ""  # a tag's: who gave or proposed it


def article_links(article: Article) -> dict[str, list[LinkedName]]:
    """Return the tags, actors and countries of an article's page, in one query."""
    found = selectors.article_links(article.pk)
    english = get_language() == "en"
    return {
        "tags": [LinkedName(links.page_url("articles:tag", slug), name, status, origin) for slug, name, status, origin in found["tags"]],
        "actors": [LinkedName(links.page_url("articles:actor", slug), name) for slug, name in found["actors"]],
        "countries": [LinkedName(links.page_url("articles:country", code.lower()), name_en if english else name_fr)
                      for code, name_fr, name_en in found["countries"]],
    }


@dataclass
class ListedArticle:
    article: Article
    snippet: str = ""  # highlighted by the search engine, already escaped


def page_articles(page) -> list[ListedArticle]:
    """Return the articles of a page of search results, in order, loaded in one query."""
    found = list(page.object_list)
    by_id = selectors.articles_for_listing([int(hit.pk) for hit in found])
    listed = []
    for hit in found:
        article = by_id.get(int(hit.pk))
        if article is not None:  # deleted since it was indexed
            listed.append(ListedArticle(article, hits.highlight(hit)))
    return listed


def related_rows(result: SearchPage, param: str, *, exclude: str = "", limit: int = 10) -> list[FacetRow]:
    """Return the values of one facet most often found in the results, without the page's own value."""
    for facet, rows in result.facets:
        if facet.param == param:
            rows = [row for row in rows if row.count and row.value != exclude]
            return sorted(rows, key=lambda row: (-row.count, row.label))[:limit]
    return []


RELATED = ("actor", "country", "tag")  # what an entity page and the home page list as most often mentioned


@dataclass
class EntityPage:
    facet: Facet  # the facet whose value the entity is
    obj: object
    value: str  # its facet value: a slug, a country's ISO code
    result: SearchPage
    related: dict[str, list[FacetRow]] = field(default_factory=dict)  # facet param -> its rows


def entity_page(param: str, key: str, *, sort: str, page: int) -> EntityPage:
    """Return an entity, the search restricted to it and what is most often mentioned with it."""
    facet = ENTITY_FACETS[param]
    obj = facet.get_object(key)
    value = facet.value_of(obj)
    result = run_search(SearchRequest(filters={param: [value]}, sort=sort, page=page))
    related = {p: related_rows(result, p, exclude=value if p == param else "") for p in RELATED}
    return EntityPage(facet=facet, obj=obj, value=value, result=result, related=related)
