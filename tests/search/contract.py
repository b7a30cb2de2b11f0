"""One contract every search engine keeps (wagtail's BackendTests): a class of tests that each
engine's module subclasses with an `engine` fixture pointing haystack's default connection at
it. The tests go through what pages, exports and index_status use (run_search, export rows,
index_status), so an engine that passes them can replace another by configuration.

Not collected by itself (no test_ prefix): tests/search/test_contract_whoosh.py and
test_contract_elasticsearch.py run it.
"""
from datetime import date

import pytest
from django.core.management import call_command
from haystack import connections

from articles.exports import export
from articles.models import Article
from articles.search.indexing.drift import index_status
from articles.search.page import more_like_this, run_search
from articles.search.request import SearchRequest
from tests.factories import make_article

MANY = 10_050  # past Elasticsearch's max_result_window (10,000)


def titles(result):
    return [hit.object.title for hit in result.page.object_list]


def facet(result, param):
    return {row.value: row.count for spec, rows in result.facets if spec.param == param for row in rows}


class BackendContract:
    """Search, query language, facets, filters, dates, sorting, highlights, more like this,
    spelling, paging, deletes and exports, as a user of the archive sees them."""

    @pytest.fixture
    def archive(self, engine, commit_hooks):
        with commit_hooks():
            articles = {
                "pekin": make_article(
                    "Les sanctions contre la Russie inquiètent Pékin, selon Xi Jinping et Vladimir Poutine.",
                    title="Pékin et Moscou face aux sanctions", published=date(2022, 3, 20), source="Le Courrier",
                    actors=["Xi Jinping", "Vladimir Poutine"], countries=["CN", "RU"], tags=["Diplomatie"]),
                "appel": make_article(
                    "Xi Jinping et Joe Biden ont parlé des sanctions économiques et de l’aide militaire à l’Ukraine.",
                    title="Appel entre Washington et Pékin", published=date(2022, 3, 18), source="La Gazette",
                    actors=["Xi Jinping", "Joe Biden"], countries=["CN", "US"], tags=["Diplomatie", "Économie"]),
                "banques": make_article(
                    "Joe Biden annonce de nouvelles sanctions contre les banques <b>russes</b>.",
                    title="Nouvelles sanctions américaines", published=date(2021, 12, 1), precision="month",
                    source="La Gazette", actors=["Joe Biden"], countries=["US"], tags=["Économie"]),
                "drones": make_article(
                    "Des drones et une aide militaire livrés à Kiev malgré les menaces.",
                    title="Drones pour Kiev", published=date(2021, 1, 1), precision="year", source="Le Courrier",
                    countries=["UA"], tags=["Défense"]),
                "sans_date": make_article(
                    "Un entretien sur le pétrole et les sanctions, sans date connue.",
                    title="Pétrole sans date", source="Le Courrier", tags=["Énergie"]),
            }
        return articles

    def test_words_find_the_articles_that_have_all_of_them(self, archive):
        assert sorted(titles(run_search(SearchRequest(q="sanctions pekin")))) == [
            "Appel entre Washington et Pékin", "Pékin et Moscou face aux sanctions"]

    @pytest.mark.parametrize(("q", "expected"), [
        ("drones OR banques", ["Drones pour Kiev", "Nouvelles sanctions américaines"]),
        ("sanctions -pekin", ["Nouvelles sanctions américaines", "Pétrole sans date"]),
        ('"aide militaire"', ["Appel entre Washington et Pékin", "Drones pour Kiev"]),
        ("petrol*", ["Pétrole sans date"]),
        ("tag:defense", ["Drones pour Kiev"]),
        ("country:Chine sanctions", ["Appel entre Washington et Pékin", "Pékin et Moscou face aux sanctions"]),
    ])
    def test_the_query_language(self, archive, q, expected):
        assert sorted(titles(run_search(SearchRequest(q=q)))) == expected

    def test_facets_count_the_whole_result_set(self, archive):
        result = run_search(SearchRequest(q="sanctions"))
        assert result.total == 4
        assert facet(result, "actor") == {"xi-jinping": 2, "joe-biden": 2, "vladimir-poutine": 1}
        assert facet(result, "country") == {"CN": 2, "US": 2, "RU": 1}
        assert facet(result, "tag") == {"diplomatie": 2, "economie": 2, "energie": 1}
        assert facet(result, "source") == {"le-courrier": 2, "la-gazette": 2}
        assert facet(result, "year") == {"2022": 2, "2021": 1}

    @pytest.mark.parametrize(("filters", "expected"), [
        ({"actor": ["xi-jinping", "joe-biden"]}, ["Appel entre Washington et Pékin"]),
        ({"country": ["US"]}, ["Appel entre Washington et Pékin", "Nouvelles sanctions américaines"]),
        ({"tag": ["defense", "energie"]}, ["Drones pour Kiev", "Pétrole sans date"]),
        ({"source": ["la-gazette"]}, ["Appel entre Washington et Pékin", "Nouvelles sanctions américaines"]),
        ({"year": ["2021"]}, ["Drones pour Kiev", "Nouvelles sanctions américaines"]),
        ({"year": ["2022"], "month": ["2022-03"]}, ["Appel entre Washington et Pékin", "Pékin et Moscou face aux sanctions"]),
    ])
    def test_filters_by_every_facet(self, archive, filters, expected):
        assert sorted(titles(run_search(SearchRequest(filters=filters)))) == expected

    def test_a_date_range_keeps_the_articles_whose_whole_date_is_inside(self, archive):
        inside = run_search(SearchRequest(date_from="2021-12", date_to="2022-03-19"))
        assert sorted(titles(inside)) == ["Appel entre Washington et Pékin", "Nouvelles sanctions américaines"]
        # Dated only "2021": not inside December 2021.
        assert titles(run_search(SearchRequest(date_from="2021-12-01", date_to="2021-12-31"))) == ["Nouvelles sanctions américaines"]

    def test_sorting_by_date_puts_unknown_dates_last_both_ways(self, archive):
        newest = titles(run_search(SearchRequest(sort="newest")))
        oldest = titles(run_search(SearchRequest(sort="oldest")))
        assert newest == ["Pékin et Moscou face aux sanctions", "Appel entre Washington et Pékin",
                          "Nouvelles sanctions américaines", "Drones pour Kiev", "Pétrole sans date"]
        assert oldest == newest[3::-1] + ["Pétrole sans date"]

    def test_highlights_mark_the_words_and_escape_the_text(self, archive):
        from articles.browse import page_articles

        snippets = [item.snippet for item in page_articles(run_search(SearchRequest(q="banques")).page)]
        assert len(snippets) == 1
        # How much context each engine keeps around the word is its own; the markup is not.
        assert snippets[0].endswith("Joe Biden annonce de nouvelles sanctions contre les <mark>banques</mark> &lt;b&gt;russes&lt;/b&gt;.")
        assert "<b>" not in snippets[0]

    def test_more_like_this_finds_articles_on_the_same_subject(self, archive):
        similar = more_like_this(archive["pekin"])
        assert archive["pekin"] not in similar
        assert archive["appel"] in similar

    def test_a_misspelt_word_gets_a_suggestion(self, archive):
        assert run_search(SearchRequest(q="sanctoins")).suggestion == "sanctions"

    def test_paging_reaches_the_last_page(self, engine, commit_hooks):
        with commit_hooks():
            for n in range(23):
                make_article(f"Article numéro {n} sur les céréales.", title=f"Céréales {n:02d}", published=date(2020, 1, 1 + n))
        first = run_search(SearchRequest(q="cereales", sort="oldest"))
        last = run_search(SearchRequest(q="cereales", sort="oldest", page=2))
        assert (first.total, len(first.page.object_list), first.page.paginator.num_pages) == (23, 20, 2)
        assert titles(last) == ["Céréales 20", "Céréales 21", "Céréales 22"]

    def test_a_deleted_article_leaves_the_results(self, archive, commit_hooks):
        with commit_hooks():
            archive["drones"].delete()
        assert titles(run_search(SearchRequest(q="drones"))) == []
        assert index_status().drift == set()

    def test_exports_and_index_status_read_past_ten_thousand_results(self, engine):
        Article.objects.bulk_create(
            Article(title=f"Blé {n}", body=f"Le blé numéro {n}.", raw="", content_hash=f"{n:064d}",
                    published_on=date(2000, 1, 1), date_precision="year")
            for n in range(MANY))
        index = connections["default"].get_unified_index().get_index(Article)
        connections["default"].get_backend().update(index, list(index.index_queryset()))
        found = export(SearchRequest(q="ble", sort="relevance"))
        rows = list(found.rows)
        assert found.total == MANY
        assert len(rows) == MANY
        assert len({row["id"] for row in rows}) == MANY
        status = index_status()
        assert (status.in_database, status.in_index, status.drift) == (MANY, MANY, set())
        call_command("index_status", "--repair")  # nothing to repair, and no error reading it all
