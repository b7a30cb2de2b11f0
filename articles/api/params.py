"""The API's query parameters: those of the pages, checked strictly (a bad one is a 400 that names it).

The search page forgives (an unknown sort is the default one, a bad date is ignored with a
notice); a program is better told. Once checked, the parameters go through the very
SearchRequest.from_querydict the page uses, with its bounds (query length, values per filter).
"""
from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.negotiation import DefaultContentNegotiation

from articles.search import parser
from articles.search.facets import FACETS, FACETS_BY_PARAM
from articles.search.request import SORTS, SearchRequest

MAX_PAGE = 10_000  # as the pages
FLAGS = ("0", "1")


class BadParameter(APIException):
    """A 400 whose JSON names the parameter: {"detail": "...", "parameter": "sort"}."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "bad_parameter"

    def __init__(self, parameter: str, message: str):
        super().__init__({"detail": message, "parameter": parameter})


class Negotiation(DefaultContentNegotiation):
    """DRF's negotiation, but an unknown ?format= is a 400 that lists the formats, not a bare 404."""

    def select_renderer(self, request, renderers, format_suffix=None):
        asked = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        known = list(dict.fromkeys(renderer.format for renderer in renderers))
        if asked and asked not in known and known == ["json"]:  # the schema's own formats stay drf-spectacular's
            raise BadParameter("format", _("« format » vaut %(choices)s.") % {"choices": ", ".join(known)})
        return super().select_renderer(request, renderers, format_suffix)


def _one(query, name: str) -> str | None:
    """Return the parameter's value, None when it is not given; given twice is a 400."""
    values = query.getlist(name)
    if len(values) > 1:
        raise BadParameter(name, _("« %(name)s » ne peut être donné qu’une fois.") % {"name": name})
    return values[0] if values else None


def page_number(query) -> int:
    value = _one(query, "page")
    if value is None:
        return 1
    if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= MAX_PAGE:
        raise BadParameter("page", _("« page » est un nombre entier de 1 à %(max)d.") % {"max": MAX_PAGE})
    return int(value)


def choice(query, name: str, choices) -> str:
    value = _one(query, name)
    if value is not None and value not in choices:
        raise BadParameter(name, _("« %(name)s » vaut %(choices)s.") % {"name": name, "choices": ", ".join(choices)})
    return value


def search_request(query) -> SearchRequest:
    """Return the SearchRequest of the API's query parameters, or raise BadParameter."""
    page_number(query)
    choice(query, "sort", list(SORTS))
    choice(query, "more", [f.param for f in FACETS])
    for flag in ("exact", "confirmed"):
        choice(query, flag, FLAGS)
    _one(query, "q")
    for name in ("date_from", "date_to"):
        value = (_one(query, name) or "").strip()
        if value:
            try:
                parser.parse_period_bound(value, end=name == "date_to")
            except parser.QuerySyntaxError as exc:
                raise BadParameter(name, str(exc)) from None
    return SearchRequest.from_querydict(query)


def list_sort(query) -> str:
    """Return the sort of an entity's articles: newest (default) or oldest."""
    page_number(query)
    return choice(query, "sort", ["newest", "oldest"]) or "newest"


__all__ = ["BadParameter", "search_request", "list_sort", "page_number", "FACETS_BY_PARAM"]
