"""Headline, publication date with its precision, publisher and language."""
from datetime import date

from articles.ingest.clean import clean_text
from articles.ingest.metadata import detect_language, extract_date, extract_source, parse_date

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
