"""Validate: type every raw row, set aside the rows that break a rule, and refuse to go on when a
source has more bad rows than the build allows."""

from __future__ import annotations

from dataclasses import dataclass

from rapor.pipeline.engine import Engine
from rapor.pipeline.ingest import RawInput
from rapor.pipeline.models import run_layer

# Without schools and assessment results a release would be empty; BPS tables may lag a year.
REQUIRED_SOURCES = ("schools", "an_students")


class TooManyRejects(Exception):
    """A source's share of rejected rows is above the allowed maximum: nothing is published."""


@dataclass(frozen=True)
class SourceQuality:
    source: str
    rows: int
    rejected: int

    @property
    def reject_share(self) -> float:
        return self.rejected / self.rows if self.rows else 0.0


def validate(
    engine: Engine, inputs: list[RawInput], max_reject_share: float
) -> list[SourceQuality]:
    """Run the staging models; raise TooManyRejects naming every source over the limit."""
    run_layer(engine, "staging")
    rejected = dict(engine.sql("select source, count(*) from stg_rejects group by source"))
    quality = [
        SourceQuality(source=raw.source, rows=raw.rows, rejected=rejected.get(raw.source, 0))
        for raw in inputs
    ]
    files = {raw.source: raw.path.name for raw in inputs}
    empty = [
        f"{item.source} ({files[item.source]} has no rows)"
        if not item.rows
        else f"{item.source} (all {item.rows} rows rejected, e.g. "
        f"{_examples(engine, item.source, files[item.source], 1)})"
        for item in quality
        if item.source in REQUIRED_SOURCES and item.rows == item.rejected
    ]
    if empty:
        raise TooManyRejects(
            f"no valid rows in {', '.join(empty)}: nothing to report on. "
            "Nothing was published; the active release is unchanged."
        )
    over = [item for item in quality if item.reject_share > max_reject_share]
    if over:
        raise TooManyRejects(
            "; ".join(
                _describe(engine, item, files[item.source], max_reject_share) for item in over
            )
            + ". Nothing was published; the active release is unchanged."
        )
    return quality


def _describe(engine: Engine, item: SourceQuality, file: str, limit: float) -> str:
    return (
        f"{item.source}: {item.rejected} of {item.rows} rows rejected "
        f"({item.reject_share:.2%} > {limit:.2%} allowed), e.g. "
        f"{_examples(engine, item.source, file, 3)}"
    )


def _examples(engine: Engine, source: str, file: str, limit: int) -> str:
    """The most frequent reasons a source's rows were rejected, each with where it first occurs
    (`source_row`: the data row in the file, 1-based, header not counted)."""
    reasons = engine.sql(
        "select reason, count(*) as n, min(source_row) from stg_rejects where source = ?"
        f" group by reason order by n desc, reason limit {int(limit)}",
        [source],
    )
    return ", ".join(
        f"{reason} ({n} {'row' if n == 1 else 'rows'}, first at data row {row} of {file})"
        for reason, n, row in reasons
    )
