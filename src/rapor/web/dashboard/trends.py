"""An indicator's values over the release's years, drawn as a small line on its card.

The line is inline SVG computed here (no chart script: Beranda loads no chart library), and the
card repeats the same numbers as text for screen readers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from rapor.web.dashboard.differences import Difference
from rapor.web.dashboard.figures import Figure

WIDTH, HEIGHT, PAD = 120, 32, 4
# The vertical axis spans at least this share of the indicator's scale, so a change of a few
# tenths of a point does not fill the card's height and look like a collapse or a leap.
MIN_SPAN_SHARE = 0.1
CHART_TICKS = 5  # about as many steps on the detail chart's vertical axis


@dataclass(slots=True)  # not frozen: made for every year of every card (see figures.Figure)
class Point:
    x: float
    y: float
    selected: bool  # the year the card shows


@dataclass(frozen=True)
class Sparkline:
    figures: tuple[Figure, ...]  # every year of the release, oldest first, withheld ones too
    runs: tuple[str, ...]  # SVG polyline points, one run per stretch of years with a value
    points: tuple[Point, ...]
    year: int  # the marked year
    change: Difference | None  # the marked year against the year before ("Naik/Turun/Tetap")

    width = WIDTH
    height = HEIGHT

    @property
    def last_year(self) -> int:
        return self.figures[-1].year

    @property
    def previous_year(self) -> int:
        return self.year - 1


def sparkline(series: list[Figure], year: int) -> Sparkline | None:
    """The line of `series` (oldest first) with `year` marked; None under two values."""
    valued = [figure for figure in series if figure.value is not None]
    if len(valued) < 2:
        return None
    low, high = _vertical_range(valued)
    step = (WIDTH - 2 * PAD) / (len(series) - 1)
    points: list[Point | None] = [
        None
        if figure.value is None
        else Point(
            x=round(PAD + index * step, 2),
            y=round(HEIGHT - PAD - (figure.value - low) / (high - low) * (HEIGHT - 2 * PAD), 2),
            selected=figure.year == year,
        )
        for index, figure in enumerate(series)
    ]
    runs: list[list[Point]] = [[]]
    for point in points:
        if point is None:
            runs.append([])
        else:
            runs[-1].append(point)
    return Sparkline(
        figures=tuple(series),
        runs=tuple(" ".join(f"{p.x},{p.y}" for p in run) for run in runs if len(run) > 1),
        points=tuple(point for point in points if point is not None),
        year=year,
        change=_change_in(series, year),
    )


def _change_in(series: list[Figure], year: int) -> Difference | None:
    """`year`'s figure against the year just before (None when either is missing)."""
    by_year = {figure.year: figure for figure in series}
    shown, before = by_year.get(year), by_year.get(year - 1)
    if shown is None or before is None:
        return None
    return shown.against(before.value, before.std_error)


def yearly_changes(series: list[Figure]) -> list[tuple[Figure, Difference | None]]:
    """Each year's figure with its change from the year just before (None for the first year,
    after a gap, or when either is withheld). Each year's students are sampled afresh."""
    return [(figure, _change_in(series, figure.year)) for figure in series]


def _vertical_range(valued: list[Figure], intervals: bool = False) -> tuple[float, float]:
    """The span of the figures' values (and of their 95 % intervals, with `intervals`), widened
    to at least MIN_SPAN_SHARE of the indicator's scale."""
    indicator = valued[0].indicator
    scale = (indicator.scale_max or 100.0) - indicator.scale_min
    low = min(figure.value for figure in valued)
    high = max(figure.value for figure in valued)
    if intervals:
        low = min([low, *(figure.ci_lower for figure in valued if figure.ci_lower is not None)])
        high = max([high, *(figure.ci_upper for figure in valued if figure.ci_upper is not None)])
    widen = max(0.0, scale * MIN_SPAN_SHARE - (high - low)) / 2
    return low - widen, high + widen


def year_chart(series: list[Figure]) -> dict:
    """The detail page's line chart: the same numbers as its table of years, each sampled value
    with its 95 % interval (the table's "Rentang 95%"), on a vertical axis that holds the
    intervals and spans at least MIN_SPAN_SHARE of the indicator's scale, as the card's line does
    (left to itself the chart stretched a change of 0.003 over its whole height). The axis ends
    on round ticks and stays within the indicator's scale."""
    chart: dict = {
        "rows": [
            {
                "year": figure.year,
                "value": figure.value,
                "lower": figure.ci_lower,
                "upper": figure.ci_upper,
            }
            for figure in series
        ]
    }
    valued = [figure for figure in series if figure.value is not None]
    if valued:
        low, high = _vertical_range(valued, intervals=True)
        step = _round_step((high - low) / CHART_TICKS)
        indicator = valued[0].indicator
        chart["min"] = max(math.floor(low / step) * step, indicator.scale_min)
        chart["max"] = math.ceil(high / step) * step
        if indicator.scale_max is not None:
            chart["max"] = min(chart["max"], indicator.scale_max)
        chart["step"] = step
    return chart


def _round_step(at_least: float) -> float:
    """The smallest of 1, 2 or 5 times a power of ten that is at least `at_least`."""
    power = 10 ** math.floor(math.log10(at_least))
    return next(round(m * power, 12) for m in (1, 2, 5, 10) if m * power >= at_least)
