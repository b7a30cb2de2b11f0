"""Learned suggestions: a tag with enough confirmed articles is proposed where the text is alike."""
import pytest
from django.core.management import call_command

from articles import curation
from articles.models import Article, ArticleTag, Tag, TrainingRequest
from articles.tagging import suggestions
from tests.factories import make_article

pytestmark = pytest.mark.django_db

GRAIN = ["céréales", "blé", "silos", "moisson", "port d’Odessa", "cargos de grain", "mer Noire", "récolte"]
ARMS = ["missiles", "obus", "drones", "blindés", "munitions", "artillerie", "défense aérienne", "chars"]
OTHER = ["festival", "musique", "concert", "scène", "public", "orchestre", "chanteurs", "théâtre"]


def text(words, n: int) -> str:
    picked = [words[(n + i) % len(words)] for i in range(5)]
    return f"Le rapport numéro {n} évoque {picked[0]}, {picked[1]} et {picked[2]}. On parle aussi de {picked[3]} puis de {picked[4]}."


@pytest.fixture
def corpus(commit_hooks):
    with commit_hooks():
        for n in range(12):
            make_article(text(GRAIN, n), title=f"Grain {n}", tags=["Céréales"])
            make_article(text(ARMS, n), title=f"Armes {n}", tags=["Armement"])
        for n in range(4):
            make_article(text(GRAIN, n + 103), title=f"Grain à trier {n}")
            make_article(text(OTHER, n), title=f"Culture {n}")
    return Tag.objects.get(name="Céréales")


def proposals() -> dict[str, tuple]:
    return {link.article.title: (link.tag.name, link.origin, link.status)
            for link in ArticleTag.objects.filter(origin="suggestion").select_related("article", "tag")}


def test_a_tag_with_enough_curated_examples_is_proposed_on_similar_articles_only(corpus, commit_hooks, client):
    with commit_hooks():
        report = suggestions.suggest()
    assert [(t.tag, t.positives, t.proposed) for t in report.tags] == [("Armement", 12, 0), ("Céréales", 12, 4)]
    assert proposals() == {f"Grain à trier {n}": ("Céréales", "suggestion", "proposed") for n in range(4)}
    link = ArticleTag.objects.filter(origin="suggestion").first()
    assert 0.6 <= link.confidence <= 1
    assert set(link.evidence.split(", ")) <= {"cereales", "ble", "silos", "moisson", "port", "odessa", "cargos", "grain", "mer", "noire", "recolte"}
    response = client.get("/search/", {"tag": "cereales"})
    assert response.context["result"].total == 16  # the facet and filter count proposals
    assert client.get("/search/", {"tag": "cereales", "confirmed": "1"}).context["result"].total == 12


def test_a_rejected_suggestion_never_comes_back_and_the_next_run_learns_from_it(corpus, commit_hooks):
    with commit_hooks():
        suggestions.suggest()
    rejected = ArticleTag.objects.get(article__title="Grain à trier 0")
    with commit_hooks():
        curation.tag_links_set_status(links=[rejected], status="rejected")
        report = suggestions.suggest()
    assert proposals()["Grain à trier 0"] == ("Céréales", "suggestion", "rejected")
    cereals = next(t for t in report.tags if t.tag == "Céréales")
    assert (cereals.proposed, cereals.updated) == (0, 3)


def test_too_few_examples_give_no_suggestion(commit_hooks):
    with commit_hooks():
        for n in range(9):
            make_article(text(GRAIN, n), title=f"Grain {n}", tags=["Céréales"])
        make_article(text(GRAIN, 101), title="Autre grain")
    assert suggestions.suggest().lines() == ["No tag has 10 confirmed articles yet: nothing to learn."]
    assert proposals() == {}


def test_bulk_curation_asks_for_learning_again_and_the_watcher_does_it(corpus, commit_hooks, capsys):
    assert suggestions.suggest_if_requested() is None
    with commit_hooks():
        curation.tag_add(articles=Article.objects.filter(title="Grain à trier 3"), tag=corpus)
    assert TrainingRequest.objects.count() == 1
    report = suggestions.suggest_if_requested()
    assert [t.proposed for t in report.tags if t.tag == "Céréales"] == [3]
    assert TrainingRequest.objects.count() == 0
    call_command("suggest_tags")
    assert "Céréales: learned from 13 confirmed" in capsys.readouterr().out
