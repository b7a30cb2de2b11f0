"""Turn what a user asked on the search page into a haystack SearchQuerySet, and run it.

Engine-neutral: the query language is parsed here (articles.search.parser) and expressed
with haystack's SQ objects, so the same code drives Whoosh and Elasticsearch.
"""
from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date

from django.conf import settings
from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from haystack.inputs import Clean, Exact
from haystack.query import SQ, SearchQuerySet

from articles.search import parser, resolve
from articles.search.facets import FACETS, FACETS_BY_PARAM, FacetRow, encode_params, facet_rows

log = logging.getLogger(__name__)

SORTS = {"relevance": None, "newest": "-published", "oldest": "published"}
PAGE_SIZE = 20
FACET_LIMIT = 10  # values shown per facet before "more"
MAX_FILTER_VALUES = 20  # per facet; more is not a real request
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
ALIAS_NGRAM = 4  # longest run of words looked up as an actor's name or alias


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
            values = list(dict.fromkeys(v for v in values if len(v) <= 200))[:MAX_FILTER_VALUES]
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
        return cls(q=q, filters=filters, sort=sort, page=page, more=more, exact=exact, notices=notices, **dates)

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
        return params

    def without(self, param: str, value: str | None = None) -> "SearchRequest":
        """Return this request with one filter value (or a date bound) removed, on page 1."""
        filters = {k: [v for v in vs if not (k == param and v == value)] for k, vs in self.filters.items()}
        dates = {n: ("" if n == param else getattr(self, n)) for n in ("date_from", "date_to")}
        return SearchRequest(q=self.q, filters={k: v for k, v in filters.items() if v}, sort=self.sort, exact=self.exact, **dates)

    def with_query(self, q: str) -> "SearchRequest":
        """Return this request with another query, on page 1."""
        dates = {n: getattr(self, n) for n in ("date_from", "date_to")}
        return SearchRequest(q=q, filters=self.filters, sort=self.sort, exact=self.exact, **dates)


def _printable(text: str) -> str:
    """Return text with control characters (NUL included, which PostgreSQL refuses) made spaces."""
    return CONTROL_CHARACTERS.sub(" ", text)


def fold(text: str) -> str:
    """Return text lower-cased without accents, as the index stores words."""
    return "".join(c for c in unicodedata.normalize("NFD", text.casefold()) if not unicodedata.combining(c))


class QueryBuilder:
    """Build haystack SQ objects from a parsed query, resolving names against the archive.

    In exact mode words search the `text_exact` field (as written: not stemmed, accents kept,
    case ignored) and are not read as an actor's alias.
    """

    def __init__(self, *, exact: bool = False):
        self.notices: list[str] = []
        self.exact = exact
        self._expanded: dict[tuple, list] = {}  # runs of words -> with aliases expanded
        self._actors: dict[str, str | None] = {}  # casefolded name -> actor slug, None when no actor

    def spelling_words(self, node) -> list[str]:
        """Return the words of a parsed query worth correcting: searched words, not excluded
        ones, prefixes, field values or names of actors."""
        if isinstance(node, parser.Or):
            return [w for n in node.nodes for w in self.spelling_words(n)]
        if isinstance(node, parser.And):
            return [w for n in self._expand_aliases(node.nodes) for w in self.spelling_words(n)]
        if isinstance(node, parser.Word) and not node.prefix:
            return [node.text] if self._expand_aliases((node,))[0] is node else []
        if isinstance(node, parser.Phrase):
            return node.text.split()
        return []

    def build(self, node) -> SQ:
        if isinstance(node, parser.And):
            return self._combine([self.build(n) for n in self._expand_aliases(node.nodes)], SQ.AND)
        if isinstance(node, parser.Or):
            return self._combine([self.build(n) for n in node.nodes], SQ.OR)
        if isinstance(node, parser.Not):
            return ~self.build(node.node)
        if isinstance(node, parser.Phrase) and self.exact:
            return SQ(text_exact=Exact(node.text))
        if isinstance(node, parser.Word) and self.exact:
            if node.prefix:
                return SQ(text_exact__startswith=Clean(node.text.casefold()))
            return SQ(text_exact=Clean(node.text))
        if isinstance(node, parser.Phrase):
            slug = self._actor_slugs([node.text]).get(node.text.casefold())
            return self.build(_AliasMatch(node.text, slug)) if slug else SQ(content=Exact(node.text))
        if isinstance(node, parser.Word):
            if node.prefix:
                return SQ(content__startswith=Clean(fold(node.text)))
            expanded = self._expand_aliases((node,))
            return self.build(expanded[0]) if expanded[0] is not node else SQ(content=Clean(node.text))
        if isinstance(node, parser.Field):
            return self.field(node.name, node.value)
        if isinstance(node, _AliasMatch):
            text = SQ(content=Exact(node.text)) if " " in node.text else SQ(content=Clean(node.text))
            return text | SQ(actors_exact=Exact(node.slug))
        raise TypeError(node)

    @staticmethod
    def _combine(parts, connector):
        result = parts[0]
        for part in parts[1:]:
            result = (result & part) if connector == SQ.AND else (result | part)
        return result

    def _expand_aliases(self, nodes):
        """Replace runs of plain words that name a known actor ("Putin") by "the words or that actor"."""
        key = tuple(nodes)
        if key not in self._expanded:
            self._expanded[key] = list(nodes) if self.exact else self._find_aliases(list(nodes))
        return self._expanded[key]

    def _actor_slugs(self, names) -> dict[str, str]:
        """Return {casefolded name: actor slug} for the names that name an actor, asking the
        database only about names this query has not asked about yet."""
        new = {name.casefold() for name in names} - self._actors.keys()
        if new:
            found = resolve.actor_slugs_by_name(new)
            self._actors.update({name: found.get(name) for name in new})
        return {name.casefold(): self._actors[name.casefold()] for name in names if self._actors[name.casefold()]}

    def _find_aliases(self, nodes):
        runs = []
        for i in range(len(nodes)):
            for n in range(ALIAS_NGRAM, 0, -1):
                words = nodes[i:i + n]
                if len(words) == n and all(isinstance(w, parser.Word) and not w.prefix for w in words):
                    runs.append(" ".join(w.text for w in words))
        if not runs:
            return nodes
        known = self._actor_slugs(runs)
        out, i = [], 0
        while i < len(nodes):
            for n in range(ALIAS_NGRAM, 0, -1):
                words = nodes[i:i + n]
                if len(words) == n and all(isinstance(w, parser.Word) and not w.prefix for w in words):
                    text = " ".join(w.text for w in words)
                    if text.casefold() in known:
                        out.append(_AliasMatch(text, known[text.casefold()]))
                        i += n
                        break
            else:
                out.append(nodes[i])
                i += 1
        return out

    def field(self, name: str, value: str) -> SQ:
        if name == "date":
            first, last = parser.parse_period(value)
            return date_range_sq(first, last)
        facet = FACETS_BY_PARAM[name]
        values = resolve.facet_values(facet, value)
        if not values:
            self.notices.append(_("Aucun(e) %(field)s ne correspond à « %(value)s » dans l’archive.") % {"field": facet.noun, "value": value})
            values = [facet.normalise(value)]
        return self._combine([SQ(**{f"{facet.field}_exact": Exact(v)}) for v in values], SQ.OR)


@dataclass(frozen=True)
class _AliasMatch:
    text: str
    slug: str


def date_range_sq(first: date | None, last: date | None) -> SQ:
    """Articles whose whole date period lies within [first, last]: "mars 2022" is inside March."""
    sq = SQ()
    if first:
        sq &= SQ(published__gte=first)
    if last:
        sq &= SQ(published_end__lte=last)
    return sq


def build_queryset(request: SearchRequest, *, plain_words: bool = False, notices: list | None = None) -> SearchQuerySet:
    """Return the SearchQuerySet for the request: words, filters, facets, sort, highlights."""
    notices = [] if notices is None else notices
    sqs = SearchQuerySet()
    if request.q:
        builder = QueryBuilder(exact=request.exact)
        if plain_words:
            words = parser.plain_words(request.q)
            node = parser.And(tuple(parser.Word(w) for w in words)) if len(words) > 1 else (parser.Word(words[0]) if words else None)
        else:
            node = parser.parse(request.q)
        if node is None:
            sqs = sqs.none()
        elif parser.only_excludes(node):  # every article but those: "-pétrole"
            excluded = node.nodes if isinstance(node, parser.And) else (node,)
            sqs = sqs.all()
            for part in excluded:
                sqs = sqs.exclude(builder.build(part.node))
        else:
            sqs = sqs.filter(builder.build(node))
        notices.extend(builder.notices)
        spelled = builder.spelling_words(node) if node is not None else []
        if spelled:
            # The engine suggests corrections of these words (haystack's INCLUDE_SPELLING).
            sqs = sqs.set_spelling_query(" ".join(spelled))
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
    if request.date_from or request.date_to:
        first = parser.parse_period_bound(request.date_from, end=False) if request.date_from else None
        last = parser.parse_period_bound(request.date_to, end=True) if request.date_to else None
        sqs = sqs.filter(date_range_sq(first, last))
    for facet in FACETS:
        sqs = sqs.facet(facet.field, size=1000)
    if SORTS[request.sort]:
        sqs = sqs.order_by(SORTS[request.sort])
    return sqs.highlight() if request.q else sqs


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


def searchable_queryset(request: SearchRequest, notices: list | None = None) -> tuple[SearchQuerySet, int]:
    """Return (SearchQuerySet, number of results) for the request, never raising for a user's words.

    A query that is not valid syntax, or that the engine refuses, falls back to its plain words;
    if even those fail, to no result. Each fallback adds a notice that says so.
    """
    notices = [] if notices is None else notices
    try:
        sqs = build_queryset(request, notices=notices)
        return sqs, sqs.count()
    except Exception as exc:
        if not isinstance(exc, parser.QuerySyntaxError):
            log.warning("search fell back to plain words for %r", request.q, exc_info=True)
        reason = f" ({exc})" if isinstance(exc, parser.QuerySyntaxError) else ""
        notices.append(_("La syntaxe de la recherche n’a pas été comprise%(reason)s : recherche des mots seuls.") % {"reason": reason})
    try:
        sqs = build_queryset(request, plain_words=True)
        return sqs, sqs.count()
    except Exception:
        log.exception("search failed even on plain words for %r", request.q)
        notices.append(_("Cette recherche n’a pas pu être faite."))
        return SearchQuerySet().none(), 0


def _count(request: SearchRequest) -> int:
    return searchable_queryset(request)[1]


def run_search(request: SearchRequest) -> SearchPage:
    """Run the search; a query that is not valid syntax falls back to its plain words."""
    notices = list(request.notices)
    sqs, total = searchable_queryset(request, notices)
    page = Paginator(sqs, PAGE_SIZE).get_page(request.page)
    counts = sqs.facet_counts().get("fields", {})
    params = request.params()
    facets = []
    for facet in FACETS:
        # Months are shown inside one chosen year.
        if facet.param == "month" and len(request.filters.get("year", [])) != 1 and "month" not in request.filters:
            continue
        rows = facet_rows(
            facet, counts.get(f"{facet.field}_exact", counts.get(facet.field, [])), params,
            limit=None if request.more == facet.param else FACET_LIMIT,
        )
        facets.append((facet, rows))
    suggestions = drop_suggestions(request, params) if total == 0 else []
    suggestion = spelling_suggestion(request, sqs, total)
    return SearchPage(
        request=request, page=page, total=total, facets=facets, notices=notices, drop_suggestions=suggestions,
        suggestion=suggestion, suggestion_url="?" + encode_params(request.with_query(suggestion).params()) if suggestion else "",
        exact_toggle_url="?" + encode_params(replace(request.with_query(request.q), exact=not request.exact).params()),
    )


def spelling_suggestion(request: SearchRequest, sqs, total: int) -> str:
    """Return the query with the engine's corrections, if that query finds more articles; or ''."""
    wanted = sqs.query.spelling_query
    if not wanted:
        return ""
    try:
        corrected = sqs.spelling_suggestion()
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
        bare = SearchRequest(q=request.q, sort=request.sort, exact=request.exact)
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
