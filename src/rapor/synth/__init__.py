"""Deterministic synthetic national data in the raw input layout of docs/data-sources.md.

`generate()` writes one Parquet file per raw table. The country comes from the shipped
`regions.csv`; everything else is drawn from named random streams under one seed, so the same
arguments always give the same data. See "Synthetic data" in docs/data-sources.md for the model.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pyarrow as pa

from rapor.synth import assessment, population
from rapor.synth.errors import KINDS, Injector
from rapor.synth.geography import Country, for_scale, national_country
from rapor.synth.schools import SMALL_FRACTION, Schools, build_schools
from rapor.synth.writer import SCHEMAS, write_table

SCALES = ("small", "national")

__all__ = ["KINDS", "SCALES", "SCHEMAS", "generate"]


def generate(
    out_dir: Path,
    *,
    scale: str = "national",
    seed: int = 20231,
    years: Sequence[int] = (2022, 2023, 2024),
    inject_errors: int = 0,
) -> dict:
    """Write the raw tables for `scale` into `out_dir` and return a summary.

    BPS tables (population, enrolment) cover every year but the last, as BPS publishes with a
    lag; the kab/kota profile covers all years. The summary holds `counts` (rows per table),
    `injected` (one {table, kind, key} per bad row) and `national_values` (the realised AKM
    national values per year, domain and jenjang, the figures the calibration targets).
    """
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}: use one of {', '.join(SCALES)}")
    years = sorted({int(year) for year in years})
    if not years:
        raise ValueError("years must name at least one year")
    if inject_errors < 0:
        raise ValueError("inject_errors must be 0 or more")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    bps_years = years[:-1]

    national = national_country(seed)
    country = for_scale(national, scale)
    fraction = 1.0 if scale == "national" else SMALL_FRACTION
    schools = build_schools(country, national, seed, fraction)
    injector = Injector.plan(seed, inject_errors, years, bps_years)
    model = assessment.build_model(country, schools, seed)
    values: dict[int, dict] = {}

    counts = {
        "schools": write_table(out_dir, "schools", [injector.schools(schools.table)]),
        "an_students": write_table(
            out_dir, "an_students", _students(model, schools, seed, years, injector, values)
        ),
        "an_teachers": write_table(
            out_dir,
            "an_teachers",
            (
                injector.teachers(year, assessment.teacher_table(model, schools, seed, year))
                for year in years
            ),
        ),
    }
    counts.update(_bps(out_dir, country, national, seed, years, bps_years, injector))
    return {
        "scale": scale,
        "seed": seed,
        "years": years,
        "bps_years": bps_years,
        "counts": counts,
        "injected": injector.injected,
        "national_values": values,
    }


def _students(
    model: assessment.Model,
    schools: Schools,
    seed: int,
    years: list[int],
    injector: Injector,
    values: dict[int, dict],
) -> Iterator[pa.Table]:
    for year in years:
        data = assessment.draw_year(model, schools, seed, year)
        chunks = assessment.student_chunks(model, schools, data, seed, values)
        yield from injector.students(year, len(data), chunks)
        del data, chunks  # free this year's arrays before drawing the next


def _bps(
    out_dir: Path,
    country: Country,
    national: Country,
    seed: int,
    years: list[int],
    bps_years: list[int],
    injector: Injector,
) -> dict[str, int]:
    persons = {year: population.population(country, national, seed, year) for year in bps_years}
    return {
        "bps_population": write_table(
            out_dir,
            "bps_population",
            (
                injector.population(year, population.population_table(country, year, persons[year]))
                for year in bps_years
            ),
        ),
        "bps_enrolment": write_table(
            out_dir,
            "bps_enrolment",
            (population.enrolment_table(country, seed, year, persons[year]) for year in bps_years),
        ),
        "bps_kabkota_profile": write_table(
            out_dir,
            "bps_kabkota_profile",
            (population.profile_table(country, seed, year) for year in years),
        ),
    }
