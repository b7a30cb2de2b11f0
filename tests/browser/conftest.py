"""Debian's Chromium driven by Playwright against Django's live server: browser, data, axe, screenshots."""
import os
from datetime import date
from pathlib import Path

import pytest
from django.db import connections, transaction

from tests.factories import make_article

# Playwright's sync API runs an event loop in the test thread; the ORM calls of the data fixtures
# are still plain synchronous calls made between page actions.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("NEWSARCHIVE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
# Ignored by git: the reviewer looks at these after a run.
SCREENSHOTS = Path(os.environ.get("NEWSARCHIVE_SCREENSHOTS", Path(__file__).resolve().parents[2] / "screenshots"))
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def browser():
    """Start Playwright and Chromium for one test.

    Not session-scoped on purpose: while Playwright's sync API runs, an asyncio loop runs in this
    thread and Django's `connections` hands out other connection objects, without the serialized
    data that `serialized_rollback` restores; started per test, it is stopped before the flush.
    """
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: `make test` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()
        connections.close_all()  # those opened while Playwright ran, else the test database cannot be dropped


@pytest.fixture
def new_page(browser, live_server):
    """Return open(**context options) -> a page of a new browser context, French unless told."""
    contexts = []

    def open_page(*, locale="fr-FR", viewport=DESKTOP, **options):
        context = browser.new_context(base_url=live_server.url, locale=locale, viewport=viewport, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


# Data the live server sees must be committed; serialized_rollback restores the countries that
# the migrations stored once the test has flushed the tables.
browser_db = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def archive():
    build_archive()


def build_archive() -> None:
    """Store twenty-nine articles: twenty-two about Xi Jinping (twenty with Russia), some about
    Joe Biden, and three dated only by month, by year, or not at all."""
    sources = ["Le Courrier de Pékin", "La Gazette de l’Est"]
    with transaction.atomic():
        for n in range(22):
            make_article(
                f"Pékin et Moscou ont renforcé leurs échanges malgré les sanctions occidentales, selon Xi Jinping.\n\n"
                f"Le volume du commerce bilatéral a progressé de {n + 3} % sur un an, porté par l’énergie et les céréales. "
                "Les analystes interrogés y voient un partenariat « sans limites » qui inquiète Washington et Bruxelles.\n\n"
                "Le Kremlin a salué une coopération « exemplaire » ; la diplomatie chinoise appelle à une solution négociée en Ukraine.",
                title=f"Sanctions : Pékin et Moscou resserrent leurs liens (épisode {n + 1})",
                published=date(2022, 1 + n % 11, 1 + n), source=sources[n % 2],
                actors=["Xi Jinping", "Vladimir Poutine"] if n % 3 else ["Xi Jinping"],
                countries=["CN", "RU"] if n < 20 else ["CN"], tags=["Diplomatie", "Économie"] if n % 2 else ["Diplomatie"],
            )
        for n in range(4):
            make_article(
                f"Joe Biden annonce de nouvelles sanctions contre les banques russes (volet {n + 1}).",
                title=f"Washington durcit les sanctions, volet {n + 1}", published=date(2023, 2 + n, 10), source="La Gazette de l’Est",
                actors=["Joe Biden"], countries=["US", "RU"] if n < 2 else ["US"], tags=["Économie"],
            )
        make_article("Bilan mensuel des sanctions.", title="Le mois des sanctions", published=date(2022, 6, 1), precision="month",
                     source="Le Courrier de Pékin", actors=["Xi Jinping"], countries=["CN"], tags=["Diplomatie"])
        make_article("Une année de sanctions vue de Pékin.", title="Une année de sanctions", published=date(2022, 1, 1), precision="year",
                     source="Le Courrier de Pékin", actors=["Xi Jinping"], countries=["CN"], tags=["Diplomatie"])
        make_article("Texte sans date ni titre sur les sanctions et Pékin, repris d’une page incomplète.", countries=["CN"])


def check_accessibility(page) -> list[dict]:
    """Run axe-core in the page; return its violations (rule, impact, first elements)."""
    # Through the DevTools protocol, which the page's Content-Security-Policy (no inline script) does not govern.
    page.evaluate(AXE.read_text())
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return result.violations.map(v => ({rule: v.id, impact: v.impact, help: v.help,
                                                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }""",
        AXE_TAGS,
    )


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
