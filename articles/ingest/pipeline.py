"""Raw page in, described article out: the one entry point the importers call."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from itertools import islice

from .clean import clean_html, clean_text
from .countries import find_countries, resolve_country
from .entities import find_actors, nlp
from .metadata import detect_language, extract_date, extract_source, extract_title
from .types import ArticleData

__all__ = ["extract_article", "extract_articles", "resolve_country"]
BATCH_SIZE = 64


def _describe(raw: str, raw_format: str, url: str, imported_on: date | None) -> ArticleData:
    """Return an article with everything but its actors, which need spaCy."""
    page = clean_html(raw) if raw_format == "html" else clean_text(raw)
    published_on, precision = extract_date(page, imported_on=imported_on)
    source, agency = extract_source(page)
    article = ArticleData(
        body=page.body, raw=raw, title=extract_title(page), published_on=published_on,
        date_precision=precision, source=source, agency=agency, url=url,
        language=detect_language(page.body), raw_format=raw_format,
        countries=find_countries(f"{page.title}\n\n{page.body}"), captions=page.captions,
    )
    return article


def extract_article(raw: str, *, raw_format: str = "text", url: str = "",
                    imported_on: date | None = None) -> ArticleData:
    """Return the clean, described article of one raw page ("text" or "html")."""
    return next(extract_articles([(raw, {"raw_format": raw_format, "url": url, "imported_on": imported_on})]))


def extract_articles(items: Iterable[tuple[str, dict]], *, batch_size: int = BATCH_SIZE) -> Iterator[ArticleData]:
    """Yield the articles of (raw page, options) pairs, running spaCy over bodies in batches.

    Options are the keyword arguments of ``extract_article``: raw_format, url, imported_on.
    """
    items = iter(items)
    while batch := list(islice(items, batch_size)):
        described = [_describe(raw, options.get("raw_format", "text"), options.get("url", ""),
                               options.get("imported_on")) for raw, options in batch]
        docs = nlp().pipe(article.body for article in described)
        for article, doc in zip(described, docs):
            article.actors = find_actors(doc)
            yield article
