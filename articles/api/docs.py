"""The API's index and its interactive documentation (Swagger UI), within the site's CSP.

Swagger UI's files come from drf-spectacular-sidecar (static files of our own, no CDN); the page
loads its start-up script from the same address (`?script`) instead of inline, and its few style
rules from a static file: the Content-Security-Policy forbids inline scripts and styles.
"""
from django.http import JsonResponse
from django.urls import reverse
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny


class SwaggerDocs(SpectacularSwaggerSplitView):
    template_name = "api/docs.html"
    authentication_classes = []
    permission_classes = [AllowAny]


def index(request):
    """GET /api/: where the endpoints, the schema and its documentation are."""
    def url(name, *args):
        return request.build_absolute_uri(reverse(name, args=args))

    return JsonResponse({
        "search": url("api:search") + "?q={words}",
        "article": url("api:article", 1).replace("/1/", "/{id}/"),
        "actor": url("api:actor", "x").replace("/x/", "/{slug}/"),
        "country": url("api:country", "x").replace("/x/", "/{code}/"),
        "tag": url("api:tag", "x").replace("/x/", "/{slug}/"),
        "source": url("api:source", "x").replace("/x/", "/{slug}/"),
        "schema": url("api:schema"),
        "docs": url("api:docs"),
    })
