from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from articles.api import docs, views

app_name = "api"
urlpatterns = [
    path("", docs.index, name="index"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("articles/<int:id>/", views.ArticleView.as_view(), name="article"),
    path("actors/<slug:key>/", views.ActorView.as_view(), name="actor"),
    path("countries/<slug:key>/", views.CountryView.as_view(), name="country"),
    path("tags/<slug:key>/", views.TagView.as_view(), name="tag"),
    path("sources/<slug:key>/", views.SourceView.as_view(), name="source"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", docs.SwaggerDocs.as_view(url_name="api:schema"), name="docs"),
]
