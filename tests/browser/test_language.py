"""The language switch in Chromium: it keeps the page, wins over the browser's language, and lasts."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import browser_db

pytestmark = [pytest.mark.browser, browser_db]


def test_switching_to_english_keeps_the_page_and_its_query(page, archive):
    page.goto("/search/?q=sanctions&actor=joe-biden&sort=oldest")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator(".result .meta").first).to_contain_text("10 février 2023")
    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(re.compile(r"/search/\?q=sanctions&actor=joe-biden&sort=oldest$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Results for “sanctions”")
    expect(page.locator(".result .meta").first).to_contain_text("10 February 2023")
    expect(page.get_by_role("complementary", name="Narrow down").get_by_role("region", name="Countries")).to_contain_text("United States")
    page.goto("/2022/03/")  # the choice lasts
    expect(page.get_by_role("heading", level=1)).to_have_text("Articles of March 2022")
    page.get_by_role("button", name="Français").click()
    expect(page).to_have_url(re.compile(r"/2022/03/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Les articles de mars 2022")


def test_an_english_browser_gets_english_until_it_picks_french(new_page, archive):
    page = new_page(locale="en-US")
    page.goto("/actors/xi-jinping/")
    expect(page.get_by_role("heading", name="Often mentioned with")).to_be_visible()
    page.get_by_role("button", name="Français").click()
    expect(page.get_by_role("heading", name="Souvent cités avec")).to_be_visible()
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("L’archive")
