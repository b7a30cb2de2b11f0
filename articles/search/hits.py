"""What an engine returns, in one shape for pages, exports and the API, whichever the engine.

Haystack's backends differ in small ways: a hit's `highlighted` is {field: [fragments]} on
Whoosh and a plain list of fragments on Elasticsearch; facet counts come under the facet
field's name (`actors_exact`). Everything that reads hits or facet counts goes through here.
"""
from __future__ import annotations

CONTENT_FIELD = "text"  # the document field of articles.search_indexes.ArticleIndex
FRAGMENT_SEPARATOR = " … "


def highlight(hit, field: str = CONTENT_FIELD) -> str:
    """Return the hit's highlighted fragments of field, already HTML-escaped, or ''."""
    highlighted = getattr(hit, "highlighted", None)
    if isinstance(highlighted, dict):
        fragments = highlighted.get(field) or []
    elif isinstance(highlighted, (list, tuple)):
        fragments = highlighted
    else:
        fragments = []
    return FRAGMENT_SEPARATOR.join(f for f in fragments if f)


def facet_counts(sqs) -> dict[str, list[tuple[str | None, int]]]:
    """Return {index field: [(value, count), ...]} of a SearchQuerySet's field facets."""
    fields = sqs.facet_counts().get("fields", {}) or {}
    counts = {}
    for name, rows in fields.items():
        counts[name[: -len("_exact")] if name.endswith("_exact") else name] = list(rows)
    return counts
