"""The facets beside the results: what each counts, how its values combine, are named and linked.

A facet is a small class in the manner of Django admin's ListFilter and datasette's Facet:
configuration as class attributes, behaviour in hooks a subclass overrides. One description
serves the search page, the JSON API and the feeds: `Facet.results()` gives rows of value,
label, count, toggle URL and whether the value is selected.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Q
from django.http import Http404
from django.urls import NoReverseMatch
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles import links, page_cache
from articles.models import Actor, Country, Source, Tag
from articles.search import resolve

# The source facet's value for articles whose publisher is not known (no slug is ever "-").
UNKNOWN_SOURCE = "-"


@dataclass
class FacetRow:
    value: str  # what the address carries: a slug, an ISO code, a year
    label: str  # what a reader sees: a name in the current language
    count: int  # articles of the whole search with this value
    toggle_url: str  # the same search with this value added, or removed when selected: "?q=…&actor=…"
    selected: bool


@dataclass
class FacetResult:
    """One facet's rows for a search, and whether it has more values than the rows show."""

    facet: "Facet"
    rows: list[FacetRow]
    truncated: bool = False

    def __iter__(self):
        """Unpack as (facet, rows): `for facet, rows in page.facets`."""
        return iter((self.facet, self.rows))


class Facet:
    """A facet of the search: its address parameter, index field, how values combine and read.

    Subclasses set the class attributes and override the hooks below where they differ.
    """

    param = ""  # the query-string parameter: ?actor=xi-jinping
    field = ""  # the index field it counts and filters
    title = ""  # its heading beside the results: "Acteurs"
    noun = ""  # how a message names one of its values: "acteur"
    not_found = ""  # the notice when a query names no value: "… « %(value)s » …"
    combine_all = False  # True: every selected value must match (AND); False: any of them (OR)
    model: type | None = None  # the model whose slugs are the values
    page_name = ""  # the URL name of a value's own page ("articles:actor"), if values have one
    page_title = ""  # how that page presents its kind: "Acteur"
    facts_template = ""  # what that page says of the object: "articles/facts/actor.html"
    counts_proposals = False  # counts proposed values too, unless the search asks for confirmed ones only

    def normalise(self, value: str) -> str:
        """Return a value as the address may carry it, as the index stores it."""
        return value.strip().lower()

    def applies(self, request) -> bool:
        """Return whether this facet is shown beside the results of the SearchRequest."""
        return True

    def field_for(self, *, confirmed_tags: bool = False) -> str:
        """Return the index field this facet reads."""
        return self.field

    def filter_fields(self, *, confirmed_tags: bool = False) -> list[str]:
        """Return the index fields that a value named in a query (`tag:…`) is looked for in."""
        return [self.field_for(confirmed_tags=confirmed_tags)]

    def ordered(self, values: list[str]) -> list[str]:
        """Return the values in the order they are shown (the engine gives the most frequent first)."""
        return values

    def labels(self, values) -> dict[str, str]:
        """Return the display label of each value that has one: the name of the slug's object."""
        return dict(self.model.objects.filter(slug__in=list(values)).values_list("slug", "name"))

    def remembered_labels(self, values) -> dict[str, str]:
        """labels(), each value's read once per state of the archive (page_cache.remembered)."""
        language = get_language()
        found = page_cache.remembered.many(
            [(self.param, language, v) for v in values],
            lambda keys: {(self.param, language, v): label for v, label in self.labels([k[2] for k in keys]).items()})
        return {key[2]: label for key, label in found.items()}

    def named_exactly(self, text: str) -> str | None:
        """Return the value that text names exactly (a name or a slug), or None."""
        return self.model.objects.filter(Q(name__iexact=text) | Q(slug=text.lower())).values_list("slug", flat=True).first()

    def named_by(self, text: str) -> list[str]:
        """Return the values that text typed in a query (`tag:assistance`) names; empty when none.

        Exactly by name or slug; failing that, by whole words of a name ("assistance" for
        "Assistance militaire"), which may name several.
        """
        text = " ".join(text.split())
        value = self.named_exactly(text)
        if value:
            return [value]
        return resolve.named_by_word(self.model, text)

    def notices_for(self, text: str, values: list[str]) -> list[str]:
        """Return what the page says about the values a query's `field:text` was read as."""
        return [self.not_found % {"value": text}] if not values and self.not_found else []

    # Values with a page of their own (actors, countries, tags, sources).

    def get_object(self, key: str):
        """Return the object of a page address's key, or raise Http404."""
        try:
            return self.model.objects.get(slug=key)
        except self.model.DoesNotExist:
            raise Http404(key) from None

    def value_of(self, obj) -> str:
        """Return the facet value of an object: its slug."""
        return obj.slug

    def name_of(self, obj) -> str:
        """Return the name of an object in the current language."""
        return obj.name

    def url_key(self, value: str) -> str:
        """Return how the page address of a value spells it."""
        return value

    def entity_url(self, value: str) -> str | None:
        """Return the page of a value, or None when it has none."""
        if not self.page_name:
            return None
        try:
            return links.page_url(self.page_name, self.url_key(value))
        except NoReverseMatch:  # a value typed in the address that no page can have ("?country=%FF")
            return None

    # Rows.

    def rows(self, counts: list[tuple[str | None, int]], params: dict[str, list[str]], *, limit: int | None = None) -> list[FacetRow]:
        """Return the rows of the facet: the values with the most articles, selected ones always."""
        selected = params.get(self.param, [])
        counted = dict(counts)
        values = self.ordered([v for v, n in counts if v is not None and n > 0])
        if limit is not None:
            values = values[:limit]
        values += [v for v in selected if v not in values]
        labels = self.remembered_labels(values)
        toggle = toggle_urls(params, self.param)
        return [
            FacetRow(value=v, label=labels.get(v, v), count=counted.get(v, 0),
                     toggle_url=toggle(v), selected=v in selected)
            for v in values
        ]

    def results(self, request, counts: dict[str, list], *, limit: int | None = None) -> FacetResult:
        """Return this facet's rows for a SearchRequest from the engine's facet counts."""
        found = counts.get(self.field_for(confirmed_tags=request.confirmed_tags), [])
        rows = self.rows(found, request.params(), limit=limit)
        counted = sum(1 for v, n in found if v is not None and n > 0)
        return FacetResult(self, rows, truncated=limit is not None and counted > limit)


class ActorFacet(Facet):
    param, field, model = "actor", "actors", Actor
    title, noun, page_title = gettext_lazy("Acteurs"), gettext_lazy("acteur"), gettext_lazy("Acteur")
    not_found = gettext_lazy("Aucun acteur ne correspond à « %(value)s » dans l’archive.")
    combine_all = True  # articles that mention both
    page_name, facts_template = "articles:actor", "articles/facts/actor.html"

    def named_exactly(self, text: str) -> str | None:
        """An actor is also named by an alias, however spelt ("Putin")."""
        match = resolve.actor_slugs_by_name([text]).get(text.casefold())
        return match or Actor.objects.filter(slug=text.lower()).values_list("slug", flat=True).first()

    def named_by(self, text: str) -> list[str]:
        """A one-word name of several actors ("Li") names them all; else as other facets, by whole
        words of a name or an alias ("Poutine" for "Vladimir Poutine")."""
        ambiguous = resolve.ambiguous_actor_name(text)
        if ambiguous:
            return [slug for slug, _name in ambiguous]
        exact = self.named_exactly(" ".join(text.split()))
        if exact:
            return [exact]
        return [slug for slug, _name in resolve.actors_with_word(text)]

    def notices_for(self, text: str, values: list[str]) -> list[str]:
        if len(values) > 1 and resolve.ambiguous_actor_name(text):
            names = dict(resolve.actors_with_word(text))
            return [_("« %(name)s » peut désigner plusieurs acteurs : %(names)s. Les articles de chacun sont montrés ; "
                      "précisez, par exemple actor:\"%(example)s\".") % {
                "name": text, "names": ", ".join(names[v] for v in values if v in names), "example": names[values[0]]}]
        return super().notices_for(text, values)


class CountryFacet(Facet):
    param, field, model = "country", "countries", Country
    title, noun, page_title = gettext_lazy("Pays"), gettext_lazy("pays"), gettext_lazy("Pays")
    not_found = gettext_lazy("Aucun pays ne correspond à « %(value)s » dans l’archive.")
    combine_all = True
    page_name, facts_template = "articles:country", "articles/facts/country.html"

    def normalise(self, value: str) -> str:
        return value.strip().upper()  # ISO codes

    def labels(self, values) -> dict[str, str]:
        name = "name_en" if get_language() == "en" else "name_fr"
        return dict(Country.objects.filter(code__in=list(values)).values_list("code", name))

    def named_exactly(self, text: str) -> str | None:
        """A French or English name, or an ISO code."""
        from articles.ingest.countries import resolve_country

        code = resolve_country(text)
        return code if code and Country.objects.filter(code=code).exists() else None

    def named_by(self, text: str) -> list[str]:
        value = self.named_exactly(" ".join(text.split()))
        return [value] if value else []

    def get_object(self, key: str):
        try:
            return Country.objects.get(code=key.upper())
        except Country.DoesNotExist:
            raise Http404(key) from None

    def value_of(self, obj) -> str:
        return obj.code

    def name_of(self, obj) -> str:
        return obj.name_en if get_language() == "en" else obj.name_fr

    def url_key(self, value: str) -> str:
        return value.lower()  # /countries/cn/


class TagFacet(Facet):
    param, field, model = "tag", "tags", Tag
    title, noun, page_title = gettext_lazy("Thèmes"), gettext_lazy("thème"), gettext_lazy("Thème")
    not_found = gettext_lazy("Aucun thème ne correspond à « %(value)s » dans l’archive.")
    page_name, facts_template = "articles:tag", "articles/facts/tag.html"
    counts_proposals = True

    def field_for(self, *, confirmed_tags: bool = False) -> str:
        """Tags confirmed by a curator only, when asked; else proposed ones too."""
        return "tags_confirmed" if confirmed_tags else self.field

    def named_by(self, text: str) -> list[str]:
        """Every tag text names: its name however accented or cased, or its slug; else by whole words."""
        text = " ".join(text.split())
        alike = set(Tag.named_alike(text).values_list("slug", flat=True)) | set(Tag.objects.filter(slug=text.lower()).values_list("slug", flat=True))
        return sorted(alike) or resolve.named_by_word(Tag, text)

    def notices_for(self, text: str, values: list[str]) -> list[str]:
        if len(values) > 1:
            names = sorted(self.labels(values).values())
            return [_("« %(name)s » peut désigner plusieurs thèmes : %(names)s. Les articles de chacun sont montrés ; "
                      "précisez, par exemple tag:\"%(example)s\".") % {"name": text, "names": ", ".join(names), "example": names[0]}]
        return super().notices_for(text, values)


class SourceFacet(Facet):
    """The publishers; `source:` in a query names a publisher or an agency."""

    param, field, model = "source", "source", Source
    title, noun, page_title = gettext_lazy("Sources"), gettext_lazy("source"), gettext_lazy("Source")
    not_found = gettext_lazy("Aucune source ne correspond à « %(value)s » dans l’archive.")
    page_name, facts_template = "articles:source", "articles/facts/source.html"

    def filter_fields(self, *, confirmed_tags: bool = False) -> list[str]:
        return [self.field, "agency"]

    def labels(self, values) -> dict[str, str]:
        labels = super().labels(values)
        if UNKNOWN_SOURCE in values:
            labels[UNKNOWN_SOURCE] = str(_("source inconnue"))
        return labels

    def entity_url(self, value: str) -> str | None:
        return None if value == UNKNOWN_SOURCE else super().entity_url(value)


class AgencyFacet(Facet):
    """The news agencies the articles come from: sources too, whose page is the source's."""

    param, field, model = "agency", "agency", Source
    title, noun = gettext_lazy("Agences de presse"), gettext_lazy("agence")
    not_found = gettext_lazy("Aucune agence ne correspond à « %(value)s » dans l’archive.")
    page_name = "articles:source"


class YearFacet(Facet):
    """Periods: the values are their own labels, newest first."""

    param = field = "year"
    title, noun = gettext_lazy("Années"), gettext_lazy("année")

    def ordered(self, values: list[str]) -> list[str]:
        return sorted(values, reverse=True)

    def labels(self, values) -> dict[str, str]:
        return {v: v for v in values}

    def named_exactly(self, text: str) -> str | None:
        return text if text.isdigit() else None

    def named_by(self, text: str) -> list[str]:
        value = self.named_exactly(" ".join(text.split()))
        return [value] if value else []


class MonthFacet(YearFacet):
    param = field = "month"
    title, noun = gettext_lazy("Mois"), gettext_lazy("mois")

    def applies(self, request) -> bool:
        """Months are shown inside one chosen year (or once a month is chosen)."""
        return len(request.filters.get("year", [])) == 1 or "month" in request.filters


FACETS = (ActorFacet(), CountryFacet(), TagFacet(), SourceFacet(), AgencyFacet(), YearFacet(), MonthFacet())
FACETS_BY_PARAM = {f.param: f for f in FACETS}
# The facets whose values have a page of their own: /actors/<slug>/, /countries/<code>/ …
ENTITY_FACETS = {f.param: f for f in FACETS if f.page_name and f.page_title}


def encode_params(params: dict[str, list[str]]) -> str:
    """Return params as a query string, each value of a list repeated: actor=a&actor=b."""
    return urlencode([(k, v) for k, vs in params.items() for v in vs])


def toggle_urls(params: dict[str, list[str]], param: str):
    """Return toggle(value): the query string with value added to param, or removed if it is there; page reset.

    The other parameters are encoded once for all the values of a facet.
    """
    others = {k: v for k, v in params.items() if k != "page"}
    keys = list(others) if param in others else [*others, param]
    at = keys.index(param)
    before, after = (encode_params({k: others[k] for k in part}) for part in (keys[:at], keys[at + 1:]))
    current = others.get(param, [])

    def toggle(value: str) -> str:
        values = list(current)
        if value in values:
            values.remove(value)
        else:
            values.append(value)
        return "?" + "&".join(part for part in (before, encode_params({param: values}), after) if part)

    return toggle


def entity_url(param: str, value: str) -> str | None:
    """Return the page of an actor, country, tag or source given its facet value; None for others."""
    facet = FACETS_BY_PARAM.get(param)
    return facet.entity_url(value) if facet is not None else None
