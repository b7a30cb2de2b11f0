"""The Whoosh engine subclass: French analysis, fast searching and facets, bulk indexing.

Everything Whoosh-specific lives here and in the modules it uses (analysis, snapshot,
matching); pages and commands speak only haystack's SearchQuerySet, so SEARCH_URL can point
them at Elasticsearch instead.

Searching keeps haystack's contract (the same result dictionary, facet lists sorted by count
then value with Whoosh's None bucket) but not its method: one searcher is shared per index
generation (articles.search.backends.whoosh.snapshot), the query is evaluated on numpy arrays
(articles.search.backends.whoosh.evaluation), facets are counted with np.bincount over the matching documents,
and results are ranked or date-sorted on arrays. Articles without a date sort last whichever
the direction. A request's repeated calls (count, then the page) share one evaluation.

Exact mode: haystack queries on the `text_exact` field become terms of the document field
marked with EXACT_MARK (analysis.exact_term), indexed beside each word's stem. Spelling
suggestions ("did you mean", INCLUDE_SPELLING) come from articles.search.backends.whoosh.spelling.

Large batches (rebuild_index, update_index) are written by two processes with a cheaper
segment writer (articles.search.backends.whoosh.writing); small ones keep haystack's AsyncWriter.
"""
from __future__ import annotations

import time
import warnings
from collections import OrderedDict
from html import escape

import numpy as np
from django.conf import settings
from django.utils.encoding import force_str
from haystack.backends import log_query
from haystack.backends.whoosh_backend import (
    WhooshEngine,
    WhooshSearchBackend,
    WhooshSearchQuery,
)
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SkipDocument
from haystack.models import SearchResult
from haystack.utils import get_facet_field_name, get_identifier, get_model_ct
from haystack.utils.app_loading import haystack_get_model
from whoosh import query as wq
from whoosh.fields import DATETIME, STORED, TEXT
from whoosh.index import LockError
from whoosh.qparser import QueryParser

from articles.search.backends.whoosh import snapshot as snapshots
from articles.search.backends.whoosh import spelling
from articles.search.backends.whoosh.analysis import EXACT_MARK, FrenchText, french_analyzer, french_exact_analyzer
from articles.search.backends.whoosh.evaluation import EvaluatedQuery, Hits, evaluate
from articles.search.backends.whoosh.snippets import snippet
from articles.search.backends.whoosh.writing import bulk_writer

HIGHLIGHT_TAG = "mark"
QUERY_CACHE_SIZE = 64  # evaluated queries kept per process, for the count-then-page pattern
BULK_MIN_DOCUMENTS = 2000  # a batch at least this large is written by several processes
BULK_PROCESSES = 2
BULK_POOL_MB = 1024  # postings a bulk writer process keeps in memory before spilling to disk
BULK_LOCK_TIMEOUT = 300  # seconds a bulk write waits for another writer to finish
EDIT_LOCK_TIMEOUT = 2.0  # seconds an edit's index update waits for a busy index before leaving it queued

# The haystack field of exact-mode queries (articles.search_indexes). On Whoosh its terms are
# indexed in the document field, marked with EXACT_MARK at the position of each word's stem,
# so this field only analyses queries and is never written.
EXACT_FIELD = "text_exact"

_query_cache: OrderedDict = OrderedDict()


class FrenchWhooshSearchBackend(WhooshSearchBackend):
    """Haystack's Whoosh backend with French text, vectorised searching and bulk writes."""

    facet_sources: set[str] = set()  # faceted fields indexed only as their `_exact` twins

    def build_schema(self, fields):
        content_field_name, schema = super().build_schema(fields)
        for field in fields.values():
            # Haystack indexes a single-valued field as text even when it says indexed=False:
            # only keep its value.
            if field.indexed is False and not field.is_multivalued:
                schema.remove(field.index_fieldname)
                schema.add(field.index_fieldname, STORED())
        # A faceted field is indexed twice by haystack: `actors` and its facet twin
        # `actors_exact`. Pages, filters and facets only use the twin; keeping one copy
        # saves a sixth of the fields each document writes.
        self.facet_sources = {f.index_fieldname for f in fields.values() if f.faceted and f.is_multivalued}
        for name in self.facet_sources:
            schema.remove(name)
        for name in [n for n, f in schema.items() if isinstance(f, TEXT)]:
            old = schema[name]
            schema.remove(name)
            if name == EXACT_FIELD:
                schema.add(name, TEXT(stored=False, analyzer=french_exact_analyzer()))
                continue
            # Not sortable (haystack makes every text field sortable): a sort column of
            # every article body only costs disk and build time.
            schema.add(name, FrenchText(stored=True, analyzer=french_analyzer(), spelling=old.spelling))
        return content_field_name, schema

    # --- writing ------------------------------------------------------------------------------

    def update(self, index, iterable, commit=True):
        """Write the objects' documents; large batches through several processes at once.

        A small write waits at most EDIT_LOCK_TIMEOUT for a busy index, then raises LockError:
        haystack's own writer would wait for ever in a thread, holding up the web request, and
        the change's queued row (articles.search.indexing.queue) keeps it for the queue worker.
        """
        if not self.setup_complete:
            self.setup()
        self.index = self.index.refresh()
        objects = iterable if isinstance(iterable, (list, tuple)) else list(iterable)
        if len(objects) < BULK_MIN_DOCUMENTS:
            docs = list(self._prepared(index, objects))
            writer = self.index.writer(timeout=EDIT_LOCK_TIMEOUT, delay=0.1)
            try:
                for doc in docs:
                    writer.update_document(**doc)
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
            return
        docs = self._prepared(index, objects)  # prepared as the writer processes take them
        writer = self._bulk_writer()
        try:
            # Whoosh's update_document runs a query on every segment for each document: look
            # the document's term up in one reader instead (none is found in a rebuild) and
            # delete only the old versions found. Deletions apply to the segments there were.
            with writer.searcher() as searcher:
                reader = searcher.reader()
                for doc in docs:
                    if (ID, doc[ID]) in reader:
                        writer.delete_by_term(ID, doc[ID], searcher=searcher)
                    writer.add_document(**doc)
        except BaseException:
            writer.cancel()
            raise
        # No merge: merging rewrites existing segments in Python, slower than the build itself.
        writer.commit(merge=False)

    def _prepared(self, index, objects):
        """Yield the objects' documents as Whoosh takes them."""
        for obj in objects:
            try:
                doc = index.full_prepare(obj)
            except SkipDocument:
                continue
            doc.pop("boost", None)
            doc.pop(EXACT_FIELD, None)  # its terms are in the document field
            for name in self.facet_sources:  # indexed as their facet twins only
                doc.pop(name, None)
            yield {key: self._from_python(value) for key, value in doc.items()}

    def remove(self, obj_or_string, commit=True):
        """Delete one document, waiting at most EDIT_LOCK_TIMEOUT for a busy index (then LockError)."""
        if not self.setup_complete:
            self.setup()
        self.index = self.index.refresh()
        writer = self.index.writer(timeout=EDIT_LOCK_TIMEOUT, delay=0.1)
        try:
            writer.delete_by_term(ID, get_identifier(obj_or_string))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def _bulk_writer(self):
        deadline = time.monotonic() + BULK_LOCK_TIMEOUT
        while True:
            try:
                return bulk_writer(self.index, procs=BULK_PROCESSES, limitmb=BULK_POOL_MB)
            except LockError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.25)

    def clear_query_cache(self):
        """Forget evaluated queries and decoded postings: the next search starts afresh."""
        with snapshots.lock:
            _query_cache.clear()
            snapshots.clear_postings_cache()

    # --- searching ----------------------------------------------------------------------------

    @log_query
    def search(self, query_string, sort_by=None, start_offset=0, end_offset=None, fields="", highlight=False,
               facets=None, date_facets=None, query_facets=None, narrow_queries=None, spelling_query=None,
               within=None, dwithin=None, distance_point=None, models=None, limit_to_registered_models=None,
               result_class=None, **kwargs):
        if not self.setup_complete:
            self.setup()
        if date_facets or within or dwithin or distance_point:
            return self._haystack_search(
                query_string, sort_by=sort_by, start_offset=start_offset, end_offset=end_offset,
                highlight=highlight, facets=facets, date_facets=date_facets, query_facets=query_facets,
                narrow_queries=narrow_queries, spelling_query=spelling_query, models=models,
                limit_to_registered_models=limit_to_registered_models, result_class=result_class, **kwargs,
            )
        if query_facets:
            warnings.warn("Whoosh does not handle query faceting.", Warning, stacklevel=2)
        query_string = force_str(query_string)
        # Haystack's rules: an empty or one-character query (but "*") finds nothing.
        if not query_string or (len(query_string) <= 1 and query_string != "*"):
            return {"results": [], "hits": 0}
        sort = _sort_spec(sort_by, self.schema)
        if sort is False:  # a sort the arrays cannot do: haystack's way
            return self._haystack_search(
                query_string, sort_by=sort_by, start_offset=start_offset, end_offset=end_offset,
                highlight=highlight, facets=facets, narrow_queries=narrow_queries, spelling_query=spelling_query,
                models=models, limit_to_registered_models=limit_to_registered_models,
                result_class=result_class, **kwargs,
            )
        narrow = set(narrow_queries or ())
        model_choices = self._model_choices(models, limit_to_registered_models)
        if model_choices:
            narrow.add(" OR ".join(f"{DJANGO_CT}:{ct}" for ct in model_choices))

        with snapshots.lock:
            snap = snapshots.current(self.index)
            if not snap.doc_count():
                return {"results": [], "hits": 0, "spelling_suggestion": self._spelling(query_string, spelling_query)}
            parsed = self._parse(query_string)
            if parsed is None:
                return {"results": [], "hits": 0, "spelling_suggestion": self._spelling(query_string, spelling_query)}
            entry = self._evaluated(snap, parsed, query_string, sort, narrow)
            start = start_offset or 0
            stop = entry.size if end_offset is None else min(end_offset, entry.size)
            page = entry.page(snap, start, stop) if stop > start else []
            facet_lists = entry.facet_lists(snap, facets) if facets else {}
            stored = [(snap.searcher.stored_fields(int(docnum)), score) for docnum, score in page]
        return {
            "results": self._results(stored, highlight, query_string, result_class),
            "hits": entry.size,
            "facets": {"fields": facet_lists, "dates": {}, "queries": {}} if facets else {},
            "spelling_suggestion": self._spelling(query_string, spelling_query),
        }

    def _evaluated(self, snap, parsed, query_string, sort, narrow) -> "EvaluatedQuery":
        key = (snap.key, id(snap), query_string, sort, frozenset(narrow))
        entry = _query_cache.get(key)
        if entry is None:
            hits = evaluate(parsed, snap)
            for narrow_query in narrow:
                kept = evaluate(self._parse(force_str(narrow_query)), snap).docs
                keep = np.isin(hits.docs, kept, assume_unique=True)
                hits = Hits(hits.docs[keep], hits.scores[keep])
            entry = _query_cache[key] = EvaluatedQuery(hits, sort)
            while len(_query_cache) > QUERY_CACHE_SIZE:
                _query_cache.popitem(last=False)
        else:
            _query_cache.move_to_end(key)
        return entry

    def _model_choices(self, models, limit_to_registered_models):
        if models:
            return sorted(get_model_ct(model) for model in models)
        if limit_to_registered_models is None:
            limit_to_registered_models = getattr(settings, "HAYSTACK_LIMIT_TO_REGISTERED_MODELS", True)
        return self.build_models_list() if limit_to_registered_models else []

    def _parse(self, query_string: str):
        """Parse a query string; exact-mode terms become marked terms of the document field."""
        parsed = self.parser.parse(query_string)
        if parsed is None or EXACT_FIELD not in self.schema:
            return parsed
        return parsed.accept(self._exact_to_content)

    def _exact_to_content(self, node):
        if getattr(node, "fieldname", None) != EXACT_FIELD:
            return node
        node = node.copy()
        node.fieldname = self.content_field_name
        if isinstance(node, (wq.PatternQuery, wq.Term)) and isinstance(node.text, str) and not node.text.startswith(EXACT_MARK):
            node.text = EXACT_MARK + node.text.lower()
        return node

    def _spelling(self, query_string, spelling_query):
        if not self.include_spelling:
            return None
        return self.create_spelling_suggestion(spelling_query or query_string)

    def create_spelling_suggestion(self, query_string):
        """Return the query's words with each word the index does not know corrected, or None.

        Words are kept in their order, so that a caller can put the corrections back into its
        own query; field filters (name:value) and operators are left out.
        """
        words = []
        for word in force_str(query_string or "").split():
            if ":" in word.strip("():") or word in self.RESERVED_WORDS:
                continue
            for character in self.RESERVED_CHARACTERS:
                if character != "-":
                    word = word.replace(character, "")
            if word.strip("-"):
                words.append(word.strip("-"))
        if not words:
            return None
        with snapshots.lock:
            snap = snapshots.current(self.index)
            if not snap.doc_count():
                return None
            corrected = [spelling.correct(snap, self.content_field_name, w) or w for w in words]
        return " ".join(corrected) if corrected != words else None

    def _results(self, stored, highlight, query_string, result_class):
        """Turn stored fields into SearchResults as haystack's Whoosh backend does."""
        from haystack import connections

        result_class = result_class or SearchResult
        unified_index = connections[self.connection_alias].get_unified_index()
        indexed_models = unified_index.get_indexed_models()
        terms = self._content_terms(query_string) if highlight else set()
        results = []
        for raw, score in stored:
            app_label, model_name = raw[DJANGO_CT].split(".")
            model = haystack_get_model(app_label, model_name)
            if not model or model not in indexed_models:
                continue
            index = unified_index.get_index(model)
            values = {}
            for key, value in raw.items():
                field = index.fields.get(str(key))
                if field is not None and hasattr(field, "convert"):
                    if field.is_multivalued:
                        values[str(key)] = value.split(",") if value else []
                    else:
                        values[str(key)] = field.convert(value)
                else:
                    values[str(key)] = self._to_python(value)
            del values[DJANGO_CT]
            del values[DJANGO_ID]
            for name in self.facet_sources:  # result.actors: the values kept in actors_exact
                values.setdefault(name, values.get(get_facet_field_name(name), []))
            if highlight:
                text = values.get(self.content_field_name) or ""
                values["highlighted"] = {self.content_field_name: [self.highlight_text(text, terms)]}
            results.append(result_class(app_label, model_name, raw[DJANGO_ID], score, **values))
        return results

    def _haystack_search(self, query_string, start_offset=0, end_offset=None, highlight=False, **kwargs):
        """Search the way haystack does, for what the arrays do not cover (date facets, sorts)."""
        # Haystack turns a slice into a Whoosh page whose size is the slice's length, so a short
        # last page such as [20:23] becomes page 7 of 3 (items 18-20). Fetch from the start
        # instead when the slice is not page-aligned, and keep the asked part.
        length = None if end_offset is None else end_offset - start_offset
        aligned = not length or length <= 0 or start_offset % length == 0
        results = super().search(
            query_string, start_offset=start_offset if aligned else 0, end_offset=end_offset, highlight=False, **kwargs
        )
        if not aligned:
            results["results"] = results["results"][start_offset:]
        if highlight and results["results"]:
            terms = self._content_terms(query_string)
            for result in results["results"]:
                text = getattr(result, self.content_field_name, "") or ""
                result.highlighted = {self.content_field_name: [self.highlight_text(text, terms)]}
        return results

    # --- highlighting -------------------------------------------------------------------------

    def _content_terms(self, query_string: str) -> set[str]:
        """Return the analysed words of the query that search the article text."""
        parser = QueryParser(self.content_field_name, schema=self.schema)
        query = parser.parse(query_string)
        if EXACT_FIELD in self.schema:
            query = query.accept(self._exact_to_content)
        return {
            text.decode("utf-8") if isinstance(text, bytes) else text
            for field, text in query.iter_all_terms()
            if field == self.content_field_name
        }

    def highlight_text(self, text: str, terms: set[str]) -> str:
        """Return fragments of text around the terms, HTML-escaped, terms wrapped in <mark>."""
        found = snippet(text, frozenset(terms), HIGHLIGHT_TAG)
        if found:
            return found
        lead = text[:240]
        return escape(lead, quote=False) + (" …" if len(text) > 240 else "")


def _sort_spec(sort_by, schema):
    """Return None (by score), (field, reverse) for a date sort, or False for another sort."""
    if not sort_by:
        return None
    names = [name.lstrip("-") for name in sort_by]
    reverse = sort_by[0].startswith("-")
    if len(names) != 1 or names[0] not in schema or not isinstance(schema[names[0]], DATETIME):
        return False
    return names[0], reverse


class FrenchWhooshEngine(WhooshEngine):
    backend = FrenchWhooshSearchBackend
    query = WhooshSearchQuery
