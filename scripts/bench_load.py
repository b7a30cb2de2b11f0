"""Store a benchmark corpus with PostgreSQL's COPY: the rows articles_bulk_upsert would write.

bench_search.py stored its articles through articles.services.articles_bulk_upsert, about 150
articles a second (1.9 hours for a million): every batch looked its 1,000 or so actors up again,
and Django inserts with one parameterised INSERT per batch. Here:

- sources, actors and tags are found or created through the services (source_for, actor_for,
  tag_for), once per name, in the order the bulk service meets them, so they get the same rows
  and the same ids;
- each article and its links are made by the services' own helpers (_extracted_fields with its
  MinHash signature, _wanted_actors, _new_link) as unsaved model instances, in worker processes
  (the MinHash signature is most of the cost), and turned into COPY rows by the model fields
  themselves (pre_save, get_db_prep_save: auto_now dates, defaults, JSON, arrays);
- the main process draws the corpus (one random generator, so it stays sequential) and COPYs the
  rows; articles get the ids the sequence would have given (1..N after the truncate), links take
  their ids from their sequence. Foreign keys are not checked row by row during the load
  (session_replication_role = replica: the referenced rows are made first, by construction) but
  once at the end, by one query per link table that must find no orphan.
"""
from __future__ import annotations

import io
import json
import multiprocessing
import sys
import time
from collections import deque
from datetime import date, datetime

BATCH = 1000


def load(corpus, *, workers: int = 2, progress=True) -> float:
    """Store the corpus (after emptying the article tables); return articles per second."""
    from django.db import connection

    from articles import services

    truncate()
    services.countries_sync()
    names = Names()
    started = time.perf_counter()
    context = multiprocessing.get_context("fork")
    if not connection.in_atomic_block:
        connection.close()  # the forked workers never use the parent's connection
    with context.Pool(workers) as pool:
        pending = deque()
        for start in range(0, corpus.n, BATCH):
            items = corpus.articles(start, min(corpus.n, start + BATCH))
            pending.append(pool.apply_async(copy_rows, (start + 1, items, names.resolve(items))))
            while len(pending) > workers + 1 or (pending and pending[0].ready()):
                _copy(pending.popleft().get())
                if progress:
                    print(f"\r  stored {_stored} / {corpus.n}", end="", file=sys.stderr)
        while pending:
            _copy(pending.popleft().get())
    if progress:
        print(file=sys.stderr)
    finish(corpus.n)
    return corpus.n / (time.perf_counter() - started)


def load_through_services(corpus, *, progress=True) -> float:
    """Store the corpus through articles_bulk_upsert, 1,000 articles a call (the reference)."""
    from articles import services

    truncate()
    services.countries_sync()
    started = time.perf_counter()
    for start in range(0, corpus.n, BATCH):
        items = [(data, "bench") for data in corpus.articles(start, min(corpus.n, start + BATCH))]
        services.articles_bulk_upsert(items=items, reindex=False)
        if progress:
            print(f"\r  stored {min(corpus.n, start + BATCH)} / {corpus.n}", end="", file=sys.stderr)
    if progress:
        print(file=sys.stderr)
    return corpus.n / (time.perf_counter() - started)


def truncate():
    """Empty the article tables (and drop the PostgreSQL baseline's column), ids from 1 again."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE articles_article DROP COLUMN IF EXISTS bench_search")
        cursor.execute(
            "TRUNCATE articles_article, articles_articleactor, articles_articlecountry, articles_article_tags,"
            " articles_actor, articles_actoralias, articles_tag, articles_source, articles_pendingindexupdate"
            " RESTART IDENTITY CASCADE"
        )
    global _stored
    _stored = 0


class Names:
    """Sources, actors and tags found or created through the services, once per name, in the
    order articles_bulk_upsert meets them (an article's source and agency for the whole batch,
    then each article's actors and tags)."""

    def __init__(self):
        self.sources, self.actors, self.tags = {}, {}, {}

    def resolve(self, items) -> dict:
        """Return what copy_rows needs to link the batch's articles: ids by name."""
        from articles import services

        for data in items:
            for name, is_agency in ((data.source, False), (data.agency, True)):
                if (name, is_agency) not in self.sources:
                    source = services.source_for(name, is_agency=is_agency)
                    self.sources[(name, is_agency)] = source.pk if source else None
        for data in items:
            for mention in data.actors:
                key = (mention.name, mention.kind, tuple(mention.aliases))
                if key not in self.actors:
                    actor = services.actor_for(mention.name, kind=mention.kind, aliases=mention.aliases)
                    self.actors[key] = (actor.pk, actor.review_state)
            for name in data.tags:
                if name not in self.tags:
                    self.tags[name] = services.tag_for(name).pk
        return {"sources": self.sources, "actors": self.actors, "tags": self.tags}


def copy_rows(first_id: int, items, names) -> list:
    """Return the COPY statements and rows of the articles (ids from first_id), then of their links."""
    from articles import services
    from articles.models import Actor, Article, ArticleActor, ArticleCountry, ArticleTag, Source

    def find_source(name, *, is_agency=False):
        pk = names["sources"][(name, is_agency)]
        return Source(pk=pk) if pk else None

    def find_actor(name, *, kind, aliases):
        pk, review_state = names["actors"][(name, kind, tuple(aliases))]
        return Actor(pk=pk, review_state=review_state)

    articles, actor_links, country_links, tag_links = [], [], [], []
    for number, data in enumerate(items):
        article = Article(pk=first_id + number, content_hash=services.content_hash(data.body), origin="bench",
                          **services._extracted_fields(data, find_source=find_source))
        articles.append(article)
        actor_links += [services._new_link(ArticleActor, article, "actor_id", pk, mention)
                        for pk, mention in services._wanted_actors(data, find_actor=find_actor).items()]
        country_links += [services._new_link(ArticleCountry, article, "country_id", mention.code, mention)
                          for mention in {m.code: m for m in data.countries}.values()]
        tag_links += [ArticleTag(article_id=article.pk, tag_id=pk) for pk in {names["tags"][name] for name in data.tags}]
    return [_copy_text(Article, articles, with_id=True), _copy_text(ArticleActor, actor_links),
            _copy_text(ArticleCountry, country_links), _copy_text(ArticleTag, tag_links)]


def _copy_text(model, objects, *, with_id=False) -> tuple[str, str]:
    """Return the COPY statement and its rows (PostgreSQL's text format) for unsaved instances."""
    from django.db import connection

    fields = [f for f in model._meta.concrete_fields if (with_id or not f.primary_key) and not f.generated]  # PostgreSQL computes those
    lines = []
    for obj in objects:
        values = []
        for f in fields:
            value = f.pre_save(obj, True)
            if f.get_internal_type() == "JSONField":
                values.append(_escape(json.dumps(value, cls=f.encoder)) if value is not None else r"\N")
                continue
            if f.get_internal_type() == "ArrayField" and value is not None and f.base_field.get_internal_type() == "BigIntegerField":
                values.append("{" + ",".join(map(str, map(int, value))) + "}")  # what each element's prep gives
                continue
            values.append(_format(f.get_db_prep_save(value, connection)))
        lines.append("\t".join(values))
    statement = f"COPY {model._meta.db_table} ({', '.join(f.column for f in fields)}) FROM STDIN"
    return statement, "\n".join(lines) + "\n" if lines else ""


def _format(value) -> str:
    if value is None:
        return r"\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):  # an ArrayField of numbers (the MinHash signature)
        return "{" + ",".join(str(v) for v in value) + "}"
    if isinstance(value, str):
        return _escape(value)
    return str(value)


def _escape(text: str) -> str:
    """Escape COPY's text format's special characters (str.replace: several times faster than translate)."""
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


_stored = 0


def _copy(copies: list) -> None:
    """COPY one batch's rows, in one transaction; foreign keys are checked by finish()."""
    from django.db import connection, transaction

    global _stored
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        for statement, text in copies:
            if text:
                cursor.cursor.copy_expert(statement, io.StringIO(text))
    _stored += copies[0][1].count("\n")


def finish(n: int) -> None:
    """Set the article sequence past the ids given, check every foreign key of the rows, ANALYZE."""
    from django.db import connection

    from articles.models import Article, ArticleActor, ArticleCountry, ArticleTag

    with connection.cursor() as cursor:
        cursor.execute("SELECT setval(pg_get_serial_sequence('articles_article', 'id'), %s)", [max(n, 1)])
        for model in (Article, ArticleActor, ArticleCountry, ArticleTag):
            for field in model._meta.concrete_fields:
                if not field.is_relation:
                    continue
                target = field.related_model._meta
                cursor.execute(
                    f"SELECT count(*) FROM {model._meta.db_table} l WHERE l.{field.column} IS NOT NULL AND NOT EXISTS"
                    f" (SELECT 1 FROM {target.db_table} t WHERE t.{target.pk.column} = l.{field.column})"
                )
                orphans = cursor.fetchone()[0]
                if orphans:
                    raise RuntimeError(f"{orphans} rows of {model._meta.db_table} point to no {target.db_table}")
        cursor.execute("ANALYZE")
