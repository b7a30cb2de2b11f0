"""axe-core on every kind of page, on a wide screen and a phone; each page is saved as a screenshot."""
import pytest

from articles.models import Article
from tests.browser.conftest import DESKTOP, PHONE, browser_db, check_accessibility, screenshot

pytestmark = [pytest.mark.browser, browser_db]


def page_kinds() -> dict[str, str]:
    article = Article.objects.get(title__endswith="(épisode 2)")
    untitled = Article.objects.get(title="")
    return {
        "home": "/",
        "search": "/search/?q=sanctions&actor=xi-jinping&country=RU&sort=newest",
        "search-nothing-found": "/search/?q=sanctions&actor=joe-biden&country=CN",
        "search-bad-syntax": '/search/?q="aide+militaire',
        "all-articles": "/search/",
        "article": article.get_absolute_url(),
        "article-untitled": untitled.get_absolute_url(),
        "actor": "/actors/xi-jinping/",
        "country": "/countries/ru/",
        "tag": "/tags/economie/",
        "source": "/sources/le-courrier-de-pekin/",
        "year": "/2022/",
        "month": "/2022/03/",
        "help": "/help/",
        "not-found": "/actors/nobody/",
    }


@pytest.mark.parametrize("screen, viewport", [("desktop", DESKTOP), ("phone", PHONE)])
def test_every_page_kind_passes_axe(new_page, archive, screen, viewport):
    page = new_page(viewport=viewport)
    violations = {}
    for kind, url in page_kinds().items():
        response = page.goto(url)
        assert response.status == (404 if kind == "not-found" else 200), kind
        screenshot(page, f"{kind}-{screen}")
        found = check_accessibility(page)
        if found:
            violations[kind] = found
    assert {kind: [v["rule"] for v in found] for kind, found in violations.items()} == {}, violations


def test_english_pages_pass_axe(new_page, archive):
    page = new_page(locale="en-GB")
    violations = {}
    for kind, url in page_kinds().items():
        page.goto(url)
        if kind in ("home", "search", "article", "actor", "year"):
            screenshot(page, f"{kind}-english")
        found = check_accessibility(page)
        if found:
            violations[kind] = found
    assert {kind: [v["rule"] for v in found] for kind, found in violations.items()} == {}, violations
