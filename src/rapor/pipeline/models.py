"""Run the SQL models of one layer (a folder under `sql/`) in the order its `_models.yml` lists,
then the checks that YAML declares, in the style of dbt: one model per file, checks beside it."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import yaml

SQL_DIR = Path(__file__).parent / "sql"
log = logging.getLogger(__name__)


class ModelCheckFailed(Exception):
    """A model's output broke one of the checks declared in its layer's `_models.yml`."""


@dataclass(frozen=True)
class Model:
    name: str
    sql: str
    grain: str
    materialized: str = "table"
    publish: str | None = None
    checks: tuple[dict[str, Any], ...] = field(default_factory=tuple)


def load_layer(layer: str) -> list[Model]:
    """The models of `sql/<layer>/`, in run order."""
    folder = SQL_DIR / layer
    spec = yaml.safe_load((folder / "_models.yml").read_text(encoding="utf-8"))
    return [
        Model(
            name=entry["name"],
            sql=(folder / f"{entry['name']}.sql").read_text(encoding="utf-8"),
            grain=entry["grain"],
            materialized=entry.get("materialized", "table"),
            publish=entry.get("publish"),
            checks=tuple(entry.get("checks", ())),
        )
        for entry in spec["models"]
    ]


def run_layer(con: duckdb.DuckDBPyConnection, layer: str) -> list[Model]:
    """Create every model of the layer as a table or view and run its checks; the checks of a
    published model wait for its file (`run_checks` on what was written)."""
    models = load_layer(layer)
    for model in models:
        started = time.perf_counter()
        kind = "view" if model.materialized == "view" else "table"
        con.execute(f"create or replace {kind} {model.name} as\n{model.sql}")
        built = time.perf_counter()
        if not model.publish:
            run_checks(con, model, model.name)
        log.info(
            "%s/%s: %.1f s, checks %.1f s",
            layer,
            model.name,
            built - started,
            time.perf_counter() - built,
        )
    return models


def run_checks(con: duckdb.DuckDBPyConnection, model: Model, relation: str) -> None:
    """Run the model's checks against `relation`: its table, or `read_parquet(...)` of its file."""
    for check in model.checks:
        _run_check(con, relation, check, label=model.name)


def _run_check(
    con: duckdb.DuckDBPyConnection, table: str, check: dict[str, Any], label: str | None = None
) -> None:
    ((kind, spec),) = check.items()
    if isinstance(spec, list):
        spec = {"columns": spec}
    elif isinstance(spec, str):
        spec = {"condition": spec}
    where = spec.get("where", "true")
    if kind == "unique":
        columns = ", ".join(spec["columns"])
        # Counting distinct row hashes is far cheaper than grouping wide keys. A hash collision can
        # only report a duplicate that is not there, so the exact query confirms any finding.
        fast = f"select count(*) - count(distinct hash({columns})) from {table} where {where}"
        if not _count(con, fast):
            return
        query = (
            f"select count(*) from (select {columns} from {table} where {where}"
            f" group by {columns} having count(*) > 1)"
        )
    elif kind == "not_null":
        nulls = " or ".join(f"{column} is null" for column in spec["columns"])
        query = f"select count(*) from {table} where ({where}) and ({nulls})"
    elif kind == "accepted_values":
        values = ", ".join(f"'{value}'" for value in spec["values"])
        query = (
            f"select count(*) from {table} where ({where}) and {spec['column']} not in ({values})"
        )
    elif kind == "expression":
        query = (
            f"select count(*) from {table} where ({where})"
            f" and not coalesce({spec['condition']}, false)"
        )
    else:
        raise ValueError(f"{table}: unknown check {kind!r}")
    failures = _count(con, query)
    if failures:
        raise ModelCheckFailed(f"{label or table}: check {kind} {spec} fails for {failures} rows")


def _count(con: duckdb.DuckDBPyConnection, query: str) -> int:
    ((count,),) = con.execute(query).fetchall()
    return count
