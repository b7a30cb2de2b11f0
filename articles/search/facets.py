"""The facets beside the results: which field each reads, how values combine, their labels.

One description serves the search page and, later, the JSON and feeds: a facet yields rows of
value, label, count, toggle URL and whether the value is selected.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.utils.translation import gettext_lazy as _

from articles.models import Actor, Country, Source, Tag


@dataclass(frozen=True)
class Facet:
    param: str  # the query-string parameter: ?actor=xi-jinping
    field: str  # the index field
    title: str
    combine_all: bool  # True: every selected value must match (AND); False: any of them (OR)
    model: type | None = None  # the model whose slugs are the values, for labels
    noun: str = ""  # how a message names one value: "acteur"

    def normalise(self, value: str) -> str:
        value = value.strip()
        return value.upper() if self.model is Country else value.lower()

    def labels(self, values) -> dict[str, str]:
        """Return the display label of each value."""
        if self.model is None:
            return {v: v for v in values}
        if self.model is Country:
            return {c.code: c.name_fr for c in Country.objects.filter(code__in=list(values))}
        labels = dict(self.model.objects.filter(slug__in=list(values)).values_list("slug", "name"))
        if self.param == "source" and UNKNOWN_SOURCE in values:
            labels[UNKNOWN_SOURCE] = str(_("source inconnue"))
        return labels

    def field_for(self, *, confirmed_tags: bool = False) -> str:
        """Return the index field this facet reads: tags confirmed by a curator only, when asked."""
        return "tags_confirmed" if self.param == "tag" and confirmed_tags else self.field


# The source facet's value for articles whose publisher is not known (no slug is ever "-").
UNKNOWN_SOURCE = "-"

FACETS = (
    Facet("actor", "actors", _("Acteurs"), combine_all=True, model=Actor, noun=_("acteur")),
    Facet("country", "countries", _("Pays"), combine_all=True, model=Country, noun=_("pays")),
    Facet("tag", "tags", _("Thèmes"), combine_all=False, model=Tag, noun=_("thème")),
    Facet("source", "source", _("Sources"), combine_all=False, model=Source, noun=_("source")),  # publishers
    Facet("agency", "agency", _("Agences de presse"), combine_all=False, model=Source, noun=_("agence")),
    Facet("year", "year", _("Années"), combine_all=False, noun=_("année")),
    Facet("month", "month", _("Mois"), combine_all=False, noun=_("mois")),
)
FACETS_BY_PARAM = {f.param: f for f in FACETS}


@dataclass
class FacetRow:
    value: str
    label: str
    count: int
    url: str
    selected: bool


def encode_params(params: dict[str, list[str]]) -> str:
    """Return params as a query string, each value of a list repeated: actor=a&actor=b."""
    return urlencode([(k, v) for k, vs in params.items() for v in vs])


def toggle_url(params: dict[str, list[str]], param: str, value: str) -> str:
    """Return the query string with value added to param, or removed if it is there; page reset."""
    new = {k: list(v) for k, v in params.items() if k != "page"}
    values = new.setdefault(param, [])
    if value in values:
        values.remove(value)
    else:
        values.append(value)
    return "?" + encode_params(new)


def facet_rows(facet: Facet, counts: list[tuple[str, int]], params: dict[str, list[str]], *, limit: int | None = None) -> list[FacetRow]:
    """Return the rows of one facet: the values with the most articles, selected ones always."""
    selected = params.get(facet.param, [])
    counted = dict(counts)
    values = [v for v, n in counts if v is not None and n > 0]
    if facet.param in ("year", "month"):
        values.sort(reverse=True)
    if limit is not None:
        values = values[:limit]
    values += [v for v in selected if v not in values]
    labels = facet.labels(values)
    return [
        FacetRow(
            value=v, label=labels.get(v, v), count=counted.get(v, 0),
            url=toggle_url(params, facet.param, v), selected=v in selected,
        )
        for v in values
    ]
