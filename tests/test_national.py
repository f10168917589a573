"""The national demo scale: all of Indonesia, three AN years, realistic national figures.

Builds once per test run (synth about 25 s, build under a minute); `pytest -m "not national"`
skips it."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import polars as pl
import pytest

from rapor.catalogue import load_catalogue
from rapor.pipeline.build import BuildOptions, build
from rapor.synth import generate

pytestmark = pytest.mark.national

# Published 2023 national figures (reference-facts.md): literacy at/above minimum, APS.
LITERACY_2023 = {"dasar": 61.53, "menengah_pertama": 59.00, "menengah": 49.26}
APS_7_15_2023 = 99.08
APS_16_18_2023 = 73.15
TOLERANCE = 3.0


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    home = tmp_path_factory.mktemp("national")
    generate(home / "raw", scale="national", inject_errors=40)
    # Not activated: the web's lookup index is not what this test is about.
    result = build(BuildOptions(raw_dir=home / "raw", activate=False), home=home)
    values = pl.read_parquet(result.release.path / "indicator_values.parquet").filter(
        (pl.col("bentuk") == "semua") | (pl.col("entity_type") == "sekolah")
    )
    return result, values, home / "raw"


def region_values(values: pl.DataFrame, entity_type: str, indicator: str, jenjang: str, year=2023):
    return values.filter(
        (pl.col("entity_type") == entity_type)
        & (pl.col("indicator") == indicator)
        & (pl.col("jenjang") == jenjang)
        & (pl.col("status") == "semua")
        & (pl.col("year") == year)
    )


@pytest.mark.parametrize("jenjang", list(LITERACY_2023))
def test_national_literacy_is_near_the_published_2023_figure(national, jenjang):
    """National literacy per jenjang lands within ±3 points of the published 2023 figure."""
    _, values, _ = national
    (value,) = region_values(values, "nasional", "A.1", jenjang)["value"]
    assert value == pytest.approx(LITERACY_2023[jenjang], abs=TOLERANCE)


def test_national_aps_is_near_the_published_2023_figures(national):
    """APS 7-15 is about 99 % and APS 16-18 about 73 %, as published for 2023."""
    _, values, raw = national
    (aps_16_18,) = region_values(values, "nasional", "APS-SMA", "menengah")["value"]
    assert aps_16_18 == pytest.approx(APS_16_18_2023, abs=TOLERANCE)
    # 7-15 spans two jenjang, so it is checked from the same BPS inputs the release uses.
    band = pl.col("age").is_between(7, 15) & (pl.col("year") == 2023)
    population = pl.read_parquet(raw / "bps_population.parquet").filter(band)["population"].sum()
    enrolled = pl.read_parquet(raw / "bps_enrolment.parquet").filter(band)["students"].sum()
    assert 100 * enrolled / population == pytest.approx(APS_7_15_2023, abs=TOLERANCE)


def test_every_region_has_a_value(national):
    """All 38 provinces and 514 kab/kota have a 2023 literacy value for the dasar jenjang."""
    _, values, _ = national
    for entity_type, expected in (("provinsi", 38), ("kabkota", 514)):
        rows = region_values(values, entity_type, "A.1", "dasar")
        assert rows.filter(pl.col("value").is_not_null()).height == expected


def test_papua_is_below_jakarta_and_yogyakarta(national):
    """Every Papua province's dasar literacy is lower than DKI Jakarta's and DI Yogyakarta's."""
    _, values, _ = national
    by_code = dict(
        region_values(values, "provinsi", "A.1", "dasar").select("entity_code", "value").rows()
    )
    papua = [by_code[code] for code in ("91", "92", "93", "94", "95", "96")]
    assert max(papua) < min(by_code["31"], by_code["34"])


def test_national_scale_has_about_220000_schools_and_reports_rejects(national):
    """The national release holds about 220,000 schools and counts the injected bad rows."""
    result, _, _ = national
    manifest = result.release.manifest
    assert 200_000 <= manifest["row_counts"]["schools"] <= 240_000
    assert sum(manifest["reject_counts"].values()) >= 40
    assert manifest["years"] == [2022, 2023, 2024]


def test_a_label_is_that_of_the_value_as_printed(national):
    """A value printed at a band's bound is labelled as the bound is: 69.996 is printed "70,00"
    and labelled Baik (>= 70), not Sedang. Checked on every labelled value within 0.01 of a
    bound, with the pages' rounding (two decimals, half up, of the shortest decimal form); the
    national scale has such values, which the test requires."""
    _, values, _ = national
    bands = {each.code: each.bands for each in load_catalogue().all_indicators}
    bounds = {
        bound
        for each in bands.values()
        for band in each
        for bound in (band.lower_bound, band.upper_bound)
        if bound is not None
    }
    near = values.filter(
        pl.col("label").is_not_null()
        & pl.any_horizontal([(pl.col("value") - bound).abs() < 0.01 for bound in bounds])
    )
    printed_at_a_bound = 0
    for row in near.iter_rows(named=True):
        shown = Decimal(repr(row["value"])).quantize(Decimal("0.01"), ROUND_HALF_UP)
        band = next(
            band
            for band in bands[row["indicator"]]
            if (band.lower_bound is None or shown >= Decimal(str(band.lower_bound)))
            and (band.upper_bound is None or shown < Decimal(str(band.upper_bound)))
        )
        assert row["label"] == band.label.id, row
        printed_at_a_bound += any(row["value"] < bound <= shown for bound in bounds)
    assert printed_at_a_bound, "no value just under a bound: the test proves nothing"
