"""A researcher's path through the archive, in Chromium: search, narrow, un-narrow, page, read, follow."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import browser_db, screenshot

pytestmark = [pytest.mark.browser, browser_db]


def test_search_narrow_remove_a_chip_page_through_open_and_follow_an_actor(page, archive):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("L’archive")
    page.get_by_role("search").get_by_role("searchbox").fill("sanctions")
    page.get_by_role("search").get_by_role("button", name="Rechercher").click()
    expect(page).to_have_url(re.compile(r"/search/\?q=sanctions$"))
    expect(page.locator(".toolbar .count")).to_contain_text("29 articles")

    facets = page.get_by_role("complementary", name="Affiner")
    facets.get_by_role("region", name="Acteurs").get_by_role("link", name=re.compile("^Xi Jinping")).click()
    expect(page.locator(".toolbar .count")).to_contain_text("24 articles")
    facets.get_by_role("region", name="Pays").get_by_role("link", name=re.compile("^Russie")).click()
    expect(page).to_have_url(re.compile(r"actor=xi-jinping&country=RU"))
    expect(page.locator(".toolbar .count")).to_contain_text("20 articles")
    chips = page.locator(".chips-removable li")
    expect(chips).to_have_text([re.compile("Acteur : Xi Jinping"), re.compile("Pays : Russie"), "Retirer tous les filtres"])

    page.get_by_role("link", name=re.compile("Retirer le filtre Acteur : Xi Jinping")).click()
    expect(page).to_have_url(re.compile(r"/search/\?q=sanctions&country=RU$"))
    expect(page.locator(".toolbar .count")).to_contain_text("22 articles")
    expect(page.locator(".chips-removable li")).to_have_text([re.compile("Pays : Russie")])

    pager = page.get_by_role("navigation", name="Pages")
    expect(pager).to_contain_text("Page 1 sur 2")
    pager.get_by_role("link", name=re.compile("suivante")).click()
    expect(page).to_have_url(re.compile(r"country=RU&page=2$"))
    expect(pager).to_contain_text("Page 2 sur 2")
    expect(page.locator(".result")).to_have_count(2)

    page.locator(".result-title a").first.click()
    expect(page.locator("h1")).to_contain_text("Sanctions : Pékin et Moscou")
    aside = page.get_by_role("complementary", name="Fiche de l’article")
    expect(aside).to_contain_text("12 janvier 2022 (au jour près)")
    aside.get_by_role("link", name="Xi Jinping").click()
    expect(page).to_have_url(re.compile(r"/actors/xi-jinping/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Xi Jinping")
    expect(page.get_by_role("complementary", name="Souvent cités avec")).to_contain_text("Vladimir Poutine")


def test_a_timeline_bar_narrows_the_search_to_its_month(page, archive):
    page.goto("/search/?actor=joe-biden")
    expect(page.locator(".toolbar .count")).to_contain_text("4 articles")
    page.locator(".timeline-chart a").first.click()
    expect(page).to_have_url(re.compile(r"actor=joe-biden&date_from=2023-02&date_to=2023-02$"))
    expect(page.locator(".toolbar .count")).to_contain_text("1 article")
    expect(page.locator(".chips-removable")).to_contain_text("Depuis : février 2023")


def test_keyboard_reaches_the_content_with_a_visible_focus(page, archive):
    page.goto("/search/?q=sanctions")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller au contenu")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("#main$"))
    page.keyboard.press("Tab")  # the next stop after the skip link is inside the main content
    assert page.evaluate("document.activeElement.closest('main') !== null")


def test_phone_screen_has_no_horizontal_scroll(new_page, archive):
    page = new_page(viewport={"width": 360, "height": 740})
    for url in ["/", "/search/?q=sanctions&actor=xi-jinping", "/actors/xi-jinping/", "/2022/"]:
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), url
    page.goto("/search/?q=sanctions")
    screenshot(page, "search-phone-360")
