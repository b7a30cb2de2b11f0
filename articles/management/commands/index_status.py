from django.core.management.base import BaseCommand

from articles.models import PendingIndexUpdate
from articles.search.indexing.drift import index_status
from articles.search.indexing.queue import IndexUpdateFailed, apply_pending


class Command(BaseCommand):
    help = (
        "Report the search index updates still queued and any drift between the database and "
        "the index (articles missing, extra or stale); --repair applies the queue and fixes the drift."
    )

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="apply queued updates and re-index drifted articles")

    def handle(self, *args, repair, **options):
        status = index_status()
        age = f", oldest queued {status.oldest_pending_seconds:.0f} s ago" if status.oldest_pending_seconds is not None else ""
        self.stdout.write(f"Articles: {status.in_database} in the database, {status.in_index} in the search index.")
        self.stdout.write(f"Queued index updates: {status.pending} article{'' if status.pending == 1 else 's'}{age}.")
        self.stdout.write(
            f"Drift: {len(status.missing)} missing from the index, {len(status.extra)} no longer in the database, "
            f"{len(status.stale)} stale."
        )
        if status.failing:
            self.stdout.write(self.style.ERROR(
                f"Failing index updates: {status.failing} article{'' if status.failing == 1 else 's'} "
                f"({status.most_attempts} failed attempt{'' if status.most_attempts == 1 else 's'} at most), "
                f"next try in {status.next_retry_seconds:.0f} s; last error: {status.last_error}"
            ))
        if not repair:
            return
        drift = status.drift
        PendingIndexUpdate.objects.filter(retry_at__isnull=False).update(retry_at=None)  # failed ones too, now
        PendingIndexUpdate.objects.bulk_create(PendingIndexUpdate(article_id=pk) for pk in sorted(drift))
        try:
            applied = apply_pending()
        except IndexUpdateFailed as failure:
            applied = failure.applied
            self.stdout.write(self.style.ERROR(str(failure)))
        after = index_status()
        self.stdout.write(self.style.SUCCESS(
            f"Repaired: {applied} article{'' if applied == 1 else 's'} re-indexed; drift now {len(after.drift)}, queued {after.pending}."
        ))
