"""The search index of articles; haystack finds it by this file name."""
from datetime import timezone

from django.db.models import Prefetch
from haystack import indexes

from articles.models import Article, ArticleActor, ArticleCountry


class ArticleIndex(indexes.SearchIndex, indexes.Indexable):
    """One search document per article; facet values are slugs and ISO codes, never labels."""

    text = indexes.CharField(document=True)
    title = indexes.CharField(model_attr="title", default="")
    # The article's date as a period: its first and last day ("mars 2022": 1 to 31 March).
    published = indexes.DateField(model_attr="published_on", null=True)
    published_end = indexes.DateField(null=True)
    date_precision = indexes.CharField(model_attr="date_precision", indexed=False)
    actors = indexes.MultiValueField(faceted=True)
    countries = indexes.MultiValueField(faceted=True)
    tags = indexes.MultiValueField(faceted=True)
    source = indexes.MultiValueField(faceted=True)
    year = indexes.MultiValueField(faceted=True)
    month = indexes.MultiValueField(faceted=True)  # "2022-03", when the month is known
    # When the article last changed, to find documents that lag behind the database.
    updated = indexes.CharField(indexed=False)

    def get_model(self):
        return Article

    def index_queryset(self, using=None):
        return self.get_model().objects.select_related("source", "agency").prefetch_related(
            "tags",
            Prefetch("actor_links", queryset=ArticleActor.active.select_related("actor")),
            Prefetch("country_links", queryset=ArticleCountry.active.all()),
        )

    def prepare_text(self, article):
        return f"{article.title}\n\n{article.body}" if article.title else article.body

    def prepare_actors(self, article):
        return sorted(link.actor.slug for link in article.actor_links.all())

    def prepare_countries(self, article):
        return sorted(link.country_id for link in article.country_links.all())

    def prepare_tags(self, article):
        return sorted(tag.slug for tag in article.tags.all())

    def prepare_source(self, article):
        return [s.slug for s in (article.source, article.agency) if s is not None]

    def prepare_updated(self, article):
        return article.updated_at.astimezone(timezone.utc).isoformat(timespec="microseconds")

    def prepare_year(self, article):
        return [str(article.published_on.year)] if article.published_on else []

    def prepare_month(self, article):
        known = article.published_on and article.date_precision in ("day", "month")
        return [article.published_on.strftime("%Y-%m")] if known else []

    def prepare_published_end(self, article):
        return article.published_until
