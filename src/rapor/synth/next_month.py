"""Next month's data: the corrections a monthly Dapodik and BPS delivery brings, applied to the raw
inputs in place, so a demo can show `rapor refresh` changing what the web shows.

Some schools get a new accreditation (re-accredited, with a new validity date) or a corrected
address; a few kab/kota get their newest BPS year's enrolment corrected (double-counted students
removed), which moves their APK/APS/APM and those of their province and the nation. The files a
correction replaces are first copied to `<raw folder>-archive/<UTC time>/`. The corrections are
drawn from the seed and the current registry's bytes: the same files always get the same ones.
"""

from __future__ import annotations

import os
import shutil
import zlib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from rapor.synth.rng import stream
from rapor.synth.writer import write_table

CORRECTED_SCHOOL_SHARE = 0.01  # of schools re-accredited, and as many again with a new address
CORRECTED_KABKOTA = 3  # kab/kota whose newest BPS enrolment is corrected
REACCREDITED_FROM = date(2029, 1, 1)  # a new accreditation is valid for about five years
REACCREDITED_TO = date(2031, 12, 31)
NEXT_GRADE = {"TT": "C", "C": "B", "B": "A", "A": "A"}


def apply_next_month(raw_dir: Path, *, seed: int = 20231) -> dict:
    """Correct the registry and BPS enrolment in `raw_dir`, keeping the replaced files.

    Returns `archive` (where the previous files went), `schools` ({npsn: what was corrected}) and
    `enrolment` ({kabkota_code, year, factor} per corrected kab/kota).
    """
    raw_dir = Path(raw_dir)
    schools_path, enrolment_path = raw_dir / "schools.parquet", raw_dir / "bps_enrolment.parquet"
    for path in (schools_path, enrolment_path):
        if not path.is_file():
            raise FileNotFoundError(f"{path}: no raw input to correct (run `rapor synth` first)")
    rng = stream(seed, "next-month", zlib.crc32(schools_path.read_bytes()))
    schools, school_changes = _correct_schools(pq.read_table(schools_path), rng)
    enrolment, enrolment_changes = _correct_enrolment(pq.read_table(enrolment_path), rng)

    archive = _archive(raw_dir, [schools_path, enrolment_path])
    _replace(raw_dir, "schools", schools)
    _replace(raw_dir, "bps_enrolment", enrolment)
    return {"archive": archive, "schools": school_changes, "enrolment": enrolment_changes}


def _correct_schools(table: pa.Table, rng: np.random.Generator) -> tuple[pa.Table, dict]:
    n = max(1, round(CORRECTED_SCHOOL_SHARE * table.num_rows))
    rows = rng.choice(table.num_rows, min(2 * n, table.num_rows), replace=False)
    reaccredited, readdressed = rows[:n], rows[n:]
    records = table.to_pylist()
    changes: dict[str, list[str]] = {}
    span = (REACCREDITED_TO - REACCREDITED_FROM).days
    for row in reaccredited:
        record = records[row]
        record["accreditation"] = NEXT_GRADE[record["accreditation"]]
        days = int(rng.integers(0, span + 1))
        record["accreditation_valid_until"] = REACCREDITED_FROM + timedelta(days=days)
        changes.setdefault(record["npsn"], []).append("accreditation")
    for row in readdressed:
        record = records[row]
        record["address"] = _corrected_address(record["address"], rng)
        changes.setdefault(record["npsn"], []).append("address")
    return pa.Table.from_pylist(records, schema=table.schema), changes


def _corrected_address(address: str, rng: np.random.Generator) -> str:
    # Town addresses get the right house number; village ones the right RT (`_addresses` in
    # schools.py writes both forms).
    head, separator, number = address.rpartition(" No. ")
    if separator:
        return f"{head} No. {_another(int(number), 249, rng)}"
    head, _, tail = address.rpartition(" RT ")
    rt, _, rw = tail.partition("/")
    return f"{head} RT {_another(int(rt), 14, rng):03d}/{rw}"


def _another(number: int, highest: int, rng: np.random.Generator) -> int:
    """A number from 1 to `highest` that is not `number`."""
    other = int(rng.integers(1, highest))
    return other + 1 if other >= number else other


def _correct_enrolment(table: pa.Table, rng: np.random.Generator) -> tuple[pa.Table, list[dict]]:
    year = pc.max(table["year"]).as_py()
    codes = table["kabkota_code"].to_numpy(zero_copy_only=False)
    newest = table["year"].to_numpy() == year
    picked = rng.choice(np.unique(codes), min(CORRECTED_KABKOTA, len(set(codes))), replace=False)
    # Dapodik finds students counted twice: each kab/kota loses 3-8 % of them that year.
    factors = dict(zip(picked.tolist(), rng.uniform(0.92, 0.97, len(picked)).round(3), strict=True))
    factor = np.ones(table.num_rows)
    for code, value in factors.items():
        factor[newest & (codes == code)] = value
    students = np.round(table["students"].to_numpy() * factor).astype(np.int32)
    column = table.schema.get_field_index("students")
    corrected = table.set_column(column, "students", pa.array(students, pa.int32()))
    changes = [
        {"kabkota_code": code, "year": year, "factor": float(value)}
        for code, value in sorted(factors.items())
    ]
    return corrected, changes


def _archive(raw_dir: Path, paths: list[Path]) -> Path:
    stamp = f"{datetime.now(UTC):%Y%m%dT%H%M%S.%fZ}"  # like release ids: sorts by age
    archive = raw_dir.with_name(f"{raw_dir.name}-archive") / stamp
    archive.mkdir(parents=True)
    for path in paths:
        shutil.copy2(path, archive / path.name)
    return archive


def _replace(raw_dir: Path, name: str, table: pa.Table) -> None:
    # Written under a name no build reads, then renamed: a build sees the old file or the new one.
    scratch = raw_dir / f".next-month-{os.getpid()}"
    scratch.mkdir(exist_ok=True)
    try:
        write_table(scratch, name, [table])
        os.replace(scratch / f"{name}.parquet", raw_dir / f"{name}.parquet")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
