"""The API and the pages say the same: for a few searches, the same ids, totals and facet counts.

The page's side is read from its HTML, as a reader sees it: the result links, the count line and
the numbers beside each facet value.
"""
import re

import lxml.html
import pytest

pytestmark = pytest.mark.django_db

SEARCHES = [
    {"q": "sanctions"},
    {"q": "sanctions", "country": "CN", "sort": "oldest"},
    {"actor": ["xi-jinping", "joe-biden"]},
    {"tag": ["diplomatie", "economie"], "sort": "newest"},
    {"q": "sanctions", "date_from": "2022-03", "date_to": "2022-03"},
    {"q": "sanction", "exact": "1"},
    {"q": "sanctions", "exact": "1"},
    {"q": "(((sanctions OR"},  # bad syntax: plain words, and a notice
    {"q": "xi", "year": "2022"},
    {"q": "céréales", "country": "CN"},  # nothing found
    {"source": "-"},
]


def css(element, path: str):
    """Select by tag and class names ("aside.facets section.facet"), with XPath (no cssselect here)."""
    xpath = "."
    for step in path.split():
        tag, _, cls = step.partition(".")
        xpath += f"//{tag or '*'}" + (f"[contains(concat(' ', normalize-space(@class), ' '), ' {cls} ')]" if cls else "")
    return element.xpath(xpath)


def page_view(client, params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    html = lxml.html.fromstring(response.content.decode())
    ids = [int(re.search(r"/articles/(\d+)/", a.get("href")).group(1)) for a in css(html, ".result-list .result-title a")]
    total = int(re.match(r"\s*(\d+)", css(html, "p.count")[0].text_content()).group(1))
    facets = {}
    for section in css(html, "aside.facets section.facet"):
        param = css(section, "h3")[0].get("id").removeprefix("facet-")
        facets[param] = [(css(li, ".label")[0].text_content().strip(), int(css(li, ".count")[0].text_content()))
                         for li in css(section, "li")]
    notices = [" ".join(p.text_content().split()) for p in css(html, ".notice")]
    return ids, total, facets, notices


def api_view(client, params):
    response = client.get("/api/search/", params)
    assert response.status_code == 200
    found = response.json()
    return ([r["id"] for r in found["results"]], found["total"],
            {f["param"]: [(r["label"], r["count"]) for r in f["rows"]] for f in found["facets"]}, found["notices"])


@pytest.mark.parametrize("params", SEARCHES, ids=[str(p) for p in SEARCHES])
def test_the_api_and_the_search_page_agree(client, archive, params):
    page_ids, page_total, page_facets, page_notices = page_view(client, params)
    api_ids, api_total, api_facets, api_notices = api_view(client, params)
    assert (api_ids, api_total, api_facets) == (page_ids, page_total, page_facets)
    for notice in api_notices:
        assert any(notice in shown for shown in page_notices), (notice, page_notices)


def test_the_syntax_fallback_is_said_by_both(client, archive):
    _ids, _total, _facets, notices = api_view(client, {"q": "(((sanctions OR"})
    assert notices and "syntaxe" in notices[0]


@pytest.mark.parametrize("url", ["/actors/xi-jinping/", "/countries/cn/", "/tags/diplomatie/", "/sources/la-gazette/"])
def test_an_entity_and_its_page_agree(client, archive, url):
    html = lxml.html.fromstring(client.get(url).content.decode())
    page_ids = [int(re.search(r"/articles/(\d+)/", a.get("href")).group(1)) for a in css(html, ".result-list .result-title a")]
    related = {}
    for section in css(html, "aside.related section.facet"):
        param = css(section, "h3")[0].get("id").removeprefix("related-")
        related[param] = [(css(li, ".label")[0].text_content().strip(), int(re.match(r"\d+", css(li, ".count")[0].text_content()).group()))
                          for li in css(section, "li")]
    found = client.get("/api" + url).json()
    assert [a["id"] for a in found["articles"]] == page_ids
    assert {p: [(r["label"], r["count"]) for r in rows] for p, rows in found["related"].items()} == related
