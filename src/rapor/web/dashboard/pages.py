"""The content of each dashboard page, assembled from release lookups and the catalogue.

Views stay small: they check scope and parse input, then ask here for the page's context.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.core.exceptions import BadRequest
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from rapor.catalogue import load_catalogue
from rapor.catalogue.model import Dimension, Indicator
from rapor.uncertainty import nested_covariance, normal_interval
from rapor.web.accounts.scope import Scope
from rapor.web.dashboard.differences import Difference
from rapor.web.dashboard.equity import gaps
from rapor.web.dashboard.figures import (
    RANK_SCOPES,
    RANKED_AMONG,
    Figure,
    FigureTable,
    figure_from_row,
    schools_text,
)
from rapor.web.dashboard.filters import ALL, Selection, bentuk_name
from rapor.web.dashboard.maps import RegionMap, default_indicator, map_choices, region_map
from rapor.web.dashboard.trends import Sparkline, sparkline, year_chart, yearly_changes
from rapor.web.jinja_environment import url
from rapor.web.release_data import NATIONAL_CODE, Filter, Region, ReleaseData, SchoolQuery

LEVEL_NAMES = {
    "nasional": _("Nasional"),
    "provinsi": _("Provinsi"),
    "kabkota": _("Kabupaten/Kota"),
}
LEARNING = ("A.1", "A.2", "A.3")
CLIMATE = ("D.4", "D.5", "D.6", "D.8")


@dataclass(frozen=True)
class Card:
    indicator: Indicator
    figure: Figure | None  # None: no school under this filter in this region
    trend: Sparkline | None  # None: fewer than two years with a value


def card(table: FigureTable, indicator: Indicator, year: int) -> Card:
    """An indicator's card for `year`, with its line over every year of the release."""
    return Card(
        indicator, table.get(indicator.code, year), sparkline(table.series(indicator.code), year)
    )


@dataclass(frozen=True)
class ParticipationCard:
    indicator: Indicator
    figure: Figure | None  # the selected year's value, or the newest before it
    is_latest: bool  # False: "Data Terbaru Belum Tersedia"
    by_ses: tuple[dict, ...]
    trend: Sparkline | None  # the line marks the year of `figure`


@dataclass(frozen=True)
class Comparison:
    label: str
    value: float | None
    detail: str = ""
    std_error: float | None = None
    ci_lower: float | None = None
    ci_upper: float | None = None
    n_schools: int | None = None  # a region average: the schools it is the mean of
    difference: Difference | None = None  # the page's own value minus this one
    members: tuple[str, ...] = ()  # similar regions: their names


def peers_compared(
    label: str,
    value: float | None,
    std_error: float | None,
    detail: str,
    members: tuple[str, ...] = (),
) -> Comparison:
    """The peers' ("serupa") mean, with its interval when the values are sampled."""
    lower = upper = None
    if value is not None and std_error is not None:
        lower, upper = normal_interval(value, std_error)
    return Comparison(label, value, detail, std_error, lower, upper, members=members)


def compared(label: str, figure: Figure | None, detail: str = "") -> Comparison:
    """A comparison row of a figure: its value, interval and the schools behind it."""
    if figure is None:
        return Comparison(label, None, detail)
    return Comparison(
        label,
        figure.value,
        detail,
        figure.std_error,
        figure.ci_lower,
        figure.ci_upper,
        figure.n_schools,
    )


def against(subject: Figure, others: list[Comparison], inside: int) -> list[Comparison]:
    """`others` with the subject's difference from each. A region average holds `inside` of
    the subject's schools (a region's own, or the one school if it counts in region values), so
    the two share that sampling error."""
    rows = []
    for other in others:
        covariance = 0.0
        if other.n_schools and subject.std_error is not None:
            covariance = nested_covariance(subject.std_error, inside, other.n_schools)
        difference = subject.against(other.value, other.std_error, covariance)
        rows.append(replace(other, difference=difference))
    return rows


def region_context(
    data: ReleaseData,
    place: Region,
    selection: Selection,
    scope: Scope,
    map_indicator: Indicator | None,
    linked: frozenset[str],
) -> dict:
    """Beranda of a region; its map shows `map_indicator`, linking to the children in `linked`."""
    catalogue = load_catalogue()
    jenjang = selection.filter.jenjang
    # The filter form and the map's links keep a map indicator other than the default.
    kept_map = None if map_indicator == default_indicator(place, jenjang) else map_indicator
    table = FigureTable(data.values(place, selection.filter))
    groups: list[tuple[Dimension, list[Card]]] = []
    for dimension in catalogue.dimensions:
        cards = [
            card(table, indicator, selection.year)
            for indicator in _region_indicators(place, jenjang)
            if indicator.dimension == dimension.code and indicator.participation is None
        ]
        if cards:
            groups.append((dimension, cards))
    no_counted_schools = bool(groups) and all(
        card.figure is None for _, cards in groups for card in cards
    )
    return {
        "place": place,
        "title": _region_title(place, scope),
        "selection": selection,
        "years": data.years,
        "note": catalogue.filters.region_excluded_note.get(get_language()),
        "participation": _participation_cards(data, place, selection),
        "groups": groups,
        "no_counted_schools": no_counted_schools,
        "uncounted_schools": _uncounted_schools(data, place, selection, groups)
        if no_counted_schools
        else "",
        "map_choices": map_choices(place, jenjang),
        "region_map": _beranda_map(data, place, selection, map_indicator, kept_map, linked),
        "kept_map_indicator": kept_map,
    }


def _uncounted_schools(data: ReleaseData, place: Region, selection: Selection, groups: list) -> str:
    """Where a region whose values count no school of the selection lists the schools it has
    (PKBM, SLB satu atap) with their own values: its first indicator's school list, or nothing
    when it lists none."""
    first = groups[0][1][0].indicator
    if place.level == "nasional" or SchoolList(data, place, selection, first).is_empty():
        return ""
    url = reverse("dashboard:region_indicator", args=[place.code, first.code])
    return f"{url}?{selection.query()}#schools-heading"


def region_indicator_context(
    data: ReleaseData,
    place: Region,
    selection: Selection,
    indicator: Indicator,
    linked: frozenset[str],
) -> dict:
    """An indicator's detail for a region; its map links to the children in `linked`."""
    if selection.filter.jenjang not in indicator.jenjang:
        raise BadRequest(_("Indikator ini tidak tersedia untuk jenjang yang dipilih."))
    table = FigureTable(
        data.values(
            place,
            selection.filter
            if indicator.participation is None
            else Filter(selection.filter.jenjang),
        )
    )
    figure = table.get(indicator.code, selection.year)
    series = table.series(indicator.code)
    is_latest = figure is not None
    if figure is None and indicator.participation is not None:
        # BPS publishes a year later than AN: show the newest year there is, and say so.
        figure = newest_before(table, indicator.code, selection.year)
    context = {
        "place": place,
        "selection": selection,
        "years": data.years,
        "indicator": indicator,
        "figure": figure,
        "is_older": not is_latest and figure is not None,
        "series": yearly_changes(series),
        "series_chart": year_chart(series),
        "subs": [card(table, sub, selection.year) for sub in indicator.sub_indicators],
        "by_ses": _by_ses(data, place, selection.filter.jenjang, indicator, figure),
        "ability": ability(
            data, place.level, place.code, selection.filter, indicator, selection.year
        ),
        "comparisons": region_comparisons(data, place, selection, indicator, figure),
        **ranked(
            figure,
            place.level,
            filtered=indicator.participation is None
            and selection.filter != Filter(selection.filter.jenjang),
        ),
        "equity": gaps(
            data.equity(
                place.level, place.code, selection.filter.jenjang, indicator.code, selection.year
            )
        ),
        "no_counted_schools": figure is None and indicator.participation is None,
        # Regions list their schools; participation is about a population, not schools.
        "has_schools": place.level != "nasional" and indicator.participation is None,
        "region_map": _detail_map(data, place, selection, indicator, linked),
    }
    context["comparison_chart"] = _chart(context["comparisons"])
    return context


def _beranda_map(
    data: ReleaseData,
    place: Region,
    selection: Selection,
    indicator: Indicator | None,
    kept: Indicator | None,
    linked: frozenset[str],
) -> RegionMap | None:
    """Beranda's map: a child links to its own Beranda with the same filters (and the map's
    indicator when it is `kept`, not the default)."""
    if indicator is None:
        return None
    query = selection.query(**({"peta": kept.code} if kept else {}))

    def url_of(child: Region) -> str:
        return f"{url('dashboard:region', child.code)}?{query}"

    return region_map(data, place, selection, indicator, linked, url_of)


def _detail_map(
    data: ReleaseData,
    place: Region,
    selection: Selection,
    indicator: Indicator,
    linked: frozenset[str],
) -> RegionMap | None:
    """A detail page's map: a child links to its detail of the indicator, same filters."""
    query = selection.query()

    def url_of(child: Region) -> str:
        return f"{url('dashboard:region_indicator', child.code, indicator.code)}?{query}"

    return region_map(data, place, selection, indicator, linked, url_of)


def school_level(school: dict, jenjang: str | None) -> str | None:
    """The level (jenjang) of a school to show: the one asked for, or its first; 400 if unknown."""
    levels = school_levels(school)
    if jenjang and jenjang not in levels:
        raise BadRequest(_("Jenjang ini tidak ada di satuan pendidikan tersebut."))
    return jenjang or (levels[0] if levels else None)


def school_context(
    data: ReleaseData, school: dict, level: str | None, year: int, own: bool
) -> dict:
    """A school's page in `year`; `own` when the school account itself reads it (its words
    say "Anda")."""
    rows, levels = _school_level_rows(data, school, level)
    table = FigureTable(rows)
    return {
        **_school_page(data, school, levels, level, year),
        "own": own,
        "learning": [card(table, load_catalogue().indicator(code), year) for code in LEARNING],
        "climate": [card(table, load_catalogue().indicator(code), year) for code in CLIMATE],
        "process": [
            card(table, indicator, year)
            for indicator in load_catalogue().indicators
            if "sekolah" in indicator.levels and indicator.code not in LEARNING + CLIMATE
        ],
    }


def school_indicator_context(
    data: ReleaseData,
    school: dict,
    indicator: Indicator,
    level: str | None,
    year: int,
    own: bool,
) -> dict:
    rows, levels = _school_level_rows(data, school, level)
    table = FigureTable(rows)
    figure = table.get(indicator.code, year)
    series = table.series(indicator.code)
    context = {
        **_school_page(data, school, levels, level, year),
        "indicator": indicator,
        "figure": figure,
        "series": yearly_changes(series),
        "series_chart": year_chart(series),
        "subs": [card(table, sub, year) for sub in indicator.sub_indicators],
        "ability": [],
        "comparisons": [],
        **ranked(figure, "sekolah"),
        "averages_note": "",
        "equity": [],
    }
    row = next((r for r in rows if r["indicator"] == indicator.code and r["year"] == year), None)
    if row is not None:
        # Region averages for the school's own programme bentuk, all statuses.
        selected = Filter(row["jenjang"], row["bentuk"])
        context["ability"] = ability(
            data,
            "sekolah",
            school["npsn"],
            Filter(row["jenjang"], row["bentuk"], row["status"]),
            indicator,
            year,
        )
        others = [
            peers_compared(
                _("Satuan Pendidikan Serupa"),
                row["peer_value"],
                row.get("peer_std_error"),
                schools_text(row["n_peers"] or 0),
            ),
            *averages(
                data,
                [school["kabkota_code"], school["provinsi_code"], NATIONAL_CODE],
                selected,
                indicator.code,
                year,
            ),
        ]
        name = _("Satuan Pendidikan Anda") if own else _("Satuan pendidikan ini")
        if figure is not None:
            others = against(figure, others, int(bool(school["counts_in_region_values"])))
        context["comparisons"] = [compared(name, figure), *others]
        context["averages_note"] = _(
            "Rata-rata kabupaten/kota, provinsi, dan nasional di sini dihitung dari satuan "
            "pendidikan %(bentuk)s saja, bentuk satuan pendidikan ini, sehingga dapat berbeda "
            "dari rata-rata di laman wilayah."
        ) % {"bentuk": bentuk_name(row["bentuk"])}
        context["equity"] = gaps(
            data.equity("sekolah", school["npsn"], row["jenjang"], indicator.code, year)
        )
    context["comparison_chart"] = _chart(context["comparisons"])
    return context


def _school_page(
    data: ReleaseData, school: dict, levels: list, level: str | None, year: int
) -> dict:
    """What both school pages show around their content: the school, its levels, the year,
    and the query that keeps level and year on the links between them."""
    query = QueryDict(mutable=True)
    if level:
        query["jenjang"] = level
    if year != data.years[-1]:
        query["tahun"] = str(year)
    return {
        "school": school,
        "levels": levels,
        "level": level,
        "year": year,
        "years": data.years,
        "page_query": f"?{query.urlencode()}" if query else "",
    }


def _chart(comparisons: list[Comparison]) -> list[dict]:
    """The comparison bars for the chart script, with each one's 95 % interval (none for values
    that are not sampled): the same numbers as the table."""
    return [
        {"name": item.label, "value": item.value, "lower": item.ci_lower, "upper": item.ci_upper}
        for item in comparisons
    ]


def _region_indicators(place: Region, jenjang: str) -> list[Indicator]:
    return [
        indicator
        for indicator in load_catalogue().indicators
        if place.level in indicator.levels and jenjang in indicator.jenjang
    ]


def _region_title(place: Region, scope: Scope) -> str:
    if place.level == "nasional":
        return _("Ringkasan Kualitas Pendidikan Nasional")
    if place.code == scope.region_code:
        if place.level == "provinsi":
            return _("Ringkasan Kualitas Pendidikan Provinsi Anda")
        return _("Ringkasan Kualitas Pendidikan Kabupaten/Kota Anda")
    return _("Ringkasan Kualitas Pendidikan %(level)s") % {"level": LEVEL_NAMES[place.level]}


def _participation_cards(
    data: ReleaseData, place: Region, selection: Selection
) -> list[ParticipationCard]:
    jenjang = selection.filter.jenjang
    # Participation is about the population of an age group: it has no bentuk or status.
    table = FigureTable(data.values(place, Filter(jenjang)))
    cards = []
    for indicator in _region_indicators(place, jenjang):
        if indicator.participation is None:
            continue
        figure = table.get(indicator.code, selection.year)
        is_latest = figure is not None
        if figure is None:
            figure = newest_before(table, indicator.code, selection.year)
        ses = _by_ses(data, place, jenjang, indicator, figure)
        trend = sparkline(table.series(indicator.code), figure.year if figure else selection.year)
        cards.append(ParticipationCard(indicator, figure, is_latest, ses, trend))
    return cards


def _by_ses(
    data: ReleaseData, place: Region, jenjang: str, indicator: Indicator, figure: Figure | None
) -> tuple[dict, ...]:
    """A participation rate by SES quintile in the year of its figure; nothing for other
    indicators."""
    if indicator.participation is None or figure is None:
        return ()
    return tuple(
        row
        for row in data.participation(place, jenjang)
        if row["indicator"] == indicator.code and row["year"] == figure.year
    )


def newest_before(table: FigureTable, code: str, year: int) -> Figure | None:
    """The indicator's newest figure before `year` (APK/APS/APM lag the AN by a year)."""
    earlier = [figure for figure in table.series(code) if figure.year < year]
    return earlier[-1] if earlier else None


def ability(
    data: ReleaseData,
    entity_type: str,
    code: str,
    selected: Filter,
    indicator: Indicator,
    year: int,
) -> list[dict]:
    """The ability-level shares of a literacy/numeracy indicator (empty for the others)."""
    if indicator.ability_distribution is None:
        return []
    levels = {
        level.level: level
        for level in load_catalogue().ability_distribution(indicator.ability_distribution).levels
    }
    language = get_language()
    return [
        {
            "level": row["level"],
            "label": levels[row["level"]].label.get(language),
            "description": levels[row["level"]].description.get(language),
            "colour": levels[row["level"]].colour,
            "share_pct": row["share_pct"],
            "n_students": row["n_students"],
        }
        for row in data.ability(entity_type, code, selected)
        if row["indicator"] == indicator.code and row["year"] == year
    ]


def ranked(figure: Figure | None, kind: str, filtered: bool = False) -> dict:
    """A detail page's ranks: `ranks`, those the figure has ("Peringkat di Provinsi", its
    Rank) for a subject of `kind`, and `ranks_note`, whom it is ranked among, or why a value
    under a bentuk or status filter (`filtered`) has no rank."""
    ranks = [(heading, rank) for heading, rank in figure.ranks(kind) if rank] if figure else []
    note = ""
    if ranks:
        note = _(
            "Peringkat di antara %(peers)s, dari nilai tertinggi, tanpa memperhitungkan "
            "ketidakpastian sampel."
        ) % {"peers": RANKED_AMONG[kind]}
    elif filtered and RANK_SCOPES[kind] and figure is not None and figure.value is not None:
        note = _("Peringkat hanya dihitung untuk semua bentuk dan status satuan pendidikan.")
    return {"ranks": ranks, "ranks_note": note}


def region_comparisons(
    data: ReleaseData,
    place: Region,
    selection: Selection,
    indicator: Indicator,
    figure: Figure | None,
) -> list[Comparison]:
    """A region's value beside its similar regions' and the wider averages (kab/kota: province
    and nation; province: nation)."""
    if figure is None or place.level == "nasional":
        return []  # the nation has nothing above or beside it: no table of one row
    own = compared(place.name, figure)
    peers = _("Kabupaten/Kota serupa") if place.level == "kabkota" else _("Provinsi serupa")
    wider = [NATIONAL_CODE] if place.level == "provinsi" else [place.parent_code, NATIONAL_CODE]
    filter_ = (
        selection.filter if indicator.participation is None else Filter(selection.filter.jenjang)
    )
    members = ()
    if figure.peer_group is not None:
        found = data.peers(place, filter_, indicator.code, figure.year, figure.peer_group)
        members = tuple(sorted(region.name for region in found))
    others = [
        peers_compared(
            peers,
            figure.peer_value,
            figure.peer_std_error,
            ngettext("%d wilayah", "%d wilayah", figure.n_peers or 0) % (figure.n_peers or 0),
            members,
        ),
        *averages(data, wider, filter_, indicator.code, figure.year),
    ]
    return [own, *against(figure, others, figure.n_schools or 0)]


def averages(
    data: ReleaseData, codes: list[str], selected: Filter, indicator: str, year: int
) -> list[Comparison]:
    """The averages of the regions `codes` for one indicator and year."""
    labels = {
        "kabkota": _("Rata-rata Kabupaten/Kota"),
        "provinsi": _("Rata-rata Provinsi"),
        "nasional": _("Rata-rata Nasional"),
    }
    comparisons = []
    for code in codes:
        region = data.region(code)
        if region is None:
            continue
        figure = FigureTable(data.values(region, selected)).get(indicator, year)
        comparisons.append(compared(labels[region.level], figure, region.name))
    return comparisons


class SchoolList:
    """The schools of a region under the selection, each with its figure for the indicator, in
    the order asked. A window of it is one lookup in the release index, which also counts the
    whole list: a page costs 50 rows, not the region's 20,000."""

    def __init__(
        self,
        data: ReleaseData,
        place: Region,
        selection: Selection,
        indicator: Indicator,
        sort: str = "nama",
        descending: bool = False,
    ) -> None:
        group = load_catalogue().filters.jenjang_group(selection.filter.jenjang)
        bentuk = group.bentuk if selection.filter.bentuk == ALL else (selection.filter.bentuk,)
        self._data = data
        self._query = SchoolQuery(
            place, tuple(bentuk), selection.filter.status, indicator.code, selection.year
        )
        self._order = (sort, descending)

    def is_empty(self) -> bool:
        return not self._data.lists_schools(self._query)

    def window(self, offset: int = 0, limit: int | None = None) -> tuple[list[dict], int]:
        """The schools from `offset` on (at most `limit`), and how many the list holds (0 when
        `offset` is past its end)."""
        rows, listed = self._data.school_list(self._query, *self._order, offset, limit)
        indicator, year = self._query.indicator, self._query.year
        schools = [
            {
                **row,
                "figure": figure_from_row({**row, "indicator": indicator, "year": year}),
                "kabkota_name": self._data.region(row["kabkota_code"]).name,
            }
            for row in rows
        ]
        return schools, listed


def school_levels(school: dict) -> list[str]:
    """The levels a school was tested at, in the catalogue's order (dasar first)."""
    order = [group.key for group in load_catalogue().filters.jenjang]
    tested = school["tested_jenjang"]
    return sorted(tested.split(",") if tested else [], key=order.index)


def _school_level_rows(
    data: ReleaseData, school: dict, level: str | None
) -> tuple[list[dict], list[tuple[str, str]]]:
    rows = data.school_values(school["npsn"])
    filters = load_catalogue().filters
    levels = [
        (key, filters.jenjang_group(key).name.get(get_language())) for key in school_levels(school)
    ]
    return [row for row in rows if row["jenjang"] == level], levels
