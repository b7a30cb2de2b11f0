"""Atom feeds as a feed reader reads them (feedparser): no error, the right articles, newest first."""
from datetime import date

import feedparser
import pytest

from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(commit_hooks):
    with commit_hooks():
        make_article("Xi Jinping et Vladimir Poutine parlent des sanctions.", title="Pékin et Moscou", published=date(2022, 3, 20),
                     source="Le Courrier", actors=["Xi Jinping", "Vladimir Poutine"], countries=["CN", "RU"], tags=["Diplomatie"])
        make_article("Xi Jinping reçoit Joe Biden : sanctions.", title="Appel avec Washington", published=date(2022, 4, 1),
                     precision="month", source="La Gazette", actors=["Xi Jinping", "Joe Biden"], countries=["CN", "US"])
        make_article("Les céréales ukrainiennes quittent Odessa.", title="Céréales", published=date(2021, 5, 4),
                     source="Le Courrier", countries=["UA"], tags=["Économie"])
        make_article("Un texte sans date sur les sanctions.", title="Sans date")


def read(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def test_the_archive_feed_lists_the_newest_imports_undated_ones_too(client, archive):
    feed = read(client, "/feeds/")
    assert [e.title for e in feed.entries] == ["Sans date", "Céréales", "Appel avec Washington", "Pékin et Moscou"]
    assert feed.feed.title == "NewsArchive : les derniers articles"


def test_a_search_feed_keeps_every_filter_and_lists_newest_first(client, archive):
    feed = read(client, "/feeds/search/", {"q": "sanctions", "country": "CN"})
    assert [e.title for e in feed.entries] == ["Appel avec Washington", "Pékin et Moscou"]
    entry = feed.entries[1]
    assert entry.link.startswith("http://testserver/articles/")
    assert entry.published.startswith("2022-03-20")
    assert sorted(t.term for t in entry.tags) == ["Chine", "Diplomatie", "Russie", "Vladimir Poutine", "Xi Jinping"]
    assert "Poutine parlent des sanctions" in entry.summary
    assert read(client, "/feeds/search/", {"q": "sanctions"}).entries[-1].title == "Sans date"  # unknown dates last


@pytest.mark.parametrize("url, titles", [
    ("/feeds/actors/xi-jinping/", ["Appel avec Washington", "Pékin et Moscou"]),
    ("/feeds/countries/ua/", ["Céréales"]),
    ("/feeds/tags/economie/", ["Céréales"]),
    ("/feeds/sources/le-courrier/", ["Pékin et Moscou", "Céréales"]),
])
def test_each_entity_has_its_feed(client, archive, url, titles):
    assert [e.title for e in read(client, url).entries] == titles


def test_unknown_entities_have_no_feed(client, archive):
    assert client.get("/feeds/actors/nobody/").status_code == 404
    assert client.get("/feeds/countries/zz/").status_code == 404


def test_pages_link_to_their_feeds(client, archive):
    html = client.get("/search/", {"q": "sanctions", "country": "CN"}).content.decode()
    assert '<link rel="alternate" type="application/atom+xml" href="/feeds/search/?q=sanctions&amp;country=CN"' in html
    assert 'href="/feeds/search/?q=sanctions&amp;country=CN"' in html.split("</head>", 1)[1]  # a visible link too
    html = client.get("/actors/xi-jinping/").content.decode()
    assert '<link rel="alternate" type="application/atom+xml" href="/feeds/actors/xi-jinping/"' in html
    html = client.get("/").content.decode()
    assert '<link rel="alternate" type="application/atom+xml" href="/feeds/"' in html
