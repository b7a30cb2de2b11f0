"""Curation services and the admin pages and actions around them: what a curator does and sees."""
from datetime import date

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from haystack.query import SearchQuerySet

from articles import curation, services
from articles.ingest.types import ActorMention, ArticleData
from articles.models import Actor, ActorAlias, Article, ArticleActor, ArticleTag, LinkStatus, Origin, Source, Tag
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def facet(client, param, **params):
    response = client.get("/search/", params)
    rows = next(rows for f, rows in response.context["result"].facets if f.param == param)
    return {row.label: row.count for row in rows}


def run_action(client, changelist, action, ids, **fields):
    """Post an admin action, then its confirmation; return the confirmation page and the result."""
    base = {"action": action, "_selected_action": [str(i) for i in ids]}
    page = client.post(changelist, base)
    if fields:
        preview = client.post(changelist, {**base, **fields, "step": "preview"})
        assert preview.status_code == 200
        page = preview
    done = client.post(changelist, {**base, **fields, "step": "apply"}, follow=True)
    assert done.status_code == 200
    return page, done


# -- permissions ------------------------------------------------------------------------------

def test_curators_edit_the_archive_but_not_users_or_groups(client, curator):
    for path in ["article", "actor", "actoralias", "tag", "source", "country"]:
        assert client.get(f"/admin/articles/{path}/").status_code == 200, path
    assert client.get("/admin/auth/user/").status_code == 403
    assert client.get("/admin/auth/group/").status_code == 403
    assert client.get(f"/admin/auth/user/{curator.pk}/change/").status_code == 403


def test_a_staff_member_outside_the_group_can_do_nothing(client):
    user = get_user_model().objects.create_user("visitor", password="pw", is_staff=True)
    client.force_login(user)
    assert client.get("/admin/articles/article/").status_code == 403


def test_anonymous_visitors_are_sent_to_log_in_and_the_public_site_is_read_only(client, commit_hooks):
    with commit_hooks():
        article = make_article("Texte.", title="Titre")
    assert client.get("/admin/").status_code == 302
    assert client.post(article.get_absolute_url(), {"title": "x"}).status_code == 405
    assert client.post("/search/", {"q": "x"}).status_code == 405


# -- tags -------------------------------------------------------------------------------------

def test_bulk_add_a_new_tag_from_a_search_shows_what_changes_then_applies_it(client, curator, commit_hooks):
    with commit_hooks():
        first = make_article("Les sanctions frappent Moscou.", tags=["Russie"])
        second = make_article("Les sanctions et Pékin.")
        make_article("Un sommet.")
    with commit_hooks():
        page, done = run_action(client, "/admin/articles/article/", "add_tag", [first.pk, second.pk], new_tag="Sanctions")
    assert page.context["changes"] == ["« Sanctions » sera ajouté à 2 articles."]
    assert "« Sanctions » ajouté à 2 articles." in done.content.decode()
    assert facet(client, "tag", q="sanctions") == {"Sanctions": 2, "Russie": 1}
    assert LogEntry.objects.filter(object_id=str(first.pk), change_message="Thème « Sanctions » ajouté.", user=curator).exists()


def test_cancelling_at_the_confirmation_page_changes_nothing(client, curator, commit_hooks):
    with commit_hooks():
        article = make_article("Texte.")
    tag = Tag.objects.create(name="Diplomatie")
    page = client.post("/admin/articles/article/", {"action": "add_tag", "_selected_action": [article.pk], "tag": tag.pk, "step": "preview"})
    assert "Voir ce qui va changer" in page.content.decode()
    assert article.tag_links.count() == 0


def test_remove_a_tag_in_bulk(client, curator, commit_hooks):
    with commit_hooks():
        a = make_article("Un.", tags=["Guerre"])
        b = make_article("Deux.", tags=["Guerre"])
    tag = Tag.objects.get(name="Guerre")
    with commit_hooks():
        run_action(client, "/admin/articles/article/", "remove_tag", [a.pk], tag=str(tag.pk))
    assert dict(ArticleTag.objects.filter(tag=tag).values_list("article_id", "status")) == {a.pk: "rejected", b.pk: "confirmed"}
    assert facet(client, "tag") == {"Guerre": 1}


def test_merging_tags_moves_articles_without_duplicates_and_records_history(client, curator, commit_hooks):
    with commit_hooks():
        both = make_article("Un texte sur les États-Unis.", tags=["US"])
        curation.tag_add(articles=[both], tag=Tag.objects.create(name="USA"))  # a later link: USA's is the duplicate
        make_article("Un autre texte sur les États-Unis.", tags=["U.S."])
    into = Tag.objects.create(name="États-Unis")
    ids = list(Tag.objects.values_list("pk", flat=True))
    with commit_hooks():
        page, done = run_action(client, "/admin/articles/tag/", "merge", ids, into=str(into.pk))
    changes = page.context["changes"]
    assert sorted(changes) == [
        "« U.S. » : 1 article passera à « États-Unis ». Puis « U.S. » sera supprimé.",
        "« US » : 1 article passera à « États-Unis ». Puis « US » sera supprimé.",
        "« USA » : 0 article passera à « États-Unis ». 1 article a déjà « États-Unis » : son lien à « USA » sera supprimé comme doublon. Puis « USA » sera supprimé.",
    ]
    assert list(Tag.objects.values_list("name", flat=True)) == ["États-Unis"]
    assert into.articles.count() == 2
    assert facet(client, "tag", q="etats") == {"États-Unis": 2}
    assert LogEntry.objects.filter(object_id=str(into.pk), change_message__startswith="Fusion :").exists()


# -- actors -----------------------------------------------------------------------------------

def test_merging_actors_moves_links_and_aliases_to_the_survivor(client, curator, commit_hooks):
    with commit_hooks():
        both = make_article("Poutine et Putin, le même homme.", actors=["Vladimir Poutine", "V. Putin"])  # two spellings extraction cannot tie
        make_article("Putin parle.", actors=["V. Putin"])
    keep = Actor.objects.get(name="Vladimir Poutine")
    ActorAlias.objects.create(actor=Actor.objects.get(name="V. Putin"), name="Putin")
    with commit_hooks():
        page, done = run_action(client, "/admin/articles/actor/", "merge", list(Actor.objects.values_list("pk", flat=True)),
                                into=str(keep.pk), keep_names_as_aliases="on")
    assert page.context["changes"] == [
        "« V. Putin » : 1 lien d’article passera à « Vladimir Poutine ». 1 lien sera supprimé comme doublon : "
        "l’article cite déjà « Vladimir Poutine ». Les noms « V. Putin », « Putin » deviendront des alias de "
        "« Vladimir Poutine ». Puis « V. Putin » sera supprimé."]
    assert "1 acteur fusionné dans « Vladimir Poutine » ; 2 articles mis à jour." in done.content.decode()
    assert list(Actor.objects.values_list("name", flat=True)) == ["Vladimir Poutine"]
    assert sorted(keep.aliases.values_list("name", flat=True)) == ["Putin", "V. Putin"]
    assert ArticleActor.objects.filter(article=both).count() == 1
    assert facet(client, "actor") == {"Vladimir Poutine": 2}


def test_merging_a_different_actor_makes_no_alias_unless_the_curator_asks(client, curator, commit_hooks):
    with commit_hooks():
        make_article("The Guardian révèle un document.", title="Révélations", actors=["The Guardian"])
        make_article("CNN diffuse un reportage.", title="Reportage", actors=["CNN"])
        make_article("CNN et The Guardian enquêtent.", title="Enquête", actors=["CNN", "The Guardian"])
    keep = Actor.objects.get(name="CNN")
    guardian = Actor.objects.get(name="The Guardian")
    ActorAlias.objects.create(actor=guardian, name="Guardian")
    with commit_hooks():
        page, done = run_action(client, "/admin/articles/actor/", "merge", [keep.pk, guardian.pk], into=str(keep.pk))
    assert page.context["changes"] == [
        "« The Guardian » : 1 lien d’article passera à « CNN ». 1 lien sera supprimé comme doublon : l’article cite déjà "
        "« CNN ». Les noms « The Guardian », « Guardian » ne deviendront pas des alias de « CNN ». Puis « The Guardian » sera supprimé."]
    assert list(ActorAlias.objects.values_list("name", flat=True)) == []
    found = client.get("/search/", {"q": "Guardian"}).context["result"]
    assert sorted(hit.object.title for hit in found.page.object_list) == ["Enquête", "Révélations"]
    assert facet(client, "actor") == {"CNN": 3}


def test_rejecting_an_actor_removes_it_and_future_imports_skip_the_name(client, curator, commit_hooks):
    with commit_hooks():
        make_article("Please Wait... et Joe Biden.", actors=["Please Wait", "Joe Biden"])
    noise = Actor.objects.get(name="Please Wait")
    with commit_hooks():
        page, done = run_action(client, "/admin/articles/actor/", "reject", [noise.pk])
    assert "« Please Wait » ne sera plus un acteur : 1 lien vers un article sera retiré." in page.content.decode()
    assert facet(client, "actor") == {"Joe Biden": 1}
    with commit_hooks():
        make_article("Encore Please Wait.", actors=["Please Wait"])
    assert facet(client, "actor") == {"Joe Biden": 1}
    assert Actor.objects.get(name="Please Wait").review_state == Actor.Review.REJECTED


def test_review_queue_lists_new_actors_and_accepting_empties_it(client, curator, commit_hooks):
    with commit_hooks():
        make_article("Texte.", actors=["Li Keqiang", "Emily Horne"])
    queue = client.get("/admin/articles/actor/", {"review_state__exact": "new"})
    assert [a.name for a in queue.context["cl"].result_list] == ["Emily Horne", "Li Keqiang"]
    run_action(client, "/admin/articles/actor/", "accept", list(Actor.objects.values_list("pk", flat=True)))
    assert client.get("/admin/articles/actor/", {"review_state__exact": "new"}).context["cl"].result_count == 0


@pytest.fixture
def wrongly_linked(commit_hooks):
    """An article about Li Shangfu linked to Li Keqiang, whose evidence names Li Shangfu."""
    with commit_hooks():
        article = make_article("Li Shangfu est à Moscou.", actors=["Li Keqiang"])
        link = article.actor_links.get()
        link.evidence = "Li Shangfu est à Moscou."
        link.save()
    return article


def test_splitting_a_wrongly_merged_alias_out(client, curator, commit_hooks, wrongly_linked):
    alias = ActorAlias.objects.create(actor=Actor.objects.get(name="Li Keqiang"), name="Li Shangfu")
    with commit_hooks():
        run_action(client, "/admin/articles/actoralias/", "split", [alias.pk])
    assert facet(client, "actor") == {"Li Shangfu": 1}


def test_a_rejected_link_never_comes_back_on_reextraction(commit_hooks):
    data = ArticleData(body="Joe Biden parle.", raw="Joe Biden parle.", actors=[ActorMention(name="Joe Biden")])
    with commit_hooks():
        article = services.article_upsert(data=data, origin="a.txt").article
    link = article.actor_links.get()
    assert (link.origin, link.status) == (Origin.EXTRACTION, LinkStatus.PROPOSED)
    with commit_hooks():
        curation.link_set_status(links=[link], status=LinkStatus.REJECTED)
    with commit_hooks():
        services.article_upsert(data=data, origin="a.txt")
    assert list(article.actor_links.values_list("status", flat=True)) == [LinkStatus.REJECTED]
    assert [r.actors for r in SearchQuerySet().all()] == [[]]


def test_link_status_is_edited_on_the_article_form_and_reaches_search(client, curator, commit_hooks):
    data = ArticleData(body="Joe Biden et Xi Jinping.", raw="x", actors=[ActorMention(name="Joe Biden"), ActorMention(name="Xi Jinping")])
    with commit_hooks():
        article = services.article_upsert(data=data, origin="a.txt").article
    from tests.admin.test_article_admin import form_data

    url = f"/admin/articles/article/{article.pk}/change/"
    page = client.get(url)
    html = page.content.decode()
    assert '<option value="proposed" selected>proposé</option>' in html
    assert "extraction automatique" in html
    data = form_data(page)
    biden = next(k for k, v in data.items() if k.startswith("actor_links-") and k.endswith("-actor") and v == str(Actor.objects.get(name="Joe Biden").pk))
    data[biden.replace("-actor", "-status")] = LinkStatus.REJECTED
    with commit_hooks():
        assert client.post(url, data).status_code == 302
    assert facet(client, "actor") == {"Xi Jinping": 1}


# -- sources, curated fields ------------------------------------------------------------------

def test_merging_sources_repoints_publisher_and_agency(client, curator, commit_hooks):
    with commit_hooks():
        make_article("Premier article.", source="Le Courrier")
        make_article("Second article.", source="Courrier (Le)")
    keep = Source.objects.get(name="Le Courrier")
    with commit_hooks():
        run_action(client, "/admin/articles/source/", "merge", list(Source.objects.values_list("pk", flat=True)), into=str(keep.pk))
    assert facet(client, "source") == {"Le Courrier": 2}


def test_fields_a_curator_edits_are_remembered(client, curator, commit_hooks):
    with commit_hooks():
        article = make_article("Texte.", title="Ancien titre", published=date(2022, 3, 1))
    from tests.admin.test_article_admin import form_data

    url = f"/admin/articles/article/{article.pk}/change/"
    data = form_data(client.get(url))
    data["title"] = "Titre corrigé"
    with commit_hooks():
        assert client.post(url, data).status_code == 302
    article.refresh_from_db()
    assert article.curated_fields == ["title"]


def test_rerunning_extraction_from_the_admin_keeps_the_curators_title(client, curator, commit_hooks, seeds_dir):
    from articles.importer import import_paths

    with commit_hooks():
        import_paths([seeds_dir / "000_31e098282308b3f9.txt"], progress=False)
    article = Article.objects.get()
    with commit_hooks():
        Article.objects.filter(pk=article.pk).update(title="Titre du curateur", curated_fields=["title"], language="xx")
    with commit_hooks():
        page, done = run_action(client, "/admin/articles/article/", "reextract", [article.pk])
    assert "seront extraits à nouveau de la page brute de 1 article." in page.content.decode()
    assert "Extraction relancée : 1 article modifié, 0 inchangé, 0 en échec." in done.content.decode()
    article.refresh_from_db()
    assert (article.title, article.language) == ("Titre du curateur", "fr")


def test_articles_given_as_json_lines_are_not_reextracted(commit_hooks):
    from articles.importer import reextract_articles

    with commit_hooks():
        make_article("Un texte donné en JSON.", title="Titre donné")
    report = reextract_articles(progress=False)
    assert (report.created, report.updated, report.skipped, report.failed) == (0, 0, 0, 0)
    assert Article.objects.get().title == "Titre donné"


def test_a_country_alias_added_by_a_curator_is_used_by_the_next_import(client, curator, commit_hooks, tmp_path):
    from articles.importer import import_paths
    from articles.models import Country

    page = tmp_path / "page.txt"
    page.write_text("Un festival à Tombouctou\n\nLes musiciens réunis à Tombouctou ont joué trois nuits durant.", encoding="utf-8")
    with commit_hooks():
        import_paths([page], progress=False)
    assert Article.objects.get().country_links.count() == 0  # the city is not in the built-in table
    url = "/admin/articles/country/ML/change/"
    form = client.get(url).context["adminform"].form
    assert client.post(url, {"name_fr": form["name_fr"].value(), "name_en": form["name_en"].value(), "aliases": "Tombouctou\n"}).status_code == 302
    assert Country.objects.get(code="ML").aliases == ["Tombouctou"]
    with commit_hooks():
        run_action(client, "/admin/articles/article/", "reextract", [Article.objects.get().pk])
    assert list(Article.objects.get().country_links.values_list("country_id", flat=True)) == ["ML"]


def test_splitting_an_alias_that_names_another_actor_moves_the_links_to_that_actor(client, curator, commit_hooks, wrongly_linked):
    article = wrongly_linked
    with commit_hooks():
        other = Actor.objects.create(name="Li Shangfu")
    # An alias equal to another actor's name is refused by validation, but may exist from before.
    alias = ActorAlias.objects.create(actor=Actor.objects.get(name="Li Keqiang"), name="Li Shangfu")
    with commit_hooks():
        page, done = run_action(client, "/admin/articles/actoralias/", "split", [alias.pk])
    assert done.status_code == 200
    assert list(article.actor_links.values_list("actor", flat=True)) == [other.pk]


def test_an_alias_cannot_be_another_actors_name(commit_hooks):
    from django.core.exceptions import ValidationError

    with commit_hooks():
        make_article("Texte.", actors=["Li Keqiang", "Li Shangfu"])
    alias = ActorAlias(actor=Actor.objects.get(name="Li Keqiang"), name="li shangfu")
    with pytest.raises(ValidationError, match="est le nom d’un autre acteur"):
        alias.full_clean()


def test_a_tag_a_curator_removed_stays_removed_when_the_same_file_is_imported_again(client, curator, commit_hooks, tmp_path):
    import json

    from articles.importer import import_paths
    from tests.admin.test_article_admin import form_data

    source = tmp_path / "a.jsonl"
    source.write_text(json.dumps({"title": "Essai", "body": "Un texte sur la diplomatie.", "tags": ["Diplomatie"]}), encoding="utf-8")
    with commit_hooks():
        import_paths([source], progress=False)
    article = Article.objects.get()
    url = f"/admin/articles/article/{article.pk}/change/"
    data = form_data(client.get(url))
    data["tag_links-0-DELETE"] = "on"
    with commit_hooks():
        assert client.post(url, data).status_code == 302
    with commit_hooks():
        import_paths([source], progress=False)
    assert dict(article.tag_links.values_list("tag__name", "status")) == {"Diplomatie": "rejected"}
    assert facet(client, "tag") == {}


def test_a_link_a_curator_deletes_is_kept_as_rejected_and_not_proposed_again(client, curator, commit_hooks):
    from tests.admin.test_article_admin import form_data

    data = ArticleData(body="Joe Biden et Xi Jinping.", raw="Joe Biden et Xi Jinping.", actors=[ActorMention(name="Joe Biden"), ActorMention(name="Xi Jinping")])
    with commit_hooks():
        article = services.article_upsert(data=data, origin="a.txt").article
    url = f"/admin/articles/article/{article.pk}/change/"
    post = form_data(client.get(url))
    biden = next(k for k, v in post.items() if k.startswith("actor_links-") and k.endswith("-actor") and v == str(Actor.objects.get(name="Joe Biden").pk))
    post[biden.replace("-actor", "-DELETE")] = "on"
    with commit_hooks():
        assert client.post(url, post).status_code == 302
    with commit_hooks():
        services.article_upsert(data=data, origin="a.txt")
    assert dict(article.actor_links.values_list("actor__name", "status")) == {"Joe Biden": "rejected", "Xi Jinping": "proposed"}
    assert facet(client, "actor") == {"Xi Jinping": 1}


def test_queued_index_updates_cannot_be_deleted_in_the_admin(client):
    from articles.models import PendingIndexUpdate

    admin_user = get_user_model().objects.create_superuser("root", password="pw-for-tests-only")
    client.force_login(admin_user)
    row = PendingIndexUpdate.objects.create(article_id=7)
    assert client.get(f"/admin/articles/pendingindexupdate/{row.pk}/delete/").status_code == 403
