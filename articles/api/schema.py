"""The API's shapes and parameters as drf-spectacular reads them, for the OpenAPI schema (/api/schema/).

These serializers only describe: the answers are built as plain dicts by articles.api.shapes, and
the schemathesis tests (tests/api/test_schema.py) check every answer against this description.
"""
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers as s

from articles.api.params import MAX_PAGE
from articles.search.facets import FACETS
from articles.search.request import SORTS

PRECISIONS = ["day", "month", "year", "unknown"]


class Error(s.Serializer):
    detail = s.CharField(help_text="What was wrong, in the interface's language.")
    parameter = s.CharField(required=False, help_text="The query parameter at fault (400 only).")


class Named(s.Serializer):
    slug = s.CharField()
    name = s.CharField()
    page_url = s.URLField(allow_null=True)
    api_url = s.URLField(allow_null=True)


class NamedTag(Named):
    status = s.ChoiceField(["confirmed", "proposed"], help_text="Confirmed by a curator, or proposed (rule or suggestion).")


class CountryRef(s.Serializer):
    code = s.CharField(help_text="ISO 3166-1 alpha-2")
    name = s.CharField()
    page_url = s.URLField(allow_null=True)
    api_url = s.URLField(allow_null=True)


class ArticleSummary(s.Serializer):
    id = s.IntegerField()
    title = s.CharField(allow_blank=True, help_text="The headline, or the start of the text when there is none.")
    published = s.CharField(allow_null=True, help_text="Cut to its precision: 2022-03-20, 2022-03, 2022, or null.")
    date_precision = s.ChoiceField(PRECISIONS)
    source = Named(allow_null=True)
    agency = Named(allow_null=True)
    tags = NamedTag(many=True)
    actors = Named(many=True)
    countries = CountryRef(many=True)
    page_url = s.URLField()
    api_url = s.URLField()


class Result(ArticleSummary):
    snippet_html = s.CharField(allow_blank=True, help_text="HTML-escaped text around the searched words, marked with <mark>.")


class Brief(s.Serializer):
    id = s.IntegerField()
    title = s.CharField(allow_blank=True)
    published = s.CharField(allow_null=True)
    date_precision = s.ChoiceField(PRECISIONS)
    source = s.CharField(allow_null=True)
    page_url = s.URLField()
    api_url = s.URLField()


class FacetRow(s.Serializer):
    value = s.CharField(help_text="What the address carries: a slug, an ISO code, a year.")
    label = s.CharField(allow_blank=True)
    count = s.IntegerField()
    selected = s.BooleanField()
    toggle_url = s.URLField(help_text="This search with the value added, or removed when selected.")
    page_url = s.URLField(allow_null=True)
    api_url = s.URLField(allow_null=True)


class Facet(s.Serializer):
    param = s.ChoiceField([f.param for f in FACETS])
    title = s.CharField()
    truncated = s.BooleanField(help_text="More values than the rows: ask again with more=<param>.")
    rows = FacetRow(many=True)


class Suggestion(s.Serializer):
    q = s.CharField()
    url = s.URLField()


class DropSuggestion(s.Serializer):
    label = s.CharField()
    count = s.IntegerField()
    url = s.URLField()


class Pages(s.Serializer):
    page = s.IntegerField()
    pages = s.IntegerField()
    next = s.URLField(allow_null=True)
    previous = s.URLField(allow_null=True)


class Search(Pages):
    query = s.DictField(child=s.JSONField(), help_text="The search as understood: its parameters, cleaned.")
    total = s.IntegerField()
    page_url = s.URLField()
    feed_url = s.URLField(allow_null=True)
    results = Result(many=True)
    facets = Facet(many=True)
    notices = s.ListField(child=s.CharField())
    suggestion = Suggestion(allow_null=True, help_text="Did you mean: a corrected query that finds more articles.")
    drop_suggestions = DropSuggestion(many=True)
    exact_toggle_url = s.URLField()
    confirmed_toggle_url = s.URLField()


class ArticleDetail(ArticleSummary):
    language = s.CharField(allow_null=True)
    url = s.CharField(allow_null=True, help_text="Where the article was published.")
    origin = s.CharField(allow_blank=True, help_text="The file it was imported from.")
    body = s.CharField(allow_blank=True)
    captions = s.ListField(child=s.CharField(allow_blank=True))
    raw_url = s.URLField()
    same_story = Brief(many=True)
    similar = Brief(many=True)
    similar_skipped = s.BooleanField()


class Bar(s.Serializer):
    period = s.CharField()
    label = s.CharField()
    count = s.IntegerField()
    search_url = s.URLField()


class Timeline(s.Serializer):
    unit = s.ChoiceField(["month", "year"])
    not_drawn = s.IntegerField()
    bars = Bar(many=True)


class Related(s.Serializer):
    actor = FacetRow(many=True)
    country = FacetRow(many=True)
    tag = FacetRow(many=True)


class Entity(Pages):
    kind = s.ChoiceField(["actor", "country", "tag", "source"])
    value = s.CharField()
    name = s.CharField()
    facts = s.DictField(child=s.JSONField())
    total = s.IntegerField()
    page_url = s.URLField()
    api_url = s.URLField()
    search_url = s.URLField()
    feed_url = s.URLField(allow_null=True)
    timeline = Timeline(allow_null=True)
    related = Related()
    articles = Result(many=True)


def _flag(name, text):
    return OpenApiParameter(name, str, enum=["0", "1"], description=text)


FILTER_VALUES = {
    "actor": "Actors the articles all mention, by slug (xi-jinping)",
    "country": "Countries the articles all speak of, by ISO code (CN)",
    "tag": "Topic tags, any of them, by slug (diplomatie)",
    "source": "Publishers, any of them, by slug; - for an unknown publisher",
    "agency": "News agencies, any of them, by slug (afp)",
    "year": "Years, any of them (2022)",
    "month": "Months, any of them (2022-03)",
}
PAGE = OpenApiParameter("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}, description=f"1 to {MAX_PAGE}; past the last page, the last one.")
SEARCH_PARAMETERS = [
    OpenApiParameter("q", str, description="Words in the search box's language (see /help/); 500 characters are used."),
    *[OpenApiParameter(f.param, str, many=True, explode=True, description=f"{FILTER_VALUES[f.param]}; repeatable, 10 values used.")
      for f in FACETS],
    OpenApiParameter("date_from", str, description="2022, 2022-03 or 2022-03-15"),
    OpenApiParameter("date_to", str, description="2022, 2022-03 or 2022-03-15"),
    OpenApiParameter("sort", str, enum=list(SORTS), description="relevance (default with words), newest (default without), oldest"),
    PAGE,
    OpenApiParameter("more", str, enum=[f.param for f in FACETS], description="A facet to give every value of (200 at most)."),
    _flag("exact", "1: the words as written (no stemming, accents kept)."),
    _flag("confirmed", "1: tags confirmed by a curator only."),
]
ENTITY_PARAMETERS = [OpenApiParameter("sort", str, enum=["newest", "oldest"]), PAGE]
