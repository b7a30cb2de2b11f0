"""Atom feeds (django.contrib.syndication): the newest articles of the archive, of a search, of an entity.

A search's feed is the search page's own search (articles.search.build.searchable_queryset, every
filter kept) sorted newest first; an entity's is the search restricted to it, as its page is. The
archive's feed lists the newest imports, so articles without a known date are in it too.
"""
from __future__ import annotations

import datetime
from dataclasses import replace

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from articles import browse, redirects, selectors
from articles.search.build import searchable_queryset
from articles.search.facets import ENTITY_FACETS, encode_params
from articles.search.request import SearchRequest

ENTRIES = 30
SUMMARY_WORDS = 60


def newest_of_search(search_request: SearchRequest, limit: int = ENTRIES) -> list:
    """Return the newest `limit` articles of a search, as its page would list them sorted newest first."""
    sqs, _total = searchable_queryset(replace(search_request, sort="newest", page=1))
    ids = [int(hit.pk) for hit in sqs[:limit]]
    by_id = selectors.articles_with_metadata().in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


class ArticleFeed(Feed):
    """What every feed's entries say: title, dates, summary, categories (tags, actors, countries), link."""

    feed_type = Atom1Feed

    def item_title(self, article):
        return article.display_title

    def item_description(self, article):
        return Truncator(" ".join(article.body.split())).words(SUMMARY_WORDS, truncate=" …")

    def item_link(self, article):
        return article.get_absolute_url()

    def item_pubdate(self, article):
        """The publication date at its precision's first day (midnight, Paris); None when unknown."""
        if article.published_on is None:
            return None
        return timezone.make_aware(datetime.datetime.combine(article.published_on, datetime.time()))

    def item_updateddate(self, article):
        return article.updated_at

    def item_categories(self, article):
        return ([link.tag.name for link in article.tag_links.all()] + [link.actor.name for link in article.actor_links.all()]
                + [link.country.name_fr for link in article.country_links.all()])

    def item_author_name(self, article):
        return article.source.name if article.source else None


class ArchiveFeed(ArticleFeed):
    """The archive's newest imports, dated or not."""

    def title(self):
        return _("NewsArchive : les derniers articles")

    def link(self):
        return reverse("articles:home")

    def subtitle(self):
        return _("Les derniers articles entrés dans l’archive.")

    def items(self):
        return selectors.latest_articles(ENTRIES)


class SearchFeed(ArticleFeed):
    """The newest articles of any search: the address carries the search page's parameters."""

    def get_object(self, request):
        return SearchRequest.from_querydict(request.GET)

    def title(self, search_request):
        words = search_request.q or _("tous les articles")
        return _("NewsArchive : %(search)s") % {"search": words}

    def link(self, search_request):
        return browse.search_url(search_request.params())

    def feed_url(self, search_request):
        query = encode_params(search_request.params())
        return reverse("feeds:search") + (f"?{query}" if query else "")

    def subtitle(self, search_request):
        return _("Les articles les plus récents de cette recherche.")

    def items(self, search_request):
        return newest_of_search(search_request)


class EntityFeed(ArticleFeed):
    """The newest articles of an actor, a country, a tag or a source."""

    param = ""

    def __call__(self, request, *args, **kwargs):
        """A merged or renamed entity's old feed address redirects (301), as its page does."""
        key = kwargs.get("key", "")
        try:
            ENTITY_FACETS[self.param].get_object(key)
        except Http404:
            moved = redirects.current_key(self.param, key)
            if moved is not None:
                return HttpResponsePermanentRedirect(reverse(f"feeds:{self.param}", args=[moved]))
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, key):
        facet = ENTITY_FACETS[self.param]
        obj = facet.get_object(key)
        if obj is None:
            raise Http404(key)
        return obj

    def title(self, obj):
        return _("NewsArchive : %(name)s") % {"name": ENTITY_FACETS[self.param].name_of(obj)}

    def link(self, obj):
        facet = ENTITY_FACETS[self.param]
        return facet.entity_url(facet.value_of(obj))

    def items(self, obj):
        value = ENTITY_FACETS[self.param].value_of(obj)
        return newest_of_search(SearchRequest(filters={self.param: [value]}, sort="newest"))


def entity_feed(param: str):
    return type(f"{param.capitalize()}Feed", (EntityFeed,), {"param": param})()
