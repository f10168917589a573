"""The equity lens of a learning indicator: the gap between two groups of students (girls and
boys, the richest and poorest fifth, negeri and swasta, urban and rural), each group's value
with its 95 % interval, and whether the gap is beyond sampling error (docs/equity.md)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from rapor.web.dashboard.differences import Difference, difference

# Per dimension, the two groups compared: the gap is the first's value minus the second's.
PAIRS = (
    ("gender", "P", "L"),
    ("ses_quintile", "5", "1"),
    ("status", "negeri", "swasta"),
    ("lokasi", "perkotaan", "perdesaan"),
)
DIMENSION_NAMES = {
    "gender": _("Jenis kelamin"),
    "ses_quintile": _("Sosial ekonomi peserta didik"),
    "status": _("Status satuan pendidikan"),
    "lokasi": _("Lokasi satuan pendidikan"),
}
GROUP_NAMES = {
    ("gender", "P"): _("Perempuan"),
    ("gender", "L"): _("Laki-laki"),
    ("ses_quintile", "5"): _("20% teratas"),
    ("ses_quintile", "1"): _("20% terbawah"),
    ("status", "negeri"): _("Negeri"),
    ("status", "swasta"): _("Swasta"),
    ("lokasi", "perkotaan"): _("Perkotaan"),
    ("lokasi", "perdesaan"): _("Perdesaan"),
}


@dataclass(frozen=True)
class Group:
    name: str
    value: float | None  # None: too few students ("Data tidak mencukupi") or none at all
    ci_lower: float | None
    ci_upper: float | None
    std_error: float | None
    n_students: int


@dataclass(frozen=True)
class Gap:
    key: str  # gender, ses_quintile, status, lokasi
    dimension: str
    first: Group
    second: Group
    difference: Difference | None  # first minus second; None when either has no value


def gaps(rows: tuple[dict, ...]) -> list[Gap]:
    """The gaps of one entity, indicator and year from its `equity_groups` rows; a dimension
    with no row (a school has no status or lokasi groups) is left out."""
    by_key = {(row["dimension"], row["group_key"]): row for row in rows}
    found = []
    for dimension, first_key, second_key in PAIRS:
        if not any(key[0] == dimension for key in by_key):
            continue
        first = _group(dimension, first_key, by_key.get((dimension, first_key)))
        second = _group(dimension, second_key, by_key.get((dimension, second_key)))
        # The two groups are different students, sampled apart.
        gap = difference(True, first.value, first.std_error, second.value, second.std_error)
        found.append(Gap(dimension, str(DIMENSION_NAMES[dimension]), first, second, gap))
    return found


def _group(dimension: str, key: str, row: dict | None) -> Group:
    name = str(GROUP_NAMES[(dimension, key)])
    if row is None:
        return Group(name, None, None, None, None, 0)
    return Group(
        name, row["value"], row["ci_lower"], row["ci_upper"], row["std_error"], row["n_students"]
    )
