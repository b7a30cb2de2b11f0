"""The API's documentation page runs in Chromium under the site's Content-Security-Policy, from our own files."""
import pytest

from tests.browser.conftest import SCREENSHOTS, browser_db
from tests.factories import make_article

pytestmark = [pytest.mark.browser, browser_db]


def test_the_documentation_page_shows_every_endpoint_and_tries_one(page, live_server):
    make_article("Pékin et Moscou renforcent leurs échanges.", title="Échanges", countries=["CN"])
    refused, requested = [], []
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None)
    page.on("request", lambda request: requested.append(request.url))
    page.goto("/help/")
    page.get_by_role("link", name="sa documentation interactive").click()
    page.wait_for_selector(".opblock-summary-path")
    paths = [p.strip().replace("\u200b", "") for p in page.locator(".opblock-summary-path").all_inner_texts()]
    assert paths == ["/api/actors/{key}/", "/api/articles/{id}/", "/api/countries/{key}/", "/api/search/",
                     "/api/sources/{key}/", "/api/tags/{key}/"]
    page.locator("#operations-search-search .opblock-summary").click()
    page.get_by_role("button", name="Try it out").click()
    page.locator("#operations-search-search input[placeholder='q']").fill("moscou")
    page.get_by_role("button", name="Execute").click()
    page.wait_for_selector("#operations-search-search .live-responses-table tbody .response-col_status")
    assert page.locator("#operations-search-search .live-responses-table tbody .response-col_status").first.inner_text().strip() == "200"
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "api-docs.png"), full_page=False)
    assert refused == []
    assert all(url.startswith(live_server.url) for url in requested), [u for u in requested if not u.startswith(live_server.url)]
