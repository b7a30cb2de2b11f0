"""The timeline in Chromium at 360 px and 1,280 px: readable labels that do not overlap, a link per bar."""
import pytest

from tests.browser.conftest import DESKTOP, SCREENSHOTS, browser_db, screenshot

pytestmark = [pytest.mark.browser, browser_db]
PHONE_360 = {"width": 360, "height": 740}

VISIBLE_LABELS = """(chart) => [...chart.querySelectorAll('text')]
    .filter(t => getComputedStyle(t).display !== 'none')
    .map(t => { const r = t.getBoundingClientRect();
                return {text: t.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom,
                        size: parseFloat(getComputedStyle(t).fontSize)}; })"""


def overlaps(labels) -> list[tuple[str, str]]:
    """Return the pairs of labels on the same line whose boxes overlap."""
    found = []
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            same_line = abs(a["top"] - b["top"]) < 2
            if same_line and a["left"] < b["right"] - 1 and b["left"] < a["right"] - 1:
                found.append((a["text"], b["text"]))
    return found


@pytest.mark.parametrize("screen, viewport", [("phone-360", PHONE_360), ("desktop", DESKTOP)])
def test_the_timeline_is_readable_and_linked_at_any_width(new_page, archive, screen, viewport):
    page = new_page(viewport=viewport)
    page.goto("/search/?q=sanctions")
    chart = page.locator("#results-timeline-caption").locator("xpath=..").locator("svg.timeline-chart")
    labels = chart.evaluate(VISIBLE_LABELS)
    axis = page.locator("svg.timeline-axis").first.evaluate(VISIBLE_LABELS)
    assert [label["text"] for label in axis] == ["articles", "0", "1", "2", "3"]
    assert min(label["size"] for label in labels + axis) >= 11
    assert overlaps([label for label in labels if label["text"] not in {"1", "2", "3", "4", "5"}]) == []
    months = [label["text"] for label in labels if not label["text"].isdigit()]
    assert months[0] == "jan." and "2022" in [label["text"] for label in labels]
    rows = page.locator("#results-timeline-caption").locator("xpath=..").locator(".timeline-data tbody tr")
    assert chart.locator("a").count() == rows.count() == 15  # a link per month with articles, and the table
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, f"timeline-{screen}")
    page.locator("figure.timeline").first.screenshot(path=str(SCREENSHOTS / f"timeline-{screen}-chart.png"))


def test_one_month_is_a_slim_bar_and_the_bar_leads_to_its_month(new_page, archive):
    page = new_page(viewport=PHONE_360)
    page.goto("/search/?actor=joe-biden&date_from=2023-03&date_to=2023-03")
    chart = page.locator("svg.timeline-chart")
    bar, frame = chart.locator("rect").bounding_box(), chart.bounding_box()
    assert bar["width"] < frame["width"] / 6
    assert abs((bar["x"] + bar["width"] / 2) - (frame["x"] + frame["width"] / 2)) < 2
    screenshot(page, "timeline-one-month-phone-360")
    page.locator("figure.timeline").first.screenshot(path=str(SCREENSHOTS / "timeline-one-month-phone-360-chart.png"))
    chart.locator("a").click()
    page.wait_for_url("**date_from=2023-03&date_to=2023-03")
