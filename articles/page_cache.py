"""Public pages kept by each web process for as long as the archive they show does not change.

A visitor's page (home, searches, article, entity and date pages) is read-only and depends only
on its address, its language and the archive's state; that state changes with every index
generation (each import, edit, merge or tag rule writes the index) and with every curator's
change (the admin records each in its history). A page is kept under (index generation, latest
admin history entry, language, address) in a bounded least-recently-used map per process, so the
first visitor after any change gets a fresh page and later ones the same page again, without
the search. Curators (anyone with a session), other methods, answers other than 200, streamed
exports and pages that skipped optional parts to answer in time are never kept.
"""
from __future__ import annotations

import contextvars
import threading
from collections import OrderedDict

from django.conf import settings
from django.db.models import Max
from django.http import HttpResponse

NEVER_KEPT = ("/admin", "/healthz", "/search/export", "/static", "/i18n", "/api")  # pages of their own state, streams
_incomplete = contextvars.ContextVar("page_incomplete", default=False)


def mark_incomplete() -> None:
    """Note that the page being made skipped something (the page budget): it is not kept."""
    _incomplete.set(True)


def archive_version() -> tuple | None:
    """Return what identifies the archive's state: the index generation and the latest curator
    change; None when the search engine cannot tell its generation (then nothing is kept)."""
    from django.contrib.admin.models import LogEntry
    from haystack import connections

    backend = connections["default"].get_backend()
    generation = getattr(backend, "generation", None)
    if generation is None:
        return None
    return generation(), LogEntry.objects.aggregate(last=Max("id"))["last"]


class PageCache:
    def __init__(self):
        self.lock = threading.Lock()
        self.pages: OrderedDict = OrderedDict()
        self.version = None

    def get(self, version, key):
        with self.lock:
            if version != self.version:  # the archive changed: every page kept is stale
                self.pages.clear()
                self.version = version
                return None
            page = self.pages.get(key)
            if page is not None:
                self.pages.move_to_end(key)
            return page

    def put(self, version, key, page, limit: int) -> None:
        with self.lock:
            if version != self.version:
                return
            self.pages[key] = page
            while len(self.pages) > limit:
                self.pages.popitem(last=False)


pages = PageCache()


class PageCacheMiddleware:
    """Answer a visitor's GET from the pages kept for the archive's current state (PageCache)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.NEWSARCHIVE_PAGE_CACHE_SIZE
        if (not limit or request.method not in ("GET", "HEAD") or settings.SESSION_COOKIE_NAME in request.COOKIES
                or "messages" in request.COOKIES or request.path.startswith(NEVER_KEPT)):
            return self.get_response(request)
        version = archive_version()
        if version is None:
            return self.get_response(request)
        key = (getattr(request, "LANGUAGE_CODE", ""), request.get_full_path())
        kept = pages.get(version, key)
        if kept is not None:
            content, headers = kept
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return response
        token = _incomplete.set(False)
        try:
            response = self.get_response(request)
            complete = not _incomplete.get()
        finally:
            _incomplete.reset(token)
        if response.status_code == 200 and not response.streaming and complete and not response.cookies:
            headers = [(name, value) for name, value in response.items() if name.lower() != "content-length"]
            pages.put(version, key, (response.content, headers), limit)
        return response
