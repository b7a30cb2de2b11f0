"""Actors in the admin: the review queue, merges, aliases split out, rejection remembered."""
from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from articles import curation
from articles.admin.confirm import SelectionChecked, SurvivorForm, confirmed_action, log_change, merge_action, status_labels
from articles.models import Actor, ActorAlias, Article


class ActorAliasInline(admin.TabularInline):
    model = ActorAlias
    extra = 1


@admin.register(Actor)
class ActorAdmin(SelectionChecked, admin.ModelAdmin):
    list_display = ["name", "kind", "review_state", "alias_list", "article_count"]
    list_filter = ["review_state", "kind"]
    search_fields = ["name", "aliases__name"]
    ordering = ["name"]
    inlines = [ActorAliasInline]
    readonly_fields = ["slug", "created_at"]
    actions = ["accept", "reject", "merge"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_total=Count("article_links", distinct=True)).prefetch_related("aliases")

    @admin.display(description=gettext_lazy("articles"), ordering="article_total")
    def article_count(self, actor):
        return actor.article_total

    @admin.display(description=gettext_lazy("alias"))
    def alias_list(self, actor):
        return ", ".join(a.name for a in actor.aliases.all())

    @admin.action(description=gettext_lazy("Accepter les acteurs sélectionnés"), permissions=["change"])
    def accept(self, request, queryset):
        def describe(qs, data):
            n = qs.exclude(review_state=Actor.Review.ACCEPTED).count()
            return [ngettext("%(n)d acteur sera accepté et quittera la file de relecture.",
                             "%(n)d acteurs seront acceptés et quitteront la file de relecture.", n) % {"n": n}]

        def apply(qs, data):
            actors = list(qs)
            curation.actors_accept(actors=actors)
            log_change(request, actors, _("Accepté comme acteur."))
            return ngettext("%(n)d acteur accepté.", "%(n)d acteurs acceptés.", len(actors)) % {"n": len(actors)}

        return confirmed_action(self, request, queryset, title=_("Accepter des acteurs"), describe=describe, apply=apply)

    @admin.action(description=gettext_lazy("Rejeter : ce n’est pas un acteur"), permissions=["change"])
    def reject(self, request, queryset):
        def describe(qs, data):
            return [
                ngettext("« %(name)s » ne sera plus un acteur : %(n)d lien vers un article sera retiré.",
                         "« %(name)s » ne sera plus un acteur : %(n)d liens vers des articles seront retirés.", n) % {"name": a.name, "n": n}
                for a, n in ((a, a.article_links.count()) for a in qs)
            ] + [_("Les prochains imports ignoreront ces noms et leurs alias.")]

        def apply(qs, data):
            actors = list(qs)
            outcome = curation.actors_reject(actors=actors)
            log_change(request, actors, _("Rejeté : ce n’est pas un acteur."))
            log_change(request, Article.objects.filter(pk__in=outcome.articles), ngettext(
                "Acteur rejeté retiré : %(names)s.", "Acteurs rejetés retirés : %(names)s.", len(actors)) % {"names": ", ".join(a.name for a in actors)})
            return " ".join([
                ngettext("%(n)d acteur rejeté ;", "%(n)d acteurs rejetés ;", len(actors)) % {"n": len(actors)},
                ngettext("%(n)d article mis à jour.", "%(n)d articles mis à jour.", len(outcome.articles)) % {"n": len(outcome.articles)},
            ])

        return confirmed_action(self, request, queryset, title=_("Rejeter des acteurs"), describe=describe, apply=apply)

    @admin.action(description=gettext_lazy("Fusionner les acteurs sélectionnés"), permissions=["change", "delete"])
    def merge(self, request, queryset):
        return merge_action(
            self, request, queryset, title=_("Fusionner des acteurs"), too_few=_("Choisissez au moins deux acteurs à fusionner."),
            describe_other=describe_actor_merge, form_class=ActorMergeForm,
            merge=lambda actors, data: curation.actor_merge(actors=actors, into=data["into"], keep_names_as_aliases=data["keep_names_as_aliases"]),
            done_message=lambda outcome, into: " ".join([
                ngettext("%(n)d acteur fusionné dans « %(into)s » ;", "%(n)d acteurs fusionnés dans « %(into)s » ;", len(outcome.removed)) % {"n": len(outcome.removed), "into": into.name},
                ngettext("%(n)d article mis à jour.", "%(n)d articles mis à jour.", len(outcome.articles)) % {"n": len(outcome.articles)},
            ]),
        )


class ActorMergeForm(SurvivorForm):
    keep_names_as_aliases = forms.BooleanField(
        required=False, initial=False, label=gettext_lazy("Garder les noms fusionnés comme alias"),
        help_text=gettext_lazy("Seulement s’il s’agit de la même personne ou organisation écrite autrement : "
                               "chercher un de ces noms trouvera alors les articles de l’acteur gardé."),
    )

    def clean(self):
        data = super().clean()
        into = data.get("into")
        if into is not None and data.get("keep_names_as_aliases"):
            others = list(self.fields["into"].queryset.exclude(pk=into.pk))
            for name, owner in curation.alias_conflicts(others, into):
                self.add_error("keep_names_as_aliases", _(
                    "« %(name)s » est déjà un alias de « %(owner)s », qui n’est pas fusionné : il ne peut pas devenir "
                    "un alias de « %(into)s ». Retirez cet alias de « %(owner)s » d’abord, ou fusionnez sans garder les noms."
                ) % {"name": name, "owner": owner, "into": into.name})
        return data


def describe_actor_merge(other: Actor, data: dict) -> str:
    """Say exactly what merging `other` into the kept actor moves, drops and deletes."""
    into = data["into"]
    plan = curation.actor_merge_plan(other, into, data["merged_ids"])
    names = ", ".join(f"« {name} »" for name in plan.names)
    values = {"other": other.name, "into": into.name, "names": names}
    sentences = [ngettext("« %(other)s » : %(n)d lien d’article passera à « %(into)s ».",
                          "« %(other)s » : %(n)d liens d’articles passeront à « %(into)s ».", plan.moving) % {**values, "n": plan.moving}]
    sentences += [describe_actor_fold(fold, n, values) for fold, n in plan.folds.items()]
    if data.get("keep_names_as_aliases"):
        sentences.append(ngettext("Le nom %(names)s deviendra un alias de « %(into)s ».",
                                  "Les noms %(names)s deviendront des alias de « %(into)s ».", len(plan.names)) % values)
    else:
        sentences.append(ngettext("Le nom %(names)s ne deviendra pas un alias de « %(into)s ».",
                                  "Les noms %(names)s ne deviendront pas des alias de « %(into)s ».", len(plan.names)) % values)
    sentences.append(_("Puis « %(other)s » sera supprimé.") % values)
    return " ".join(sentences)


def describe_actor_fold(fold, n: int, values: dict) -> str:
    """Say what happens to n links of the merged actor whose articles already cite the kept one."""
    values = {**values, "n": n, **status_labels(fold)}
    if fold.kept == fold.dropped:
        return ngettext("%(n)d lien sera supprimé comme doublon : l’article cite déjà « %(into)s ».",
                        "%(n)d liens seront supprimés comme doublons : ces articles citent déjà « %(into)s ».", n) % values
    if fold.result == fold.kept:
        return ngettext("%(n)d lien au statut « %(dropped)s » sera supprimé comme doublon : l’article cite déjà « %(into)s », "
                        "dont le lien garde son statut « %(kept)s ».",
                        "%(n)d liens au statut « %(dropped)s » seront supprimés comme doublons : ces articles citent déjà "
                        "« %(into)s », dont les liens gardent leur statut « %(kept)s ».", n) % values
    return ngettext("%(n)d lien au statut « %(dropped)s » sera supprimé comme doublon : l’article cite déjà « %(into)s », "
                    "dont le lien passe du statut « %(kept)s » au statut « %(result)s ».",
                    "%(n)d liens au statut « %(dropped)s » seront supprimés comme doublons : ces articles citent déjà "
                    "« %(into)s », dont les liens passent du statut « %(kept)s » au statut « %(result)s ».", n) % values


@admin.register(ActorAlias)
class ActorAliasAdmin(SelectionChecked, admin.ModelAdmin):
    list_display = ["name", "actor"]
    search_fields = ["name", "actor__name"]
    autocomplete_fields = ["actor"]
    actions = ["split"]

    @admin.action(description=gettext_lazy("Séparer : faire de cet alias un acteur distinct"), permissions=["change"])
    def split(self, request, queryset):
        def describe(qs, data):
            return [
                _("« %(alias)s » quittera « %(actor)s » et deviendra un acteur ; les liens dont la phrase citée nomme « %(alias)s » sans « %(actor)s » le suivront.") % {"alias": a.name, "actor": a.actor.name}
                for a in qs
            ]

        def apply(qs, data):
            made = []
            for alias in list(qs.select_related("actor")):
                old = alias.actor
                actor, outcome = curation.alias_split(alias=alias)
                made.append(actor.name)
                log_change(request, [old], _("Alias « %s » séparé en acteur distinct.") % actor.name)
                log_change(request, [actor], _("Créé en séparant un alias de « %s ».") % old.name)
                log_change(request, Article.objects.filter(pk__in=outcome.articles), _("Lien passé de « %(old)s » à « %(new)s ».") % {"old": old.name, "new": actor.name})
            return _("Nouveaux acteurs : %s.") % ", ".join(made)

        return confirmed_action(self, request, queryset, title=_("Séparer des alias"), describe=describe, apply=apply)
