"""Compare the search index with the database: what is queued, missing, extra or stale."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timezone

from django.db.models import Max, Min
from django.utils import timezone as dj_timezone
from haystack.query import SearchQuerySet

from articles.models import Article, PendingIndexUpdate
from articles.search.hits import iter_results


@dataclass
class IndexStatus:
    pending: int = 0
    oldest_pending_seconds: float | None = None
    in_database: int = 0
    in_index: int = 0
    missing: set[int] = field(default_factory=set)  # in the database, not in the index
    extra: set[int] = field(default_factory=set)  # in the index, no longer in the database
    stale: set[int] = field(default_factory=set)  # indexed before their last change
    failing: int = 0  # queued articles whose update failed (an error, not a busy index)
    most_attempts: int = 0
    last_error: str = ""  # the latest failure's error
    next_retry_seconds: float | None = None  # when the queue worker tries the first of them again

    @property
    def drift(self) -> set[int]:
        return self.missing | self.extra | self.stale


def indexed_versions() -> dict[int, str]:
    """Return {article id: its 'updated' stamp} for every document in the index."""
    return {int(result.pk): getattr(result, "updated", None) for result in iter_results(SearchQuerySet().all())}


def index_status() -> IndexStatus:
    status = IndexStatus()
    status.pending = PendingIndexUpdate.objects.values("article_id").distinct().count()
    oldest = PendingIndexUpdate.objects.aggregate(oldest=Min("created_at"))["oldest"]
    if oldest is not None:
        status.oldest_pending_seconds = (dj_timezone.now() - oldest).total_seconds()
    failing = PendingIndexUpdate.objects.filter(attempts__gt=0)
    status.failing = failing.values("article_id").distinct().count()
    if status.failing:
        latest = failing.order_by("-retry_at").first()
        status.last_error = latest.last_error
        status.most_attempts = failing.aggregate(most=Max("attempts"))["most"]
        next_retry = failing.aggregate(first=Min("retry_at"))["first"]
        status.next_retry_seconds = max(0.0, (next_retry - dj_timezone.now()).total_seconds())
    in_db = {
        pk: updated.astimezone(timezone.utc).isoformat(timespec="microseconds")
        for pk, updated in Article.objects.values_list("pk", "updated_at").iterator(chunk_size=5000)
    }
    in_index = indexed_versions()
    status.in_database, status.in_index = len(in_db), len(in_index)
    status.missing = set(in_db) - set(in_index)
    status.extra = set(in_index) - set(in_db)
    status.stale = {pk for pk, stamp in in_index.items() if pk in in_db and in_db[pk] != stamp}
    return status
