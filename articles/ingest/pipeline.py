"""Raw page in, described article out: the one entry point the importers call."""
from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from datetime import date
from itertools import islice

from .addresses import web_address
from .clean import clean_text
from .html import clean_html
from .countries import find_countries, resolve_country
from .entities import DEFAULT_MODEL, find_actors, nlp
from .metadata import detect_language, extract_date, extract_title
from .source import extract_source
from .readers import check_record
from .records import article_from_record
from .types import ArticleData

__all__ = ["ExtractionError", "extract_article", "extract_articles", "resolve_country"]
log = logging.getLogger(__name__)
BATCH_SIZE = 64
# A longer text is not one article (a dump, a book, a broken page): spaCy's own default limit.
MAX_BODY_CHARS = 1_000_000


class ExtractionError(Exception):
    """A page that gives no article, with the reason."""


def _stored_record(raw: str) -> ArticleData:
    """Return the article of a JSON Lines record as stored: its metadata as given."""
    try:
        values = json.loads(raw)
        check_record(values)
        return article_from_record(values, raw=raw, resolve_country=resolve_country)
    except ValueError as exc:  # json.JSONDecodeError is one
        raise ExtractionError(f"the stored JSON record is not valid any more: {exc}") from None


def _describe(raw: str, raw_format: str, url: str, imported_on: date | None, country_aliases=()) -> ArticleData:
    """Return an article with everything but its actors, which need spaCy."""
    if raw_format == "json":
        return _stored_record(raw)
    page = clean_html(raw) if raw_format == "html" else clean_text(raw)
    if not page.body.strip():
        raise ExtractionError("no article text found in the page")
    if len(page.body) > MAX_BODY_CHARS:
        raise ExtractionError(f"the page's text is {len(page.body) / 1e6:.1f} million characters, "
                              f"more than the {MAX_BODY_CHARS / 1e6:g} million an article can have")
    published_on, precision = extract_date(page, imported_on=imported_on)
    source, agency = extract_source(page)
    # A saved page has no address of its own: its canonical link (or og:url) gives one, if http(s).
    url = url or web_address(page.html_meta.get("url", ""))
    article = ArticleData(
        body=page.body, raw=raw, title=extract_title(page), published_on=published_on,
        date_precision=precision, source=source, agency=agency, url=url,
        language=detect_language(page.body), raw_format=raw_format,
        countries=find_countries(f"{page.title}\n\n{page.body}", extra_aliases=country_aliases), captions=page.captions,
    )
    return article


def _describe_or_error(raw: str, options: dict) -> ArticleData | ExtractionError:
    try:
        return _describe(raw, options.get("raw_format", "text"), options.get("url", ""), options.get("imported_on"),
                         options.get("country_aliases", ()))
    except ExtractionError as exc:
        return exc
    except Exception as exc:  # one odd page must not stop a batch of thousands
        log.exception("extraction failed")
        return ExtractionError(f"unexpected error while extracting: {exc.__class__.__name__}: {exc}")


def extract_article(raw: str, *, raw_format: str = "text", url: str = "",
                    imported_on: date | None = None) -> ArticleData:
    """Return the clean, described article of one raw page ("text", "html" or a "json" record).

    Raise ExtractionError when the page gives no article.
    """
    result = next(extract_articles([(raw, {"raw_format": raw_format, "url": url, "imported_on": imported_on})]))
    if isinstance(result, ExtractionError):
        raise result
    return result


def extract_articles(items: Iterable[tuple[str, dict]], *, batch_size: int = BATCH_SIZE,
                     model: str = DEFAULT_MODEL) -> Iterator[ArticleData | ExtractionError]:
    """Yield the article of each (raw page, options) pair, running spaCy's `model` over bodies in batches.

    Options are the keyword arguments of ``extract_article``: raw_format, url, imported_on, and
    country_aliases ((code, alias) pairs curators added for country detection). A page
    that gives no article yields an ExtractionError in its place, so one bad page never stops a batch.
    JSON records keep the actors they give: only pages go through spaCy.
    """
    items = iter(items)
    while batch := list(islice(items, batch_size)):
        described = [_describe_or_error(raw, options) for raw, options in batch]
        articles = [article for article in described if isinstance(article, ArticleData) and article.raw_format != "json"]
        for article, doc in zip(articles, nlp(model).pipe(article.body for article in articles)):
            article.actors = find_actors(doc)
        yield from described
