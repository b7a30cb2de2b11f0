"""Arrays derived from an index segment, written once next to the index and memory-mapped.

A segment never changes once written (only its deletions do), so what the engine derives from
it (term statistics, facet pairs, field lengths, date columns) is valid for as long as the
segment exists. Each array is saved as `<segment id>.<name>.npy` in the folder beside the
index (`<index folder>.derived`) by the first process that needs it (a temporary file, then an
atomic rename, so that two processes deriving the same array at once both end with a whole
one), and every process maps the file read-only: the operating system keeps one copy in memory
for all the workers, and a new worker reads only the pages it touches. Files of segments that
are gone are deleted when a generation without them is opened. An index in memory (tests'
RamStorage) keeps its arrays in the process.
"""
from __future__ import annotations

import mmap
import os
import re
import tempfile
from pathlib import Path

import numpy as np

_SEGMENT_FILE = re.compile(r"^([^.]+)\.[\w-]+\.npy$")
# np.save's version 1.0 header of a plain array, padded to 128 bytes: {'descr': '<u8', 'fortran_order': False, 'shape': (3, 2), }
_SIMPLE_HEADER = re.compile(rb"^\x93NUMPY\x01\x00.{2}\{'descr': '([<>|][a-zA-Z]\d*)', 'fortran_order': False, 'shape': \(([\d, ]*)\), \} *\n$", re.S)


def folder_of(place: str) -> Path | None:
    """Return the folder of derived arrays for the index at place (None: an index in memory)."""
    return None if place.startswith("ram:") else Path(place + ".derived")


def segment_array(place: str, segment_id: str, name: str, build) -> np.ndarray:
    """Return the segment's array `name`, mapped from its file; build() makes it the first time."""
    folder = folder_of(place)
    if folder is None:
        return np.asarray(build())
    path = folder / f"{segment_id}.{name}.npy"
    try:
        return _mapped(path)
    except (FileNotFoundError, ValueError):  # missing, or cut short by a process killed mid-write
        pass
    array = np.ascontiguousarray(build())
    if not array.size:  # numpy cannot map an empty array; it costs nothing to derive again
        return array
    try:
        folder.mkdir(exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{segment_id}.", suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            np.save(out, array, allow_pickle=False)
        os.replace(temporary, path)
    except OSError:  # a read-only or full disk: serve from memory, derive again next time
        return array
    return _mapped(path)


def _mapped(path: Path) -> np.ndarray:
    """Map a .npy file read-only (np.load's mmap_mode costs ten times as much per file)."""
    with open(path, "rb") as file:
        head = file.read(128)
        simple = _SIMPLE_HEADER.match(head)
        if simple:  # what np.save writes for a plain array: no need for numpy's literal_eval
            dtype, fortran_order = np.dtype(simple.group(1).decode()), False
            shape = tuple(int(n) for n in simple.group(2).split(b",") if n.strip())
            offset = len(head)
        else:
            file.seek(0)
            version = np.lib.format.read_magic(file)
            read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
            shape, fortran_order, dtype = read_header(file)
            offset = file.tell()
        count = int(np.prod(shape))
        if fortran_order or dtype.hasobject or not count:
            raise ValueError(f"{path.name} is not an array this module wrote")
        mapped = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
    return np.frombuffer(mapped, dtype=dtype, count=count, offset=offset).reshape(shape)


def forget_other_segments(place: str, live: set[str]) -> None:
    """Delete the derived files of segments that are not in `live` (a process still mapping one
    keeps its pages: the file goes when the last map does)."""
    folder = folder_of(place)
    if folder is None or not folder.is_dir():
        return
    for entry in os.scandir(folder):
        found = _SEGMENT_FILE.match(entry.name)
        if found and found.group(1) not in live:
            try:
                os.unlink(entry.path)
            except OSError:
                pass


def forget_others_named(place: str, segment_id: str, prefix: str, *, keep: str) -> None:
    """Delete the segment's other derived files whose name starts with prefix (earlier
    generations' whole-index arrays kept under that segment)."""
    folder = folder_of(place)
    if folder is None or not folder.is_dir():
        return
    for path in folder.glob(f"{segment_id}.{prefix}*.npy"):
        if path.name != f"{segment_id}.{keep}.npy":
            try:
                path.unlink()
            except OSError:
                pass
