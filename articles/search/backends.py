"""The Whoosh engine subclass: French analysis and highlighting that matches it.

Everything Whoosh-specific lives here; pages and commands speak only haystack's
SearchQuerySet, so SEARCH_URL can point them at Elasticsearch instead.
"""
from haystack.backends.whoosh_backend import (
    WhooshEngine,
    WhooshHtmlFormatter,
    WhooshSearchBackend,
    WhooshSearchQuery,
)
from whoosh.fields import TEXT
from whoosh.highlight import ContextFragmenter, highlight
from whoosh.qparser import QueryParser

from articles.search.analysis import french_analyzer

HIGHLIGHT_TAG = "mark"


class FrenchWhooshSearchBackend(WhooshSearchBackend):
    """Haystack's Whoosh backend with French text fields and French, escaped highlights."""

    def build_schema(self, fields):
        content_field_name, schema = super().build_schema(fields)
        for name in [n for n, f in schema.items() if isinstance(f, TEXT)]:
            old = schema[name]
            schema.remove(name)
            # Not sortable (haystack makes every text field sortable): a sort column of
            # every article body only costs disk and build time.
            schema.add(name, TEXT(stored=True, analyzer=french_analyzer(), spelling=old.spelling))
        return content_field_name, schema

    def search(self, query_string, start_offset=0, end_offset=None, highlight=False, **kwargs):
        # Haystack turns a slice into a Whoosh page whose size is the slice's length, so a short
        # last page such as [20:23] becomes page 7 of 3 (items 18-20). Fetch from the start
        # instead when the slice is not page-aligned, and keep the asked part.
        length = None if end_offset is None else end_offset - start_offset
        aligned = not length or length <= 0 or start_offset % length == 0
        results = super().search(
            query_string, start_offset=start_offset if aligned else 0, end_offset=end_offset, highlight=False, **kwargs
        )
        if not aligned:
            results["results"] = results["results"][start_offset:]
        if highlight and results["results"]:
            terms = self._content_terms(query_string)
            for result in results["results"]:
                text = getattr(result, self.content_field_name, "") or ""
                result.highlighted = {self.content_field_name: [self.highlight_text(text, terms)]}
        return results

    def _content_terms(self, query_string: str) -> set[str]:
        """Return the analysed words of the query that search the article text."""
        parser = QueryParser(self.content_field_name, schema=self.schema)
        query = parser.parse(query_string)
        return {
            text.decode("utf-8") if isinstance(text, bytes) else text
            for field, text in query.iter_all_terms()
            if field == self.content_field_name
        }

    def highlight_text(self, text: str, terms: set[str]) -> str:
        """Return fragments of text around the terms, HTML-escaped, terms wrapped in <mark>."""
        formatter = WhooshHtmlFormatter(HIGHLIGHT_TAG)
        fragmenter = ContextFragmenter(maxchars=240, surround=60)
        snippet = highlight(text, frozenset(terms), french_analyzer(), fragmenter, formatter, top=2) if terms else ""
        if not snippet:
            lead = text[:240]
            snippet = formatter._text(lead) + (" …" if len(text) > 240 else "")
        return snippet


class FrenchWhooshEngine(WhooshEngine):
    backend = FrenchWhooshSearchBackend
    query = WhooshSearchQuery
