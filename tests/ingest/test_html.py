"""Saved HTML pages: the headline is the article's <h1>, not og:title nor the site's logo."""
from lxml import html as lxml_html

from articles.ingest.html import article_headline, clean_html, strip_site_name

BODY = "".join(f"<p>{text}</p>" for text in [
    "Le conseil régional a voté jeudi un plan de deux cents millions d’euros pour les lignes de car rurales.",
    "Les élus de l’opposition ont voté contre, jugeant le calendrier trop long pour les villages les plus isolés.",
    "Le président du conseil a promis que les premiers cars circuleraient dès la rentrée prochaine.",
])


def page(head: str, h1s: list[str]) -> str:
    headings = "".join(f"<h1>{h}</h1>" for h in h1s)
    return f"<html><head>{head}</head><body><article>{headings}{BODY}</article></body></html>"


def test_the_article_h1_wins_over_a_different_og_title_and_the_logo_h1():
    html = page("<title>Les cars ruraux auront leur plan - La Gazette</title>"
                "<meta property='og:title' content='Région : un plan pour les cars'>",
                ["La Gazette - Actualités, Politique, Sport", "Les cars ruraux auront leur plan"])
    tree = lxml_html.fromstring(html)
    assert article_headline(tree, "") == "Les cars ruraux auront leur plan"
    assert clean_html(html).title == "Les cars ruraux auront leur plan"


def test_without_h1_the_document_title_loses_the_site_name():
    assert strip_site_name("Les cars ruraux auront leur plan | La Gazette", "") == "Les cars ruraux auront leur plan"
    assert strip_site_name("Les cars ruraux - La Gazette du Nord", "La Gazette du Nord") == "Les cars ruraux"
    assert strip_site_name("SONDAGE - Le plan des cars divise", "La Gazette") == "SONDAGE - Le plan des cars divise"
    html = page("<title>Les cars ruraux auront leur plan | La Gazette</title>", [])
    assert clean_html(html).title == "Les cars ruraux auront leur plan"
