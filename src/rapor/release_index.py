"""A read-optimized copy of a release for the web, in two files per release: a DuckDB file, its
tables sorted by the keys pages look up, so a lookup reads one small block instead of scanning the
release (a province's or the nation's school list, comparison groups); and beside it a SQLite
file of the point lookups a page makes most (a region's values, a school and its own rows, a
kab/kota's school list), which a B-tree answers in well under a millisecond
(`release_lookups.sql`).

The release's Parquet files keep no row order (sorting them would double the build); the index
is made once per release, before the release is activated, under `RAPOR_HOME/index/`. It holds
only what the release holds, so it can be deleted and made again at any time.
"""

from __future__ import annotations

import datetime
import fcntl
import hashlib
import os
import sqlite3
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import orjson

from rapor import settings
from rapor.releases import FORMAT_VERSION

if TYPE_CHECKING:
    from rapor.releases import Release

INDEX_SQL = Path(__file__).with_name("release_index.sql")
LOOKUPS_SQL = Path(__file__).with_name("release_lookups.sql")
# An index is named after the SQL that made it: code that needs other tables makes its own index
# of the same release instead of reading one without them.
INDEX_VERSION = hashlib.sha256(INDEX_SQL.read_bytes() + LOOKUPS_SQL.read_bytes()).hexdigest()[:12]
INDEX_SUFFIXES = ("duckdb", "sqlite")
COPY_BATCH_ROWS = 50_000
# Row groups of 16,384 rows instead of DuckDB's 122,880: a kab/kota's school list (a few hundred
# rows of one indicator and year) reads less around them: 3.7 -> 2.7 ms (benchmarks/RESULTS.md).
INDEX_ROW_GROUP_ROWS = 16_384
# Tables whose JSON is built in DuckDB's memory, copied a range of their first key at a time: the
# key's values, sorted, and how many of them a range holds.
COPIED_IN_RANGES = {
    "school_rows": ("select npsn from schools order by npsn", 10_000),
    "kabkota_school_lists": (
        "select region_code from regions where region_level = 'kabkota' order by region_code",
        40,
    ),
}

# SQLite has no boolean or date type: the lookup file declares them, and reads convert them back
# (Django's SQLite backend registers the same converters for its own columns).
sqlite3.register_adapter(datetime.date, datetime.date.isoformat)
sqlite3.register_converter("bool", b"1".__eq__)
sqlite3.register_converter("date", lambda text: datetime.date.fromisoformat(text.decode()))


# Nor a compact one for many rows: `zjson` is zlib-compressed JSON, the column names first, then
# each row's values (level 1: a school's rows to 22 % in 0.19 ms; the default level, 20 % in 0.44).
# Read by orjson: a school's rows parse in a third of the standard library's time (42 against
# 127 µs), and pages read them on every school page they build (benchmarks/RESULTS.md).
def _rows_of_zjson(blob: bytes) -> list[dict]:
    names, *rows = orjson.loads(zlib.decompress(blob))
    return [dict(zip(names, row, strict=True)) for row in rows]


sqlite3.register_converter("zjson", _rows_of_zjson)


def index_path(release: Release, home: Path | None = None) -> Path:
    """The DuckDB file of the index; its SQLite file is `lookups_path(index_path(...))`."""
    return index_dir(home) / f"{release.release_id}.{INDEX_VERSION}.duckdb"


def lookups_path(index: Path) -> Path:
    return index.with_suffix(".sqlite")


def index_dir(home: Path | None = None) -> Path:
    return (home or settings.rapor_home()) / "index"


def delete_indexes(release: Release, home: Path | None = None) -> None:
    """Every index of `release`, of this version of the SQL and of earlier ones. A process still
    reading one keeps its open file until it lets go."""
    for suffix in INDEX_SUFFIXES:
        for path in index_dir(home).glob(f"{release.release_id}.*{suffix}"):
            path.unlink(missing_ok=True)


def delete_indexes_except(kept: set[str], home: Path | None = None) -> None:
    """Every index of a release not in `kept` (release ids), whatever its version."""
    for suffix in INDEX_SUFFIXES:
        for path in index_dir(home).glob(f"*.{suffix}"):
            # Named `<release id>.<index version>.duckdb`; release ids hold a dot themselves.
            if not any(path.name.startswith(f"{release_id}.") for release_id in kept):
                path.unlink(missing_ok=True)


def open_index(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to an index. DuckDB refuses two connections to one file with
    different settings in one process, so every reader opens it here."""
    return duckdb.connect(str(path), read_only=True, config={"threads": 1, "memory_limit": "1GB"})


def open_lookups(index: Path) -> sqlite3.Connection:
    """A read-only connection to an index's SQLite file, for the calling thread."""
    uri = f"{lookups_path(index).as_uri()}?mode=ro&immutable=1"
    return sqlite3.connect(uri, uri=True, detect_types=sqlite3.PARSE_DECLTYPES)


def ensure_index(release: Release, home: Path | None = None) -> Path:
    """The index of `release` (its DuckDB file, the SQLite file beside it), made first if it does
    not exist yet (one maker at a time)."""
    path = index_path(release, home)
    if path.is_file():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    with (path.parent / "index.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.is_file():
            delete_indexes(release, home)  # those of earlier code: the new one replaces them
            _make_index(release, path)
    return path


class ReleaseTooOld(Exception):
    """The release has another layout than this code reads: build a new one with this code."""


def _make_index(release: Release, path: Path) -> None:
    found = release.manifest.get("format_version")
    if found != FORMAT_VERSION:
        raise ReleaseTooOld(
            f"release {release.release_id} has format {found}, this code reads format"
            f" {FORMAT_VERSION}: build a new release with `rapor build`"
        )
    # Written beside the final names and renamed, the DuckDB file last: readers never open half an
    # index, and the DuckDB file stands for a complete one.
    partial = path.with_suffix(".partial")
    partial_lookups = path.with_suffix(".sqlite-partial")
    for stale in (partial, partial_lookups):
        stale.unlink(missing_ok=True)
    connection = duckdb.connect(
        config={"memory_limit": "3GB", "threads": 2, "temp_directory": f"{partial}.tmp"}
    )
    try:
        connection.execute(
            f"attach {_quoted(partial)} as idx (row_group_size {INDEX_ROW_GROUP_ROWS})"
        )
        connection.execute("use idx")
        connection.execute(f"set file_search_path = {_quoted(release.path)}")
        connection.execute("set preserve_insertion_order = true")
        connection.execute(INDEX_SQL.read_text(encoding="utf-8"))
        connection.execute("checkpoint")
        _copy_lookups(connection, partial_lookups)
    finally:
        connection.close()
    os.replace(partial_lookups, lookups_path(path))
    os.replace(partial, path)


def _quoted(path: Path) -> str:
    """`path` as an SQL string literal."""
    return "'" + str(path).replace("'", "''") + "'"


def _copy_lookups(index: duckdb.DuckDBPyConnection, target: Path) -> None:
    """Make the SQLite file: each of its tables filled from the DuckDB table or view of the same
    name, in key order (a WITHOUT ROWID table then grows at its end)."""
    lookups = sqlite3.connect(target)
    try:
        lookups.executescript("pragma journal_mode = off; pragma synchronous = off;")
        lookups.executescript(LOOKUPS_SQL.read_text(encoding="utf-8"))
        tables = [
            name
            for (name,) in lookups.execute("select name from sqlite_schema where type = 'table'")
        ]
        for table in tables:
            # (position, name, type, not null, default, place in the primary key)
            described = lookups.execute(f"pragma table_info({table})").fetchall()
            if table not in COPIED_IN_RANGES:
                _copy_table(index, lookups, table, described)
                continue
            key = _key_columns(described)[0]
            # Literal bounds: DuckDB takes a parameter's filter into none of the view's scans,
            # and would build every row's JSON at once (out of memory).
            for low, high in _ranges(index, *COPIED_IN_RANGES[table]):
                where = f"{key} >= '{low}' and {key} < '{high}'"
                _copy_table(index, lookups, table, described, where)
        lookups.commit()
    finally:
        lookups.close()


def _copy_table(
    index: duckdb.DuckDBPyConnection,
    lookups: sqlite3.Connection,
    table: str,
    described: list[tuple],
    where: str = "true",
) -> None:
    """Copy the rows of `table` (its columns `described` by `pragma table_info`) that match
    `where` from the DuckDB index, in key order."""
    columns = [column[1] for column in described]
    key = _key_columns(described)
    packed = [i for i, column in enumerate(described) if column[2] == "zjson"]
    rows = index.execute(
        f"select {', '.join(columns)} from {table} where {where} order by {', '.join(key)}"
    )
    insert = f"insert into {table} values ({', '.join('?' * len(columns))})"
    while batch := rows.fetchmany(COPY_BATCH_ROWS):
        if packed:
            batch = [_packed(row, packed) for row in batch]
        lookups.executemany(insert, batch)


def _packed(row: tuple, positions: list[int]) -> tuple:
    """`row` with its JSON texts at `positions` compressed (`zjson`; a null stays null)."""
    values = list(row)
    for i in positions:
        if values[i] is not None:
            values[i] = zlib.compress(values[i].encode(), 1)
    return tuple(values)


def _key_columns(described: list[tuple]) -> list[str]:
    """The primary key's columns, in order, of a table `described` by `pragma table_info`."""
    return [column[1] for column in sorted(described, key=lambda c: c[5]) if column[5]]


def _ranges(index: duckdb.DuckDBPyConnection, values: str, per_range: int) -> list[tuple[str, str]]:
    """Ranges of the sorted `values` (a query) of at most `per_range` values each, covering them
    all. The values are NPSNs or region codes, digits and dots (the registry's validation), so
    they can stand in SQL as literals."""
    every = [value for (value,) in index.execute(values).fetchall()]
    if not all(value.replace(".", "").isdigit() for value in every):
        raise ValueError("a key that is not digits and dots")
    # The first range is open below, the last above ("~" sorts after every digit).
    starts = ["", *every[per_range::per_range]]
    return list(zip(starts, [*starts[1:], "~"], strict=True))
