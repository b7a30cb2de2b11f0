"""What a small write does to the segments already there, and what a failed write leaves behind.

Whoosh's default merge policy (MERGE_SMALL) merges every segment up to the first one past a
Fibonacci bound: once a bulk build has left about twenty segments, every one-article edit
merges nearly the whole index, in Python (minutes at 100,000 articles). Edits use
merge_tiers instead: segments of about the same size are merged once `factor` of them exist,
and never into more than max_docs documents, so an edit's commit costs a bounded amount of
work and the bulk-written segments are left alone.

Merging must be able to read every segment. Whoosh's own readers give each posting's value,
and Whoosh writes the spelling field's postings with values that do not fit its format (the
bulk writer wrote none at all: IndexError on the first merge). add_postings merges a spelling
word by its frequency only, the only thing ever read of it (Whoosh's corrector), so it reads
any segment, whoever wrote it.

A write that fails (a commit that raises, a process that is told to stop) is undone by
discard(): the files of segments it was writing, its temporary folder, then its lock.
"""
from __future__ import annotations

import math

from whoosh.index import TOC
from whoosh.reading import SegmentReader

SPELLING_PREFIX = "spell_"  # Whoosh's FieldType.spelling_prefix


def merge_tiers(writer, segments, *, max_docs: int, factor: int = 10):
    """Return the segments to keep; the others are merged into the writer's new segment.

    Segments are grouped by the order of magnitude (base factor) of their live documents; a
    group of at least `factor` segments whose documents add up to max_docs at most is merged.
    Segments with no live document are dropped without being read.
    """
    tiers: dict[int, list] = {}
    for segment in segments:
        live = segment.doc_count()
        if live:
            tiers.setdefault(int(math.log(live, factor)), []).append(segment)
    merged = {id(s) for s in segments if not s.doc_count()}
    for group in tiers.values():
        if len(group) >= factor and sum(s.doc_count() for s in group) <= max_docs:
            for segment in group:
                reader = SegmentReader(writer.storage, writer.schema, segment)
                try:
                    writer.add_reader(reader)
                finally:
                    reader.close()
                merged.add(id(segment))
    return [s for s in segments if id(s) not in merged]


def add_postings(writer, reader, startdoc, docmap) -> None:
    """Add a segment's postings to the writer's pool, as SegmentWriter.add_postings_to_pool does,
    but each spelling word once, with its frequency, without reading its postings' values."""
    schema = writer.schema
    pool = writer.pool
    for fieldname in reader.indexed_field_names():
        if fieldname not in schema:
            continue
        if fieldname.startswith(SPELLING_PREFIX):
            for btext in reader.lexicon(fieldname):
                pool.count_spelling_bytes(fieldname, btext, reader.frequency(fieldname, btext))
            continue
        for btext in reader.lexicon(fieldname):
            matcher = reader.postings(fieldname, btext)
            while matcher.is_active():
                docnum = matcher.id()
                newdoc = docmap[docnum] if docmap is not None else startdoc + docnum
                pool.add((fieldname, btext, newdoc, matcher.weight(), matcher.value()))
                matcher.next()


def discard(writer) -> None:
    """Undo a writer that failed: delete the segment files no generation names, its temporary
    folder, then release its lock (Whoosh's cancel() keeps the files and a commit that raises
    keeps the lock)."""
    if getattr(writer, "is_closed", True):
        return
    for task in getattr(writer, "tasks", ()):  # a multi-process writer's sub-writers: stop them first
        if task.is_alive():
            task.terminate()
        task.join(timeout=5)
    for part in (writer.perdocwriter, writer.fieldwriter):
        try:
            if not part.is_closed:
                part.close()
        except Exception:  # a half-written file: it is deleted below
            pass
    try:
        writer.pool.cleanup()
    except Exception:
        pass
    storage, indexname = writer.storage, writer.indexname
    try:
        live = {s.segment_id() for s in TOC.read(storage, indexname, schema=writer.schema).segments}
        pattern = TOC._segment_pattern(indexname)
        for name in list(storage):
            found = pattern.match(name)
            if found and found.group(1) not in live:
                try:
                    storage.delete_file(name)
                except OSError:
                    pass
    finally:
        writer._finish()  # the temporary folder, then the lock
