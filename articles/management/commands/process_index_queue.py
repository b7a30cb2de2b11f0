import select
import time

from django.core.management.base import BaseCommand
from django.db import connection
from whoosh.index import LockError

from articles.search.indexing.queue import WAKE_CHANNEL, IndexUpdateFailed, apply_pending


class Waiter:
    """Wait for the next look at the queue: `interval` seconds, or less when a web process says it
    left updates queued (queue.wake_worker: PostgreSQL's LISTEN/NOTIFY on a connection of its own).
    A notice that comes while the worker is applying is kept by PostgreSQL until the next wait."""

    def __init__(self):
        self.listening = None

    def listen(self) -> None:
        """Start listening, if not yet (before each look at the queue: a notice sent between the
        look and the wait is then kept for the wait). Failing, the worker polls."""
        if self.listening is not None and not self.listening.closed:
            return
        self.close()
        if connection.vendor != "postgresql":
            return
        try:
            listening = connection.get_new_connection(connection.get_connection_params())
            listening.autocommit = True
            with listening.cursor() as cursor:
                cursor.execute(f"LISTEN {WAKE_CHANNEL}")
            self.listening = listening
        except Exception:  # the database is down: the next look says so, the wait is the interval
            self.listening = None

    def wait(self, interval: float) -> bool:
        """Return True when woken before the interval ran out."""
        try:
            self.listen()
            if self.listening is None:
                time.sleep(interval)
                return False
            if not self.listening.notifies and select.select([self.listening], [], [], interval)[0]:
                self.listening.poll()
            woken = bool(self.listening.notifies)
            self.listening.notifies.clear()
            return woken
        except Exception:  # the database went away: wait the whole interval, listen again next time
            self.close()
            time.sleep(interval)
            return False

    def close(self):
        if self.listening is not None:
            try:
                self.listening.close()
            except Exception:
                pass
            self.listening = None


class Command(BaseCommand):
    help = (
        "Apply the queued search index updates that web processes could not apply (index locked, "
        "process stopped). With --watch, keep doing so every few seconds until stopped, and at once when a "
        "web process leaves it an update (PostgreSQL NOTIFY). An update "
        "that fails is tried again later and later (its error is shown by index_status and the admin)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--watch", action="store_true", help="keep running, polling the queue")
        parser.add_argument("--interval", type=float, default=2.0, help="seconds between polls with --watch (default 2)")

    def handle(self, *args, watch, interval, **options):
        waiter = Waiter()
        while True:
            if watch:
                waiter.listen()
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
            waiter.wait(interval)
