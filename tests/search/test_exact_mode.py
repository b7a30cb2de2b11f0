"""Exact mode (?exact=1): words as written, against a real Whoosh index."""
import pytest

from articles.models import Actor, ActorAlias
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(commit_hooks):
    with commit_hooks():
        make_article("Les sanctions contre Pékin, annoncées lundi.", title="Pluriel", actors=["Vladimir Poutine"])
        make_article("Une sanction contre Pekin, écrit sans accent.", title="Singulier")
        make_article("L’Élysée sanctionne les céréaliers.", title="Élysée")


def titles(client, **params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    return sorted(hit.object.title for hit in response.context["result"].page.object_list)


@pytest.mark.parametrize(
    ("query", "normal", "exact"),
    [
        ("sanction", ["Pluriel", "Singulier", "Élysée"], ["Singulier"]),
        ("sanctions", ["Pluriel", "Singulier", "Élysée"], ["Pluriel"]),
        ("Pékin", ["Pluriel", "Singulier"], ["Pluriel"]),
        ("pekin", ["Pluriel", "Singulier"], ["Singulier"]),
        ("PÉKIN", ["Pluriel", "Singulier"], ["Pluriel"]),
        ("l'élysée", ["Élysée"], ["Élysée"]),
        ("elysee", ["Élysée"], []),
        ("sanction*", ["Pluriel", "Singulier", "Élysée"], ["Pluriel", "Singulier", "Élysée"]),
        ("sanctions*", ["Pluriel", "Singulier", "Élysée"], ["Pluriel"]),
        ('"sanctions contre"', ["Pluriel", "Singulier"], ["Pluriel"]),
        ("sanction OR céréaliers", ["Pluriel", "Singulier", "Élysée"], ["Singulier", "Élysée"]),
        ("sanction* -pekin", ["Élysée"], ["Pluriel", "Élysée"]),
    ],
)
def test_exact_mode_finds_the_words_as_written(client, archive, query, normal, exact):
    assert titles(client, q=query) == normal
    assert titles(client, q=query, exact="1") == exact


def test_exact_mode_does_not_read_words_as_an_actors_alias(client, archive):
    ActorAlias.objects.create(actor=Actor.objects.get(name="Vladimir Poutine"), name="Putin")
    assert titles(client, q="Putin") == ["Pluriel"]
    assert titles(client, q="Putin", exact="1") == []


def test_exact_mode_highlights_only_the_words_as_written(client, archive):
    html = client.get("/search/", {"q": "sanction", "exact": "1"}).content.decode()
    assert "Une <mark>sanction</mark> contre" in html
    html = client.get("/search/", {"q": "sanction"}).content.decode()
    assert "Les <mark>sanctions</mark> contre" in html


def test_exact_mode_is_kept_in_every_link_and_can_be_switched_off(client, archive):
    response = client.get("/search/", {"q": "sanction", "exact": "1", "sort": "oldest"})
    result = response.context["result"]
    assert result.request.params() == {"q": ["sanction"], "sort": ["oldest"], "exact": ["1"]}
    assert result.exact_toggle_url == "?q=sanction&sort=oldest"
    html = response.content.decode()
    assert '<input type="hidden" name="exact" value="1">' in html
    assert "sort=newest&amp;exact=1" in html or "exact=1&amp;sort=newest" in html
    off = client.get("/search/", {"q": "sanction"}).context["result"]
    assert off.exact_toggle_url == "?q=sanction&exact=1"


def test_the_export_follows_exact_mode(client, archive):
    response = client.get("/search/export/", {"q": "sanction", "exact": "1", "format": "jsonl"})
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert [line for line in lines if "Singulier" in line] and len(lines) == 2  # the article, the trailer


def test_the_help_page_explains_exact_mode(client):
    html = client.get("/help/").content.decode()
    assert "sanction ne trouve plus sanctions" in html
    client.cookies["django_language"] = "en"
    assert "sanction no longer finds sanctions" in client.get("/help/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
