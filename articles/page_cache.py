"""Public pages kept by each web process while the archive they show does not change, and shortly after.

A visitor's page (home, searches, article, entity and date pages) is read-only and depends only
on its address, its language and the archive's state; that state changes with every index
generation (each import, edit, merge or tag rule writes the index) and with every curator's
change (the admin records each in its history). A page is kept under (language, address) with
the state it was made in (index generation, latest admin history entry) and when it was made, in
a bounded least-recently-used map per process. It is shown again for as long as the archive is
in that state; once the archive has changed, for at most NEWSARCHIVE_PAGE_STALE_MS after it was
made (1 s by default), then made afresh. So a change is on every page at most that long after
it is searchable, and while curators edit every second the pages most asked for are still made
about once a second, not for every visitor. Curators (anyone with a session), other methods,
answers other than 200, streamed exports and pages that skipped optional parts to answer in
time are never kept.

The same state also keys what pages read again and again from the database and that changes only
with it (`remembered`): the names shown for facet values, the actors that names typed in a query
stand for. A visitor's request reads them once per state and process; a curator's always afresh.
"""
from __future__ import annotations

import contextvars
import threading
import time
from collections import OrderedDict
from typing import NamedTuple

from django.conf import settings
from django.db import connection
from django.http import HttpResponse

clock = time.monotonic  # when a page was made and is asked for again (tests move it)
NEVER_KEPT = ("/admin", "/healthz", "/search/export", "/static", "/i18n", "/api")  # pages of their own state, streams
_incomplete = contextvars.ContextVar("page_incomplete", default=False)
_state = contextvars.ContextVar("archive_state", default=None)  # the state a visitor's request read, if any


def mark_incomplete() -> None:
    """Note that the page being made skipped something (the page budget): it is not kept."""
    _incomplete.set(True)


def archive_version() -> tuple | None:
    """Return what identifies the archive's state: the index generation and the latest curator
    change; None when the search engine cannot tell its generation (then nothing is kept)."""
    from haystack import connections

    backend = connections["default"].get_backend()
    generation = getattr(backend, "generation", None)
    if generation is None:
        return None
    with connection.cursor() as cursor:  # the ORM's aggregate() cost more than the query
        cursor.execute("SELECT MAX(id) FROM django_admin_log")
        (last,) = cursor.fetchone()
    return generation(), last


class _StateCheck:
    """The archive's state as this process last read it, and when (clock()).

    Reading it costs a round trip to PostgreSQL and a listing of the index folder, more than the
    rest of answering a kept page; a state read less than NEWSARCHIVE_STATE_CHECK_MS ago is used
    again. A page is then said to be made when that state was read, so that a change is still on
    every page at most NEWSARCHIVE_PAGE_STALE_MS after it is searchable."""

    def __init__(self):
        self.lock = threading.Lock()
        self.read: tuple | None = None  # (index place, state, read at)

    def current(self) -> tuple[tuple | None, float]:
        """Return (the archive's state, when it was read)."""
        from haystack import connections

        period = settings.NEWSARCHIVE_STATE_CHECK_MS / 1000
        place = getattr(connections["default"].get_backend(), "path", None)
        now = clock()
        with self.lock:
            read = self.read
        if period and read is not None and read[0] == place and 0 <= now - read[2] < period:
            return read[1], read[2]
        version = archive_version()
        with self.lock:
            self.read = (place, version, now)
        return version, now


state_check = _StateCheck()


class Page(NamedTuple):
    version: tuple  # the archive's state it was made in
    made: float  # clock() when its making started (the state was read then)
    content: bytes
    headers: list


class PageCache:
    def __init__(self):
        self.lock = threading.Lock()
        self.pages: OrderedDict[tuple, Page] = OrderedDict()

    def get(self, version, key, *, now: float, stale: float) -> tuple[Page | None, bool]:
        """Return (the page kept under key that may be shown in this state at `now`, whether it is
        of an earlier state), or (None, False)."""
        with self.lock:
            page = self.pages.get(key)
            if page is None:
                return None, False
            if page.version != version and now - page.made > stale:
                del self.pages[key]  # made before a change, and too long ago
                return None, False
            self.pages.move_to_end(key)
            return page, page.version != version

    def put(self, key, page: Page, limit: int) -> None:
        with self.lock:
            kept = self.pages.get(key)
            if kept is not None and kept.made > page.made:  # a page made later was kept meanwhile
                return
            self.pages[key] = page
            self.pages.move_to_end(key)
            while len(self.pages) > limit:
                self.pages.popitem(last=False)


pages = PageCache()


class Remembered:
    """Answers read from the database, kept for the archive's state the request read (at most
    `limit` per state, the two latest states kept: requests of the state before a change may still run)."""

    def __init__(self, limit: int = 50_000):
        self.lock = threading.Lock()
        self.limit = limit
        self.states: OrderedDict[tuple, dict] = OrderedDict()

    def many(self, keys, lookup) -> dict:
        """Return {key: answer} for keys; lookup(keys not remembered) returns {key: answer} and
        leaves out the keys without one (remembered as such: left out here too)."""
        keys = list(keys)
        version = _state.get()
        if version is None:  # a curator, or no kept pages: read afresh
            return lookup(keys)
        with self.lock:
            known = self.states.get(version)
            if known is None:
                known = self.states[version] = {}
                while len(self.states) > 2:
                    self.states.popitem(last=False)
            missing = [key for key in dict.fromkeys(keys) if key not in known]
        if missing:
            found = lookup(missing)
            with self.lock:
                if len(known) + len(missing) > self.limit:
                    known.clear()
                known.update({key: found.get(key, _ABSENT) for key in missing})
        else:
            found = {}
        answers = {}
        for key in keys:
            answer = found[key] if key in found else known.get(key, _ABSENT)
            if answer is not _ABSENT:
                answers[key] = answer
        return answers


_ABSENT = object()
remembered = Remembered()


class PageCacheMiddleware:
    """Answer a visitor's GET from the pages kept (PageCache): X-Page-Cache says `hit`, or `stale`
    for a page of the archive's state before its latest change (at most NEWSARCHIVE_PAGE_STALE_MS old)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.NEWSARCHIVE_PAGE_CACHE_SIZE
        if (not limit or request.method not in ("GET", "HEAD") or settings.SESSION_COOKIE_NAME in request.COOKIES
                or "messages" in request.COOKIES or request.path.startswith(NEVER_KEPT)):
            return self.get_response(request)
        version, made = state_check.current()  # made: when the state was read; a page is never older than it says
        if version is None:
            return self.get_response(request)
        key = (getattr(request, "LANGUAGE_CODE", ""), request.get_full_path())
        state = _state.set(version)
        try:
            return self._answer(request, key, version, made, limit)
        finally:
            _state.reset(state)

    def _answer(self, request, key, version, made, limit):
        kept, stale = pages.get(version, key, now=made, stale=settings.NEWSARCHIVE_PAGE_STALE_MS / 1000)
        if kept is not None:
            response = HttpResponse(kept.content)
            for name, value in kept.headers:
                response[name] = value
            response["X-Page-Cache"] = "stale" if stale else "hit"
            return response
        token = _incomplete.set(False)
        try:
            response = self.get_response(request)
            complete = not _incomplete.get()
        finally:
            _incomplete.reset(token)
        if response.status_code == 200 and not response.streaming and complete and not response.cookies:
            headers = [(name, value) for name, value in response.items() if name.lower() != "content-length"]
            pages.put(key, Page(version, made, response.content, headers), limit)
        return response
