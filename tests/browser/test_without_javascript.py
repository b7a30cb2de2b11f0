"""With JavaScript off, every page still does its work: search, narrow, sort, page, switch language."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import browser_db, screenshot

pytestmark = [pytest.mark.browser, browser_db]


def test_searching_narrowing_and_switching_language_without_javascript(new_page, archive):
    page = new_page(java_script_enabled=False)
    page.goto("/")
    page.get_by_role("searchbox").fill("sanctions")
    page.keyboard.press("Enter")
    expect(page.locator(".toolbar .count")).to_contain_text("29 articles")
    page.get_by_role("region", name="Acteurs").get_by_role("link", name=re.compile("^Joe Biden")).click()
    expect(page.locator(".toolbar .count")).to_contain_text("4 articles")
    page.get_by_role("navigation", name="Trier").get_by_role("link", name="plus anciens").click()
    expect(page).to_have_url(re.compile(r"q=sanctions&actor=joe-biden&sort=oldest$"))
    expect(page.locator(".result-title").first).to_have_text("Washington durcit les sanctions, volet 1")
    page.get_by_text("Choisir des dates").click()
    page.get_by_label("Du", exact=True).fill("2023-04")
    page.get_by_role("button", name="Filtrer les dates").click()
    expect(page.locator(".toolbar .count")).to_contain_text("2 articles")
    screenshot(page, "search-without-javascript")
    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(re.compile(r"actor=joe-biden&sort=oldest&date_from=2023-04&date_to=$"))
    expect(page.locator(".toolbar .count")).to_contain_text("2 articles")
    expect(page.locator(".chips-removable")).to_contain_text("From: April 2023")
