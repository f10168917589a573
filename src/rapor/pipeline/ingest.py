"""Ingest: find each raw input file, fingerprint it and expose it to DuckDB as `raw_<source>`."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import duckdb
import yaml

from rapor.pipeline.models import SQL_DIR

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "reference"


class InputError(Exception):
    """A raw input is missing, ambiguous or lacks a documented column."""


@dataclass(frozen=True)
class RawInput:
    source: str
    path: Path
    sha256: str
    rows: int


def sources() -> list[dict]:
    """The raw sources the pipeline expects (`sql/staging/_sources.yml`)."""
    spec = yaml.safe_load((SQL_DIR / "staging" / "_sources.yml").read_text(encoding="utf-8"))
    return spec["sources"]


def register_inputs(con: duckdb.DuckDBPyConnection, raw_dir: Path) -> list[RawInput]:
    """Register every raw source and the shipped region reference as views; return their facts."""
    inputs = [_register(con, "regions", REFERENCE_DIR / "regions.csv", ["code", "name", "level"])]
    for source in sources():
        inputs.append(
            _register(con, source["name"], _find(raw_dir, source["name"]), source["columns"])
        )
    return inputs


def input_checksums(raw_dir: Path) -> dict[str, str]:
    """The sha256 of every input a build would read, by source, as its manifest records them."""
    paths = {"regions": REFERENCE_DIR / "regions.csv"}
    paths |= {source["name"]: _find(raw_dir, source["name"]) for source in sources()}
    return {source: _sha256(path) for source, path in paths.items()}


def _find(raw_dir: Path, source: str) -> Path:
    candidates = [raw_dir / f"{source}.{ext}" for ext in ("parquet", "csv")]
    found = [path for path in candidates if path.is_file()]
    if not found:
        raise InputError(f"{raw_dir}: missing input {source}.parquet (or {source}.csv)")
    if len(found) > 1:
        raise InputError(f"{raw_dir}: both {source}.parquet and {source}.csv exist; keep one")
    return found[0]


def _register(
    con: duckdb.DuckDBPyConnection, source: str, path: Path, columns: list[str]
) -> RawInput:
    # Parquet keeps its row numbers; CSV is read as text so the staging models decide what is bad.
    try:
        if path.suffix == ".parquet":
            relation = con.read_parquet(str(path), file_row_number=True)
            relation = relation.select(
                "* exclude (file_row_number), file_row_number + 1 as _source_row"
            )
        else:
            relation = con.read_csv(
                str(path), all_varchar=True, header=True, sep=",", quotechar='"', escapechar='"'
            )
            relation = relation.select("*, row_number() over () as _source_row")
        missing = [column for column in columns if column not in relation.columns]
        if missing:
            raise InputError(f"{path}: missing column(s) {', '.join(missing)}")
        relation.create_view(f"raw_{source}", replace=True)
        (rows,) = con.execute(f"select count(*) from raw_{source}").fetchall()[0]
    except duckdb.Error as error:
        raise InputError(f"{path}: cannot be read: {error}") from error
    return RawInput(source=source, path=path, sha256=_sha256(path), rows=rows)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
