"""The choropleth of a region's children: the nation's provinces, or a province's kab/kota.

Each child is coloured by the label band of its value, as the cards colour labels; withheld or
missing values get a neutral colour. The same rows make the table that screen readers and pages
without JavaScript read, and the map script colours the boundaries from that table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import BadRequest
from django.http import QueryDict
from django.utils.translation import gettext as _

from rapor.catalogue import load_catalogue
from rapor.catalogue.model import Band, Indicator
from rapor.web.accounts.scope import Scope
from rapor.web.dashboard.figures import Figure, figure_from_row
from rapor.web.dashboard.filters import Selection
from rapor.web.query import single_param
from rapor.web.release_data import Filter, Region, ReleaseData

# The level whose regions a page's map shows.
CHILD_LEVEL = {"nasional": "provinsi", "provinsi": "kabkota"}
# "Data tidak mencukupi": grey, away from the bands' red, amber and green; 4.8:1 on white.
NO_DATA_COLOUR = "#667085"


@dataclass(frozen=True)
class MapArea:
    region: Region
    figure: Figure | None  # None: no row for this filter
    url: str  # empty: outside the account's scope, so no link

    @property
    def has_value(self) -> bool:
        return self.figure is not None and not self.figure.suppressed

    @property
    def colour(self) -> str:
        band = self.figure.band if self.has_value else None
        return band.colour if band else NO_DATA_COLOUR


@dataclass(frozen=True)
class RegionMap:
    indicator: Indicator
    year: int
    level: str  # of the regions shown: provinsi or kabkota
    boundaries: str  # the static path of their GeoJSON
    areas: tuple[MapArea, ...]

    @property
    def bands(self) -> tuple[Band, ...]:
        return self.indicator.bands

    @property
    def no_data_colour(self) -> str:
        return NO_DATA_COLOUR


def map_choices(place: Region, jenjang: str) -> list[Indicator]:
    """The indicators a region's map can show for a jenjang (none for a kab/kota)."""
    level = CHILD_LEVEL.get(place.level)
    return [
        indicator
        for indicator in load_catalogue().indicators
        if level in indicator.levels and jenjang in indicator.jenjang
    ]


def chosen_indicator(query: QueryDict, place: Region, jenjang: str) -> Indicator | None:
    """The indicator of Beranda's map (`peta`): the one asked for, or the jenjang's first
    literacy/numeracy one. Unknown codes are a 400; a known one the jenjang lacks (left over
    after changing the jenjang) falls back to the default."""
    asked = single_param(query, "peta")
    region_indicators = {
        indicator.code
        for indicator in load_catalogue().indicators
        if set(CHILD_LEVEL.values()) & set(indicator.levels)
    }
    if asked and asked not in region_indicators:
        raise BadRequest(_("Indikator peta tidak dikenal."))
    choices = map_choices(place, jenjang)
    return next((i for i in choices if i.code == asked), default_indicator(place, jenjang))


def default_indicator(place: Region, jenjang: str) -> Indicator | None:
    """The map's indicator when none is asked for: the first literacy/numeracy one."""
    choices = map_choices(place, jenjang)
    return next((i for i in choices if i.ability_distribution), choices[0] if choices else None)


def region_map(
    data: ReleaseData,
    place: Region,
    selection: Selection,
    indicator: Indicator,
    linked: frozenset[str],
    url_of: Callable[[Region], str],
) -> RegionMap | None:
    """The map of `place`'s children for an indicator under the selection; links (`url_of`)
    only for the children in `linked`. None for a kab/kota, which has no children, and for an
    indicator not published for them."""
    level = CHILD_LEVEL.get(place.level)
    if level not in indicator.levels:
        return None
    # Participation is about an age group's population: it has no bentuk or status.
    filter_ = (
        selection.filter if indicator.participation is None else Filter(selection.filter.jenjang)
    )
    rows = data.child_values(place, filter_, indicator.code)
    year = _year(rows, selection.year, indicator)
    by_code = {row["entity_code"]: row for row in rows if row["year"] == year}
    areas = tuple(
        MapArea(
            child,
            figure_from_row(by_code[child.code]) if child.code in by_code else None,
            url_of(child) if child.code in linked else "",
        )
        for child in data.children(place.code)
    )
    boundaries = (
        "rapor/maps/provinsi.json"
        if level == "provinsi"
        else f"rapor/maps/kabkota-{place.code}.json"
    )
    return RegionMap(indicator, year, level, boundaries, areas)


def linked_children(data: ReleaseData, place: Region, scope: Scope) -> frozenset[str]:
    """The children of a region the account may open: the map links only to those."""
    return frozenset(
        child.code for child in data.children(place.code) if scope.allows_region(child.code)
    )


def _year(rows: tuple[dict, ...], year: int, indicator: Indicator) -> int:
    """The selected year; for participation (BPS publishes a year after AN) the newest year up
    to it that has data, as the participation cards show."""
    if indicator.participation is None:
        return year
    years = [row["year"] for row in rows if row["year"] <= year]
    return max(years, default=year)
