"""Reads shared by the pages, the admin and the exports."""
from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from articles.models import Article, ArticleActor, ArticleCountry


def articles_with_metadata() -> QuerySet[Article]:
    """Return articles with their source, agency, tags, actors and countries fetched in bulk."""
    return Article.objects.select_related("source", "agency").prefetch_related(
        "tags",
        Prefetch("actor_links", queryset=ArticleActor.objects.select_related("actor").order_by("actor__name")),
        Prefetch("country_links", queryset=ArticleCountry.objects.select_related("country").order_by("country__name_fr")),
    )


def article_export_row(article: Article) -> dict:
    """Return one article as the JSON object written by export_articles."""
    return {
        "id": article.pk,
        "title": article.title,
        "published": format_published(article),
        "date_precision": article.date_precision,
        "source": article.source.name if article.source else None,
        "agency": article.agency.name if article.agency else None,
        "tags": [tag.name for tag in article.tags.all()],
        "actors": [link.actor.name for link in article.actor_links.all()],
        "countries": [link.country_id for link in article.country_links.all()],
        "url": article.url,
        "origin": article.origin,
        "language": article.language,
        "body": article.body,
    }


def article_export_rows(queryset: QuerySet[Article] | None = None):
    """Yield the export rows of the articles, in archive order, fetched in chunks."""
    queryset = articles_with_metadata() if queryset is None else queryset
    for article in queryset.order_by("pk").iterator(chunk_size=500):
        yield article_export_row(article)


def format_published(article: Article) -> str | None:
    """Return the date in ISO form cut to its precision: 2022-03-20, 2022-03, 2022 or None."""
    if article.published_on is None:
        return None
    iso = article.published_on.isoformat()
    return {"day": iso, "month": iso[:7], "year": iso[:4]}.get(article.date_precision)


def latest_articles(limit: int = 10) -> QuerySet[Article]:
    return articles_with_metadata().order_by("-created_at", "-pk")[:limit]
