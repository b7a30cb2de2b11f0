"""Curation in the Django admin: articles with their tags, actors and countries, and the lists behind them."""
from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from articles.models import Actor, ActorAlias, Article, ArticleActor, ArticleCountry, Country, Source, Tag


class ArticleActorInline(admin.TabularInline):
    model = ArticleActor
    autocomplete_fields = ["actor"]
    fields = ["actor", "origin", "confidence", "evidence"]
    readonly_fields = ["confidence", "evidence"]
    extra = 1


class ArticleCountryInline(admin.TabularInline):
    model = ArticleCountry
    autocomplete_fields = ["country"]
    fields = ["country", "origin", "confidence", "evidence"]
    readonly_fields = ["confidence", "evidence"]
    extra = 1


class YearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = Article.objects.filter(published_on__isnull=False).dates("published_on", "year", order="DESC")
        return [(str(d.year), str(d.year)) for d in years] + [("unknown", _("unknown date"))]

    def queryset(self, request, queryset):
        if self.value() == "unknown":
            return queryset.filter(published_on__isnull=True)
        if self.value() and self.value().isdigit():
            return queryset.filter(published_on__year=int(self.value()))
        return queryset


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    ordering = ["-published_on", "-id"]
    list_display = ["display_title", "published_on", "date_precision", "source", "actor_count", "country_count", "created_at"]
    list_filter = ["source", YearFilter, "tags", "language", "date_precision"]
    search_fields = ["title", "body", "origin", "url"]
    autocomplete_fields = ["tags", "source", "agency"]
    inlines = [ArticleActorInline, ArticleCountryInline]
    readonly_fields = ["content_hash", "origin", "raw_format", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "body", "tags"]}),
        (_("Date and source"), {"fields": [("published_on", "date_precision"), ("source", "agency"), "language", "url"]}),
        (_("Where it came from"), {"classes": ["collapse"], "fields": ["origin", "raw_format", "raw", "captions", "content_hash", "created_at", "updated_at"]}),
    ]
    list_select_related = ["source"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            actor_total=Count("actor_links", distinct=True), country_total=Count("country_links", distinct=True)
        )

    @admin.display(description=_("title"), ordering="title")
    def display_title(self, article):
        return article.display_title

    @admin.display(description=_("actors"), ordering="actor_total")
    def actor_count(self, article):
        return article.actor_total

    @admin.display(description=_("countries"), ordering="country_total")
    def country_count(self, article):
        return article.country_total


class ActorAliasInline(admin.TabularInline):
    model = ActorAlias
    extra = 1


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "review_state", "article_count"]
    list_filter = ["kind", "review_state"]
    search_fields = ["name", "aliases__name"]
    ordering = ["name"]
    inlines = [ActorAliasInline]
    readonly_fields = ["slug", "created_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_total=Count("article_links", distinct=True))

    @admin.display(description=_("articles"), ordering="article_total")
    def article_count(self, actor):
        return actor.article_total


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "description", "article_count"]
    search_fields = ["name"]
    ordering = ["name"]
    readonly_fields = ["slug"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_total=Count("articles", distinct=True))

    @admin.display(description=_("articles"), ordering="article_total")
    def article_count(self, tag):
        return tag.article_total


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "is_agency", "url"]
    list_filter = ["is_agency"]
    search_fields = ["name"]
    readonly_fields = ["slug"]


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fr", "name_en"]
    search_fields = ["code", "name_fr", "name_en"]
    readonly_fields = ["code"]

    def has_add_permission(self, request):
        return False  # the list of countries comes from ISO 3166-1 (pycountry)
