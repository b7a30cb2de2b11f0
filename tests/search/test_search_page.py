"""The search page as a user sees it: results, highlights, facets, narrowing, bad queries."""
from datetime import date

import pytest
from django.urls import reverse

from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(commit_hooks):
    """Three articles about sanctions with known actors, countries, tags and sources."""
    with commit_hooks():
        make_article(
            "Les sanctions contre la Russie inquiètent Pékin, selon Xi Jinping et Vladimir Poutine.",
            title="Pékin et Moscou face aux sanctions", published=date(2022, 3, 20), source="Le Courrier",
            actors=["Xi Jinping", "Vladimir Poutine"], countries=["CN", "RU"], tags=["Diplomatie"],
        )
        make_article(
            "Xi Jinping et Joe Biden ont parlé des sanctions économiques et de l’Ukraine.",
            title="Appel entre Washington et Pékin", published=date(2022, 3, 18), source="La Gazette",
            actors=["Xi Jinping", "Joe Biden"], countries=["CN", "US"], tags=["Diplomatie", "Économie"],
        )
        make_article(
            "Joe Biden annonce de nouvelles sanctions sanctionnant les banques.",
            title="Nouvelles sanctions américaines", published=date(2021, 12, 1), precision="month",
            source="La Gazette", actors=["Joe Biden"], countries=["US"], tags=["Économie"],
        )


def search(client, **params):
    response = client.get(reverse("articles:search"), params)
    assert response.status_code == 200
    return response


def titles(response):
    return [hit.object.title for hit in response.context["result"].page.object_list]


def facet(response, param):
    for spec, rows in response.context["result"].facets:
        if spec.param == param:
            return {row.label: (row.count, row.selected) for row in rows}
    raise KeyError(param)


def test_keyword_search_finds_the_articles_with_highlighted_words(client, archive):
    response = search(client, q="Biden")
    assert sorted(titles(response)) == ["Appel entre Washington et Pékin", "Nouvelles sanctions américaines"]
    html = response.content.decode()
    assert "<mark>Biden</mark>" in html
    assert "2 articles" in html


def test_highlight_follows_french_stemming_and_accents(client, archive):
    response = search(client, q="sanction pekin poutine")
    assert titles(response) == ["Pékin et Moscou face aux sanctions"]
    snippet = response.context["result"].page.object_list[0].highlighted["text"][0]
    assert "<mark>sanctions</mark>" in snippet and "<mark>Pékin</mark>" in snippet and "<mark>Poutine</mark>" in snippet


def test_facets_count_every_result_of_the_query(client, archive):
    response = search(client, q="sanctions")
    assert facet(response, "actor") == {"Joe Biden": (2, False), "Xi Jinping": (2, False), "Vladimir Poutine": (1, False)}
    assert facet(response, "country") == {"Chine": (2, False), "États-Unis": (2, False), "Russie": (1, False)}
    assert facet(response, "tag") == {"Diplomatie": (2, False), "Économie": (2, False)}
    assert facet(response, "source") == {"La Gazette": (2, False), "Le Courrier": (1, False)}
    assert facet(response, "year") == {"2022": (2, False), "2021": (1, False)}


def test_one_actor_narrows_the_results_and_the_facets(client, archive):
    response = search(client, q="sanctions", actor="xi-jinping")
    assert sorted(titles(response)) == ["Appel entre Washington et Pékin", "Pékin et Moscou face aux sanctions"]
    assert facet(response, "actor") == {"Xi Jinping": (2, True), "Joe Biden": (1, False), "Vladimir Poutine": (1, False)}


def test_two_actors_give_the_articles_that_mention_both(client, archive):
    response = search(client, q="sanctions", actor=["xi-jinping", "joe-biden"])
    assert titles(response) == ["Appel entre Washington et Pékin"]


def test_two_countries_combine_with_and(client, archive):
    response = search(client, country=["cn", "us"])
    assert titles(response) == ["Appel entre Washington et Pékin"]
    assert facet(response, "country")["Chine"] == (1, True)


def test_two_tags_combine_with_or(client, archive):
    response = search(client, tag=["diplomatie", "economie"], sort="oldest")
    assert titles(response) == ["Nouvelles sanctions américaines", "Appel entre Washington et Pékin", "Pékin et Moscou face aux sanctions"]


def test_clicking_a_selected_value_removes_it(client, archive):
    response = search(client, q="sanctions", actor="xi-jinping")
    rows = dict(response.context["result"].facets)
    xi = next(row for row in rows[next(f for f in rows if f.param == "actor")] if row.value == "xi-jinping")
    assert xi.toggle_url == "?q=sanctions"
    assert len(titles(client.get(reverse("articles:search") + xi.toggle_url))) == 3


def test_sort_by_date_newest_and_oldest(client, archive):
    assert titles(search(client, q="sanctions", sort="newest")) == [
        "Pékin et Moscou face aux sanctions", "Appel entre Washington et Pékin", "Nouvelles sanctions américaines",
    ]
    assert titles(search(client, q="sanctions", sort="oldest"))[0] == "Nouvelles sanctions américaines"


def test_results_are_paged_twenty_at_a_time(client, commit_hooks):
    with commit_hooks():
        for n in range(23):
            make_article(f"Dépêche numéro {n} sur les céréales ukrainiennes.", title=f"Dépêche {n:02d}", published=date(2022, 1, 1 + n))
    first = search(client, q="cereales", sort="newest")
    assert len(titles(first)) == 20
    html = first.content.decode()
    assert "Page 1 sur 2" in html
    assert 'href="?q=cereales&amp;sort=newest&amp;page=2"' in html
    second = search(client, q="cereales", sort="newest", page=2)
    assert titles(second) == ["Dépêche 02", "Dépêche 01", "Dépêche 00"]
    assert len(titles(search(client, q="cereales", page="999"))) == 3  # past the end: the last page
    assert len(titles(search(client, q="cereales", page="abc"))) == 20


@pytest.mark.parametrize(
    "query",
    ['"aide militaire', "AND", "OR NOT", "-", "*", "((", "actor:", "sanctions)", "a" * 10_000, "<script>alert(1)</script>", "'; DROP TABLE x; --", "sanctions\x00"],
)
def test_hostile_queries_give_a_normal_page(client, archive, query):
    response = search(client, q=query)
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "Résultats pour" in html


def test_script_in_a_query_is_shown_escaped(client, archive):
    html = search(client, q="<script>alert(1)</script>").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_very_long_query_is_cut_and_the_page_says_so(client, archive):
    html = search(client, q="sanctions " * 1000).content.decode()
    assert "Votre recherche était trop longue" in html


def test_article_html_is_escaped_in_snippets(client, commit_hooks):
    with commit_hooks():
        make_article("Un texte <img src=x onerror=alert(1)> sur les sanctions.", title="Piège")
    html = search(client, q="sanctions").content.decode()
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_unknown_filter_values_give_no_results_not_an_error(client, archive):
    response = search(client, actor="nobody", country="ZZ", year="abcd")
    assert titles(response) == []
    assert facet(response, "actor") == {"nobody": (0, True)}
