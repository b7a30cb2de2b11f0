"""The search index of articles; haystack finds it by this file name."""
from datetime import timezone

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef
from haystack import indexes

from articles.models import Article, ArticleActor, ArticleCountry, ArticleTag, LinkStatus
from articles.search.fields import ExactTextField


class ArticleIndex(indexes.SearchIndex, indexes.Indexable):
    """One search document per article; facet values are slugs and ISO codes, never labels.

    Text is analysed in French (elisions, stop words, stemming, accent folding): each engine
    turns analyzer="french" and "french_exact" into its own analysis.
    """

    text = indexes.CharField(document=True, analyzer="french")
    # The text for exact mode (words as written: no stemming, accents kept). Elasticsearch
    # indexes it with its own analyzer; the Whoosh engine indexes these terms in `text`.
    text_exact = ExactTextField(exact_of="text", analyzer="french_exact")
    title = indexes.CharField(model_attr="title", default="", analyzer="french")
    # The article's date as a period: its first and last day ("mars 2022": 1 to 31 March).
    published = indexes.DateField(model_attr="published_on", null=True)
    published_end = indexes.DateField(null=True)
    date_precision = indexes.CharField(model_attr="date_precision", indexed=False)
    actors = indexes.MultiValueField(faceted=True)
    countries = indexes.MultiValueField(faceted=True)
    tags = indexes.MultiValueField(faceted=True)  # confirmed and proposed
    tags_confirmed = indexes.MultiValueField(faceted=True)  # confirmed by a curator or given with the article
    source = indexes.MultiValueField(faceted=True)  # the publisher, or "-" when it is not known
    agency = indexes.MultiValueField(faceted=True)  # the news agency the article comes from
    year = indexes.MultiValueField(faceted=True)
    month = indexes.MultiValueField(faceted=True)  # "2022-03", when the month is known
    # When the article last changed, to find documents that lag behind the database.
    updated = indexes.CharField(indexed=False)

    def get_model(self):
        return Article

    def index_queryset(self, using=None):
        # Facet values come as arrays from one query, not as related objects (prefetch_related
        # built four model instances per article: a third of a bulk build's database time).
        # Not the raw page: never indexed, and often the largest column by far.
        return self.get_model().objects.defer("raw").select_related("source", "agency").annotate(
            actor_slugs=ArraySubquery(ArticleActor.active.filter(article=OuterRef("pk")).values("actor__slug")),
            country_codes=ArraySubquery(ArticleCountry.active.filter(article=OuterRef("pk")).values("country_id")),
            tag_slugs=ArraySubquery(ArticleTag.active.filter(article=OuterRef("pk")).values("tag__slug")),
            confirmed_tag_slugs=ArraySubquery(ArticleTag.objects.filter(article=OuterRef("pk"), status=LinkStatus.CONFIRMED).values("tag__slug")),
        )

    def prepare_text(self, article):
        return f"{article.title}\n\n{article.body}" if article.title else article.body

    def prepare_text_exact(self, article):
        return self.prepare_text(article)

    # An article that does not come from index_queryset() reads its relations.

    def prepare_actors(self, article):
        if hasattr(article, "actor_slugs"):
            return sorted(article.actor_slugs)
        return sorted(ArticleActor.active.filter(article=article).values_list("actor__slug", flat=True))

    def prepare_countries(self, article):
        if hasattr(article, "country_codes"):
            return sorted(article.country_codes)
        return sorted(ArticleCountry.active.filter(article=article).values_list("country_id", flat=True))

    def prepare_tags(self, article):
        if hasattr(article, "tag_slugs"):
            return sorted(article.tag_slugs)
        return sorted(ArticleTag.active.filter(article=article).values_list("tag__slug", flat=True))

    def prepare_tags_confirmed(self, article):
        if hasattr(article, "confirmed_tag_slugs"):
            return sorted(article.confirmed_tag_slugs)
        return sorted(ArticleTag.objects.filter(article=article, status=LinkStatus.CONFIRMED).values_list("tag__slug", flat=True))

    def prepare_source(self, article):
        from articles.search.facets import UNKNOWN_SOURCE

        return [article.source.slug if article.source else UNKNOWN_SOURCE]

    def prepare_agency(self, article):
        return [article.agency.slug] if article.agency else []

    def prepare_updated(self, article):
        return article.updated_at.astimezone(timezone.utc).isoformat(timespec="microseconds")

    def prepare_year(self, article):
        return [str(article.published_on.year)] if article.published_on else []

    def prepare_month(self, article):
        known = article.published_on and article.date_precision in ("day", "month")
        return [article.published_on.strftime("%Y-%m")] if known else []

    def prepare_published_end(self, article):
        return article.published_until
