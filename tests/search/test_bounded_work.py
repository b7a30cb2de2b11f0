"""However a search's address is made, its work is bounded: values, prefixes, suggestions, facets, time."""
import itertools
from datetime import date
from urllib.parse import urlencode

import pytest
from haystack import connections
from haystack.inputs import Exact

from articles.search import build, page
from articles.search.backends.whoosh import evaluation
from tests.factories import make_article

pytestmark = pytest.mark.django_db
FACET_PARAMS = ["actor", "country", "tag", "source", "year", "month"]


@pytest.fixture
def archive(commit_hooks):
    with commit_hooks():
        make_article("Les sanctions contre la Russie, selon Xi Jinping.", title="Un", actors=["Xi Jinping"], countries=["CN"], tags=["Diplomatie"])
        make_article("Les sanctionnaires et la Chine.", title="Deux", actors=["Joe Biden"], countries=["US"], tags=["Économie"])


@pytest.fixture
def engine_searches(monkeypatch):
    """Count the searches the page asks of the engine (the backend still answers each)."""
    backend = type(connections["default"].get_backend())
    calls = []
    real = backend.search

    def counted(self, query_string, **kwargs):
        calls.append(query_string)
        return real(self, query_string, **kwargs)

    monkeypatch.setattr(backend, "search", counted)
    return calls


def fuzzing_address() -> str:
    """The issue's request: 65 two-letter prefixes and 20 values for each facet (about 1.6 KB of URL)."""
    prefixes = ["".join(pair) + "*" for pair in itertools.product("abcdefghijklmnopqrstuvwxyz", repeat=2)][:65]
    params = [("q", " ".join(prefixes))]
    for param in FACET_PARAMS:
        params += [(param, f"{param[:2]}{n:02d}" if param not in ("year", "month") else f"20{n:02d}" + ("-01" if param == "month" else ""))
                   for n in range(20)]
    return "/search/?" + urlencode(params)


def test_the_fuzzing_request_is_a_few_searches_with_notices_not_hundreds(client, archive, engine_searches):
    response = client.get(fuzzing_address())
    assert response.status_code == 200
    result = response.context["result"]
    assert len(engine_searches) <= 2 * (1 + page.MAX_DROP_SUGGESTIONS + 1 + 1)  # count and page share one evaluation
    assert len(result.drop_suggestions) <= page.MAX_DROP_SUGGESTIONS + 1
    assert "Seules les 10 premières valeurs du filtre « Acteurs » sont prises en compte." in result.notices
    assert "Seuls les 5 premiers préfixes (mot*) sont développés ; 60 autres sont cherchés comme des mots entiers." in result.notices


def test_a_search_that_found_nothing_suggests_dropping_at_most_a_few_filters(client, archive):
    result = client.get("/search/", {"q": "sanctions", "actor": ["xi-jinping", "joe-biden"], "country": ["CN", "US", "FR", "DE", "IT"],
                                      "date_from": "2030"}).context["result"]
    assert result.total == 0
    labels = [s.label for s in result.drop_suggestions]
    assert len(labels) == page.MAX_DROP_SUGGESTIONS + 1
    assert labels[-2:] == ["depuis 2030", "tous les filtres"]
    assert [s.count for s in result.drop_suggestions][-1] == 1  # "sanctions"; "sanctionnaires" is another word


def test_once_the_page_s_time_is_spent_the_optional_parts_are_skipped_and_the_page_says_so(client, archive, settings):
    settings.NEWSARCHIVE_PAGE_BUDGET_MS = 0
    response = client.get("/search/", {"q": "sanctoins", "actor": "xi-jinping", "country": "US"})
    result = response.context["result"]
    assert (response.status_code, result.total, result.drop_suggestions, result.suggestion) == (200, 0, [], "")
    assert "Pour répondre vite, certaines suggestions n’ont pas été calculées." in response.content.decode()
    settings.NEWSARCHIVE_PAGE_BUDGET_MS = 60_000
    result = client.get("/search/", {"q": "sanctoins", "actor": "xi-jinping", "country": "US"}).context["result"]
    assert [s.count for s in result.drop_suggestions] and result.notices == []


def test_the_article_page_skips_similar_articles_when_its_time_is_spent(client, archive, settings):
    settings.NEWSARCHIVE_PAGE_BUDGET_MS = 0
    from articles.models import Article

    html = client.get(Article.objects.get(title="Un").get_absolute_url()).content.decode()
    assert "Pour répondre vite, les articles semblables n’ont pas été cherchés." in html


def test_prefixes_past_the_first_five_are_searched_as_whole_words(client, archive):
    expanded = client.get("/search/", {"q": "sanct* OR zzza* OR zzzb* OR zzzc* OR zzzd*"}).context["result"]
    assert expanded.total == 2 and expanded.notices == []
    cut = client.get("/search/", {"q": "zzza* OR zzzb* OR zzzc* OR zzzd* OR zzze* OR sanct*"}).context["result"]
    assert cut.total == 0


def test_a_prefix_stands_for_its_most_frequent_words_only(client, archive, monkeypatch):
    monkeypatch.setattr(evaluation, "MAX_EXPANSIONS", 1)
    connections["default"].get_backend().clear_query_cache()
    # "sanct*" starts two words, in one article each: kept to one, it finds one article.
    result = client.get("/search/", {"q": "sanct*"}).context["result"]
    monkeypatch.setattr(evaluation, "MAX_EXPANSIONS", 200)
    connections["default"].get_backend().clear_query_cache()
    whole = client.get("/search/", {"q": "sanct*"}).context["result"]
    assert (result.total, whole.total) == (1, 2)


def test_all_of_a_facet_shows_at_most_the_bounded_number_of_values(client, commit_hooks, monkeypatch):
    with commit_hooks():
        for n in range(5):
            make_article(f"Texte {n}.", tags=[f"Thème {n}"])
    monkeypatch.setattr(page, "MAX_FACET_VALUES", 3)
    result = client.get("/search/", {"more": "tag"}).context["result"]
    rows = next(rows for facet, rows in result.facets if facet.param == "tag")
    assert len(rows) == 3
    assert build.MAX_FACET_VALUES == 200


def test_a_long_query_asks_the_database_a_bounded_number_of_questions(archive):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from articles.search.build import searchable_queryset
    from articles.search.request import SearchRequest

    words = " ".join(f"mot{chr(97 + n % 26)}{chr(97 + n // 26)}" for n in range(60))  # sixty words, none an actor
    with CaptureQueriesContext(connection) as queries:
        searchable_queryset(SearchRequest(q=words))
    assert len(queries.captured_queries) <= 6  # names, aliases, their spellings, surnames: not one per word


def test_a_search_without_a_misspelt_word_is_complete_and_kept_even_when_its_time_is_spent(client, archive, settings):
    from articles import page_cache

    settings.NEWSARCHIVE_PAGE_BUDGET_MS = 0
    settings.NEWSARCHIVE_PAGE_CACHE_SIZE = 1000
    page_cache.forget_pages()
    first = client.get("/search/", {"q": "sanctions"})
    assert first.context["result"].total == 1
    assert "Pour répondre vite" not in first.content.decode()
    assert client.get("/search/", {"q": "sanctions"})["X-Page-Cache"] == "hit"
    page_cache.forget_pages()


def chained_queryset(request):
    """The request's SearchQuerySet made with haystack's chained methods, one copy of the query each."""
    from haystack.query import SQ, SearchQuerySet

    from articles.search.facets import FACETS
    from articles.search.request import SORTS

    words = build.query_words(request)
    sqs = SearchQuerySet()
    sqs = sqs.none() if words.nothing else sqs.all()
    for part in words.excluded:
        sqs = sqs.exclude(part)
    if words.match is not None:
        sqs = sqs.filter(words.match)
    if words.spelled:
        sqs = sqs.set_spelling_query(words.spelled)
    narrowing = []
    for facet in FACETS:
        name = facet.field_for(confirmed_tags=request.confirmed_tags)
        values = request.filters.get(facet.param, [])
        if facet.combine_all:
            narrowing += [SQ(**{f"{name}_exact": Exact(value)}) for value in values]
        elif values:
            narrowing.append(SQ(**{f"{name}_exact__in": values}))
    sqs = sqs.filter(build.QueryBuilder._combine(narrowing + [build.date_range_sq(date(2022, 1, 1), None)], SQ.AND))
    for facet in FACETS:
        sqs = sqs.facet(facet.field_for(confirmed_tags=request.confirmed_tags), size=build.MAX_FACET_VALUES)
    return sqs.order_by(SORTS[request.sort]).highlight()


@pytest.mark.parametrize("q", ["sanctions Xi Jinping", "sanct* OR (chine -russie)", "-russie -chine", '"la Chine"'])
def test_the_query_is_built_once_without_a_copy_per_part_and_asks_the_engine_the_same(archive, monkeypatch, q):
    from haystack.backends import BaseSearchQuery

    from articles.search.request import SearchRequest

    request = SearchRequest(q=q, filters={"actor": ["xi-jinping", "joe-biden"], "country": ["CN", "US"]}, date_from="2022", sort="newest")
    expected = chained_queryset(request)
    copies = []
    real = BaseSearchQuery._clone
    monkeypatch.setattr(BaseSearchQuery, "_clone", lambda self, *a, **k: copies.append(1) or real(self, *a, **k))
    sqs = build.build_queryset(request)
    assert copies == []
    assert (sqs.query.build_query(), sqs.query.build_params()) == (expected.query.build_query(), expected.query.build_params())
    assert [r.pk for r in sqs] == [r.pk for r in expected]


def test_the_suggestions_to_drop_a_filter_resolve_the_query_s_names_once(client, archive, monkeypatch):
    from articles.search import resolve

    asked = []
    real = resolve.actor_slugs_by_name
    monkeypatch.setattr(resolve, "actor_slugs_by_name", lambda names: asked.append(sorted(names)) or real(names))
    result = client.get("/search/", {"q": "sanctions Xi Jinping", "actor": "joe-biden", "country": ["US", "FR"]}).context["result"]
    assert [(s.label, s.count) for s in result.drop_suggestions] == [
        ("Acteur : Joe Biden", 0), ("Pays : États-Unis", 0), ("Pays : France", 0), ("tous les filtres", 1)]
    assert len(asked) == 1
