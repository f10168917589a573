"""National AKM targets and the solver that places each year's intercept on them.

The "national value" of a domain, year and jenjang is the mean over schools (bentuk not slb or
pkbm, at least MIN_STUDENTS sampled at that jenjang) of the school's % of students at level 3
or 4. Literacy 2021 and 2023 are the published Rapor Pendidikan figures (SD 53.42 → 61.53, SMP
51.37 → 59.00, SMA 53.85 → 49.26); 2022 and 2024 and all numeracy figures are plausible
interpolations, not published statistics.
"""

from __future__ import annotations

import numpy as np

JENJANG = ("dasar", "menengah_pertama", "menengah")
DOMAINS = ("literacy", "numeracy")
MIN_STUDENTS = 5  # schools with fewer sampled students are suppressed downstream

# (domain, year) -> national value per jenjang (dasar, menengah_pertama, menengah).
TARGETS: dict[tuple[str, int], tuple[float, float, float]] = {
    ("literacy", 2021): (53.42, 51.37, 53.85),
    ("literacy", 2022): (57.50, 55.40, 51.50),
    ("literacy", 2023): (61.53, 59.00, 49.26),
    ("literacy", 2024): (63.00, 60.50, 50.50),
    ("numeracy", 2021): (49.00, 35.00, 42.50),
    ("numeracy", 2022): (52.00, 37.50, 41.50),
    ("numeracy", 2023): (55.00, 40.00, 40.00),
    ("numeracy", 2024): (56.50, 41.50, 40.80),
}
DRIFT_PER_YEAR = 0.5  # outside the table, values keep improving slowly from the nearest year


def target(domain: str, year: int, jenjang: int) -> float:
    """Target national value (0-100) for `domain` in `year` at jenjang index `jenjang`."""
    years = sorted(y for d, y in TARGETS if d == domain)
    nearest = min(years, key=lambda y: abs(y - year))
    value = TARGETS[(domain, nearest)][jenjang] + DRIFT_PER_YEAR * (year - nearest)
    return float(np.clip(value, 5.0, 95.0))


def solve_intercept(
    theta: np.ndarray, weight: np.ndarray, n_units: int, target_pct: float
) -> float:
    """Shift `mu` such that sum(weight * [theta + mu >= 0]) / n_units equals `target_pct` / 100.

    `weight` is 1 / (sampled students of the unit) for students of eligible units and 0 for the
    rest, so the sum is the mean over units of their share at level 3+. The weighted share is
    read off a fine histogram of theta (one pass, bins of 0.00025 SD), which places the
    intercept within a hundredth of a percentage point.
    """
    lo, hi, bins = -10.0, 10.0, 1 << 16
    width = (hi - lo) / bins
    index = np.clip(((theta - lo) / width).astype(np.int64), 0, bins - 1)
    mass = np.bincount(index, weights=weight, minlength=bins)
    # share[k]: weighted share with theta at or above the lower edge of bin k.
    share = np.cumsum(mass[::-1])[::-1] / n_units
    k = int(np.searchsorted(-share, -target_pct / 100, side="right")) - 1
    return -(lo + max(k, 0) * width)
