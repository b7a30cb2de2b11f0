"""For monitoring and for the moments the database is gone: /healthz, and the 503 page.

/healthz answers JSON on the three parts the archive needs (the database, the search index and
the queue of index updates) with 200 when the site can serve, 503 when it cannot. Any request
that meets a database that does not answer gets the 503 page, which says so, instead of a 500
page (or a search page that blames the query).
"""
from __future__ import annotations

import sys
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

RETRY_AFTER_SECONDS = 30


def _timed(check) -> dict:
    started = time.perf_counter()
    try:
        report = {"ok": True, **check()}
    except Exception as exc:  # whatever the part raises is what monitoring must read
        reason = (str(exc).strip().splitlines() or [""])[0]
        report = {"ok": False, "error": f"{exc.__class__.__name__}: {reason}"}
    report["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return report


def _database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {}


def _index() -> dict:
    from haystack.query import SearchQuerySet

    return {"documents": SearchQuerySet().all().count()}


def _queue() -> dict:
    from django.db.models import Min
    from django.utils import timezone

    from articles.models import PendingIndexUpdate

    rows = PendingIndexUpdate.objects.aggregate(oldest=Min("created_at"))
    pending = PendingIndexUpdate.objects.values("article_id").distinct().count()
    oldest = (timezone.now() - rows["oldest"]).total_seconds() if rows["oldest"] else None
    failing = PendingIndexUpdate.objects.filter(attempts__gt=0).values("article_id").distinct().count()
    return {"pending": pending, "oldest_seconds": round(oldest, 1) if oldest is not None else None, "failing": failing}


@never_cache
@require_safe
def healthz(request):
    """Report the database, the index and the queue; 503 when the database or the index fails.

    A queue older than NEWSARCHIVE_QUEUE_MAX_AGE seconds (the queue worker is not running), or
    updates that fail, make the status "degraded": searches still work, but edits are not
    searchable yet.
    """
    database = _timed(_database)
    index = _timed(_index)
    queue = _timed(_queue) if database["ok"] else {"ok": False, "error": "the database does not answer"}
    serving = database["ok"] and index["ok"]
    late = (queue.get("oldest_seconds") or 0) > settings.NEWSARCHIVE_QUEUE_MAX_AGE or queue.get("failing")
    status = "down" if not serving else "degraded" if late or not queue["ok"] else "ok"
    return JsonResponse({"status": status, "database": database, "index": index, "queue": queue},
                        status=200 if serving else 503, json_dumps_params={"ensure_ascii": False})


def database_unavailable(request=None) -> HttpResponse:
    """Return the 503 page: the archive's database does not answer."""
    html = loader.get_template("503.html").render({}, None)  # no request: its context may need the database
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request):
    """handler500: the 503 page when the error is the database's, the 500 page otherwise."""
    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):  # no connection, or it broke
        return database_unavailable(request)
    return HttpResponseServerError(loader.get_template("500.html").render({}, None))
