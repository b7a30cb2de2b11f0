"""The Elasticsearch 7 engine: haystack's, with the French analyses our Whoosh engine has.

Selected by SEARCH_URL=elasticsearch7://host:9200/index. A text field that declares
analyzer="french" is analysed like the Whoosh index (elisions, French stop words, light French
stemming, accent folding), "french_exact" keeps the words as written (exact mode); a field
that declares nothing keeps haystack's mapping. Facet fields (`*_exact`) are keywords;
highlights are HTML-escaped and marked with the connection's HIGHLIGHT_TAG (haystack's <em>
by default), two fragments at most as on Whoosh.

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
ANALYSES = {"french": FRENCH_ANALYZER, "french_exact": EXACT_ANALYZER}  # a field's analyzer= -> ours
FRAGMENTS, FRAGMENT_CHARS = 2, 240  # as the Whoosh engine's snippets
SCAN_PAGE = 1000  # documents per scroll request of scan()
SCAN_KEPT = ("sort_by", "narrow_queries", "models", "limit_to_registered_models", "boost", "result_class")
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


def mapping_differences(live: dict, wanted: dict) -> list[str]:
    """Return how a live index mapping differs from the mapping the code builds, field by field."""
    problems = []
    for name, mapping in sorted(wanted.items()):
        if name not in live:
            problems.append(f"field '{name}' is missing")
            continue
        for key in ("type", "analyzer"):
            if _setting(live[name], key) != _setting(mapping, key):
                problems.append(f"field '{name}' has {key} {_setting(live[name], key)!r}, the code wants {_setting(mapping, key)!r}")
    return problems


def _setting(mapping: dict, key: str):
    # Elasticsearch leaves out a text field's analyzer when it is the default one.
    if key == "analyzer" and mapping.get("type") == "text":
        return mapping.get("analyzer", "standard")
    return mapping.get(key)


class FrenchElasticsearch7SearchBackend(Elasticsearch7SearchBackend):
    DEFAULT_SETTINGS = french_settings(Elasticsearch7SearchBackend.DEFAULT_SETTINGS)

    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        self.highlight_tag = connection_options.get("HIGHLIGHT_TAG", "em")

    def build_schema(self, fields):
        content_field_name, mapping = super().build_schema(fields)
        for field in fields.values():
            if isinstance(field.analyzer, str) and mapping[field.index_fieldname].get("type") == "text":
                if field.analyzer not in ANALYSES:
                    raise ValueError(f"unknown analysis {field.analyzer!r}: expected one of {', '.join(ANALYSES)}")
                mapping[field.index_fieldname]["analyzer"] = ANALYSES[field.analyzer]
        return content_field_name, mapping

    def index_problems(self) -> list[str]:
        """Return why the index cannot serve this code's searches (nothing when it can).

        Raises the client's error when the cluster does not answer.
        """
        from haystack import connections

        self.conn.info(request_timeout=5)
        if not self.conn.indices.exists(index=self.index_name, request_timeout=5):
            return [f"the index '{self.index_name}' does not exist"]
        found = self.conn.indices.get_mapping(index=self.index_name, request_timeout=5)
        live = next(iter(found.values()), {}).get("mappings", {}).get("properties", {})
        _, wanted = self.build_schema(connections[self.connection_alias].get_unified_index().all_searchfields())
        return mapping_differences(live, wanted)

    def scan(self, query_string, **kwargs):
        """Yield every result of a search in its order, however many.

        Elasticsearch refuses `from + size` past index.max_result_window (10,000), which is
        how haystack reads a slice; exports and index_status read every result through the
        scroll API instead (elasticsearch.helpers.scan, keeping the search's order).
        """
        from elasticsearch.helpers import scan

        if not self.setup_complete:
            self.setup()
        result_class = kwargs.get("result_class")
        body = self.build_search_kwargs(query_string, **{k: v for k, v in kwargs.items() if k in SCAN_KEPT and k != "result_class"})
        for unused in ("from", "size", "aggs", "highlight", "suggest"):
            body.pop(unused, None)
        page = []
        for raw in scan(self.conn, query=body, index=self.index_name, preserve_order=True, size=SCAN_PAGE, scroll="5m"):
            page.append(raw)
            if len(page) == SCAN_PAGE:
                yield from self._process_results({"hits": {"hits": page}}, result_class=result_class)["results"]
                page = []
        if page:
            yield from self._process_results({"hits": {"hits": page}}, result_class=result_class)["results"]

    def build_search_kwargs(self, query_string, **kwargs):
        search_kwargs = super().build_search_kwargs(query_string, **kwargs)
        if "highlight" in search_kwargs:
            # Escape the article's text before marking it, as the Whoosh engine does; a text
            # without the words shows its start.
            tag = self.highlight_tag
            search_kwargs["highlight"].update({"encoder": "html", "pre_tags": [f"<{tag}>"], "post_tags": [f"</{tag}>"]})
            for options in search_kwargs["highlight"].get("fields", {}).values():
                options.update({"number_of_fragments": FRAGMENTS, "fragment_size": FRAGMENT_CHARS, "no_match_size": FRAGMENT_CHARS})
        return search_kwargs


class FrenchElasticsearch7SearchEngine(Elasticsearch7SearchEngine):
    backend = FrenchElasticsearch7SearchBackend
    query = Elasticsearch7SearchQuery
