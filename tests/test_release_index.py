"""The web's lookup index holds exactly what its release holds."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from rapor import releases
from rapor.release_index import (
    ReleaseTooOld,
    ensure_index,
    index_path,
    lookups_path,
    open_index,
    open_lookups,
)
from tests.conftest import Built, build_from
from tests.test_validation import valid_raw


def _index_of(built: Built) -> Path:
    """The DuckDB file of the index `built`'s activation made."""
    home = built.release_dir.parent.parent
    return index_path(releases.get_release(built.release_dir.name, home), home)


def _index_table(built: Built, table: str) -> pl.DataFrame:
    connection = open_index(_index_of(built))
    try:
        return connection.sql(f"select * from {table}").pl()
    finally:
        connection.close()


def test_activation_makes_the_index(built):
    """Activating a release (as `built` did) leaves its index file under RAPOR_HOME/index/."""
    assert _index_of(built).is_file()


def _lookup_rows(built: Built, table: str) -> list[dict]:
    lookups = open_lookups(_index_of(built))
    try:
        cursor = lookups.execute(f"select * from {table}")
        columns = [column[0] for column in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    finally:
        lookups.close()


def _in_order(rows: list[dict], columns: list[str]) -> list[dict]:
    """`rows` with only `columns`, sorted by all of them (missing values first)."""
    kept = [{column: row[column] for column in columns} for row in rows]
    return sorted(kept, key=lambda row: [(row[c] is not None, row[c] or 0) for c in columns])


def test_index_holds_every_release_row(built):
    """Each indexed table has the same rows as the release's Parquet file."""
    for table in ("indicator_values", "schools"):
        indexed = _index_table(built, table)
        published = built.table(table)
        assert indexed.height == published.height, table
        assert set(published.columns) <= set(indexed.columns), table


# Release tables the index splits by entity: each school's rows in its `school_rows` row of the
# SQLite file (compressed JSON), the region rows in a table of the same file.
SPLIT_TABLES = {
    "ability_distribution": ("ability", "region_ability"),
    "equity_groups": ("equity", "region_equity"),
    "participation_by_ses": (None, "participation_by_ses"),  # regions only
}


def _school_rows(built: Built, part: str) -> dict[str, list[dict]]:
    """Each school's rows of one part of `school_rows` (decompressed), by NPSN."""
    return {row["npsn"]: row[part] for row in _lookup_rows(built, "school_rows")}


@pytest.mark.parametrize("table", sorted(SPLIT_TABLES))
def test_split_tables_hold_every_release_row_once(built, table):
    """The school rows and the region rows of a split table are together exactly the
    release's rows, each value as published: booleans come back as booleans, and each school's
    rows are its own."""
    school_part, in_sqlite = SPLIT_TABLES[table]
    regions = _lookup_rows(built, in_sqlite)
    by_school = _school_rows(built, school_part) if school_part else {}
    schools = [row for rows in by_school.values() for row in rows or []]
    published = built.table(table)
    assert regions
    assert {row["entity_type"] for row in regions} <= {"nasional", "provinsi", "kabkota"}
    assert {row["entity_type"] for row in schools} <= {"sekolah"}
    assert all(row["entity_code"] == npsn for npsn, rows in by_school.items() for row in rows or [])
    assert _in_order(regions + schools, published.columns) == _in_order(
        published.rows(named=True), published.columns
    )
    if "suppressed" in published.columns:
        assert {type(row["suppressed"]) for row in regions + schools} == {bool}


def test_each_school_row_holds_its_indicator_values_as_indexed(built):
    """A school's `indicator_values` in the SQLite file are its rows of the DuckDB index's
    indicator_values, every column with its value and type (an integer stays an integer, a
    float is the same float), in the order of their key; a school without values has none."""
    indexed = _index_table(built, "indicator_values").filter(pl.col("entity_type") == "sekolah")
    by_school = _school_rows(built, "indicator_values")
    key = ["jenjang", "bentuk", "status", "indicator", "year"]
    expected: dict[str, list[dict]] = {}
    for row in indexed.sort(["entity_code", *key]).rows(named=True):
        expected.setdefault(row["entity_code"], []).append(row)
    assert {npsn: rows for npsn, rows in by_school.items() if rows} == expected
    assert set(by_school) == set(built.table("schools")["npsn"])
    # 1 == True and 2.0 == 2 in Python: the comparison above cannot tell the types apart.
    rows = [row for rows in by_school.values() for row in rows or []]
    kinds = {"year": int, "n_students": int, "suppressed": bool, "value": float}
    for column, kind in kinds.items():
        assert {type(row[column]) for row in rows if row[column] is not None} == {kind}, column


def test_lookup_file_holds_the_region_rows_and_schools_with_their_types(built):
    """The SQLite file of point lookups has every region row of indicator_values (with the peer
    mean) and every school, each value as the release has it: booleans, dates and missing values
    come back as such."""
    for table, published in (
        ("region_values", _index_table(built, "region_values")),
        ("schools", _index_table(built, "schools")),
    ):
        rows = _lookup_rows(built, table)
        columns = list(rows[0])
        expected = published.select(columns).rows(named=True)
        key = columns[:7] if table == "region_values" else ["npsn"]
        assert sorted(rows, key=lambda r: [r[k] for k in key]) == sorted(
            expected, key=lambda r: [r[k] for k in key]
        ), table
        # 1 == True in Python: the comparison above cannot tell a boolean from an integer.
        flag = "suppressed" if table == "region_values" else "counts_in_region_values"
        assert {type(row[flag]) for row in rows} == {bool}, table


def test_each_school_lists_the_levels_it_has_values_at(built):
    """A school's `tested_jenjang` (what its page offers in the jenjang choice) names the levels
    of its rows in indicator_values, and no other; a school without rows has none."""
    school_rows = built.table("indicator_values").filter(pl.col("entity_type") == "sekolah")
    expected = {
        row["entity_code"]: ",".join(sorted(row["jenjang"]))
        for row in school_rows.group_by("entity_code").agg(pl.col("jenjang").unique()).to_dicts()
    }
    schools = _index_table(built, "schools").select("npsn", "tested_jenjang").rows()
    assert {npsn: tested for npsn, tested in schools if tested} == expected
    assert any(tested and "," in tested for _, tested in schools)  # some have two levels
    assert built.table("schools").height == len(schools)


def test_index_carries_each_rows_peer_value(built):
    """indicator_values in the index has the peer mean of peer_values.parquet on the same key."""
    key = ["entity_type", "entity_code", "year", "jenjang", "bentuk", "status", "indicator"]
    indexed = _index_table(built, "indicator_values").filter(pl.col("peer_group").is_not_null())
    peers = built.table("peer_values")
    joined = peers.join(indexed, on=key, how="left", suffix="_index")
    assert joined.height == peers.height
    assert joined.filter(pl.col("peer_value").ne_missing(pl.col("peer_value_index"))).is_empty()


def test_school_list_holds_every_school_row(built):
    """The school lists' table has each school row of indicator_values, with the same values."""
    listed = _index_table(built, "school_list")
    schools = _index_table(built, "indicator_values").filter(pl.col("entity_type") == "sekolah")
    key = ["npsn", "indicator", "year", "bentuk", "status"]
    assert listed.height == schools.height
    assert listed.select(key).is_duplicated().sum() == 0
    joined = listed.join(
        schools.rename({"entity_code": "npsn"}), on=key, how="inner", suffix="_all"
    )
    assert joined.height == listed.height
    for column in ("value", "label", "suppressed", "n_students", "kabkota_code", "school_name"):
        assert joined.filter(pl.col(column).ne_missing(pl.col(f"{column}_all"))).is_empty(), column


def test_an_index_of_other_code_is_replaced_not_read(home):
    """An index made by other code (an earlier release_index.sql) is not opened: the release gets
    an index of this code's tables, and the old file is deleted."""
    release = build_from(valid_raw(), home).release  # activated: its index exists
    current = index_path(release, home)
    current.unlink()
    stale = current.with_name(f"{release.release_id}.0123456789ab.duckdb")
    stale.write_bytes(b"an index of other tables")
    stale_lookups = lookups_path(stale)
    stale_lookups.write_bytes(b"lookups of other tables")
    legacy = current.with_name(f"{release.release_id}.duckdb")  # before indexes had versions
    legacy.write_bytes(b"an index of other tables")
    assert ensure_index(release, home) == current
    assert current.is_file() and not stale.exists() and not legacy.exists()
    assert lookups_path(current).is_file() and not stale_lookups.exists()
    connection = open_index(current)
    try:
        assert connection.execute("select count(*) from school_list").fetchone()[0] > 0
    finally:
        connection.close()


def test_group_values_hold_each_published_top_level_school_value(built):
    """The comparison groups' table (in the SQLite lookup file) has every school row with a value
    of an indicator that has peer values (the top-level ones), and nothing else."""
    grouped = pl.DataFrame(_lookup_rows(built, "group_values"))
    top_level = built.table("peer_values")["indicator"].unique()
    expected = built.table("indicator_values").filter(
        (pl.col("entity_type") == "sekolah")
        & ~pl.col("suppressed")
        & pl.col("indicator").is_in(top_level.implode())
    )
    key = ["npsn", "year", "bentuk", "status", "indicator"]
    joined = grouped.join(expected.rename({"entity_code": "npsn"}), on=key, suffix="_release")
    assert grouped.height == expected.height == joined.height
    for column in ("value", "std_error", "n_students"):
        assert joined.filter(pl.col(column).ne_missing(pl.col(f"{column}_release"))).is_empty()


def test_a_release_of_an_older_format_cannot_be_indexed(home):
    """A release of format 2 (built before the rank bands: no rank_bands table) gets a clear
    error, not a crash."""
    release = build_from(valid_raw(), home).release
    for path in index_path(release, home).parent.glob("*.duckdb"):
        path.unlink()
    manifest = release.path / "manifest.json"
    manifest.write_text(manifest.read_text().replace('"format_version": 3', '"format_version": 2'))
    (release.path / "rank_bands.parquet").unlink()
    old = releases.get_release(release.release_id, home)
    assert old.manifest["format_version"] == 2
    with pytest.raises(ReleaseTooOld, match=r"format 2.*rapor build"):
        ensure_index(old, home)


def test_a_kabkota_school_list_is_the_school_list_tables(built):
    """A kab/kota's school list, filtered, sorted and cut in Python from its rows of the SQLite
    file, is the list DuckDB gives from `school_list` for the same query: the same schools with
    the same values in the same order, and the same length, for every kab/kota, bentuk choice,
    status, order and window tried."""
    from rapor.web.release_data import Region, ReleaseData, SchoolQuery

    index = _index_of(built)
    data = ReleaseData(releases.get_release(built.release_dir.name, index.parent.parent), index)
    duckdb_side = ReleaseData(data.release, index)
    listed = _index_table(built, "school_list")
    year = int(listed["year"].max())
    combinations = listed.filter(pl.col("year") == year).select("indicator", "bentuk").unique()
    bentuk_sets = [(b,) for b in sorted(set(combinations["bentuk"]))] + [
        tuple(sorted(set(combinations["bentuk"])))
    ]
    checked = 0
    for code in sorted(set(listed["kabkota_code"])):
        place = Region(code, code, "kabkota", code.split(".")[0])
        for indicator in ("A.1", "A.2"):
            for bentuk in bentuk_sets:
                for status in ("semua", "negeri", "swasta"):
                    query = SchoolQuery(place, bentuk, status, indicator, year)
                    for sort, descending in (("nama", False), ("nama", True), ("nilai", True)):
                        for offset, limit in ((0, None), (0, 3), (2, 3), (10_000, 3)):
                            ours = data._school_list(query, sort, descending, offset, limit)
                            theirs = duckdb_side._school_list_in_duckdb(
                                query, sort, descending, offset, limit
                            )
                            assert ours == theirs, (code, indicator, bentuk, status, sort)
                            checked += bool(ours[1])
                    assert data._lists_schools(query) == bool(
                        duckdb_side._school_list_in_duckdb(query, "nama", False, 0, None)[1]
                    )
    assert checked > 100
