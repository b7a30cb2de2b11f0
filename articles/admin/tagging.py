"""Tag rules and the review queue of proposed tags in the admin."""
from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from articles import curation
from articles.admin.confirm import confirmed_action, log_change
from articles.models import Article, LinkStatus, TagProposal, TagRule
from articles.search import parser
from articles.search.facets import FACETS_BY_PARAM
from articles.search.indexing.queue import schedule_reindex
from articles.tagging import request_training
from articles.tagging.rules import rule_matches, rule_preview, tag_rules_apply


class FiltersField(forms.CharField):
    """Facet filters typed as in a search address: country=RU&actor=xi-jinping."""

    def prepare_value(self, value):
        return urlencode([(k, v) for k, vs in sorted(value.items()) for v in vs]) if isinstance(value, dict) else value

    def to_python(self, value):
        if isinstance(value, dict):
            return value
        filters: dict[str, list[str]] = {}
        for key, item in parse_qsl((value or "").strip().lstrip("?"), keep_blank_values=False):
            facet = FACETS_BY_PARAM.get(key)
            if facet is None:
                raise forms.ValidationError(_("« %(key)s » n’est pas un filtre de la recherche (%(known)s).") % {
                    "key": key, "known": ", ".join(FACETS_BY_PARAM)})
            filters.setdefault(key, []).append(facet.normalise(item))
        return filters


class TagRuleForm(forms.ModelForm):
    filters = FiltersField(required=False, label=gettext_lazy("Filtres"),
                           help_text=gettext_lazy("Comme dans l’adresse d’une recherche : country=RU&actor=xi-jinping"))

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
        return data


@admin.register(TagRule)
class TagRuleAdmin(admin.ModelAdmin):
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
        return _("%(p)d à relire · %(c)d confirmées · %(r)d rejetées") % {"p": rule.proposed, "c": rule.confirmed, "r": rule.rejected}

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
class TagProposalAdmin(admin.ModelAdmin):
    """The review queue: proposed tags, most confident first; confirm or reject one by one or in bulk."""

    list_display = ["article_link", "tag", "status", "origin", "confidence_percent", "evidence", "rule"]
    list_editable = ["status"]
    list_filter = ["tag", "origin", "rule"]
    search_fields = ["article__title", "tag__name"]
    ordering = ["-confidence", "tag__name", "article_id"]
    list_select_related = ["article", "tag", "rule"]
    list_per_page = 50
    actions = ["confirm", "reject"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(status=LinkStatus.PROPOSED)

    def has_add_permission(self, request):
        return False

    @admin.display(description=gettext_lazy("article"), ordering="article__title")
    def article_link(self, link):
        return format_html('<a href="{}">{}</a>', reverse("admin:articles_article_change", args=[link.article_id]), link.article.display_title)

    @admin.display(description=gettext_lazy("confiance"), ordering="confidence")
    def confidence_percent(self, link):
        return f"{link.confidence:.0%}".replace("%", "\u202f%")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)  # a proxy's save sends no ArticleTag signal
        schedule_reindex([obj.article_id])
        request_training()

    def _set_status(self, request, queryset, status: str, title: str, verb_one: str, verb_many: str):
        def describe(qs, data):
            n = qs.count()
            return [ngettext(verb_one, verb_many, n) % {"n": n}]

        def apply(qs, data):
            links = list(qs.select_related("tag"))
            outcome = curation.tag_links_set_status(links=links, status=status)
            for link in links:
                log_change(request, [Article(pk=link.article_id)], _("Thème « %(tag)s » : %(status)s.") % {
                    "tag": link.tag.name, "status": LinkStatus(status).label})
            return ngettext("%(n)d article mis à jour.", "%(n)d articles mis à jour.", len(outcome.articles)) % {"n": len(outcome.articles)}

        return confirmed_action(self, request, queryset, title=title, describe=describe, apply=apply)

    @admin.action(description=gettext_lazy("Confirmer les thèmes proposés sélectionnés"), permissions=["change"])
    def confirm(self, request, queryset):
        return self._set_status(request, queryset, LinkStatus.CONFIRMED, _("Confirmer des thèmes proposés"),
                                "%(n)d thème proposé sera confirmé.", "%(n)d thèmes proposés seront confirmés.")

    @admin.action(description=gettext_lazy("Rejeter les thèmes proposés sélectionnés"), permissions=["change"])
    def reject(self, request, queryset):
        return self._set_status(request, queryset, LinkStatus.REJECTED, _("Rejeter des thèmes proposés"),
                                "%(n)d thème proposé sera rejeté : ni règle ni suggestion ne le proposera plus à cet article.",
                                "%(n)d thèmes proposés seront rejetés : ni règle ni suggestion ne les proposera plus à ces articles.")

