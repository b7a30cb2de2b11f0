"""The read-only JSON API: thin views over the pages' own code (run_search, browse, selectors).

Anonymous (no authentication, hence no session or CSRF), GET and HEAD only, JSON only; every
error is JSON too (articles.api.errors): 400 names the bad parameter, 404 says what was not found.
"""
from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from articles import browse, redirects, selectors
from articles.api import params, schema, shapes
from articles.search.page import Budget, more_like_this, run_search

NOT_FOUND = OpenApiResponse(schema.Error, description="Nothing has that address.")
BAD = OpenApiResponse(schema.Error, description="A parameter is not valid; `parameter` names it.")


class ReadOnlyAPIView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]
    http_method_names = ["get", "head", "options"]


class SearchView(ReadOnlyAPIView):
    @extend_schema(operation_id="search", parameters=schema.SEARCH_PARAMETERS,
                   responses={200: schema.Search, 400: BAD, 404: NOT_FOUND},
                   summary="Search the archive, as the search page does",
                   description="Every parameter of /search/; results, total, every facet's rows, notices, "
                               "suggestions and links to the next and previous pages.")
    def get(self, request):
        search_request = params.search_request(request.query_params)
        return Response(shapes.search_result(run_search(search_request), shapes.Links(request)))


class ArticleView(ReadOnlyAPIView):
    @extend_schema(operation_id="article", responses={200: schema.ArticleDetail, 404: NOT_FOUND},
                   summary="One article, as its page shows it", description="Clean text, metadata, the same story elsewhere, similar articles.")
    def get(self, request, id):  # noqa: A002  (the schema's name for it)
        budget = Budget()
        try:
            article = selectors.articles_with_metadata().get(pk=id)
        except selectors.Article.DoesNotExist:
            raise Http404 from None
        similar = more_like_this(article) if budget.left() else []
        return Response(shapes.article_detail(article, same_story=selectors.same_story(article), similar=similar,
                                              similar_skipped=budget.skipped, links=shapes.Links(request)))


class EntityView(ReadOnlyAPIView):
    param = ""

    def get(self, request, key):
        sort = params.list_sort(request.query_params)
        page = params.page_number(request.query_params)
        try:
            found = browse.entity_page(self.param, key, sort=sort, page=page)
        except Http404:
            moved = redirects.current_key(self.param, key)  # merged or renamed: as the page, a 301
            if moved is None:
                raise
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(reverse(f"api:{self.param}", args=[moved]) + (f"?{query}" if query else ""))
        return Response(shapes.entity(found, shapes.Links(request)))


def _entity_view(param: str, key_text: str):
    description = ("The entity, its number of articles, its timeline (per month; per year over 48 months), "
                   "what is most often mentioned with it, and a page of its articles.")
    def get(self, request, key):
        return EntityView.get(self, request, key)

    view = type(f"{param.capitalize()}View", (EntityView,), {"param": param})
    view.get = extend_schema(
        operation_id=param, summary=f"One {param}, as its page shows it", description=description,
        parameters=[OpenApiParameter("key", str, OpenApiParameter.PATH, description=key_text), *schema.ENTITY_PARAMETERS],
        responses={200: schema.Entity, 301: OpenApiResponse(description="Merged or renamed: Location is its address now."),
                   400: BAD, 404: NOT_FOUND},
    )(get)
    return view


ActorView = _entity_view("actor", "The actor's slug, as in /actors/<slug>/")
CountryView = _entity_view("country", "The country's ISO code, as in /countries/<code>/")
TagView = _entity_view("tag", "The tag's slug")
SourceView = _entity_view("source", "The source's slug")
