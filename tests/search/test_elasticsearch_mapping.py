"""The Elasticsearch 7 configuration: the mapping the index needs for French analysis and facets.

No Elasticsearch server runs on these machines, and its client is not installed by default
(README, "Elasticsearch"): these tests check what the backend would send (index settings,
field mapping, highlight options) where the client is installed.
"""
import pytest
from haystack import connections

pytest.importorskip("elasticsearch", reason="the Elasticsearch 7 client is installed only where Elasticsearch is used")

from articles.search.backends.elasticsearch.engine import (  # noqa: E402
    EXACT_ANALYZER, FRENCH_ANALYZER, FrenchElasticsearch7SearchBackend, mapping_differences,
)


def backend(**options):
    return FrenchElasticsearch7SearchBackend("default", URL="http://127.0.0.1:9/", INDEX_NAME="newsarchive", **options)


def test_text_fields_are_analysed_as_the_index_declares_and_facets_are_keywords():
    fields = connections["default"].get_unified_index().all_searchfields()
    content, mapping = backend().build_schema(fields)
    assert content == "text"
    assert mapping["text"] == {"type": "text", "analyzer": FRENCH_ANALYZER}
    assert mapping["title"] == {"type": "text", "analyzer": FRENCH_ANALYZER}
    assert mapping["text_exact"] == {"type": "text", "analyzer": EXACT_ANALYZER}
    # A field that declares no analysis keeps haystack's.
    assert mapping["actors"] == {"type": "text", "analyzer": "snowball"}
    for facet in ["actors", "countries", "tags", "source", "year", "month"]:
        assert mapping[f"{facet}_exact"] == {"type": "keyword"}, facet
    assert mapping["published"] == {"type": "date"}
    assert mapping["published_end"] == {"type": "date"}


def test_the_french_analyzer_folds_accents_and_drops_elisions():
    analysis = FrenchElasticsearch7SearchBackend.DEFAULT_SETTINGS["settings"]["analysis"]
    assert analysis["analyzer"][FRENCH_ANALYZER] == {
        "tokenizer": "standard",
        "filter": ["french_elision", "lowercase", "french_stop", "french_stemmer", "asciifolding"],
    }
    assert analysis["filter"]["french_stemmer"] == {"type": "stemmer", "language": "light_french"}
    assert "jusqu" in analysis["filter"]["french_elision"]["articles"]
    # Exact mode: the same words, neither stemmed nor folded.
    assert analysis["analyzer"][EXACT_ANALYZER] == {"tokenizer": "standard", "filter": ["french_elision", "lowercase", "french_stop"]}


def test_highlights_are_escaped_and_marked_with_the_connections_tag():
    kwargs = backend(HIGHLIGHT_TAG="mark").build_search_kwargs("sanctions", highlight=True)
    assert kwargs["highlight"] == {
        "encoder": "html", "pre_tags": ["<mark>"], "post_tags": ["</mark>"],
        "fields": {"text": {"number_of_fragments": 2, "fragment_size": 240, "no_match_size": 240}},
    }
    assert backend().build_search_kwargs("sanctions", highlight=True)["highlight"]["pre_tags"] == ["<em>"]


def test_a_mapping_older_than_the_code_is_told_field_by_field():
    _, wanted = backend().build_schema(connections["default"].get_unified_index().all_searchfields())
    assert mapping_differences(wanted, wanted) == []
    live = {name: dict(mapping) for name, mapping in wanted.items() if name != "text_exact"}
    live["text"] = {"type": "text"}  # built before the French analysis: Elasticsearch's standard one
    live["title"] = {"type": "text", "analyzer": "french_folded"}
    assert mapping_differences(live, wanted) == [
        "field 'text' has analyzer 'standard', the code wants 'french_folded'",
        "field 'text_exact' is missing",
    ]
