"""Arrow schemas of the raw tables (docs/data-sources.md) and the chunked Parquet writer."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

_S, _F, _I16 = pa.string(), pa.float32(), pa.int16()

SCHEMAS: dict[str, pa.Schema] = {
    "schools": pa.schema(
        [
            ("npsn", _S),
            ("name", _S),
            ("bentuk", _S),
            ("slb_kind", _S),
            ("status", _S),
            ("kabkota_code", _S),
            ("address", _S),
            ("lokasi", _S),
            ("accreditation", _S),
            ("accreditation_valid_until", pa.date32()),
            ("ses_index", _F),
        ]
    ),
    "an_students": pa.schema(
        [
            ("year", _I16),
            ("npsn", _S),
            ("student_id", _S),
            ("jenjang", _S),
            ("grade", _I16),
            ("gender", _S),
            ("ses_index", _F),
            ("literacy_score", _F),
            ("literacy_level", _I16),
            ("literacy_informational", _F),
            ("literacy_literary", _F),
            ("literacy_access", _F),
            ("literacy_interpret", _F),
            ("literacy_evaluate", _F),
            ("numeracy_score", _F),
            ("numeracy_level", _I16),
            ("numeracy_number", _F),
            ("numeracy_geometry", _F),
            ("numeracy_algebra", _F),
            ("numeracy_data", _F),
            ("character_index", _F),
            ("learning_classroom_mgmt", _F),
            ("learning_cognitive_activation", _F),
            ("learning_affective_support", _F),
            ("safety_bullying", _F),
            ("safety_punishment", _F),
            ("safety_sexual_violence", _F),
        ]
    ),
    "an_teachers": pa.schema(
        [
            ("year", _I16),
            ("npsn", _S),
            ("respondent_id", _S),
            ("role", _S),
            ("instructional_leadership", _F),
            ("gender_equality", _F),
            ("diversity", _F),
            ("inclusivity", _F),
        ]
    ),
    "bps_population": pa.schema(
        [
            ("kabkota_code", _S),
            ("year", _I16),
            ("age", _I16),
            ("ses_quintile", _I16),
            ("population", pa.int32()),
        ]
    ),
    "bps_enrolment": pa.schema(
        [
            ("kabkota_code", _S),
            ("year", _I16),
            ("age", _I16),
            ("ses_quintile", _I16),
            ("jenjang", _S),
            ("students", pa.int32()),
        ]
    ),
    "bps_kabkota_profile": pa.schema(
        [
            ("kabkota_code", _S),
            ("year", _I16),
            ("poverty_rate_pct", _F),
            ("urban_population_pct", _F),
            ("is_3t", pa.bool_()),
        ]
    ),
}


def write_table(out_dir: Path, name: str, parts: Iterable[pa.Table]) -> int:
    """Write `parts` (each one row group) to `<out_dir>/<name>.parquet`; return the row count.

    Parts are written as they come so a large table never has to sit in memory whole. zstd at
    its default level compresses well and fast; dictionary encoding (pyarrow's default) makes
    scores rounded to 0.01 cheap to store.
    """
    schema = SCHEMAS[name]
    rows = 0
    with pq.ParquetWriter(out_dir / f"{name}.parquet", schema, compression="zstd") as writer:
        for part in parts:
            if part.num_rows:
                writer.write_table(part.select(schema.names).cast(schema))
                rows += part.num_rows
    return rows
