"""Tags, sources and countries in the admin: rename, describe, merge, detection aliases."""
from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles import curation
from articles.admin.confirm import merge_action
from articles.models import Article, Country, Source, Tag


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "description", "article_count"]
    search_fields = ["name"]
    ordering = ["name"]
    readonly_fields = ["slug"]
    actions = ["merge"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_total=Count("articles", distinct=True))

    @admin.display(description=gettext_lazy("articles"), ordering="article_total")
    def article_count(self, tag):
        return tag.article_total

    @admin.action(description=gettext_lazy("Fusionner les thèmes sélectionnés"), permissions=["change", "delete"])
    def merge(self, request, queryset):
        return merge_action(
            self, request, queryset, title=_("Fusionner des thèmes"), too_few=_("Choisissez au moins deux thèmes à fusionner."),
            describe_other=lambda other, into: _("« %(other)s » : %(n)d article(s) passent à « %(into)s » (%(m)d l’ont déjà), puis « %(other)s » est supprimé.") % {
                "other": other.name, "into": into.name, "n": other.articles.count(), "m": other.articles.filter(tags=into).count()},
            merge=lambda tags, into: curation.tag_merge(tags=tags, into=into),
            merged_message=_("%(n)d thème(s) fusionnés dans « %(into)s » ; %(m)d article(s) mis à jour."),
        )


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "is_agency", "url", "article_count"]
    list_filter = ["is_agency"]
    search_fields = ["name"]
    ordering = ["name"]
    readonly_fields = ["slug"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = ["merge"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            article_total=Count("articles", distinct=True) + Count("agency_articles", distinct=True)
        )

    @admin.display(description=gettext_lazy("articles"), ordering="article_total")
    def article_count(self, source):
        return source.article_total

    @admin.action(description=gettext_lazy("Fusionner les sources sélectionnées"), permissions=["change", "delete"])
    def merge(self, request, queryset):
        return merge_action(
            self, request, queryset, title=_("Fusionner des sources"), too_few=_("Choisissez au moins deux sources à fusionner."),
            describe_other=lambda other, into: _("« %(other)s » : %(n)d article(s) passent à « %(into)s », puis « %(other)s » est supprimée.") % {
                "other": other.name, "into": into.name, "n": Article.objects.filter(Q(source=other) | Q(agency=other)).count()},
            merge=lambda sources, into: curation.source_merge(sources=sources, into=into),
            merged_message=_("%(n)d source(s) fusionnées dans « %(into)s » ; %(m)d article(s) mis à jour."),
        )


class CountryForm(forms.ModelForm):
    """Detection aliases typed one per line (capitals, demonyms, usual short names)."""

    aliases = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 6}), label=gettext_lazy("alias de détection"),
        help_text=gettext_lazy("Un par ligne : capitale, siège du gouvernement, gentilé (« Pékin », « chinois »)."),
    )

    class Meta:
        model = Country
        fields = ["name_fr", "name_en", "aliases"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["aliases"] = "\n".join(self.instance.aliases or [])

    def clean_aliases(self):
        lines = [" ".join(line.split()) for line in self.cleaned_data["aliases"].splitlines()]
        return list(dict.fromkeys(line for line in lines if line))


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    form = CountryForm
    list_display = ["code", "name_fr", "name_en", "alias_list"]
    search_fields = ["code", "name_fr", "name_en"]
    readonly_fields = ["code"]

    @admin.display(description=gettext_lazy("alias"))
    def alias_list(self, country):
        return ", ".join(country.aliases)

    def has_add_permission(self, request):
        return False  # the list of countries is ISO 3166-1's
