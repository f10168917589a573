"""The open data withholds no more than it must and gives away no value of one or two schools:
hand-worked tables for the choice of cells (`disclosure.withhold`), then an attacker's view of the
published bulk file of the small release, which solves every sum it can."""

from __future__ import annotations

import io
from collections import defaultdict

import polars as pl
import pytest

from rapor.web.opendata.disclosure import withhold
from tests.web.conftest import body
from tests.web.test_opendata import API, get


def cell(code: str, bentuk: str, status: str, level: str = "nasional") -> tuple:
    return (level, code, 2024, "dasar", bentuk, status)


def test_a_two_school_value_takes_a_neighbour_in_every_sum_with_it():
    """The reviewer's case: MI for all status (44 schools) less MI Swasta (42) gave the two MI
    Negeri schools' mean. Worked by hand: MI Swasta goes with it (status sum of MI), then SD
    Negeri (bentuk sum of Negeri: MI Negeri was its only withheld part) and SD Swasta (bentuk
    sum of Swasta); SD's status sum then has two withheld parts of 150 schools, and every
    all-bentuk value stays published."""
    counts = {
        cell("ID", "mi", "negeri"): 2,
        cell("ID", "mi", "swasta"): 42,
        cell("ID", "mi", "semua"): 44,
        cell("ID", "sd", "negeri"): 100,
        cell("ID", "sd", "swasta"): 50,
        cell("ID", "sd", "semua"): 150,
        cell("ID", "semua", "negeri"): 102,
        cell("ID", "semua", "swasta"): 92,
        cell("ID", "semua", "semua"): 194,
    }
    assert withhold([counts], {}) == {
        cell("ID", "mi", "negeri"): "few_schools",
        cell("ID", "mi", "swasta"): "complementary",
        cell("ID", "sd", "negeri"): "complementary",
        cell("ID", "sd", "swasta"): "complementary",
    }


def test_two_withheld_parts_of_two_schools_in_all_take_a_third():
    """Two one-school values withheld under a published total: together they are still two
    schools' mean, so the other part goes too (the total of 42 schools stays)."""
    counts = {
        cell("ID", "semua", "semua"): 42,
        cell("ID", "sd", "semua"): 40,
        cell("ID", "mi", "semua"): 1,
        cell("ID", "sdlb", "semua"): 1,
    }
    assert withhold([counts], {}) == {
        cell("ID", "mi", "semua"): "few_schools",
        cell("ID", "sdlb", "semua"): "few_schools",
        cell("ID", "sd", "semua"): "complementary",
    }


def test_an_slb_bentuk_is_withheld_in_both_its_jenjang():
    """SDLB in `khusus` is the same schools as SDLB in `dasar`: one withheld, both are."""
    counts = {
        ("nasional", "ID", 2024, "dasar", "sdlb", "negeri"): 2,
        ("nasional", "ID", 2024, "khusus", "sdlb", "negeri"): 2,
        ("nasional", "ID", 2024, "khusus", "sdlb", "swasta"): 30,
        ("nasional", "ID", 2024, "khusus", "sdlb", "semua"): 32,
        ("nasional", "ID", 2024, "dasar", "sdlb", "swasta"): 30,
        ("nasional", "ID", 2024, "dasar", "sdlb", "semua"): 32,
    }
    assert withhold([counts], {}) == {
        ("nasional", "ID", 2024, "dasar", "sdlb", "negeri"): "few_schools",
        ("nasional", "ID", 2024, "khusus", "sdlb", "negeri"): "few_schools",
        ("nasional", "ID", 2024, "khusus", "sdlb", "swasta"): "complementary",
        ("nasional", "ID", 2024, "dasar", "sdlb", "swasta"): "complementary",
    }


def test_a_region_sum_takes_the_smallest_sibling_region():
    """A province of three kab/kota, one with two schools: the kab/kota with the fewest of the
    others goes with it; the province (and the nation) stay published."""
    parents = {"11": "ID", "11.01": "11", "11.02": "11", "11.03": "11"}
    counts = {
        ("kabkota", "11.01", 2024, "dasar", "semua", "semua"): 2,
        ("kabkota", "11.02", 2024, "dasar", "semua", "semua"): 10,
        ("kabkota", "11.03", 2024, "dasar", "semua", "semua"): 20,
        ("provinsi", "11", 2024, "dasar", "semua", "semua"): 32,
        ("nasional", "ID", 2024, "dasar", "semua", "semua"): 32,
    }
    assert withhold([counts], parents) == {
        ("kabkota", "11.01", 2024, "dasar", "semua", "semua"): "few_schools",
        ("kabkota", "11.02", 2024, "dasar", "semua", "semua"): "complementary",
    }


def test_each_indicator_set_is_checked_with_its_own_school_counts():
    """A teacher survey answered in fewer schools: its one-school cell is withheld for every
    indicator, and its sums are checked with its own counts."""
    students = {cell("ID", "mi", "negeri"): 5, cell("ID", "mi", "swasta"): 40}
    students[cell("ID", "mi", "semua")] = 45
    teachers = {cell("ID", "mi", "negeri"): 1, cell("ID", "mi", "swasta"): 30}
    teachers[cell("ID", "mi", "semua")] = 31
    assert withhold([students, teachers], {}) == {
        cell("ID", "mi", "negeri"): "few_schools",
        cell("ID", "mi", "swasta"): "complementary",
    }


# ------------------------------------------------------------------ the attacker


CELL = ("entity_type", "entity_code", "year", "jenjang", "bentuk", "status")


@pytest.fixture
def published(data) -> pl.DataFrame:
    """The bulk file of the active (small) release: what anyone can download."""
    url = f"{API}/releases/{data.release.release_id}/bulk/indicator_values.parquet"
    return pl.read_parquet(io.BytesIO(body(get(url)))).filter(pl.col("n_schools") > 0)


def sums_of(cells: set[tuple], parents: dict[str, str]) -> list[tuple[tuple, list[tuple]]]:
    """Every sum a region value is part of, written out again here: the status parts of a
    value for all status, the bentuk parts of a value for all bentuk, the kab/kota of a
    province and the provinces of the nation."""
    status_parts, bentuk_parts, region_parts = (
        defaultdict(list),
        defaultdict(list),
        defaultdict(list),
    )
    for level, code, year, jenjang, bentuk, status in cells:
        if status != "semua":
            status_parts[(level, code, year, jenjang, bentuk, "semua")].append(
                (level, code, year, jenjang, bentuk, status)
            )
        if bentuk != "semua":
            bentuk_parts[(level, code, year, jenjang, "semua", status)].append(
                (level, code, year, jenjang, bentuk, status)
            )
        if level != "nasional":
            parent_level = "provinsi" if level == "kabkota" else "nasional"
            region_parts[(parent_level, parents[code], year, jenjang, bentuk, status)].append(
                (level, code, year, jenjang, bentuk, status)
            )
    return [
        (total, members)
        for parts in (status_parts, bentuk_parts, region_parts)
        for total, members in parts.items()
        if total in cells
    ]


def test_an_attacker_solving_every_sum_learns_no_withheld_value(published, data):
    """For each indicator, start from the published values and school counts, solve every sum
    with one unknown (total x schools = the parts' values x schools), again and again: no
    withheld value is ever found, nor the mean of withheld parts of fewer than three schools.
    The sums hold in the release to 1e-9 (checked here), so the attack is real."""
    regions = data.release.path / "regions.parquet"
    parents = {
        code: parent or "ID"
        for code, parent in pl.read_parquet(regions)
        .select("region_code", "parent_code")
        .iter_rows()
    }
    release = pl.read_parquet(data.release.path / "indicator_values.parquet")
    withheld_reasons = published.filter(
        pl.col("suppression_reason").is_in(["few_schools", "complementary"])
    )
    assert withheld_reasons.filter(pl.col("suppression_reason") == "complementary").height
    for (indicator,), rows in published.group_by("indicator"):
        n = {row[:6]: row[6] for row in rows.select(*CELL, "n_schools").iter_rows()}
        known = {
            row[:6]: row[6]
            for row in rows.filter(~pl.col("suppressed")).select(*CELL, "value").iter_rows()
        }
        truth = {
            row[:6]: row[6]
            for row in release.filter(pl.col("indicator") == indicator)
            .select(*CELL, "value")
            .iter_rows()
        }
        sums = sums_of(set(n), parents)
        for total, members in sums:
            if all(truth.get(cell) is not None for cell in (total, *members)):
                whole = sum(n[cell] * truth[cell] for cell in members)
                assert abs(n[total] * truth[total] - whole) < 1e-6, (indicator, total)
        found = dict(known)
        progress = True
        while progress:
            progress = False
            for total, members in sums:
                unknown = [cell for cell in (total, *members) if cell not in found]
                if total in found:
                    hidden_schools = sum(n[cell] for cell in unknown)
                    assert not 0 < hidden_schools < 3 or len(unknown) == 0, (indicator, unknown)
                if len(unknown) != 1:
                    continue
                (cell,) = unknown
                if cell == total:
                    found[cell] = sum(n[m] * found[m] for m in members) / n[total]
                else:
                    others = sum(n[m] * found[m] for m in members if m != cell)
                    found[cell] = (n[total] * found[total] - others) / n[cell]
                progress = True
        learned = set(found) - set(known)
        assert not learned, f"{indicator}: {sorted(learned)[:3]} worked out"
    # An SLB bentuk is the same schools in `khusus` and in its own jenjang: withheld in both.
    slb = withheld_reasons.filter(pl.col("bentuk").is_in(["sdlb", "smplb", "smalb"]))
    twins = slb.with_columns(
        pl.when(pl.col("jenjang") == "khusus")
        .then(
            pl.col("bentuk").replace(
                {"sdlb": "dasar", "smplb": "menengah_pertama", "smalb": "menengah"}
            )
        )
        .otherwise(pl.lit("khusus"))
        .alias("jenjang")
    )
    assert (
        twins.select(*CELL, "indicator")
        .join(slb.select(*CELL, "indicator"), on=[*CELL, "indicator"], how="anti")
        .is_empty()
    )
