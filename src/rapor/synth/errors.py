"""Deliberately bad rows, so the pipeline's validation has something real to reject.

`inject_errors=N` cycles through KINDS; every bad row is appended (or, for a negative
population, replaces one value) and recorded as {table, kind, key} with `key` naming the row by
its identifying columns. Ids of new rows continue after the last generated one; npsn of new
schools start at 80000000 and orphan npsn at 90000000, ranges no generated school uses.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from rapor.synth.rng import stream

KINDS: tuple[tuple[str, str], ...] = (
    ("schools", "duplicate_npsn"),
    ("schools", "unknown_kabkota"),
    ("schools", "invalid_bentuk"),
    ("an_students", "literacy_out_of_range"),
    ("an_students", "orphan_npsn"),
    ("an_students", "duplicate_student_id"),
    ("an_students", "invalid_literacy_level"),
    ("an_teachers", "orphan_npsn"),
    ("bps_population", "negative_population"),
)
UNKNOWN_KABKOTA = "99.99"
INVALID_BENTUK = "tk"  # a real form (kindergarten) that is outside the platform's scope
OUT_OF_RANGE_SCORE = 140.0
INVALID_LEVEL = 7
NEW_SCHOOL_NPSN = 80_000_000
ORPHAN_NPSN = 90_000_000


@dataclass
class Injector:
    """The plan for N bad rows and the record of those made so far."""

    seed: int
    planned: list[tuple[str, str, int | None]]  # (table, kind, year)
    injected: list[dict] = field(default_factory=list)
    _orphans: int = 0
    _new_schools: int = 0

    @classmethod
    def plan(cls, seed: int, n: int, years: list[int], bps_years: list[int]) -> Injector:
        """Cycle through the kinds (skipping ones whose table is empty) until N are planned."""
        kinds = [k for k in KINDS if k[0] != "bps_population" or bps_years]
        planned: list[tuple[str, str, int | None]] = []
        for i in range(n):
            table, kind = kinds[i % len(kinds)]
            turn = i // len(kinds)  # the kind's turn: spreads repeats over the years
            pool = bps_years if table == "bps_population" else years
            year = None if table == "schools" else pool[turn % len(pool)]
            planned.append((table, kind, year))
        return cls(seed, planned)

    def _kinds(self, table: str, year: int | None = None) -> list[str]:
        return [k for t, k, y in self.planned if t == table and y == year]

    def _orphan(self) -> str:
        self._orphans += 1
        return str(ORPHAN_NPSN + self._orphans)

    def _record(self, table: str, kind: str, **key: object) -> None:
        self.injected.append({"table": table, "kind": kind, "key": key})

    def schools(self, table: pa.Table) -> pa.Table:
        """The registry with its planned bad rows appended."""
        kinds = self._kinds("schools")
        if not kinds:
            return table
        rows = stream(self.seed, "errors-schools").choice(table.num_rows, len(kinds), False)
        bad = []
        for kind, row in zip(kinds, rows, strict=True):
            record = table.slice(int(row), 1).to_pylist()[0]
            if kind != "duplicate_npsn":  # the others are new schools with a fresh npsn
                self._new_schools += 1
                record["npsn"] = str(NEW_SCHOOL_NPSN + self._new_schools)
            if kind == "unknown_kabkota":
                record["kabkota_code"] = UNKNOWN_KABKOTA
            elif kind == "invalid_bentuk":
                record["bentuk"] = INVALID_BENTUK
            bad.append(record)
            self._record("schools", kind, npsn=record["npsn"])
        return pa.concat_tables([table, pa.Table.from_pylist(bad, schema=table.schema)])

    def students(self, year: int, n_rows: int, chunks: Iterable[pa.Table]) -> Iterator[pa.Table]:
        """Pass the year's chunks through, then yield its planned bad rows."""
        kinds = self._kinds("an_students", year)
        rng = stream(self.seed, "errors-students", year)
        # Each bad row copies a source row; duplicate ids take the id of a second row.
        rows = rng.choice(n_rows, 2 * len(kinds), False) if kinds else np.array([], int)
        sources = _collect(chunks, rows)
        yield from sources
        if not kinds:
            return
        picked = sources.picked
        bad = []
        for i, kind in enumerate(kinds):
            record = dict(picked[int(rows[i])])
            if kind == "duplicate_student_id":
                record["student_id"] = picked[int(rows[len(kinds) + i])]["student_id"]
            else:
                record["student_id"] = f"AN{year}-{n_rows + i + 1:08d}"
            if kind == "literacy_out_of_range":
                record["literacy_score"] = OUT_OF_RANGE_SCORE
            elif kind == "orphan_npsn":
                record["npsn"] = self._orphan()
            elif kind == "invalid_literacy_level":
                record["literacy_level"] = INVALID_LEVEL
            bad.append(record)
            self._record("an_students", kind, year=year, student_id=record["student_id"])
        yield pa.Table.from_pylist(bad, schema=sources.schema)

    def teachers(self, year: int, table: pa.Table) -> pa.Table:
        """The year's teacher rows with orphan respondents appended."""
        kinds = self._kinds("an_teachers", year)
        if not kinds:
            return table
        rows = stream(self.seed, "errors-teachers", year).choice(table.num_rows, len(kinds), False)
        bad = []
        for i, (kind, row) in enumerate(zip(kinds, rows, strict=True)):
            record = table.slice(int(row), 1).to_pylist()[0]
            record["respondent_id"] = f"GTK{year}-{table.num_rows + i + 1:08d}"
            record["npsn"] = self._orphan()
            bad.append(record)
            self._record("an_teachers", kind, year=year, respondent_id=record["respondent_id"])
        return pa.concat_tables([table, pa.Table.from_pylist(bad, schema=table.schema)])

    def population(self, year: int, table: pa.Table) -> pa.Table:
        """The year's population rows with some counts made negative."""
        kinds = self._kinds("bps_population", year)
        if not kinds:
            return table
        rows = stream(self.seed, "errors-population", year).choice(
            table.num_rows, len(kinds), False
        )
        values = table["population"].to_numpy().copy()
        for kind, row in zip(kinds, rows, strict=True):
            values[row] = -max(int(values[row]), 1)
            key = {c: table[c][int(row)].as_py() for c in ("kabkota_code", "age", "ses_quintile")}
            self._record("bps_population", kind, year=year, **key)
        column = table.schema.get_field_index("population")
        return table.set_column(column, "population", pa.array(values, pa.int32()))


class _collect:
    """Iterate chunks while keeping the rows at the given global positions."""

    def __init__(self, chunks: Iterable[pa.Table], rows: np.ndarray) -> None:
        self.chunks, self.rows = chunks, np.sort(rows)
        self.picked: dict[int, dict] = {}
        self.schema: pa.Schema | None = None

    def __iter__(self) -> Iterator[pa.Table]:
        start = 0
        for chunk in self.chunks:
            self.schema = chunk.schema
            end = start + chunk.num_rows
            inside = self.rows[(self.rows >= start) & (self.rows < end)]
            if len(inside):
                taken = chunk.take(pa.array(inside - start)).to_pylist()
                self.picked.update(zip(inside.tolist(), taken, strict=True))
            start = end
            yield chunk
