"""Whether two values on a page really differ: "Naik / Turun / Tetap" against the previous year,
and "lebih tinggi / lebih rendah / tidak berbeda secara bermakna" in comparisons.

AN student values are sampled, so a difference smaller than their sampling error is not called a
change (rapor.uncertainty, docs/uncertainty.md). A census value (teachers) or a BPS rate has no
sampling error: it differs when the two values on screen differ.

The size of a difference is that of the two values as printed (two decimals, half up), so a
reader who subtracts them gets the number the page gives: 75,01 → 77,25 is "Naik 2,24 poin",
although the unrounded values are 2.2498 apart. Whether it is meaningful is judged on the
unrounded values.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext

from rapor.uncertainty import differs
from rapor.web.numbers import rounded_half_up

SHOWN_DECIMALS = 2


@dataclass(frozen=True)
class Difference:
    points: float  # the first value minus the second, on the indicator's scale
    meaningful: bool  # beyond sampling error (or, without one, visible on screen)
    size: float  # how far apart the two values are as printed (never negative)

    @property
    def direction(self) -> str:
        """`naik` (higher), `turun` (lower) or `tetap` (no meaningful difference)."""
        if not self.meaningful:
            return "tetap"
        return "naik" if self.points > 0 else "turun"

    @property
    def verdict(self) -> str:
        """A compared value's verdict: higher or lower by so many points, or no meaningful
        difference."""
        points = {"points": floatformat(self.size, SHOWN_DECIMALS)}
        if self.direction == "naik":
            return gettext("Lebih tinggi %(points)s poin") % points
        if self.direction == "turun":
            return gettext("Lebih rendah %(points)s poin") % points
        return gettext("Tidak berbeda secara bermakna")


def difference(
    sampled: bool,
    value: float | None,
    std_error: float | None,
    other: float | None,
    other_std_error: float | None,
    covariance: float = 0,
) -> Difference | None:
    """`value` against `other`, both `sampled` or both not; None when either is missing (or,
    sampled, has no standard error: then nothing honest can be said)."""
    if value is None or other is None:
        return None
    size = shown_difference(value, other)
    if not sampled:
        return Difference(value - other, size > 0, size)
    meaningful = differs(value, std_error, other, other_std_error, covariance)
    return None if meaningful is None else Difference(value - other, meaningful, size)


def shown_difference(value: float, other: float) -> float:
    """How far apart two values are as the pages print them."""
    return float(abs(printed(value) - printed(other)))


def printed(value: float) -> Decimal:
    """A value as the pages print it (`fixed_places`): two decimals, rounded half up from its
    shortest decimal form."""
    return Decimal(rounded_half_up(value, SHOWN_DECIMALS))
