"""`rapor build`: ingest → validate → compute → publish, then (by default) activate.

A build works in a private folder and publishes it with one rename, so a build that fails or is
killed never shows up as a release and never changes the active one."""

from __future__ import annotations

import fcntl
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from rapor import releases, settings
from rapor.catalogue import Catalogue, load_catalogue
from rapor.pipeline import publish
from rapor.pipeline.engine import DuckDBEngine, Engine
from rapor.pipeline.ingest import register_inputs
from rapor.pipeline.models import run_layer
from rapor.pipeline.validate import SourceQuality, validate
from rapor.uncertainty import INTERVAL_LEVEL, INTERVAL_Z

# Fewer ranked members than this get a rank but no rank band (mart_rank_bands.sql).
MIN_RANKED = 5


class BuildLocked(Exception):
    """Another build holds the lock on this RAPOR_HOME."""


@dataclass(frozen=True)
class BuildOptions:
    raw_dir: Path
    max_reject_share: float = 0.01
    min_respondents: int = 5
    activate: bool = True
    memory_limit: str = "3GB"
    threads: int = 2
    engine: str = "duckdb"  # or "spark" (docs/spark.md)
    # Where Spark runs: None for `spark-submit --master` or else `local[*]`.
    spark_master: str | None = None


@dataclass(frozen=True)
class BuildResult:
    release: releases.Release
    quality: list[SourceQuality]
    activated: bool


def build(options: BuildOptions, home: Path | None = None) -> BuildResult:
    """Build a release from the raw folder; on any failure the active release stays as it is."""
    home = home or settings.rapor_home()
    catalogue = load_catalogue()
    with _build_lock(home):
        releases.remove_abandoned_builds(home)
        release_id = _new_release_id()
        building = releases.new_build_dir(release_id, home)
        scratch = home / "tmp" / release_id
        try:
            with _connect(options, scratch) as engine:
                release, quality = _run(engine, options, catalogue, building, release_id)
        except BaseException:
            shutil.rmtree(building, ignore_errors=True)
            raise
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        if options.activate:
            releases.activate(release.release_id, home)
    return BuildResult(release=release, quality=quality, activated=options.activate)


def _run(
    engine: Engine,
    options: BuildOptions,
    catalogue: Catalogue,
    building: Path,
    release_id: str,
) -> tuple[releases.Release, list[SourceQuality]]:
    inputs = register_inputs(engine, options.raw_dir)
    _load_catalogue_tables(engine, catalogue)
    engine.create(
        "build_params",
        "table",
        f"select {int(options.min_respondents)} as min_respondents,"
        f" cast({INTERVAL_Z!r} as double) as interval_z, {MIN_RANKED} as min_ranked",
    )
    quality = validate(engine, inputs, options.max_reject_share)
    run_layer(engine, "intermediate")
    marts = run_layer(engine, "marts")
    row_counts = publish.write_tables(engine, marts, building)
    publish.copy_catalogue(building)
    publish.write_manifest(
        building,
        release_id=release_id,
        files=engine.files,
        inputs=inputs,
        quality=quality,
        row_counts=row_counts,
        catalogue=catalogue,
        params={
            "min_respondents": options.min_respondents,
            "max_reject_share": options.max_reject_share,
            "interval_level": INTERVAL_LEVEL,
            "min_ranked": MIN_RANKED,
        },
    )
    return releases.finish_build(building), quality


def _connect(options: BuildOptions, scratch: Path) -> Engine:
    # DuckDB spills to `scratch` when a step needs more than the memory limit. On Spark it only
    # writes the release files (from the Parquet parts the executors wrote), as it does on its own.
    scratch.mkdir(parents=True, exist_ok=True)
    files = DuckDBEngine(
        duckdb.connect(
            config={
                "threads": options.threads,
                "memory_limit": options.memory_limit,
                "temp_directory": str(scratch),
                # Row order is not part of the release contract: let DuckDB parallelise freely.
                "preserve_insertion_order": False,
            }
        )
    )
    if options.engine == "duckdb":
        return files
    try:
        if options.engine != "spark":
            raise ValueError(f"unknown engine {options.engine!r}: duckdb or spark")
        from rapor.pipeline.spark import SparkEngine

        return SparkEngine(options.spark_master, files)
    except BaseException:
        files.con.close()
        raise


def _load_catalogue_tables(engine: Engine, catalogue: Catalogue) -> None:
    for name, rows in catalogue.pipeline_tables().items():
        engine.load(name, pa.Table.from_pylist(rows))


def _new_release_id() -> str:
    # UTC build time to the microsecond: ids sort by age, and builds never share one (the lock).
    return f"{datetime.now(UTC):%Y%m%dT%H%M%S.%fZ}"


@contextmanager
def _build_lock(home: Path) -> Iterator[None]:
    home.mkdir(parents=True, exist_ok=True)
    with (home / "build.lock").open("w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise BuildLocked(f"another build is running in {home} (build.lock is held)") from error
        yield
