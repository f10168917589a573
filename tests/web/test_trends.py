"""Trends: every card carries its indicator's values over the release's years as a small line,
with the same numbers as text for screen readers; the detail page draws them as a chart.

Expected values are read from the release's Parquet files with polars (test_beranda's
`Release`); the line's geometry is checked against a hand-worked example and against the order
of the release's values.
"""

from __future__ import annotations

import json
from itertools import pairwise

import pytest

from rapor.web.dashboard.figures import figure_from_row
from rapor.web.dashboard.trends import sparkline, year_chart
from tests.web.test_beranda import (
    LATEST,
    NOT_ENOUGH,
    Node,
    Release,
    detail,
    idn,
    parse,
    query,
)

YEARS = (2022, 2023, 2024)


def figure(
    year: int,
    value: float | None,
    indicator: str = "A.1",
    interval: tuple[float, float] | None = None,
):
    lower, upper = interval or (None, None)
    return figure_from_row(
        {
            "indicator": indicator,
            "year": year,
            "value": value,
            "label_key": None,
            "suppressed": value is None,
            "suppression_reason": "few_respondents" if value is None else None,
            "ci_lower": lower,
            "ci_upper": upper,
        }
    )


# ------------------------------------------------------------------ the line, hand-worked


def test_sparkline_geometry_hand_worked():
    """40, 50, 45 on a 0-100 indicator in a 120 x 32 box with 4 px of padding: the span (10) is
    the minimum span, so 40 sits on the bottom edge (y 28), 50 on the top (y 4), 45 halfway
    (y 16); the years are spread evenly from x 4 to x 116."""
    line = sparkline([figure(2022, 40), figure(2023, 50), figure(2024, 45)], 2024)
    assert line.runs == ("4.0,28.0 60.0,4.0 116.0,16.0",)
    assert [(point.x, point.y) for point in line.points] == [(4, 28), (60, 4), (116, 16)]
    assert [point.selected for point in line.points] == [False, False, True]


def test_a_small_change_stays_small():
    """50 then 50.2 on a 0-100 scale: the axis spans 10 points, so the line barely moves (a
    0.2-point change is 2 % of the drawing's height, not all of it)."""
    line = sparkline([figure(2023, 50.0), figure(2024, 50.2)], 2024)
    low, high = (point.y for point in line.points)
    assert low - high == pytest.approx(0.02 * 24, abs=0.01)


def test_a_withheld_year_leaves_a_gap():
    """A year without a value is not bridged: no line joins the years around it, each is a dot."""
    line = sparkline([figure(2022, 40), figure(2023, None), figure(2024, 50)], 2023)
    assert line.runs == ()
    assert [point.x for point in line.points] == [4, 116]  # 2022 and 2024
    assert not any(point.selected for point in line.points)  # 2023 has no value to mark


def test_the_detail_chart_keeps_a_small_change_small():
    """105.2033 then 105.2008 (APK, no upper end, floor 0): the chart's axis spans the minimum
    span around them (10 % of the scale's 100: 100.2 to 110.2), in steps of 2 (10 / 5 ticks)
    from 100 to 112, so the 0.0025 drop is a flat line, not the chart's full height."""
    chart = year_chart([figure(2022, 105.2033, "APK-SD"), figure(2023, 105.2008, "APK-SD")])
    assert (chart["min"], chart["max"], chart["step"]) == (100, 112, 2)
    assert [row["value"] for row in chart["rows"]] == [105.2033, 105.2008]


def test_the_detail_chart_axis_stays_on_the_scale():
    """Values near the floor of a 0-100 indicator: the axis starts at 0, not below it; near its
    top it ends at 100, not above; a wide spread gets wider steps (17 to 64: 5 steps of 10)."""
    chart = year_chart([figure(2022, 2.0), figure(2023, None), figure(2024, 3.5)])
    assert (chart["min"], chart["max"], chart["step"]) == (0, 8, 2)
    chart = year_chart([figure(2022, 96.0), figure(2023, 99.0)])
    assert (chart["min"], chart["max"], chart["step"]) == (92, 100, 2)
    chart = year_chart([figure(2022, 17.0), figure(2023, 64.0)])
    assert (chart["min"], chart["max"], chart["step"]) == (10, 70, 10)
    assert year_chart([figure(2024, None)]) == {
        "rows": [{"year": 2024, "value": None, "lower": None, "upper": None}]
    }


def test_the_detail_chart_holds_the_intervals():
    """Sampled values 50 and 52 with 95 % intervals 44-56 and 47-57: each row carries its
    interval, and the axis holds them (44 to 57: steps of 5, 40 to 60) where the values alone
    gave 46 to 56 in steps of 2, which would cut the whiskers off."""
    chart = year_chart(
        [figure(2023, 50.0, interval=(44.0, 56.0)), figure(2024, 52.0, interval=(47.0, 57.0))]
    )
    assert [(row["lower"], row["upper"]) for row in chart["rows"]] == [(44.0, 56.0), (47.0, 57.0)]
    assert (chart["min"], chart["max"], chart["step"]) == (40, 60, 5)
    values_only = year_chart([figure(2023, 50.0), figure(2024, 52.0)])
    assert (values_only["min"], values_only["max"], values_only["step"]) == (46, 56, 2)


def test_fewer_than_two_values_draw_no_line():
    assert sparkline([figure(2024, 40)], 2024) is None
    assert sparkline([figure(2023, None), figure(2024, 40)], 2024) is None


# ------------------------------------------------------------------ on the pages


@pytest.fixture(scope="module")
def release(built) -> Release:
    return Release(built)


def trend_of(card: Node) -> Node | None:
    found = card.find_all("figure", "trend")
    return found[0] if found else None


def spoken(values: list[tuple[int, float | None]]) -> str:
    """The screen-reader text of a trend, as the page writes it."""
    parts = [f"{year} {NOT_ENOUGH if value is None else idn(value)}" for year, value in values]
    return "Tren per tahun: " + "; ".join(parts)


def assert_trend_matches(card: Node, rows: list[dict], year: int) -> None:
    """The card's line has one dot per year with a value, higher values never drawn lower, the
    selected year marked, and its text lists every year's value (or why it has none)."""
    code = card.attrs["data-indicator"]
    valued = [row for row in rows if not row["suppressed"]]
    trend = trend_of(card)
    if len(valued) < 2:
        assert trend is None, code
        return
    assert trend is not None, code
    assert trend.one("span", "visually-hidden").text == spoken(
        [(row["year"], None if row["suppressed"] else row["value"]) for row in rows]
    ), code
    dots = trend.find_all("circle")
    assert len(dots) == len(valued), code
    heights = [-float(dot.attrs["cy"]) for dot in dots]
    # A higher value is never drawn lower (equal heights: a change smaller than the rounding).
    for (a, h_a), (b, h_b) in pairwise(zip(valued, heights, strict=True)):
        if a["value"] < b["value"]:
            assert h_a <= h_b, code
        elif a["value"] > b["value"]:
            assert h_a >= h_b, code
    marked = [i for i, dot in enumerate(dots) if "selected" in dot.classes]
    expected = [i for i, row in enumerate(valued) if row["year"] == year]
    assert marked == expected, code


def release_rows(release, code: str, indicator: str, **key) -> list[dict]:
    return (
        release.rows(release.values, code, indicator=indicator, year=None, **key)
        .sort("year")
        .to_dicts()
    )


@pytest.mark.parametrize("year", [LATEST, 2023])
def test_beranda_cards_show_every_years_value(client_for, accounts, release, year):
    """Each indicator card of a kab/kota's Beranda shows its line over the release's years, with
    the year the filter selects marked."""
    code = accounts["kabkota"].region_code
    page = parse(client_for("kabkota").get(f"/wilayah/{code}/{query(year=year)}"))
    cards = [
        card
        for section in page.find_all("section", "dimension")
        for card in section.find_all("article", "card")
    ]
    assert cards
    drawn = 0
    for card in cards:
        rows = release_rows(release, code, card.attrs["data-indicator"])
        assert [row["year"] for row in rows] == list(YEARS)
        assert_trend_matches(card, rows, year)
        drawn += trend_of(card) is not None
    assert drawn >= len(cards) // 2  # most of a kab/kota's indicators have a value every year


def test_school_cards_show_every_years_value(client_for, accounts, release):
    """A school's learning and climate cards show its own values over the years."""
    npsn = accounts["sekolah"].npsn
    page = parse(client_for("sekolah").get(f"/sekolah/{npsn}/"))
    cards = page.find_all("article", "card")
    assert any(trend_of(card) for card in cards)
    for card in cards:
        rows = release_rows(
            release,
            npsn,
            card.attrs["data-indicator"],
            jenjang=None,
            bentuk=None,
            status=None,
        )
        levels = {row["jenjang"] for row in rows}
        if len(levels) > 1:  # the page shows the school's first level; keep this test simple
            continue
        assert_trend_matches(card, rows, LATEST)


def test_detail_chart_has_the_tables_numbers(client_for, accounts, release):
    """The detail page's line chart is fed the same values as its table of years."""
    code = accounts["kabkota"].region_code
    page = detail(client_for("kabkota"), code, "A.1")
    data = json.loads(page.one("script", id="series-data").text)
    rows = release_rows(release, code, "A.1")
    assert data["rows"] == [
        {
            "year": row["year"],
            "value": row["value"],
            "lower": row["ci_lower"],
            "upper": row["ci_upper"],
        }
        for row in rows
    ]
    # A.1 is sampled: the intervals are there to draw.
    assert any(row["lower"] is not None for row in data["rows"])
    assert page.one("div", "chart", data_chart="line").attrs["data-source"] == "series-data"


def test_detail_sub_indicator_cards_show_every_years_value(client_for, accounts, release):
    """The sub-indicator cards of a detail page carry their own lines."""
    code = accounts["kabkota"].region_code
    page = detail(client_for("kabkota"), code, "A.1")
    cards = page.one("section", "subs-detail").find_all("article", "card")
    assert cards
    for card in cards:
        assert_trend_matches(
            card, release_rows(release, code, card.attrs["data-indicator"]), LATEST
        )


def test_participation_cards_mark_the_year_they_show(client_for, accounts, release):
    """APK/APS/APM come from BPS a year behind the AN: their line marks the year the card shows
    (the newest with a row), not the filter's year that has none."""
    code = accounts["kabkota"].region_code
    page = parse(client_for("kabkota").get(f"/wilayah/{code}/{query()}"))
    cards = page.one("section", "participation").find_all("article", "card")
    assert cards
    for card in cards:
        rows = release_rows(release, code, card.attrs["data-indicator"])
        shown_year = max(row["year"] for row in rows if row["year"] <= LATEST)
        assert shown_year < LATEST  # the small release's BPS tables end a year before the AN
        assert_trend_matches(card, rows, shown_year)
        assert trend_of(card) is not None
