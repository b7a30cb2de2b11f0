"""The Whoosh engine's tuning, read from its haystack connection (HAYSTACK_CONNECTIONS[...]).

Each option is a key of the connection beside haystack's own (PATH, INCLUDE_SPELLING ...);
a connection that names none gets these defaults.
"""
from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Tuning:
    highlight_tag: str = "em"  # HIGHLIGHT_TAG: the element that marks a searched word (haystack's <em>)
    bulk_min_documents: int = 2000  # BULK_MIN_DOCUMENTS: a batch this large is written by several processes
    bulk_processes: int = 2  # BULK_PROCESSES
    bulk_pool_mb: int = 1024  # BULK_POOL_MB: postings a bulk writer process keeps in memory before spilling to disk
    bulk_lock_timeout: float = 300.0  # BULK_LOCK_TIMEOUT: seconds a bulk write waits for another writer
    edit_lock_timeout: float = 2.0  # EDIT_LOCK_TIMEOUT: seconds a small write waits for a busy index, then LockError
    edit_merge_max_docs: int = 1000  # EDIT_MERGE_MAX_DOCS: an edit's commit merges small segments into one of at most this many documents
    query_cache_size: int = 64  # QUERY_CACHE_SIZE: evaluated queries kept per index generation (count, then page)
    postings_cache_size: int = 8_000_000  # POSTINGS_CACHE_SIZE: decoded postings kept per index generation (~100 MB)

    @classmethod
    def from_connection(cls, options: dict) -> "Tuning":
        """Return the tuning a connection's options ask for; unknown types raise ValueError."""
        values = {}
        for field in fields(cls):
            key = field.name.upper()
            if key in options:
                kind = type(field.default)
                try:
                    values[field.name] = kind(options[key])
                except (TypeError, ValueError):
                    raise ValueError(f"the search connection's {key} must be a {kind.__name__}, not {options[key]!r}") from None
        return cls(**values)
