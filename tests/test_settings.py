"""SEARCH_URL selects the search engine by configuration."""
from pathlib import Path

from newsarchive.settings import _haystack_connection


def test_a_folder_selects_the_french_whoosh_engine(tmp_path):
    assert _haystack_connection(str(tmp_path / "idx")) == {
        "ENGINE": "articles.search.backends.whoosh.engine.FrenchWhooshEngine", "PATH": str(tmp_path / "idx"), "SILENTLY_FAIL": False,
        "INCLUDE_SPELLING": True,
    }


def test_a_relative_folder_is_made_absolute():
    assert _haystack_connection("var/idx")["PATH"] == str(Path("var/idx").resolve())


def test_an_elasticsearch7_url_selects_the_french_elasticsearch_backend():
    assert _haystack_connection("elasticsearch7://search.internal:9200/press") == {
        "ENGINE": "articles.search.backends.elasticsearch.engine.FrenchElasticsearch7SearchEngine",
        "URL": "http://search.internal:9200/",
        "INDEX_NAME": "press",
        "SILENTLY_FAIL": False,
        "INCLUDE_SPELLING": True,
    }
