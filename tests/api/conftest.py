"""An archive small enough to read, with every kind of thing the API describes."""
from datetime import date

import pytest

from tests.factories import make_article


@pytest.fixture
def archive(commit_hooks):
    """Five articles: dated to the day, the month and the year, one undated; actors, countries, tags, sources."""
    with commit_hooks():
        first = make_article(
            "Xi Jinping et Vladimir Poutine parlent des sanctions contre Moscou.", title="Pékin et Moscou",
            published=date(2022, 3, 20), source="Le Courrier", actors=["Xi Jinping", "Vladimir Poutine"],
            countries=["CN", "RU"], tags=["Diplomatie"])
        make_article(
            "Xi Jinping reçoit Joe Biden pour parler des sanctions.", title="Appel avec Washington",
            published=date(2022, 3, 1), precision="month", source="La Gazette", actors=["Xi Jinping", "Joe Biden"],
            countries=["CN", "US"], tags=["Diplomatie", "Économie"])
        make_article(
            "Bilan de l’année des sanctions économiques.", title="Une année de guerre", published=date(2022, 1, 1),
            precision="year", source="La Gazette", actors=["Xi Jinping"], countries=["CN"], tags=["Économie"])
        make_article(
            "Les céréales ukrainiennes quittent Odessa.", title="Céréales", published=date(2023, 5, 4),
            source="Le Courrier", actors=["Volodymyr Zelensky"], countries=["UA"])
        make_article("Texte sans date sur Xi Jinping et les sanctions.", title="Sans date", actors=["Xi Jinping"], countries=["CN"])
    return first
