from django.urls import path, register_converter

from articles import views


class YearConverter:
    regex = "[0-9]{4}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return f"{int(value):04d}"


class MonthConverter:
    regex = "0[1-9]|1[0-2]"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return f"{int(value):02d}"


register_converter(YearConverter, "yyyy")
register_converter(MonthConverter, "mm")

app_name = "articles"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("search/export/", views.search_export, name="search_export"),
    path("help/", views.search_help, name="help"),
    path("articles/<int:pk>/", views.article_detail, name="detail"),
    path("articles/<int:pk>/raw/", views.article_raw, name="raw"),
    path("actors/<slug:key>/", views.entity, {"param": "actor"}, name="actor"),
    path("countries/<slug:key>/", views.entity, {"param": "country"}, name="country"),
    path("tags/<slug:key>/", views.entity, {"param": "tag"}, name="tag"),
    path("sources/<slug:key>/", views.entity, {"param": "source"}, name="source"),
    path("<yyyy:year>/", views.archive_year, name="archive_year"),
    path("<yyyy:year>/<mm:month>/", views.archive_month, name="archive_month"),
]
