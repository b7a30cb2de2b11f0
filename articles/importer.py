"""Import files of pages into the archive: read, extract, store, one file at a time."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from tqdm import tqdm

from articles import services
from articles.ingest import readers
from articles.ingest.records import article_from_record
from articles.models import Country

log = logging.getLogger(__name__)


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    skipped: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)

    @property
    def failed(self) -> int:
        return len(self.failures)

    def summary(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.skipped} skipped, {self.failed} failed"


def import_paths(paths, *, imported_on: date | None = None, progress: bool | None = None) -> ImportReport:
    """Import every supported file named or found below the folders; a bad file never stops the rest.

    Each file is stored in one transaction: a file that fails leaves nothing behind.
    """
    from articles.ingest.countries import resolve_country
    from articles.ingest.pipeline import extract_article

    if not Country.objects.exists():
        services.countries_sync()
    report = ImportReport()
    files = readers.find_files(paths)
    for path in tqdm(files, desc="Importing", unit="file", disable=None if progress is None else not progress):
        try:
            result = readers.read_file(path)
            articles = []
            for item in result.items:
                if isinstance(item, readers.JsonRecord):
                    try:
                        data = article_from_record(item.values, raw=item.raw, resolve_country=resolve_country)
                    except ValueError as exc:
                        raise readers.ReadError(f"line {item.line}: {exc}") from None
                    articles.append((data, item.origin))
                else:
                    data = extract_article(item.text, raw_format=item.raw_format, imported_on=imported_on)
                    if not data.body.strip():
                        raise readers.ReadError("no article text found in the page")
                    articles.append((data, item.origin))
            with transaction.atomic():
                statuses = [services.article_upsert(data=data, origin=origin).status for data, origin in articles]
        except readers.ReadError as exc:
            report.failures.append((str(path), str(exc)))
            continue
        except Exception as exc:  # one odd page must not stop a batch of thousands
            log.exception("import of %s failed", path)
            report.failures.append((str(path), f"unexpected error while importing: {exc.__class__.__name__}: {exc}"))
            continue
        for status in statuses:
            setattr(report, status, getattr(report, status) + 1)
    return report
