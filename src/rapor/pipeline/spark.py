"""The pipeline on Apache Spark (`rapor build --engine spark`, docs/spark.md).

The model files and checks are written in DuckDB's dialect; SQLGlot transpiles each query to Spark
SQL, after the few rewrites in `_rewrite` for what it does not translate to the same meaning.
Release files are written by the DuckDB writer from each mart's Parquet parts, so a release has
the same layout whichever engine computed it."""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import pyarrow as pa

from rapor.pipeline.engine import DuckDBEngine

try:
    import sqlglot
    from py4j.protocol import Py4JJavaError
    from pyspark.errors import PySparkException
    from pyspark.sql import DataFrame, SparkSession
    from pyspark.sql import functions as F
    from sqlglot import exp
except ImportError as error:
    raise ImportError(
        f"the Spark engine needs pyspark and sqlglot ({error}): install the spark extra: make spark"
    ) from error

# Spark's own default when no master is given (and none by spark-submit).
DEFAULT_MASTER = "local[*]"
# Set for every build, also on a session that was already running: the SQL semantics the models
# rely on. ANSI mode (Spark 4's default) is kept on, as DuckDB does: an overflow or a cast of bad
# text fails the build instead of yielding null; the models use try_cast where bad text is
# expected and nullif against division by zero.
SQL_SETTINGS = {"spark.sql.session.timeZone": "UTC", "spark.sql.ansi.enabled": "true"}
# Settings of a session this engine starts (under spark-submit, its own settings apply instead).
SESSION_DEFAULTS = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
}
# A lean local[*] session on a small machine: no network names, few shuffle partitions (the
# default 200 are tiny tasks here), a driver heap for the executor's work in local mode.
LOCAL_DEFAULTS = {
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.driver.memory": "6g",
    "spark.sql.shuffle.partitions": "4",
}


class SparkEngine:
    """The pipeline on a Spark session: raw files, models and catalogue tables are temp views
    (a model materialized as a table is checkpointed); release files go through `files`."""

    read_errors = (PySparkException, Py4JJavaError)

    def __init__(self, master: str | None, files: DuckDBEngine) -> None:
        self.files = files
        self._spark, self._owns_session = session(master)
        for key, value in SQL_SETTINGS.items():
            self._spark.conf.set(key, value)
        self._views: list[str] = []

    def sql(self, query: str, params: Sequence[Any] = ()) -> list[tuple]:
        frame = self._spark.sql(to_spark_sql(query), args=list(params) or None)
        return [tuple(row) for row in frame.collect()]

    def create(self, name: str, kind: str, query: str) -> None:
        frame = self._spark.sql(to_spark_sql(query))
        if kind == "table":
            # Computed now, once, as DuckDB's `create table` is. Not `cache()`: queries reading
            # such views did not find the cached data and recomputed the whole lineage from the
            # raw Parquet files (the small build took minutes).
            frame = frame.localCheckpoint(eager=True)
        self._register(name, frame)

    def load(self, name: str, table: pa.Table) -> None:
        self._register(name, self._spark.createDataFrame(table))

    def read_raw(self, name: str, path: Path) -> list[str]:
        # A file URI: on a cluster a bare path would be resolved on the default (HDFS) file system.
        uri = path.resolve().as_uri()
        if path.suffix == ".parquet":
            frame = self._spark.read.parquet(uri).withColumn(
                "_source_row", F.col("_metadata.row_index") + 1
            )
        else:
            # All text, quotes escaped by doubling, as DuckDB reads it; a row that does not parse
            # fails the read. multiLine keeps quoted line breaks and makes the file one partition,
            # so the increasing ids count its rows in file order.
            frame = self._spark.read.csv(
                uri, header=True, quote='"', escape='"', multiLine=True, mode="FAILFAST"
            ).withColumn("_source_row", F.monotonically_increasing_id() + 1)
        self._register(name, frame)
        return frame.columns

    def write_parquet(self, name: str, target: Path) -> None:
        # The executors write the mart as Parquet parts beside the release file, and DuckDB
        # rewrites them as one file in the same layout as a DuckDB build. No mart passes through
        # the driver's memory (collected as Arrow, the national marts overflowed a 6 GB heap).
        staged = target.with_name(f".{target.name}.parts")
        try:
            self._spark.table(name).write.parquet(staged.resolve().as_uri())
            self.files.con.read_parquet(str(staged / "*.parquet")).create_view(name)
            self.files.write_parquet(name, target)
        finally:
            self.files.con.execute(f"drop view if exists {name}")
            shutil.rmtree(staged, ignore_errors=True)

    def _register(self, name: str, frame: DataFrame) -> None:
        frame.createOrReplaceTempView(name)
        self._views.append(name)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if self._owns_session:
                self._spark.stop()
            else:  # someone else's session (a test's): remove only what this build added
                for name in self._views:
                    self._spark.catalog.dropTempView(name)
        finally:
            self.files.__exit__(kind, error, tb)


def to_spark_sql(query: str) -> str:
    """A query in DuckDB's dialect as Spark SQL: SQLGlot's transpilation plus `_rewrite`."""
    tree = sqlglot.parse_one(query, read="duckdb")
    return tree.transform(_rewrite).sql(dialect="spark")


def _rewrite(node: exp.Expression) -> exp.Expression:
    """What SQLGlot 30 does not translate to the same meaning in Spark."""
    if _is_decimal_literal(node):
        # `100.0` is a DECIMAL in Spark, whose division rounds to 6 places and whose averages
        # stay DECIMAL; DuckDB computes these expressions as DOUBLE.
        return exp.cast(node.copy(), "double")
    if isinstance(node, exp.Format) and isinstance(node.this, exp.Literal):
        # DuckDB's format() fills `{}`; Spark's format_string is printf-style.
        template = node.this.this.replace("%", "%%").replace("{}", "%s")
        node.set("this", exp.Literal.string(template))
    if isinstance(node, exp.RegexpFullMatch):
        # No full-match function in Spark: anchor the pattern (\z: not before a final newline).
        pattern = f"^(?:{node.expression.name})\\z"
        return exp.RegexpLike(this=node.this, expression=exp.Literal.string(pattern))
    if isinstance(node, exp.Anonymous) and node.name.lower() == "hash":
        # DuckDB's hash is 64-bit; Spark's is 32-bit, with more collisions to re-check exactly.
        return exp.Anonymous(this="xxhash64", expressions=node.expressions)
    if isinstance(node, exp.PercentileCont) and node.expression is not None:
        # DuckDB's quantile_cont(x, q); Spark's percentile_cont takes q alone (WITHIN GROUP),
        # its percentile(x, q) interpolates linearly as DuckDB's does.
        return exp.Anonymous(this="percentile", expressions=[node.this, node.expression])
    if isinstance(node, exp.CTE) and node.args.get("materialized") is not None:
        # Spark has no materialization hint: it inlines a CTE as DuckDB's NOT MATERIALIZED asks.
        node.set("materialized", None)
    return node


def _is_decimal_literal(node: exp.Expression) -> bool:
    return (
        isinstance(node, exp.Literal)
        and node.is_number
        and "." in node.this
        and "e" not in node.this.lower()
    )


def session(master: str | None) -> tuple[SparkSession, bool]:
    """The running session, or a new one; and whether this engine started it (and stops it)."""
    running = SparkSession.getActiveSession()
    if running is not None:
        return running, False
    builder = SparkSession.builder
    if master:
        builder = builder.master(master)
    # Under spark-submit (which starts the JVM and says so in this variable) its settings rule.
    if "PYSPARK_GATEWAY_PORT" not in os.environ:
        defaults = SESSION_DEFAULTS
        if (master or DEFAULT_MASTER).startswith("local"):
            defaults = defaults | LOCAL_DEFAULTS
        for key, value in defaults.items():
            builder = builder.config(key, value)
    return builder.getOrCreate(), True
