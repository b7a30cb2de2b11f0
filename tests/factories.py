"""Small builders of test data, through the same service the importer uses."""
from datetime import date

from articles.ingest.types import ActorMention, ArticleData, CountryMention
from articles.services import article_upsert


def make_article(
    body: str,
    *,
    title: str = "",
    published: date | None = None,
    precision: str = "day",
    source: str = "",
    actors=(),
    countries=(),
    tags=(),
    origin: str = "test",
):
    """Store an article whose metadata is given, as a JSON Lines import would."""
    data = ArticleData(
        body=body,
        raw=body,
        title=title,
        published_on=published,
        date_precision=precision if published else "unknown",
        source=source,
        actors=[ActorMention(name=name, confidence=1.0) for name in actors],
        countries=[CountryMention(code=code, confidence=1.0) for code in countries],
        tags=list(tags),
        raw_format="json",
    )
    return article_upsert(data=data, origin=origin).article
