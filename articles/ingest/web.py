"""Fetch a web page or an RSS/Atom feed and hand over its pages as import units.

Every fetch has a deadline for the whole response and a size cap, so a slow or endless server
costs a bounded time and memory. A feed's entries are fetched one by one, each a unit of its own:
an entry that fails is reported and the others go on. The raw response of each page is kept.
"""
from __future__ import annotations

import io
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from .addresses import web_address
from .decoding import DecodeError, decode_text, looks_like_html
from .types import MAX_FILE_BYTES, ImportUnit, RawPage

TIMEOUT_SECONDS = 20.0  # for a whole response, headers and body
CHUNK_BYTES = 64 * 1024
USER_AGENT = "NewsArchive/1.0 (article import)"
PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
              "text/xml", "application/feed+json")


class FetchError(Exception):
    """A URL that could not be fetched, with the reason."""


@dataclass
class Response:
    url: str  # after redirects
    content_type: str
    data: bytes

    @property
    def media_type(self) -> str:
        return self.content_type.split(";")[0].strip().lower()


def fetch(url: str, *, timeout: float = TIMEOUT_SECONDS, max_bytes: int = MAX_FILE_BYTES) -> Response:
    """Return the response to a GET of url; raise FetchError on an error status, time-out or size.

    Only http and https are fetched (urllib would open file: and ftp: addresses too), and a
    redirect to any other scheme is refused.
    """
    if not web_address(url):
        raise FetchError("not an http:// or https:// address")
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            if not web_address(answer.geturl()):
                raise FetchError("redirected to an address that is not http:// or https://")
            length = answer.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise FetchError(f"page is {int(length) / 1e6:.0f} MB, larger than the {max_bytes // 1_000_000} MB limit")
            chunks, size = [], 0
            while chunk := answer.read(CHUNK_BYTES):
                chunks.append(chunk)
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(f"page larger than the {max_bytes // 1_000_000} MB limit")
                if time.monotonic() > deadline:
                    raise FetchError(f"timed out after {timeout:g} s")
            return Response(url=answer.geturl(), content_type=answer.headers.get("Content-Type", ""),
                            data=b"".join(chunks))
    except urllib.error.HTTPError as exc:
        raise FetchError(f"HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, (TimeoutError, socket.timeout)):
            raise FetchError(f"timed out after {timeout:g} s") from None
        raise FetchError(f"cannot be fetched: {exc.reason}") from None
    except (TimeoutError, socket.timeout):
        raise FetchError(f"timed out after {timeout:g} s") from None
    except (OSError, ValueError) as exc:  # connection reset, malformed URL or response
        raise FetchError(f"cannot be fetched: {exc}") from None


def is_feed(response: Response) -> bool:
    head = response.data[:1024].lstrip().lower()
    if response.media_type in FEED_TYPES or head.startswith(b"<?xml"):
        return b"<html" not in head
    return head.startswith((b"<rss", b"<feed", b"<rdf:rdf"))


def read_url(url: str, *, timeout: float = TIMEOUT_SECONDS) -> Iterator[ImportUnit]:
    """Yield the unit of a web page, or one unit per entry of an RSS or Atom feed."""
    try:
        response = fetch(url, timeout=timeout)
    except FetchError as exc:
        yield ImportUnit(name=url, error=str(exc))
        return
    if not is_feed(response):
        yield _page_unit(url, response)
        return
    import feedparser

    feed = feedparser.parse(io.BytesIO(response.data), response_headers={
        "content-location": response.url, "content-type": response.content_type})
    links = [entry.get("link") for entry in feed.entries if entry.get("link")]
    if not links:
        reason = f": {feed.bozo_exception}" if feed.get("bozo") else ""
        yield ImportUnit(name=url, error=f"an RSS or Atom feed without any article link{reason}")
        return
    for link in links:
        try:
            yield _page_unit(f"{url}: {link}", fetch(link, timeout=timeout))
        except FetchError as exc:
            yield ImportUnit(name=f"{url}: {link}", error=str(exc))


def _page_unit(name: str, response: Response) -> ImportUnit:
    if response.media_type and response.media_type not in PAGE_TYPES:
        return ImportUnit(name=name, error=f"not an HTML page but {response.media_type}")
    if not response.data.strip():
        return ImportUnit(name=name, error="the page is empty")
    try:
        text = decode_text(response.data, content_type=response.content_type)
    except DecodeError as exc:
        return ImportUnit(name=name, error=str(exc))
    raw_format = "text" if response.media_type == "text/plain" and not looks_like_html(text) else "html"
    page = RawPage(text=text, raw_format=raw_format, origin=response.url, url=response.url, seen_on=date.today())
    return ImportUnit(name=name, items=[page])
