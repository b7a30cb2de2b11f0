"""Read the article candidates of a web archive (WARC, as crawlers write it, gzipped or not).

Each successful HTML response is a candidate, with its target URI as the article's address.
Other records (requests, metadata, images, style sheets, redirects, errors) are not articles and
are passed over. The crawl date (WARC-Date) is when the page was seen, not when it was published:
it only bounds the publication date from above.
"""
from __future__ import annotations

import gzip
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from .decoding import DecodeError, decode_text
from .types import MAX_FILE_BYTES, ImportUnit, RawPage

HTML_TYPES = ("text/html", "application/xhtml+xml")


def _crawl_date(value: str | None) -> date | None:
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date() if value else None
    except ValueError:
        return None


def _starts_like_an_archive(path: Path) -> bool:
    """Tell whether the file opens with a WARC or ARC header, compressed or not."""
    with open(path, "rb") as stream:
        head = stream.read(2)
    opener = gzip.open if head == b"\x1f\x8b" else open
    with opener(path, "rb") as stream:
        return stream.read(11).startswith((b"WARC/", b"filedesc://"))


def read_warc(path: Path) -> Iterator[ImportUnit]:
    """Yield one unit per HTML response of the archive; a damaged archive ends with its reason."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    candidates = 0
    try:
        if not _starts_like_an_archive(path):
            yield ImportUnit(name=str(path), error="not a web archive: it does not start with a WARC header")
            return
        with open(path, "rb") as stream:
            for record in ArchiveIterator(stream, arc2warc=True):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                content_type = record.http_headers.get_header("Content-Type") or ""
                if content_type.split(";")[0].strip().lower() not in HTML_TYPES:
                    continue
                if not (record.http_headers.get_statuscode() or "").startswith("2"):
                    continue
                candidates += 1
                url = record.rec_headers.get_header("WARC-Target-URI") or ""
                yield _page_unit(path, record, url, content_type)
    except FileNotFoundError:
        yield ImportUnit(name=str(path), error="no such file or folder")
        return
    except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
        after = f" after {candidates} HTML page(s)" if candidates else ""
        yield ImportUnit(name=str(path), error=f"not a readable web archive{after}: {str(exc)[:120]}")
        return
    if not candidates:
        yield ImportUnit(name=str(path), error="no HTML page in the web archive")


def _page_unit(path: Path, record, url: str, content_type: str) -> ImportUnit:
    name = f"{path}: {url}"
    data = record.content_stream().read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        return ImportUnit(name=name, error=f"page larger than the {MAX_FILE_BYTES // 1_000_000} MB limit")
    if not data.strip():
        return ImportUnit(name=name, error="the page is empty")
    try:
        text = decode_text(data, content_type=content_type)
    except DecodeError as exc:
        return ImportUnit(name=name, error=str(exc))
    page = RawPage(text=text, raw_format="html", origin=url or path.name, url=url,
                   seen_on=_crawl_date(record.rec_headers.get_header("WARC-Date")))
    return ImportUnit(name=name, items=[page])
