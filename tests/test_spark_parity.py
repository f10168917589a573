"""`rapor build --engine spark` publishes the same release as the DuckDB build: the small synthetic
country, with invalid rows injected and some inputs as CSV, is built by both engines and every
published table, the rejects and the manifest's counts are compared (docs/spark.md)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from rapor import releases as release_store
from rapor.pipeline.build import BuildOptions, BuildResult, build
from rapor.pipeline.models import load_layer
from rapor.pipeline.validate import TooManyRejects
from rapor.synth import generate

pytestmark = pytest.mark.spark

# Doubles summed in another order differ in their last bits; anything beyond this is a real change.
MAX_RELATIVE_DIFFERENCE = 1e-9
# Read as CSV by both engines, the other inputs as Parquet: both readers must number rows alike.
CSV_SOURCES = ("schools", "an_teachers", "bps_population")
PUBLISHED = [model.publish for model in load_layer("marts") if model.publish]


@pytest.fixture(scope="module")
def spark_session() -> Iterator[None]:
    """One local Spark session for the module: the Spark build uses it and leaves it running."""
    from rapor.pipeline.spark import session

    spark, _ = session("local[2]")
    yield
    spark.stop()


@pytest.fixture(scope="module")
def raw_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("parity") / "raw"
    generate(folder, scale="small", seed=20231, years=(2022, 2023, 2024), inject_errors=40)
    for source in CSV_SOURCES:
        parquet = folder / f"{source}.parquet"
        pacsv.write_csv(pq.read_table(parquet), folder / f"{source}.csv")
        parquet.unlink()
    return folder


@pytest.fixture(scope="module")
def releases(
    raw_dir: Path, spark_session: None, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, BuildResult]:
    """The release of each engine, each in its own RAPOR_HOME."""
    return {
        engine: build(
            BuildOptions(raw_dir=raw_dir, max_reject_share=0.05, engine=engine),
            home=tmp_path_factory.mktemp(engine),
        )
        for engine in ("duckdb", "spark")
    }


def test_the_injected_rows_are_rejected(releases):
    """The comparison covers quarantine: both builds set invalid rows aside."""
    assert releases["duckdb"].release.manifest["reject_counts"]["an_students"] > 0


@pytest.mark.parametrize("table", PUBLISHED)
def test_every_published_table_is_the_same(releases, table):
    """Same columns and types, the same rows by key, equal values (doubles to 1e-9 relative)."""
    duck, spark = (_read(releases[engine], table) for engine in ("duckdb", "spark"))
    assert spark.schema == duck.schema
    assert spark.height == duck.height
    assert_same_rows(duck, spark)


def test_manifests_count_the_same_rows(releases):
    duck, spark = (releases[engine].release.manifest for engine in ("duckdb", "spark"))
    for key in ("years", "inputs", "row_counts", "reject_counts", "catalogue", "params"):
        assert spark[key] == duck[key], key
    written = json.loads((releases["spark"].release.path / "manifest.json").read_text())
    assert written == spark


def test_quality_reports_are_the_same(releases):
    assert releases["spark"].quality == releases["duckdb"].quality


def test_a_failing_build_keeps_the_live_release_and_says_the_same(releases, raw_dir):
    """Over the default reject limit (1 %: 20 of 1,863 schools are bad), the Spark build fails as
    the DuckDB build does, with the same message, and the active release stays."""
    errors = {}
    for engine, result in releases.items():
        home = result.release.path.parent.parent
        with pytest.raises(TooManyRejects) as raised:
            build(BuildOptions(raw_dir=raw_dir, engine=engine), home=home)
        errors[engine] = str(raised.value)
        assert [release.release_id for release in release_store.list_releases(home)] == [
            result.release.release_id
        ]
        assert release_store.active_release(home).release_id == result.release.release_id
    assert errors["spark"] == errors["duckdb"]


def assert_same_rows(duck: pl.DataFrame, spark: pl.DataFrame) -> None:
    """Rows are matched on all their non-double columns, which must be a key; those must be equal
    and the doubles null at the same rows and otherwise within MAX_RELATIVE_DIFFERENCE."""
    doubles = [name for name, dtype in duck.schema.items() if dtype == pl.Float64]
    keys = [name for name in duck.columns if name not in doubles]
    assert not duck.select(keys).is_duplicated().any(), f"{keys} is not a key"
    joined = duck.with_columns(in_duck=True).join(
        spark.with_columns(in_spark=True), on=keys, how="full", nulls_equal=True, suffix="_spark"
    )
    unmatched = joined.filter(pl.col("in_duck").is_null() | pl.col("in_spark").is_null())
    assert unmatched.is_empty(), f"rows in only one release:\n{unmatched}"
    for name in doubles:
        left, right = pl.col(name), pl.col(f"{name}_spark")
        scale = pl.max_horizontal(left.abs(), right.abs())
        differs = (left.is_null() != right.is_null()) | (
            (left - right).abs() > MAX_RELATIVE_DIFFERENCE * scale
        )
        different = joined.filter(differs.fill_null(False))
        assert different.is_empty(), f"{name} differs:\n{different.select(*keys, left, right)}"


def _read(result: BuildResult, table: str) -> pl.DataFrame:
    return pl.read_parquet(result.release.path / f"{table}.parquet")
