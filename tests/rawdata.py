"""Hand-made raw inputs for pipeline tests: small tables in the documented layout
(docs/data-sources.md), built row by row so every expected value can be worked out by hand."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

STUDENT_SCORES = (
    "literacy_score", "literacy_informational", "literacy_literary", "literacy_access",
    "literacy_interpret", "literacy_evaluate", "numeracy_score", "numeracy_number",
    "numeracy_geometry", "numeracy_algebra", "numeracy_data", "character_index",
    "learning_classroom_mgmt", "learning_cognitive_activation", "learning_affective_support",
    "safety_bullying", "safety_punishment", "safety_sexual_violence",
)  # fmt: skip
TEACHER_SCORES = ("instructional_leadership", "gender_equality", "diversity", "inclusivity")
TABLES = (
    "schools", "an_students", "an_teachers", "bps_population", "bps_enrolment",
    "bps_kabkota_profile",
)  # fmt: skip


@dataclass
class RawData:
    """Rows per raw table; `add_*` methods fill every documented column with a valid default."""

    rows: dict[str, list[dict]] = field(default_factory=lambda: {table: [] for table in TABLES})
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def add_school(self, npsn: str, kabkota_code: str, bentuk: str = "sd", **values) -> dict:
        row = {
            "npsn": npsn,
            "name": f"Sekolah {npsn}",
            "bentuk": bentuk,
            "slb_kind": "satu_atap" if bentuk == "slb" else None,
            "status": "negeri",
            "kabkota_code": kabkota_code,
            "address": "Jl. Contoh 1",
            "lokasi": "perkotaan",
            "accreditation": "A",
            "accreditation_valid_until": date(2027, 12, 15),
            "ses_index": 0.0,
        } | values
        self.rows["schools"].append(row)
        return row

    def add_students(
        self, npsn: str, year: int, jenjang: str, literacy_levels: list[int], **values
    ) -> list[dict]:
        """One student per literacy level given; other scores default to 50 unless overridden."""
        added = []
        for level in literacy_levels:
            row = {
                "year": year,
                "npsn": npsn,
                "student_id": f"S{next(self._ids):06d}",
                "jenjang": jenjang,
                "grade": {"dasar": 5, "menengah_pertama": 8, "menengah": 11}[jenjang],
                "gender": "P",
                "ses_index": 0.0,
                "literacy_level": level,
                "numeracy_level": level,
            }
            row |= {score: 50.0 for score in STUDENT_SCORES} | values
            self.rows["an_students"].append(row)
            added.append(row)
        return added

    def add_teachers(self, npsn: str, year: int, count: int, **values) -> list[dict]:
        added = []
        for index in range(count):
            row = (
                {
                    "year": year,
                    "npsn": npsn,
                    "respondent_id": f"T{next(self._ids):06d}",
                    "role": "kepala_sekolah" if index == 0 else "guru",
                }
                | {score: 60.0 for score in TEACHER_SCORES}
                | values
            )
            self.rows["an_teachers"].append(row)
            added.append(row)
        return added

    def add_population(
        self, kabkota_code: str, year: int, age: int, quintile: int, population: int
    ):
        self.rows["bps_population"].append({
            "kabkota_code": kabkota_code, "year": year, "age": age,
            "ses_quintile": quintile, "population": population,
        })  # fmt: skip

    def add_enrolment(
        self, kabkota_code: str, year: int, age: int, quintile: int, jenjang: str, students: int
    ):
        self.rows["bps_enrolment"].append({
            "kabkota_code": kabkota_code, "year": year, "age": age, "ses_quintile": quintile,
            "jenjang": jenjang, "students": students,
        })  # fmt: skip

    def add_profile(self, kabkota_code: str, year: int, poverty: float, urban: float, is_3t=False):
        self.rows["bps_kabkota_profile"].append({
            "kabkota_code": kabkota_code, "year": year, "poverty_rate_pct": poverty,
            "urban_population_pct": urban, "is_3t": is_3t,
        })  # fmt: skip

    def write(self, folder: Path, fmt: str = "parquet") -> Path:
        """Write every table as `<table>.parquet` or `<table>.csv` into `folder`."""
        folder.mkdir(parents=True, exist_ok=True)
        for table, rows in self.rows.items():
            data = pa.Table.from_pylist(rows, schema=_schema(table)) if rows else _empty(table)
            if fmt == "parquet":
                pq.write_table(data, folder / f"{table}.parquet")
            else:
                pacsv.write_csv(data, folder / f"{table}.csv")
        return folder


def _schema(table: str) -> pa.Schema:
    text, integer, real = pa.string(), pa.int64(), pa.float64()
    columns = {
        "schools": [
            ("npsn", text), ("name", text), ("bentuk", text), ("slb_kind", text),
            ("status", text), ("kabkota_code", text), ("address", text), ("lokasi", text),
            ("accreditation", text), ("accreditation_valid_until", pa.date32()),
            ("ses_index", real),
        ],
        "an_students": [
            ("year", integer), ("npsn", text), ("student_id", text), ("jenjang", text),
            ("grade", integer), ("gender", text), ("ses_index", real),
            ("literacy_level", integer), ("numeracy_level", integer),
            *[(score, real) for score in STUDENT_SCORES],
        ],
        "an_teachers": [
            ("year", integer), ("npsn", text), ("respondent_id", text), ("role", text),
            *[(score, real) for score in TEACHER_SCORES],
        ],
        "bps_population": [
            ("kabkota_code", text), ("year", integer), ("age", integer),
            ("ses_quintile", integer), ("population", integer),
        ],
        "bps_enrolment": [
            ("kabkota_code", text), ("year", integer), ("age", integer),
            ("ses_quintile", integer), ("jenjang", text), ("students", integer),
        ],
        "bps_kabkota_profile": [
            ("kabkota_code", text), ("year", integer), ("poverty_rate_pct", real),
            ("urban_population_pct", real), ("is_3t", pa.bool_()),
        ],
    }[table]  # fmt: skip
    return pa.schema(columns)


def _empty(table: str) -> pa.Table:
    return _schema(table).empty_table()
