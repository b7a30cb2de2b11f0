"""Articles in the admin: metadata, links with their origin and evidence, bulk actions."""
import re

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from articles import curation, selectors, services
from articles.admin.confirm import ActionChangeList, SelectionChecked, WEB_URL_FIELD, confirmed_action, log_change
from articles.admin.forms import ArticleForm, check_tag_letters
from articles.templatetags.archive import published_label
from articles.models import Article, ArticleActor, ArticleCountry, ArticleTag, LinkStatus, Tag

# Fields (and tags) whose curator's value re-extraction and re-import leave alone.
CURATED_FIELDS = {"title", "body", "published_on", "date_precision", "source", "agency", "language", "url", "captions"}


class LinkInline(admin.TabularInline):
    """An actor or country link: who made it (extraction or curator), its status and evidence."""

    fields = ["status", "origin", "confidence", "quote"]
    readonly_fields = ["origin", "confidence", "quote"]
    extra = 1

    def get_fields(self, request, obj=None):
        return [self.target, *self.fields]

    @admin.display(description=gettext_lazy("phrase citée"))
    def quote(self, link):
        """The sentence the link rests on, as a readable quotation (the admin's CSS gives it room)."""
        if not link.evidence:
            return "—"
        return format_html('<q class="evidence">{}</q>', link.evidence)


class ArticleActorInline(LinkInline):
    model = ArticleActor
    target = "actor"
    autocomplete_fields = ["actor"]


class ArticleCountryInline(LinkInline):
    model = ArticleCountry
    target = "country"
    autocomplete_fields = ["country"]


class ArticleTagInline(LinkInline):
    """A tag: given by a curator or an import, or proposed by a rule or a learned suggestion."""

    model = ArticleTag
    target = "tag"
    autocomplete_fields = ["tag"]
    fields = ["status", "origin", "confidence", "quote", "rule"]
    readonly_fields = ["origin", "confidence", "quote", "rule"]
    extra = 1


class TagFilter(admin.SimpleListFilter):
    """Articles with a tag, confirmed or proposed (not rejected)."""

    title = gettext_lazy("thème")
    parameter_name = "tag"

    def lookups(self, request, model_admin):
        return [(tag.slug, tag.name) for tag in Tag.objects.order_by("name")]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(pk__in=ArticleTag.active.filter(tag__slug=self.value()).values("article_id"))
        return queryset


def _links_count(model):
    """Return the number of an article's links of this kind (every status), as a subquery."""
    links = model.objects.filter(article=OuterRef("pk")).order_by().values("article").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(links, output_field=models.IntegerField()), 0)


class YearFilter(admin.SimpleListFilter):
    title = gettext_lazy("année")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        return [(str(year), str(year)) for year in reversed(selectors.archive_years())]

    def queryset(self, request, queryset):
        if re.fullmatch(r"[1-9][0-9]{3}", self.value() or ""):  # "²" is a digit to isdigit(), 99999 no year to a date
            return queryset.filter(published_on__year=int(self.value()))
        return queryset


class UnknownDateFilter(admin.SimpleListFilter):
    title = gettext_lazy("date inconnue")
    parameter_name = "unknown_date"

    def lookups(self, request, model_admin):
        return [("yes", _("Oui")), ("no", _("Non"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(published_on__isnull=self.value() == "yes")
        return queryset


class TagChoiceForm(forms.Form):
    tag = forms.ModelChoiceField(queryset=Tag.objects.all(), label=gettext_lazy("Thème"))


class NewOrExistingTagForm(forms.Form):
    tag = forms.ModelChoiceField(queryset=Tag.objects.all(), required=False, label=gettext_lazy("Thème existant"))
    new_tag = forms.CharField(required=False, max_length=100, label=gettext_lazy("ou un nouveau thème"))

    def clean_new_tag(self):
        name = " ".join(self.cleaned_data["new_tag"].split())
        if name:  # a tag that only accents or case tell from it is that tag (taken, never a twin)
            check_tag_letters(name)
        return name

    def clean(self):
        data = super().clean()
        if not data.get("tag") and not data.get("new_tag") and "new_tag" not in self.errors:
            raise forms.ValidationError(_("Choisissez un thème ou tapez-en un nouveau."))
        return data


def _chosen_tag(data, *, create: bool):
    if data.get("tag"):
        return data["tag"]
    name = " ".join(data["new_tag"].split())
    if create:
        return services.tag_for(name)  # another curator may be creating it at this very moment
    return Tag.named_alike(name).order_by("pk").first() or Tag(name=name)


@admin.register(Article)
class ArticleAdmin(SelectionChecked, admin.ModelAdmin):
    form = ArticleForm
    list_display = ["display_title", "published", "source", "actor_count", "country_count", "reviewed"]
    list_filter = ["source", YearFilter, UnknownDateFilter, TagFilter, "reviewed", "language", "date_precision"]
    search_fields = ["title", "body", "origin", "url"]
    autocomplete_fields = ["source", "agency"]
    inlines = [ArticleTagInline, ArticleActorInline, ArticleCountryInline]
    # The raw page is the page as received: shown, never editable.
    readonly_fields = ["content_hash", "origin", "raw_format", "raw_page", "curated_fields", "story", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "body", "reviewed"]}),
        (gettext_lazy("Date et source"), {"fields": [("published_on", "date_precision"), ("source", "agency"), "language", "url"]}),
        (gettext_lazy("Provenance"), {"classes": ["collapse"], "fields": ["origin", "raw_format", "raw_page", "captions", "story", "curated_fields", "content_hash", "created_at", "updated_at"]}),
    ]
    list_select_related = ["source"]
    ordering = ["-published_on", "-id"]
    formfield_overrides = {models.URLField: WEB_URL_FIELD}
    actions = ["add_tag", "remove_tag", "mark_reviewed", "reextract"]

    def get_changelist(self, request, **kwargs):
        return ActionChangeList  # a bulk action reads only the articles it changes

    def get_queryset(self, request):
        # Counted by a subquery per row shown, not by joins and GROUP BY: the list's counts of
        # articles (two per list or action) then need no join, and took 0.5 s each at 100,000 articles.
        return super().get_queryset(request).annotate(
            actor_total=_links_count(ArticleActor), country_total=_links_count(ArticleCountry))

    class Media:
        css = {"all": ["css/admin-curation.css"]}

    @admin.display(description=gettext_lazy("publié le"), ordering="published_on")
    def published(self, article):
        """The date at its precision: "20 mars 2022", "mars 2022", "2022", "date inconnue"."""
        return published_label(article.published_on, article.date_precision)

    @admin.display(description=gettext_lazy("titre"), ordering="title")
    def display_title(self, article):
        """The title, cut after 120 characters (whole on hover): a list row stays a few lines high."""
        title = article.display_title
        return format_html('<span title="{}">{}</span>', title, Truncator(title).chars(120)) if len(title) > 120 else title

    @admin.display(description=gettext_lazy("page brute telle que reçue"))
    def raw_page(self, article):
        if not article.pk:
            return "—"
        size = len(article.raw.encode("utf-8"))
        return format_html('<a href="{}">{}</a>', reverse("articles:raw", args=[article.pk]),
                           _("voir la page brute (%(size)s octets)") % {"size": f"{size:,}".replace(",", "\u202f")})

    @admin.display(description=gettext_lazy("acteurs"), ordering="actor_total")
    def actor_count(self, article):
        return article.actor_total

    @admin.display(description=gettext_lazy("pays"), ordering="country_total")
    def country_count(self, article):
        return article.country_total

    def save_formset(self, request, form, formset, change):
        """A link a curator deletes is kept as rejected, so that extraction never proposes it again."""
        if formset.model not in (ArticleActor, ArticleCountry, ArticleTag):
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)
        for link in formset.deleted_objects:
            link.status = LinkStatus.REJECTED
            link.save(update_fields=["status"])
        for link in formset.new_objects + [obj for obj, _fields in formset.changed_objects]:
            link.save()

    def save_model(self, request, obj, form, change):
        """Remember which fields a curator set, so that re-extraction leaves them alone."""
        edited = CURATED_FIELDS & set(form.changed_data)
        if edited:
            obj.curated_fields = sorted(set(obj.curated_fields) | edited)
        super().save_model(request, obj, form, change)

    @admin.action(description=gettext_lazy("Ajouter un thème aux articles sélectionnés"), permissions=["change"])
    def add_tag(self, request, queryset):
        def describe(qs, data):
            tag = _chosen_tag(data, create=False)
            having = set(tag.article_links.filter(status=LinkStatus.CONFIRMED).values_list("article_id", flat=True)) if tag.pk else set()
            gaining = sum(1 for a in qs if a.pk not in having)
            lines = [ngettext("« %(tag)s » sera ajouté à %(n)d article.", "« %(tag)s » sera ajouté à %(n)d articles.", gaining) % {"tag": tag.name, "n": gaining}]
            if len(qs) - gaining:
                lines.append(ngettext("%(n)d article l’a déjà.", "%(n)d articles l’ont déjà.", len(qs) - gaining) % {"n": len(qs) - gaining})
            return lines

        def apply(qs, data):
            tag = _chosen_tag(data, create=True)
            outcome = curation.tag_add(articles=qs, tag=tag)
            n = len(outcome.articles)
            log_change(request, Article.objects.filter(pk__in=outcome.articles), _("Thème « %s » ajouté.") % tag.name)
            log_change(request, [tag], ngettext("Ajouté à %(n)d article.", "Ajouté à %(n)d articles.", n) % {"n": n})
            return ngettext("« %(tag)s » ajouté à %(n)d article.", "« %(tag)s » ajouté à %(n)d articles.", n) % {"tag": tag.name, "n": n}

        return confirmed_action(self, request, queryset, title=_("Ajouter un thème"), describe=describe, apply=apply, form_class=NewOrExistingTagForm)

    @admin.action(description=gettext_lazy("Retirer un thème des articles sélectionnés"), permissions=["change"])
    def remove_tag(self, request, queryset):
        def describe(qs, data):
            n = ArticleTag.active.filter(tag=data["tag"], article__in=qs).count()
            return [ngettext("« %(tag)s » sera retiré de %(n)d article ; ni les règles ni les suggestions ne le lui proposeront plus.",
                             "« %(tag)s » sera retiré de %(n)d articles ; ni les règles ni les suggestions ne le leur proposeront plus.", n)
                    % {"tag": data["tag"].name, "n": n}]

        def apply(qs, data):
            outcome = curation.tag_remove(articles=qs, tag=data["tag"])
            n = len(outcome.articles)
            log_change(request, Article.objects.filter(pk__in=outcome.articles), _("Thème « %s » retiré.") % data["tag"].name)
            return ngettext("« %(tag)s » retiré de %(n)d article.", "« %(tag)s » retiré de %(n)d articles.", n) % {"tag": data["tag"].name, "n": n}

        return confirmed_action(self, request, queryset, title=_("Retirer un thème"), describe=describe, apply=apply, form_class=TagChoiceForm)

    @admin.action(description=gettext_lazy("Marquer les articles sélectionnés comme relus"), permissions=["change"])
    def mark_reviewed(self, request, queryset):
        def describe(qs, data):
            n = qs.filter(reviewed=False).count()
            return [ngettext("%(n)d article sera marqué comme relu.", "%(n)d articles seront marqués comme relus.", n) % {"n": n}]

        def apply(qs, data):
            outcome = curation.articles_mark_reviewed(articles=qs)
            log_change(request, Article.objects.filter(pk__in=outcome.articles), _("Marqué comme relu."))
            n = len(outcome.articles)
            return ngettext("%(n)d article marqué comme relu.", "%(n)d articles marqués comme relus.", n) % {"n": n}

        return confirmed_action(self, request, queryset, title=_("Marquer comme relus"), describe=describe, apply=apply)

    @admin.action(description=gettext_lazy("Relancer l’extraction sur les articles sélectionnés"), permissions=["change"])
    def reextract(self, request, queryset):
        from articles.importer import reextract_articles

        def describe(qs, data):
            given = qs.filter(raw_format=Article.RawFormat.JSON).count()
            lines = [
                ngettext("Titre, date, source, langue, acteurs et pays seront extraits à nouveau de la page brute de %(n)d article.",
                         "Titre, date, source, langue, acteurs et pays seront extraits à nouveau de la page brute de %(n)d articles.",
                         qs.count() - given) % {"n": qs.count() - given},
                _("Ce qu’un curateur a décidé reste : champs modifiés, liens confirmés ou rejetés, liens ajoutés à la main, acteurs rejetés."),
            ]
            if given:
                lines.append(ngettext("%(n)d article importé en JSON Lines est laissé tel quel : ses métadonnées ont été données, pas extraites.",
                                      "%(n)d articles importés en JSON Lines sont laissés tels quels : leurs métadonnées ont été données, pas extraites.",
                                      given) % {"n": given})
            return lines

        def apply(qs, data):
            ids = list(qs.values_list("pk", flat=True))
            report = reextract_articles(ids, progress=False)
            changed = Article.objects.filter(pk__in=ids, updated_at__gte=started)
            log_change(request, changed, _("Extraction relancée."))
            for name, reason in report.failures:
                self.message_user(request, f"{name} : {reason}", level="warning")
            changed_n = report.created + report.updated
            return " ".join([
                ngettext("Extraction relancée : %(n)d article modifié,", "Extraction relancée : %(n)d articles modifiés,", changed_n) % {"n": changed_n},
                ngettext("%(n)d inchangé,", "%(n)d inchangés,", report.skipped) % {"n": report.skipped},
                ngettext("%(n)d en échec.", "%(n)d en échec.", report.failed) % {"n": report.failed},
            ])

        from django.utils import timezone

        started = timezone.now()
        return confirmed_action(self, request, queryset, title=_("Relancer l’extraction"), describe=describe, apply=apply)
