"""Every kind of page, in French and in English, is well-formed HTML (html5lib, the WHATWG parser).

Translations go into attributes (placeholders, labels): one with a straight quote in it once broke
the search box of every English page. The parser reports each such error with its place.
"""
import html5lib
import pytest
from django.db import transaction

from articles.models import Article
from tests.browser.conftest import build_archive

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(commit_hooks):
    with commit_hooks(), transaction.atomic():
        build_archive()


def page_kinds() -> dict[str, str]:
    article = Article.objects.get(title__endswith="(épisode 2)")
    return {
        "home": "/",
        "search": "/search/?q=sanctions&actor=xi-jinping&country=RU&sort=newest",
        "search-phrase-and-fields": '/search/?q="aide+militaire"+tag:diplomatie+actor:Xi',
        "search-nothing-found": "/search/?q=sanctions&actor=joe-biden&country=CN",
        "search-bad-syntax": '/search/?q="aide+militaire',
        "search-unknown-field-value": "/search/?q=actor:Personne",
        "search-all-facet-values": "/search/?more=actor",
        "search-year": "/search/?year=2022",
        "all-articles": "/search/",
        "article": article.get_absolute_url(),
        "article-untitled": Article.objects.get(title="").get_absolute_url(),
        "actor": "/actors/xi-jinping/",
        "country": "/countries/ru/",
        "tag": "/tags/economie/",
        "source": "/sources/le-courrier-de-pekin/",
        "year": "/2022/",
        "month": "/2022/03/",
        "help": "/help/",
        "not-found": "/actors/nobody/",
    }


def parse_errors(html: str) -> list[str]:
    parser = html5lib.HTMLParser(namespaceHTMLElements=False)
    parser.parse(html)
    lines = html.splitlines()
    return [f"line {line}:{col} {code} {data or ''}: {lines[line - 1].strip()[:160]}"
            for (line, col), code, data in parser.errors]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_page_kind_is_well_formed_html(client, stored, language):
    errors = {}
    for kind, url in page_kinds().items():
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == (404 if kind == "not-found" else 200), kind
        assert response["Content-Language"] == language, kind
        found = parse_errors(response.content.decode())
        if found:
            errors[kind] = found
    assert errors == {}


def test_the_english_search_box_keeps_its_whole_placeholder(client, stored):
    document = html5lib.parse(client.get("/search/", HTTP_ACCEPT_LANGUAGE="en").content.decode(), namespaceHTMLElements=False)
    box = document.find(".//input[@id='q']")
    assert box.get("placeholder") == 'Search: Pékin, sanctions, "aide militaire"…'
    assert set(box.keys()) == {"id", "type", "name", "value", "placeholder"}
