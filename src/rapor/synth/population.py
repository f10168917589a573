"""BPS tables: population and school attendance by age and SES quintile, kab/kota profiles.

Attendance is a logit model per kab/kota, age and quintile: a national rate per age (chosen so
APS 7-15 ≈ 99.1, 16-18 ≈ 73.2, 5-6 ≈ 69.5 as published for 2023) shifted by the quintile (the
gradient steepens with age) and by the kab/kota's participation effect (wealth, Papua, 3T). A
per-age intercept is solved so the country's rate equals the national one exactly. Attenders
are split over jenjang by a national table per age, mixed with the next-younger age's split
for poor households and poor places (more grade delay) and the next-older one for rich ones.
Nationally this gives APK SD ≈ 106, SMP ≈ 93, SMA ≈ 83 and APM SD ≈ 96, SMP ≈ 79, SMA ≈ 60.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from rapor.synth.geography import Country
from rapor.synth.rng import stream

AGES = np.arange(5, 25)
QUINTILES = np.arange(1, 6)
LEVELS = ("paud", "dasar", "menengah_pertama", "menengah", "tinggi")
NATIONAL_5_24 = 85e6  # persons aged 5-24 in 2023 (BPS projection, rounded)
BASE_YEAR = 2023
# Attendance rises a little each year (on the log-odds scale: 17-year-olds by ~1 point a year),
# and each kab/kota moves by a little of its own.
ATTENDANCE_TREND = 0.05
ATTENDANCE_WOBBLE_SD = 0.08

# National share of each age attending school (any level), ages 5 to 24.
ATTENDANCE = {
    5: 0.55,
    6: 0.84,
    **dict.fromkeys(range(7, 13), 0.997),
    13: 0.988,
    14: 0.980,
    15: 0.965,
    16: 0.86,
    17: 0.74,
    18: 0.595,
    19: 0.45,
    20: 0.36,
    21: 0.30,
    22: 0.25,
    23: 0.18,
    24: 0.12,
}
# Attenders of each age by level attended (paud, dasar, menengah_pertama, menengah, tinggi).
SPLIT = {
    5: (1.0, 0, 0, 0, 0),
    6: (0.70, 0.30, 0, 0, 0),
    7: (0.04, 0.96, 0, 0, 0),
    8: (0, 1.0, 0, 0, 0),
    9: (0, 1.0, 0, 0, 0),
    10: (0, 1.0, 0, 0, 0),
    11: (0, 1.0, 0, 0, 0),
    12: (0, 0.88, 0.12, 0, 0),
    13: (0, 0.22, 0.78, 0, 0),
    14: (0, 0.06, 0.92, 0.02, 0),
    15: (0, 0.02, 0.80, 0.18, 0),
    16: (0, 0.01, 0.20, 0.79, 0),
    17: (0, 0, 0.06, 0.92, 0.02),
    18: (0, 0, 0.02, 0.80, 0.18),
    19: (0, 0, 0.01, 0.50, 0.49),
    20: (0, 0, 0, 0.30, 0.70),
    21: (0, 0, 0, 0.20, 0.80),
    22: (0, 0, 0, 0.15, 0.85),
    23: (0, 0, 0, 0.15, 0.85),
    24: (0, 0, 0, 0.15, 0.85),
}
QUINTILE_EFFECT = np.array([-1.0, -0.5, 0.0, 0.5, 1.0])  # logit units before the age slope
# How strongly the quintile matters by age: weak while school is compulsory, strong after.
QUINTILE_SLOPE = np.select(
    [AGES <= 6, AGES <= 12, AGES <= 15, AGES <= 18], [0.6, 0.7, 0.9, 1.1], 1.3
)
# Regional differences weigh less once school is no longer compulsory (a logit shift moves
# a rate near 99 % far less than one near 70 %).
REGION_SLOPE = np.where(AGES <= 15, 1.0, 0.6)
# Mix with the younger age's split (> 0, grade delay) or the older one's (< 0); about zero on
# average over the country's children.
DELAY = np.array([0.15, 0.05, -0.03, -0.10, -0.15])
# Children live disproportionately in poorer households (national quintiles of households).
CHILD_QUINTILE_SHARE = np.array([0.24, 0.215, 0.20, 0.18, 0.165])


def population(country: Country, national: Country, seed: int, year: int) -> np.ndarray:
    """Persons per kab/kota x age x quintile in `year` (float, before rounding)."""
    rng = stream(seed, "population")  # the same base pattern every year
    young = _young(country) * NATIONAL_5_24 / _young(national).sum()
    age_weight = 1 + 0.002 * (14.5 - AGES)  # slightly larger younger cohorts
    age_weight = age_weight / age_weight.sum()
    quintile = _quintile_shares(country, _quintile_factors(national))
    base = young[:, None, None] * age_weight[None, :, None] * quintile[:, None, :]
    base = base * rng.lognormal(0, 0.03, base.shape)
    yearly = stream(seed, "population", year).lognormal(0, 0.01, base.shape)
    return base * yearly * (1 + 0.004 * (year - BASE_YEAR))


def _quintile_shares(country: Country, factors: np.ndarray) -> np.ndarray:
    """Share of each kab/kota's children per national quintile (rows sum to 1)."""
    # Quintiles are national: a poor kab/kota has most of its children in Q1, a rich one in Q5.
    shares = np.exp(0.55 * country.wealth[:, None] * (QUINTILES - 3)[None, :]) * factors
    return shares / shares.sum(axis=1, keepdims=True)


def _quintile_factors(national: Country) -> np.ndarray:
    """Column factors that make the national shares CHILD_QUINTILE_SHARE (raking)."""
    young = _young(national)
    factors = np.ones(len(QUINTILES))
    for _ in range(50):
        shares = np.average(_quintile_shares(national, factors), axis=0, weights=young)
        factors = factors * CHILD_QUINTILE_SHARE / shares
    return factors


def _young(country: Country) -> np.ndarray:
    # Poorer provinces are younger (share of 5-24 in the population ≈ 28 % to 37 %).
    share = np.clip(0.30 + 0.0035 * (country.poverty_pct - 9.36), 0.27, 0.38)
    return country.population * share


def population_table(country: Country, year: int, persons: np.ndarray) -> pa.Table:
    """`bps_population` rows for one year."""
    k, a, q = np.indices(persons.shape).reshape(3, -1)
    return pa.table(
        {
            "kabkota_code": pa.array(country.code).take(pa.array(k)),
            "year": np.full(len(k), year, dtype=np.int16),
            "age": AGES[a].astype(np.int16),
            "ses_quintile": QUINTILES[q].astype(np.int16),
            "population": np.round(persons.reshape(-1)).astype(np.int32),
        }
    )


def enrolment_table(country: Country, seed: int, year: int, persons: np.ndarray) -> pa.Table:
    """`bps_enrolment` rows for one year (cells with nobody attending are left out)."""
    counts = np.round(persons)
    attending = np.round(counts * _attendance(country, seed, year, counts))
    share = _split(country)  # kab x age x quintile x level
    cumulative = np.round(attending[..., None] * np.cumsum(share, axis=-1))
    students = np.diff(cumulative, axis=-1, prepend=0).astype(np.int32)
    k, a, q, level = np.nonzero(students)
    return pa.table(
        {
            "kabkota_code": pa.array(country.code).take(pa.array(k)),
            "year": np.full(len(k), year, dtype=np.int16),
            "age": AGES[a].astype(np.int16),
            "ses_quintile": QUINTILES[q].astype(np.int16),
            "jenjang": pa.array(np.array(LEVELS)).take(pa.array(level)),
            "students": students[k, a, q, level],
        }
    )


def _attendance(country: Country, seed: int, year: int, counts: np.ndarray) -> np.ndarray:
    """Attendance probability per cell, with a per-age intercept solved on `counts` so that the
    nation attends at the year's rate."""
    base = np.array([ATTENDANCE[age] for age in AGES])
    national = _expit(np.log(base / (1 - base)) + ATTENDANCE_TREND * (year - BASE_YEAR))
    wobble = stream(seed, "attendance", year).normal(0, ATTENDANCE_WOBBLE_SD, len(country))
    shift = (
        REGION_SLOPE[None, :, None] * country.participation[:, None, None]
        + wobble[:, None, None]
        + QUINTILE_SLOPE[None, :, None] * QUINTILE_EFFECT[None, None, :]
        + np.log(national / (1 - national))[None, :, None]
    )
    weight = counts / np.maximum(counts.sum(axis=(0, 2), keepdims=True), 1)
    lo, hi = np.full(len(AGES), -10.0), np.full(len(AGES), 10.0)
    for _ in range(60):  # bisection on all ages at once; rate is increasing in the intercept
        mid = (lo + hi) / 2
        rate = (weight * _expit(shift + mid[None, :, None])).sum(axis=(0, 2))
        low = rate < national
        lo, hi = np.where(low, mid, lo), np.where(low, hi, mid)
    return _expit(shift + ((lo + hi) / 2)[None, :, None])


def _split(country: Country) -> np.ndarray:
    table = np.array([SPLIT[age] for age in AGES])
    younger = np.vstack([table[:1], table[:-1]])
    older = np.vstack([table[1:], table[-1:]])
    delay = np.clip(DELAY[None, :] - 0.05 * country.wealth[:, None], -0.3, 0.3)  # kab x quintile
    delay = np.where((AGES >= 8)[None, :, None], delay[:, None, :], 0.0)  # kab x age x quintile
    towards = np.where(delay[..., None] > 0, younger[None, :, None, :], older[None, :, None, :])
    d = np.abs(delay)[..., None]
    return (1 - d) * table[None, :, None, :] + d * towards


def profile_table(country: Country, seed: int, year: int) -> pa.Table:
    """`bps_kabkota_profile` rows for one year: poverty falls and towns grow slowly."""
    rng = stream(seed, "profile", year)
    poverty = country.poverty_pct * (1 - 0.025 * (year - BASE_YEAR))
    poverty = poverty * rng.lognormal(0, 0.03, len(country))
    urban = np.clip(country.urban_pct + 0.3 * (year - BASE_YEAR), 0, 100)
    return pa.table(
        {
            "kabkota_code": pa.array(country.code),
            "year": np.full(len(country), year, dtype=np.int16),
            "poverty_rate_pct": np.round(np.clip(poverty, 0, 100), 2).astype(np.float32),
            "urban_population_pct": np.round(urban, 2).astype(np.float32),
            "is_3t": pa.array(country.is_3t),
        }
    )


def _expit(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))
