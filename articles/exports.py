"""Write articles as JSON Lines or CSV: the whole archive, or the results of a search.

Exports stream: rows are read 500 articles at a time (a server-side cursor for the whole
archive, the search engine's results page after page for a search), so memory stays bounded
whatever the size. A stream cut short can be told from a whole one: the JSON Lines end with a
trailer line {"export_complete": true, "articles": N}, and the HTTP response says how many
articles are coming in its X-Article-Count header. CSV cells that a spreadsheet would read as a
formula (starting with = + - @, a tab or a carriage return) start with an apostrophe instead.
A CSV export starts with a UTF-8 byte-order mark, so that spreadsheets (Excel, LibreOffice) read
its accents as UTF-8 rather than in the machine's legacy code page.
"""
from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass

from articles.models import Article
from articles.selectors import article_export_rows

FORMATS = {"jsonl": "application/x-ndjson; charset=utf-8", "csv": "text/csv; charset=utf-8"}
CSV_COLUMNS = ["id", "page_url", "title", "published", "date_precision", "source", "agency", "tags", "actors", "countries", "url", "origin", "language", "body"]
LIST_SEPARATOR = "; "
BOM = "\ufeff"  # the UTF-8 byte-order mark that tells a spreadsheet the file is UTF-8
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # OWASP's list for CSV injection


@dataclass
class Export:
    """The rows of an export and how many there are, known before the first is written."""

    total: int
    rows: Iterator[dict]


def export(search_request=None, notices: list | None = None, *, site_url: str = "") -> Export:
    """Return the export of every article, or of those matching a SearchRequest in its order.

    The search falls back as the search page does (plain words for bad syntax), adding its
    notices to `notices`. An article deleted while the export runs is left out. Each row's
    page_url starts with site_url ("https://archive.example.org"), or is a path without it.
    """
    if search_request is None:
        return Export(total=Article.objects.count(), rows=article_export_rows(site_url=site_url))
    from articles.search.build import searchable_queryset

    sqs, total = searchable_queryset(search_request, notices)
    return Export(total=total, rows=article_export_rows(_result_ids(sqs), site_url=site_url))


def _result_ids(sqs) -> Iterator[int]:
    """Yield the ids of the search's results in order, as the engine hands them over (in chunks)."""
    from articles.search.hits import iter_results

    return (int(result.pk) for result in iter_results(sqs))


def jsonl_lines(rows) -> Iterator[str]:
    """Yield one JSON object per line, then the trailer line that says the export is whole."""
    written = 0
    for row in rows:
        written += 1
        yield json.dumps(row, ensure_ascii=False) + "\n"
    yield json.dumps({"export_complete": True, "articles": written}) + "\n"


class _Echo:
    def write(self, value):
        return value


def neutralised(value: str) -> str:
    """Return a CSV cell that a spreadsheet shows as text: "=1+1" becomes "'=1+1"."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def csv_lines(rows) -> Iterator[str]:
    """Yield CSV lines (a byte-order mark and the header first); lists are joined with "; "; formulas are neutralised."""
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow(CSV_COLUMNS)
    for row in rows:
        cells = (row[c] for c in CSV_COLUMNS)
        yield writer.writerow([
            neutralised(LIST_SEPARATOR.join(v) if isinstance(v, list) else "" if v is None else str(v)) for v in cells
        ])


def export_lines(rows, fmt: str) -> Iterator[str]:
    return csv_lines(rows) if fmt == "csv" else jsonl_lines(rows)
