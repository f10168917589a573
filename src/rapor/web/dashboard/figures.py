"""Release rows → what a card or table shows: value, label and colour, year, source, counts.

Every figure on screen is built here, so each carries its indicator code, data year, source and
the number of schools, students or teachers behind it, and says why when it is withheld.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, override, pgettext_lazy

from rapor.catalogue import load_catalogue
from rapor.catalogue.model import Band, Indicator
from rapor.web.dashboard.differences import Difference, difference
from rapor.web.numbers import grouped
from rapor.web.rendering import page_language

SUPPRESSION_REASONS = {
    "few_respondents": _("responden kurang dari batas minimum"),
    "all_schools_suppressed": _("tidak ada satuan pendidikan dengan data yang cukup"),
    "no_population": _("data penduduk BPS tidak tersedia"),
}

# The rank fifths of the release's `rank_bands`, 1 (the top 20 %) to 5: the real report's
# "Peringkat" bands.
RANK_FIFTHS = (
    pgettext_lazy("peringkat", "Atas"),
    pgettext_lazy("peringkat", "Menengah atas"),
    pgettext_lazy("peringkat", "Menengah"),
    pgettext_lazy("peringkat", "Menengah bawah"),
    pgettext_lazy("peringkat", "Bawah"),
)


RANK_COLUMNS = {
    scope: (f"rank_{scope}", f"ranked_{scope}", f"fifth_{scope}")
    for scope in ("in_region", "in_nation")
}


# Rank and Figure are made for every row a page shows (some fifty on a region's Beranda) and never
# changed after: slotted and not frozen, because a frozen dataclass sets each field through
# object.__setattr__, which made building them about twice as slow.
@dataclass(slots=True)
class Rank:
    """Where a value stands among those of its kind: `rank` of `ranked` (1 is the highest), and
    its fifth (1-5; none when too few are ranked)."""

    rank: int
    ranked: int
    fifth: int | None

    @classmethod
    def from_row(cls, row: dict, scope: str) -> Rank | None:
        """The rank `in_region` or `in_nation` of a release row, if it has one."""
        rank, ranked, fifth = RANK_COLUMNS[scope]  # every figure asks: no names built per call
        if row.get(rank) is None:
            return None
        return cls(row[rank], row[ranked], row[fifth])

    @property
    def text(self) -> str:
        """ "Atas (3 dari 41)", or "3 dari 4" without a fifth, in the reader's language."""
        position = _("%(rank)s dari %(ranked)s") % {
            "rank": grouped(self.rank),
            "ranked": grouped(self.ranked),
        }
        if self.fifth is None:
            return position
        return f"{RANK_FIFTHS[self.fifth - 1]} ({position})"


# A subject's rank columns, by its kind: within its region (none for a province, ranked in the
# nation only), then in the nation.
RANK_SCOPES = {
    "nasional": (),
    "provinsi": (("in_nation", _("Peringkat secara Nasional")),),
    "kabkota": (
        ("in_region", _("Peringkat di Provinsi")),
        ("in_nation", _("Peringkat secara Nasional")),
    ),
    "sekolah": (
        ("in_region", _("Peringkat di Kab./Kota")),
        ("in_nation", _("Peringkat secara Nasional")),
    ),
}

# Whom a subject of each kind is ranked among.
RANKED_AMONG = {
    "provinsi": _("provinsi di Indonesia untuk jenjang yang sama"),
    "kabkota": _(
        "kabupaten/kota di provinsinya dan di Indonesia untuk jenjang yang sama (semua bentuk "
        "dan status)"
    ),
    "sekolah": _(
        "satuan pendidikan sejenjang (semua bentuk dan status) di kabupaten/kota yang sama dan "
        "di Indonesia yang dihitung dalam nilai wilayah"
    ),
}


@dataclass(slots=True)
class Figure:
    indicator: Indicator
    year: int
    value: float | None
    band: Band | None
    suppressed: bool
    suppression_reason: str
    n_schools: int | None
    n_students: int | None
    n_teachers: int | None
    peer_value: float | None = None
    n_peers: int | None = None
    peer_group: str | None = None
    # Sampled (AN student) values only: the standard error and 95 % interval; the peer mean's.
    std_error: float | None = None
    ci_lower: float | None = None
    ci_upper: float | None = None
    peer_std_error: float | None = None
    is_school: bool = False  # a school's own value: "1 satuan pendidikan" says nothing
    published_label: str = ""  # the release's Indonesian label, if the catalogue lacks the band
    # Among schools of its jenjang (a school) or regions of its level: within its kab/kota or
    # province, and in the nation.
    rank_in_region: Rank | None = None
    rank_in_nation: Rank | None = None

    @property
    def shows_school_count(self) -> bool:
        return bool(self.n_schools) and not self.is_school

    @property
    def counts(self) -> list[str]:
        """The schools, students and teachers behind the value, e.g. "1.234 peserta didik"."""
        texts = []
        if self.shows_school_count:
            texts.append(schools_text(self.n_schools))
        if self.n_students:
            texts.append(_count_text(page_language(), "students", self.n_students))
        if self.n_teachers:
            texts.append(_count_text(page_language(), "teachers", self.n_teachers))
        return texts

    @property
    def name(self) -> str:
        return self.indicator.name.get(page_language())

    @property
    def definition(self) -> str:
        return self.indicator.definition.get(page_language())

    @property
    def source(self) -> str:
        return load_catalogue().source(self.indicator.source).name.get(page_language())

    @property
    def label(self) -> str:
        return self.band.label.get(page_language()) if self.band else self.published_label

    @property
    def narrative(self) -> str:
        return self.band.narrative.get(page_language()) if self.band else ""

    @property
    def reason(self) -> str:
        return str(SUPPRESSION_REASONS.get(self.suppression_reason, ""))

    @property
    def is_percent(self) -> bool:
        return self.indicator.unit == "persen"

    @property
    def is_sampled(self) -> bool:
        """From the AN's sample of students (teachers answer as a census; BPS is not ours)."""
        return self.indicator.respondent == "siswa"

    def against(
        self, other: float | None, other_std_error: float | None, covariance: float = 0
    ) -> Difference | None:
        """This value against another of the same indicator (rapor.web.dashboard.differences)."""
        return difference(
            self.is_sampled, self.value, self.std_error, other, other_std_error, covariance
        )

    def ranks(self, kind: str) -> list[tuple[str, Rank | None]]:
        """The rank columns of a subject of this `kind` (RANK_SCOPES): each heading with this
        figure's rank, or None where it has none (a sub-indicator, a filtered value)."""
        return [
            (str(heading), getattr(self, f"rank_{scope}")) for scope, heading in RANK_SCOPES[kind]
        ]

    @property
    def peer_difference(self) -> Difference | None:
        """This value against its peers' mean ("Satuan Pendidikan Serupa"): the peers are
        other schools or regions, sampled apart from this one."""
        return self.against(self.peer_value, self.peer_std_error)


def schools_text(count: int) -> str:
    """ "1.234 satuan pendidikan" in the reader's language: every count of schools on a page or in
    a workbook, digits grouped as the language groups them."""
    return _count_text(page_language(), "schools", count)


@functools.lru_cache(maxsize=8192)
def _count_text(language: str, counted: str, count: int) -> str:
    """A count of schools, students or teachers as its text in `language`, remembered: a school
    list prints a hundred counts, mostly small ones that repeat, and `ngettext` costs ~5 µs."""
    with override(language):
        if counted == "schools":
            text = ngettext(
                "%(count_text)s satuan pendidikan", "%(count_text)s satuan pendidikan", count
            )
        elif counted == "students":
            text = ngettext("%(count_text)s peserta didik", "%(count_text)s peserta didik", count)
        else:
            text = ngettext(
                "%(count_text)s guru dan kepala sekolah",
                "%(count_text)s guru dan kepala sekolah",
                count,
            )
        return text % {"count_text": grouped(count)}


def figure_from_row(row: dict) -> Figure:
    indicator = load_catalogue().indicator(row["indicator"])
    return Figure(
        indicator=indicator,
        year=row["year"],
        value=row["value"],
        # The release's own label, so the page shows exactly what was published.
        band=_band(indicator, row["label_key"]),
        suppressed=bool(row["suppressed"]),
        suppression_reason=row["suppression_reason"] or "",
        n_schools=row.get("n_schools"),
        n_students=row.get("n_students"),
        n_teachers=row.get("n_teachers"),
        peer_value=row.get("peer_value"),
        n_peers=row.get("n_peers"),
        peer_group=row.get("peer_group"),
        # .get: a school list row carries no interval or peer figures.
        std_error=row.get("std_error"),
        ci_lower=row.get("ci_lower"),
        ci_upper=row.get("ci_upper"),
        peer_std_error=row.get("peer_std_error"),
        is_school=row.get("entity_type", "sekolah") == "sekolah",
        published_label=row.get("label") or "",
        rank_in_region=Rank.from_row(row, "in_region"),
        rank_in_nation=Rank.from_row(row, "in_nation"),
    )


def _band(indicator: Indicator, key: str | None) -> Band | None:
    """The indicator's band of a published label key (None: no label, or one the catalogue
    lacks): looked up in a table made once per indicator, as every figure of a page asks."""
    return _bands_by_key(indicator.code).get(key)


@functools.cache
def _bands_by_key(code: str) -> dict[str, Band]:
    return {band.key: band for band in load_catalogue().indicator(code).bands}


class FigureTable:
    """An entity's rows for one filter, looked up by indicator code and year. Each row becomes
    a Figure once: a card asks for its year's figure and then for the whole series."""

    def __init__(self, rows: Iterable[dict]) -> None:
        self._rows = {(row["indicator"], row["year"]): row for row in rows}
        self._years: dict[str, list[int]] = {}
        for indicator, year in sorted(self._rows):
            self._years.setdefault(indicator, []).append(year)
        self._figures: dict[tuple[str, int], Figure | None] = {}

    def get(self, code: str, year: int) -> Figure | None:
        key = (code, year)
        if key not in self._figures:
            row = self._rows.get(key)
            self._figures[key] = figure_from_row(row) if row else None
        return self._figures[key]

    def series(self, code: str) -> list[Figure]:
        """Every year's figure, oldest first."""
        return [figure for year in self._years.get(code, ()) if (figure := self.get(code, year))]


def bands_text(indicator: Indicator) -> str:
    """The value ranges of an indicator's labels, in the reader's language: "Baik 70 ke atas;
    Sedang 40 sampai di bawah 70; Kurang di bawah 40"."""
    return "; ".join(_band_text(band) for band in indicator.bands)


def _band_text(band: Band) -> str:
    label = band.label.get(page_language())
    low, high = _bound(band.lower_bound), _bound(band.upper_bound)
    if band.lower_bound is None and band.upper_bound is None:
        return label
    if band.lower_bound is None:
        return _("%(label)s di bawah %(high)s") % {"label": label, "high": high}
    if band.upper_bound is None:
        return _("%(label)s %(low)s ke atas") % {"label": label, "low": low}
    return _("%(label)s %(low)s sampai di bawah %(high)s") % {
        "label": label,
        "low": low,
        "high": high,
    }


def _bound(value: float | None) -> str:
    """A band bound as written in the reader's language (70, 2,5 / 2.5)."""
    if value is None:
        return ""
    text = f"{value:g}"
    return text.replace(".", ",") if page_language() == "id" else text
