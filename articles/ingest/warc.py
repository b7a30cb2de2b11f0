"""Read the article candidates of a web archive (WARC, as crawlers write it, gzipped or not).

Each successful HTML response is a candidate, with its target URI as the article's address.
Other records (requests, metadata, images, style sheets, redirects, errors) are not articles and
are passed over. The crawl date (WARC-Date) is when the page was seen, not when it was published:
it only bounds the publication date from above. A record that cannot be read (no WARC-Target-URI,
an address that is not http or https, unreadable HTTP headers or body) is a failure of that
record alone: it is reported and the next record is read.
"""
from __future__ import annotations

import gzip
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from warcio.recordloader import ArcWarcRecordLoader
from warcio.statusandheaders import StatusAndHeadersParserException

from .addresses import web_address
from .decoding import DecodeError, decode_text
from .types import MAX_FILE_BYTES, ImportUnit, RawPage

HTML_TYPES = ("text/html", "application/xhtml+xml")


class _RecordLoader(ArcWarcRecordLoader):
    """warcio's record loader, with the problems of one record noted instead of ending the archive.

    warcio 1.8 raises AttributeError on a response without WARC-Target-URI, and a parse error in
    a record's HTTP headers ends the iteration; both leave the stream at the next record.
    """

    problem = ""  # what was wrong with the record just loaded

    def load_http_headers(self, rec_type, uri, stream, length):
        self.problem = ""
        if rec_type == "response" and not uri:
            self.problem = "a response record without WARC-Target-URI"
            return None
        try:
            return super().load_http_headers(rec_type, uri, stream, length)
        except (StatusAndHeadersParserException, EOFError, ValueError) as exc:
            self.problem = f"unreadable HTTP headers: {str(exc)[:120]}"
            return None


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

    candidates = failed = 0
    try:
        if not _starts_like_an_archive(path):
            yield ImportUnit(name=str(path), error="not a web archive: it does not start with a WARC header")
            return
        with open(path, "rb") as stream:
            records = ArchiveIterator(stream, arc2warc=True)
            records.loader = loader = _RecordLoader(verify_http=False, arc2warc=True)
            for number, record in enumerate(records, start=1):
                if loader.problem:
                    target = record.rec_headers.get_header("WARC-Target-URI") or f"record {number}"
                    failed += 1
                    yield ImportUnit(name=f"{path}: {target}", error=loader.problem)
                    continue
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                content_type = record.http_headers.get_header("Content-Type") or ""
                if content_type.split(";")[0].strip().lower() not in HTML_TYPES:
                    continue
                if not (record.http_headers.get_statuscode() or "").startswith("2"):
                    continue
                candidates += 1
                yield _page_unit(path, record, record.rec_headers.get_header("WARC-Target-URI"), content_type)
    except FileNotFoundError:
        yield ImportUnit(name=str(path), error="no such file or folder")
        return
    except Exception as exc:  # ArchiveLoadFailed, OSError, zlib errors, and warcio's own bugs: the rest is unreadable
        after = f" after {candidates} HTML page{'' if candidates == 1 else 's'}" if candidates else ""
        yield ImportUnit(name=str(path), error=f"not a readable web archive{after}: {str(exc)[:120]}")
        return
    if not candidates and not failed:
        yield ImportUnit(name=str(path), error="no HTML page in the web archive")


def _page_unit(path: Path, record, target: str, content_type: str) -> ImportUnit:
    name = f"{path}: {target}"
    url = web_address(target)
    if not url:
        return ImportUnit(name=name, error="the record's WARC-Target-URI is not an http:// or https:// address")
    try:
        data = record.content_stream().read(MAX_FILE_BYTES + 1)
    except Exception as exc:  # a bad chunked or compressed body (warcio and zlib raise various errors)
        return ImportUnit(name=name, error=f"the page's body cannot be read: {exc.__class__.__name__}: {str(exc)[:120]}")
    if len(data) > MAX_FILE_BYTES:
        return ImportUnit(name=name, error=f"page larger than the {MAX_FILE_BYTES // 1_000_000} MB limit")
    if not data.strip():
        return ImportUnit(name=name, error="the page is empty")
    try:
        text = decode_text(data, content_type=content_type)
    except DecodeError as exc:
        return ImportUnit(name=name, error=str(exc))
    page = RawPage(text=text, raw_format="html", origin=url, url=url,
                   seen_on=_crawl_date(record.rec_headers.get_header("WARC-Date")))
    return ImportUnit(name=name, items=[page])
