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


INSET = ("<div class='article-box-source'><div class='source-infos'><span>Le Courrier des Vallées</span><div>"
         "<p>C’est le journal des éleveurs de la montagne. Le Courrier des Vallées est un hebdomadaire fondé en "
         "1950 par Henri Vasseur, qui a toujours défendu les petites exploitations contre les grands groupes.</p>"
         "<p>Depuis son rachat en 2007 par le groupe Médias Réunis de Paul Granier, le titre a toutefois évolué "
         "vers une formule plus généraliste afin de rivaliser avec les quotidiens régionaux.</p></div></div></div>")


def test_a_box_about_the_source_inside_the_article_element_is_not_in_its_body():
    more = ("<p>Les maires des communes de montagne réclamaient depuis des années un car chaque matin vers le "
            "lycée le plus proche, et un retour le soir qui ne laisse pas les élèves attendre deux heures.</p>")
    html = (f"<html><body><article><h1>Les cars ruraux auront leur plan</h1>{BODY}{more}{more}"
            f"<div class='tags'><a href='/t'>Transports</a></div>{INSET}</article></body></html>")
    body = clean_html(html).body
    assert "deux cents millions" in body and "Granier" not in body and "hebdomadaire" not in body


def test_a_layout_wrapper_named_sidebar_keeps_the_article_it_holds():
    html = ("<html><body><div class='page sidebar-right'><h1>Les cars ruraux auront leur plan</h1>"
            f"{BODY}</div><aside><p>Les plus lus : la météo du week-end.</p></aside></body></html>")
    body = clean_html(html).body
    assert "deux cents millions" in body and "premiers cars" in body and "météo" not in body
