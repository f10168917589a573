"""A read-optimized copy of a release for the web: one DuckDB file per release, its tables sorted
by the keys pages look up, so a lookup reads one small block instead of scanning the release.

The release's Parquet files keep no row order (sorting them would double the build); the index
is made once per release, before the release is activated, under `RAPOR_HOME/index/`. It holds
only what the release holds, so it can be deleted and made again at any time.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from rapor import settings
from rapor.releases import FORMAT_VERSION

if TYPE_CHECKING:
    from rapor.releases import Release

INDEX_SQL = Path(__file__).with_name("release_index.sql")
# An index is named after the SQL that made it: code that needs other tables makes its own index
# of the same release instead of reading one without them.
INDEX_VERSION = hashlib.sha256(INDEX_SQL.read_bytes()).hexdigest()[:12]


def index_path(release: Release, home: Path | None = None) -> Path:
    return index_dir(home) / f"{release.release_id}.{INDEX_VERSION}.duckdb"


def index_dir(home: Path | None = None) -> Path:
    return (home or settings.rapor_home()) / "index"


def delete_indexes(release: Release, home: Path | None = None) -> None:
    """Every index of `release`, of this version of the SQL and of earlier ones. A process still
    reading one keeps its open file until it lets go."""
    for path in index_dir(home).glob(f"{release.release_id}.*duckdb"):
        path.unlink(missing_ok=True)


def delete_indexes_except(kept: set[str], home: Path | None = None) -> None:
    """Every index of a release not in `kept` (release ids), whatever its version."""
    for path in index_dir(home).glob("*.duckdb"):
        # Named `<release id>.<index version>.duckdb`; release ids hold a dot themselves.
        if not any(path.name.startswith(f"{release_id}.") for release_id in kept):
            path.unlink(missing_ok=True)


def open_index(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to an index. DuckDB refuses two connections to one file with
    different settings in one process, so every reader opens it here."""
    return duckdb.connect(str(path), read_only=True, config={"threads": 1, "memory_limit": "1GB"})


def ensure_index(release: Release, home: Path | None = None) -> Path:
    """The index file of `release`, made first if it does not exist yet (one maker at a time)."""
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
    # Written beside the final name and renamed: readers never open half an index.
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    connection = duckdb.connect(str(partial), config={"memory_limit": "3GB", "threads": 2})
    try:
        quoted = str(release.path).replace("'", "''")
        connection.execute(f"set file_search_path = '{quoted}'")
        connection.execute("set preserve_insertion_order = true")
        connection.execute(INDEX_SQL.read_text(encoding="utf-8"))
        connection.execute("checkpoint")
    finally:
        connection.close()
    os.replace(partial, path)
