"""Validate: type every raw row, set aside the rows that break a rule, and refuse to go on when a
source has more bad rows than the build allows."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

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
    con: duckdb.DuckDBPyConnection, inputs: list[RawInput], max_reject_share: float
) -> list[SourceQuality]:
    """Run the staging models; raise TooManyRejects naming every source over the limit."""
    run_layer(con, "staging")
    rejected = dict(
        con.execute("select source, count(*) from stg_rejects group by source").fetchall()
    )
    quality = [
        SourceQuality(source=raw.source, rows=raw.rows, rejected=rejected.get(raw.source, 0))
        for raw in inputs
    ]
    empty = [
        item.source
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
            "; ".join(_describe(con, item, max_reject_share) for item in over)
            + ". Nothing was published; the active release is unchanged."
        )
    return quality


def _describe(con: duckdb.DuckDBPyConnection, item: SourceQuality, limit: float) -> str:
    reasons = con.execute(
        "select reason, count(*) as n from stg_rejects where source = ?"
        " group by reason order by n desc, reason limit 3",
        [item.source],
    ).fetchall()
    examples = ", ".join(f"{reason} ({n})" for reason, n in reasons)
    return (
        f"{item.source}: {item.rejected} of {item.rows} rows rejected "
        f"({item.reject_share:.2%} > {limit:.2%} allowed), e.g. {examples}"
    )
