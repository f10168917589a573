"""Asesmen Nasional: sampled students (AKM, Survei Karakter, Sulingjar) and teacher surveys.

Latent ability (in student-SD units) = province effect + school effect (SES, town, bentuk,
sector, random) + school-year noise + student effect (SES within the school, gender, noise)
+ a year x jenjang x domain intercept. The intercept is solved on the realised sample so the
national value hits its target (see `calibration`). Scores are 50 + 14 x ability, clipped to
0-100 and rounded to 0.01; levels are cut on the score at 36, 50 and 68.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from rapor.synth.calibration import DOMAINS, JENJANG, MIN_STUDENTS, solve_intercept, target
from rapor.synth.geography import Country
from rapor.synth.rng import stream
from rapor.synth.schools import B, Schools

CHUNK = 1_000_000  # students per generated (and written) row group
SCORE_CENTRE, SCORE_SCALE = 50.0, 14.0
LEVEL_CUTS = (36.0, 50.0, 68.0)  # score at which levels 2, 3 and 4 start
CAP = np.array([30, 45, 45])  # AN sample cap per school by jenjang (POS AN 2023)
GRADE = np.array([5, 8, 11])
GRADE_PAKET = np.array([6, 9, 12])  # Paket A/B/C test at the end of the programme
EXCLUDED = (B["slb"], B["pkbm"])  # not in national values (the Beranda note)

# Median grade-cohort size at the tested grade, per bentuk (pkbm per paket: A, B, C).
MEDIAN_COHORT = np.array([26, 20, 4, 75, 38, 4, 95, 30, 110, 4, 4, 0], dtype=float)
MEDIAN_PAKET = np.array([6.0, 10.0, 18.0])
COHORT_SIGMA = 0.6
# Ability shift by bentuk for literacy and numeracy (SLB and PKBM far below the rest).
EFFECT_LITERACY = np.array(
    [0.0, -0.10, -0.6, 0.0, -0.10, -0.6, 0.15, -0.05, -0.20, -0.6, -0.7, -0.5]
)
EFFECT_NUMERACY = np.array(
    [0.0, -0.10, -0.6, 0.0, -0.10, -0.6, 0.15, -0.10, -0.15, -0.6, -0.7, -0.5]
)
GENDER_EFFECT = {"literacy": 0.10, "numeracy": 0.03}  # girls above boys by twice this
SUBDOMAINS = {
    "literacy": {
        "literacy_informational": 1.0,
        "literacy_literary": -1.0,
        "literacy_access": 3.0,
        "literacy_interpret": 0.0,
        "literacy_evaluate": -4.0,
    },
    "numeracy": {
        "numeracy_number": 2.0,
        "numeracy_geometry": -2.0,
        "numeracy_algebra": -3.0,
        "numeracy_data": 1.0,
    },
}
# Student survey scales: name -> (mean, weight of school quality, school SD, student SD).
STUDENT_SCALES = {
    "learning_classroom_mgmt": (62.0, 2.5, 4.0, 11.0),
    "learning_cognitive_activation": (55.0, 2.5, 4.0, 11.0),
    "learning_affective_support": (64.0, 2.5, 4.0, 11.0),
    "safety_bullying": (70.0, 1.6, 3.6, 14.0),
    "safety_punishment": (78.0, 1.6, 3.6, 14.0),
    "safety_sexual_violence": (90.0, 1.6, 3.6, 10.0),
}
TEACHER_SCALES = {  # name -> (mean, principal's own-rating bonus)
    "instructional_leadership": (72.0, 6.0),
    "gender_equality": (80.0, 2.0),
    "diversity": (76.0, 2.0),
    "inclusivity": (70.0, 2.0),
}
MEDIAN_TEACHERS = np.array([9, 8, 5, 15, 12, 5, 16, 11, 18, 5, 9, 5], dtype=float)
# Survey scales improve slowly from 2023: each scale by its own amount a year (on average this
# many points, sd SURVEY_DRIFT_SD), and wobbles a little from year to year, so that the scales
# do not move in lock-step.
SURVEY_DRIFT = 0.4
SURVEY_DRIFT_SD = 0.4
SURVEY_WOBBLE_SD = 0.3


@dataclass
class Model:
    """Everything fixed across AN years: units (school x tested jenjang) and school effects."""

    unit_school: np.ndarray  # int32, sorted by jenjang then school
    unit_jenjang: np.ndarray  # int8
    unit_cohort: np.ndarray  # float64, base grade-cohort size
    unit_eligible: np.ndarray  # bool, bentuk counts in national values
    unit_grade: np.ndarray  # int16
    effect: dict[str, np.ndarray]  # domain -> float32 per school
    quality: np.ndarray  # float32 per school, standardised ability effect
    scale_effect: dict[str, np.ndarray]  # sub-domain / survey scale -> float32 per school
    teachers: np.ndarray  # int per school, guru respondents


def build_model(country: Country, schools: Schools, seed: int) -> Model:
    """Units, cohort sizes and school effects for the registry."""
    rng = stream(seed, "assessment-model")
    offers = _offers(rng, schools)
    jenjang, school = np.nonzero(offers.T)  # jenjang-major, so a jenjang's students are one block
    bentuk = schools.bentuk[school]
    median = np.where(bentuk == B["pkbm"], MEDIAN_PAKET[jenjang], MEDIAN_COHORT[bentuk])
    kab = schools.kab[school]
    # Villages and remote (3T) kabupaten have small classes; a few % of schools end up < 5.
    median = median * np.where(schools.urban[school], 1.0, 0.6)
    median = median * np.where(country.is_3t[kab], 0.7, 1.0)
    cohort = median * rng.lognormal(0, COHORT_SIGMA, len(school))
    grade = np.where(bentuk == B["pkbm"], GRADE_PAKET[jenjang], GRADE[jenjang])
    effect = _school_effects(rng, country, schools)
    quality = effect["literacy"] + effect["numeracy"]
    quality = ((quality - quality.mean()) / quality.std()).astype(np.float32)
    names = [*SUBDOMAINS["literacy"], *SUBDOMAINS["numeracy"], *STUDENT_SCALES, *TEACHER_SCALES]
    scale_effect = {name: rng.standard_normal(len(schools), dtype=np.float32) for name in names}
    teachers = MEDIAN_TEACHERS[schools.bentuk] * rng.lognormal(0, 0.35, len(schools))
    teachers = np.clip(np.round(teachers * np.where(schools.urban, 1.0, 0.85)), 5, 19)
    return Model(
        unit_school=school.astype(np.int32),
        unit_jenjang=jenjang.astype(np.int8),
        unit_cohort=cohort,
        unit_eligible=~np.isin(bentuk, EXCLUDED),
        unit_grade=grade.astype(np.int16),
        effect=effect,
        quality=quality,
        scale_effect=scale_effect,
        teachers=teachers.astype(np.int64),
    )


def _offers(rng: np.random.Generator, schools: Schools) -> np.ndarray:
    """Which jenjang each school is tested at (schools x 3, bool)."""
    n = len(schools)
    level = np.array([0, 0, 0, 1, 1, 1, 2, 2, 2, 2, -1, -1])[schools.bentuk]
    offers = np.zeros((n, 3), dtype=bool)
    regular = level >= 0
    offers[np.flatnonzero(regular), level[regular]] = True
    # SLB satu atap: SD level always, SMP level usually, SMA level often; tanpa jenjang: one.
    slb = schools.bentuk == B["slb"]
    atap = slb & schools.satu_atap
    draw = rng.random((n, 3))
    offers[atap] = np.column_stack([np.ones(n, bool), draw[:, 1] < 0.85, draw[:, 2] < 0.6])[atap]
    single = slb & ~schools.satu_atap
    offers[np.flatnonzero(single), rng.integers(0, 3, n)[single]] = True
    # PKBM: Paket C nearly always, B often, A sometimes; at least one.
    pkbm = schools.bentuk == B["pkbm"]
    paket = draw < np.array([0.35, 0.6, 0.9])
    paket[~paket.any(axis=1), 2] = True
    offers[pkbm] = paket[pkbm]
    return offers


def _school_effects(
    rng: np.random.Generator, country: Country, schools: Schools
) -> dict[str, np.ndarray]:
    n = len(schools)
    base = (
        country.learning[schools.kab]
        + 0.22 * schools.ses
        + 0.08 * schools.urban
        + 0.05 * schools.negeri
    )
    own = rng.normal(0, 0.33, n)
    literacy = base + EFFECT_LITERACY[schools.bentuk] + own
    # Numeracy shares most of the school's own effect with literacy (schools good at one are
    # usually good at both).
    numeracy = base + EFFECT_NUMERACY[schools.bentuk] + 0.8 * own + rng.normal(0, 0.2, n)
    return {"literacy": literacy.astype(np.float32), "numeracy": numeracy.astype(np.float32)}


@dataclass
class Year:
    """One AN year's sample: students per unit and each student's latent abilities."""

    year: int
    unit_n: np.ndarray  # sampled students per unit
    student_unit: np.ndarray  # int32
    gender_p: np.ndarray  # bool, girl
    ses: np.ndarray  # float32
    theta: dict[str, np.ndarray]  # domain -> float32 latent ability, intercept included
    intercept: dict[str, np.ndarray]  # domain -> per jenjang

    def __len__(self) -> int:
        return len(self.student_unit)


def draw_year(model: Model, schools: Schools, seed: int, year: int) -> Year:
    """Sample the year's students and calibrate its intercepts."""
    rng = stream(seed, "students", year)
    cohort = model.unit_cohort * rng.lognormal(0, 0.12, len(model.unit_cohort))
    unit_n = np.minimum(CAP[model.unit_jenjang], np.maximum(1, np.round(cohort))).astype(np.int64)
    student_unit = np.repeat(np.arange(len(unit_n), dtype=np.int32), unit_n)
    n = len(student_unit)
    school = model.unit_school[student_unit]
    gender_p = rng.random(n, dtype=np.float32) < 0.5
    noise = rng.standard_normal(n, dtype=np.float32)
    school_ses = schools.ses[school]
    ses = np.float32(0.75) * school_ses + np.float32(0.66) * noise  # SD about 1, like schools
    theta: dict[str, np.ndarray] = {}
    own = rng.standard_normal(n, dtype=np.float32)
    for domain in DOMAINS:
        school_year = rng.normal(0, 0.10, len(schools)).astype(np.float32)
        if domain == "numeracy":  # a student strong in one domain is usually strong in both
            own = np.float32(0.7) * own + np.float32(0.714) * rng.standard_normal(n, np.float32)
        gender = np.where(gender_p, GENDER_EFFECT[domain], -GENDER_EFFECT[domain])
        theta[domain] = (
            model.effect[domain][school]
            + school_year[school]
            + np.float32(0.08) * noise  # richer homes within the school do a little better
            + gender.astype(np.float32)
            + np.float32(0.75) * own
        )
    del school
    intercept = _calibrate(model, year, unit_n, student_unit, theta)
    return Year(year, unit_n, student_unit, gender_p, ses, theta, intercept)


def _calibrate(
    model: Model,
    year: int,
    unit_n: np.ndarray,
    student_unit: np.ndarray,
    theta: dict[str, np.ndarray],
) -> dict[str, np.ndarray]:
    """Solve and add the intercept per jenjang and domain (theta is updated in place)."""
    eligible = model.unit_eligible & (unit_n >= MIN_STUDENTS)
    weight = np.where(eligible, 1.0 / unit_n, 0.0)
    bounds = np.searchsorted(model.unit_jenjang[student_unit], np.arange(4))
    intercept = {domain: np.zeros(3) for domain in DOMAINS}
    for j in range(3):
        block = slice(bounds[j], bounds[j + 1])
        n_units = int(np.sum(eligible & (model.unit_jenjang == j)))
        if n_units == 0:
            continue
        w = weight[student_unit[block]]
        for domain in DOMAINS:
            mu = solve_intercept(theta[domain][block], w, n_units, target(domain, year, j))
            theta[domain][block] += np.float32(mu)
            intercept[domain][j] = mu
    return intercept


def student_chunks(
    model: Model, schools: Schools, data: Year, seed: int, tally: dict
) -> Iterator[pa.Table]:
    """The year's `an_students` rows, CHUNK at a time; level-3+ counts go into `tally`."""
    hits = {domain: np.zeros(len(data.unit_n), dtype=np.int64) for domain in DOMAINS}
    for index, start in enumerate(range(0, len(data), CHUNK)):
        rows = slice(start, min(start + CHUNK, len(data)))
        table, levels = _student_chunk(model, schools, data, seed, index, rows)
        for domain in DOMAINS:
            hits[domain] += np.bincount(
                data.student_unit[rows], weights=levels[domain] >= 3, minlength=len(data.unit_n)
            ).astype(np.int64)
        yield table
    tally[data.year] = _national_values(model, data, hits)


def _student_chunk(
    model: Model, schools: Schools, data: Year, seed: int, index: int, rows: slice
) -> tuple[pa.Table, dict[str, np.ndarray]]:
    rng = stream(seed, "students-chunk", data.year, index)
    unit = data.student_unit[rows]
    school = model.unit_school[unit]
    n = len(unit)
    columns: dict[str, pa.Array | np.ndarray] = {
        "year": np.full(n, data.year, dtype=np.int16),
        "npsn": schools.npsn.take(pa.array(school)),
        "student_id": _ids(f"AN{data.year}-", rows.start, n),
        "jenjang": pa.array(np.array(JENJANG)).take(pa.array(model.unit_jenjang[unit])),
        "grade": model.unit_grade[unit],
        "gender": pa.array(np.array(["L", "P"])).take(pa.array(data.gender_p[rows].view(np.int8))),
        "ses_index": np.round(data.ses[rows], 3),
    }
    levels = {}
    scores = {}
    for domain in DOMAINS:
        score = _round(SCORE_CENTRE + SCORE_SCALE * data.theta[domain][rows])
        level = (1 + np.searchsorted(LEVEL_CUTS, score, side="right")).astype(np.int16)
        columns[f"{domain}_score"], columns[f"{domain}_level"] = score, level
        for name, offset in SUBDOMAINS[domain].items():
            school_part = np.float32(2.5) * model.scale_effect[name][school]
            columns[name] = _round(score + offset + school_part + _normal(rng, n, 6.0))
        levels[domain], scores[domain] = level, score
    quality = model.quality[school]
    columns["character_index"] = _round(
        58.0
        + survey_drift(seed, "character_index", data.year)
        + np.float32(4.0) * quality
        + np.float32(2.0) * data.gender_p[rows]
        + np.float32(0.12) * (scores["literacy"] - 50)
        + _normal(rng, n, 8.0)
    )
    for name, (mean, weight, school_sd, student_sd) in STUDENT_SCALES.items():
        school_part = np.float32(school_sd) * model.scale_effect[name][school]
        columns[name] = _round(
            mean
            + survey_drift(seed, name, data.year)
            + weight * quality
            + school_part
            + _normal(rng, n, student_sd)
        )
    return pa.table(columns), levels


def _national_values(model: Model, data: Year, hits: dict[str, np.ndarray]) -> dict:
    """Realised national values per domain and jenjang (the calibration's definition)."""
    eligible = model.unit_eligible & (data.unit_n >= MIN_STUDENTS)
    values: dict[str, dict[str, float]] = {}
    for domain in DOMAINS:
        pct = 100 * hits[domain] / data.unit_n
        values[domain] = {
            name: round(float(pct[eligible & (model.unit_jenjang == j)].mean()), 2)
            for j, name in enumerate(JENJANG)
            if np.any(eligible & (model.unit_jenjang == j))
        }
    return values


def teacher_table(model: Model, schools: Schools, seed: int, year: int) -> pa.Table:
    """The year's `an_teachers` rows: one kepala_sekolah and the responding guru per school."""
    rng = stream(seed, "teachers", year)
    n_schools = len(schools)
    guru = np.clip(model.teachers + rng.integers(-1, 2, n_schools), 5, 19)
    count = guru + 1
    school = np.repeat(np.arange(n_schools, dtype=np.int32), count)
    start = np.concatenate([[0], np.cumsum(count)[:-1]])
    head = np.zeros(len(school), dtype=bool)
    head[start] = True  # the first respondent of each school is its principal
    n = len(school)
    columns: dict[str, pa.Array | np.ndarray] = {
        "year": np.full(n, year, dtype=np.int16),
        "npsn": schools.npsn.take(pa.array(school)),
        "respondent_id": _ids(f"GTK{year}-", 0, n),
        "role": pa.array(np.array(["guru", "kepala_sekolah"])).take(pa.array(head.view(np.int8))),
    }
    quality = model.quality[school]
    for name, (mean, bonus) in TEACHER_SCALES.items():
        school_part = np.float32(4.0) * model.scale_effect[name][school]
        yearly = rng.normal(0, 1.5, n_schools).astype(np.float32)[school]
        columns[name] = _round(
            mean
            + survey_drift(seed, name, year)
            + np.float32(3.0) * quality
            + school_part
            + yearly
            + np.float32(bonus) * head
            + _normal(rng, n, 9.0)
        )
    return pa.table(columns)


def survey_drift(seed: int, scale: str, year: int) -> np.float32:
    """How far a survey scale has moved nationally since 2023, in points."""
    if year == 2023:  # the year the national targets are for
        return np.float32(0)
    key = zlib.crc32(scale.encode())
    per_year = stream(seed, "survey-drift", key).normal(SURVEY_DRIFT, SURVEY_DRIFT_SD)
    wobble = stream(seed, "survey-wobble", key, year).normal(0, SURVEY_WOBBLE_SD)
    return np.float32(per_year * (year - 2023) + wobble)


def _normal(rng: np.random.Generator, n: int, sd: float) -> np.ndarray:
    return np.float32(sd) * rng.standard_normal(n, dtype=np.float32)


def _round(values: np.ndarray) -> np.ndarray:
    """Clip to the 0-100 scale and round to 0.01 (few distinct values: cheap to store)."""
    return np.round(np.clip(values, 0, 100), 2).astype(np.float32)


def _ids(prefix: str, first: int, n: int) -> pa.Array:
    """`AN2023-00000001`, … (unique within a year)."""
    number = pc.cast(pa.array(np.arange(first + 1, first + n + 1)), pa.string())
    return pc.binary_join_element_wise(prefix, pc.utf8_lpad(number, width=8, padding="0"), "")
