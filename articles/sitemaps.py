"""sitemap.xml (django.contrib.sitemaps) and robots.txt: what a search engine may crawl, and where it all is.

/sitemap.xml is an index: articles in pages of 50,000 addresses (the protocol's limit), then actors,
countries, tags and sources, and the home and help pages.
"""
from django.contrib.sitemaps import Sitemap
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from articles.models import Actor, Article, Country, Source, Tag


class ArticleSitemap(Sitemap):
    limit = 50_000
    changefreq = "monthly"

    def items(self):
        return Article.objects.only("pk", "updated_at").order_by("pk")

    def lastmod(self, article):
        return article.updated_at


class SlugSitemap(Sitemap):
    """Actors, tags and sources: their pages, by slug."""

    model = None
    url_name = ""
    changefreq = "weekly"

    def items(self):
        return self.model.objects.only("pk", "slug").order_by("pk")

    def location(self, obj):
        return reverse(self.url_name, args=[obj.slug])


class ActorSitemap(SlugSitemap):
    model, url_name = Actor, "articles:actor"


class TagSitemap(SlugSitemap):
    model, url_name = Tag, "articles:tag"


class SourceSitemap(SlugSitemap):
    model, url_name = Source, "articles:source"


class CountrySitemap(Sitemap):
    """The countries that have articles (the list is ISO 3166-1's: most have none)."""

    changefreq = "weekly"

    def items(self):
        return Country.objects.filter(articles__isnull=False).distinct().order_by("code")

    def location(self, country):
        return reverse("articles:country", args=[country.code.lower()])


class PagesSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["articles:home", "articles:help"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {"articles": ArticleSitemap, "actors": ActorSitemap, "countries": CountrySitemap, "tags": TagSitemap,
            "sources": SourceSitemap, "pages": PagesSitemap}

# Search result pages are infinite (every combination of filters): crawlers get the sitemap instead.
ROBOTS = """User-agent: *
Disallow: /admin/
Disallow: /search/
Disallow: /api/
Disallow: /feeds/search/
Allow: /

Sitemap: {sitemap}
"""


@require_safe
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap_index"))
    return HttpResponse(ROBOTS.format(sitemap=sitemap), content_type="text/plain; charset=utf-8")
