"""Turn a SearchRequest into a haystack SearchQuerySet: the query language, names, filters, facets.

Engine-neutral: the query language is parsed here (articles.search.parser) and expressed
with haystack's SQ objects, so the same code drives Whoosh and Elasticsearch.
"""
from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass
from datetime import date

from django.db import Error as DatabaseError
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from haystack.constants import DEFAULT_OPERATOR
from haystack.inputs import Clean, Exact
from haystack.query import SQ, SearchQuerySet

from articles import page_cache
from articles.search import parser, resolve
from articles.search.facets import FACETS, FACETS_BY_PARAM
from articles.search.request import SORTS, SearchRequest

# Bounds on the work one search asks of the engine (README, "Bounded work").
MAX_PREFIXES = 5  # prefixes (word*) expanded per query; each is an OR of every word it starts
MAX_FACET_VALUES = 200  # values counted per facet: what "voir tout" can show

log = logging.getLogger(__name__)

ALIAS_NGRAM = 4  # longest run of words looked up as an actor's name or alias


def fold(text: str) -> str:
    """Return text lower-cased without accents, as the index stores words."""
    return "".join(c for c in unicodedata.normalize("NFD", text.casefold()) if not unicodedata.combining(c))


class QueryBuilder:
    """Build haystack SQ objects from a parsed query, resolving names against the archive.

    In exact mode words search the `text_exact` field (as written: not stemmed, accents kept,
    case ignored) and are not read as an actor's alias.
    """

    def __init__(self, *, exact: bool = False, confirmed_tags: bool = False):
        self.notices: list[str] = []
        self.exact = exact
        self.confirmed_tags = confirmed_tags
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
            found = page_cache.remembered.many([("actor-name", name) for name in new], lambda keys: {
                ("actor-name", name): slug for name, slug in resolve.actor_slugs_by_name([k[1] for k in keys]).items()})
            self._actors.update({name: found.get(("actor-name", name)) for name in new})
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
                    if text.casefold() in known and self._names_one_actor(text):
                        out.append(_AliasMatch(text, known[text.casefold()]))
                        i += n
                        break
            else:
                out.append(nodes[i])
                i += 1
        return out

    def _names_one_actor(self, text: str) -> bool:
        """Whether a name typed among the words stands for one actor; if several, say so and search the word."""
        candidates = resolve.ambiguous_actor_name(text)
        if candidates:
            self.notices.append(_("« %(name)s » peut désigner plusieurs acteurs : %(names)s. La recherche porte sur le mot ; "
                                  "pour un acteur, précisez-le : actor:\"%(example)s\".") % {
                "name": text, "names": ", ".join(name for _slug, name in candidates), "example": candidates[0][1]})
        return not candidates

    def field(self, name: str, value: str) -> SQ:
        if name == "date":
            first, last = parser.parse_period(value)
            return date_range_sq(first, last)
        facet = FACETS_BY_PARAM[name]
        key = ("named-by", name, get_language(), value)
        values, notices = page_cache.remembered.many([key], lambda keys: {key: _named_by(facet, value)})[key]
        self.notices.extend(notices)
        values = values or [facet.normalise(value)]
        fields = facet.filter_fields(confirmed_tags=self.confirmed_tags)
        return self._combine([SQ(**{f"{field}_exact": Exact(v)}) for field in fields for v in values], SQ.OR)


def _named_by(facet, text: str) -> tuple[list[str], list[str]]:
    """Return the values a query's `field:text` names, and what the page says about them."""
    values = facet.named_by(text)
    return values, facet.notices_for(text, values)


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


def bounded_prefixes(node, notices: list):
    """Return the query with its prefixes (word*) past the first MAX_PREFIXES made whole words.

    Each prefix is an OR of every indexed word it starts; sixty-five of them made one search
    take seconds. The page says when prefixes were searched as words.
    """
    seen = 0

    def visit(part):
        nonlocal seen
        if isinstance(part, parser.Word) and part.prefix:
            seen += 1
            return part if seen <= MAX_PREFIXES else parser.Word(part.text)
        if isinstance(part, (parser.And, parser.Or)):
            return type(part)(tuple(visit(n) for n in part.nodes))
        if isinstance(part, parser.Not):
            return parser.Not(visit(part.node))
        return part

    bounded = visit(node)
    if seen > MAX_PREFIXES:
        notices.append(ngettext("Seuls les %(n)d premiers préfixes (mot*) sont développés ; %(m)d autre est cherché comme un mot entier.",
                                "Seuls les %(n)d premiers préfixes (mot*) sont développés ; %(m)d autres sont cherchés comme des mots entiers.",
                                seen - MAX_PREFIXES) % {"n": MAX_PREFIXES, "m": seen - MAX_PREFIXES})
    return bounded


@dataclass(frozen=True)
class Words:
    """What a query's words ask of the engine, built once and shared by the searches of a page
    (its own, then each "drop a filter" count): resolving names costs a query of the database
    per request, and a 65-word query tens of milliseconds."""

    match: SQ | None  # the words' SQ; None when they find nothing (no word) or match all (excluded)
    excluded: tuple  # SQ of each part an only-excludes query leaves out ("-pétrole")
    nothing: bool  # no word left to search: no result
    spelled: str  # the words the engine may correct
    notices: tuple


def query_words(request: SearchRequest, *, plain_words: bool = False) -> Words:
    """Return the engine's part of the request's words (request.q must not be empty)."""
    builder = QueryBuilder(exact=request.exact, confirmed_tags=request.confirmed_tags)
    if plain_words:
        words = parser.plain_words(request.q)
        node = parser.And(tuple(parser.Word(w) for w in words)) if len(words) > 1 else (parser.Word(words[0]) if words else None)
    else:
        node = parser.parse(request.q)
    node = bounded_prefixes(node, builder.notices) if node is not None else None
    match, excluded = None, ()
    if node is not None and parser.only_excludes(node):  # every article but those: "-pétrole"
        excluded = tuple(builder.build(part.node) for part in (node.nodes if isinstance(node, parser.And) else (node,)))
    elif node is not None:
        match = builder.build(node)
    spelled = " ".join(builder.spelling_words(node)) if node is not None else ""
    return Words(match=match, excluded=excluded, nothing=node is None, spelled=spelled, notices=tuple(builder.notices))


def _add_filter(query, sq: SQ) -> None:
    """Add sq to a haystack query as SearchQuerySet.filter() does, without its copy of the query."""
    query.add_filter(SQ(sq), use_or=DEFAULT_OPERATOR == "OR")


def build_queryset(request: SearchRequest, *, plain_words: bool = False, notices: list | None = None,
                   words: dict | None = None) -> SearchQuerySet:
    """Return the SearchQuerySet for the request: words, filters, facets, sort, highlights.

    Every part is added to one query: each SearchQuerySet method copies the whole query so far,
    and nine copies of a 65-word query cost more than its search. `words` keeps the words' part
    of the searches of one page ({(q, mode ...): Words}), which share their words.
    """
    notices = [] if notices is None else notices
    sqs = SearchQuerySet()
    if request.q:
        key = (request.q, request.exact, request.confirmed_tags, plain_words)
        found = words.get(key) if words is not None else None
        if found is None:
            found = query_words(request, plain_words=plain_words)
            if words is not None:
                words[key] = found
        if found.nothing:
            sqs = sqs.none()
        for part in found.excluded:
            sqs.query.add_filter(~SQ(part))  # SearchQuerySet.exclude()
        if found.match is not None:
            _add_filter(sqs.query, found.match)
        notices.extend(found.notices)
        if found.spelled:
            # The engine suggests corrections of these words (haystack's INCLUDE_SPELLING).
            sqs.query.set_spelling_query(found.spelled)
    query = sqs.query
    # The filters are one SQ given once: a request with eighty filter values spent more time
    # building the query than searching.
    narrowing = []
    for facet in FACETS:
        values = request.filters.get(facet.param, [])
        if not values:
            continue
        name = facet.field_for(confirmed_tags=request.confirmed_tags)
        if facet.combine_all:
            narrowing += [SQ(**{f"{name}_exact": Exact(value)}) for value in values]
        else:
            narrowing.append(SQ(**{f"{name}_exact__in": values}))
    if request.date_from or request.date_to:
        first = parser.parse_period_bound(request.date_from, end=False) if request.date_from else None
        last = parser.parse_period_bound(request.date_to, end=True) if request.date_to else None
        narrowing.append(date_range_sq(first, last))
    if narrowing:
        _add_filter(query, QueryBuilder._combine(narrowing, SQ.AND))
    for facet in FACETS:
        query.add_field_facet(facet.field_for(confirmed_tags=request.confirmed_tags), size=MAX_FACET_VALUES)
    if SORTS[request.sort]:
        query.add_order_by(SORTS[request.sort])
    if request.q:
        query.add_highlight()
    return sqs


def searchable_queryset(request: SearchRequest, notices: list | None = None, *, words: dict | None = None) -> tuple[SearchQuerySet, int]:
    """Return (SearchQuerySet, number of results) for the request, never raising for a user's words.

    A query that is not valid syntax, or that the engine refuses, falls back to its plain words;
    if even those fail, to no result. Each fallback adds a notice that says so.
    """
    notices = [] if notices is None else notices
    try:
        sqs = build_queryset(request, notices=notices, words=words)
        return sqs, sqs.count()
    except DatabaseError:
        raise  # the database does not answer: a 503 page (articles.health), not a syntax notice
    except Exception as exc:
        if not isinstance(exc, parser.QuerySyntaxError):
            log.warning("search fell back to plain words for %r", request.q, exc_info=True)
        reason = f" ({exc})" if isinstance(exc, parser.QuerySyntaxError) else ""
        notices.append(_("La syntaxe de la recherche n’a pas été comprise%(reason)s : recherche des mots seuls.") % {"reason": reason})
    try:
        sqs = build_queryset(request, plain_words=True, words=words)
        return sqs, sqs.count()
    except DatabaseError:
        raise
    except Exception:
        log.exception("search failed even on plain words for %r", request.q)
        notices.append(_("Cette recherche n’a pas pu être faite."))
        return SearchQuerySet().none(), 0
