"""In Chromium: a curator's tag rule, its proposals confirmed and rejected; an admin save of the date
alone; the admin article page and list at 1,280 px; the English search box."""
from datetime import date

import pytest
from django.db import transaction
from playwright.sync_api import expect

from articles.ingest.types import ActorMention, ArticleData
from articles.models import Article, ArticleActor
from articles.services import article_upsert
from tests.browser.conftest import browser_db, screenshot
from tests.factories import make_article
from tests.browser.test_curator_flows import curator, facet_rows, log_in, run_action  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, browser_db]


def test_a_curator_saves_a_rule_previews_it_and_reviews_its_proposals(page, archive, curator):
    log_in(page)
    page.goto("/search/?q=banques+russes")
    page.get_by_role("link", name="Faire de cette recherche une règle de thème").click()
    expect(page.get_by_label("Recherche")).to_have_value("banques russes")
    page.locator("#id_tag").select_option(label="Économie")
    page.get_by_role("button", name="Voir ce que la règle trouve").click()
    preview = page.locator(".rule-preview")
    expect(preview).to_contain_text("La recherche trouve 4 articles.")
    expect(preview).to_contain_text("4 articles ont déjà ce thème.")
    screenshot(page, "admin-tag-rule-preview")

    page.goto("/admin/articles/tag/add/")
    page.get_by_label("Nom").fill("Banques")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.goto("/search/?q=banques+russes")
    page.get_by_role("link", name="Faire de cette recherche une règle de thème").click()
    page.locator("#id_tag").select_option(label="Banques")
    page.get_by_role("button", name="Voir ce que la règle trouve").click()
    expect(page.locator(".rule-preview")).to_contain_text("Le thème sera proposé à 4 articles.")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("« Banques » proposé à 4 nouveaux articles.")
    expect(page.locator("#result_list td.field-match_count")).to_have_text("4")

    page.goto("/admin/articles/tagproposal/")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(4)
    screenshot(page, "admin-tag-proposals")
    rows.nth(0).locator("input.action-select").check()
    rows.nth(1).locator("input.action-select").check()
    run_action(page, "Confirmer les thèmes proposés sélectionnés")
    expect(page.locator("ul.changes")).to_have_text("2 thèmes proposés seront confirmés.")
    page.get_by_role("button", name="Oui, appliquer").click()
    expect(page.locator(".messagelist")).to_contain_text("2 articles mis à jour.")
    page.locator("#result_list tbody tr").nth(0).locator("select[name$=status]").select_option(label="rejeté")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#result_list tbody tr")).to_have_count(1)

    page.goto("/search/?q=banques")
    assert facet_rows(page, "Thèmes")["Banques"] == "3"  # two confirmed, one still proposed
    page.goto("/search/?q=banques&confirmed=1")
    assert facet_rows(page, "Thèmes")["Banques"] == "2"
    page.goto(Article.objects.filter(tag_links__tag__name="Banques", tag_links__status="proposed").get().get_absolute_url())
    expect(page.locator(".chips li.proposed")).to_contain_text("Banques")
    expect(page.locator(".chips li.proposed")).to_contain_text("proposé par une règle")


def test_saving_the_date_alone_leaves_the_raw_page_and_the_text_byte_for_byte(page, curator, seeds_dir):
    from articles.importer import import_paths

    import_paths([seeds_dir / "000_31e098282308b3f9.txt"], progress=False)
    article = Article.objects.get()
    raw, body = article.raw.encode(), article.body.encode()
    log_in(page)
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    page.locator("#id_published_on").fill("2022-03-21")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("a été modifié avec succès")
    article.refresh_from_db()
    assert (article.raw.encode(), article.body.encode()) == (raw, body)
    assert article.curated_fields == ["published_on"]
    page.goto(f"/admin/articles/article/{article.pk}/history/")
    expect(page.locator("#change-history tbody")).to_contain_text("Publié le")
    expect(page.locator("#change-history tbody")).not_to_contain_text("texte nettoyé")


def test_the_admin_article_page_quotes_evidence_readably_and_the_list_fits_1280(page, archive, curator):
    names = ["Amélie Durand", "Bruno Lefort", "Claire Moreau", "Denis Garnier", "Élise Fabre", "Fabien Roux", "Gaëlle Perrin",
             "Hugo Marchal", "Inès Colin", "Jules Barbier", "Karine Vidal", "Léon Aubry", "Maud Renaud", "Nino Carré",
             "Océane Brun", "Paul Lemaire"]
    text = " ".join(f"Selon {name}, la coopération entre les deux pays progresse malgré les sanctions et les pressions." for name in names)
    with transaction.atomic():
        article = article_upsert(data=ArticleData(body=text, raw=text, title="Seize témoins", published_on=date(2022, 3, 1),
                                                  date_precision="month",
                                                  actors=[ActorMention(name=n, evidence=f"Selon {n}, la coopération entre les deux pays progresse malgré les sanctions et les pressions.")
                                                          for n in names]), origin="t.txt").article
    assert ArticleActor.objects.filter(article=article).count() == 16
    log_in(page)
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    quote = page.locator("q.evidence").first
    expect(quote).to_be_visible()
    screenshot(page, "admin-article-evidence")
    assert quote.bounding_box()["width"] >= 250
    assert page.evaluate("document.documentElement.scrollHeight") < 4500
    assert page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]") == [1280, 1280]
    screenshot(page, "admin-article-evidence")

    store_long_articles()
    page.goto("/admin/articles/article/?o=-2")
    assert fits(page) == [True, True], str(column_widths(page))
    def date_of(title):
        return page.locator("#result_list tbody tr", has_text=title).locator("td.field-published").inner_text()

    assert (date_of("Le mois des sanctions"), date_of("Une année de sanctions"), date_of("Seize témoins")) == ("juin 2022", "2022", "mars 2022")
    assert date_of("Texte sans date ni titre") == "date inconnue"
    screenshot(page, "admin-article-list")


def test_the_english_search_box_shows_its_whole_placeholder(new_page, archive):
    page = new_page(locale="en-GB")
    page.goto("/search/")
    expect(page.locator("#q")).to_have_attribute("placeholder", 'Search: Pékin, sanctions, "aide militaire"…')
    assert page.locator("#q").evaluate("e => e.getAttributeNames().sort()") == ["id", "name", "placeholder", "type", "value"]


LONG_TITLES = [
    "Guerre en Ukraine : la Chine et la Russie signent à Moscou un accord de coopération énergétique de long terme sur le gaz naturel liquéfié arctique",
    "Sanctions occidentales : les exportations chinoises de composants électroniques à double usage vers la Russie ont doublé en un an, selon les douanes",
    "Entretien avec le représentant spécial du gouvernement chinois pour les affaires eurasiennes, de retour d’une tournée à Kyiv, Varsovie, Berlin et Paris",
]
LONG_SOURCES = ["Agence de presse Xinhua — édition francophone internationale", "Radio France Internationale — service Asie-Pacifique",
                "Le Courrier international de Pékin et de Moscou"]


def store_long_articles() -> None:
    """Articles with titles and sources as long as real ones, each with a proposed tag from a long rule and a suggestion."""
    from articles.models import ArticleTag, Tag, TagRule

    tag = Tag.objects.create(name="Coopération énergétique et industrielle sino-russe")
    rule = TagRule.objects.create(tag=tag, q="coopération énergétique gaz naturel liquéfié composants électroniques",
                                  filters={"country": ["RU", "CN"], "actor": ["xi-jinping", "vladimir-poutine"]}, date_from="2022-02")
    with transaction.atomic():
        for n, (title, source) in enumerate(zip(LONG_TITLES, LONG_SOURCES)):
            article = make_article(f"{title}. La coopération énergétique porte sur le gaz naturel liquéfié et les composants "
                                   "électroniques, malgré les sanctions.", title=title, published=date(2022, 9, 1 + n), source=source,
                                   actors=["Xi Jinping", "Vladimir Poutine"], countries=["RU", "CN"])
            ArticleTag.objects.create(article=article, tag=tag, origin="rule", status="proposed", rule=rule, evidence=rule.describe())
            ArticleTag.objects.create(article=article, tag=Tag.objects.get(name="Diplomatie"), origin="suggestion", status="proposed",
                                      confidence=0.87 - n / 10, evidence="")


def fits(page) -> list:
    """[page fits the window, the list's table fits its box]: every column in sight, none scrolled away."""
    return page.evaluate("""[document.documentElement.scrollWidth <= window.innerWidth,
                             (e => e.scrollWidth <= e.clientWidth + 1)(document.querySelector('#changelist .results'))]""")


def column_widths(page) -> dict:
    return page.evaluate("""Object.fromEntries([...document.querySelectorAll('#result_list thead th')].map(
        th => [th.className || 'th', Math.round(th.getBoundingClientRect().width)]).concat(
        [['box', document.querySelector('#changelist .results').clientWidth],
         ['table', document.querySelector('#changelist .results').scrollWidth]]))""")


def test_the_review_queue_fits_1280_with_long_titles_rules_and_sources(page, archive, curator):
    store_long_articles()
    log_in(page)
    page.goto("/admin/articles/tagproposal/")
    expect(page.locator("#result_list tbody tr")).to_have_count(6)
    assert fits(page) == [True, True], str(column_widths(page))
    screenshot(page, "admin-review-queue")
