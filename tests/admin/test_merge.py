"""Merges: the kept object's own decisions survive, and the preview says what happens to each link."""
import pytest

from articles.models import Actor, ActorAlias, ArticleActor, ArticleTag, LinkStatus, Tag, TagRule
from tests.admin.test_curation import run_action
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def _tag_status(article, tag):
    return ArticleTag.objects.get(article=article, tag=tag).status


def test_a_tag_merge_keeps_the_kept_tags_confirmation_over_the_merged_ones_rejection(client, curator, commit_hooks):
    with commit_hooks():
        contested = make_article("L’énergie et le gaz.", tags=["Énergie", "Energy"])
        proposed = make_article("Le pétrole.", tags=["Énergie", "Energy"])
    keep, other = Tag.objects.get(name="Énergie"), Tag.objects.get(name="Energy")
    ArticleTag.objects.filter(article=contested, tag=other).update(status=LinkStatus.REJECTED)
    ArticleTag.objects.filter(article=proposed, tag=keep).update(status=LinkStatus.PROPOSED)
    ArticleTag.objects.filter(article=proposed, tag=other).update(status=LinkStatus.REJECTED)
    TagRule.objects.create(tag=other, q="gaz")
    with commit_hooks():
        page, done = run_action(client, "/admin/articles/tag/", "merge", [keep.pk, other.pk], into=str(keep.pk))
    assert page.context["changes"] == [
        "« Energy » : 0 article passera à « Énergie ». "
        "1 article a déjà « Énergie » au statut « confirmé », qu’il garde : son lien à « Energy » au statut « rejeté » "
        "sera supprimé comme doublon. "
        "1 article a déjà « Énergie » au statut « proposé », qui devient « rejeté » : son lien à « Energy » au statut "
        "« rejeté » sera supprimé comme doublon. "
        "1 règle de « Energy » passera à « Énergie » et proposera désormais « Énergie ». "
        "Puis « Energy » sera supprimé."]
    assert _tag_status(contested, keep) == LinkStatus.CONFIRMED
    assert _tag_status(proposed, keep) == LinkStatus.REJECTED
    assert list(TagRule.objects.values_list("tag__name", flat=True)) == ["Énergie"]


def test_an_actor_merge_keeps_the_kept_actors_confirmation(client, curator, commit_hooks):
    with commit_hooks():
        article = make_article("Poutine et Putin.", actors=["Vladimir Poutine", "V. Putin"])
    keep, other = Actor.objects.get(name="Vladimir Poutine"), Actor.objects.get(name="V. Putin")
    ArticleActor.objects.filter(article=article, actor=keep).update(status=LinkStatus.CONFIRMED)
    ArticleActor.objects.filter(article=article, actor=other).update(status=LinkStatus.REJECTED)
    with commit_hooks():
        page, done = run_action(client, "/admin/articles/actor/", "merge", [keep.pk, other.pk], into=str(keep.pk))
    assert page.context["changes"] == [
        "« V. Putin » : 0 lien d’article passera à « Vladimir Poutine ». 1 lien au statut « rejeté » sera supprimé comme "
        "doublon : l’article cite déjà « Vladimir Poutine », dont le lien garde son statut « confirmé ». Le nom « V. Putin » "
        "ne deviendra pas un alias de « Vladimir Poutine ». Puis « V. Putin » sera supprimé."]
    assert ArticleActor.objects.get(article=article).status == LinkStatus.CONFIRMED
    assert ArticleActor.objects.get(article=article).actor == keep


def test_keeping_a_merged_name_as_alias_never_takes_another_actors_alias(client, curator, commit_hooks):
    with commit_hooks():
        make_article("Li Qiang et Li Keqiang.", actors=["Li Qiang", "Li Keqiang", "Li"])
    keep, other, third = (Actor.objects.get(name=n) for n in ("Li Qiang", "Li", "Li Keqiang"))
    ActorAlias.objects.create(actor=third, name="li")
    base = {"action": "merge", "_selected_action": [str(keep.pk), str(other.pk)], "into": str(keep.pk), "keep_names_as_aliases": "on"}
    for step in ("preview", "apply"):
        page = client.post("/admin/articles/actor/", {**base, "step": step})
        assert page.status_code == 200
        assert ("« Li » est déjà un alias de « Li Keqiang », qui n’est pas fusionné : il ne peut pas devenir un alias de "
                "« Li Qiang ».") in page.content.decode()
    assert list(ActorAlias.objects.values_list("actor__name", "name")) == [("Li Keqiang", "li")]
    assert Actor.objects.filter(name="Li").exists()
