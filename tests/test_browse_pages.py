"""The browsing pages: actor, country, tag and source pages, the date archive, timelines, languages."""
from datetime import date

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(commit_hooks):
    """Four articles of 2022 dated to the day, the month and the year, and one undated."""
    with commit_hooks():
        make_article(
            "Xi Jinping et Vladimir Poutine parlent des sanctions.", title="Pékin et Moscou", published=date(2022, 3, 20),
            source="Le Courrier", actors=["Xi Jinping", "Vladimir Poutine"], countries=["CN", "RU"], tags=["Diplomatie"],
        )
        make_article(
            "Xi Jinping reçoit Joe Biden.", title="Appel avec Washington", published=date(2022, 3, 1), precision="month",
            source="La Gazette", actors=["Xi Jinping", "Joe Biden"], countries=["CN", "US"], tags=["Diplomatie", "Économie"],
        )
        make_article(
            "Bilan de l’année.", title="Une année de guerre", published=date(2022, 1, 1), precision="year",
            source="La Gazette", actors=["Xi Jinping"], countries=["CN"], tags=["Économie"],
        )
        make_article(
            "Les céréales ukrainiennes.", title="Céréales", published=date(2022, 5, 4),
            source="Le Courrier", actors=["Volodymyr Zelensky"], countries=["UA"],
        )
        make_article("Texte sans date sur Xi Jinping.", title="Sans date", actors=["Xi Jinping"], countries=["CN"])


def get(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response


def titles(response):
    return [item.article.title for item in response.context["articles"]]


def counts(rows):
    return {row.label: row.count for row in rows}


def test_actor_page_lists_its_articles_and_who_is_mentioned_with_it(client, archive):
    response = get(client, "/actors/xi-jinping/")
    assert titles(response) == ["Pékin et Moscou", "Appel avec Washington", "Une année de guerre", "Sans date"]
    related = response.context["related"]
    assert counts(related["actor"]) == {"Joe Biden": 1, "Vladimir Poutine": 1}
    assert counts(related["country"]) == {"Chine": 4, "États-Unis": 1, "Russie": 1}
    assert counts(related["tag"]) == {"Diplomatie": 2, "Économie": 2}
    html = response.content.decode()
    assert '<h1 id="entity-heading">Xi Jinping</h1>' in html
    assert "4 articles dans l’archive." in html
    assert '<a href="/actors/joe-biden/">' in html and '<a href="/countries/ru/">' in html
    assert 'href="/search/?actor=xi-jinping"' in html


def test_actor_page_sorts_oldest_first_on_request(client, archive):
    assert titles(get(client, "/actors/xi-jinping/", sort="oldest")) == ["Une année de guerre", "Appel avec Washington", "Pékin et Moscou", "Sans date"]


def test_country_tag_and_source_pages(client, archive):
    assert titles(get(client, "/countries/ua/")) == ["Céréales"]
    assert titles(get(client, "/tags/economie/")) == ["Appel avec Washington", "Une année de guerre"]
    response = get(client, "/sources/la-gazette/")
    assert titles(response) == ["Appel avec Washington", "Une année de guerre"]
    assert counts(response.context["related"]["actor"]) == {"Xi Jinping": 2, "Joe Biden": 1}


def test_country_code_in_capitals_redirects_to_the_page_in_lower_case(client, archive):
    response = client.get("/countries/CN/")
    assert response.status_code == 301 and response["Location"] == "/countries/cn/"


@pytest.mark.parametrize("url", ["/actors/nobody/", "/countries/zz/", "/tags/nothing/", "/sources/nowhere/", "/1999/", "/2022/02/", "/2022/13/"])
def test_unknown_things_and_empty_periods_are_friendly_404s(client, archive, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_year_page_lists_every_article_of_the_year_whatever_its_precision(client, archive):
    response = get(client, "/2022/")
    assert titles(response) == ["Une année de guerre", "Appel avec Washington", "Pékin et Moscou", "Céréales"]
    timeline = response.context["timeline"]
    assert [(bar.period, bar.count, bar.url) for bar in timeline.counted_bars] == [("2022-03", 2, "/2022/03/"), ("2022-05", 1, "/2022/05/")]
    assert timeline.not_drawn == 1  # the article dated only "2022"
    assert [(t.label, t.year_wide, t.wide, t.narrow) for t in timeline.ticks] == [
        ("mars", "2022", True, True), ("avr.", "", True, True), ("mai", "", True, True)]
    assert timeline.grid == [(140.0, 0), (80.0, 1), (20.0, 2)]  # the y axis: 0, 1, 2 articles


def test_month_page_lists_day_and_month_precision_articles_of_the_month(client, archive):
    response = get(client, "/2022/03/")
    assert titles(response) == ["Appel avec Washington", "Pékin et Moscou"]
    html = response.content.decode()
    assert "Les articles de mars 2022" in html
    assert '<a rel="next" href="/2022/05/">mai 2022 →</a>' in html
    assert '<a href="/2022/">2022</a>' in html


def test_search_timeline_bars_narrow_the_dates_of_the_same_search(client, archive):
    response = get(client, reverse("articles:search"), actor="xi-jinping")
    timeline = response.context["timeline"]
    assert [(bar.label, bar.count) for bar in timeline.counted_bars] == [("mars 2022", 2)]
    assert timeline.counted_bars[0].url == "/search/?actor=xi-jinping&date_from=2022-03&date_to=2022-03"
    narrowed = get(client, reverse("articles:search"), actor="xi-jinping", date_from="2022-03", date_to="2022-03")
    assert sorted(hit.object.title for hit in narrowed.context["result"].page.object_list) == ["Appel avec Washington", "Pékin et Moscou"]


def test_timeline_svg_keeps_decimal_points_in_french(client, archive):
    html = get(client, "/").content.decode()
    assert '<svg class="timeline-chart" width="100%" height="190"' in html
    assert "<title>mars 2022 : 2 articles</title>" in html
    assert 'x="' in html and not any(f'{name}="{digit},' in html for name in ("x", "width") for digit in "0123456789")


def test_selected_filters_are_chips_that_remove_themselves(client, archive):
    response = get(client, reverse("articles:search"), actor=["xi-jinping", "joe-biden"], country="CN", date_from="2022-03")
    chips = [(chip.name, chip.label, chip.remove_url) for chip in response.context["chips"]]
    assert chips == [
        ("acteur", "Joe Biden", "/search/?actor=xi-jinping&country=CN&date_from=2022-03"),
        ("acteur", "Xi Jinping", "/search/?actor=joe-biden&country=CN&date_from=2022-03"),
        ("pays", "Chine", "/search/?actor=xi-jinping&actor=joe-biden&date_from=2022-03"),
        ("depuis", "mars 2022", "/search/?actor=xi-jinping&actor=joe-biden&country=CN"),
    ]
    html = response.content.decode()
    assert '<span class="chip-name">Acteur :</span> Joe Biden' in html
    assert '<a href="/search/">Retirer tous les filtres</a>' in html


def test_home_shows_the_most_mentioned_and_a_timeline(client, archive):
    response = get(client, "/")
    top = dict(response.context["top"])
    assert counts(top["actor"]) == {"Xi Jinping": 4, "Joe Biden": 1, "Vladimir Poutine": 1, "Volodymyr Zelensky": 1}
    assert counts(top["country"])["Chine"] == 4
    html = response.content.decode()
    assert '<a href="/actors/xi-jinping/"><span class="label">Xi Jinping</span>' in html
    assert [bar.url for bar in response.context["timeline"].counted_bars] == ["/2022/03/", "/2022/05/"]


def test_english_interface_with_dates_and_country_names_in_english(client, archive):
    client.cookies["django_language"] = "en"
    html = get(client, "/actors/xi-jinping/").content.decode()
    assert '<html lang="en">' in html
    assert "20 March 2022" in html and "mars" not in html
    assert "4 articles in the archive." in html
    assert "Often mentioned with" in html
    assert '<span class="label">China</span>' in html


def test_browser_asking_english_gets_english_and_the_switch_wins(client, archive):
    assert '<html lang="en">' in client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="fr">' in client.get("/", HTTP_ACCEPT_LANGUAGE="de-DE").content.decode()
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/actors/xi-jinping/?sort=oldest"}, HTTP_ACCEPT_LANGUAGE="en-US")
    assert response.status_code == 302 and response["Location"] == "/actors/xi-jinping/?sort=oldest"
    html = client.get("/actors/xi-jinping/?sort=oldest", HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert '<html lang="fr">' in html and "20 mars 2022" in html


def test_language_switch_form_returns_to_the_current_page(client, archive):
    html = get(client, reverse("articles:search"), q="sanctions", actor="xi-jinping").content.decode()
    assert '<input type="hidden" name="next" value="/search/?q=sanctions&amp;actor=xi-jinping">' in html
    assert '<button type="submit" name="language" value="en" lang="en">English</button>' in html


@pytest.mark.parametrize("language, heading", [("fr", "Une erreur est survenue"), ("en", "Something went wrong")])
def test_server_error_page_in_both_languages(language, heading):
    with translation.override(language):
        html = render_to_string("500.html")
    assert f'<html lang="{language}">' in html and f"<h1>{heading}</h1>" in html


@pytest.mark.parametrize("url", ["/", "/help/", "/search/?q=sanctions", "/actors/xi-jinping/", "/2022/", "/2022/03/"])
def test_every_page_is_translated_to_english(client, archive, url):
    client.cookies["django_language"] = "en"
    html = client.get(url).content.decode()
    for french in ("Rechercher", "Aller au contenu", "articles dans l’archive", "Trier", "Aide à la recherche", "Acteurs", "Thèmes"):
        assert french not in html, (url, french)


def test_a_year_page_links_the_nearest_years_that_have_articles(client, commit_hooks):
    with commit_hooks():
        for year in (2015, 2019, 2022):
            make_article(f"Le conseil vote en {year}.", title=f"Vote {year}", published=date(year, 6, 1))
        make_article("Un texte sans date.", title="Sans date")
    html = get(client, "/2019/").content.decode()
    assert '<a rel="prev" href="/2015/">← 2015</a>' in html
    assert '<a rel="next" href="/2022/">2022 →</a>' in html
