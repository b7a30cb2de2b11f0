"""Reads shared by the pages, the admin and the exports."""
from __future__ import annotations

from functools import lru_cache
from itertools import islice
from typing import Callable

from django.db import DEFAULT_DB_ALIAS, connection
from django.db.models import F, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from articles.models import Article, ArticleActor, ArticleCountry, ArticleTag, Source


class CompiledOnce:
    """A values_list() queryset of some ids whose SQL is compiled once for each number of ids.

    Compiling a small queryset takes 1-2 ms of CPU, ten times what PostgreSQL takes to answer it
    for one page: the SQL is made with markers in place of the ids, each run sets the ids there.
    """

    _MARKER = -1_000_000_007  # no row has a negative id

    def __init__(self, queryset_of: Callable[..., QuerySet]):
        self.queryset_of = queryset_of  # queryset_of(*ids) -> the queryset of those ids
        self._compiled = lru_cache(maxsize=64)(self._compile)

    def rows(self, *ids: int) -> list[tuple]:
        sql, params, positions = self._compiled(len(ids))
        params = list(params)
        for at, index in positions:
            params[at] = ids[index]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def _compile(self, count: int) -> tuple[str, tuple, tuple[tuple[int, int], ...]]:
        """Return the SQL for `count` ids, its parameters and where each id goes in them."""
        markers = [self._MARKER - i for i in range(count)]
        sql, params = self.queryset_of(*markers).query.sql_with_params()
        positions = tuple((at, self._MARKER - value) for at, value in enumerate(params)
                          if type(value) is int and self._MARKER - count < value <= self._MARKER)
        assert {index for _at, index in positions} == set(range(count)), "every id has its place in the SQL"
        return sql, params, positions


def articles_with_metadata() -> QuerySet[Article]:
    """Return articles with their source, agency, tags, actors and countries fetched in bulk.

    Links a curator rejected are left out; proposed ones are in (article.tag_links: confirmed and proposed).
    The page as scraped (`raw`, often far larger than the text) is not read: only its own page shows it.
    """
    return Article.objects.defer("raw").select_related("source", "agency").prefetch_related(
        Prefetch("tag_links", queryset=ArticleTag.active.select_related("tag").order_by("tag__name")),
        Prefetch("actor_links", queryset=ArticleActor.active.select_related("actor").order_by("actor__name")),
        Prefetch("country_links", queryset=ArticleCountry.active.select_related("country").order_by("country__name_fr")),
    )


def article_export_row(article: Article, *, site_url: str = "") -> dict:
    """Return one article as the JSON object written by export_articles.

    `page_url` is the article's page on the site: absolute when site_url ("https://archive.example.org")
    is given, else the path alone.
    """
    return {
        "id": article.pk,
        "page_url": site_url.rstrip("/") + article.get_absolute_url(),
        "title": article.title,
        "published": format_published(article),
        "date_precision": article.date_precision,
        "source": article.source.name if article.source else None,
        "agency": article.agency.name if article.agency else None,
        "tags": [link.tag.name for link in article.tag_links.all()],
        "actors": [link.actor.name for link in article.actor_links.all()],
        "countries": [link.country_id for link in article.country_links.all()],
        "url": article.url,
        "origin": article.origin,
        "language": article.language,
        "body": article.body,
    }


def article_export_rows(article_ids=None, *, chunk_size: int = 500, site_url: str = ""):
    """Yield the export rows of the given articles in that order (all articles by id when None).

    Every article: a server-side cursor read chunk_size rows at a time. Given ids (any iterable,
    consumed as it goes): chunk_size articles fetched at a time. Memory stays bounded either way.
    """
    if article_ids is None:
        for article in articles_with_metadata().order_by("pk").iterator(chunk_size=chunk_size):
            yield article_export_row(article, site_url=site_url)
        return
    ids = iter(article_ids)
    while chunk := list(islice(ids, chunk_size)):
        by_id = articles_with_metadata().in_bulk(chunk)
        for pk in chunk:
            if pk in by_id:  # deleted since the search ran
                yield article_export_row(by_id[pk], site_url=site_url)


def search_result_ids(sqs) -> list[int]:
    """Return the ids of every article a SearchQuerySet matches, in its order (past 10,000 too)."""
    from articles.search.hits import iter_results

    return [int(result.pk) for result in iter_results(sqs)]


def format_published(article: Article) -> str | None:
    """Return the date in ISO form cut to its precision: 2022-03-20, 2022-03, 2022 or None."""
    if article.published_on is None:
        return None
    iso = article.published_on.isoformat()
    return {"day": iso, "month": iso[:7], "year": iso[:4]}.get(article.date_precision)


def latest_articles(limit: int = 10) -> QuerySet[Article]:
    return articles_with_metadata().order_by("-created_at", "-pk")[:limit]


def articles_with_sources() -> QuerySet[Article]:
    """Return articles with their source and agency, without the page as scraped: what an article's
    own page needs besides its links (article_links)."""
    return Article.objects.defer("raw").select_related("source", "agency")


# What a list of articles shows of each: title (the text when none), date, source and agency; not
# the page as scraped, its captions, nor its fingerprint (128 numbers to decode).
LISTED_FIELDS = ("title", "body", "published_on", "date_precision", "source", "agency")


def listed_articles() -> QuerySet[Article]:
    """Return articles with what a list of them shows (LISTED_FIELDS), their source and agency."""
    return Article.objects.only(*LISTED_FIELDS).select_related("source", "agency")


def latest_listed(limit: int = 10) -> QuerySet[Article]:
    """Return the articles added last, as a list shows them."""
    return listed_articles().order_by("-created_at", "-pk")[:limit]


def articles_for_listing(article_ids) -> dict[int, Article]:
    """Return the given articles by id, as a list shows them (listed_articles()), in one query.

    Every page of results reads such a list: its SQL is compiled once (CompiledOnce) and its rows
    made into articles, sources and agencies as the queryset would (1.6 -> 0.6 ms of CPU).
    """
    ids = list(dict.fromkeys(article_ids))
    if not ids:
        return {}
    found = {}
    articles, sources = len(_LISTED_ATTNAMES), len(_SOURCE_ATTNAMES)
    for row in _listed_rows.rows(*ids):
        article = Article.from_db(DEFAULT_DB_ALIAS, _LISTED_ATTNAMES, row[:articles])
        for field, start in ((_SOURCE_FIELD, articles), (_AGENCY_FIELD, articles + sources)):
            values = row[start:start + sources]
            field.set_cached_value(article, Source.from_db(DEFAULT_DB_ALIAS, _SOURCE_ATTNAMES, values) if values[0] is not None else None)
        found[article.pk] = article
    return found


# Columns in the models' field order, as Model.from_db takes them.
_LISTED_ATTNAMES = tuple(f.attname for f in Article._meta.concrete_fields if f.primary_key or f.name in LISTED_FIELDS)
_SOURCE_ATTNAMES = tuple(f.attname for f in Source._meta.concrete_fields)
_SOURCE_FIELD, _AGENCY_FIELD = Article._meta.get_field("source"), Article._meta.get_field("agency")
_listed_rows = CompiledOnce(lambda *ids: Article.objects.filter(pk__in=ids).order_by().values_list(
    *_LISTED_ATTNAMES, *(f"source__{name}" for name in _SOURCE_ATTNAMES), *(f"agency__{name}" for name in _SOURCE_ATTNAMES)))


def listing_links(article_ids) -> dict[int, dict[str, list[tuple]]]:
    """Return each article's tags, actors and countries as plain rows, one query for any number:
    {id: {"tags": [(slug, name, status)], "actors": [(slug, name)], "countries": [(code, name_fr, name_en)]}}.

    The links articles_with_metadata() prefetches (rejected ones left out), in its order, without
    building model instances: what a list of results needs to name them (the API's results).
    """
    ids = list(article_ids)
    found = {pk: {"tags": [], "actors": [], "countries": []} for pk in ids}
    if not ids:
        return found
    for kind, article_id, key, name, extra, _origin in _link_rows.rows(*ids):
        found[article_id][_LINK_KINDS[kind]].append((key, name, extra) if kind != 1 else (key, name))
    return found


def article_links(article_id: int) -> dict[str, list[tuple]]:
    """Return an article's tags, actors and countries as its page lists them, in one query:
    {"tags": [(slug, name, status, origin)], "actors": [(slug, name)], "countries": [(code, name_fr, name_en)]}."""
    found = {"tags": [], "actors": [], "countries": []}
    for kind, _article_id, key, name, extra, origin in _link_rows.rows(article_id):
        found[_LINK_KINDS[kind]].append(((key, name, extra, origin), (key, name), (key, name, extra))[kind])
    return found


_LINK_KINDS = ("tags", "actors", "countries")


def _links_union(article_ids) -> QuerySet:
    """The three kinds of links of the articles as rows of one UNION ALL: one round trip."""
    return ArticleTag.active.filter(article_id__in=article_ids).annotate(kind=Value(0), extra=F("status")).values_list(
        "kind", "article_id", "tag__slug", "tag__name", "extra", "origin").union(
        ArticleActor.active.filter(article_id__in=article_ids).annotate(kind=Value(1), extra=Value("")).values_list(
            "kind", "article_id", "actor__slug", "actor__name", "extra", "origin"),
        ArticleCountry.active.filter(article_id__in=article_ids).annotate(kind=Value(2)).values_list(
            "kind", "article_id", "country_id", "country__name_fr", "country__name_en", "origin"),
        all=True).order_by("kind", "tag__name", "tag__slug")  # the second query's columns, by position


_link_rows = CompiledOnce(lambda *ids: _links_union(ids))


def archive_years() -> list[int]:
    """Return the years that have dated articles, oldest first.

    One probe of the date index per year (a recursive query: each year's first date, then the
    first date of a later year), not a scan of every article: 0.1 s at 100,000 articles before.
    """
    table, column = Article._meta.db_table, Article._meta.get_field("published_on").column
    with connection.cursor() as cursor:
        cursor.execute(f"""
            WITH RECURSIVE years(first) AS (
                SELECT min({column}) FROM {table}
                UNION ALL
                SELECT (SELECT min({column}) FROM {table}
                        WHERE {column} >= make_date(extract(year FROM years.first)::int + 1, 1, 1))
                FROM years WHERE years.first IS NOT NULL)
            SELECT extract(year FROM first)::int FROM years WHERE first IS NOT NULL ORDER BY 1""")
        return [year for (year,) in cursor.fetchall()]


def archive_months() -> list[str]:
    """Return the months ("2022-03") that have articles dated to the day or the month, oldest first."""
    months = Article.objects.filter(date_precision__in=["day", "month"]).dates("published_on", "month")
    return [d.strftime("%Y-%m") for d in months]


def same_story(article: Article, *, ids: list[int] | None = None) -> list[Article]:
    """Return the other articles of the article's story (its near-duplicates), first seen first, as a
    list shows them (those of same_story_ids, when given)."""
    ids = same_story_ids(article) if ids is None else ids
    found = articles_for_listing(ids) if ids else {}
    return [found[pk] for pk in ids if pk in found]


def same_story_ids(article: Article) -> list[int]:
    """Return the primary keys of the other articles of the article's story, first seen first;
    most articles have none, found by a query of ids compiled once."""
    return [pk for (pk,) in _same_story_ids.rows(article.story_id or article.pk, article.pk)]


_same_story_ids = CompiledOnce(lambda head, pk: Article.objects.filter(Q(pk=head) | Q(story_id=head)).exclude(pk=pk)
                               .order_by("pk").values_list("pk"))


def stories_count(articles: QuerySet[Article] | None = None) -> tuple[int, int]:
    """Return (articles, stories) among the articles given (all when None): near-duplicates count once."""
    articles = Article.objects.all() if articles is None else articles
    return articles.count(), articles.annotate(story_key=Coalesce("story_id", "pk")).values("story_key").distinct().count()


def country_detection_aliases() -> tuple[tuple[str, str], ...]:
    """Return the (ISO code, alias) pairs curators added for country detection."""
    from articles.models import Country

    return tuple(sorted(
        (code, alias) for code, aliases in Country.objects.exclude(aliases=[]).values_list("code", "aliases") for alias in aliases
    ))
