"""The open-data tables of a release: region rows only, suppressed values withheld, and so are
the values of fewer than MIN_SCHOOLS schools (a kab/kota's one MI Negeri is that school's value)
and the values they could be worked out from (`disclosure.py`).

Every JSON answer and every bulk file of the API is one of the queries below, so they cannot
disagree. They read the release's lookup index when it has one (every release that was ever
active; region rows are sorted there, a lookup reads one block) and otherwise its Parquet files,
so any release still in the store can be served, not only the active one.

Bulk files are written once per release with DuckDB under
`$RAPOR_HOME/downloads/<release-id>/opendata-v<LAYOUT_VERSION>/`, beside the Unduh workbooks, so
`rapor refresh` deletes them with the release (`rapor.releases.prune`).
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import duckdb
import polars as pl

from rapor import settings
from rapor.catalogue import load_catalogue
from rapor.catalogue.model import Catalogue
from rapor.release_index import index_path, open_index
from rapor.releases import Release
from rapor.web.opendata.disclosure import CELL_SCHEMA, Cell, withheld_cells
from rapor.web.release_data import NATIONAL_CODE

LAYOUT_VERSION = 5  # bump when a table's rows or columns change: cached files and ETags follow
REGION_LEVELS = ("nasional", "provinsi", "kabkota")

# The nation is no row of `regions.parquet`; its values are keyed by code `ID`.
REGIONS_SQL = f"""
select '{NATIONAL_CODE}' as region_code, 'Indonesia' as region_name,
    'nasional' as region_level, null::varchar as parent_code
union all
select region_code, region_name, region_level, parent_code from regions
"""

RANK_COLUMNS = (
    "rank_in_region",
    "ranked_in_region",
    "fifth_in_region",
    "rank_in_nation",
    "ranked_in_nation",
    "fifth_in_nation",
)
# A withheld value's rank would tell where that value stands: withheld with it.
RANKS_SQL = ",\n    ".join(
    f"case when suppressed or withheld then null else {column} end as {column}"
    for column in RANK_COLUMNS
)

# Region rows only (never a school's). A withheld row (suppressed in the release, or withheld
# here: the cells of the file `withheld_cells`, from disclosure.py) keeps its keys, its school
# count and the reason, never its value, label, interval or the respondent counts behind it.
# The dashboard shows the values withheld here to the accounts whose scope holds their schools;
# the public API never does. Participation rates (BPS) count no schools (null): they are about
# a population. The ranks ("Peringkat") come from the release's `rank_bands`, joined into the
# index's `indicator_values`.
INDICATOR_VALUES_SQL = f"""
with published as (
    select
        v.*,
        not v.suppressed and v.n_schools is not null and w.reason is not null as withheld,
        w.reason as withheld_for
    from indicator_values as v
    left join '{{withheld_cells}}' as w
        using (entity_type, entity_code, year, jenjang, bentuk, status)
    where v.entity_type in ('nasional', 'provinsi', 'kabkota')
)

select
    entity_type, entity_code, year, jenjang, bentuk, status, indicator,
    case when suppressed or withheld then null else value end as value,
    case when suppressed or withheld then null else label end as label,
    case when suppressed or withheld then null else label_key end as label_key,
    n_schools,
    case when suppressed or withheld then null else n_students end as n_students,
    case when suppressed or withheld then null else n_teachers end as n_teachers,
    suppressed or withheld as suppressed,
    case when withheld then withheld_for else suppression_reason end as suppression_reason,
    case when withheld then null else std_error end as std_error,
    case when withheld then null else ci_lower end as ci_lower,
    case when withheld then null else ci_upper end as ci_upper,
    {RANKS_SQL}
from published
"""


@dataclass(frozen=True)
class Table:
    name: str
    sql: str
    order: str  # the bulk file's row order


TABLES = {
    table.name: table
    for table in (
        Table("regions", REGIONS_SQL, "region_code"),
        Table(
            "indicator_values",
            INDICATOR_VALUES_SQL,
            "entity_type, entity_code, jenjang, bentuk, status, indicator, year",
        ),
    )
}
BULK_FORMATS = {"csv": "(format csv, header true)", "parquet": "(format parquet)"}


class ReleaseTables:
    """The open-data tables of one release, read with DuckDB. Rows are plain dicts."""

    def __init__(self, release: Release) -> None:
        self.release_id = release.release_id
        self._local = threading.local()
        index = index_path(release)
        if index.is_file():
            self._connection = open_index(index)
        else:
            # Never activated: no index. Its Parquet files, under the index's table names, the
            # ranks joined in as the index joins them (release_index.sql).
            self._connection = duckdb.connect(config={"threads": 1, "memory_limit": "1GB"})
            parquet = {
                name: _quoted(release.path / f"{name}.parquet")
                for name in ("indicator_values", "rank_bands", "regions")
            }
            self._connection.execute(f"create view regions as select * from '{parquet['regions']}'")
            self._connection.execute(
                "create view indicator_values as"
                f" select v.*, {', '.join(f'r.{column}' for column in RANK_COLUMNS)}"
                f" from '{parquet['indicator_values']}' as v"
                f" left join '{parquet['rank_bands']}' as r"
                " using (entity_type, entity_code, year, jenjang, bentuk, status, indicator)"
            )
        # A bulk file of the national release takes seconds: no progress bar in the server's log.
        self._connection.execute("set enable_progress_bar = false")

    def regions(self, level: str | None = None) -> list[dict]:
        where, params = ("where region_level = ?", [level]) if level else ("", [])
        return self._rows(f"select * from ({REGIONS_SQL}) {where} order by region_code", params)

    def region(self, code: str) -> dict | None:
        rows = self._rows(f"select * from ({REGIONS_SQL}) where region_code = ?", [code])
        return rows[0] if rows else None

    def values(self, region: dict, filters: dict[str, object]) -> list[dict]:
        """A region's indicator rows, narrowed by `filters` (column → value)."""
        where = ["entity_type = ?", "entity_code = ?", *(f"{column} = ?" for column in filters)]
        params = [region["region_level"], region["region_code"], *filters.values()]
        return self._rows(
            f"select * from ({self._sql(INDICATOR_VALUES_SQL)}) where {' and '.join(where)}"
            " order by jenjang, bentuk, status, indicator, year",
            params,
        )

    @cached_property
    def _withheld_path(self) -> Path:
        """The file of the cells withheld for disclosure, written on first need (seconds for
        the national release: not for a request that only lists regions)."""
        return self._written("withheld_cells.parquet", self._write_withheld_cells)

    @cached_property
    def withheld(self) -> frozenset[Cell]:
        """The cells withheld from the public (disclosure.py): the dashboard withholds them
        too of the regions outside an account's scope."""
        return frozenset(pl.read_parquet(self._withheld_path).drop("reason").iter_rows())

    def bulk_file(self, table: Table, file_format: str) -> Path:
        """The table as a CSV or Parquet file, written on the first request."""
        # Its query first: it may write the withheld cells, under the same lock as this file.
        query = f"select * from ({self._sql(table.sql)}) order by {table.order}"
        return self._written(
            f"{table.name}.{file_format}",
            lambda path: self._cursor().execute(
                f"copy ({query}) to '{_quoted(path)}' {BULK_FORMATS[file_format]}"
            ),
        )

    def _written(self, name: str, write: Callable[[Path], object]) -> Path:
        """The release's file `name` in the open-data folder, written by `write` the first time
        (one writer at a time; written beside its final name and renamed, so nobody reads half
        a file)."""
        folder = settings.downloads_dir(self.release_id) / f"opendata-v{LAYOUT_VERSION}"
        path = folder / name
        if path.is_file():
            return path
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / ".lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not path.is_file():
                partial = folder / f".building-{name}"
                write(partial)
                os.replace(partial, path)
        return path

    def _write_withheld_cells(self, path: Path) -> None:
        """The cells withheld for disclosure (a few seconds for the national release)."""
        withheld = withheld_cells(self._connection)
        pl.DataFrame(
            [(*cell, reason) for cell, reason in withheld.items()],
            schema={**CELL_SCHEMA, "reason": pl.String},
            orient="row",
        ).write_parquet(path)

    def _sql(self, table_sql: str) -> str:
        """A table's query on this release's files."""
        return table_sql.format(withheld_cells=_quoted(self._withheld_path))

    def _rows(self, sql: str, params: list) -> list[dict]:
        cursor = self._cursor()
        cursor.execute(sql, params)
        columns = [column[0] for column in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        # A DuckDB connection is not shared between threads; each thread gets its own cursor.
        cursor = getattr(self._local, "cursor", None)
        if cursor is None:
            cursor = self._connection.cursor()
            self._local.cursor = cursor
        return cursor


_open: dict[str, ReleaseTables] = {}
_open_lock = threading.Lock()
OPEN_RELEASES = 4  # connections kept: the active release and a few older ones asked for


def tables_of(release: Release) -> ReleaseTables:
    """The tables of a release, opened once per process (the few most recently opened)."""
    with _open_lock:
        tables = _open.get(release.release_id)
        if tables is None:
            if len(_open) >= OPEN_RELEASES:
                del _open[next(iter(_open))]
            tables = _open[release.release_id] = ReleaseTables(release)
        return tables


@cache
def catalogue_of(release_path: Path) -> Catalogue:
    """The catalogue a release was computed with: the copy it holds, not the shipped one."""
    return load_catalogue(release_path / "catalogue")


def _quoted(path: Path) -> str:
    """A path inside a SQL string literal."""
    return str(path).replace("'", "''")
