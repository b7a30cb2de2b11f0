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

Search, entity and article pages are also kept across changes that cannot alter them. While a
search page is made, the engine notes (articles.search.reads) each search it ran and the primary
keys of every article that matched. Once the archive has changed, the page is shown again as it
is (X-Page-Cache: `revalidated`) when the engine can tell which articles changed (the Whoosh
engine's journal, articles/search/backends/whoosh/changes.py), the curators' changes since were
to articles and tags only (every visible effect of which goes through the index, and so into
the journal), and the page's own check holds: for a search or entity page, none of the changed
articles matched its searches then, nor matches them now (its searches asked again; its query
built again, names resolved anew, when a name it read may have changed); for an article page,
neither the article nor any it lists changed, and "more like this" and its story give the same
articles. A search page that read anything any change may alter (a word the index did not know,
for "did you mean") is not kept that way, nor is the home page (its counts are of every
article). The ranking of a page kept so is the one of the state it was made in: the scores of
the articles it lists change with collection statistics (average length, term frequencies) that
an edit of other articles moves by a hair. A tag or source renamed that no article carries may
show its old name on a page that filters by it until the next change of such a page.

The same state also keys what pages read again and again from the database and that changes only
with it (`remembered`): the names shown for facet values, the actors that names typed in a query
stand for. A visitor's request reads them once per state and process; a curator's always afresh.
"""
from __future__ import annotations

import contextlib
import contextvars
import hashlib
import logging
import os
import pickle
import tempfile
import threading
import time
from collections import OrderedDict
from typing import NamedTuple

from django.conf import settings
from django.db import connection
from django.http import HttpResponse

from articles.search import reads as search_reads

log = logging.getLogger(__name__)
clock = time.monotonic  # when a page was made and is asked for again (tests move it)
NEVER_KEPT = ("/admin", "/healthz", "/search/export", "/static", "/i18n", "/api")  # pages of their own state, streams
_incomplete = contextvars.ContextVar("page_incomplete", default=False)
_state = contextvars.ContextVar("archive_state", default=None)  # the state a visitor's request read, if any
_validator = contextvars.ContextVar("page_validator", default=None)  # (check, fingerprint, reads) a page asked for
MAX_CHANGED = 200  # articles changed since a page was made past which it is made afresh


def mark_incomplete() -> None:
    """Note that the page being made skipped something (the page budget): it is not kept."""
    _incomplete.set(True)


def keeping() -> bool:
    """Return whether the page being made may be kept (a visitor's, with the page cache on)."""
    return _state.get() is not None


def keep_across_changes(check, fingerprint, *, reads: bool = True) -> None:
    """Ask that the page being made be kept across changes of articles it does not depend on:
    check(request, fingerprint, read, changed primary keys) says whether it still holds
    (read: what the engine noted while the page was made, articles.search.reads.Reads). With
    reads=False the check does not use them: it asks again whatever its page asked the engine."""
    _validator.set((check, fingerprint, reads))


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
    depends: tuple | None = None  # (check, fingerprint, what its searches read) when it may outlast changes


_CURATED_THROUGH_INDEX = ("article", "tag")  # models whose every change a page sees reindexes the articles
_curated: OrderedDict = OrderedDict()  # (admin entry then, now) -> whether all between are of those models
_curated_lock = threading.Lock()


def _only_index_curation(then, now) -> bool:
    """Return whether every admin history entry after `then` up to `now` is about an article or
    a tag (a change of either reindexes the articles it shows on: they are in the index's journal)."""
    if then == now:
        return True
    key = (then, now)
    with _curated_lock:
        if key in _curated:
            return _curated[key]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM django_admin_log l LEFT JOIN django_content_type c ON c.id = l.content_type_id "
            "WHERE l.id > %s AND l.id <= %s AND (c.app_label IS DISTINCT FROM 'articles' OR c.model NOT IN %s)",
            [then or 0, now or 0, _CURATED_THROUGH_INDEX])
        (others,) = cursor.fetchone()
    with _curated_lock:
        _curated[key] = answer = others == 0
        while len(_curated) > 1000:
            _curated.popitem(last=False)
    return answer


def still_holds(request, page: Page, version: tuple) -> bool:
    """Return whether a page made in an earlier state is the page a visitor would get now
    (module docstring); False whenever that cannot be told."""
    from haystack import connections

    if page.depends is None or page.version[0] is None or version[0] is None:
        return False
    between = getattr(connections["default"].get_backend(), "changes_between", None)
    if between is None:
        return False
    changed = between(page.version[0], version[0])
    if changed is None or len(changed) > MAX_CHANGED or not _only_index_curation(page.version[1], version[1]):
        return False
    pks = []
    for identifier in changed:
        app_model, _, pk = identifier.rpartition(".")
        if app_model != "articles.article" or not pk.isdigit():
            return False
        pks.append(int(pk))
    check, fingerprint, read = page.depends
    try:
        return check(request, fingerprint, read, pks)
    except Exception:  # the page is made afresh, and says what failed if it fails again
        log.warning("could not check a kept page of %s", request.path, exc_info=True)
        return False


class PageCache:
    def __init__(self):
        self.lock = threading.Lock()
        self.pages: OrderedDict[tuple, Page] = OrderedDict()

    def get(self, version, key, *, now: float, stale: float) -> tuple[Page | None, bool]:
        """Return (the page kept under key that may be shown in this state at `now`, whether it is
        of an earlier state), or (None, False). A page of an earlier state made too long ago is
        returned only if it may outlast changes (Page.depends): the caller checks it."""
        with self.lock:
            page = self.pages.get(key)
            if page is None:
                return None, False
            if page.version != version and now - page.made > stale and page.depends is None:
                del self.pages[key]  # made before a change, and too long ago
                return None, False
            self.pages.move_to_end(key)
            return page, page.version != version

    def discard(self, key, page: Page) -> None:
        """Forget the page kept under key, if it is still that one."""
        with self.lock:
            if self.pages.get(key) is page:
                del self.pages[key]

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


class SharedPages:
    """Pages kept in files (_store_folder: the machine's shared memory), read by every web process:
    what one worker made or checked, the other need not make or check again, and a worker started
    after a crash finds the pages its predecessor kept. One file a page (its pickled Page, named
    by its key's hash), written whole under a temporary name, then renamed; at most
    NEWSARCHIVE_PAGE_STORE_SIZE files, the least recently written dropped past them (checked
    every CULL_EVERY writes). An engine without an index folder keeps none; a file that cannot be
    read or written is as if it were not there.

    Written here rather than with Django's file-based cache, which renames each page over its
    previous file (ext4 then writes the new file out before the rename returns: 2 ms at p95 on
    this machine, against 0.17 ms when the old file is removed first) and lists the folder at
    every write."""

    CULL_EVERY = 100

    def __init__(self):
        self.lock = threading.Lock()
        self.folders: dict[str, str | None] = {}  # index path -> its pages' folder (None: cannot be made)
        self.writes = 0

    def _folder(self) -> str | None:
        from haystack import connections

        place = getattr(connections["default"].get_backend(), "path", None)
        if not settings.NEWSARCHIVE_PAGE_STORE_SIZE or not place:
            return None
        folder = self.folders.get(place, "")
        if folder == "":
            folder = _store_folder(os.path.realpath(place))
            try:
                os.makedirs(folder, mode=0o700, exist_ok=True)
                if not (_ours(folder) and _ours(os.path.dirname(folder))):
                    log.warning("not sharing pages in %s: another user can write there", folder)
                    folder = None
            except OSError:
                folder = None
            self.folders[place] = folder
        return folder

    @staticmethod
    def _name(key) -> str:
        return hashlib.sha256(repr(key).encode()).hexdigest() + ".page"

    def get(self, key) -> Page | None:
        folder = self._folder()
        if folder is None:
            return None
        try:
            with open(os.path.join(folder, self._name(key)), "rb") as file:
                page = pickle.load(file)
        except FileNotFoundError:
            return None
        except Exception:  # cut short, or not ours: as if absent
            log.debug("unreadable kept page", exc_info=True)
            return None
        return page if isinstance(page, Page) else None

    def put(self, key, page: Page) -> None:
        folder = self._folder()
        if folder is None:
            return
        path = os.path.join(folder, self._name(key))
        try:
            handle, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as out:
                    pickle.dump(page, out, protocol=pickle.HIGHEST_PROTOCOL)
                try:
                    os.unlink(path)
                except FileNotFoundError:
                    pass
                os.replace(temporary, path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise
        except (OSError, pickle.PicklingError, TypeError, AttributeError):  # a read-only or full disk
            log.debug("page not shared", exc_info=True)
            return
        with self.lock:
            self.writes += 1
            cull = self.writes % self.CULL_EVERY == 0
        if cull:
            self._cull(folder)

    @staticmethod
    def _cull(folder: str) -> None:
        limit = settings.NEWSARCHIVE_PAGE_STORE_SIZE
        try:
            entries = [entry for entry in os.scandir(folder) if entry.name.endswith(".page")]
            if len(entries) <= limit:
                return
            entries.sort(key=lambda entry: entry.stat().st_mtime_ns)
            for entry in entries[:len(entries) - limit * 9 // 10]:
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
        except OSError:
            pass

    def clear(self) -> None:
        folder = self._folder()
        if folder is None:
            return
        for entry in os.scandir(folder):
            if entry.name.endswith(".page"):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def _ours(folder: str) -> bool:
    """Return whether only this process's user can write in a folder (its pages are unpickled)."""
    status = os.stat(folder)
    return status.st_uid == os.geteuid() and not status.st_mode & 0o022


def _boot() -> str:
    """Return what tells this boot of the machine from the others: a page's `made` is read from
    the monotonic clock, which starts again at each boot."""
    try:
        with open("/proc/sys/kernel/random/boot_id") as file:
            return file.read().strip()
    except OSError:
        return str(int(time.time() - time.monotonic()) // 60)


def _store_folder(index: str) -> str:
    """Return the folder of the shared pages of an index: in the machine's shared memory
    (/dev/shm) when it has one, else beside the index. They are a cache, lost at a reboot at no
    cost; on the disk, their writes (a page each time one is made or checked) queued behind the
    kernel's writeback of everything else, and every web thread waited with them."""
    base = settings.NEWSARCHIVE_PAGE_STORE_DIR
    if not base and os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK):
        base = f"/dev/shm/newsarchive-pages-{os.geteuid()}"
    name = hashlib.sha256(f"{index}\0{_boot()}".encode()).hexdigest()[:24]
    if not base:
        return os.path.join(index + ".pages", name)
    return os.path.join(base, name)


shared = SharedPages()


def forget_pages() -> None:
    """Forget every kept page, this process's and the shared ones (tests, another archive)."""
    pages.pages.clear()
    shared.clear()


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
        stale_for = settings.NEWSARCHIVE_PAGE_STALE_MS / 1000
        kept, stale = pages.get(version, key, now=made, stale=stale_for)
        answer = "stale" if stale else "hit"
        if kept is None or stale:  # another process may have made or checked it for this state
            other = shared.get(key)
            if other is not None and (kept is None or other.made > kept.made) and (
                    other.version == version or other.depends is not None or made - other.made <= stale_for):
                kept, stale = other, other.version != version
                answer = "stale" if stale else "shared"
                pages.put(key, kept, limit)
        if kept is not None and stale and kept.depends is not None:
            if still_holds(request, kept, version):
                kept, answer = kept._replace(version=version, made=made), "revalidated"
                pages.put(key, kept, limit)
                shared.put(key, kept)
            elif made - kept.made > stale_for:
                pages.discard(key, kept)
                kept = None
            else:  # shown while it is recent enough, as any page; not checked again
                pages.put(key, kept._replace(depends=None), limit)
        if kept is not None:
            response = HttpResponse(kept.content)
            for name, value in kept.headers:
                response[name] = value
            response["X-Page-Cache"] = answer
            return response
        token, asked = _incomplete.set(False), _validator.set(None)
        try:
            with search_reads.recording() as read:
                response = self.get_response(request)
            complete = not _incomplete.get()
            validator = _validator.get()
        finally:
            _incomplete.reset(token)
            _validator.reset(asked)
        if response.status_code == 200 and not response.streaming and complete and not response.cookies:
            headers = [(name, value) for name, value in response.items() if name.lower() != "content-length"]
            depends = None
            if validator is not None and (not validator[2] or (read.searches and not read.whole_index)):
                depends = (validator[0], validator[1], read)
            page = Page(version, made, response.content, headers, depends)
            pages.put(key, page, limit)
            shared.put(key, page)
        return response
