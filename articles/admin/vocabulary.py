"""Tags, sources and countries in the admin: rename, describe, merge, detection aliases."""
from collections import defaultdict

from django import forms
from django.contrib import admin
from django.db import models, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from articles import curation
from articles.admin.confirm import SelectionChecked, WEB_URL_FIELD, log_change, merge_action, status_labels
from articles.admin.forms import TagForm
from articles.models import Article, Country, LinkStatus, Source, Tag


@admin.register(Tag)
class TagAdmin(SelectionChecked, admin.ModelAdmin):
    form = TagForm
    list_display = ["name", "slug", "description", "article_count", "proposed_count", "rule_count"]
    search_fields = ["name", "slug"]
    ordering = ["name"]
    fields = ["name", "slug", "description"]
    actions = ["merge"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            article_total=Count("article_links", filter=Q(article_links__status=LinkStatus.CONFIRMED), distinct=True),
            proposed_total=Count("article_links", filter=Q(article_links__status=LinkStatus.PROPOSED), distinct=True),
            rule_total=Count("rules", distinct=True),
        )

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.base_fields["slug"].help_text = _("Le nom du thème dans les adresses (/tags/…/) et les filtres ; "
                                               "vide : tiré du nom. L’ancienne adresse redirige (301) vers la nouvelle.")
        return form

    @admin.display(description=gettext_lazy("articles confirmés"), ordering="article_total")
    def article_count(self, tag):
        return tag.article_total

    @admin.display(description=gettext_lazy("propositions à relire"), ordering="proposed_total")
    def proposed_count(self, tag):
        if not tag.proposed_total:
            return 0
        url = reverse("admin:articles_tagproposal_changelist") + f"?tag__id__exact={tag.pk}"
        return format_html('<a href="{}">{}</a>', url, tag.proposed_total)

    @admin.display(description=gettext_lazy("règles"), ordering="rule_total")
    def rule_count(self, tag):
        return tag.rule_total

    @admin.action(description=gettext_lazy("Fusionner les thèmes sélectionnés"), permissions=["change", "delete"])
    def merge(self, request, queryset):
        return merge_action(
            self, request, queryset, title=_("Fusionner des thèmes"), too_few=_("Choisissez au moins deux thèmes à fusionner."),
            describe_other=describe_tag_merge,
            merge=lambda tags, data: curation.tag_merge(tags=tags, into=data["into"]),
            done_message=lambda outcome, into: merged_message(
                ngettext("%(n)d thème fusionné dans « %(into)s » ;", "%(n)d thèmes fusionnés dans « %(into)s » ;", len(outcome.removed)),
                outcome, into),
        )


def merged_message(first: str, outcome, into) -> str:
    return " ".join([first % {"n": len(outcome.removed), "into": str(into)},
                     ngettext("%(n)d article mis à jour.", "%(n)d articles mis à jour.", len(outcome.articles)) % {"n": len(outcome.articles)}])


def describe_tag_merge(other: Tag, data: dict) -> str:
    """Say exactly which articles move to the kept tag, which are dropped as duplicates."""
    into = data["into"]
    plan = curation.tag_merge_plan(other, into, data["merged_ids"])
    values = {"other": other.name, "into": into.name}
    sentences = [ngettext("« %(other)s » : %(n)d article passera à « %(into)s ».",
                          "« %(other)s » : %(n)d articles passeront à « %(into)s ».", plan.moving) % {**values, "n": plan.moving}]
    sentences += [describe_tag_fold(fold, n, values) for fold, n in plan.folds.items()]
    if plan.rules:
        sentences.append(ngettext("%(n)d règle de « %(other)s » passera à « %(into)s » et proposera désormais « %(into)s ».",
                                  "%(n)d règles de « %(other)s » passeront à « %(into)s » et proposeront désormais « %(into)s ».",
                                  plan.rules) % {**values, "n": plan.rules})
    sentences.append(_("Puis « %(other)s » sera supprimé.") % values)
    return " ".join(sentences)


def describe_tag_fold(fold, n: int, values: dict) -> str:
    """Say what happens to n links of the merged tag whose articles already have the kept one."""
    values = {**values, "n": n, **status_labels(fold)}
    if fold.kept == fold.dropped:
        return ngettext("%(n)d article a déjà « %(into)s » : son lien à « %(other)s » sera supprimé comme doublon.",
                        "%(n)d articles ont déjà « %(into)s » : leur lien à « %(other)s » sera supprimé comme doublon.", n) % values
    if fold.result == fold.kept:
        return ngettext("%(n)d article a déjà « %(into)s » au statut « %(kept)s », qu’il garde : son lien à « %(other)s » "
                        "au statut « %(dropped)s » sera supprimé comme doublon.",
                        "%(n)d articles ont déjà « %(into)s » au statut « %(kept)s », qu’ils gardent : leur lien à "
                        "« %(other)s » au statut « %(dropped)s » sera supprimé comme doublon.", n) % values
    return ngettext("%(n)d article a déjà « %(into)s » au statut « %(kept)s », qui devient « %(result)s » : son lien à "
                    "« %(other)s » au statut « %(dropped)s » sera supprimé comme doublon.",
                    "%(n)d articles ont déjà « %(into)s » au statut « %(kept)s », qui devient « %(result)s » : leur lien à "
                    "« %(other)s » au statut « %(dropped)s » sera supprimé comme doublon.", n) % values


@admin.register(Source)
class SourceAdmin(SelectionChecked, admin.ModelAdmin):
    list_display = ["name", "is_agency", "url", "article_count"]
    list_filter = ["is_agency"]
    search_fields = ["name"]
    ordering = ["name"]
    readonly_fields = ["slug"]
    formfield_overrides = {models.URLField: WEB_URL_FIELD}
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
            describe_other=describe_source_merge,
            merge=lambda sources, data: curation.source_merge(sources=sources, into=data["into"]),
            done_message=lambda outcome, into: merged_message(
                ngettext("%(n)d source fusionnée dans « %(into)s » ;", "%(n)d sources fusionnées dans « %(into)s » ;", len(outcome.removed)),
                outcome, into),
        )


def describe_source_merge(other: Source, data: dict) -> str:
    into = data["into"]
    values = {"other": other.name, "into": into.name}
    published, relayed = Article.objects.filter(source=other).count(), Article.objects.filter(agency=other).count()
    sentences = [ngettext("« %(other)s » : %(n)d article publié passera à « %(into)s ».",
                          "« %(other)s » : %(n)d articles publiés passeront à « %(into)s ».", published) % {**values, "n": published}]
    if relayed:
        sentences.append(ngettext("%(n)d article d’agence passera à « %(into)s ».",
                                  "%(n)d articles d’agence passeront à « %(into)s ».", relayed) % {**values, "n": relayed})
    sentences.append(_("Puis « %(other)s » sera supprimée.") % values)
    return " ".join(sentences)


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
class CountryAdmin(SelectionChecked, admin.ModelAdmin):
    form = CountryForm
    list_display = ["code", "name_fr", "name_en", "alias_list"]
    search_fields = ["code", "name_fr", "name_en"]
    readonly_fields = ["code"]

    @admin.display(description=gettext_lazy("alias"))
    def alias_list(self, country):
        return ", ".join(country.aliases)

    def has_add_permission(self, request):
        return False  # the list of countries is ISO 3166-1's

    def has_delete_permission(self, request, obj=None):
        """Only a superuser deletes a country (its links go with it); curators edit its aliases."""
        return request.user.is_superuser

    def delete_model(self, request, obj):
        self._log_links(request, [obj])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():  # the change list's delete action is not in a transaction of its own
            self._log_links(request, list(queryset))
            super().delete_queryset(request, queryset)

    @staticmethod
    def _log_links(request, countries):
        """Record on each linked article the link the deletion removes (status, origin), before it goes."""
        for country in countries:
            groups = defaultdict(list)
            for link in country.article_links.only("article_id", "status", "origin"):
                groups[(link.get_status_display(), link.get_origin_display())].append(Article(pk=link.article_id))
            for (status, origin), articles in groups.items():
                log_change(request, articles, _("Pays « %(name)s » (%(code)s) supprimé : son lien est retiré (%(status)s, %(origin)s).") % {
                    "name": country.name_fr, "code": country.code, "status": status, "origin": origin})
