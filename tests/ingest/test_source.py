"""The outlet from the page's own signals: byline, legal lines, the page's name; never an author."""
import pytest

from articles.ingest.clean import CleanPage, clean_text
from articles.ingest.source import extract_source

TEXT = ("Le conseil régional a voté jeudi un plan de deux cents millions d’euros pour les lignes de car rurales.\n"
        "Les élus de l’opposition ont voté contre, jugeant le calendrier trop long pour les villages isolés.\n")


@pytest.mark.parametrize("legal, outlet", [
    ("© La Gazette du Nord", "La Gazette du Nord"),
    ("Tous droits réservés © Société Radio\u2011Nord 2020.", "Société Radio-Nord"),
    ("© 2017 LE RÉVEIL DU SUD - Termes et conditions", "LE RÉVEIL DU SUD"),
    ("Tous droits réservés - Les Nouvelles 2023", "Les Nouvelles"),
    ("Choix de consentement © Copyright 20 Heures - La fréquentation du site est certifiée", "20 Heures"),
    ("© Sciences et Loisirs - Les contenus du site sont protégés", "Sciences et Loisirs"),
])
def test_legal_line_names_the_outlet(legal, outlet):
    page = clean_text(f"Accueil\nPolitique\nUn plan pour les cars ruraux\n{TEXT}Mentions légales\n{legal}\n")
    assert extract_source(page) == (outlet, "")


def test_copyright_years_alone_take_the_name_from_the_next_line():
    page = clean_text(f"Accueil\nUn plan pour les cars ruraux\n{TEXT}Contact\nCopyright © 1997-2020\nRépublique du Nord\n")
    assert extract_source(page) == ("République du Nord", "")


def test_a_menu_link_named_copyright_is_not_a_legal_line():
    page = CleanPage(body=TEXT, removed=["Mentions légales Copyright Nos archives Publicité"])
    assert extract_source(page) == ("", "")


def test_the_page_opening_with_its_name_or_address():
    assert extract_source(clean_text(f"Aller au contenu\nLe Réveil\nPolitique\nUn plan pour les cars\n{TEXT}"))[0] == "Le Réveil"
    assert extract_source(clean_text(f"Aller au contenu\nreveil.fr\nPolitique\nUn plan pour les cars\n{TEXT}"))[0] == "reveil.fr"
    assert extract_source(clean_text(f"Lire le journal\nAbonnement\nPolitique\nUn plan pour les cars\n{TEXT}"))[0] == ""


@pytest.mark.parametrize("byline", ["Par Loïc Le Roux |", "Par Marc OLIVIER. Publié le", "Par Anne Roy, 21 juin 2018",
                                    "Par Anne Roy et Marc Olivier", "Par Nicolas Martin C. le 14.09.2020 à 11h46"])
def test_an_author_in_the_byline_is_never_the_outlet(byline):
    page = clean_text(f"Un plan pour les cars ruraux\n{byline}\n{TEXT}")
    assert extract_source(page) == ("", "")
