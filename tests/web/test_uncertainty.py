"""Honest uncertainty on the pages: AN values show their 95 % interval where comparisons are
made, and a difference within sampling error reads "tidak berbeda secara bermakna" (or "Tetap"
from year to year) instead of implying one.

The expected words are worked out here from the release's Parquet files (read with polars): a
two-sided z-test at 95 % on the difference, whose variance is written out below from the
schools' sampling, independently of rapor.uncertainty.
"""

from __future__ import annotations

import math
from itertools import pairwise
from statistics import NormalDist

import polars as pl
import pytest

from rapor.web.dashboard.differences import difference
from tests.web.test_beranda import LATEST, Node, Release, detail, idn, parse, printed, query
from tests.web.test_school import school_key

Z = NormalDist().inv_cdf(0.975)
SAME = "Tidak berbeda secara bermakna"
DASH = "\u2013"  # between an interval's bounds


@pytest.fixture(scope="module")
def release(built) -> Release:
    return Release(built)


def is_meaningful(a: float, b: float, variance: float | None) -> bool:
    """`a` and `b` differ beyond sampling error; without one, when they differ on screen."""
    if variance is None:
        return printed(a) != printed(b)
    return abs(a - b) > Z * math.sqrt(variance)


def points_apart(a: float, b: float) -> str:
    """How far apart `a` and `b` are, as a reader works it out from the two values on screen
    (75,01 and 77,25: 2,24, although the unrounded values may be 2.2498 apart)."""
    return idn(float(abs(printed(a) - printed(b))))


def apart(a_std_error: float | None, b_std_error: float | None) -> float | None:
    """The variance of a difference of two values sampled apart."""
    if a_std_error is None or b_std_error is None:
        return None
    return a_std_error**2 + b_std_error**2


def inside(part: dict, whole: dict) -> float | None:
    """The variance of (part - whole) when the whole is a mean over N schools that include the
    part's n: part - whole = (1/n - 1/N)·(sum over the part) - (1/N)·(sum over the rest), and
    each school's sampling variance is its standard error squared."""
    if part["std_error"] is None or whole["std_error"] is None:
        return None
    n, big_n = part["n_schools"], whole["n_schools"]
    part_sum_variance = (part["std_error"] * n) ** 2
    whole_sum_variance = (whole["std_error"] * big_n) ** 2
    return (1 / n - 1 / big_n) ** 2 * part_sum_variance + (
        whole_sum_variance - part_sum_variance
    ) / big_n**2


def verdict(a: float, b: float, variance: float | None) -> str:
    """The comparison table's words for `a` against `b`."""
    if not is_meaningful(a, b, variance):
        return SAME
    return f"Lebih {'tinggi' if a > b else 'rendah'} {points_apart(a, b)} poin"


def interval(row: dict) -> str:
    return f"{idn(row['ci_lower'])}{DASH}{idn(row['ci_upper'])}"


def comparison_cells(page: Node) -> list[list[str]]:
    """The comparison table: each row's value, interval (if shown) and verdict cells."""
    body = page.one("section", "comparisons").one("tbody")
    return [[td.text for td in tr.find_all("td")] for tr in body.find_all("tr")]


def test_kabkota_comparisons_show_intervals_and_meaningful_differences(
    client_for, accounts, release
):
    """A kab/kota's literacy against similar kab/kota (sampled apart) and against its province
    and the nation (which contain its schools): each row's interval, and a verdict that says
    "tidak berbeda secara bermakna" when the difference is within sampling error."""
    code = accounts["kabkota"].region_code
    own = release.row(code, "A.1")
    peer = release.peer(code, "A.1")
    province = release.row(code.split(".")[0], "A.1")
    nation = release.row("ID", "A.1")
    cells = comparison_cells(detail(client_for("kabkota"), code, "A.1"))
    peer_low = max(peer["peer_value"] - Z * peer["peer_std_error"], 0)
    peer_high = min(peer["peer_value"] + Z * peer["peer_std_error"], 100)
    assert cells == [
        [idn(own["value"]), interval(own), ""],
        [
            idn(peer["peer_value"]),
            f"{idn(peer_low)}{DASH}{idn(peer_high)}",
            verdict(
                own["value"], peer["peer_value"], apart(own["std_error"], peer["peer_std_error"])
            ),
        ],
        [
            idn(province["value"]),
            interval(province),
            verdict(own["value"], province["value"], inside(own, province)),
        ],
        [
            idn(nation["value"]),
            interval(nation),
            verdict(own["value"], nation["value"], inside(own, nation)),
        ],
    ]


def test_teacher_survey_comparisons_have_no_interval(client_for, accounts, release):
    """Teachers answer as a census: no interval column, and the difference is as measured."""
    code = accounts["kabkota"].region_code
    page = detail(client_for("kabkota"), code, "D.5")
    headers = [th.text for th in page.one("section", "comparisons").one("thead").find_all("th")]
    assert "Rentang 95%" not in headers
    own, nation = release.row(code, "D.5"), release.row("ID", "D.5")
    cells = comparison_cells(page)
    assert cells[-1] == [idn(nation["value"]), verdict(own["value"], nation["value"], None)]


def test_school_detail_verdicts_account_for_the_school_inside_the_averages(
    client_for, accounts, release
):
    """A school's numeracy against similar schools and against the averages of its bentuk that
    include it (the demo school counts in region values)."""
    npsn = accounts["sekolah"].npsn
    key = school_key(release, npsn)
    school = release.schools.filter(pl.col("npsn") == npsn).row(0, named=True)
    assert school["counts_in_region_values"]
    own = release.row(npsn, "A.2", **key)
    peer = release.peer(npsn, "A.2", **key)
    averages = [
        release.row(code, "A.2", **{**key, "status": "semua"})
        for code in (school["kabkota_code"], school["provinsi_code"], "ID")
    ]
    cells = comparison_cells(parse(client_for("sekolah").get(f"/sekolah/{npsn}/indikator/A.2/")))
    assert cells[0] == [idn(own["value"]), interval(own), ""]
    assert cells[1][2] == verdict(
        own["value"], peer["peer_value"], apart(own["std_error"], peer["peer_std_error"])
    )
    assert [row[1:] for row in cells[2:]] == [
        [interval(average), verdict(own["value"], average["value"], inside(own, average))]
        for average in averages
    ]


@pytest.mark.parametrize(
    ("section", "indicator"),
    [("learning", "A.1"), ("learning", "A.3"), ("climate", "D.4"), ("climate", "D.5")],
)
def test_school_card_says_whether_it_differs_from_similar_schools(
    client_for, accounts, release, section, indicator
):
    """Every school card says whether it differs from similar schools: beyond sampling error
    for student values (A.1, D.4; intervals: test_school), on screen for the teacher survey
    (D.5). A green climate label below the school's peers is still worth attention. Climate
    cards, which show no peer value beside the school's, give it with the verdict."""
    npsn = accounts["sekolah"].npsn
    key = school_key(release, npsn)
    own, peer = release.row(npsn, indicator, **key), release.peer(npsn, indicator, **key)
    page = parse(client_for("sekolah").get(f"/sekolah/{npsn}/"))
    card = page.one("section", section).one("article", data_indicator=indicator)
    value, peer_value = own["value"], peer["peer_value"]
    if not is_meaningful(value, peer_value, apart(own["std_error"], peer["peer_std_error"])):
        expected = "Tidak berbeda secara bermakna dari satuan pendidikan serupa"
    else:
        higher = "tinggi" if value > peer_value else "rendah"
        expected = f"Lebih {higher} dari satuan pendidikan serupa"
    if section == "climate":
        expected += f" ({idn(peer_value)})"  # D.4 and D.5 are scores, not percentages
    assert card.one("p", "verdict").text == expected


def change_words(now: dict, before: dict) -> str:
    """A card's change from the year before, as the page words it."""
    a, b = now["value"], before["value"]
    if not is_meaningful(a, b, apart(now["std_error"], before["std_error"])):
        if printed(a) == printed(b):
            return "■ Tetap"
        moved = f"{'naik' if a > b else 'turun'} {points_apart(a, b)} poin, dalam galat sampel"
        return f"■ Perubahan tidak bermakna ({moved})"
    return f"{'▲ Naik' if a > b else '▼ Turun'} {points_apart(a, b)} poin"


def test_cards_say_naik_turun_or_tetap_against_the_previous_year(client_for, accounts, release):
    """Every card of the province's and its kab/kota's Beranda, for every jenjang and for 2024
    and 2023, says Naik or Turun against the year before, "Perubahan tidak bermakna" (with how
    far the values moved) whenever the change is within sampling error, Tetap when the two
    values print the same. The first three occur on these pages."""
    seen = set()
    for role in ("provinsi", "kabkota"):
        code = accounts[role].region_code
        for jenjang in ("dasar", "menengah_pertama", "menengah"):
            for year in (LATEST, LATEST - 1):
                url = f"/wilayah/{code}/{query(jenjang=jenjang, year=year)}"
                for card in parse(client_for(role).get(url)).find_all("article", "card"):
                    indicator = card.attrs["data-indicator"]
                    if indicator.startswith("AP"):
                        continue  # APK/APS/APM cards show the newest BPS year: test_trends
                    rows = {
                        row["year"]: row
                        for row in release.rows(
                            release.values, code, indicator=indicator, jenjang=jenjang, year=None
                        ).to_dicts()
                    }
                    now, before = rows.get(year), rows.get(year - 1)
                    found = card.find_all("span", "change")
                    if now is None or before is None or now["suppressed"] or before["suppressed"]:
                        assert not found, indicator
                        continue
                    assert len(found) == 1, indicator
                    expected = change_words(now, before)
                    assert found[0].text == expected, (code, jenjang, year, indicator)
                    seen.add(expected.split()[1])
    assert seen >= {"Naik", "Turun", "Perubahan"}


def test_detail_year_table_shows_intervals_and_changes(client_for, accounts, release):
    """The detail page's year table gives each year's interval and its change from the year
    before."""
    code = accounts["kabkota"].region_code
    page = detail(client_for("kabkota"), code, "A.1")
    body = page.one("table", "series").one("tbody")
    rows = {tr.one("th").text: [td.text for td in tr.find_all("td")] for tr in body.find_all("tr")}
    series = release.rows(release.values, code, indicator="A.1", year=None).sort("year").to_dicts()
    assert rows["Rentang 95%"] == [interval(row) for row in series]
    assert rows["Dibanding tahun sebelumnya"] == [""] + [
        change_words(now, before) for before, now in pairwise(series)
    ]


def test_a_difference_is_that_of_the_values_as_printed():
    """Hand-worked: 77.2549 and 75.0051 print as 77,25 and 75,01, so the page says 2,24 points
    apart (not 2.2498 rounded to 2,25), while whether they differ is judged unrounded: a
    standard error of 0.5 each puts the bar at 1.96 * sqrt(0.5) = 1.39 points. Printing rounds half
    up (0.125 → 0,13; 0.114 → 0,11): 0,02 apart."""
    found = difference(True, 77.2549, 0.5, 75.0051, 0.5)
    assert (found.direction, found.size) == ("naik", 2.24)
    assert difference(True, 75.0051, 0.5, 77.2549, 0.5).direction == "turun"
    assert difference(True, 76.0, 0.5, 75.0, 0.5).direction == "tetap"  # 1 < 1.39
    assert difference(False, 0.125, None, 0.114, None).size == 0.02
    # Unsampled values differ when the printed ones do: 50.004 and 49.996 both print 50,00.
    assert difference(False, 50.004, None, 49.996, None).direction == "tetap"
    assert difference(False, 50.006, None, 49.996, None).direction == "naik"
