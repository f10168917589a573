"""The seam between the pipeline and the SQL engine that runs it.

Every step talks to an `Engine`: it takes SQL in the DuckDB dialect (the model files, the checks),
creates named tables and views, exposes raw files and Arrow tables by name and writes a named
relation as a release file. `DuckDBEngine` runs it all in-process; `rapor.pipeline.spark` runs
the same SQL on Apache Spark. Both write release files with the same DuckDB writer (`files`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol, Self

import duckdb
import pyarrow as pa

# One layout for every release file, whichever engine computed it.
PARQUET_OPTIONS = "format parquet, compression zstd, row_group_size 122880"


class Engine(Protocol):
    # The errors reading a raw file can raise: ingest turns them into an InputError.
    read_errors: tuple[type[BaseException], ...]
    # The DuckDB connection that writes release files and reads them back (checks, manifest).
    files: DuckDBEngine

    def sql(self, query: str, params: Sequence[Any] = ()) -> list[tuple]:
        """Run a query in the DuckDB dialect; return all its rows."""

    def create(self, name: str, kind: str, query: str) -> None:
        """Create (or replace) `name` as a `table` or `view` of a DuckDB-dialect query."""

    def load(self, name: str, table: pa.Table) -> None:
        """Create the table `name` from Arrow data."""

    def read_raw(self, name: str, path: Path) -> list[str]:
        """Expose a raw CSV (all text) or Parquet file as the view `name`, with `_source_row`
        (1-based row number in the file) last; return its columns."""

    def write_parquet(self, name: str, target: Path) -> None:
        """Write the relation `name` as a release file."""

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


class DuckDBEngine:
    """The pipeline on one in-process DuckDB connection."""

    read_errors = (duckdb.Error,)

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.files = self

    def sql(self, query: str, params: Sequence[Any] = ()) -> list[tuple]:
        return self.con.execute(query, params).fetchall()

    def create(self, name: str, kind: str, query: str) -> None:
        self.con.execute(f"create or replace {kind} {name} as\n{query}")

    def load(self, name: str, table: pa.Table) -> None:
        self.con.from_arrow(table).create(name)

    def read_raw(self, name: str, path: Path) -> list[str]:
        # Parquet keeps its row numbers; CSV is read as text so the staging models decide what is
        # bad.
        if path.suffix == ".parquet":
            relation = self.con.read_parquet(str(path), file_row_number=True)
            relation = relation.select(
                "* exclude (file_row_number), file_row_number + 1 as _source_row"
            )
        else:
            relation = self.con.read_csv(
                str(path), all_varchar=True, header=True, sep=",", quotechar='"', escapechar='"'
            )
            relation = relation.select("*, row_number() over () as _source_row")
        relation.create_view(name, replace=True)
        return relation.columns

    def write_parquet(self, name: str, target: Path) -> None:
        self.con.execute(f"copy {name} to {sql_string(target)} ({PARQUET_OPTIONS})")

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.con.close()


def sql_string(path: Path) -> str:
    """A path as an SQL string literal (COPY takes no bound parameters for its target)."""
    return "'" + str(path).replace("'", "''") + "'"
