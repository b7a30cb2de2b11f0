"""What the browsing pages add around a search: timelines, filter chips, co-occurrence, entity kinds.

Every page that lists articles runs the one search code path (articles.search.page.run_search):
an actor's page is the search restricted to that actor, so its facets are exactly the counts of
the actors and countries mentioned alongside it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Callable

from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import dateformat
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from articles import selectors
from articles.models import Actor, Article, Country, Source, Tag
from articles.search import hits
from articles.search.facets import UNKNOWN_SOURCE, FacetRow, encode_params
from articles.search.page import SearchPage, run_search
from articles.search.request import SearchRequest

MONTHS_SHOWN = 48  # a longer span is drawn one bar per year
CHART_WIDTH, CHART_HEIGHT, AXIS_HEIGHT = 960, 90, 40
MONTHS_LABELLED = 14  # up to this many bars, each month is named on the axis


@dataclass
class Bar:
    period: str  # "2022-03" or "2022"
    label: str  # "mars 2022" / "March 2022", or "2022"
    count: int
    url: str
    x: float = 0
    y: float = 0
    width: float = 0
    height: float = 0


@dataclass
class Timeline:
    """Articles per month (or per year over a long span), laid out for an SVG bar chart."""

    unit: str  # "month" or "year"
    bars: list[Bar]
    ticks: list[tuple[float, str, str]]  # x of the middle of a bar, its label, the year under it (or "")
    max_count: int
    not_drawn: int  # articles dated only by their year (in a month chart) or not dated at all
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT + AXIS_HEIGHT
    chart_height: int = CHART_HEIGHT

    @property
    def counted_bars(self) -> list[Bar]:
        return [bar for bar in self.bars if bar.count]


def period_counts(result: SearchPage) -> tuple[dict[str, int], dict[str, int]]:
    """Return the result's article counts per month ("2022-03") and per year ("2022"), over all results.

    The search computed these facets over the whole result set already; haystack keeps them on the
    query, so reading them runs no second search.
    """
    if not result.total:
        return {}, {}
    fields = hits.facet_counts(result.page.paginator.object_list)

    def counts(name):
        return {value: n for value, n in fields.get(name, []) if value and n}

    return counts("month"), counts("year")


def month_label(value: str) -> str:
    """Return "2022-03" as "mars 2022" (or "March 2022"), in the current language."""
    year, month = value.split("-")[:2]
    return dateformat.format(date(int(year), int(month), 1), "F Y")


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


def build_timeline(result: SearchPage, url_for: Callable[[str], str]) -> Timeline | None:
    """Return the timeline of a search's results; url_for(period) is where a bar leads."""
    months, years = period_counts(result)
    if not years:
        return None
    if months:
        first, last = min(months), max(months)
        span = (int(last[:4]) - int(first[:4])) * 12 + int(last[5:7]) - int(first[5:7]) + 1
    if months and span <= MONTHS_SHOWN:
        y, m = int(first[:4]), int(first[5:7])
        periods = []
        for _step in range(span):
            periods.append(f"{y:04d}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        bars = [Bar(p, month_label(p), months.get(p, 0), url_for(p)) for p in periods]
        not_drawn = result.total - sum(months.values())
        unit = "month"
    else:
        first, last = int(min(years)), int(max(years))
        bars = [Bar(str(y), str(y), years.get(str(y), 0), url_for(str(y))) for y in range(first, last + 1)]
        not_drawn = result.total - sum(years.values())
        unit = "year"
    max_count = max(bar.count for bar in bars)
    step = CHART_WIDTH / len(bars)
    for i, bar in enumerate(bars):
        bar.width = round(max(step * 0.8, 1), 2)
        bar.x = round(i * step + (step - bar.width) / 2, 2)
        bar.height = round(max(bar.count / max_count * (CHART_HEIGHT - 4), 2), 2) if bar.count else 0
        bar.y = round(CHART_HEIGHT - bar.height, 2)
    return Timeline(unit=unit, bars=bars, ticks=_ticks(bars, unit, step), max_count=max_count, not_drawn=not_drawn)


def _ticks(bars: list[Bar], unit: str, step: float) -> list[tuple[float, str, str]]:
    """Label the axis: every month of a short month chart, each January of a long one, every nth year."""
    def middle(i):
        return round(i * step + step / 2, 2)

    if unit == "month" and len(bars) <= MONTHS_LABELLED:
        return [
            (middle(i), month_abbreviation(bar.period), bar.period[:4] if i == 0 or bar.period.endswith("-01") else "")
            for i, bar in enumerate(bars)
        ]
    if unit == "month":
        marks = [(i, bar.period[:4]) for i, bar in enumerate(bars) if i == 0 or bar.period.endswith("-01")]
        if len(marks) > 1 and marks[1][0] < 3:  # a first label too close to the next January
            marks.pop(0)
        return [(middle(i), label, "") for i, label in marks]
    every = max(1, round(len(bars) / 12))
    return [(middle(i), bar.label, "") for i, bar in enumerate(bars) if i % every == 0]


def month_abbreviation(value: str) -> str:
    """Return "2022-07" as "juil." (or "July"), for an axis."""
    return dateformat.format(date(int(value[:4]), int(value[5:7]), 1), "N")


def search_url(params: dict[str, list[str]]) -> str:
    query = encode_params(params)
    return reverse("articles:search") + (f"?{query}" if query else "")


def rule_url(search_request: SearchRequest) -> str:
    """Return the admin page that makes a tag rule of this search, its fields filled in."""
    fields = {"q": [search_request.q], "date_from": [search_request.date_from], "date_to": [search_request.date_to],
              "filters": [encode_params(search_request.filters)], "exact": ["1" if search_request.exact else ""]}
    return reverse("admin:articles_tagrule_add") + "?" + encode_params({k: v for k, v in fields.items() if v[0]})


def narrowed_by_period(params: dict[str, list[str]]) -> Callable[[str], str]:
    """Return url_for(period): the search with its dates replaced by that month or year."""
    base = {k: v for k, v in params.items() if k not in {"date_from", "date_to"}}
    return lambda period: search_url({**base, "date_from": [period], "date_to": [period]})


def archive_url(period: str) -> str:
    """Return the date archive page of "2022" or "2022-03"."""
    if len(period) == 4:
        return reverse("articles:archive_year", args=[period])
    return reverse("articles:archive_month", args=period.split("-"))


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
                chips.append(Chip(facet.noun, row.label, reverse("articles:search") + row.url, entity_url(facet.param, row.value)))
    for name, noun in (("date_from", _("depuis")), ("date_to", _("jusqu’à"))):
        value = getattr(result.request, name)
        if value:
            chips.append(Chip(noun, period_label(value), search_url(result.request.without(name).params())))
    return chips


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


def localise_labels(facets: list[tuple[object, list[FacetRow]]]) -> None:
    """Give country facet rows their name in the current language (the search labels them in French)."""
    if get_language() == "fr":
        return
    rows = [row for facet, facet_rows in facets if facet.param == "country" for row in facet_rows]
    names = dict(Country.objects.filter(code__in=[row.value for row in rows]).values_list("code", "name_en"))
    for row in rows:
        row.label = names.get(row.value, row.label)


def related_rows(result: SearchPage, param: str, *, exclude: str = "", limit: int = 10) -> list[FacetRow]:
    """Return the values of one facet most often found in the results, without the page's own value."""
    for facet, rows in result.facets:
        if facet.param == param:
            rows = [row for row in rows if row.count and row.value != exclude]
            return sorted(rows, key=lambda row: (-row.count, row.label))[:limit]
    return []


@dataclass(frozen=True)
class EntityKind:
    """A kind of thing that has its own page: which search facet it is and how its URL names it."""

    param: str  # the search facet: ?actor=xi-jinping
    model: type
    title: str  # "Acteur"
    lookup: str = "slug"

    def get(self, key: str):
        value = key.upper() if self.model is Country else key
        try:
            return self.model.objects.get(**{self.lookup: value})
        except self.model.DoesNotExist:
            raise Http404(key) from None

    def value(self, obj) -> str:
        """Return the search facet value of obj: its slug, or a country's ISO code."""
        return obj.code if self.model is Country else obj.slug


ENTITY_KINDS = {
    "actor": EntityKind("actor", Actor, _("Acteur")),
    "country": EntityKind("country", Country, _("Pays"), lookup="code"),
    "tag": EntityKind("tag", Tag, _("Thème")),
    "source": EntityKind("source", Source, _("Source")),
}


def entity_url(param: str, value: str) -> str | None:
    """Return the page of an actor, country, tag or source given its facet value; None for others."""
    if param == "agency":  # an agency is a source, with a page of its own
        param = "source"
    if param not in ENTITY_KINDS or (param == "source" and value == UNKNOWN_SOURCE):
        return None
    try:
        return reverse(f"articles:{param}", args=[value.lower() if param == "country" else value])
    except NoReverseMatch:  # a value typed in the address that no page can have ("?country=%FF")
        return None


@dataclass
class EntityPage:
    kind: EntityKind
    obj: object
    result: SearchPage
    related: dict[str, list[FacetRow]] = field(default_factory=dict)


def entity_page(param: str, key: str, *, sort: str, page: int) -> EntityPage:
    """Return an entity, the search restricted to it and what is most often mentioned with it."""
    kind = ENTITY_KINDS[param]
    obj = kind.get(key)
    value = kind.value(obj)
    result = run_search(SearchRequest(filters={param: [value]}, sort=sort, page=page))
    localise_labels(result.facets)
    related = {p: related_rows(result, p, exclude=value if p == param else "") for p in ("actor", "country", "tag")}
    return EntityPage(kind=kind, obj=obj, result=result, related=related)
