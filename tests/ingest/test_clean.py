"""Furniture removal on raw text pages: what stays in the body, what goes to captions."""
from pathlib import Path

from articles.ingest.clean import clean_text, is_credit

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"

PAGE = """Menu

Please Wait...

Les vignerons du Jura face à la grêle

Les vignerons du Jura face à la grêle
schedule_later il y a 3 heures
Par Jeanne Martin, Le Courrier avec Reuters
Publié le 3 février 2023 à 10h12 Mis à jour le 4 février 2023

Un orage a détruit mardi une partie des vignes autour d’Arbois, a indiqué la chambre d’agriculture.

Lire aussi : La sécheresse menace les récoltes en Bourgogne

Le maire, Paul Girard, a demandé l’aide de l’État.
Les vignes d’Arbois après l’orage.
Photo: John Smith / AFP

« Nous avons tout perdu », a dit Anne Roy.

Partager sur Facebook Twitter
Laisser un commentaire
Vous aimez nos articles ? Soutenez notre journalisme indépendant : faites un don.
"""


def test_invented_page_keeps_only_the_article():
    page = clean_text(PAGE)
    assert page.title == "Les vignerons du Jura face à la grêle"
    assert page.body == (
        "Un orage a détruit mardi une partie des vignes autour d’Arbois, a indiqué la chambre d’agriculture.\n\n"
        "Le maire, Paul Girard, a demandé l’aide de l’État.\n\n"
        "« Nous avons tout perdu », a dit Anne Roy."
    )
    assert page.captions == ["Les vignes d’Arbois après l’orage.", "Photo: John Smith / AFP"]
    assert page.header == [
        "Par Jeanne Martin, Le Courrier avec Reuters",
        "Publié le 3 février 2023 à 10h12 Mis à jour le 4 février 2023",
    ]
    assert page.footer == ["Vous aimez nos articles ? Soutenez notre journalisme indépendant : faites un don."]


def test_photo_credit_lines():
    credits = ["Huang Wei / Xinhua via ZUMA Press", "AP Photo / Jane Doe", "MARC DUPONT / AFP",
               "Photo : Anna Berg", "© Reuters", "Jean Dupin, Sipa, photo d'archive via AP, fichier"]
    sentences = ["Le président a parlé à la presse / aux journalistes.", "Selon l’AFP, le vote est reporté.",
                 "Ukraine / Russie : les négociations reprennent"]
    assert [is_credit(line) for line in credits] == [True] * len(credits)
    assert [is_credit(line) for line in sentences] == [False] * len(sentences)


def test_page_that_starts_with_its_lead_has_no_title():
    page = clean_text("Le gouvernement a annoncé lundi une hausse des salaires. Les syndicats saluent un premier pas.\n"
                      "La mesure entrera en vigueur en juin.")
    assert page.title == ""
    assert page.body == ("Le gouvernement a annoncé lundi une hausse des salaires. Les syndicats saluent un premier pas."
                         "\n\nLa mesure entrera en vigueur en juin.")


def test_seed_page_widgets_and_credits_are_removed():
    page = clean_text((SEEDS / "003_eb24c521ba7ed0b2.txt").read_text(encoding="utf-8"))
    for furniture in ("READ", "LEAVE A REPLY", "Please enter", "via Getty Images", "AP Photo", "fils de discussion"):
        assert furniture not in page.body
    assert len(page.captions) == 9
    assert page.captions[2] == "Huang Jingwen / Xinhua via ZUMA Press"


def test_closing_appeal_goes_to_footer():
    page = clean_text((SEEDS / "004_120417579168021d.txt").read_text(encoding="utf-8"))
    assert page.footer[0] == "Comment pouvez-vous nous aider à vous tenir informés ?"
    assert page.body.endswith("mais se garde de toute critique à l’égard de Moscou.")
