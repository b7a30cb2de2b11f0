"""The shapes of ingestion: what reading hands to extraction (pages, records, import units) and
what extraction hands to the services that write (ArticleData)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

DAY, MONTH, YEAR, UNKNOWN = "day", "month", "year", "unknown"
PERSON, ORGANISATION = "person", "organisation"


@dataclass
class ActorMention:
    """One person or organisation named in an article, after linking its spellings."""

    name: str  # the fullest form seen in the article, e.g. "Vladimir Poutine"
    kind: str = PERSON  # PERSON or ORGANISATION
    aliases: list[str] = field(default_factory=list)  # other spellings seen: "Poutine", "M. Poutine"
    evidence: str = ""  # the sentence of the first mention
    confidence: float = 0.5  # 0..1


@dataclass
class CountryMention:
    """A country referred to by the article, as an ISO 3166-1 alpha-2 code."""

    code: str  # "CN"
    evidence: str = ""  # the sentence of the first mention
    confidence: float = 0.5


@dataclass
class ArticleData:
    """Everything extraction knows about one article; empty strings mean unknown."""

    body: str  # clean text, paragraphs separated by a blank line
    raw: str  # the page as received, decoded
    title: str = ""
    published_on: date | None = None  # first day of the period when precision is month or year
    date_precision: str = UNKNOWN  # DAY, MONTH, YEAR or UNKNOWN
    source: str = ""  # the publisher, e.g. "Epoch Times"
    agency: str = ""  # a news agency credited alongside, e.g. "AFP"
    url: str = ""
    language: str = ""  # ISO 639-1, e.g. "fr"
    raw_format: str = "text"  # "text", "html" or "json"
    tags: list[str] = field(default_factory=list)
    actors: list[ActorMention] = field(default_factory=list)
    countries: list[CountryMention] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)  # photo captions and credits kept aside


# Larger files, fetched pages and web archive records are refused rather than read into memory.
MAX_FILE_BYTES = 50 * 1024 * 1024


class ReadError(Exception):
    """A file that cannot be imported, with the reason."""


@dataclass
class RawPage:
    """One page as received, decoded to text."""

    text: str
    raw_format: str  # "text" or "html"
    origin: str  # the file name or URL it came from
    url: str = ""  # the page's address, when it came from the web or a web archive
    seen_on: date | None = None  # when it was fetched or crawled: the latest it can be dated


@dataclass
class JsonRecord:
    """One article given as a JSON object with its metadata."""

    values: dict
    raw: str
    origin: str  # "file.jsonl:LINE"
    line: int


@dataclass
class ImportUnit:
    """Pages that are stored together, all or nothing, or the reason they cannot be read."""

    name: str  # what a report names: a file, "crawl.warc.gz: URL", a URL
    items: list = field(default_factory=list)  # RawPage or JsonRecord
    error: str = ""
