"""Run the SQL models of one layer (a folder under `sql/`) in the order its `_models.yml` lists,
then the checks that YAML declares, in the style of dbt: one model per file, checks beside it."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from rapor.pipeline.engine import Engine

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


def run_layer(engine: Engine, layer: str) -> list[Model]:
    """Create every model of the layer as a table or view and run its checks; the checks of a
    published model wait for its file (`run_checks` on what was written)."""
    models = load_layer(layer)
    for model in models:
        started = time.perf_counter()
        kind = "view" if model.materialized == "view" else "table"
        engine.create(model.name, kind, model.sql)
        built = time.perf_counter()
        if not model.publish:
            run_checks(engine, model, model.name)
        log.info(
            "%s/%s: %.1f s, checks %.1f s",
            layer,
            model.name,
            built - started,
            time.perf_counter() - built,
        )
    return models


def run_checks(engine: Engine, model: Model, relation: str) -> None:
    """Run the model's checks against `relation`: its table, or `read_parquet(...)` of its file.

    The row checks (all but `unique`) are counted in one scan: a view (or a file) is read once for
    all of them instead of once per check. Failures are reported in the declared order."""
    checks = [_parse(check) for check in model.checks]
    row_counts = iter(_count_rows(engine, relation, [c for c in checks if c[0] != "unique"]))
    for kind, spec in checks:
        count = _unique_failures(engine, relation, spec) if kind == "unique" else next(row_counts)
        if count:
            raise _failed(model.name, kind, spec, count)


def _run_check(engine: Engine, table: str, check: dict[str, Any], label: str | None = None) -> None:
    kind, spec = _parse(check)
    if kind == "unique":
        count = _unique_failures(engine, table, spec)
    else:
        (count,) = _count_rows(engine, table, [(kind, spec)])
    if count:
        raise _failed(label or table, kind, spec, count)


def _parse(check: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    ((kind, spec),) = check.items()
    if isinstance(spec, list):
        spec = {"columns": spec}
    elif isinstance(spec, str):
        spec = {"condition": spec}
    if kind not in ("unique", "not_null", "accepted_values", "expression"):
        raise ValueError(f"unknown check {kind!r}")
    return kind, spec


def _count_rows(engine: Engine, table: str, checks: list[tuple[str, dict[str, Any]]]) -> list[int]:
    """How many rows of `table` break each row check, all counted in one scan."""
    if not checks:
        return []
    counts = ", ".join(
        f"count(*) filter (where ({spec.get('where', 'true')}) and ({_breaks(kind, spec)}))"
        for kind, spec in checks
    )
    return list(engine.sql(f"select {counts} from {table}")[0])


def _breaks(kind: str, spec: dict[str, Any]) -> str:
    """The condition that a row breaks a row check."""
    if kind == "not_null":
        return " or ".join(f"{column} is null" for column in spec["columns"])
    if kind == "accepted_values":
        values = ", ".join(f"'{value}'" for value in spec["values"])
        return f"{spec['column']} not in ({values})"
    return f"not coalesce({spec['condition']}, false)"


def _unique_failures(engine: Engine, table: str, spec: dict[str, Any]) -> int:
    columns = ", ".join(spec["columns"])
    where = spec.get("where", "true")
    # Counting distinct row hashes is far cheaper than grouping wide keys. A hash collision can
    # only report a duplicate that is not there, so the exact query confirms any finding.
    fast = f"select count(*) - count(distinct hash({columns})) from {table} where {where}"
    if not _count(engine, fast):
        return 0
    return _count(
        engine,
        f"select count(*) from (select {columns} from {table} where {where}"
        f" group by {columns} having count(*) > 1)",
    )


def _failed(label: str, kind: str, spec: dict[str, Any], count: int) -> ModelCheckFailed:
    return ModelCheckFailed(f"{label}: check {kind} {spec} fails for {count} rows")


def _count(engine: Engine, query: str) -> int:
    ((count,),) = engine.sql(query)
    return count
