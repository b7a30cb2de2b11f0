from django.contrib import admin
from django.urls import include, path

from articles import health

handler404 = "articles.api.errors.not_found"
handler500 = "articles.api.errors.server_error"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/", include("articles.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("articles.urls")),
]
