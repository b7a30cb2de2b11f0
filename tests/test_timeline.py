"""The timeline chart: sensible with one month or ten years, labelled axes, readable label sets."""
from datetime import date

import pytest

from articles.timeline import nice_top
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def timeline_of(client, url="/search/"):
    return client.get(url).context["timeline"]


def test_one_month_is_one_slim_bar_in_the_middle_with_a_labelled_axis(client, commit_hooks):
    with commit_hooks():
        for day in (3, 9, 17):
            make_article(f"Un article du {day} mars.", published=date(2022, 3, day))
    timeline = timeline_of(client)
    assert timeline.unit == "month"
    [bar] = timeline.bars
    assert (bar.label, bar.count, bar.description) == ("mars 2022", 3, "mars 2022 : 3 articles")
    assert bar.width <= 100 / 8 and abs(bar.middle - 50) < 0.01  # not a block across the chart
    assert timeline.grid == [(140.0, 0), (100.0, 1), (60.0, 2), (20.0, 3)]
    assert [(t.label, t.year_wide, t.year_narrow) for t in timeline.ticks] == [("mars", "2022", "2022")]
    html = client.get("/search/").content.decode()
    assert '<text class="value wide narrow" x="50.0%" y="15" text-anchor="middle">3</text>' in html
    assert '<text x="38" y="24" text-anchor="end">3</text>' in html  # the y axis says how many


def test_ten_years_are_drawn_by_year_with_few_enough_labels(client, commit_hooks):
    with commit_hooks():
        for year in range(2013, 2023):
            for month in (2, 7):
                make_article(f"Article de {month}/{year}.", published=date(year, month, 1))
    timeline = timeline_of(client)
    assert timeline.unit == "year"  # 114 months are too many bars
    assert [bar.label for bar in timeline.bars] == [str(y) for y in range(2013, 2023)]
    assert [t.label for t in timeline.ticks if t.wide] == [str(y) for y in range(2013, 2023)]
    assert [t.label for t in timeline.ticks if t.narrow] == ["2013", "2015", "2017", "2019", "2021"]
    assert (timeline.values_wide, timeline.values_narrow) == (True, True)  # ten bars: each shows its count


def test_thirty_months_label_quarters_on_wide_screens_and_years_on_narrow_ones(client, commit_hooks):
    with commit_hooks():
        for n in range(30):
            make_article(f"Article numéro {n}.", published=date(2021 + (n // 12), n % 12 + 1, 5))
    timeline = timeline_of(client)
    assert (timeline.unit, len(timeline.bars)) == ("month", 30)
    wide = [(t.label, t.year_wide) for t in timeline.ticks if t.wide]
    narrow = [(t.label, t.year_narrow) for t in timeline.ticks if t.narrow]
    assert wide == [("jan.", "2021"), ("avr.", ""), ("juil.", ""), ("oct.", ""), ("jan.", "2022"), ("avr.", ""),
                    ("juil.", ""), ("oct.", ""), ("jan.", "2023"), ("avr.", "")]
    assert narrow == [("jan.", "2021"), ("juil.", ""), ("jan.", "2022"), ("juil.", ""), ("jan.", "2023")]
    assert (timeline.values_wide, timeline.values_narrow) == (False, False)  # thirty bars: the y axis says it


@pytest.mark.parametrize("count, expected", [(1, (1, 1)), (3, (3, 1)), (7, (8, 2)), (12, (15, 5)), (38, (40, 10)), (240, (250, 50))])
def test_the_y_axis_ends_on_a_round_value(count, expected):
    assert nice_top(count) == expected


def test_the_caption_says_per_year_when_the_bars_are_years_in_both_languages(client, commit_hooks):
    with commit_hooks():
        for year in range(2013, 2023):
            make_article(f"Article de {year}.", published=date(year, 3, 1), tags=["Diplomatie"])
    pages = {"/": ("Articles de l’archive, par année", "Articles of the archive, per year"),
             "/search/?q=article": ("Articles de cette recherche, par année", "Articles of this search, per year"),
             "/tags/diplomatie/": ("Ses articles, par année", "Its articles, per year")}
    for url, (french, english) in pages.items():
        html = client.get(url).content.decode()
        assert french in html and "par mois" not in html, url
        client.cookies["django_language"] = "en"
        html = client.get(url).content.decode()
        assert english in html and "per month" not in html, url
        del client.cookies["django_language"]
