import time

from django.core.management.base import BaseCommand
from whoosh.index import LockError

from articles.search.indexing.queue import IndexUpdateFailed, apply_pending


class Command(BaseCommand):
    help = (
        "Apply the queued search index updates that web processes could not apply (index locked, "
        "process stopped). With --watch, keep doing so every few seconds until stopped. An update "
        "that fails is tried again later and later (its error is shown by index_status and the admin)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--watch", action="store_true", help="keep running, polling the queue")
        parser.add_argument("--interval", type=float, default=2.0, help="seconds between polls with --watch (default 2)")

    def handle(self, *args, watch, interval, **options):
        while True:
            try:
                applied = apply_pending()
            except LockError:  # another process is writing the index: the rows stay queued
                self.stderr.write("index busy, will retry")
                applied = 0
            except IndexUpdateFailed as failure:
                self.stderr.write(f"{failure}; will retry later (manage.py index_status shows them)")
                applied = failure.applied
            except Exception as exc:  # the database went away, say: the rows stay queued
                self.stderr.write(f"index update failed, will retry: {exc}")
                applied = 0
            if applied or not watch:
                self.stdout.write(f"{applied} article{'' if applied == 1 else 's'} re-indexed.")
            if not watch:
                return
            time.sleep(interval)
