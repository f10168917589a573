"""The equity lens on the detail pages: for literacy, numeracy and character, each dimension's
two groups with the release's values and intervals, and the gap in points or "Tidak berbeda
secara bermakna" when it is within sampling error (worked out here from the release's
`equity_groups`, read with polars)."""

from __future__ import annotations

import polars as pl
import pytest

from tests.web.test_beranda import LATEST, Node, Release, detail, idn, parse
from tests.web.test_school import school_key
from tests.web.test_uncertainty import DASH, apart, is_meaningful, points_apart

NAMES = {
    ("gender", "P"): "Perempuan",
    ("gender", "L"): "Laki-laki",
    ("ses_quintile", "5"): "20% teratas",
    ("ses_quintile", "1"): "20% terbawah",
    ("status", "negeri"): "Negeri",
    ("status", "swasta"): "Swasta",
    ("lokasi", "perkotaan"): "Perkotaan",
    ("lokasi", "perdesaan"): "Perdesaan",
}
PAIRS = {"gender": ("P", "L"), "ses_quintile": ("5", "1"), "status": ("negeri", "swasta"),
         "lokasi": ("perkotaan", "perdesaan")}  # fmt: skip


@pytest.fixture(scope="module")
def release(built) -> Release:
    return Release(built)


@pytest.fixture(scope="module")
def groups(built) -> pl.DataFrame:
    return built.table("equity_groups")


def group_row(groups: pl.DataFrame, entity_code: str, jenjang: str, indicator: str, key) -> dict:
    found = groups.filter(
        (pl.col("entity_code") == entity_code)
        & (pl.col("jenjang") == jenjang)
        & (pl.col("indicator") == indicator)
        & (pl.col("year") == LATEST)
        & (pl.col("dimension") == key[0])
        & (pl.col("group_key") == key[1])
    )
    return found.row(0, named=True) if found.height else {}


def shown(row: dict) -> str:
    if not row:
        return "Tidak ada peserta didik"
    if row["value"] is None:
        return "Data tidak mencukupi"
    return f"{idn(row['value'])} ({idn(row['ci_lower'])}{DASH}{idn(row['ci_upper'])})"


def expected_rows(groups, entity_code: str, jenjang: str, indicator: str, dimensions) -> list:
    rows = []
    for dimension in dimensions:
        first_key, second_key = ((dimension, key) for key in PAIRS[dimension])
        first = group_row(groups, entity_code, jenjang, indicator, first_key)
        second = group_row(groups, entity_code, jenjang, indicator, second_key)
        gap = ""
        if first.get("value") is not None and second.get("value") is not None:
            a, b = first["value"], second["value"]
            if not is_meaningful(a, b, apart(first["std_error"], second["std_error"])):
                gap = "Tidak berbeda secara bermakna"
            else:
                higher = "tinggi" if a > b else "rendah"
                gap = f"{NAMES[first_key]} lebih {higher} {points_apart(a, b)} poin"
        rows.append([dimension, shown(first), NAMES[second_key], shown(second), gap])
    return rows


def equity_rows(page: Node) -> list[list[str]]:
    body = page.one("section", "equity").one("tbody")
    return [
        [tr.attrs["data-dimension"], *(td.text for td in tr.find_all("td"))]
        for tr in body.find_all("tr")
    ]


@pytest.mark.parametrize("indicator", ["A.1", "A.3"])
def test_region_detail_shows_the_gaps(client_for, accounts, groups, indicator):
    """A kab/kota's literacy and character: girls against boys, the richest against the poorest
    fifth, negeri against swasta, urban against rural, as in the release."""
    code = accounts["kabkota"].region_code
    page = detail(client_for("kabkota"), code, indicator)
    dimensions = ("gender", "ses_quintile", "status", "lokasi")
    assert equity_rows(page) == expected_rows(groups, code, "dasar", indicator, dimensions)


def test_some_gaps_are_meaningful_and_some_are_not(client_for, accounts, groups):
    """Across the provinces' pages both verdicts occur: the test above is not vacuous."""
    verdicts = set()
    code = accounts["provinsi"].region_code
    for indicator in ("A.1", "A.2", "A.3"):
        for jenjang in ("dasar", "menengah_pertama", "menengah"):
            page = detail(client_for("provinsi"), code, indicator, jenjang=jenjang)
            for row in equity_rows(page):
                verdicts.add("tidak" if row[-1].startswith("Tidak") else "bermakna")
    assert verdicts == {"tidak", "bermakna"}


def test_school_detail_shows_student_groups(client_for, accounts, release, groups):
    """A school has gender and SES groups only (its status and location are its own)."""
    npsn = accounts["sekolah"].npsn
    jenjang = school_key(release, npsn)["jenjang"]
    page = parse(client_for("sekolah").get(f"/sekolah/{npsn}/indikator/A.2/"))
    expected = expected_rows(groups, npsn, jenjang, "A.2", ("gender", "ses_quintile"))
    assert equity_rows(page) == expected
    # Its note is about the school's own students, not every school of the level.
    note = page.one("section", "equity").one("p", "note").text
    assert "peserta didik satuan pendidikan ini" in note and "semua bentuk" not in note


def test_other_indicators_have_no_equity_section(client_for, accounts):
    code = accounts["kabkota"].region_code
    assert not detail(client_for("kabkota"), code, "D.4").find_all("section", "equity")
