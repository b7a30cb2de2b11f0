"""Write articles as JSON Lines or CSV: the whole archive, or the results of a search."""
from __future__ import annotations

import csv
import json

from articles.selectors import article_export_rows, search_result_ids

FORMATS = {"jsonl": "application/x-ndjson; charset=utf-8", "csv": "text/csv; charset=utf-8"}
CSV_COLUMNS = ["id", "title", "published", "date_precision", "source", "agency", "tags", "actors", "countries", "url", "origin", "language", "body"]
LIST_SEPARATOR = "; "


def export_rows(search_request=None, notices: list | None = None):
    """Yield export rows: every article, or those matching a SearchRequest in its order.

    The search falls back as the search page does (plain words for bad syntax), adding its
    notices to `notices`.
    """
    if search_request is None:
        yield from article_export_rows()
        return
    from articles.search.build import searchable_queryset

    sqs, _total = searchable_queryset(search_request, notices)
    yield from article_export_rows(search_result_ids(sqs))


def jsonl_lines(rows):
    for row in rows:
        yield json.dumps(row, ensure_ascii=False) + "\n"


class _Echo:
    def write(self, value):
        return value


def csv_lines(rows):
    """Yield CSV lines (header first); lists are joined with "; "."""
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_COLUMNS)
    for row in rows:
        yield writer.writerow([
            LIST_SEPARATOR.join(row[c]) if isinstance(row[c], list) else ("" if row[c] is None else row[c])
            for c in CSV_COLUMNS
        ])


def export_lines(rows, fmt: str):
    return csv_lines(rows) if fmt == "csv" else jsonl_lines(rows)
