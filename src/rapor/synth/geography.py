"""The synthetic country: the shipped kab/kota list with the attributes the model needs.

Province attributes are a hand-written table (approximate BPS 2023 figures, rounded; the learning,
madrasah and participation columns are modelling choices, not published statistics). Kab/kota
attributes are drawn around their province's values from a seed-specific stream, so a `small`
country is exactly the same two provinces as in the `national` one.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources

import numpy as np

from rapor.synth.rng import stream

# code: (population 2023 in millions, poverty rate %, urban population %, learning effect in
# student-SD units, madrasah density factor). Population and poverty are BPS 2023 (March) figures
# rounded; urban share is the 2020 census share rounded; learning effect is how far the province's
# schools sit from the national mean before school SES is taken into account (Papua lowest; DI
# Yogyakarta, DKI Jakarta and Bali highest, as in published AN results); madrasah factor scales
# MI/MTs/MA density (high in Aceh, East Java, Banten, NTB; near zero in Bali, NTT and Papua).
PROVINCES: dict[str, tuple[float, float, float, float, float]] = {
    "11": (5.48, 14.45, 31, -0.05, 1.6),
    "12": (15.39, 8.15, 55, -0.10, 0.8),
    "13": (5.64, 5.95, 50, 0.05, 1.0),
    "14": (6.64, 6.68, 40, 0.00, 1.1),
    "15": (3.68, 7.58, 35, -0.05, 1.2),
    "16": (8.74, 11.78, 38, -0.05, 1.0),
    "17": (2.09, 14.04, 33, -0.05, 0.9),
    "18": (9.31, 11.11, 30, -0.05, 1.2),
    "19": (1.49, 4.52, 58, 0.00, 0.6),
    "21": (2.15, 5.69, 83, 0.10, 0.6),
    "31": (10.67, 4.44, 100, 0.20, 0.9),
    "32": (49.86, 7.62, 78, 0.05, 1.3),
    "33": (37.54, 10.77, 53, 0.10, 1.3),
    "34": (3.74, 11.04, 72, 0.35, 0.8),
    "35": (41.53, 10.35, 57, 0.10, 1.7),
    "36": (12.31, 6.17, 68, 0.00, 1.6),
    "51": (4.39, 4.25, 68, 0.25, 0.08),
    "52": (5.56, 13.85, 50, -0.15, 2.0),
    "53": (5.57, 19.96, 25, -0.30, 0.12),
    "61": (5.62, 6.71, 32, -0.20, 0.7),
    "62": (2.74, 5.11, 38, -0.15, 0.6),
    "63": (4.18, 4.29, 45, -0.10, 1.5),
    "64": (3.94, 6.11, 66, 0.10, 0.8),
    "65": (0.72, 6.45, 57, -0.05, 0.6),
    "71": (2.66, 7.38, 51, 0.00, 0.2),
    "72": (3.09, 12.41, 28, -0.20, 0.9),
    "73": (9.36, 8.70, 42, -0.05, 1.2),
    "74": (2.75, 11.43, 33, -0.15, 0.9),
    "75": (1.20, 15.15, 38, -0.20, 1.3),
    "76": (1.45, 11.49, 25, -0.25, 1.3),
    "81": (1.91, 16.42, 40, -0.25, 0.5),
    "82": (1.34, 6.46, 30, -0.25, 0.9),
    "91": (1.06, 26.03, 45, -0.35, 0.12),
    "92": (0.56, 20.49, 35, -0.35, 0.25),
    "93": (0.53, 20.20, 25, -0.45, 0.15),
    "94": (1.45, 29.76, 15, -0.60, 0.10),
    "95": (1.45, 34.88, 7, -0.75, 0.03),
    "96": (0.61, 18.13, 45, -0.35, 0.30),
}

# Wealth beyond what the poverty rate shows (Jakarta's incomes, Kaltim's mining, Yogyakarta's
# education levels), in wealth-index units.
WEALTH_BUMP = {"31": 1.0, "21": 0.4, "64": 0.5, "34": 0.6, "51": 0.2}

# School participation beyond wealth, on the logit scale (Papua highlands far lower).
PARTICIPATION = {
    "95": -2.0,
    "94": -1.5,
    "93": -0.8,
    "91": -0.5,
    "92": -0.5,
    "96": -0.5,
    "53": -0.3,
    "76": -0.2,
    "81": -0.1,
    "82": -0.1,
    "34": 0.4,
    "31": 0.2,
}

# Probability that a kabupaten is designated 3T (tertinggal, terdepan, terluar); kota never are.
P_3T = {
    "95": 0.95,
    "94": 0.90,
    "93": 0.80,
    "91": 0.70,
    "92": 0.70,
    "96": 0.70,
    "53": 0.65,
    "81": 0.45,
    "82": 0.45,
    "76": 0.30,
    "72": 0.15,
    "52": 0.15,
    "74": 0.10,
    "61": 0.10,
    "62": 0.05,
}
P_3T_DEFAULT = 0.02
P_3T_NONE = ("31", "32", "33", "34", "35", "36", "51")  # Java and Bali have no 3T kabupaten

# Tiny kab/kota whose population a lognormal share would overstate.
POPULATION_SHARE_OVERRIDE = {"31.01": 0.003}  # Kepulauan Seribu

SMALL_PROVINCES = ("34", "94")  # DI Yogyakarta and Papua Tengah: the contrasting pair
NATIONAL_POVERTY_PCT = 9.36  # BPS March 2023


@dataclass(frozen=True)
class Country:
    """Kab/kota of the generated country, one entry per kab/kota (arrays aligned by index)."""

    code: np.ndarray  # str
    name: np.ndarray  # str
    province: np.ndarray  # str, province code
    is_kota: np.ndarray  # bool
    population: np.ndarray  # float64, total persons in the base year
    poverty_pct: np.ndarray  # float64, base-year poverty rate
    urban_pct: np.ndarray  # float64
    wealth: np.ndarray  # float64, roughly a z-score across kab/kota
    learning: np.ndarray  # float64, province learning effect
    madrasah: np.ndarray  # float64, province madrasah factor
    participation: np.ndarray  # float64, logit shift for school attendance
    is_3t: np.ndarray  # bool

    def __len__(self) -> int:
        return len(self.code)

    def take(self, index: np.ndarray) -> Country:
        """The country restricted to the kab/kota at `index`."""
        return Country(**{name: getattr(self, name)[index] for name in self.__dataclass_fields__})


def read_regions() -> list[dict[str, str]]:
    """Rows of the shipped `regions.csv`."""
    text = resources.files("rapor.reference").joinpath("regions.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def national_country(seed: int) -> Country:
    """All 514 kab/kota of `regions.csv` with their drawn attributes."""
    return _national([row for row in read_regions() if row["level"] == "kabkota"], seed)


def for_scale(national: Country, scale: str) -> Country:
    """The kab/kota a `scale` generates: all of them, or the two provinces of `small`."""
    if scale == "national":
        return national
    if scale == "small":
        return national.take(np.flatnonzero(np.isin(national.province, SMALL_PROVINCES)))
    raise ValueError(f"unknown scale {scale!r}: use 'small' or 'national'")


def _national(rows: list[dict[str, str]], seed: int) -> Country:
    rng = stream(seed, "geography")
    code = np.array([row["code"] for row in rows])
    name = np.array([row["name"] for row in rows])
    province = np.array([row["parent_code"] for row in rows])
    is_kota = np.char.startswith(name, "Kota ")
    table = np.array([PROVINCES[p] for p in province])
    population = _population(rng, code, province, is_kota, table[:, 0])
    urban_pct = _urban(rng, province, is_kota, population, table[:, 2])
    poverty_pct = _poverty(rng, province, is_kota, population, table[:, 1])
    bump = np.array([WEALTH_BUMP.get(p, 0.0) for p in province])
    # Log poverty is the backbone of wealth; urbanity adds to it (kota are richer than kabupaten).
    raw = -np.log(poverty_pct / NATIONAL_POVERTY_PCT) + bump + (urban_pct - 50) / 100
    # Standardised over the population so 0 is the average Indonesian's kab/kota.
    mean = np.average(raw, weights=population)
    wealth = (raw - mean) / np.sqrt(np.average((raw - mean) ** 2, weights=population))
    participation = np.array([PARTICIPATION.get(p, 0.0) for p in province]) + 0.2 * wealth
    p3t = np.array([0.0 if p in P_3T_NONE else P_3T.get(p, P_3T_DEFAULT) for p in province])
    is_3t = (rng.random(len(code)) < p3t) & ~is_kota
    participation -= 0.3 * is_3t
    return Country(
        code=code,
        name=name,
        province=province,
        is_kota=is_kota,
        population=population,
        poverty_pct=poverty_pct,
        urban_pct=urban_pct,
        wealth=wealth,
        learning=table[:, 3],
        madrasah=table[:, 4],
        participation=participation,
        is_3t=is_3t,
    )


def _population(
    rng: np.random.Generator,
    code: np.ndarray,
    province: np.ndarray,
    is_kota: np.ndarray,
    province_millions: np.ndarray,
) -> np.ndarray:
    # Kab/kota shares of their province are lognormal; kota are on average smaller.
    share = rng.lognormal(0.0, 0.6, len(code)) * np.where(is_kota, 0.7, 1.0)
    fixed = np.array([POPULATION_SHARE_OVERRIDE.get(kab, np.nan) for kab in code])
    is_fixed = ~np.isnan(fixed)
    free = 1 - _group_sum(province, np.where(is_fixed, fixed, 0.0))
    share = np.where(is_fixed, 0.0, share)
    share = np.where(is_fixed, fixed, share / _group_sum(province, share) * free)
    return share * province_millions * 1e6


def _urban(
    rng: np.random.Generator,
    province: np.ndarray,
    is_kota: np.ndarray,
    population: np.ndarray,
    province_pct: np.ndarray,
) -> np.ndarray:
    kota = np.clip(rng.normal(94, 4, len(province)), 80, 100)
    kota[province == "31"] = 100
    # Solve the kabupaten level so the province's population-weighted share matches the table.
    kota_pop = _group_sum(province, population * is_kota)
    all_pop = _group_sum(province, population)
    kota_pct = _group_sum(province, population * is_kota * kota) / np.maximum(kota_pop, 1)
    kab_share = 1 - kota_pop / all_pop
    kab_level = (province_pct - (1 - kab_share) * kota_pct) / np.maximum(kab_share, 1e-9)
    kab = np.clip(np.clip(kab_level, 3, 90) * rng.lognormal(0, 0.35, len(province)), 2, 95)
    return np.round(np.where(is_kota, kota, kab), 2)


def _poverty(
    rng: np.random.Generator,
    province: np.ndarray,
    is_kota: np.ndarray,
    population: np.ndarray,
    province_pct: np.ndarray,
) -> np.ndarray:
    relative = rng.lognormal(0, 0.3, len(province)) * np.where(is_kota, 0.55, 1.0)
    # Rescale so the province's population-weighted poverty rate is the table value.
    mean = _group_sum(province, population * relative) / _group_sum(province, population)
    return np.clip(province_pct * relative / mean, 1.0, 45.0)


def _group_sum(group: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Per-element sum of `values` over the element's group."""
    _, inverse = np.unique(group, return_inverse=True)
    return np.bincount(inverse, weights=values)[inverse]
