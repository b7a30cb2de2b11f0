"""Make a web worker's first pages before it takes any visitor's request.

A new worker (at start, or after one died or was killed) pays once for what Django and the
archive load on first use: the URL configuration and views, the templates compiled, the search
index's segments opened and their arrays mapped, the analyzers' memos. That cost, about a second of
CPU, used to fall on the visitors of its first pages. gunicorn's post_worker_init hook
(newsarchive/gunicorn.conf.py) calls warm() before the worker accepts a connection, so those
visitors are served by the workers already running meanwhile. Each page is asked through the WSGI
application itself, as a visitor would ask it; a page that fails is logged and skipped, and the
whole warm-up stops after WARM_SECONDS.
"""
from __future__ import annotations

import io
import logging
import sys
import time

log = logging.getLogger(__name__)
WARM_SECONDS = 15.0


def pages() -> list[str]:
    """The addresses made before a worker serves: the home page, searches, an article, an actor."""
    from articles.models import Actor, Article

    paths = ["/", "/search/?q=guerre", "/search/?q=guerre&sort=newest"]
    article = Article.objects.order_by("-pk").values_list("pk", flat=True).first()
    if article is not None:
        paths.append(f"/articles/{article}/")
    actor = Actor.objects.order_by("pk").values_list("slug", flat=True).first()
    if actor is not None:
        paths.append(f"/actors/{actor}/")
    return paths


def _environ(path: str, host: str) -> dict:
    route, _, query = path.partition("?")
    return {
        "REQUEST_METHOD": "GET", "PATH_INFO": route, "QUERY_STRING": query, "SERVER_NAME": host, "SERVER_PORT": "80",
        "HTTP_HOST": host, "REMOTE_ADDR": "127.0.0.1", "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr, "wsgi.multithread": True,
        "wsgi.multiprocess": True, "wsgi.run_once": False, "HTTP_ACCEPT_LANGUAGE": "fr",
    }


def warm(application) -> dict[str, int]:
    """Ask the application for each page of pages(); return {path: status} of those answered."""
    from django.conf import settings
    from django.db import connections

    started = time.monotonic()
    hosts = [h for h in settings.ALLOWED_HOSTS if h and "*" not in h and not h.startswith(".")]
    host = hosts[0] if hosts else "localhost"
    answered = {}
    try:
        paths = pages()
    except Exception:  # no database yet: the worker serves anyway, cold
        log.warning("warm-up skipped: the pages to make could not be listed", exc_info=True)
        return answered
    for path in paths:
        if time.monotonic() - started > WARM_SECONDS:
            break
        statuses = []
        try:
            body = application(_environ(path, host), lambda status, headers, exc_info=None: statuses.append(status))
            for _chunk in body:
                pass
            if hasattr(body, "close"):
                body.close()
            answered[path] = int(statuses[0].split()[0]) if statuses else 0
        except Exception:
            log.warning("warm-up: %s failed", path, exc_info=True)
    connections.close_all()  # the worker's requests open their own, in their threads
    return answered
