"""The Whoosh engine subclass: analysis field by field, fast searching and facets, bulk indexing.

Everything Whoosh-specific lives here and in the modules beside it (analysis, snapshot,
evaluation, writing, snippets, spelling); pages and commands speak only haystack's
SearchQuerySet, so SEARCH_URL can point them at Elasticsearch instead.

It keeps haystack's contract, and haystack's own Whoosh tests pass on it (see the README for
the few deliberate differences): a field analysed as its index declares (haystack's
StemmingAnalyzer when it declares nothing; analyzer="french" or "french_exact" for the
analyses of analysis.named_analyzer), the same result dictionary, facet lists sorted by count
then value with Whoosh's None bucket. Searching does not go haystack's way: one searcher is
shared per index generation (snapshot), the query is evaluated on numpy arrays (evaluation),
facets are counted with np.bincount over the matching documents, and results are ranked or
date-sorted on arrays. Articles without a date sort last whichever the direction. A request's
repeated calls (count, then the page) share one evaluation, kept by the index generation.

An exact-mode field (articles.search.fields.ExactTextField, exact_of="text") is never written:
its terms are indexed in the field it is the exact mode of, marked with EXACT_MARK at the
position of each word's stem, and queries on it become queries for those terms. A faceted
multi-valued field is indexed once, as its facet twin (`actors_exact`); queries on its own
name are turned into queries on the twin, whose terms are the same.

Tuning (highlight markup, bulk writes, lock waits, caches) comes from the connection's options
(options.Tuning).
"""
from __future__ import annotations

import bisect
import copy
import warnings
from collections import OrderedDict

import numpy as np
from django.conf import settings
from django.utils.encoding import force_str
from haystack.backends import log_query
from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend, WhooshSearchQuery
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.models import SearchResult
from haystack.utils import get_facet_field_name, get_identifier, get_model_ct
from haystack.utils.app_loading import haystack_get_model
from whoosh import query as wq
from whoosh.fields import DATETIME, STORED, TEXT
from whoosh.qparser import QueryParser
from whoosh.searching import Searcher

from articles.search import reads as search_reads
from articles.search.backends.whoosh import changes
from articles.search.backends.whoosh import snapshot as snapshots
from articles.search.backends.whoosh import compound, similar, spelling  # noqa: F401  (compound: segment files read from their map)
from articles.search.backends.whoosh.analysis import EXACT_MARK, FrenchAnalyzer, FrenchText, named_analyzer
from articles.search.backends.whoosh.evaluation import EvaluatedQuery, Hits, capped_expansions, evaluate, existing_terms
from articles.search.backends.whoosh.options import Tuning
from articles.search.backends.whoosh.snippets import lead, snippet
from articles.search.backends.whoosh.writing import IndexWriting

LEAD_CHARS = 240  # the start of a text shown when no searched word is in it


class RewritingQueryParser(QueryParser):
    """Whoosh's query parser, then `rewrite` applied to every node of the parsed query."""

    def __init__(self, fieldname, schema, rewrite, **kwargs):
        super().__init__(fieldname, schema, **kwargs)
        self.rewrite = rewrite

    def parse(self, text, normalize=True, debug=False):
        parsed = super().parse(text, normalize=normalize, debug=debug)
        return parsed.accept(self.rewrite) if parsed is not None else None


class FrenchWhooshSearchBackend(IndexWriting, WhooshSearchBackend):
    """Haystack's Whoosh backend with declared analyses, vectorised searching and bulk writes."""

    facet_sources: set[str] = set()  # faceted multi-valued fields indexed only as their `_exact` twins
    exact_fields: dict[str, str] = {}  # exact-mode field -> the field that carries its terms

    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        self.tuning = Tuning.from_connection(connection_options)

    def setup(self):
        super().setup()
        # Queries may name the fields that are not written (an exact-mode field, the source of
        # a facet twin): the parser knows them, and rewrite() sends them where the terms are.
        schema = copy.deepcopy(self.schema)  # Schema.copy() fails on spelling subfields
        for name in self.facet_sources:
            twin = get_facet_field_name(name)
            if twin in schema and name not in schema:
                schema.add(name, schema[twin])
        self.parser = RewritingQueryParser(self.content_field_name, schema, self.rewrite)
        self._parsed_strings = OrderedDict()  # query string -> its parsed query, for this parser

    def build_schema(self, fields):
        self.exact_fields = {
            f.index_fieldname: f.exact_of for f in fields.values() if getattr(f, "exact_of", None)
        }
        carriers = set(self.exact_fields.values())
        analyzers = {
            f.index_fieldname: named_analyzer(f.analyzer, exact_terms=f.index_fieldname in carriers)
            for f in fields.values() if isinstance(f.analyzer, str)
        }
        # Haystack passes a field's analyzer= to Whoosh as it is: give it the named analysis.
        resolved = {}
        for key, field in fields.items():
            if field.index_fieldname in analyzers:
                field = copy.copy(field)
                field.analyzer = analyzers[field.index_fieldname]
            resolved[key] = field
        content_field_name, schema = super().build_schema(resolved)
        for field in fields.values():
            name = field.index_fieldname
            # Haystack indexes a CharField as text even when it says indexed=False: keep only
            # its value.
            if field.indexed is False and not field.is_multivalued and field.field_type == "string":
                schema.remove(name)
                schema.add(name, STORED())
            elif isinstance(field.analyzer, str) and isinstance(schema[name], TEXT):
                old = schema[name]
                schema.remove(name)
                if name in self.exact_fields:  # only analyses queries: never written
                    schema.add(name, TEXT(stored=False, analyzer=analyzers[name]))
                    continue
                # Not sortable (haystack makes every text field sortable): a sort column of
                # every article body only costs disk and build time.
                schema.add(name, FrenchText(stored=True, analyzer=analyzers[name], spelling=old.spelling, field_boost=field.boost))
        # A faceted multi-valued field is indexed twice by haystack: `actors` and its twin
        # `actors_exact`, with the same terms. Keeping one copy saves a sixth of the fields each
        # article writes; queries on `actors` are sent to the twin (rewrite).
        self.facet_sources = {f.index_fieldname for f in fields.values() if f.faceted and f.is_multivalued}
        for name in self.facet_sources:
            schema.remove(name)
        return content_field_name, schema

    def rewrite(self, node):
        """Send a query node on a field that is not written to the field that has its terms."""
        fieldname = getattr(node, "fieldname", None)
        if fieldname in self.exact_fields:
            node = node.copy()
            node.fieldname = self.exact_fields[fieldname]
            if isinstance(node, (wq.PatternQuery, wq.Term)) and isinstance(node.text, str) and not node.text.startswith(EXACT_MARK):
                node.text = EXACT_MARK + node.text.lower()
        elif fieldname in self.facet_sources:
            node = node.copy()
            node.fieldname = get_facet_field_name(fieldname)
        return node

    def scan(self, query_string, *, chunk_size: int = 5000, **kwargs):
        """Yield every result of a search in its order, a chunk at a time; the chunks share one
        evaluation of the query (kept by the index generation)."""
        for unused in ("start_offset", "end_offset", "facets", "highlight", "spelling_query"):
            kwargs.pop(unused, None)
        start = 0
        while True:
            found = self.search(query_string, start_offset=start, end_offset=start + chunk_size, **kwargs)
            yield from found["results"]
            start += chunk_size
            if start >= found["hits"]:
                return

    def generation(self):
        """Return what changes whenever the index does: its generation, or a rebuild."""
        if not self.setup_complete:
            self.setup()
        return snapshots.generation_key(self.index.storage, self.index.indexname)

    def changes_between(self, earlier, later):
        """Return the identifiers ("app.model.pk") of the documents written or deleted from one
        generation() to another, or None when that is not known (changes.py)."""
        if not self.setup_complete:
            self.setup()
        return changes.between(self.index.storage, earlier, later)

    def matching(self, query_string: str, narrow_queries, pks) -> set[int]:
        """Return which of these primary keys' documents match the query and every narrow query
        in the latest generation, asking only the segments that hold them, with Whoosh's own
        matchers (a page kept across an edit asks this of the few articles changed since)."""
        if not self.setup_complete:
            self.setup()
        wanted = np.asarray(sorted(set(pks)), dtype=np.int64)
        found: set[int] = set()
        with snapshots.lock:
            snap = snapshots.current(self.index, postings_cache_size=self.tuning.postings_cache_size)
            if not snap.doc_count() or not len(wanted):
                return found
            live = snap.live_docs
            docs = live[np.isin(snap.document_pks(live), wanted)]
            if not len(docs):
                return found
            queries = [self._parse(force_str(q)) for q in (query_string, *sorted(narrow_queries or ()))]
            if any(q is None for q in queries):  # parsed to nothing: matches nothing
                return found
            leaves = [(reader, offset) for reader, offset in snap.searcher.reader().leaf_readers()]
            starts = [offset for _, offset in leaves]
            searchers = {}
            for doc, pk in zip(docs.tolist(), snap.document_pks(docs).tolist()):
                reader, offset = leaves[bisect.bisect_right(starts, doc) - 1]
                searcher = searchers.get(id(reader))
                if searcher is None:
                    searcher = searchers[id(reader)] = Searcher(reader, closereader=False)
                if all(_matches(query, searcher, doc - offset) for query in queries):
                    found.add(pk)
        return found

    def known_words(self, words) -> bool:
        """Return whether the index still knows each of these words as "did you mean" looks them
        up (a word whose stem no article, or deleted copy not yet merged away, holds is unknown)."""
        if not self.setup_complete:
            self.setup()
        with snapshots.lock:
            snap = snapshots.current(self.index, postings_cache_size=self.tuning.postings_cache_size)
            return bool(snap.doc_count()) and not any(spelling.unknown(snap, self.content_field_name, w) for w in words)

    def clear_query_cache(self):
        """Forget evaluated queries and decoded postings: the next search starts afresh."""
        snapshots.clear_caches()

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

        reads = search_reads.current()
        with snapshots.lock:
            snap = snapshots.current(self.index, postings_cache_size=self.tuning.postings_cache_size)
            parsed = self._parsed(snap, query_string) if snap.doc_count() else None
            if parsed is None:
                if reads is not None:
                    reads.search(query_string, narrow, np.zeros(0, dtype=np.int64))
                return {"results": [], "hits": 0, "spelling_suggestion": self._spelling(query_string, spelling_query)}
            entry = self._evaluated(snap, parsed, query_string, sort, narrow)
            if reads is not None:
                docs = entry.hits.docs
                if capped_expansions(parsed, snap):
                    reads.whole_index = True
                reads.search(query_string, narrow, snap.document_pks(docs) if len(docs) <= search_reads.MAX_MATCHES else None)
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

    def _parsed(self, snap, query_string: str, *, terms: bool = False):
        """Return the parsed query (or, with terms, the content terms a snippet marks) of a query
        string. The parser's work grows with the query (20 ms for a query of 65 prefixes) and
        depends on the schema only: parsed queries are kept across generations (_parse); the
        terms, prefixes expanded to the index's words, by the index generation."""
        if not terms:
            return self._parse(query_string)
        key = (self.connection_alias, query_string, terms)
        if key in snap.parsed:
            snap.parsed.move_to_end(key)
            return snap.parsed[key]
        query = self._parse(query_string)
        value = existing_terms(query, snap, self.content_field_name) if query is not None else frozenset()
        snap.parsed[key] = value
        while len(snap.parsed) > 2 * self.tuning.query_cache_size:
            snap.parsed.popitem(last=False)
        return value

    def _parse(self, query_string: str):
        """Return the parsed query of a query string, kept for the process (under snapshots.lock)."""
        parsed = self._parsed_strings
        if query_string in parsed:
            parsed.move_to_end(query_string)
            return parsed[query_string]
        value = parsed[query_string] = self.parser.parse(query_string)
        while len(parsed) > 2 * self.tuning.query_cache_size:
            parsed.popitem(last=False)
        return value

    def _evaluated(self, snap, parsed, query_string, sort, narrow) -> EvaluatedQuery:
        key = (self.connection_alias, query_string, sort, frozenset(narrow))
        entry = snap.queries.get(key)
        if entry is None:
            hits = evaluate(parsed, snap)
            for narrow_query in narrow:
                kept = evaluate(self._parse(force_str(narrow_query)), snap).docs
                keep = np.isin(hits.docs, kept, assume_unique=True)
                hits = Hits(hits.docs[keep], hits.scores[keep])
            entry = snap.queries[key] = EvaluatedQuery(hits, sort)
            while len(snap.queries) > self.tuning.query_cache_size:
                snap.queries.popitem(last=False)
        else:
            snap.queries.move_to_end(key)
        return entry

    def _model_choices(self, models, limit_to_registered_models):
        if models:
            return sorted(get_model_ct(model) for model in models)
        if limit_to_registered_models is None:
            limit_to_registered_models = getattr(settings, "HAYSTACK_LIMIT_TO_REGISTERED_MODELS", True)
        return self.build_models_list() if limit_to_registered_models else []

    def more_like_this(self, model_instance, additional_query_string=None, start_offset=0, end_offset=None,
                       models=None, limit_to_registered_models=None, result_class=None, **kwargs):
        """Haystack's more_like_this: Whoosh's key terms of the article, then their search, both on
        the index generation's arrays (similar.py); Whoosh's own took seconds at 100,000 articles."""
        if not self.setup_complete:
            self.setup()
        search_reads.depends_on_whole_index()  # any article's text may make it more like this one
        narrow = set()
        model_choices = self._model_choices(models, limit_to_registered_models)
        if model_choices:
            narrow.add(" OR ".join(f"{DJANGO_CT}:{ct}" for ct in model_choices))
        if additional_query_string and additional_query_string != "*":
            narrow.add(additional_query_string)
        with snapshots.lock:
            snap = snapshots.current(self.index, postings_cache_size=self.tuning.postings_cache_size)
            docnum = snap.searcher.document_number(**{ID: get_identifier(model_instance)}) if snap.doc_count() else None
            if docnum is None:
                return {"results": [], "hits": 0}
            allowed = None
            for narrow_query in narrow:
                docs = evaluate(self._parse(force_str(narrow_query)), snap).docs
                allowed = docs if allowed is None else np.intersect1d(allowed, docs, assume_unique=True)
            found = EvaluatedQuery(similar.more_like(snap, docnum, self.content_field_name, allowed), None)
            # Haystack's SearchQuerySet never passes the slice to more_like_this: without one, the
            # first ten (as Whoosh's more_like), not every article that shares a word.
            stop = min(end_offset or 10, found.size)
            start = start_offset or 0
            page = found.page(snap, start, stop) if stop > start else []
            stored = [(snap.searcher.stored_fields(d), score) for d, score in page]
            hits = found.size
        return {"results": self._results(stored, False, "", result_class), "hits": hits, "spelling_suggestion": None}

    def _spelling(self, query_string, spelling_query):
        if not self.include_spelling:
            return None
        return self.create_spelling_suggestion(spelling_query or query_string)

    def create_spelling_suggestion(self, query_string):
        """Return the query's words with each word the index does not know corrected, or None.

        Words are kept in their order, so that a caller can put the corrections back into its
        own query; field filters (name:value) and operators are left out. A document field not
        analysed in French gets haystack's suggestions (Whoosh's corrector).
        """
        if not isinstance(self.schema[self.content_field_name].analyzer, FrenchAnalyzer):
            search_reads.depends_on_whole_index()
            return super().create_spelling_suggestion(query_string)
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
            snap = snapshots.current(self.index, postings_cache_size=self.tuning.postings_cache_size)
            if not snap.doc_count():
                return None
            reads = search_reads.current()
            if reads is not None:
                for word in words:
                    if spelling.unknown(snap, self.content_field_name, word):
                        # Its correction, or its lack of one, holds for this generation's words only.
                        reads.whole_index = True
                        break
                    reads.word(word)  # known: no correction, while it stays known (known_words)
            corrected = [spelling.correct(snap, self.content_field_name, w) or w for w in words]
        return " ".join(corrected) if corrected != words else None

    def _results(self, stored, highlight, query_string, result_class):
        """Turn stored fields into SearchResults as haystack's Whoosh backend does."""
        from haystack import connections

        result_class = result_class or SearchResult
        unified_index = connections[self.connection_alias].get_unified_index()
        indexed_models = unified_index.get_indexed_models()
        terms = self._content_terms(query_string) if highlight and stored else set()
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
                values["highlighted"] = {self.content_field_name: [self.highlight_text(text, terms, title=values.get("title") or "")]}
            results.append(result_class(app_label, model_name, raw[DJANGO_ID], score, **values))
        return results

    def _haystack_search(self, query_string, start_offset=0, end_offset=None, highlight=False, **kwargs):
        """Search the way haystack does, for what the arrays do not cover (date facets, sorts)."""
        search_reads.depends_on_whole_index()  # not noted: Whoosh's own search
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
                result.highlighted = {self.content_field_name: [self.highlight_text(text, terms, title=getattr(result, "title", "") or "")]}
        return results

    # --- highlighting -------------------------------------------------------------------------

    def _content_terms(self, query_string: str) -> set[str]:
        """Return the analysed words of the query that search the document field, prefixes
        and wildcards expanded to the index's words they stand for."""
        with snapshots.lock:
            snap = snapshots.current(self.index, postings_cache_size=self.tuning.postings_cache_size)
            return set(self._parsed(snap, query_string, terms=True))

    def highlight_text(self, text: str, terms: set[str], *, title: str = "") -> str:
        """Return fragments of text around the terms, HTML-escaped, each term in HIGHLIGHT_TAG.

        The document text starts with the title, which a result shows as its heading: the
        fragments come from the rest, the article's own text, so a snippet never runs the title
        into the text; cuts are marked with "…".
        """
        if title and text.startswith(title):
            text = text[len(title):].lstrip()
        analyzer = self.schema[self.content_field_name].analyzer
        found = snippet(text, frozenset(terms), analyzer, self.tuning.highlight_tag)
        return found or lead(text, LEAD_CHARS)


def _matches(query, searcher, docnum: int) -> bool:
    """Return whether a document of the searcher's (one segment's) reader matches a query."""
    matcher = query.matcher(searcher)
    if not matcher.is_active():
        return False
    if matcher.id() < docnum:
        matcher.skip_to(docnum)
    return matcher.is_active() and matcher.id() == docnum


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
