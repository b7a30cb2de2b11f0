"""The timeline of a list of articles: a bar chart of articles per month, or per year over a long span.

Drawn as SVG whose horizontal positions are percentages and whose text is in CSS pixels, so the
chart fills any width and its labels stay readable on a phone: two sets of axis labels are laid
out here, one for wide screens and a sparser one that the stylesheet shows on narrow ones. The
vertical axis has round values (0, 5, 10 …) with grid lines; bars are links, and a table beside
the chart gives the same figures to screen readers and to every browser without SVG.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Callable

from django.utils import dateformat
from django.utils.translation import get_language, ngettext

from articles.search import hits

MONTHS_SHOWN = 48  # a longer span is drawn one bar per year
MIN_SLOTS = 8  # fewer bars are drawn this wide at most, centred: one month is not one huge block
HEIGHT, TOP, BASELINE = 190, 20, 140  # px: the chart, the top of its plot area, the x axis
WIDE_LABELS, NARROW_LABELS = 12, 5  # axis labels at most, on a wide and on a narrow screen
VALUES_WIDE, VALUES_NARROW = 24, 10  # bars up to which each bar shows its count


@dataclass
class Bar:
    period: str  # "2022-03" or "2022"
    label: str  # "mars 2022" / "March 2022", or "2022"
    count: int
    url: str
    x: float = 0  # % of the plot's width
    width: float = 0  # %
    y: float = 0  # px
    height: float = 0  # px
    description: str = ""  # "mars 2022 : 3 articles"

    @property
    def middle(self) -> float:
        return round(self.x + self.width / 2, 3)


@dataclass
class Tick:
    x: float  # % of the plot's width
    label: str  # "mars", or "2022"
    wide: bool  # shown on wide screens
    narrow: bool  # shown on narrow screens
    year_wide: str = ""  # the year under a month label on a wide screen ("" when none)
    year_narrow: str = ""  # on a narrow screen


@dataclass
class Timeline:
    """Articles per month (or per year over a long span), laid out for the chart and its table."""

    unit: str  # "month" or "year"
    bars: list[Bar]
    ticks: list[Tick]
    grid: list[tuple[float, int]]  # (y in px, value) of the horizontal grid lines, 0 included
    max_count: int
    not_drawn: int  # articles dated only by their year (in a month chart) or not dated at all
    values_wide: bool = True
    values_narrow: bool = True
    height: int = HEIGHT
    baseline: int = BASELINE
    label_y: int = BASELINE + 17
    year_y: int = BASELINE + 35

    @property
    def counted_bars(self) -> list[Bar]:
        return [bar for bar in self.bars if bar.count]


def period_counts(result) -> tuple[dict[str, int], dict[str, int]]:
    """Return the result's article counts per month ("2022-03") and per year ("2022"), over all results."""
    if not result.total:
        return {}, {}
    counts = hits.facet_counts(result.page.paginator.object_list)

    def of(name):
        return {value: n for value, n in counts.get(name, []) if value and n}

    return of("month"), of("year")


def month_label(value: str) -> str:
    """Return "2022-03" as "mars 2022" (or "March 2022"), in the current language."""
    year, month = value.split("-")[:2]
    return _month_in(get_language(), int(year), int(month), "F Y")


def month_abbreviation(value: str) -> str:
    """Return "2022-07" as "juil." (or "July"), for an axis."""
    return _month_in(get_language(), int(value[:4]), int(value[5:7]), "N")


@lru_cache(maxsize=10_000)
def _month_in(language: str, year: int, month: int, month_format: str) -> str:
    """Return the month in that format and language: a chart names the same months page after page."""
    return dateformat.format(date(year, month, 1), month_format)


def nice_top(count: int) -> tuple[int, int]:
    """Return (top, step): a round top value at least count and its grid step (1, 2, 5 × 10ⁿ), 2 to 5 lines."""
    count = max(count, 1)
    for power in range(0, 10):
        for base in (1, 2, 5):
            step = base * 10 ** power
            if math.ceil(count / step) <= 5:
                return step * math.ceil(count / step), step
    return count, count  # pragma: no cover - counts beyond 10¹⁰


def _months(first: str, last: str, *, most: int) -> list[str] | None:
    """Return the months from first to last ("2022-03"), or None when they are more than `most`."""
    y, m = int(first[:4]), int(first[5:7])
    if (int(last[:4]) - y) * 12 + int(last[5:7]) - m >= most:  # a span of decades is not listed month by month
        return None
    periods = []
    while f"{y:04d}-{m:02d}" <= last:
        periods.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return periods


def build_timeline(result, url_for: Callable[[str], str]) -> Timeline | None:
    """Return the timeline of a search's results; url_for(period) is where a bar leads."""
    months, years = period_counts(result)
    if not years:
        return None
    periods = _months(min(months), max(months), most=MONTHS_SHOWN) if months else None
    if periods:
        bars = [Bar(p, month_label(p), months.get(p, 0), url_for(p)) for p in periods]
        not_drawn, unit = result.total - sum(months.values()), "month"
    else:
        first, last = int(min(years)), int(max(years))
        bars = [Bar(str(y), str(y), years.get(str(y), 0), url_for(str(y))) for y in range(first, last + 1)]
        not_drawn, unit = result.total - sum(years.values()), "year"
    max_count = max(bar.count for bar in bars)
    top, step = nice_top(max_count)
    slots = max(len(bars), MIN_SLOTS)
    offset = (slots - len(bars)) / 2
    plot = BASELINE - TOP
    for i, bar in enumerate(bars):
        bar.width = round(100 / slots * 0.72, 3)
        bar.x = round((offset + i) * 100 / slots + 100 / slots * 0.14, 3)
        bar.height = round(max(bar.count / top * plot, 2), 2) if bar.count else 0
        bar.y = round(BASELINE - bar.height, 2)
        bar.description = ngettext("%(period)s : %(n)d article", "%(period)s : %(n)d articles", bar.count) % {"period": bar.label, "n": bar.count}
    grid = [(round(BASELINE - value / top * plot, 2), value) for value in range(0, top + 1, step)]
    return Timeline(unit=unit, bars=bars, ticks=_ticks(bars, unit), grid=grid, max_count=max_count, not_drawn=not_drawn,
                    values_wide=len(bars) <= VALUES_WIDE, values_narrow=len(bars) <= VALUES_NARROW)


def _ticks(bars: list[Bar], unit: str) -> list[Tick]:
    """Label the axis: every bar when few, else every nth one, more sparsely on a narrow screen.

    A month label names the month ("mars"), with its year under it at the first label and at
    each January; a year chart names the years.
    """
    wide_every, narrow_every = math.ceil(len(bars) / WIDE_LABELS), math.ceil(len(bars) / NARROW_LABELS)
    if unit == "month" and len(bars) > WIDE_LABELS:  # label Januaries and quarters, not arbitrary months
        wide_every = next(k for k in (2, 3, 4, 6, 12) if math.ceil(len(bars) / k) <= WIDE_LABELS)
        narrow_every = next(k for k in (3, 4, 6, 12, 24) if math.ceil(len(bars) / k) <= NARROW_LABELS)
    ticks = []
    seen_wide = seen_narrow = False
    for i, bar in enumerate(bars):
        month = int(bar.period[5:7]) if unit == "month" else 1
        phase = (month - 1) if unit == "month" and len(bars) > WIDE_LABELS else i
        wide, narrow = phase % wide_every == 0, phase % narrow_every == 0
        if not (wide or narrow):
            continue
        if unit == "month":
            tick = Tick(bar.middle, month_abbreviation(bar.period), wide, narrow)
            if wide and (month == 1 or not seen_wide):
                tick.year_wide = bar.period[:4]
            if narrow and (month == 1 or not seen_narrow):
                tick.year_narrow = bar.period[:4]
        else:
            tick = Tick(bar.middle, bar.label, wide, narrow)
        seen_wide, seen_narrow = seen_wide or wide, seen_narrow or narrow
        ticks.append(tick)
    return ticks
