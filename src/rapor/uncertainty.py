"""95 % intervals and the test of a difference between two sampled values (docs/uncertainty.md).

The pipeline publishes each sampled value's standard error and interval with this `INTERVAL_Z`;
the web asks `differs` before it says one value is higher or lower than another."""

from __future__ import annotations

import math
from statistics import NormalDist

INTERVAL_LEVEL = 0.95
INTERVAL_Z = NormalDist().inv_cdf(1 - (1 - INTERVAL_LEVEL) / 2)


def differs(
    a: float, a_std_error: float | None, b: float, b_std_error: float | None, covariance: float = 0
) -> bool | None:
    """Whether `a` and `b` differ beyond their sampling error (a two-sided test at the interval's
    level); None when either has no standard error (a census or a figure published without one).
    `covariance` is that of the two estimates, when one's schools are inside the other's."""
    if a_std_error is None or b_std_error is None:
        return None
    variance = a_std_error**2 + b_std_error**2 - 2 * covariance
    return abs(a - b) > INTERVAL_Z * math.sqrt(max(variance, 0.0))


def normal_interval(value: float, std_error: float) -> tuple[float, float]:
    """A mean's interval, value ± z standard errors, within the 0-100 scale every sampled
    student measure has (the rule the pipeline applies to region values)."""
    half = INTERVAL_Z * std_error
    return max(value - half, 0.0), min(value + half, 100.0)


def nested_covariance(part_std_error: float, part_schools: int, whole_schools: int) -> float:
    """The covariance of a mean over `part_schools` schools and a mean over `whole_schools`
    schools that include them, each school's sampling independent of the others'."""
    return part_schools * part_std_error**2 / whole_schools
