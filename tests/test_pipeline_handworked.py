"""Indicator values of a tiny hand-made country, checked against figures worked out by hand."""

from __future__ import annotations

import polars as pl
import pytest

from tests.conftest import build_from, read_table
from tests.rawdata import RawData

YEAR = 2023


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    """Eight schools in DI Yogyakarta and Bali, with participation data for Kota Yogyakarta."""
    raw = RawData()
    # Kota Yogyakarta (34.71): two SD that count, one SLB satu atap that does not.
    raw.add_school("10000001", "34.71", "sd", status="negeri")
    raw.add_students("10000001", YEAR, "dasar", [1, 2, 3, 3, 4])  # 3 of 5 at/above minimum: 60 %
    for student, value, gender in zip(
        raw.rows["an_students"][-5:], [50, 60, 70, 80, 90], "LLPPP", strict=True
    ):
        student["character_index"] = float(value)  # mean 70, standard deviation sqrt(250)
        student["gender"] = gender  # boys at levels 1 and 2, girls at 3, 3 and 4
    raw.add_teachers("10000001", YEAR, 5)
    for teacher, value in zip(raw.rows["an_teachers"][-5:], [20, 40, 60, 80, 100], strict=True):
        teacher["gender_equality"] = float(value)  # mean 60
    raw.add_school("10000002", "34.71", "sd", status="swasta")
    raw.add_students("10000002", YEAR, "dasar", [2, 3, 3, 3, 4, 4])  # 5 of 6: 83.33 %
    for student, gender in zip(raw.rows["an_students"][-6:], "LLLPPP", strict=True):
        student["gender"] = gender  # boys at levels 2, 3 and 3 (character 50), girls 3, 4, 4
    raw.add_teachers("10000002", YEAR, 3)  # too few teachers: D.5 suppressed
    raw.add_school("10000007", "34.71", "slb", status="negeri")
    raw.add_students("10000007", YEAR, "dasar", [4, 4, 4, 4, 4])
    # Kabupaten Bantul (34.02): an MI with 4 students (suppressed), a PKBM (excluded), SMP, SDLB.
    raw.add_school("10000003", "34.02", "mi", status="swasta")
    raw.add_students("10000003", YEAR, "dasar", [3, 3, 3, 3])
    raw.add_school("10000004", "34.02", "pkbm", status="swasta")
    raw.add_students("10000004", YEAR, "dasar", [4, 4, 4, 4, 4])
    raw.add_school("10000006", "34.02", "smp", status="negeri")
    raw.add_students("10000006", YEAR, "menengah_pertama", [3, 3, 3, 3, 2])  # 80 %
    raw.add_school("10000008", "34.02", "sdlb", status="negeri")
    raw.add_students("10000008", YEAR, "dasar", [1, 2, 2, 2, 3])  # 20 %
    # Kabupaten Jembrana (51.01), Bali.
    raw.add_school("10000005", "51.01", "sd", status="negeri")
    raw.add_students("10000005", YEAR, "dasar", [1, 1, 1, 2, 3])  # 20 %
    # Participation in Kota Yogyakarta: quintiles 1 and 5, ten children per age 7-12 in each.
    for age in range(7, 13):
        raw.add_population("34.71", YEAR, age, 1, 10)
        raw.add_population("34.71", YEAR, age, 5, 10)
        raw.add_enrolment("34.71", YEAR, age, 1, "dasar", 9)
        raw.add_enrolment("34.71", YEAR, age, 5, "dasar", 9 if age == 12 else 10)
        raw.add_population("51.01", YEAR, age, 3, 100)
        raw.add_enrolment("51.01", YEAR, age, 3, "dasar", 94)
    raw.add_enrolment("34.71", YEAR, 13, 1, "dasar", 6)  # over-age: APK only
    raw.add_enrolment("34.71", YEAR, 6, 5, "dasar", 2)  # under-age: APK only
    raw.add_enrolment("34.71", YEAR, 12, 5, "menengah_pertama", 1)  # in school, not at SD: APS only
    raw.add_enrolment("34.02", YEAR, 8, 1, "dasar", 50)  # Bantul has pupils but no population data
    for code, poverty in [("34.71", 6.0), ("34.02", 12.0), ("51.01", 5.0)]:
        raw.add_profile(code, YEAR, poverty, 80.0)
    home = tmp_path_factory.mktemp("handworked")
    return build_from(raw, home)


def value(result, entity_type, code, indicator, jenjang="dasar", bentuk="semua", status="semua"):
    rows = read_table(result, "indicator_values").filter(
        (pl.col("entity_type") == entity_type)
        & (pl.col("entity_code") == code)
        & (pl.col("indicator") == indicator)
        & (pl.col("jenjang") == jenjang)
        & (pl.col("bentuk") == bentuk)
        & (pl.col("status") == status)
        & (pl.col("year") == YEAR)
    )
    assert rows.height == 1, rows
    return rows.row(0, named=True)


def test_school_literacy_is_share_of_students_at_or_above_minimum(release):
    """A school's literacy value is the % of its students at level 3 or 4."""
    row = value(release, "sekolah", "10000002", "A.1", status="swasta", bentuk="sd")
    assert row["value"] == pytest.approx(500 / 6)
    assert row["label"] == "Baik"
    assert row["n_students"] == 6


def test_school_with_four_students_is_suppressed(release):
    """A school value from fewer than 5 students is withheld, with the reason."""
    row = value(release, "sekolah", "10000003", "A.1", bentuk="mi", status="swasta")
    assert row["value"] is None and row["label"] is None
    assert row["suppressed"] and row["suppression_reason"] == "few_respondents"


def test_kabkota_value_is_mean_of_its_schools(release):
    """Kota Yogyakarta's literacy is the mean of its two SD, without the SLB satu atap."""
    row = value(release, "kabkota", "34.71", "A.1")
    assert row["value"] == pytest.approx((60 + 500 / 6) / 2)
    assert row["label"] == "Baik"
    assert (row["n_schools"], row["n_students"]) == (2, 11)


def test_status_filter_keeps_only_that_status(release):
    """Filtering on negeri keeps the negeri SD only."""
    assert value(release, "kabkota", "34.71", "A.1", status="negeri")["value"] == pytest.approx(60)
    assert value(release, "kabkota", "34.71", "A.1", status="swasta")["value"] == pytest.approx(
        500 / 6
    )


def test_pkbm_and_suppressed_schools_stay_out_of_region_means(release):
    """Bantul's dasar value comes from its SDLB alone: the MI is suppressed, the PKBM excluded."""
    row = value(release, "kabkota", "34.02", "A.1")
    assert row["value"] == pytest.approx(20)
    assert row["n_schools"] == 1


def test_region_with_only_suppressed_schools_says_why(release):
    """Bantul's MI-only view has no number, because its one MI is suppressed."""
    row = value(release, "kabkota", "34.02", "A.1", bentuk="mi")
    assert row["value"] is None
    assert row["suppression_reason"] == "all_schools_suppressed"


def test_excluded_bentuk_has_no_region_rows(release):
    """No region value is published for Paket A: every Paket A programme is in a PKBM."""
    values = read_table(release, "indicator_values")
    assert values.filter(
        (pl.col("bentuk") == "paket_a") & (pl.col("entity_type") != "sekolah")
    ).is_empty()
    pkbm = value(release, "sekolah", "10000004", "A.1", bentuk="paket_a", status="swasta")
    assert pkbm["value"] == pytest.approx(100)


def test_khusus_group_holds_slb_programmes(release):
    """The Khusus view of Bantul is its SDLB."""
    assert value(release, "kabkota", "34.02", "A.1", jenjang="khusus")["value"] == pytest.approx(20)


def test_province_and_nation_average_schools_not_kabkota(release):
    """DIY and Indonesia are means over schools, each school counting once."""
    assert value(release, "provinsi", "34", "A.1")["value"] == pytest.approx(
        (60 + 500 / 6 + 20) / 3
    )
    assert value(release, "nasional", "ID", "A.1")["value"] == pytest.approx(
        (60 + 500 / 6 + 20 + 20) / 4
    )


def test_teacher_survey_value_needs_five_teachers(release):
    """D.5 of a school with 3 teachers is suppressed; the kab/kota value uses the other school."""
    assert value(release, "sekolah", "10000002", "D.5", bentuk="sd", status="swasta")["suppressed"]
    row = value(release, "kabkota", "34.71", "D.5")
    assert row["value"] == pytest.approx(60)
    assert row["n_teachers"] == 5 and row["n_students"] is None


def test_ability_distribution_of_a_school(release):
    """A school's four level shares are the shares of its students at each level."""
    shares = (
        read_table(release, "ability_distribution")
        .filter((pl.col("entity_code") == "10000001") & (pl.col("indicator") == "A.1"))
        .sort("level")["share_pct"]
        .to_list()
    )
    assert shares == pytest.approx([20, 20, 40, 20])


def test_participation_follows_the_guide_formulas(release):
    """APK counts over- and under-age pupils, APM only the age band, APS any school."""
    assert value(release, "kabkota", "34.71", "APK-SD")["value"] == pytest.approx(100 * 121 / 120)
    assert value(release, "kabkota", "34.71", "APM-SD")["value"] == pytest.approx(100 * 113 / 120)
    aps = value(release, "kabkota", "34.71", "APS-SD")
    assert aps["value"] == pytest.approx(95.0)
    assert aps["label"] == "Baik"


def test_national_participation_sums_persons(release):
    """National APS is total enrolled over total population, not a mean of kab/kota rates."""
    assert value(release, "nasional", "ID", "APS-SD")["value"] == pytest.approx(100 * 678 / 720)


def test_participation_by_ses_quintile(release):
    """The poorest quintile's APM is 90 % and the richest's 98.3 % in Kota Yogyakarta."""
    quintiles = read_table(release, "participation_by_ses").filter(
        (pl.col("entity_code") == "34.71") & (pl.col("indicator") == "APM-SD")
    )
    by_quintile = dict(zip(quintiles["ses_quintile"], quintiles["value"], strict=True))
    assert by_quintile == pytest.approx({1: 90.0, 5: 100 * 59 / 60})


def test_school_without_teacher_survey_has_suppressed_teacher_rows(release):
    """A school whose teachers did not answer shows D.5 as not enough data, not as missing."""
    row = value(
        release,
        "sekolah",
        "10000006",
        "D.5",
        jenjang="menengah_pertama",
        bentuk="smp",
        status="negeri",
    )
    assert row["suppressed"] and row["suppression_reason"] == "few_respondents"
    assert row["n_teachers"] == 0


def test_kabkota_without_population_has_no_participation_value(release):
    """Bantul's APK is withheld for lack of population data and stays out of the province's."""
    row = value(release, "kabkota", "34.02", "APK-SD")
    assert row["value"] is None and row["suppression_reason"] == "no_population"
    province = value(release, "provinsi", "34", "APK-SD")
    assert province["value"] == pytest.approx(100 * 121 / 120)


# 95 % intervals (docs/uncertainty.md). z = 1.959964, z² = 3.841459.


def test_share_of_students_gets_wilson_interval(release):
    """3 of 5 students at the minimum: Wilson's interval is 23.07-88.24 % (centre
    (0.6 + z²/10) / (1 + z²/5) = 0.55655, half-width z·sqrt(0.048 + z²/100) / (1 + z²/5) =
    0.32583), the figure in published tables of Wilson intervals for 3/5."""
    row = value(release, "sekolah", "10000001", "A.1", bentuk="sd", status="negeri")
    assert (row["ci_lower"], row["ci_upper"]) == (
        pytest.approx(23.072, abs=1e-3),
        pytest.approx(88.238, abs=1e-3),
    )
    assert row["std_error"] == pytest.approx(32.583 / 1.959964, abs=1e-3)


def test_mean_score_gets_mean_plus_minus_two_standard_errors(release):
    """Character scores 50-90: mean 70, standard error sqrt(250 / 5) = 7.0711, so 70 ± 13.859."""
    row = value(release, "sekolah", "10000001", "A.3", bentuk="sd", status="negeri")
    assert row["std_error"] == pytest.approx(7.0711, abs=1e-4)
    assert (row["ci_lower"], row["ci_upper"]) == (
        pytest.approx(56.141, abs=1e-3),
        pytest.approx(83.859, abs=1e-3),
    )


def test_region_interval_sums_its_schools_variances(release):
    """Kota Yogyakarta's literacy, the mean of 3/5 and 5/6: Wilson standard errors 16.624 and
    13.609 (half-widths 32.583 and 26.672 over z), so sqrt(16.624² + 13.609²) / 2 = 10.742 and
    71.667 ± 21.054."""
    row = value(release, "kabkota", "34.71", "A.1")
    assert row["std_error"] == pytest.approx(10.742, abs=1e-3)
    assert (row["ci_lower"], row["ci_upper"]) == (
        pytest.approx(50.612, abs=1e-3),
        pytest.approx(92.721, abs=1e-3),
    )


def test_census_and_bps_values_have_no_interval(release):
    """Teachers answer as a census and BPS gives no sampling error: no interval is made up."""
    for row in (
        value(release, "kabkota", "34.71", "D.5"),
        value(release, "sekolah", "10000001", "D.5", bentuk="sd", status="negeri"),
        value(release, "kabkota", "34.71", "APK-SD"),
    ):
        assert (row["std_error"], row["ci_lower"], row["ci_upper"]) == (None, None, None)


def test_suppressed_value_has_no_interval(release):
    row = value(release, "sekolah", "10000003", "A.1", bentuk="mi", status="swasta")
    assert (row["std_error"], row["ci_lower"], row["ci_upper"]) == (None, None, None)


# The equity lens (docs/equity.md): groups of students pooled.


def equity(result, entity_type, code, indicator, dimension, group, jenjang="dasar"):
    rows = read_table(result, "equity_groups").filter(
        (pl.col("entity_type") == entity_type)
        & (pl.col("entity_code") == code)
        & (pl.col("indicator") == indicator)
        & (pl.col("jenjang") == jenjang)
        & (pl.col("dimension") == dimension)
        & (pl.col("group_key") == group)
        & (pl.col("year") == YEAR)
    )
    assert rows.height == 1, rows
    return rows.row(0, named=True)


def test_region_gender_groups_pool_students(release):
    """Kota Yogyakarta's boys: 2 in one SD (levels 1, 2) and 3 in the other (2, 3, 3), so 2 of 5
    reach the minimum: 40 %, Wilson 11.76-76.93 %. Its girls: all 6 reach it: 100 %, Wilson
    60.97-100 % (centre (1 + z²/12) / (1 + z²/6) = 0.80483, half-width 0.19517)."""
    boys = equity(release, "kabkota", "34.71", "A.1", "gender", "L")
    assert (boys["value"], boys["n_students"], boys["n_schools"]) == (pytest.approx(40), 5, 2)
    assert (boys["ci_lower"], boys["ci_upper"]) == (
        pytest.approx(11.762, abs=1e-3),
        pytest.approx(76.928, abs=1e-3),
    )
    girls = equity(release, "kabkota", "34.71", "A.1", "gender", "P")
    assert girls["value"] == pytest.approx(100)
    assert (girls["ci_lower"], girls["ci_upper"]) == (
        pytest.approx(60.967, abs=1e-3),
        pytest.approx(100, abs=1e-3),
    )


def test_region_score_group_has_mean_interval(release):
    """The boys' character scores 50, 60 and 50, 50, 50: mean 52, sample variance 80 / 4 = 20,
    standard error sqrt(20 / 5) = 2, interval 52 ± 3.92."""
    boys = equity(release, "kabkota", "34.71", "A.3", "gender", "L")
    assert boys["value"] == pytest.approx(52)
    assert boys["std_error"] == pytest.approx(2)
    assert (boys["ci_lower"], boys["ci_upper"]) == (
        pytest.approx(48.080, abs=1e-3),
        pytest.approx(55.920, abs=1e-3),
    )


def test_region_status_groups_are_their_schools_students(release):
    """Negeri: the SD with 3 of 5 at the minimum; swasta: the one with 5 of 6. The SLB satu atap
    does not count in region values."""
    negeri = equity(release, "kabkota", "34.71", "A.1", "status", "negeri")
    swasta = equity(release, "kabkota", "34.71", "A.1", "status", "swasta")
    assert (negeri["value"], negeri["n_students"]) == (pytest.approx(60), 5)
    assert (swasta["value"], swasta["n_students"]) == (pytest.approx(500 / 6), 6)


def test_small_group_is_suppressed(release):
    """A school's 2 boys are too few to publish; its 3 girls too."""
    row = equity(release, "sekolah", "10000001", "A.1", "gender", "L")
    assert row["suppressed"] and row["value"] is None and row["n_students"] == 2
