"""The loaded catalogue: frozen, typed objects built from the YAML files."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Literal, TypeVar

from rapor.catalogue.tables import build_pipeline_tables

Respondent = Literal["siswa", "guru", "penduduk"]
EntityType = Literal["sekolah", "kabkota", "provinsi", "nasional"]
T = TypeVar("T")
# Values are banded rounded to this many decimals (the pipeline's marts do the same): float sums
# in a different order (40 vs 39.99999999999999) must not change a label.
LABEL_DECIMALS = 9


@dataclass(frozen=True)
class Text:
    """A bilingual text: Indonesian (`id`, the default language) and English (`en`)."""

    id: str
    en: str

    def get(self, language: str = "id") -> str:
        return self.en if language == "en" else self.id


@dataclass(frozen=True)
class Dimension:
    code: str
    role: Literal["input", "process", "output"]
    name: Text
    description: Text


@dataclass(frozen=True)
class Instrument:
    code: str
    name: Text


@dataclass(frozen=True)
class Source:
    code: str
    name: Text
    publisher: Text
    description: Text
    instruments: tuple[Instrument, ...]


@dataclass(frozen=True)
class Band:
    """One value band of a label set: [lower_bound, upper_bound); None means unbounded."""

    key: str
    order: int  # 1 = lowest band
    lower_bound: float | None
    upper_bound: float | None
    label: Text
    colour: str
    narrative: Text

    def contains(self, value: float) -> bool:
        """Whether the band holds `value` rounded to `LABEL_DECIMALS`, as the pipeline bands it."""
        value = round(value, LABEL_DECIMALS)
        above_lower = self.lower_bound is None or value >= self.lower_bound
        below_upper = self.upper_bound is None or value < self.upper_bound
        return above_lower and below_upper


def _band_for(bands: tuple[Band, ...], value: float | None) -> Band | None:
    # A missing value (no data, suppressed cell) has no label rather than the lowest one.
    if value is None or math.isnan(value):
        return None
    return next((band for band in bands if band.contains(value)), None)


@dataclass(frozen=True)
class LabelSet:
    key: str
    name: Text
    bands: tuple[Band, ...]  # ascending; narratives are the set's defaults

    def band_for(self, value: float | None) -> Band | None:
        return _band_for(self.bands, value)


@dataclass(frozen=True)
class Participation:
    """How a population-based indicator is computed from BPS population and enrolment."""

    formula: Literal["apk", "aps", "apm"]
    age_min: int
    age_max: int
    jenjang: str  # the jenjang enrolled at (APK, APM); APS counts any jenjang


@dataclass(frozen=True)
class Indicator:
    code: str
    parent_code: str | None
    dimension: str
    name: Text
    definition: Text
    calculation: Text | None
    respondent: Respondent
    source: str
    instruments: tuple[str, ...]
    measure: str | None  # respondent-level 0-100 measure; None for population indicators
    participation: Participation | None
    unit: Literal["persen", "skor"]
    scale_min: float
    scale_max: float | None  # None: can exceed 100 (APK counts over-age students)
    levels: tuple[EntityType, ...]
    jenjang: tuple[str, ...]
    label_set: str
    bands: tuple[Band, ...]  # the label set's bands with this indicator's narratives
    ability_distribution: str | None
    breakdown: str | None
    sort_order: int
    sub_indicators: tuple[Indicator, ...] = ()

    def band_for(self, value: float | None) -> Band | None:
        return _band_for(self.bands, value)

    def walk(self) -> tuple[Indicator, ...]:
        """This indicator followed by its sub-indicators, in catalogue order."""
        return (self, *self.sub_indicators)


@dataclass(frozen=True)
class AbilityLevel:
    level: int
    key: str
    label: Text
    colour: str
    description: Text


@dataclass(frozen=True)
class AbilityDistribution:
    """The share of students at each AKM ability level, for one domain."""

    key: str
    name: Text
    level_measure: str  # respondent-level column holding the level (1-4)
    levels: tuple[AbilityLevel, ...]  # descriptions specific to this domain


@dataclass(frozen=True)
class Bentuk:
    code: str
    name: str
    full_name: Text
    is_school: bool  # a school form in Dapodik/EMIS
    is_programme: bool  # offered by the "Satuan Pendidikan" filter


@dataclass(frozen=True)
class JenjangGroup:
    key: str
    name: Text
    bentuk: tuple[str, ...]  # programme bentuk codes


@dataclass(frozen=True)
class FilterOption:
    key: str
    name: Text


@dataclass(frozen=True)
class Programme:
    school_bentuk: str
    jenjang: str
    programme_bentuk: str


@dataclass(frozen=True)
class Filters:
    bentuk: tuple[Bentuk, ...]
    jenjang: tuple[JenjangGroup, ...]
    status_all: FilterOption
    status: tuple[FilterOption, ...]
    programmes: tuple[Programme, ...]
    region_excluded_school_bentuk: tuple[str, ...]
    region_excluded_note: Text

    def jenjang_group(self, key: str) -> JenjangGroup:
        return _lookup(self.jenjang, key, lambda group: group.key, "jenjang")

    def bentuk_by_code(self, code: str) -> Bentuk:
        return _lookup(self.bentuk, code, lambda bentuk: bentuk.code, "bentuk")


@dataclass(frozen=True)
class Catalogue:
    version: str
    checksum: str  # sha256 of the YAML files, so a release can prove which catalogue it used
    dimensions: tuple[Dimension, ...]
    sources: tuple[Source, ...]
    indicators: tuple[Indicator, ...]  # top level; sub-indicators hang below each
    label_sets: tuple[LabelSet, ...]
    ability_levels: tuple[AbilityLevel, ...]
    ability_distributions: tuple[AbilityDistribution, ...]
    filters: Filters

    @cached_property
    def all_indicators(self) -> tuple[Indicator, ...]:
        """Every indicator and sub-indicator, in catalogue order."""
        return tuple(each for indicator in self.indicators for each in indicator.walk())

    @cached_property
    def _by_code(self) -> dict[str, Indicator]:
        return {indicator.code: indicator for indicator in self.all_indicators}

    def indicator(self, code: str) -> Indicator:
        """The indicator or sub-indicator with this code; KeyError if there is none."""
        try:
            return self._by_code[code]
        except KeyError:
            raise KeyError(f"unknown indicator code {code!r}") from None

    def label_for(self, code: str, value: float | None) -> Band | None:
        """The band (label, colour, narrative) of `value` for indicator `code`; None if no value."""
        return self.indicator(code).band_for(value)

    def dimension(self, code: str) -> Dimension:
        return _lookup(self.dimensions, code, lambda dimension: dimension.code, "dimension")

    def source(self, code: str) -> Source:
        return _lookup(self.sources, code, lambda source: source.code, "source")

    def label_set(self, key: str) -> LabelSet:
        return _lookup(self.label_sets, key, lambda label_set: label_set.key, "label set")

    def ability_distribution(self, key: str) -> AbilityDistribution:
        return _lookup(
            self.ability_distributions, key, lambda dist: dist.key, "ability distribution"
        )

    def pipeline_tables(self) -> dict[str, list[dict[str, object]]]:
        """The catalogue as plain rows, one list per `cat_*` table the pipeline loads."""
        return build_pipeline_tables(self)


def _lookup(items: tuple[T, ...], key: str, key_of: Callable[[T], str], what: str) -> T:
    for item in items:
        if key_of(item) == key:
            return item
    raise KeyError(f"unknown {what} {key!r}")
