"""The links the API's results name come in one query, in the order the article page lists them."""
import pytest

from articles import selectors
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_listing_links_are_the_article_pages_in_one_query(django_assert_num_queries):
    a = make_article("Un.", tags=["Zèbre", "Économie", "abc"], actors=["Émile Zola", "Zoé Durand", "Albert"], countries=["FR", "DE", "EG"])
    b = make_article("Deux.", tags=["Diplomatie"])
    with django_assert_num_queries(1):
        links = selectors.listing_links([a.pk, b.pk])
    for article in selectors.articles_with_metadata().filter(pk__in=[a.pk, b.pk]):
        assert links[article.pk] == {
            "tags": [(link.tag.slug, link.tag.name, link.status) for link in article.tag_links.all()],
            "actors": [(link.actor.slug, link.actor.name) for link in article.actor_links.all()],
            "countries": [(link.country.code, link.country.name_fr, link.country.name_en) for link in article.country_links.all()],
        }
    assert links[b.pk]["actors"] == []
    assert selectors.listing_links([]) == {}
