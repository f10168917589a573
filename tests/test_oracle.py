"""The release of a small synthetic country, compared value by value with tests/oracle.py, an
independent polars implementation of the documented rules."""

from __future__ import annotations

import polars as pl
import pytest

from rapor.catalogue import load_catalogue
from tests import oracle
from tests.conftest import Built

RELATIVE = 1e-9  # values agree to 1e-9 relative, or 1e-9 absolute below 1
SHOWN = 5  # rows quoted in a failure message
KEY = oracle.KEY
REGION = pl.col("entity_type") != "sekolah"
PARTICIPATION = pl.col("indicator").str.starts_with("AP")


@pytest.fixture(scope="module")
def indicator_values(built: Built) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(oracle, release) `indicator_values`."""
    return oracle.indicator_values(built.raw_dir), built.table("indicator_values")


@pytest.fixture(scope="module")
def peer_values(built: Built) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(oracle, release) `peer_values`."""
    return oracle.peer_values(built.raw_dir), built.table("peer_values")


@pytest.fixture(scope="module")
def rank_bands(built: Built) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(oracle, release) `rank_bands`."""
    return oracle.rank_bands(built.raw_dir), built.table("rank_bands")


# ---------------------------------------------------------------------------- comparison


def assert_same(
    expected: pl.DataFrame,
    actual: pl.DataFrame,
    key: list[str],
    counts: tuple[str, ...] = (),
    values: tuple[str, ...] = (),
    exact: tuple[str, ...] = (),
) -> None:
    """The same keys; `counts` and `exact` columns equal; `values` equal within RELATIVE."""
    assert not expected.is_empty(), "the oracle has no rows to compare"
    actual = actual.with_columns(pl.col(c).cast(expected.schema[c]) for c in [*key, *counts])
    for name, frame in (("oracle", expected), ("release", actual)):
        repeated = frame.filter(frame.select(key).is_duplicated())
        assert repeated.is_empty(), f"the {name} repeats keys:\n{repeated.head(SHOWN)}"
    missing = expected.join(actual, on=key, how="anti", nulls_equal=True)
    extra = actual.join(expected, on=key, how="anti", nulls_equal=True)
    assert missing.is_empty() and extra.is_empty(), (
        f"{missing.height} oracle rows are missing from the release, e.g.\n"
        f"{missing.select(key).head(SHOWN)}\n"
        f"{extra.height} release rows are not in the oracle, e.g.\n{extra.select(key).head(SHOWN)}"
    )
    both = expected.join(actual, on=key, suffix="_release", nulls_equal=True)
    problems = []
    for column in [*counts, *exact, *values]:
        ours, theirs = pl.col(column), pl.col(f"{column}_release")
        if column in values:
            tolerance = RELATIVE * pl.max_horizontal(ours.abs(), pl.lit(1.0))
            same = (ours.is_null() & theirs.is_null()) | ((ours - theirs).abs() <= tolerance)
        else:
            same = ours.eq_missing(theirs)
        wrong = both.filter(~same.fill_null(False))
        if not wrong.is_empty():
            problems.append(
                f"{column}: {wrong.height} of {both.height} rows differ, e.g.\n"
                f"{wrong.select(*key, column, f'{column}_release').head(SHOWN)}"
            )
    assert not problems, "\n".join(problems)


def assert_same_partition(expected: pl.DataFrame, actual: pl.DataFrame, key: list[str]) -> None:
    """The oracle's and the release's peer groups hold the same members (names may differ)."""
    pairs = expected.join(actual, on=key, suffix="_release").select(
        "peer_group", "peer_group_release"
    )
    for ours, theirs in (
        ("peer_group", "peer_group_release"),
        ("peer_group_release", "peer_group"),
    ):
        split = (
            pairs.group_by(ours).agg(pl.col(theirs).unique()).filter(pl.col(theirs).list.len() > 1)
        )
        assert split.is_empty(), f"{ours} is split over several groups of the other side:\n{split}"


# ------------------------------------------------------------------------------ the tables

INDICATOR_COUNTS = ("n_schools", "n_students", "n_teachers")
INDICATOR_EXACT = ("label", "label_key", "suppressed", "suppression_reason")
INDICATOR_VALUES = ("value", "std_error", "ci_lower", "ci_upper")


def _compare_indicator_rows(pair: tuple[pl.DataFrame, pl.DataFrame], rows: pl.Expr) -> None:
    expected, actual = (frame.filter(rows) for frame in pair)
    assert_same(expected, actual, KEY, INDICATOR_COUNTS, INDICATOR_VALUES, INDICATOR_EXACT)


def test_school_indicator_values(indicator_values):
    """Every school programme's values, counts, labels and suppression match the oracle's."""
    _compare_indicator_rows(indicator_values, ~REGION)


def test_region_indicator_values(indicator_values):
    """Every kab/kota, province and national AN value under every filter matches the oracle's."""
    _compare_indicator_rows(indicator_values, REGION & ~PARTICIPATION)


def test_participation_indicator_values(indicator_values):
    """Every region's APK/APS/APM for every BPS year matches the oracle's."""
    _compare_indicator_rows(indicator_values, PARTICIPATION)


def test_ability_distribution(built):
    """Every school's and region's share of students at each AKM level matches the oracle's."""
    assert_same(
        oracle.ability_distribution(built.raw_dir),
        built.table("ability_distribution"),
        [*KEY, "level"],
        ("n_schools", "n_students"),
        ("share_pct",),
        ("level_key", "suppressed"),
    )


def test_participation_by_ses(built):
    """Every region's APK/APS/APM per SES quintile, with its persons, matches the oracle's."""
    assert_same(
        oracle.participation_by_ses(built.raw_dir),
        built.table("participation_by_ses"),
        ["entity_type", "entity_code", "year", "jenjang", "indicator", "ses_quintile"],
        ("population", "enrolled"),
        ("value",),
        ("label", "label_key"),
    )


def test_equity_groups(built):
    """Every school's and region's literacy, numeracy and character per gender, SES quintile,
    status and lokasi group, with its counts and interval, matches the oracle's."""
    assert_same(
        oracle.equity_groups(built.raw_dir),
        built.table("equity_groups"),
        oracle.EQUITY_KEY,
        ("n_schools", "n_students"),
        ("value", "std_error", "ci_lower", "ci_upper"),
        ("suppressed",),
    )


def test_no_withheld_equity_group_can_be_worked_out(built):
    """The groups of a dimension share out the entity's students: where some are published,
    never is a single group withheld (its value would be the entity's less the others'), nor
    withheld groups of fewer than 5 students together; and some groups of 5 or more are
    withheld for that reason."""
    groups = built.table("equity_groups")
    dimensions = (
        groups.group_by(oracle.EQUITY_KEY[:-1])
        .agg(
            groups=pl.len(),
            withheld=pl.col("suppressed").sum(),
            withheld_students=pl.col("n_students").filter(pl.col("suppressed")).sum(),
        )
        # All withheld: the entity's own value rests on fewer than 5 students and is too.
        .filter(pl.col("groups") > pl.col("withheld"))
    )
    assert dimensions.filter(pl.col("withheld") == 1).is_empty()
    assert dimensions.filter(
        (pl.col("withheld") > 1) & (pl.col("withheld_students") < 5)
    ).is_empty()
    assert groups.filter(pl.col("suppressed") & (pl.col("n_students") >= 5)).height


def test_school_peer_values(peer_values):
    """Every school's peer group, peer value and number of peers match the oracle's."""
    expected, actual = (frame.filter(~REGION) for frame in peer_values)
    assert_same(expected, actual, KEY, ("n_peers",), ("peer_value", "peer_std_error"))
    assert_same_partition(expected, actual, KEY)


def test_region_peer_values(peer_values):
    """Every kab/kota's and province's peer group, peer value and peers match the oracle's."""
    expected, actual = (frame.filter(REGION) for frame in peer_values)
    assert_same(expected, actual, KEY, ("n_peers",), ("peer_value", "peer_std_error"))
    assert_same_partition(expected, actual, KEY)


RANKS = ("rank_in_region", "ranked_in_region", "fifth_in_region")
RANKS += ("rank_in_nation", "ranked_in_nation", "fifth_in_nation")


def test_rank_bands(rank_bands):
    """Every ranked school's and region's ranks, counts and fifths match the oracle's."""
    expected, actual = rank_bands
    assert_same(expected, actual, KEY, exact=RANKS)


def test_rank_bands_cover_every_fifth_and_leave_small_groups_without_one(rank_bands):
    """The fixture exercises the rule: schools fall in all five fifths, and a region with
    fewer than five ranked members gives ranks without a fifth."""
    _, actual = rank_bands
    schools = actual.filter(pl.col("entity_type") == "sekolah")
    assert set(schools["fifth_in_nation"].unique()) == {1, 2, 3, 4, 5}
    small = actual.filter(pl.col("ranked_in_region") < 5)
    assert not small.is_empty() and small["fifth_in_region"].is_null().all()


# ------------------------------------------------------------- rows that must exist


def test_region_without_publishable_school_has_zero_respondents(indicator_values):
    """A region value with no publishable school has 0 students behind it, as it has 0 schools."""
    _, actual = indicator_values
    empty = actual.filter(pl.col("suppression_reason") == "all_schools_suppressed")
    assert not empty.is_empty()
    assert empty.filter(pl.col("n_students").is_null() & pl.col("n_teachers").is_null()).is_empty()


def test_every_region_row_has_a_peer_row(peer_values, indicator_values):
    """Every kab/kota and province row of a top-level indicator has a peer_values row."""
    _, actual = peer_values
    values, _ = indicator_values
    top_level = [indicator.code for indicator in load_catalogue().indicators]
    regions = values.filter(
        pl.col("entity_type").is_in(["kabkota", "provinsi"]) & pl.col("indicator").is_in(top_level)
    ).select(KEY)
    missing = regions.join(actual.select(KEY), on=KEY, how="anti")
    assert missing.is_empty(), f"{missing.height} rows have no peer row, e.g.\n{missing.head()}"
