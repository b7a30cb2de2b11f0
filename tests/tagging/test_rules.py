"""Tag rules: a saved search proposes its tag now and on every later import; curators confirm or reject."""
import json
from datetime import date

import pytest
from django.contrib.admin.models import LogEntry

from articles.importer import import_paths
from articles.models import Article, ArticleTag, Tag, TagRule
from tests.admin.test_curation import run_action
from tests.factories import make_article

pytestmark = pytest.mark.django_db
RULES = "/admin/articles/tagrule/"


@pytest.fixture
def stored(commit_hooks):
    with commit_hooks():
        make_article("Les sanctions sur le pétrole russe se durcissent.", title="Pétrole", published=date(2022, 3, 2), countries=["RU"])
        make_article("Nouvelles sanctions : le pétrole de Moscou visé.", title="Embargo", published=date(2022, 4, 2), countries=["RU"])
        make_article("Le pétrole iranien et les sanctions américaines.", title="Iran", published=date(2022, 5, 2), countries=["IR"])
        make_article("Un festival de musique à Lyon.", title="Festival", published=date(2022, 6, 2))
    return Tag.objects.create(name="Énergie")


def tags_of(title: str) -> dict[str, str]:
    return dict(ArticleTag.objects.filter(article__title=title).values_list("tag__name", "status"))


def facet(client, **params) -> dict[str, int]:
    response = client.get("/search/", params)
    rows = next(rows for f, rows in response.context["result"].facets if f.param == "tag")
    return {row.label: row.count for row in rows}


def rule_form(tag, **fields) -> dict:
    return {"tag": str(tag.pk), "q": "", "filters": "", "date_from": "", "date_to": "", "is_active": "on", "note": "", **fields}


def test_a_saved_rule_proposes_its_tag_on_every_matching_article(client, curator, stored, commit_hooks):
    with commit_hooks():
        response = client.post(f"{RULES}add/", rule_form(stored, q="sanctions pétrole", filters="country=RU"), follow=True)
    assert "« Énergie » proposé à 2 nouveaux articles. 0 proposition retirée." in response.content.decode()
    assert tags_of("Pétrole") == tags_of("Embargo") == {"Énergie": "proposed"}
    assert tags_of("Iran") == {}
    link = ArticleTag.objects.filter(article__title="Pétrole").get()
    assert (link.origin, link.rule.q, link.evidence) == ("rule", "sanctions pétrole", "sanctions pétrole · country=RU")
    assert facet(client) == {"Énergie": 2}  # the public facet counts proposed tags too
    changelist = client.get(RULES).content.decode()
    assert '<td class="field-match_count">2</td>' in changelist
    assert "2 à relire · 0 confirmée · 0 rejetée" in changelist  # French: the singular for 0 and 1


def test_the_preview_says_what_a_rule_will_do_and_saves_nothing(client, curator, stored, commit_hooks):
    with commit_hooks():
        make_article("Le pétrole et les sanctions, encore.", title="Déjà", tags=["Énergie"])
        rejected = make_article("Des sanctions sans rapport avec le pétrole ?", title="Rejeté")
        ArticleTag.objects.create(article=rejected, tag=stored, status="rejected")
    response = client.post(f"{RULES}add/", {**rule_form(stored, q="sanctions pétrole"), "_preview": "1"})
    assert response.status_code == 200
    preview = response.context["preview"]
    assert (preview.matching, preview.proposed, preview.having, preview.rejected) == (5, 3, 1, 1)
    html = response.content.decode()
    assert "La recherche trouve 5 articles." in html and "Le thème sera proposé à 3 articles." in html
    assert "1 article où un curateur a rejeté ce thème reste sans lui." in html
    assert [a.title for a in preview.articles] == ["Pétrole", "Embargo", "Iran"]
    assert TagRule.objects.count() == 0
    assert ArticleTag.objects.filter(origin="rule").count() == 0


def test_a_later_import_gets_the_proposal_and_a_rejected_one_never_comes_back(client, curator, stored, commit_hooks, tmp_path):
    with commit_hooks():
        client.post(f"{RULES}add/", rule_form(stored, q="sanctions pétrole"))
    page = tmp_path / "new.jsonl"
    page.write_text(json.dumps({"title": "Nouveau", "body": "Le pétrole vénézuélien échappe aux sanctions."}), encoding="utf-8")
    with commit_hooks():
        import_paths([page], progress=False)
    assert tags_of("Nouveau") == {"Énergie": "proposed"}

    iran = ArticleTag.objects.get(article__title="Iran")
    with commit_hooks():
        run_action(client, "/admin/articles/tagproposal/", "reject", [iran.pk])
    with commit_hooks():
        rule = TagRule.objects.get()
        client.post(f"{RULES}{rule.pk}/change/", rule_form(stored, q="sanctions pétrole", note="relancée"))
        import_paths([page], progress=False)
    assert tags_of("Iran") == {"Énergie": "rejected"}
    assert facet(client, q="iranien") == {}


def test_an_edit_that_no_longer_matches_withdraws_the_proposal_but_not_a_confirmed_tag(client, curator, stored, commit_hooks):
    with commit_hooks():
        client.post(f"{RULES}add/", rule_form(stored, q="sanctions pétrole"))
        ArticleTag.objects.filter(article__title="Embargo").update(status="confirmed")
    with commit_hooks():
        for title in ("Pétrole", "Embargo"):
            article = Article.objects.get(title=title)
            article.body = "Un texte sur tout autre chose."
            article.save()
    assert tags_of("Pétrole") == {}
    assert tags_of("Embargo") == {"Énergie": "confirmed"}


def test_proposals_are_confirmed_or_rejected_in_bulk_from_the_queue_most_confident_first(client, curator, stored, commit_hooks):
    with commit_hooks():
        client.post(f"{RULES}add/", rule_form(stored, q="sanctions pétrole"))
    with commit_hooks():
        other = Tag.objects.create(name="Iran")
        ArticleTag.objects.create(article=Article.objects.get(title="Festival"), tag=other, origin="suggestion", status="proposed", confidence=0.72)
        ArticleTag.objects.create(article=Article.objects.get(title="Iran"), tag=other, origin="suggestion", status="proposed", confidence=0.93)
    queue = client.get("/admin/articles/tagproposal/", {"origin__exact": "suggestion"})
    assert [(link.article.title, link.confidence) for link in queue.context["cl"].result_list] == [("Iran", 0.93), ("Festival", 0.72)]
    assert "93 %" in queue.content.decode().replace("\u202f", " ")
    ids = list(ArticleTag.objects.filter(origin="rule").values_list("pk", flat=True))
    with commit_hooks():
        page, done = run_action(client, "/admin/articles/tagproposal/", "confirm", ids)
    assert page.context["changes"] == ["3 thèmes proposés seront confirmés."]
    assert "3 articles mis à jour." in done.content.decode()
    assert set(ArticleTag.objects.filter(tag=stored).values_list("status", flat=True)) == {"confirmed"}
    assert facet(client, confirmed="1") == {"Énergie": 3}


def test_one_proposal_is_confirmed_in_the_queue_list(client, curator, stored, commit_hooks):
    with commit_hooks():
        client.post(f"{RULES}add/", rule_form(stored, q="sanctions pétrole", filters="country=RU"))
    links = list(ArticleTag.objects.order_by("pk"))
    data = {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "2", "_save": "Enregistrer",
            "form-0-id": str(links[0].pk), "form-0-status": "confirmed", "form-1-id": str(links[1].pk), "form-1-status": "proposed"}
    with commit_hooks():
        assert client.post("/admin/articles/tagproposal/", data).status_code == 302
    assert tags_of(links[0].article.title) == {"Énergie": "confirmed"}
    assert tags_of(links[1].article.title) == {"Énergie": "proposed"}
    assert facet(client, confirmed="1") == {"Énergie": 1}
    history = LogEntry.objects.filter(object_id=str(links[0].article_id), content_type__model="article")
    assert list(history.values_list("change_message", "user__username")) == [("Thème « Énergie » : confirmé.", "claire")]
    assert not LogEntry.objects.filter(object_id=str(links[1].article_id), content_type__model="article").exists()


def test_the_queues_confirmation_page_names_the_articles_in_either_language(client, curator, stored, commit_hooks):
    with commit_hooks():
        client.post(f"{RULES}add/", rule_form(stored, q="sanctions pétrole", filters="country=RU"))
    ids = [str(pk) for pk in ArticleTag.objects.order_by("article__title").values_list("pk", flat=True)]
    base = {"_selected_action": ids}
    page = client.post("/admin/articles/tagproposal/", {**base, "action": "confirm"})
    assert sorted(str(obj) for obj in page.context["queryset"]) == ["Énergie — Embargo", "Énergie — Pétrole"]
    assert "<li>Énergie — Embargo</li>" in page.content.decode()
    client.cookies["django_language"] = "en"
    assert client.post("/admin/articles/tagproposal/", {**base, "action": "confirm"}).context["changes"] == [
        "2 proposed tags will be confirmed."]
    assert client.post("/admin/articles/tagproposal/", {**base, "action": "reject"}).context["changes"] == [
        "2 proposed tags will be rejected: no rule or suggestion will propose them to these articles again."]


@pytest.mark.parametrize("fields, error", [
    ({"q": '"aide militaire'}, "La recherche n’est pas valide"),
    ({"filters": "pays=RU"}, "« pays » n’est pas un filtre de la recherche"),
    ({"date_from": "mars"}, "Une date comme 2022, 2022-03 ou 2022-03-15."),
    ({}, "Une règle sans mots, filtres ni dates proposerait le thème partout"),
    ({"q": "date:2022-13"}, "Le moteur de recherche ne comprend pas cette recherche (« 2022-13 » n’est pas une date réelle)"),
    ({"filters": "country=ZZ"}, "Le filtre « country=ZZ » ne trouverait rien : « ZZ » n’est pas dans l’archive."),
    ({"filters": "actor=personne-inconnue"}, "Le filtre « actor=personne-inconnue » ne trouverait rien"),
    ({"filters": "year=22"}, "Le filtre « year=22 » ne trouverait rien"),
    ({"q": "sanctions", "date_from": "2023", "date_to": "2022-06"}, "La fin (2022-06) est avant le début (2023) : la règle ne trouverait rien."),
])
def test_a_rule_that_cannot_work_is_refused_with_a_reason(client, curator, stored, fields, error):
    response = client.post(f"{RULES}add/", rule_form(stored, **fields))
    assert response.status_code == 200
    assert error in response.content.decode()
    assert TagRule.objects.count() == 0


def test_the_add_page_takes_a_search_from_the_address(client, curator, stored):
    response = client.get(f"{RULES}add/", {"q": "sanctions", "filters": "country=RU", "date_from": "2022"})
    form = response.context["adminform"].form
    assert (form["q"].value(), form["filters"].value(), form["date_from"].value()) == ("sanctions", "country=RU", "2022")


def test_a_rule_made_from_a_search_keeps_confirmed_tags_only(client, curator, stored, commit_hooks):
    with commit_hooks():
        other = Tag.objects.create(name="Russie")
        ArticleTag.objects.create(article=Article.objects.get(title="Pétrole"), tag=other, status="confirmed")
        ArticleTag.objects.create(article=Article.objects.get(title="Embargo"), tag=other, status="proposed", origin="rule")
    search = client.get("/search/", {"tag": "russie", "confirmed": "1"})
    rule_url = search.context["rule_url"]
    form = client.get(rule_url).context["adminform"].form
    assert form["filters"].value() == "tag=russie&confirmed=1"
    with commit_hooks():
        client.post(f"{RULES}add/", rule_form(stored, filters=form["filters"].value()))
    assert TagRule.objects.get().filters == {"confirmed": ["1"], "tag": ["russie"]}
    assert tags_of("Pétrole") == {"Énergie": "proposed", "Russie": "confirmed"}
    assert "Énergie" not in tags_of("Embargo")


def test_saving_a_long_rule_quotes_it_briefly(client, curator, stored, commit_hooks):
    with commit_hooks():
        response = client.post(f"{RULES}add/", rule_form(stored, q="sanctions " + " ".join(["pétrole"] * 60)), follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert messages and all(len(m) < 300 for m in messages), messages
