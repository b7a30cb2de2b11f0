"""Tag rules and the review queue of proposed tags in the admin."""
from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import Error as DatabaseError
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.text import Truncator
from django.utils.html import escape, format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from articles import curation
from articles.admin.confirm import SelectionChecked, confirmed_action, log_change
from articles.models import Article, Country, LinkStatus, TagProposal, TagRule
from articles.search import parser
from articles.search.build import build_queryset
from articles.search.facets import FACETS_BY_PARAM, UNKNOWN_SOURCE
from articles.search.indexing.queue import schedule_reindex
from articles.tagging import request_training
from articles.tagging.rules import CONFIRMED, rule_matches, rule_preview, rule_request, tag_rules_apply


class FiltersField(forms.CharField):
    """Facet filters typed as in a search address: country=RU&actor=xi-jinping."""

    def prepare_value(self, value):
        return urlencode([(k, v) for k, vs in sorted(value.items()) for v in vs]) if isinstance(value, dict) else value

    def to_python(self, value):
        if isinstance(value, dict):
            return value
        filters: dict[str, list[str]] = {}
        for key, item in parse_qsl((value or "").strip().lstrip("?"), keep_blank_values=False):
            if key == CONFIRMED and item == "1":  # the search's "confirmed tags only", kept with the rule
                filters[CONFIRMED] = ["1"]
                continue
            facet = FACETS_BY_PARAM.get(key)
            if facet is None:
                raise forms.ValidationError(_("« %(key)s » n’est pas un filtre de la recherche (%(known)s).") % {
                    "key": key, "known": ", ".join([*FACETS_BY_PARAM, "confirmed=1"])})
            value = facet.normalise(item)
            if not filter_can_match(key, value):
                raise forms.ValidationError(_("Le filtre « %(filter)s » ne trouverait rien : « %(value)s » n’est pas dans l’archive.") % {
                    "filter": f"{key}={item}"[:80], "value": item[:80]})
            filters.setdefault(key, []).append(value)
        return filters


def filter_can_match(param: str, value: str) -> bool:
    """Whether a filter's value names something of the archive (a known slug, code, year or month)."""
    if param == "year":
        return re.fullmatch(r"[0-9]{4}", value) is not None
    if param == "month":
        return re.fullmatch(r"[0-9]{4}-(0[1-9]|1[0-2])", value) is not None
    if param == "source" and value == UNKNOWN_SOURCE:
        return True
    if param == "country":
        return Country.objects.filter(code=value).exists()
    model = FACETS_BY_PARAM[param].model
    return model is None or model.objects.filter(slug=value).exists()


class TagRuleForm(forms.ModelForm):
    filters = FiltersField(required=False, label=gettext_lazy("Filtres"),
                           # the admin shows help texts as HTML: the "&" is escaped, in whichever language
                           help_text=lazy(lambda: escape(_("Comme dans l’adresse d’une recherche : country=RU&actor=xi-jinping")), str)())

    class Meta:
        model = TagRule
        fields = ["tag", "q", "filters", "date_from", "date_to", "exact", "is_active", "note"]
        widgets = {"q": forms.TextInput(attrs={"size": 80})}

    def clean_q(self):
        q = " ".join(self.cleaned_data["q"].split())
        if q:
            try:
                parser.parse(q)
            except parser.QuerySyntaxError as exc:
                raise forms.ValidationError(_("La recherche n’est pas valide : %(reason)s.") % {"reason": exc}) from None
        return q

    def _clean_bound(self, name: str, *, end: bool) -> str:
        value = self.cleaned_data[name].strip()
        if value:
            try:
                parser.parse_period_bound(value, end=end)
            except parser.QuerySyntaxError:
                raise forms.ValidationError(_("Une date comme 2022, 2022-03 ou 2022-03-15.")) from None
        return value

    def clean_date_from(self):
        return self._clean_bound("date_from", end=False)

    def clean_date_to(self):
        return self._clean_bound("date_to", end=True)

    def clean(self):
        data = super().clean()
        if not any(data.get(name) for name in ("q", "filters", "date_from", "date_to")) and not self.errors:
            raise forms.ValidationError(_("Une règle sans mots, filtres ni dates proposerait le thème partout : précisez la recherche."))
        if self.errors:
            return data
        if data.get("date_from") and data.get("date_to") and (
                parser.parse_period_bound(data["date_from"], end=False) > parser.parse_period_bound(data["date_to"], end=True)):
            self.add_error("date_to", _("La fin (%(to)s) est avant le début (%(from)s) : la règle ne trouverait rien.") % {
                "to": data["date_to"], "from": data["date_from"]})
            return data
        rule = TagRule(q=data.get("q", ""), filters=data.get("filters") or {}, date_from=data.get("date_from", ""),
                       date_to=data.get("date_to", ""), exact=data.get("exact", False))
        try:  # as the search page would run it; a query the engine refuses would find nothing
            build_queryset(rule_request(rule)).count()
        except DatabaseError:
            raise
        except Exception as exc:
            reason = str(exc)[:200]
            raise forms.ValidationError(_("Le moteur de recherche ne comprend pas cette recherche (%(reason)s) : "
                                          "la règle ne trouverait pas ce qu’elle dit. Corrigez-la.") % {"reason": reason}) from None
        return data


@admin.register(TagRule)
class TagRuleAdmin(SelectionChecked, admin.ModelAdmin):
    form = TagRuleForm
    change_form_template = "admin/articles/tagrule/change_form.html"
    list_display = ["tag", "search", "is_active", "match_count", "proposal_counts"]
    list_filter = ["is_active", "tag"]
    search_fields = ["q", "tag__name", "note"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("tag").annotate(
            proposed=Count("proposals", filter=Q(proposals__status=LinkStatus.PROPOSED)),
            confirmed=Count("proposals", filter=Q(proposals__status=LinkStatus.CONFIRMED)),
            rejected=Count("proposals", filter=Q(proposals__status=LinkStatus.REJECTED)),
        )

    @admin.display(description=gettext_lazy("recherche"))
    def search(self, rule):
        return rule.describe()

    @admin.display(description=gettext_lazy("articles trouvés"))
    def match_count(self, rule):
        return len(rule_matches(rule)[0])

    @admin.display(description=gettext_lazy("propositions"))
    def proposal_counts(self, rule):
        return " · ".join([
            ngettext("%(n)d à relire", "%(n)d à relire", rule.proposed) % {"n": rule.proposed},
            ngettext("%(n)d confirmée", "%(n)d confirmées", rule.confirmed) % {"n": rule.confirmed},
            ngettext("%(n)d rejetée", "%(n)d rejetées", rule.rejected) % {"n": rule.rejected},
        ])

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and "_preview" in request.POST:
            return self._preview(request, object_id)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def _preview(self, request, object_id):
        """Show what the rule as typed would do, without saving it."""
        obj = self.get_object(request, object_id) if object_id else None
        form = self.get_form(request, obj)(request.POST, instance=obj)
        preview = rule_preview(form.save(commit=False)) if form.is_valid() else None
        fieldsets = self.get_fieldsets(request, obj)
        admin_form = helpers.AdminForm(form, list(fieldsets), {}, self.get_readonly_fields(request, obj), model_admin=self)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Aperçu de la règle"), "subtitle": None, "adminform": admin_form, "object_id": object_id,
            "original": obj, "is_popup": False, "to_field": None, "media": self.media + admin_form.media,
            "inline_admin_formsets": [], "errors": helpers.AdminErrorList(form, []),
            "preserved_filters": self.get_preserved_filters(request), "preview": preview,
        }
        return self.render_change_form(request, context, add=obj is None, change=obj is not None, obj=obj)

    def save_model(self, request, obj, form, change):
        old_tag = TagRule.objects.filter(pk=obj.pk).values_list("tag", flat=True).first() if change else None
        super().save_model(request, obj, form, change)
        outcome = tag_rules_apply(tag=obj.tag)
        if old_tag and old_tag != obj.tag_id:
            tag_rules_apply(tag=obj.tag.__class__.objects.get(pk=old_tag))
        self.message_user(request, " ".join([
            ngettext("« %(tag)s » proposé à %(n)d nouvel article.", "« %(tag)s » proposé à %(n)d nouveaux articles.", len(outcome.proposed)) % {
                "tag": obj.tag.name, "n": len(outcome.proposed)},
            ngettext("%(n)d proposition retirée.", "%(n)d propositions retirées.", len(outcome.withdrawn)) % {"n": len(outcome.withdrawn)},
        ]), messages.INFO)

    def delete_model(self, request, obj):
        tag = obj.tag
        super().delete_model(request, obj)
        tag_rules_apply(tag=tag)

    def delete_queryset(self, request, queryset):
        tags = {rule.tag for rule in queryset.select_related("tag")}
        super().delete_queryset(request, queryset)
        for tag in tags:
            tag_rules_apply(tag=tag)


@admin.register(TagProposal)
class TagProposalAdmin(SelectionChecked, admin.ModelAdmin):
    """The review queue: proposed tags, most confident first; confirm or reject one by one or in bulk."""

    # Five columns beside the filters fit 1,280 px: the origin carries the confidence, and a rule's
    # proposal says its search in "why" (the rule itself is a filter).
    list_display = ["article_link", "tag", "status", "origin_confidence", "why"]
    list_display_links = None  # the first column links to the article: a link to the proposal around it nested two <a>
    list_editable = ["status"]
    list_filter = ["tag", "origin", "rule"]
    search_fields = ["article__title", "tag__name"]
    ordering = ["-confidence", "tag__name", "article_id"]
    list_select_related = ["article", "tag", "rule"]
    list_per_page = 50
    actions = ["confirm", "reject"]

    class Media:
        css = {"all": ["css/admin-curation.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).filter(status=LinkStatus.PROPOSED)

    def has_add_permission(self, request):
        return False

    @admin.display(description=gettext_lazy("article"), ordering="article__title")
    def article_link(self, link):
        return format_html('<a href="{}">{}</a>', reverse("admin:articles_article_change", args=[link.article_id]), link.article.display_title)

    @admin.display(description=gettext_lazy("origine, confiance"), ordering="confidence")
    def origin_confidence(self, link):
        confidence = f"{link.confidence:.0%}".replace("%", "\u202f%")
        return format_html("{}<br>{}", link.get_origin_display(), confidence)

    @admin.display(description=gettext_lazy("pourquoi"))
    def why(self, link):
        """The evidence: a rule's search, or the sentence that names the tag; a long one cut, whole on hover."""
        text = link.evidence or (link.rule.describe() if link.rule else "")
        if len(text) <= 60:
            return text or "—"
        return format_html('<span title="{}">{}</span>', text, Truncator(text).chars(60))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)  # a proxy's save sends no ArticleTag signal
        if change and "status" in form.changed_data:  # one by one in the queue, recorded as bulk changes are
            log_change(request, [Article(pk=obj.article_id)], _("Thème « %(tag)s » : %(status)s.") % {
                "tag": obj.tag.name, "status": LinkStatus(obj.status).label})
        schedule_reindex([obj.article_id])
        request_training()

    def _set_status(self, request, queryset, status: str, title: str, describe_count):
        def describe(qs, data):
            return [describe_count(qs.count())]

        def apply(qs, data):
            links = list(qs.select_related("tag"))
            outcome = curation.tag_links_set_status(links=links, status=status)
            for link in links:
                log_change(request, [Article(pk=link.article_id)], _("Thème « %(tag)s » : %(status)s.") % {
                    "tag": link.tag.name, "status": LinkStatus(status).label})
            return ngettext("%(n)d article mis à jour.", "%(n)d articles mis à jour.", len(outcome.articles)) % {"n": len(outcome.articles)}

        return confirmed_action(self, request, queryset.select_related("article", "tag"), title=title, describe=describe, apply=apply)

    @admin.action(description=gettext_lazy("Confirmer les thèmes proposés sélectionnés"), permissions=["change"])
    def confirm(self, request, queryset):
        return self._set_status(request, queryset, LinkStatus.CONFIRMED, _("Confirmer des thèmes proposés"), lambda n: ngettext(
            "%(n)d thème proposé sera confirmé.", "%(n)d thèmes proposés seront confirmés.", n) % {"n": n})

    @admin.action(description=gettext_lazy("Rejeter les thèmes proposés sélectionnés"), permissions=["change"])
    def reject(self, request, queryset):
        return self._set_status(request, queryset, LinkStatus.REJECTED, _("Rejeter des thèmes proposés"), lambda n: ngettext(
            "%(n)d thème proposé sera rejeté : ni règle ni suggestion ne le proposera plus à cet article.",
            "%(n)d thèmes proposés seront rejetés : ni règle ni suggestion ne les proposera plus à ces articles.", n) % {"n": n})
