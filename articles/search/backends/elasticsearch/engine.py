"""The Elasticsearch 7 engine: haystack's, with the French analysis our Whoosh engine has.

Selected by SEARCH_URL=elasticsearch7://host:9200/index. Text fields are analysed like the
Whoosh index (elisions, French stop words, light French stemming, accent folding); facet
fields (`*_exact`) are keywords; highlights are HTML-escaped and marked with <mark>.

Needs the client `elasticsearch>=7.17,<8`, which is not in requirements.txt: it pins
urllib3<2 while trafilatura's htmldate needs urllib3>=2.8 (see README, "Elasticsearch").
"""
import copy

from haystack.backends.elasticsearch7_backend import (
    Elasticsearch7SearchBackend,
    Elasticsearch7SearchEngine,
    Elasticsearch7SearchQuery,
)

FRENCH_ANALYZER = "french_folded"
EXACT_ANALYZER = "french_exact"  # exact mode (the text_exact field): no stemming, accents kept
ELIDED = ["l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu"]


def french_settings(base: dict) -> dict:
    """Return haystack's index settings with the French analyzer added."""
    settings = copy.deepcopy(base)
    analysis = settings["settings"]["analysis"]
    analysis["filter"].update({
        "french_elision": {"type": "elision", "articles_case": True, "articles": ELIDED},
        "french_stop": {"type": "stop", "stopwords": "_french_"},
        "french_stemmer": {"type": "stemmer", "language": "light_french"},
    })
    analysis["analyzer"][FRENCH_ANALYZER] = {
        "tokenizer": "standard",
        "filter": ["french_elision", "lowercase", "french_stop", "french_stemmer", "asciifolding"],
    }
    analysis["analyzer"][EXACT_ANALYZER] = {
        "tokenizer": "standard",
        "filter": ["french_elision", "lowercase", "french_stop"],
    }
    return settings


class FrenchElasticsearch7SearchBackend(Elasticsearch7SearchBackend):
    DEFAULT_SETTINGS = french_settings(Elasticsearch7SearchBackend.DEFAULT_SETTINGS)
    DEFAULT_FIELD_MAPPING = {"type": "text", "analyzer": FRENCH_ANALYZER}

    def build_schema(self, fields):
        content_field_name, mapping = super().build_schema(fields)
        if "text_exact" in mapping:
            mapping["text_exact"] = {"type": "text", "analyzer": EXACT_ANALYZER}
        return content_field_name, mapping

    def build_search_kwargs(self, query_string, **kwargs):
        search_kwargs = super().build_search_kwargs(query_string, **kwargs)
        if "highlight" in search_kwargs:
            # Escape the article's text before marking it, as the Whoosh engine does.
            search_kwargs["highlight"].update({"encoder": "html", "pre_tags": ["<mark>"], "post_tags": ["</mark>"]})
        return search_kwargs


class FrenchElasticsearch7SearchEngine(Elasticsearch7SearchEngine):
    backend = FrenchElasticsearch7SearchBackend
    query = Elasticsearch7SearchQuery
