"""Page addresses made in bulk are the addresses reverse() gives, under any script prefix."""
import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from articles import links
from articles.search.facets import toggle_urls


@pytest.fixture
def script_prefix():
    yield set_script_prefix
    set_script_prefix("/")


@pytest.mark.parametrize("name, key", [("articles:actor", "xi-jinping"), ("articles:tag", "charge_0-2"), ("articles:country", "cn"),
                                       ("articles:source", "le-monde"), ("feeds:actor", "li-keqiang")])
def test_a_page_address_is_the_one_reverse_gives(name, key, script_prefix):
    assert links.page_url(name, key) == reverse(name, args=[key])
    script_prefix("/archive/")
    assert links.page_url(name, key) == reverse(name, args=[key])
    assert links.page_url(name, key).startswith("/archive/")


def test_a_key_no_page_can_have_is_refused_as_reverse_refuses_it():
    with pytest.raises(NoReverseMatch):
        links.page_url("articles:country", "\xff")
    with pytest.raises(NoReverseMatch):
        links.page_url("articles:actor", "a b")


def test_article_and_archive_addresses_follow_the_script_prefix(script_prefix):
    assert links.article_url(42) == "/articles/42/"
    assert links.address("articles:archive_month", "2022", "03") == "/2022/03/"
    script_prefix("/archive/")
    assert links.article_url(42) == "/archive/articles/42/"
    assert links.address("articles:search") == "/archive/search/"
    assert links.address("articles:archive_year", "2022") == "/archive/2022/"


def test_a_toggle_adds_a_value_or_removes_it_keeping_the_other_parameters_in_their_order():
    params = {"q": ["sanctions"], "actor": ["xi-jinping"], "sort": ["newest"], "page": ["3"]}
    toggle = toggle_urls(params, "actor")
    assert toggle("li-keqiang") == "?q=sanctions&actor=xi-jinping&actor=li-keqiang&sort=newest"
    assert toggle("xi-jinping") == "?q=sanctions&sort=newest"
    assert toggle_urls(params, "country")("CN") == "?q=sanctions&actor=xi-jinping&sort=newest&country=CN"
    assert toggle_urls({"tag": ["a&b"]}, "tag")("a&b") == "?"
    assert toggle_urls({}, "tag")("é t") == "?tag=%C3%A9+t"
