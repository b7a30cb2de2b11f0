"""gunicorn's settings for NewsArchive:  gunicorn -c newsarchive/gunicorn.conf.py newsarchive.wsgi

Before serving, Django's system checks run in the master process (database, index folder,
language model, SECRET_KEY, settings): when one fails, gunicorn prints it and exits without
ever listening, rather than starting workers that would fail on every request.

Workers are threaded (gthread): a worker's liveness no longer depends on how long one request
takes, so an export streamed to a slow reader runs to its end instead of being killed at the
30 s of sync workers; `timeout` restarts a worker whose main loop itself stops answering.

Each worker makes a few pages before it accepts a connection (newsarchive/warmup.py), so that the
cost of its first pages never falls on a visitor, at start or when a worker is replaced.
"""
import os
import sys

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "4"))  # requests served at once by each worker
# No connection is kept open between requests: a kept one stays with the worker that took it,
# however busy, while the other may idle; a new one goes to whichever worker accepts first (README,
# "Served pages"). A reverse proxy does not keep its connections to gunicorn either, by default.
keepalive = 0
timeout = int(os.environ.get("WEB_TIMEOUT", "120"))
graceful_timeout = 30
accesslog = "-"
errorlog = "-"


def on_starting(server):
    """Run Django's system checks; refuse to serve when one fails."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsarchive.settings")
    import django
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError
    from django.db import connections

    django.setup()
    try:
        call_command("check")
    except SystemCheckError as exc:
        sys.stderr.write(f"{exc}\nNewsArchive: not serving until the errors above are fixed.\n")
        sys.exit(1)
    finally:
        connections.close_all()  # the workers are forked from here: they open their own


def post_worker_init(worker):
    """Warm the new worker (newsarchive.warmup) before it accepts any connection."""
    from newsarchive import warmup

    warmup.warm(worker.wsgi)
    # What the warm-up loaded (Django, the templates, the index's segments) lives as long as the
    # worker: moved out of the collector's reach, a full collection no longer walks it.
    import gc

    gc.collect()
    gc.freeze()
