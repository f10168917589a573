"""Publish: write the mart tables of a build as Parquet files plus a manifest, in a private folder
that becomes the release in one rename (see docs/release-format.md)."""

from __future__ import annotations

import json
import logging
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path

from rapor.catalogue import Catalogue
from rapor.pipeline.engine import DuckDBEngine, Engine, sql_string
from rapor.pipeline.ingest import RawInput
from rapor.pipeline.models import Model, run_checks
from rapor.pipeline.validate import SourceQuality
from rapor.releases import FORMAT_VERSION

CATALOGUE_DIR = Path(__file__).resolve().parent.parent / "catalogue"
log = logging.getLogger(__name__)


def write_tables(engine: Engine, marts: list[Model], folder: Path) -> dict[str, int]:
    """Write each published mart to `<folder>/<name>.parquet`, check the file; return row counts.
    Whatever the engine, the file is written and checked by DuckDB (`engine.files`)."""
    counts = {}
    for model in marts:
        if not model.publish:
            continue
        started = time.perf_counter()
        target = folder / f"{model.publish}.parquet"
        engine.write_parquet(model.name, target)
        written = _parquet(target)
        run_checks(engine.files, model, written)
        ((counts[model.publish],),) = engine.files.sql(f"select count(*) from {written}")
        log.info("publish/%s: %.1f s", model.publish, time.perf_counter() - started)
    return counts


def write_manifest(
    folder: Path,
    *,
    release_id: str,
    files: DuckDBEngine,
    inputs: list[RawInput],
    quality: list[SourceQuality],
    row_counts: dict[str, int],
    catalogue: Catalogue,
    params: dict,
) -> dict:
    """Describe the release: where it came from, what it holds, and what was rejected."""
    rejected = {item.source: item.rejected for item in quality}
    # Read from the written file: the mart is a view, and re-running it would redo the build.
    values = _parquet(folder / "indicator_values.parquet")
    years = [year for (year,) in files.sql(f"select distinct year from {values} order by 1")]
    manifest = {
        "release_id": release_id,
        "format_version": FORMAT_VERSION,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "years": years,
        "inputs": {
            raw.source: {
                "file": raw.path.name,
                "sha256": raw.sha256,
                "rows": raw.rows,
                "rejected": rejected.get(raw.source, 0),
            }
            for raw in inputs
        },
        "row_counts": row_counts,
        "reject_counts": rejected,
        "catalogue": {"version": catalogue.version, "checksum": catalogue.checksum},
        "params": params,
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def copy_catalogue(folder: Path) -> None:
    """Ship the catalogue the values were computed with, so a release explains itself."""
    shutil.copytree(
        CATALOGUE_DIR, folder / "catalogue", ignore=shutil.ignore_patterns("*.py", "__pycache__")
    )


def _parquet(path: Path) -> str:
    return f"read_parquet({sql_string(path)})"
