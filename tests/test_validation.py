"""Validation: each rule sets aside the row that breaks it, with the reason, and keeps the rest."""

from __future__ import annotations

import polars as pl
import pytest

from rapor import releases
from rapor.pipeline.build import BuildOptions, build
from rapor.pipeline.ingest import InputError
from rapor.pipeline.validate import TooManyRejects
from tests.conftest import build_from, read_table
from tests.rawdata import RawData

YEAR = 2023


def valid_raw() -> RawData:
    """Two schools with students and teachers, and BPS rows for their kab/kota: all valid."""
    raw = RawData()
    raw.add_school("10000001", "34.71", "sd")
    raw.add_students("10000001", YEAR, "dasar", [1, 2, 3, 3, 4])
    raw.add_teachers("10000001", YEAR, 5)
    raw.add_school("10000002", "34.71", "smp", status="swasta")
    raw.add_students("10000002", YEAR, "menengah_pertama", [3, 3, 4, 4, 2])
    raw.add_teachers("10000002", YEAR, 5)
    for age in range(7, 19):
        raw.add_population("34.71", YEAR, age, 1, 100)
        raw.add_enrolment("34.71", YEAR, age, 1, "dasar" if age < 13 else "menengah_pertama", 90)
    raw.add_profile("34.71", YEAR, 6.0, 95.0)
    return raw


def first(raw: RawData, table: str) -> dict:
    return raw.rows[table][0]


# (test id, source, how to break the valid data, words the reason must contain, rows rejected)
CASES = [
    ("npsn-format", "schools", lambda r: r.add_school("123", "34.71"), "not 8 digits", 1),
    ("npsn-duplicate", "schools",
     lambda r: (r.add_school("10000009", "34.71"), r.add_school("10000009", "34.71")),
     "more than once", 2),
    ("school-name", "schools", lambda r: r.add_school("10000009", "34.71", name=""), "name", 1),
    ("bentuk", "schools", lambda r: r.add_school("10000009", "34.71", "tk"),
     "unknown bentuk tk", 1),
    ("slb-kind", "schools", lambda r: r.add_school("10000009", "34.71", slb_kind="satu_atap"),
     "slb_kind", 1),
    ("status", "schools", lambda r: r.add_school("10000009", "34.71", status="x"), "status", 1),
    ("kabkota", "schools", lambda r: r.add_school("10000009", "99.99"),
     "unknown kabkota_code 99.99", 1),
    ("lokasi", "schools", lambda r: r.add_school("10000009", "34.71", lokasi="kota"), "lokasi", 1),
    ("accreditation", "schools", lambda r: r.add_school("10000009", "34.71", accreditation="Z"),
     "accreditation", 1),
    ("school-ses", "schools", lambda r: r.add_school("10000009", "34.71", ses_index=None),
     "ses_index", 1),
    ("student-duplicate", "an_students",
     lambda r: r.rows["an_students"].append(dict(first(r, "an_students"))), "more than once", 2),
    ("student-id", "an_students", lambda r: r.add_students("10000001", YEAR, "dasar", [3],
                                                           student_id=""), "student_id", 1),
    ("orphan-student", "an_students", lambda r: r.add_students("99999999", YEAR, "dasar", [3]),
     "npsn 99999999 is not a valid school", 1),
    ("jenjang", "an_students", lambda r: r.add_students("10000001", YEAR, "menengah", [3]),
     "not taught at a sd school", 1),
    ("gender", "an_students", lambda r: r.add_students("10000001", YEAR, "dasar", [3], gender="X"),
     "gender", 1),
    ("student-ses", "an_students",
     lambda r: r.add_students("10000001", YEAR, "dasar", [3], ses_index=None), "ses_index", 1),
    ("literacy-level", "an_students", lambda r: r.add_students("10000001", YEAR, "dasar", [7]),
     "literacy_level 7", 1),
    ("numeracy-level", "an_students",
     lambda r: r.add_students("10000001", YEAR, "dasar", [3], numeracy_level=0),
     "numeracy_level 0", 1),
    ("score-range", "an_students",
     lambda r: r.add_students("10000001", YEAR, "dasar", [3], literacy_score=140.0),
     "literacy_score 140", 1),
    ("score-missing", "an_students",
     lambda r: r.add_students("10000001", YEAR, "dasar", [3], safety_bullying=None),
     "safety_bullying", 1),
    ("orphan-teacher", "an_teachers", lambda r: r.add_teachers("99999999", YEAR, 1),
     "not a valid school", 1),
    ("teacher-duplicate", "an_teachers",
     lambda r: r.rows["an_teachers"].append(dict(first(r, "an_teachers"))), "more than once", 2),
    ("teacher-role", "an_teachers", lambda r: r.add_teachers("10000001", YEAR, 1, role="murid"),
     "role", 1),
    ("teacher-score", "an_teachers",
     lambda r: r.add_teachers("10000001", YEAR, 1, diversity=-3.0), "diversity -3", 1),
    ("population-negative", "bps_population",
     lambda r: r.add_population("34.71", YEAR, 5, 1, -10), "population -10", 1),
    ("population-kabkota", "bps_population", lambda r: r.add_population("99.99", YEAR, 7, 1, 10),
     "unknown kabkota_code", 1),
    ("population-quintile", "bps_population", lambda r: r.add_population("34.71", YEAR, 7, 6, 10),
     "ses_quintile", 1),
    ("population-age", "bps_population", lambda r: r.add_population("34.71", YEAR, 150, 1, 10),
     "age", 1),
    ("population-duplicate", "bps_population",
     lambda r: r.add_population("34.71", YEAR, 7, 1, 100), "more than once", 2),
    ("enrolment-jenjang", "bps_enrolment",
     lambda r: r.add_enrolment("34.71", YEAR, 7, 2, "kuliah", 5), "unknown jenjang kuliah", 1),
    ("enrolment-negative", "bps_enrolment",
     lambda r: r.add_enrolment("34.71", YEAR, 7, 2, "dasar", -1), "students -1", 1),
    ("profile-range", "bps_kabkota_profile", lambda r: r.add_profile("34.02", YEAR, 120.0, 50.0),
     "poverty_rate_pct", 1),
    ("profile-duplicate", "bps_kabkota_profile", lambda r: r.add_profile("34.71", YEAR, 6.0, 95.0),
     "more than once", 2),
]  # fmt: skip


@pytest.mark.parametrize(
    ("source", "break_data", "reason", "rejected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_bad_row_is_rejected_with_reason_and_others_kept(
    home, source, break_data, reason, rejected
):
    """A row breaking one rule lands in rejects.parquet with its reason; valid rows publish."""
    raw = valid_raw()
    break_data(raw)
    result = build_from(raw, home, max_reject_share=1.0)
    rejects = read_table(result, "rejects")
    assert rejects["source"].to_list() == [source] * rejected, rejects
    assert all(reason in text for text in rejects["reason"]), rejects["reason"].to_list()
    assert result.release.manifest["reject_counts"][source] == rejected
    schools = read_table(result, "indicator_values").filter(pl.col("entity_type") == "sekolah")
    assert {"10000001", "10000002"} <= set(schools["entity_code"])


def test_students_of_a_rejected_school_are_orphans(home):
    """When a school is rejected, its students are rejected too rather than counted nowhere."""
    raw = valid_raw()
    raw.add_school("10000009", "99.99")
    raw.add_students("10000009", YEAR, "dasar", [3])
    rejects = read_table(build_from(raw, home, max_reject_share=1.0), "rejects")
    assert rejects.select("source", "record_key").sort("source").rows()[0] == (
        "an_students",
        f"{YEAR}/{raw.rows['an_students'][-1]['student_id']}",
    )
    assert sorted(rejects["source"]) == ["an_students", "schools"]


def test_csv_inputs_give_the_same_release_as_parquet(home, tmp_path):
    """The ingest accepts CSV; values equal those built from the same data in Parquet."""
    raw = valid_raw()
    from_csv = read_table(build_from(raw, home, fmt="csv"), "indicator_values")
    from_parquet = read_table(build_from(raw, tmp_path / "parquet"), "indicator_values")
    key = ["entity_type", "entity_code", "year", "jenjang", "bentuk", "status", "indicator"]
    assert from_csv.sort(key).equals(from_parquet.sort(key))


def csv_with_cell(home, table: str, row: int, column: str, text: str):
    """The valid data as CSV, with one cell (1-based data row) replaced by `text`."""
    raw_dir = valid_raw().write(home / "raw", "csv")
    path = raw_dir / f"{table}.csv"
    lines = path.read_text().splitlines()
    header = lines[0].split(",")
    cells = lines[row].split(",")
    cells[header.index(f'"{column}"')] = text
    lines[row] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n")
    return raw_dir


@pytest.mark.parametrize(
    ("table", "column", "text", "reason"),
    [
        ("an_students", "literacy_score", '"tujuh puluh"', "literacy_score"),
        ("an_students", "literacy_level", "2.5", "literacy_level 2.5 is not a whole number"),
        ("an_students", "year", "2023.5", "year 2023.5 is not a whole number"),
        ("an_students", "ses_index", "nan", "ses_index"),
        ("schools", "ses_index", "inf", "ses_index inf"),
        ("bps_population", "population", "12.7", "population 12.7 is not a whole number"),
    ],
)
def test_csv_cell_that_is_not_a_valid_number_is_rejected_with_file_row(
    home, table, column, text, reason
):
    """In a CSV, a number written wrongly is rejected with its data row, never rounded."""
    raw_dir = csv_with_cell(home, table, 2, column, text)
    result = build(BuildOptions(raw_dir=raw_dir, max_reject_share=1.0), home=home)
    rejects = read_table(result, "rejects").filter(pl.col("source") == table)
    assert rejects.select("source_row").rows() == [(2,)]
    assert reason in rejects["reason"][0]


def test_too_many_rejects_fails_and_publishes_nothing(home):
    """Over the reject limit, the build fails naming the source, and the active release stays."""
    raw = valid_raw()
    first_release = build_from(raw, home).release
    raw.add_students("99999999", YEAR, "dasar", [3, 3])  # 2 orphans of 12 students: 17 %
    with pytest.raises(TooManyRejects, match=r"an_students: 2 of 12 rows rejected"):
        build_from(raw, home, max_reject_share=0.05)
    assert [release.release_id for release in releases.list_releases(home)] == [
        first_release.release_id
    ]
    assert releases.active_release(home).release_id == first_release.release_id
    assert not list((home / "releases").glob(".building-*"))


def test_no_valid_students_fails_the_build(home):
    """A build whose AN students are all rejected fails instead of publishing an empty report."""
    raw = valid_raw()
    for student in raw.rows["an_students"]:
        student["gender"] = "X"
    with pytest.raises(TooManyRejects, match="no valid rows in an_students"):
        build_from(raw, home, max_reject_share=1.0)
    assert releases.active_release(home) is None


def test_malformed_csv_names_the_file(home):
    """A CSV line with an unclosed quote stops the build naming the file and the reason."""
    raw_dir = valid_raw().write(home / "raw", "csv")
    path = raw_dir / "schools.csv"
    path.write_text(path.read_text() + '"10000003,"broken\n')
    with pytest.raises(InputError, match=r"schools\.csv"):
        build(BuildOptions(raw_dir=raw_dir), home=home)
    assert releases.active_release(home) is None
