"""Headline, publication date with its precision, publisher and language."""
from datetime import date

from articles.ingest.clean import clean_text
from articles.ingest.dates import parse_date
from articles.ingest.metadata import detect_language, extract_date
from articles.ingest.source import extract_source

IMPORTED = date(2026, 11, 21)


def describe(raw: str):
    page = clean_text(raw)
    return page.title, extract_date(page, imported_on=IMPORTED), extract_source(page)


def test_byline_with_author_outlet_and_agency():
    raw = ("Les vignerons du Jura face à la grêle\n"
           "Par Jeanne Martin, Le Courrier avec Reuters\n"
           "Publié le 3 février 2023 à 10h12 Mis à jour le 4 février 2023\n\n"
           "Un orage a détruit une partie des vignes le 12 janvier 2021, rappelle la mairie.\n")
    assert describe(raw) == ("Les vignerons du Jura face à la grêle", (date(2023, 2, 3), "day"),
                             ("Le Courrier", "Reuters"))


def test_outlet_alone_in_byline_and_a_weekday_without_year():
    raw = ("Grève des transports à Lyon\n\nPar InfoRhône avec AFP\n\n"
           "Les bus sont restés au dépôt ce samedi 1er avril, a annoncé le syndicat.\n")
    assert describe(raw) == ("Grève des transports à Lyon", (date(2023, 4, 1), "day"), ("InfoRhône", "AFP"))


def test_author_alone_is_not_the_publisher():
    raw = "Un titre court\n\nPar Jeanne Martin\n\nLe conseil a voté le budget.\n"
    assert describe(raw)[2] == ("", "")


def test_quoted_medium_is_not_the_source_and_unknown_date_stays_unknown():
    raw = ("Le ministre a déclaré mardi à CNN que les discussions continuaient.\n"
           "Selon le Monde, rien n'est décidé.\n")
    assert describe(raw) == ("", (None, "unknown"), ("", ""))


def test_self_description_names_the_publisher():
    raw = ("Le maire a inauguré le pont mardi.\n"
           "Aidez-nous à rester libres\n"
           "La Gazette du Lac est un journal indépendant qui compte sur votre soutien.\n")
    assert describe(raw)[2] == ("La Gazette du Lac", "")


def test_date_formats():
    assert parse_date("1er avril 2022") == (date(2022, 4, 1), "day")
    assert parse_date("mis en ligne le 22/07/2022") == (date(2022, 7, 22), "day")
    assert parse_date("date 2022-03") == (date(2022, 3, 1), "month")
    assert parse_date("en mars 2021") == (date(2021, 3, 1), "month")
    assert parse_date("aucune date") == (None, "unknown")


def test_leading_date_stamp_gives_month_precision():
    assert describe(" date 2019-11 Le conseil a voté. Les élus ont applaudi.\nSuite du texte.")[1] == (
        date(2019, 11, 1), "month")


def test_photo_date_bounds_the_year_only():
    raw = ("Un sommet sans accord\n\nLes dirigeants se sont parlé mercredi.\n"
           "Les deux présidents lors d'une rencontre le 12 mai 2019.\nJean Dupin / AFP\n\nLa suite est attendue.\n")
    assert describe(raw)[1] == (date(2019, 1, 1), "year")


def test_language():
    assert detect_language("Le gouvernement a annoncé une réforme des retraites qui sera votée au printemps.") == "fr"
    assert detect_language("The government announced a pension reform that will be voted on in the spring.") == "en"
    assert detect_language("Die Regierung hat eine Rentenreform angekündigt, die im Frühjahr beschlossen wird.") == "de"
    assert detect_language("123 456") == ""


def test_abbreviated_months_and_two_digit_years():
    assert parse_date("Publié le 2 nov. 2023 à 16:00") == (date(2023, 11, 2), "day")
    assert parse_date("27 Sep 2016") == (date(2016, 9, 27), "day")
    assert parse_date("Publié le 02/11/23 à 16h33") == (date(2023, 11, 2), "day")
    assert parse_date("version 1.5.23 du logiciel") == (None, "unknown")


def test_publication_stamp_wins_over_update_and_a_bare_date_line_dates_the_article():
    raw = ("Un plan pour les cars ruraux\n17/03/2020\n"
           "Le conseil régional a voté un plan pour les cars ruraux, a annoncé son président.\n")
    assert describe(raw)[1] == (date(2020, 3, 17), "day")
    raw = ("Un plan pour les cars ruraux\nMis à jour le 5 mai 2021\nPublié le 3 mai 2021\n"
           "Le conseil régional a voté un plan pour les cars ruraux, a annoncé son président.\n")
    assert describe(raw)[1] == (date(2021, 5, 3), "day")


def test_dates_in_teasers_and_comments_are_not_the_article_date():
    comments = "\n".join(f"lecteur{n}\nLe {n + 1} juin 2019 à 10:0{n}\nTout à fait d'accord avec cet article, merci." for n in range(4))
    raw = ("Accueil\nUn plan pour les cars ruraux\n"
           "Le conseil régional a voté jeudi un plan pour les lignes de car rurales, a annoncé son président.\n"
           "Les élus de l’opposition ont voté contre, jugeant le calendrier trop long pour les villages.\n"
           f"4 commentaires\n{comments}\n")
    assert describe(raw)[1] == (None, "unknown")
