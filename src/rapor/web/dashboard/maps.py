"""The choropleth of a region's children: the nation's provinces, or a province's kab/kota; a
kab/kota's pages show its province's kab/kota, itself marked, so it sees where it stands.

Each region is coloured by the label band of its value, as the cards colour labels; withheld or
missing values get a neutral colour. The same rows make the table that screen readers and pages
without JavaScript read, and the map script colours the boundaries from that table.

A region outside the account's scope (a kab/kota account's neighbours) shows what the open data
publishes of it, no more: its values, except those withheld so that no value of one or two
schools can be read or worked out (`opendata.disclosure`).
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
from rapor.web.opendata.tables import tables_of
from rapor.web.query import single_param
from rapor.web.release_data import Filter, Region, ReleaseData

# The level whose regions a page's map shows.
MAP_LEVEL = {"nasional": "provinsi", "provinsi": "kabkota", "kabkota": "kabkota"}
# "Data tidak mencukupi": grey, away from the bands' red, amber and green; 4.8:1 on white.
NO_DATA_COLOUR = "#667085"


@dataclass(frozen=True)
class MapArea:
    region: Region
    figure: Figure | None  # None: no row for this filter, or withheld outside the scope
    url: str  # empty: outside the account's scope, so no link
    current: bool = False  # the region of the page (a kab/kota among its neighbours)

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
    parent: Region  # whose children are shown

    @property
    def shows_public_values(self) -> bool:
        """Whether some region is outside the account's scope (shown as the open data is)."""
        return any(not area.url for area in self.areas)

    @property
    def bands(self) -> tuple[Band, ...]:
        return self.indicator.bands

    @property
    def no_data_colour(self) -> str:
        return NO_DATA_COLOUR


def map_choices(place: Region, jenjang: str) -> list[Indicator]:
    """The indicators a region's map can show for a jenjang."""
    level = MAP_LEVEL[place.level]
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
        if set(MAP_LEVEL.values()) & set(indicator.levels)
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
    """The map of `place`'s children (a kab/kota: its province's) for an indicator under the
    selection; links (`url_of`) and values withheld from the open data only for the regions in
    `linked`. None for an indicator not published for them."""
    level = MAP_LEVEL[place.level]
    if level not in indicator.levels:
        return None
    parent = mapped_region(data, place)
    # Participation is about an age group's population: it has no bentuk or status.
    filter_ = (
        selection.filter if indicator.participation is None else Filter(selection.filter.jenjang)
    )
    rows = data.child_values(parent, filter_, indicator.code)
    year = _year(rows, selection.year, indicator)
    by_code = {row["entity_code"]: row for row in rows if row["year"] == year}
    children = data.children(parent.code)
    # Participation rates count people, not schools: no school's value to withhold.
    withheld = (
        tables_of(data.release).withheld
        if indicator.participation is None and any(c.code not in linked for c in children)
        else frozenset()
    )
    cell = (year, filter_.jenjang, filter_.bentuk, filter_.status)
    areas = tuple(
        MapArea(
            child,
            figure_from_row(by_code[child.code])
            if child.code in by_code
            and (child.code in linked or (level, child.code, *cell) not in withheld)
            else None,
            url_of(child) if child.code in linked else "",
            current=child.code == place.code,
        )
        for child in children
    )
    boundaries = (
        "rapor/maps/provinsi.json"
        if level == "provinsi"
        else f"rapor/maps/kabkota-{parent.code}.json"
    )
    return RegionMap(indicator, year, level, boundaries, areas, parent)


def mapped_region(data: ReleaseData, place: Region) -> Region:
    """The region whose children a page's map shows: the place, or a kab/kota's province."""
    return data.region(place.parent_code) if place.level == "kabkota" else place


def linked_children(data: ReleaseData, place: Region, scope: Scope) -> frozenset[str]:
    """The regions on the place's map the account may open: the map links only to those."""
    children = data.children(mapped_region(data, place).code)
    return frozenset(child.code for child in children if scope.allows_region(child.code))


def _year(rows: tuple[dict, ...], year: int, indicator: Indicator) -> int:
    """The selected year; for participation (BPS publishes a year after AN) the newest year up
    to it that has data, as the participation cards show."""
    if indicator.participation is None:
        return year
    years = [row["year"] for row in rows if row["year"] <= year]
    return max(years, default=year)
