"""Whoosh's compound segment files read straight from their memory map, never copied.

Whoosh 2.7 maps a compound segment file (`.seg`), then wraps each part it opens (postings, term
table, stored fields ...) in a BufferFile whose reads go through `BytesIO(part)`
(filedb/structfile.py), a private copy of the whole part: every process that opened the index
held all its postings and term tables (1.1 GB at 100,000 articles) and spent a second copying
them. Here the parts are read from the map through a memoryview: pages are read on demand, from
the page cache every process shares. Reading through the file instead (storage.supports_mmap =
False) avoids the copy too, but makes every small read of a term lookup a system call: more like
this took three times as long.

Installed by importing this module (the engine does): CompoundStorage.open_file looks BufferFile
up in its own module.
"""
from __future__ import annotations

from whoosh.filedb import compound
from whoosh.filedb.structfile import BufferFile


class ViewReader:
    """The file interface StructFile needs (read, readline, readinto, seek, tell) over a memoryview."""

    __slots__ = ("_view", "_position")

    def __init__(self, view):
        self._view = memoryview(view)
        self._position = 0

    def read(self, size=-1) -> bytes:
        start, length = self._position, len(self._view)
        end = length if size is None or size < 0 else min(length, start + size)
        self._position = end
        return bytes(self._view[start:end])

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)

    def readline(self, size=-1) -> bytes:
        line = bytearray()
        while size is None or size < 0 or len(line) < size:
            character = self.read(1)
            line += character
            if not character or character == b"\n":
                break
        return bytes(line)

    def seek(self, offset: int, whence: int = 0) -> int:
        base = (0, self._position, len(self._view))[whence]
        self._position = max(0, base + offset)
        return self._position

    def tell(self) -> int:
        return self._position

    def close(self) -> None:
        self._view.release()


class MappedBufferFile(BufferFile):
    """Whoosh's BufferFile, reading from the buffer it is given instead of a copy of it."""

    def __init__(self, buf, name=None, onclose=None):
        self._buf = buf
        self._name = name
        self.file = ViewReader(buf)
        self.onclose = onclose
        self.is_real = False
        self.is_closed = False


compound.BufferFile = MappedBufferFile
