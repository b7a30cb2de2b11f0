from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from articles import feeds, health, sitemaps

handler404 = "articles.api.errors.not_found"
handler500 = "articles.api.errors.server_error"

feed_patterns = ([
    path("", feeds.ArchiveFeed(), name="archive"),
    path("search/", feeds.SearchFeed(), name="search"),
    path("actors/<slug:key>/", feeds.entity_feed("actor"), name="actor"),
    path("countries/<slug:key>/", feeds.entity_feed("country"), name="country"),
    path("tags/<slug:key>/", feeds.entity_feed("tag"), name="tag"),
    path("sources/<slug:key>/", feeds.entity_feed("source"), name="source"),
], "feeds")

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("robots.txt", sitemaps.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap_views.index, {"sitemaps": sitemaps.SITEMAPS, "sitemap_url_name": "sitemap_section"}, name="sitemap_index"),
    path("sitemap-<section>.xml", sitemap_views.sitemap, {"sitemaps": sitemaps.SITEMAPS}, name="sitemap_section"),
    path("admin/", admin.site.urls),
    path("api/", include("articles.api.urls")),
    path("feeds/", include(feed_patterns)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("articles.urls")),
]
