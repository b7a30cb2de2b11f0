"""Tags, sources and countries in the admin: rename, describe, merge, detection aliases."""
from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles import curation
from articles.admin.actors import SurvivorForm
from articles.admin.confirm import confirmed_action, log_change
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

    @admin.action(description=gettext_lazy("Fusionner les thèmes sélectionnés"), permissions=["change"])
    def merge(self, request, queryset):
        if queryset.count() < 2:
            self.message_user(request, _("Choisissez au moins deux thèmes à fusionner."), level="warning")
            return None

        def describe(qs, data):
            into = data["into"]
            having = set(into.articles.values_list("pk", flat=True))
            return [
                _("« %(other)s » : %(n)d article(s) passent à « %(into)s » (%(m)d l’ont déjà), puis « %(other)s » est supprimé.") % {
                    "other": t.name, "into": into.name, "n": t.articles.count(), "m": t.articles.filter(pk__in=having).count()}
                for t in qs.exclude(pk=into.pk)
            ]

        def apply(qs, data):
            into = data["into"]
            outcome = curation.tag_merge(tags=list(qs), into=into)
            log_change(request, [into], _("Fusion : %s fusionné(s) ici.") % ", ".join(outcome.removed))
            log_change(request, Article.objects.filter(pk__in=outcome.articles), _("Thèmes fusionnés dans « %s ».") % into.name)
            return _("%(n)d thème(s) fusionnés dans « %(into)s » ; %(m)d article(s) mis à jour.") % {"n": len(outcome.removed), "into": into.name, "m": len(outcome.articles)}

        return confirmed_action(self, request, queryset, title=_("Fusionner des thèmes"), describe=describe, apply=apply,
                                form_class=SurvivorForm, form_kwargs={"queryset": queryset})


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

    @admin.action(description=gettext_lazy("Fusionner les sources sélectionnées"), permissions=["change"])
    def merge(self, request, queryset):
        if queryset.count() < 2:
            self.message_user(request, _("Choisissez au moins deux sources à fusionner."), level="warning")
            return None

        def describe(qs, data):
            into = data["into"]
            return [
                _("« %(other)s » : %(n)d article(s) passent à « %(into)s », puis « %(other)s » est supprimée.") % {
                    "other": s.name, "into": into.name, "n": Article.objects.filter(Q(source=s) | Q(agency=s)).count()}
                for s in qs.exclude(pk=into.pk)
            ]

        def apply(qs, data):
            into = data["into"]
            outcome = curation.source_merge(sources=list(qs), into=into)
            log_change(request, [into], _("Fusion : %s fusionnée(s) ici.") % ", ".join(outcome.removed))
            log_change(request, Article.objects.filter(pk__in=outcome.articles), _("Sources fusionnées dans « %s ».") % into.name)
            return _("%(n)d source(s) fusionnées dans « %(into)s » ; %(m)d article(s) mis à jour.") % {"n": len(outcome.removed), "into": into.name, "m": len(outcome.articles)}

        return confirmed_action(self, request, queryset, title=_("Fusionner des sources"), describe=describe, apply=apply,
                                form_class=SurvivorForm, form_kwargs={"queryset": queryset})


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
