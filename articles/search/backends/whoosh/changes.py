"""Which documents each index generation changed: a journal beside the index.

A page kept by a web process (articles.page_cache) may be shown again after an edit of articles
it neither lists nor counts, if it can be told which articles changed since it was made. Each
write through the engine (IndexWriting: an edit, a small import, a removal) notes, once its
commit has succeeded, `<index folder>.changes/<generation>.json`: the generation it started
from and the one it made, each as snapshot.generation_key (number, the TOC file's inode and
time, so that a rebuilt index is never taken for the old one), and the identifiers of the
documents it wrote or deleted. Merges change no document.

A commit made any other way (a rebuild, haystack's clear(), an optimize) notes nothing, nor
does a process killed between its commit and its note, nor a write of more than MAX_NOTED
documents: the generations on either side are then not linked, and `between` answers None
("unknown: anything may have changed") for any span that crosses them. Only an unbroken chain
of notes, each starting where the one before ended, gives an answer.
"""
from __future__ import annotations

import json
import os
import tempfile
import threading
from pathlib import Path

from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC

MAX_NOTED = 1000  # documents a note names; a larger write is "anything may have changed"
MAX_SPAN = 200  # generations `between` follows before answering "unknown"
KEPT = 1000  # notes kept behind the latest one

_lock = threading.Lock()
_read: dict[tuple[str, int], tuple] = {}  # (place, generation) -> (before, after, identifiers)
_in_memory: dict[str, dict[int, tuple]] = {}  # notes of indexes in memory (tests' RamStorage)


def toc_key(storage, indexname: str, generation: int) -> tuple | None:
    """Return snapshot.generation_key of a given generation (None if its TOC is gone)."""
    if not isinstance(storage, FileStorage):
        return (generation,)
    try:
        stat = os.stat(os.path.join(storage.folder, TOC._filename(indexname, generation)))
    except OSError:
        return None
    return (generation, stat.st_ino, stat.st_mtime_ns)


def folder_of(storage) -> Path | None:
    return Path(os.path.realpath(storage.folder) + ".changes") if isinstance(storage, FileStorage) else None


def place_of(storage) -> str:
    """Return what names an index's storage in this process's caches (its folder's real path)."""
    return os.path.realpath(storage.folder) if isinstance(storage, FileStorage) else f"ram:{id(storage)}"


def starting_point(writer) -> tuple | None:
    """Return the key of the generation a writer (holding the index's lock) starts from; read it
    before the commit, which deletes that generation's TOC."""
    return toc_key(writer.storage, writer.indexname, writer.generation - 1)


def note(writer, before: tuple | None, identifiers) -> None:
    """Note that the writer's generation (just committed, from `before`) changed these documents.

    Never raises: without its note a generation is only "unknown" to the pages kept before it."""
    identifiers = sorted(set(identifiers))
    storage, indexname, generation = writer.storage, writer.indexname, writer.generation
    try:
        after = toc_key(storage, indexname, generation)
        folder = folder_of(storage)
        if folder is None:
            notes = _in_memory.setdefault(place_of(storage), {})
            notes.pop(generation, None)
            if before is not None and after is not None and len(identifiers) <= MAX_NOTED:
                notes[generation] = (before, after, frozenset(identifiers))
            for old in [g for g in notes if g < generation - KEPT or g > generation]:
                del notes[old]
            return
        folder.mkdir(exist_ok=True)
        path = folder / f"{generation}.json"
        if before is None or after is None or len(identifiers) > MAX_NOTED:
            path.unlink(missing_ok=True)  # a note of an earlier index with this number
            return
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{generation}.", suffix=".tmp")
        with os.fdopen(handle, "w") as out:
            json.dump({"before": before, "after": after, "changed": identifiers}, out)
        os.replace(temporary, path)
        for entry in os.scandir(folder):
            name = entry.name
            if name.endswith(".json") and name[:-5].isdigit() and not generation - KEPT <= int(name[:-5]) <= generation:
                try:
                    os.unlink(entry.path)
                except OSError:
                    pass
    except OSError:  # a read-only or full disk: pages are made afresh after this write
        pass


def _note(storage, place: str, generation: int, *, again: bool = False) -> tuple | None:
    key = (place, generation)
    with _lock:
        if not again and key in _read:
            return _read[key]
    folder = folder_of(storage)
    if folder is None:
        found = _in_memory.get(place, {}).get(generation)
    else:
        try:
            with open(folder / f"{generation}.json") as file:
                data = json.load(file)
            found = (tuple(data["before"]), tuple(data["after"]), frozenset(data["changed"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None  # not (yet) noted
    with _lock:
        _read[key] = found
        while len(_read) > 4 * KEPT:
            del _read[next(iter(_read))]
    return found


def between(storage, earlier: tuple, later: tuple) -> frozenset[str] | None:
    """Return the identifiers of the documents changed from generation key `earlier` to `later`,
    or None when that is not known (a generation on the way was not noted)."""
    earlier, later = tuple(earlier), tuple(later)
    if earlier == later:
        return frozenset()
    if later[0] <= earlier[0] or later[0] - earlier[0] > MAX_SPAN:
        return None
    place = place_of(storage)
    changed: set[str] = set()
    at = earlier
    for generation in range(earlier[0] + 1, later[0] + 1):
        found = _note(storage, place, generation)
        if found is None or found[0] != at:
            found = _note(storage, place, generation, again=True)  # rewritten since it was read?
            if found is None or found[0] != at:
                return None
        changed |= found[2]
        at = found[1]
        if len(changed) > MAX_NOTED:
            return None
    return frozenset(changed) if at == later else None
