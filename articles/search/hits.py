"""What an engine returns, in one shape for pages, exports and the API, whichever the engine.

Haystack's backends differ in small ways: a hit's `highlighted` is {field: [fragments]} on
Whoosh and a plain list of fragments on Elasticsearch; facet counts come under the facet
field's name (`actors_exact`); Elasticsearch refuses to slice past its max_result_window
(10,000), so every result is read through the engine's own scan. Everything that reads hits,
highlights or facet counts goes through here.
"""
from __future__ import annotations

from haystack.query import EmptySearchQuerySet

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


def iter_results(sqs, *, chunk_size: int = 5000):
    """Yield every result of a SearchQuerySet in its order, however many there are."""
    if isinstance(sqs, EmptySearchQuerySet):  # SearchQuerySet().none(): its query would match all
        return
    query = sqs.query
    scan = getattr(query.backend, "scan", None)
    if scan is not None:  # our engines: Whoosh in chunks of one evaluation, Elasticsearch by scroll
        params = query.build_params()
        if query.result_class is not None:
            params["result_class"] = query.result_class
        yield from scan(query.build_query(), **params)
        return
    total = sqs.count()
    for start in range(0, total, chunk_size):
        yield from sqs.all()[start:start + chunk_size]  # a clone per chunk: no cache of them all


def facet_counts(sqs) -> dict[str, list[tuple[str | None, int]]]:
    """Return {index field: [(value, count), ...]} of a SearchQuerySet's field facets."""
    fields = sqs.facet_counts().get("fields", {}) or {}
    counts = {}
    for name, rows in fields.items():
        counts[name[: -len("_exact")] if name.endswith("_exact") else name] = list(rows)
    return counts
