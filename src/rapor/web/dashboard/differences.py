"""Whether two values on a page really differ: "Naik / Turun / Tetap" against the previous year,
and "lebih tinggi / lebih rendah / tidak berbeda secara bermakna" in comparisons.

AN student values are sampled, so a difference smaller than their sampling error is not called a
change (rapor.uncertainty, docs/uncertainty.md). A census value (teachers) or a BPS rate has no
sampling error: it differs when the difference shows at the two decimals on screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext

from rapor.uncertainty import differs

SHOWN_DECIMALS = 2


@dataclass(frozen=True)
class Difference:
    points: float  # the first value minus the second, on the indicator's scale
    meaningful: bool  # beyond sampling error (or, without one, visible on screen)

    @property
    def direction(self) -> str:
        """`naik` (higher), `turun` (lower) or `tetap` (no meaningful difference)."""
        if not self.meaningful:
            return "tetap"
        return "naik" if self.points > 0 else "turun"

    @property
    def size(self) -> float:
        return abs(self.points)

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
    points = value - other
    if not sampled:
        return Difference(points, round(abs(points), SHOWN_DECIMALS) > 0)
    meaningful = differs(value, std_error, other, other_std_error, covariance)
    return None if meaningful is None else Difference(points, meaningful)
