import time

from django.core.management.base import BaseCommand

from articles.search.indexing.queue import apply_pending


class Command(BaseCommand):
    help = (
        "Apply the queued search index updates that web processes could not apply (index locked, "
        "process stopped). With --watch, keep doing so every few seconds until stopped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--watch", action="store_true", help="keep running, polling the queue")
        parser.add_argument("--interval", type=float, default=2.0, help="seconds between polls with --watch (default 2)")

    def handle(self, *args, watch, interval, **options):
        while True:
            try:
                applied = apply_pending()
            except Exception as exc:  # a locked or busy index: the rows stay queued, try again
                self.stderr.write(f"index busy, will retry: {exc}")
                applied = 0
            if applied or not watch:
                self.stdout.write(f"{applied} article{'' if applied == 1 else 's'} re-indexed.")
            if not watch:
                return
            time.sleep(interval)
