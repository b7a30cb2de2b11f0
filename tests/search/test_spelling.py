"""'Did you mean': corrections of misspelt words from the index's own words, on a real index."""
from datetime import date

import pytest
from haystack.query import SearchQuerySet

from articles.models import Actor, ActorAlias
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def spelling_on(search_backend):
    """As in settings.HAYSTACK_CONNECTIONS: the engine suggests spellings (INCLUDE_SPELLING)."""
    search_backend.include_spelling = True


@pytest.fixture
def archive(commit_hooks):
    with commit_hooks():
        make_article("Les sanctions contre Moscou et le pétrole russe.", title="Pétrole", published=date(2022, 1, 5),
                     source="La Gazette", actors=["Vladimir Poutine"], tags=["Énergie"])
        make_article("De nouvelles sanctions et une aide militaire à Kiev.", title="Aide", published=date(2022, 3, 5),
                     source="Le Courrier", tags=["Défense"])
        make_article("Une aide militaire annoncée par Washington.", title="Washington", published=date(2022, 4, 5),
                     source="Le Courrier", tags=["Défense"])
    ActorAlias.objects.create(actor=Actor.objects.get(name="Vladimir Poutine"), name="Putin")


def result(client, **params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    return response, response.context["result"]


def test_a_misspelt_word_with_no_result_gets_a_suggestion_that_finds_articles(client, archive):
    response, found = result(client, q="sanctoins")
    assert (found.total, found.suggestion, found.suggestion_url) == (0, "sanctions", "?q=sanctions")
    assert "Vouliez-vous dire : <a href=\"?q=sanctions\">sanctions</a> ?" in response.content.decode()


def test_only_the_misspelt_words_of_the_query_are_corrected(client, archive):
    _, found = result(client, q='"aide militiare" Washington')
    assert found.suggestion == '"aide militaire" Washington'
    _, found = result(client, q="Kiev petrol NOT Sanctoins")
    assert found.suggestion == ""  # an excluded word is not worth correcting


def test_a_capitalised_word_keeps_its_capital_and_filters_are_kept(client, archive):
    _, found = result(client, q="Militiare", source="le-courrier", sort="oldest")
    assert (found.suggestion, found.suggestion_url) == ("Militaire", "?q=Militaire&source=le-courrier&sort=oldest")


@pytest.mark.parametrize("query", ["sanctions", "petrol", "PÉTROLE", "sanction*", "Putin", "sanctionnerons", "actor:poutine"])
def test_words_the_index_knows_get_no_suggestion(client, archive, query):
    # "petrol" is "pétrole" without its accent, "sanctionnerons" another form of a known stem,
    # "Putin" an actor's alias.
    assert result(client, q=query)[1].suggestion == ""


def test_no_suggestion_when_the_correction_would_find_nothing_more(client, archive):
    _, found = result(client, q="sanctoins", tag="defense", source="la-gazette")
    assert (found.total, found.suggestion) == (0, "")
    assert "Vouliez-vous dire" not in result(client, q="zzyzx")[0].content.decode()


def test_a_suggestion_keeps_exact_mode(client, archive):
    _, found = result(client, q="sanctoins", exact="1")
    assert (found.suggestion, found.suggestion_url) == ("sanctions", "?q=sanctions&exact=1")


def test_the_engine_answers_haystacks_spelling_suggestion(archive):
    assert SearchQuerySet().auto_query("sanctoins").spelling_suggestion() == "sanctions"
    assert SearchQuerySet().auto_query("xx").spelling_suggestion() is None
    assert SearchQuerySet().auto_query("aide militiare").spelling_suggestion() == "aide militaire"
    assert SearchQuerySet().auto_query("aide militaire").spelling_suggestion() is None


def test_the_suggestion_is_shown_in_english(client, archive):
    client.cookies["django_language"] = "en"
    response = client.get("/search/", {"q": "sanctoins"}, HTTP_ACCEPT_LANGUAGE="en")
    assert 'Did you mean: <a href="?q=sanctions">sanctions</a>?' in response.content.decode()
