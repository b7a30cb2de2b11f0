"""Import pages into the archive: read, extract in batches, store each file all or nothing.

Reading, extraction and storing are three steps: pages of many files go through spaCy together
(nlp.pipe), then each import unit (a file; a page of a web archive or a feed) is stored atomically,
so a unit that fails leaves nothing behind and the others go on.
"""
from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import DatabaseError, transaction
from tqdm import tqdm

from articles import selectors, services
from articles.ingest import readers
from articles.ingest.pipeline import BATCH_SIZE, ExtractionError, extract_articles, resolve_country
from articles.ingest.records import article_from_record
from articles.ingest.types import ArticleData, ImportUnit, JsonRecord, RawPage
from articles.models import Article, Country
from articles.search.indexing import queue as index_queue

log = logging.getLogger(__name__)


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    skipped: int = 0
    joined_story: int = 0  # new articles linked to the story of an earlier near-duplicate
    queued_applied: int = 0  # articles whose index update was queued before the import began
    failures: list[tuple[str, str]] = field(default_factory=list)  # (file, page or article; reason)

    @property
    def failed(self) -> int:
        return len(self.failures)

    def count(self, status: str) -> None:
        setattr(self, status, getattr(self, status) + 1)

    def add(self, name: str, outcome: list | str) -> None:
        """Count what a unit stored, or record why it stored nothing."""
        if isinstance(outcome, str):
            self.failures.append((name, outcome))
            return
        for result in outcome:
            self.count(result.status)
            self.joined_story += result.status == services.CREATED and result.article.story_id is not None

    def summary(self) -> str:
        text = f"{self.created} created, {self.updated} updated, {self.skipped} skipped, {self.failed} failed"
        if self.joined_story:
            text += f"; {self.joined_story} near-duplicate{'' if self.joined_story == 1 else 's'} linked to an earlier story"
        if self.queued_applied:
            n = self.queued_applied
            text += f"; {n} earlier queued index update{'' if n == 1 else 's'} applied first"
        return text


def _chunks(units: Iterable[ImportUnit], pages: int) -> Iterator[list[ImportUnit]]:
    """Group units so that each group holds about `pages` pages to extract."""
    chunk, count = [], 0
    for unit in units:
        chunk.append(unit)
        count += sum(isinstance(item, RawPage) for item in unit.items)
        if count >= pages:
            yield chunk
            chunk, count = [], 0
    if chunk:
        yield chunk


def _article(result: ArticleData | ExtractionError | JsonRecord) -> ArticleData:
    """Return the article of an extraction or a JSON Lines record; raise ExtractionError if none."""
    if isinstance(result, ExtractionError):
        raise result
    if isinstance(result, JsonRecord):
        try:
            return article_from_record(result.values, raw=result.raw, resolve_country=resolve_country)
        except ValueError as exc:
            raise ExtractionError(f"line {result.line}: {exc}") from None
    return result


Extraction = tuple[ImportUnit, "list[tuple[ArticleData, str]] | str"]


def extract_batches(units: Iterable[ImportUnit], *, imported_on: date | None = None, country_aliases=(),
                    batch_size: int = BATCH_SIZE) -> Iterator[list[Extraction]]:
    """Yield, batch after batch, each unit with its (article, origin) pairs or the reason it gives none.

    The pages of a batch of consecutive units go through spaCy together, batch_size at a time.
    """
    for chunk in _chunks(units, batch_size):
        pages = [item for unit in chunk for item in unit.items if isinstance(item, RawPage)]
        extracted = iter(extract_articles(
            ((page.text, {"raw_format": page.raw_format, "url": page.url, "imported_on": page.seen_on or imported_on,
                          "country_aliases": country_aliases})
             for page in pages), batch_size=batch_size, model=settings.NEWSARCHIVE_SPACY_MODEL))
        batch = []
        for unit in chunk:
            if unit.error:
                batch.append((unit, unit.error))
                continue
            # Consume this unit's extractions even when one fails, to keep the rest in step.
            results = [next(extracted) if isinstance(item, RawPage) else item for item in unit.items]
            try:
                batch.append((unit, [(_article(result), item.origin) for result, item in zip(results, unit.items)]))
            except ExtractionError as exc:
                batch.append((unit, str(exc)))
        yield batch


def _ahead(batches: Iterator[list], depth: int = 1) -> Iterator[list]:
    """Yield the batches of a generator run in a thread, `depth` batches ahead of the consumer.

    Reading and extraction never touch the database, so the next batch goes through spaCy
    (which releases the GIL in its matrix products) while this one is being stored.
    """
    done = object()
    results: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def offer(item) -> bool:
        """Put item in the queue unless the consumer has gone; return whether it was put."""
        while not stop.is_set():
            try:
                results.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce():
        try:
            for batch in batches:
                if not offer(batch):
                    return
            offer(done)
        except BaseException as exc:  # handed over to the consumer, which raises it
            offer(exc)

    thread = threading.Thread(target=produce, name="extraction", daemon=True)
    thread.start()
    try:
        while (batch := results.get()) is not done:
            if isinstance(batch, BaseException):
                raise batch
            yield batch
    finally:
        stop.set()
        thread.join()


def extract_inputs(inputs, *, imported_on: date | None = None, timeout: float | None = None) -> Iterator[Extraction]:
    """Read and extract files, folders, web archives, URLs and feeds, unit by unit; write nothing."""
    units = readers.read_inputs(readers.find_inputs(inputs), timeout=timeout)
    for batch in extract_batches(units, imported_on=imported_on, country_aliases=selectors.country_detection_aliases()):
        yield from batch


def describe(article: ArticleData) -> str:
    """Return what extraction found, as the indented lines a dry run prints."""
    date_text = f"{article.published_on.isoformat()} ({article.date_precision})" if article.published_on else "unknown"
    source = (article.source or "unknown") + (f", agency {article.agency}" if article.agency else "")
    rows = [
        ("title", article.title or "(no headline)"), ("date", date_text), ("source", source),
        ("actors", ", ".join(a.name for a in article.actors) or "none"),
        ("countries", ", ".join(c.code for c in article.countries) or "none"),
        ("language", article.language or "unknown"),
    ]
    return "\n".join(f"  {label + ':':<11}{value}" for label, value in rows)


def _progress(total: int | None, progress: bool | None, desc: str, unit: str):
    return tqdm(total=total, desc=desc, unit=unit, disable=None if progress is None else not progress)


def import_paths(paths, *, imported_on: date | None = None, progress: bool | None = None,
                 timeout: float | None = None) -> ImportReport:
    """Import every file named or found below the folders, and every URL or feed given.

    A bad file, page or feed entry is reported with its reason and never stops the rest. Each unit
    is stored atomically (a savepoint), so one that fails leaves nothing behind; the units of a
    batch are committed together, so the search index is updated once per batch, not per page.
    """
    if not Country.objects.exists():
        services.countries_sync()
    report = ImportReport()
    # Updates left queued by an earlier run that was killed, or by a busy index, go first, so
    # that they never wait behind this import for the queue worker.
    try:
        report.queued_applied = index_queue.apply_pending()
    except Exception:  # a busy index: they stay queued for the queue worker
        log.warning("queued index updates left for the queue worker", exc_info=True)
    session = services.ImportSession()
    inputs = readers.find_inputs(paths)
    # A web archive or a feed holds an unknown number of pages: count units without a total then.
    plain = all(not readers.is_url(i) and not readers.is_warc(i) for i in inputs)
    units = readers.read_inputs(inputs, timeout=timeout)
    with _progress(len(inputs) if plain else None, progress, "Importing", "file" if plain else "page") as bar:
        aliases = selectors.country_detection_aliases()  # read here: the extraction thread has no database
        for batch in _ahead(extract_batches(units, imported_on=imported_on, country_aliases=aliases)):
            session.forget()
            outcomes = []
            try:
                with transaction.atomic():
                    for unit, articles in batch:
                        bar.update()
                        outcomes.append((unit, _store(unit, articles, session)))
            except DatabaseError as exc:  # the commit itself failed: nothing of the batch is stored
                session.forget()
                log.exception("commit of a batch failed")
                outcomes = [(unit, f"stored with its batch, whose commit failed: {exc}".strip()) for unit, _ in batch]
            for unit, outcome in outcomes:
                report.add(unit.name, outcome)
    return report


def _store(unit: ImportUnit, articles: list[tuple[ArticleData, str]] | str,
           session: services.ImportSession) -> list[services.UpsertResult] | str:
    """Store one unit's articles all or none; return their results, or the reason for none."""
    if isinstance(articles, str):
        return articles
    try:
        with transaction.atomic():
            return [services.article_upsert(data=data, origin=origin, session=session) for data, origin in articles]
    except Exception as exc:  # one odd page must not stop a batch of thousands
        session.forget()  # what it looked up may have been created in the rolled-back savepoint
        log.exception("import of %s failed", unit.name)
        return f"unexpected error while storing: {exc.__class__.__name__}: {exc}"


def reextract_articles(article_ids=None, *, progress: bool | None = None, batch_size: int = BATCH_SIZE) -> ImportReport:
    """Re-run extraction on the stored raw pages (of the given articles, or all), keeping curators' decisions.

    An article whose page no longer gives an article is reported and left as it was. Articles
    imported from JSON Lines are passed over: their metadata was given, not extracted.
    """
    articles = Article.objects.exclude(raw_format=Article.RawFormat.JSON).order_by("pk")
    if article_ids is not None:
        articles = articles.filter(pk__in=list(article_ids))
    report = ImportReport()
    session = services.ImportSession()
    aliases = selectors.country_detection_aliases()
    ids = list(articles.values_list("pk", flat=True))
    with _progress(len(ids), progress, "Re-extracting", "article") as bar:
        for start in range(0, len(ids), batch_size):
            batch = list(Article.objects.filter(pk__in=ids[start:start + batch_size]).order_by("pk"))
            extracted = extract_articles(
                ((a.raw, {"raw_format": a.raw_format, "url": a.url, "imported_on": a.created_at.date(),
                          "country_aliases": aliases}) for a in batch),
                batch_size=batch_size, model=settings.NEWSARCHIVE_SPACY_MODEL)
            session.forget()
            with transaction.atomic():  # each article in a savepoint; the index is updated once per batch
                for article, data in zip(batch, extracted):
                    bar.update()
                    _reextract(article, data, report, session)
    return report


def _reextract(article: Article, data: ArticleData | ExtractionError, report: ImportReport,
               session: services.ImportSession) -> None:
    name = f"article {article.pk} ({article.origin or article.display_title})"
    if isinstance(data, ExtractionError):
        report.failures.append((name, str(data)))
        return
    try:
        report.count(services.article_reextract(article=article, data=data, session=session).status)
    except Exception as exc:  # one odd page must not stop the others
        session.forget()
        log.exception("re-extraction of %s failed", name)
        report.failures.append((name, f"unexpected error while storing: {exc.__class__.__name__}: {exc}"))
