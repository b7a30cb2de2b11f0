"""The whole extraction on the sample pages and on invented ones."""
from datetime import date
from pathlib import Path

import pytest

from articles.ingest.pipeline import extract_article, extract_articles

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"
IMPORTED = date(2026, 11, 21)


def seed(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


def test_seed_with_byline_and_weekday_date():
    article = extract_article(seed("000_31e098282308b3f9.txt"), imported_on=IMPORTED)
    assert (article.title, article.published_on, article.date_precision, article.source, article.agency,
            article.language) == ("Conflit en Ukraine: Pékin n’envoie pas d’assistance militaire à Moscou",
                                  date(2022, 3, 20), "day", "AlAhed", "AFP", "fr")
    assert [a.name for a in article.actors] == ["Qin Gang", "CBS", "Joe Biden", "Xi Jinping", "Vladimir Poutine"]  # in reading order
    assert [c.code for c in article.countries] == ["UA", "CN", "RU", "US"]
    assert article.body.startswith("Pékin n’envoie pas d’assistance militaire à Moscou pour son opération")
    assert article.body.endswith("une reprise des pourparlers de paix».")


def test_seed_without_headline_date_or_byline():
    article = extract_article(seed("004_120417579168021d.txt"), imported_on=IMPORTED)
    assert (article.title, article.published_on, article.date_precision, article.source) == (
        "", None, "unknown", "Epoch Times")
    assert [(a.name, a.aliases) for a in article.actors] == [
        ("Li Shangfu", ["Li", "M. Li"]),
        ("Sergueï Choïgou", []),
        ("Vladimir Poutine", ["M. Poutine", "Poutine"]),
        ("Parti Communiste Chinois", []),
        ("Xi Jinping", ["M. Xi", "Xi"]),
        ("Volodymyr Zelensky", []),
    ]


def test_photographers_in_captions_are_not_actors():
    article = extract_article(seed("003_eb24c521ba7ed0b2.txt"), imported_on=IMPORTED)
    assert [a.name for a in article.actors] == ["Xi Jinping", "Vladimir Poutine", "OTAN", "Youri Ouchakov", "Xinhua"]
    assert "LT" not in [c.code for c in article.countries]  # only named in a link to another article


def test_invented_page_from_another_outlet():
    raw = ("Le Mali et le Niger signent un accord sur l'eau\n\n"
           "Par Awa Traoré, Sahel Hebdo avec AFP\n"
           "Publié le 3 février 2023 à 10h12 Mis à jour le 4 février 2023\n\n"
           "Le président malien Assimi Goïta a reçu à Bamako son homologue nigérien. "
           "M. Goïta a salué un accord « historique ».\n"
           "Assimi Goïta à Bamako, le 2 février 2023.\n"
           "Photo: Oumar Diallo / AFP\n\n"
           "À lire aussi : Sécheresse au Sahel, les éleveurs inquiets\n\n"
           "L'accord doit être ratifié par les deux parlements.\n")
    article = extract_article(raw, imported_on=IMPORTED)
    assert (article.title, article.published_on, article.date_precision, article.source, article.agency) == (
        "Le Mali et le Niger signent un accord sur l'eau", date(2023, 2, 3), "day", "Sahel Hebdo", "AFP")
    assert article.body == ("Le président malien Assimi Goïta a reçu à Bamako son homologue nigérien. "
                            "M. Goïta a salué un accord « historique ».\n\n"
                            "L'accord doit être ratifié par les deux parlements.")
    assert article.captions == ["Assimi Goïta à Bamako, le 2 février 2023.", "Photo: Oumar Diallo / AFP"]
    assert [(a.name, a.aliases) for a in article.actors] == [("Assimi Goïta", ["Goïta", "M. Goïta"])]
    assert [c.code for c in article.countries] == ["ML", "NE"]


def test_batch_gives_the_same_articles_as_one_by_one():
    items = [(seed(path.name), {"imported_on": IMPORTED}) for path in sorted(SEEDS.glob("*.txt"))]
    assert list(extract_articles(items, batch_size=2)) == [
        extract_article(raw, imported_on=IMPORTED) for raw, _ in items]


def test_html_page_goes_through_trafilatura():
    pytest.importorskip("trafilatura")
    html = ("<html><head><title>Le Courrier - Accueil</title>"
            "<meta property='og:site_name' content='Le Courrier'>"
            "<meta property='og:title' content='Les vignerons du Jura face à la grêle'>"
            "<meta property='article:published_time' content='2023-02-03T10:12:00+01:00'></head>"
            "<body><nav>Accueil | Politique | Sport</nav><article><h1>Les vignerons du Jura face à la grêle</h1>"
            "<p>Un orage a détruit mardi une partie des vignes autour d'Arbois, a indiqué la chambre "
            "d'agriculture du Jura dans un communiqué publié dans la soirée.</p>"
            "<figure><img src='a.jpg'><figcaption>Les vignes après l'orage. Photo: John Smith / AFP</figcaption>"
            "</figure><p>Le maire, Paul Girard, a demandé l'aide de l'État pour les exploitations touchées "
            "par la grêle, qui a frappé pendant une vingtaine de minutes.</p></article>"
            "<footer>Mentions légales</footer></body></html>")
    article = extract_article(html, raw_format="html", imported_on=IMPORTED)
    assert (article.title, article.published_on, article.source) == (
        "Les vignerons du Jura face à la grêle", date(2023, 2, 3), "Le Courrier")
    assert "Accueil" not in article.body and "Mentions légales" not in article.body
    assert article.body.startswith("Un orage a détruit mardi")
