"""Hostile raw inputs: wrong encodings, damaged, empty, missing or misshapen files.

Each one stops the build with an error that names the file (and the line or data row when it is
about one), publishes nothing, and leaves the live release active and readable. Rows that merely
break a rule are `test_validation`'s subject; here they matter only when there are too many.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from rapor import releases
from rapor.pipeline.build import BuildOptions, build
from rapor.pipeline.ingest import InputError
from rapor.pipeline.validate import TooManyRejects
from tests.test_validation import YEAR, valid_raw


@pytest.fixture(scope="module")
def live_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A RAPOR_HOME whose active release was built from the valid hand-made data."""
    home = tmp_path_factory.mktemp("live") / "home"
    raw_dir = valid_raw().write(home.parent / "raw", "parquet")
    build(BuildOptions(raw_dir=raw_dir), home=home)
    return home


@pytest.fixture
def home(live_home: Path, tmp_path: Path) -> Path:
    """A copy of the live home for one test."""
    return Path(shutil.copytree(live_home, tmp_path / "home"))


def raw_files(tmp_path: Path, fmt: str) -> Path:
    return valid_raw().write(tmp_path / f"raw-{fmt}", fmt)


def assert_live_release_kept(home: Path, before: releases.Release) -> None:
    """Nothing was published, the live release is still the active one and can be read."""
    assert [release.release_id for release in releases.list_releases(home)] == [before.release_id]
    assert releases.active_release(home) == before
    assert not list((home / "releases").glob(".building-*"))
    values = pl.read_parquet(before.path / "indicator_values.parquet")
    assert {"10000001", "10000002"} <= set(values["entity_code"])


def build_fails(home: Path, raw_dir: Path, error: type[Exception], *parts: str) -> str:
    """Build from `raw_dir`; it must fail with `error`, whose message holds every part."""
    before = releases.active_release(home)
    assert before is not None
    with pytest.raises(error) as raised:
        build(BuildOptions(raw_dir=raw_dir, max_reject_share=0.05), home=home)
    message = str(raised.value)
    for part in parts:
        assert part in message, message
    assert "Traceback" not in message and "Possible Solution" not in message, message
    assert_live_release_kept(home, before)
    return message


# ------------------------------------------------------------------ ways to damage a file


def rewrite(table: str, change: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def damage(raw_dir: Path) -> None:
        path = next(raw_dir.glob(f"{table}.*"))
        path.write_bytes(change(path.read_bytes()))

    return damage


def encoded(encoding: str, bom: bytes = b"") -> Callable[[bytes], bytes]:
    """The file's text, with a name that needs more than ASCII, in another encoding."""

    def change(content: bytes) -> bytes:
        text = content.decode().replace("Sekolah 10000002", "Sekolah Ñusa Énde")
        return bom + text.encode(encoding)

    return change


def lines(change: Callable[[list[str]], list[str]]) -> Callable[[bytes], bytes]:
    return lambda content: "\n".join(change(content.decode().splitlines())).encode() + b"\n"


def cut_inside_last_row(content: bytes) -> bytes:
    """Truncated after the 8th field of the last row, as a copy that stopped early leaves it."""
    head, last_row = content.rstrip(b"\n").rsplit(b"\n", 1)
    return head + b"\n" + b",".join(last_row.split(b",")[:8])


def column_replaced(table: str, old: str, new: str | None) -> Callable[[Path], None]:
    """A Parquet column renamed, or dropped (`new` None)."""

    def damage(raw_dir: Path) -> None:
        path = raw_dir / f"{table}.parquet"
        data = pq.read_table(path)
        if new is None:
            data = data.drop_columns([old])
        else:
            data = data.rename_columns([new if name == old else name for name in data.column_names])
        pq.write_table(data, path)

    return damage


def into_directory(table: str) -> Callable[[Path], None]:
    def damage(raw_dir: Path) -> None:
        path = next(raw_dir.glob(f"{table}.*"))
        path.unlink()
        path.mkdir()
        (path / "part-0.parquet").write_bytes(b"")

    return damage


def removed(table: str) -> Callable[[Path], None]:
    return lambda raw_dir: next(raw_dir.glob(f"{table}.*")).unlink()


# (test id, format, damage, error, what the message must say)
UNREADABLE = [
    ("latin-1-csv", "csv", rewrite("schools", encoded("latin-1")), InputError,
     ["schools.csv", "line 3 is not UTF-8", "save the file as UTF-8"]),
    ("windows-1252-csv", "csv", rewrite("an_students", lambda b: b.replace(b'"P"', b'"\x93P\x94"')),
     InputError, ["an_students.csv", "line 2 is not UTF-8"]),
    ("utf-16-csv-with-bom", "csv", rewrite("schools", encoded("utf-16")), InputError,
     ["schools.csv", "UTF-16", "save it as UTF-8"]),
    ("utf-16-csv-without-bom", "csv", rewrite("an_teachers", encoded("utf-16-le")), InputError,
     ["an_teachers.csv", "UTF-16"]),
    ("truncated-parquet", "parquet", rewrite("an_students", lambda b: b[: len(b) * 2 // 3]),
     InputError, ["an_students.parquet: cannot be read"]),
    ("not-parquet", "parquet", rewrite("schools", lambda b: b"PAR1 half a file"), InputError,
     ["schools.parquet: cannot be read"]),
    ("truncated-csv", "csv", rewrite("an_students", cut_inside_last_row), InputError,
     ["an_students.csv", "line 11 has 8 fields where the header has 27", "truncated"]),
    ("truncated-csv-inside-quotes", "csv",
     rewrite("schools", lambda b: b[: b.rindex(b'"Jl. Contoh') + 5]), InputError,
     ["schools.csv", "line 3 is not valid CSV", "truncated"]),
    ("empty-csv", "csv", rewrite("schools", lambda b: b""), InputError,
     ["schools.csv: the file is empty"]),
    ("empty-parquet", "parquet", rewrite("an_teachers", lambda b: b""), InputError,
     ["an_teachers.parquet: the file is empty"]),
    ("empty-optional-csv", "csv", rewrite("bps_population", lambda b: b""), InputError,
     ["bps_population.csv: the file is empty"]),
    ("header-only", "csv", rewrite("schools", lines(lambda rows: rows[:1])), TooManyRejects,
     ["no valid rows in schools (schools.csv has no rows)"]),
    ("required-file-missing", "parquet", removed("an_students"), InputError,
     ["missing input an_students.parquet (or an_students.csv)"]),
    ("optional-file-missing", "csv", removed("bps_kabkota_profile"), InputError,
     ["missing input bps_kabkota_profile.parquet (or bps_kabkota_profile.csv)"]),
    ("directory-instead-of-csv", "csv", into_directory("schools"), InputError,
     ["schools.csv: is a directory"]),
    ("directory-instead-of-parquet", "parquet", into_directory("bps_enrolment"), InputError,
     ["bps_enrolment.parquet: is a directory"]),
    ("column-missing", "parquet", column_replaced("an_teachers", "diversity", None), InputError,
     ["an_teachers.parquet: missing column(s) diversity"]),
    ("column-renamed", "parquet", column_replaced("schools", "npsn", "NPSN"), InputError,
     ["schools.parquet: missing column(s) npsn"]),
    ("csv-header-renamed", "csv",
     rewrite("bps_population", lambda b: b.replace(b'"ses_quintile"', b'"kuintil"', 1)),
     InputError, ["bps_population.csv: missing column(s) ses_quintile"]),
    ("csv-row-with-an-extra-field", "csv",
     rewrite("schools", lines(lambda rows: [*rows[:2], rows[2] + ",lebih", *rows[3:]])),
     InputError, ["schools.csv", "line 3 has 12 fields where the header has 11"]),
    ("csv-row-with-a-field-missing", "csv",
     rewrite("an_teachers", lines(lambda rows: [*rows[:4], rows[4].rsplit(",", 1)[0], *rows[5:]])),
     InputError, ["an_teachers.csv", "line 5 has 7 fields where the header has 8"]),
    ("semicolon-separated-csv", "csv",
     rewrite("schools", lambda b: b.replace(b",", b";")), InputError,
     ["schools.csv", "not separated by commas"]),
    ("csv-and-parquet", "parquet",
     lambda raw_dir: (raw_dir / "schools.csv").write_text("npsn\n"), InputError,
     ["both schools.parquet and schools.csv exist"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("fmt", "damage", "error", "parts"),
    [case[1:] for case in UNREADABLE],
    ids=[case[0] for case in UNREADABLE],
)
def test_unreadable_input_fails_naming_the_file_and_keeps_the_live_release(
    home, tmp_path, fmt, damage, error, parts
):
    """A file that cannot be read as the documented layout stops the build with a message
    naming it (and the line), nothing is published, the live release stays readable."""
    raw_dir = raw_files(tmp_path, fmt)
    damage(raw_dir)
    build_fails(home, raw_dir, error, *parts)


def add_rows(table: str, rows: Callable[[], list[dict]]) -> Callable[[Path], None]:
    """Extra rows appended to a Parquet table (typed as the table's columns)."""

    def damage(raw_dir: Path) -> None:
        path = raw_dir / f"{table}.parquet"
        data = pq.read_table(path)
        extra = pa.Table.from_pylist(rows(), schema=data.schema)
        pq.write_table(pa.concat_tables([data, extra]), path)

    return damage


def student(**values) -> dict:
    """A valid student of school 10000001 with an id of its own, unless `values` say otherwise."""
    values = {"student_id": "S900001"} | values
    return valid_raw().add_students("10000001", YEAR, "dasar", [3], **values)[0]


def school(npsn: str, **values) -> dict:
    return valid_raw().add_school(npsn, "34.71", **values)


# Rows that break rules, beyond the allowed share (5 % in these builds): the message names the
# source, the rule, and where in the file the first such row is.
TOO_MANY_BAD_ROWS = [
    ("duplicated-npsn", add_rows("schools", lambda: [school("10000001")]),
     ["schools: 2 of 3 rows rejected", "npsn 10000001 appears more than once",
      "first at data row 1 of schools.parquet"]),
    ("duplicated-student-ids", add_rows(
        "an_students", lambda: [student(student_id="S000003"), student(student_id="S000003")]),
     ["an_students", "more than once", "of an_students.parquet"]),
    ("score-out-of-range", add_rows("an_students", lambda: [student(literacy_score=140.0)]),
     ["an_students: 1 of 11 rows rejected", "literacy_score 140",
      "first at data row 11 of an_students.parquet"]),
    ("negative-population", add_rows(
        "bps_population", lambda: [{"kabkota_code": "34.71", "year": YEAR, "age": 19,
                                    "ses_quintile": 1, "population": -5}]),
     ["bps_population: 1 of 13 rows rejected", "population -5",
      "first at data row 13 of bps_population.parquet"]),
    ("npsn-of-the-wrong-type", lambda raw_dir: pq.write_table(
        pq.read_table(raw_dir / "schools.parquet").set_column(
            0, "npsn", pa.array([[1], [2]], pa.list_(pa.int64()))),
        raw_dir / "schools.parquet"),
     ["no valid rows in schools (all 2 rows rejected", "is not 8 digits",
      "first at data row 1 of schools.parquet"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("damage", "parts"),
    [case[1:] for case in TOO_MANY_BAD_ROWS],
    ids=[case[0] for case in TOO_MANY_BAD_ROWS],
)
def test_too_many_bad_rows_fail_naming_the_rule_and_row(home, tmp_path, damage, parts):
    """Duplicated keys, out-of-range values or wrong types over the reject limit stop the build
    with the rule and the first data row that broke it; the live release stays."""
    raw_dir = raw_files(tmp_path, "parquet")
    damage(raw_dir)
    build_fails(home, raw_dir, TooManyRejects, *parts)


def test_a_population_beyond_any_country_is_rejected_not_a_crash(home, tmp_path):
    """Population counts too large to add up are rejected rows, not a database error."""
    raw_dir = raw_files(tmp_path, "parquet")
    huge = {"kabkota_code": "34.71", "year": YEAR, "ses_quintile": 2, "population": 2**62}
    add_rows("bps_population", lambda: [{**huge, "age": 7}, {**huge, "age": 8}])(raw_dir)
    build_fails(home, raw_dir, TooManyRejects, "bps_population", "population")


@pytest.mark.parametrize(
    ("fmt", "change"),
    [
        ("csv", rewrite("schools", encoded("utf-8", b"\xef\xbb\xbf"))),  # a BOM Excel writes
        ("csv", rewrite("schools", lambda b: b.replace(b"\n", b"\r\n"))),  # Windows line ends
        ("csv", rewrite("schools", lines(lambda rows: [f'{row},"x"' for row in rows]))),
        (
            "parquet",
            lambda raw_dir: pq.write_table(
                pq.read_table(raw_dir / "schools.parquet").append_column(
                    "catatan", pa.array(["<b>x</b>", None])
                ),
                raw_dir / "schools.parquet",
            ),
        ),
    ],
    ids=["utf-8-with-bom", "crlf", "extra-column", "extra-parquet-column"],
)
def test_harmless_variations_of_the_layout_build(home, tmp_path, fmt, change):
    """A UTF-8 byte order mark, Windows line ends or an extra column are accepted."""
    raw_dir = raw_files(tmp_path, fmt)
    change(raw_dir)
    result = build(BuildOptions(raw_dir=raw_dir, max_reject_share=0.0), home=home)
    assert releases.active_release(home) == result.release
    schools = pl.read_parquet(result.release.path / "schools.parquet")
    assert sorted(schools["npsn"]) == ["10000001", "10000002"]
