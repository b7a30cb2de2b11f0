"""The facet classes: their rows, labels, hooks and the values a query's names stand for."""
from datetime import date

import pytest
from django.utils import translation

from articles.search.facets import FACETS, FACETS_BY_PARAM, UNKNOWN_SOURCE, Facet, FacetRow, entity_url
from articles.search.page import run_search
from articles.search.request import SearchRequest
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(commit_hooks):
    with commit_hooks():
        make_article("Un appel de Xi Jinping.", title="Appel", published=date(2022, 3, 20), source="Le Courrier",
                     actors=["Xi Jinping", "Joe Biden"], countries=["CN", "US"], tags=["Diplomatie"])
        make_article("Une visite de Xi Jinping.", title="Visite", published=date(2022, 5, 2),
                     actors=["Xi Jinping"], countries=["CN"], tags=["Diplomatie", "Économie"])
        make_article("Un texte de 2021.", title="Ancien", published=date(2021, 6, 1), precision="year", source="La Gazette")


def rows(result, param):
    return next(found for found in result.facets if found.facet.param == param)


def test_a_facet_yields_rows_of_value_label_count_toggle_url_and_selected(archive):
    result = run_search(SearchRequest(q="xi", filters={"country": ["CN"]}))
    found = rows(result, "actor")
    assert found.rows == [
        FacetRow("xi-jinping", "Xi Jinping", 2, "?q=xi&country=CN&actor=xi-jinping", False),
        FacetRow("joe-biden", "Joe Biden", 1, "?q=xi&country=CN&actor=joe-biden", False),
    ]
    assert rows(result, "country").rows == [
        FacetRow("CN", "Chine", 2, "?q=xi", True),
        FacetRow("US", "États-Unis", 1, "?q=xi&country=CN&country=US", False),
    ]
    assert found.truncated is False


def test_a_facet_with_more_values_than_shown_says_it_is_truncated(archive):
    found = FACETS_BY_PARAM["actor"].results(SearchRequest(), {"actors": [("xi-jinping", 2), ("joe-biden", 1)]}, limit=1)
    assert [row.value for row in found.rows] == ["xi-jinping"]
    assert found.truncated is True


def test_a_selected_value_the_search_does_not_count_is_still_a_row(archive):
    result = run_search(SearchRequest(filters={"actor": ["nobody"]}, sort="newest"))
    assert rows(result, "actor").rows == [FacetRow("nobody", "nobody", 0, "?", True)]


def test_country_labels_follow_the_language_and_unknown_sources_have_a_name(archive):
    with translation.override("en"):
        result = run_search(SearchRequest())
        assert [row.label for row in rows(result, "country").rows] == ["China", "United States"]
    assert {row.value: row.label for row in rows(run_search(SearchRequest()), "source").rows} == {
        "le-courrier": "Le Courrier", "la-gazette": "La Gazette", UNKNOWN_SOURCE: "source inconnue"}


def test_years_are_newest_first_and_months_show_inside_one_year(archive):
    result = run_search(SearchRequest())
    assert [(row.value, row.count) for row in rows(result, "year").rows] == [("2022", 2), ("2021", 1)]
    assert not any(found.facet.param == "month" for found in result.facets)
    months = rows(run_search(SearchRequest(filters={"year": ["2022"]})), "month")
    assert [(row.value, row.count) for row in months.rows] == [("2022-05", 1), ("2022-03", 1)]


def test_the_tag_facet_counts_confirmed_tags_only_when_asked():
    tags = FACETS_BY_PARAM["tag"]
    assert (tags.field_for(), tags.field_for(confirmed_tags=True)) == ("tags", "tags_confirmed")
    assert FACETS_BY_PARAM["actor"].field_for(confirmed_tags=True) == "actors"


def test_a_source_named_in_a_query_is_a_publisher_or_an_agency():
    assert FACETS_BY_PARAM["source"].filter_fields() == ["source", "agency"]
    assert FACETS_BY_PARAM["agency"].filter_fields() == ["agency"]


def test_names_typed_in_a_query_stand_for_values(archive):
    assert FACETS_BY_PARAM["actor"].named_by("xi jinping") == ["xi-jinping"]
    assert FACETS_BY_PARAM["actor"].named_by("Jinping") == ["xi-jinping"]  # a word of the name
    assert FACETS_BY_PARAM["country"].named_by("Chine") == ["CN"]
    assert FACETS_BY_PARAM["country"].named_by("China") == ["CN"]
    assert FACETS_BY_PARAM["tag"].named_by("economie") == ["economie"]
    assert FACETS_BY_PARAM["source"].named_by("courrier") == ["le-courrier"]
    assert FACETS_BY_PARAM["tag"].named_by("inconnu") == []
    assert FACETS_BY_PARAM["tag"].notices_for("inconnu", []) == ["Aucun thème ne correspond à « inconnu » dans l’archive."]


def test_each_value_links_to_its_page_where_it_has_one():
    assert entity_url("actor", "xi-jinping") == "/actors/xi-jinping/"
    assert entity_url("country", "CN") == "/countries/cn/"
    assert entity_url("agency", "afp") == "/sources/afp/"
    assert entity_url("source", UNKNOWN_SOURCE) is None
    assert entity_url("year", "2022") is None
    assert entity_url("country", "%FF") is None


def test_a_new_facet_is_a_subclass_with_class_attributes():
    class LanguageFacet(Facet):
        param = field = "language"

        def labels(self, values):
            return {v: v.upper() for v in values}

    facet = LanguageFacet()
    found = facet.rows([("fr", 3), ("en", 1)], {"language": ["fr"]})
    assert found == [FacetRow("fr", "FR", 3, "?", True), FacetRow("en", "EN", 1, "?language=fr&language=en", False)]
    assert [f.param for f in FACETS] == ["actor", "country", "tag", "source", "agency", "year", "month"]
