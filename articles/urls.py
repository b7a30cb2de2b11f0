from django.urls import path

from articles import views

app_name = "articles"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("search/export/", views.search_export, name="search_export"),
    path("help/", views.search_help, name="help"),
    path("articles/<int:pk>/", views.article_detail, name="detail"),
    path("articles/<int:pk>/raw/", views.article_raw, name="raw"),
]
