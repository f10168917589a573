"""The web's only door to data: lookups in the active release's index (`rapor.release_index`).

Each process keeps one read-only DuckDB connection to the index of the active release and reopens
it when `active.json` changes, so a release switch reaches every worker on its next request.
Releases are immutable, so lookups are cached for the life of the release.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import duckdb

from rapor import releases, settings
from rapor.release_index import ensure_index, open_index, open_lookups
from rapor.releases import Release

NATIONAL_CODE = "ID"


class NoActiveRelease(Exception):
    """No release has been activated yet (run `rapor build`)."""


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    level: str  # nasional, provinsi, kabkota
    parent_code: str | None


@dataclass(frozen=True)
class Filter:
    """A dashboard filter combination, as the release keys region rows."""

    jenjang: str
    bentuk: str = "semua"
    status: str = "semua"


@dataclass(frozen=True)
class SchoolQuery:
    """The schools of a region running one of `bentuk` (programme bentuk codes), with their
    value of one indicator in one year; `status` is `negeri`, `swasta` or `semua`."""

    region: Region
    bentuk: tuple[str, ...]
    status: str
    indicator: str
    year: int

    def where(self) -> tuple[str, list]:
        """The condition on the index's `school_list` and its parameters."""
        where = ["indicator = ?", "year = ?", "list_contains(?, bentuk)"]
        params: list = [self.indicator, self.year, list(self.bentuk)]
        if self.region.level != "nasional":
            where.append(f"{self.region.level}_code = ?")
            params.append(self.region.code)
        if self.status != "semua":
            where.append("status = ?")
            params.append(self.status)
        return " and ".join(where), params


@dataclass(frozen=True)
class GroupQuery:
    """The schools of a comparison group running one of `bentuk`: the listed schools, and the
    schools of the listed regions that count in region values; less those of `excluded` (the
    region or school compared with the group, so the two are sampled apart). Their values of
    `indicators` in `year`."""

    npsn: tuple[str, ...]
    regions: tuple[str, ...]  # province and kab/kota codes
    bentuk: tuple[str, ...]
    status: str
    indicators: tuple[str, ...]
    year: int
    excluded: str  # a region code or an NPSN

    def members(self) -> tuple[str, list]:
        """The query of the members' NPSNs, from the school registry."""
        query = (
            "select npsn from schools where (npsn in (select unnest(?::varchar[]))"
            " or (counts_in_region_values and (kabkota_code in (select unnest(?::varchar[]))"
            " or provinsi_code in (select unnest(?::varchar[])))))"
            " and npsn <> ? and kabkota_code <> ? and provinsi_code <> ?"
        )
        regions = list(self.regions)
        return query, [list(self.npsn), regions, regions, *[self.excluded] * 3]

    def values(self, npsn: list[str]) -> tuple[str, list]:
        """The query of the members' mean per indicator in the lookup file's `group_values`
        (one seek per school)."""
        where = [
            "npsn in (select value from json_each(?))",
            "year = ?",
            "indicator in (select value from json_each(?))",
            "bentuk in (select value from json_each(?))",
        ]
        params: list = [
            json.dumps(npsn),
            self.year,
            json.dumps(list(self.indicators)),
            json.dumps(list(self.bentuk)),
        ]
        if self.status != "semua":
            where.append("status = ?")
            params.append(self.status)
        query = (
            "select indicator, avg(value) as value, count(*) as n_schools,"
            " sqrt(sum(std_error * std_error)) / count(*) as std_error,"
            " sum(n_students) as n_students"
            f" from group_values where {' and '.join(where)} group by indicator"
        )
        return query, params


# What a school list's rows hold (and "listed", the whole list's length).
SCHOOL_LIST_COLUMNS = (
    "npsn",
    "school_name",
    "kabkota_code",
    "bentuk",
    "status",
    "value",
    "label",
    "label_key",
    "n_students",
    "n_teachers",
    "suppressed",
    "suppression_reason",
    "counts_in_region_values",
)

# What a map reads of each region's rows (rapor.web.dashboard.maps): enough for its figure's
# value and label.
MAP_COLUMNS = (
    "entity_type",
    "entity_code",
    "indicator",
    "year",
    "value",
    "label",
    "label_key",
    "suppressed",
    "suppression_reason",
)

# School list orders by `urut` (the page's sort key); `{0}` is the direction. A school listed
# under two bentuk has one name: its NPSN and bentuk break the tie, so a list pages the same
# way every time (offset paging over an order with ties could repeat or skip a school).
SCHOOL_ORDER = {
    "nama": "name_order {0}, npsn {0}, bentuk {0}",
    "nilai": "value {0} nulls last, name_order {0}, npsn {0}, bentuk {0}",
}


class ReleaseData:
    """Lookups in one release. Methods return plain dicts (column name → value)."""

    def __init__(self, release: Release, index: Path) -> None:
        self.release = release
        self._index = index
        self._local = threading.local()
        # Cached per instance: a new release gets a new instance and fresh caches.
        self.values = lru_cache(maxsize=4096)(self._values)
        self.child_values = lru_cache(maxsize=1024)(self._child_values)
        self.school = lru_cache(maxsize=4096)(self._school)
        self.school_values = lru_cache(maxsize=4096)(self._school_values)
        self.ability = lru_cache(maxsize=4096)(self._ability)
        self.participation = lru_cache(maxsize=4096)(self._participation)
        self.equity = lru_cache(maxsize=4096)(self._equity)
        self.group_values = lru_cache(maxsize=256)(self._group_values)
        self.school_list = lru_cache(maxsize=512)(self._school_list)
        self.lists_schools = lru_cache(maxsize=512)(self._lists_schools)
        self._peer_group = lru_cache(maxsize=1024)(self._peer_group)

    @property
    def years(self) -> list[int]:
        return self.release.manifest["years"]

    @cached_property
    def regions(self) -> dict[str, Region]:
        regions = {NATIONAL_CODE: Region(NATIONAL_CODE, "Indonesia", "nasional", None)}
        for row in self._rows("select * from regions order by region_code"):
            regions[row["region_code"]] = Region(
                row["region_code"], row["region_name"], row["region_level"], row["parent_code"]
            )
        return regions

    def region(self, code: str) -> Region | None:
        return self.regions.get(code)

    def children(self, code: str) -> list[Region]:
        """The provinces of the nation, or the kab/kota of a province."""
        return list(self._children.get(code, ()))

    @cached_property
    def _children(self) -> dict[str, list[Region]]:
        # A page asks for them several times (its map, its links): found once, not by a walk of
        # all 552 regions each time.
        children: dict[str, list[Region]] = {}
        for region in self.regions.values():
            if region.level == "provinsi" and region.parent_code is None:
                children.setdefault(NATIONAL_CODE, []).append(region)
            elif region.level == "kabkota":
                children.setdefault(region.parent_code, []).append(region)
        return children

    def first_school_in(self, region: Region) -> dict:
        """A school of the region that has values, for demo accounts."""
        rows = self._rows(
            "select npsn, school_name from schools where kabkota_code = ? and bentuk = 'sd'"
            " and counts_in_region_values order by npsn limit 1",
            [region.code],
        )
        return rows[0]

    def _values(self, region: Region, selected: Filter) -> tuple[dict, ...]:
        """Every indicator row of a region for one filter combination, all years."""
        return self._lookup(
            "select * from region_values where entity_type = ? and entity_code = ?"
            " and jenjang = ? and bentuk = ? and status = ?",
            [region.level, region.code, selected.jenjang, selected.bentuk, selected.status],
        )

    def _child_values(self, parent: Region, selected: Filter, indicator: str) -> tuple[dict, ...]:
        """One indicator's rows of every child of a region (the provinces of the nation, the
        kab/kota of a province) for one filter combination, all years: what a map shows of
        each, its value and label (`MAP_COLUMNS`: a row's every column took two to three times
        as long, 0.4-0.65 against 0.21 ms for a province's kab/kota)."""
        level = "provinsi" if parent.level == "nasional" else "kabkota"
        # The children's codes: any province, or those after `<province>.` (`/` follows `.`).
        low, high = ("", "~")
        if parent.level != "nasional":
            low, high = f"{parent.code}.", f"{parent.code}/"
        return self._lookup(
            f"select {', '.join(MAP_COLUMNS)} from region_values where entity_type = ?"
            " and jenjang = ? and bentuk = ? and status = ? and indicator = ?"
            " and entity_code >= ? and entity_code < ? order by entity_code, year",
            [level, selected.jenjang, selected.bentuk, selected.status, indicator, low, high],
        )

    def peers(
        self, place: Region, selected: Filter, indicator: str, year: int, peer_group: str
    ) -> tuple[Region, ...]:
        """The similar ("serupa") regions whose values make a region's peer mean: the others of
        its peer group with a value for the same filter, indicator and year."""
        members = self._peer_group(place.level, selected, indicator, year, peer_group)
        return tuple(self.regions[code] for code in members if code != place.code)

    def _peer_group(
        self, level: str, selected: Filter, indicator: str, year: int, peer_group: str
    ) -> tuple[str, ...]:
        """The regions of a peer group with a value for the filter, indicator and year: one
        lookup (~0.6 ms) that every member's detail page shares."""
        # Without the hint SQLite walks the primary key's whole level (no statistics): 100 ms.
        rows = self._lookup(
            "select entity_code from region_values indexed by region_values_by_peer_group"
            " where entity_type = ? and jenjang = ?"
            " and bentuk = ? and status = ? and indicator = ? and year = ? and peer_group = ?"
            " and value is not null",
            [
                level,
                selected.jenjang,
                selected.bentuk,
                selected.status,
                indicator,
                year,
                peer_group,
            ],
        )
        return tuple(row["entity_code"] for row in rows)

    def schools(self, npsn: list[str]) -> dict[str, dict]:
        """The schools of the release among `npsn`, by NPSN: one lookup for a whole list."""
        rows = self._lookup(
            "select * from schools where npsn in (select value from json_each(?))",
            [json.dumps(npsn)],
        )
        return {row["npsn"]: row for row in rows}

    def find_schools(
        self, words: list[tuple[str, ...]], within: str | None, limit: int
    ) -> tuple[dict, ...]:
        """The schools of a region (None: the nation) whose name holds, for every word, one of
        its spellings (in any case), or whose NPSN begins with the only word; at most `limit`
        of them, those whose name holds more of the words as whole words first ("sd negeri 7
        kulon" finds SD Negeri 7 Kabupaten Kulon Progo before SD Negeri 107 …), then by name."""
        spellings = [spelling for each in words for spelling in each]
        matches = " and ".join(_any_of("school_name like ? escape '\\'", each) for each in words)
        params = [f"%{_like_escaped(spelling)}%" for spelling in spellings]
        if len(words) == 1:
            matches += " or npsn like ? escape '\\'"
            params.append(f"{_like_escaped(words[0][0])}%")
        region, region_params = "1", []
        if within is not None and "." in within:
            region, region_params = "kabkota_code = ?", [within]
        elif within is not None:
            # The province's kab/kota: codes after `<province>.` (`/` follows `.`).
            region, region_params = (
                "kabkota_code >= ? and kabkota_code < ?",
                [f"{within}.", f"{within}/"],
            )
        # How many words the name holds as whole words: a sum of booleans.
        whole = "(' ' || school_name || ' ') like ? escape '\\'"
        whole_words = " + ".join(_any_of(whole, each) for each in words)
        whole_params = [f"% {_like_escaped(spelling)} %" for spelling in spellings]
        return self._lookup(
            f"select * from schools where {region} and ({matches})"
            f" order by {whole_words} desc, school_name, npsn limit {int(limit)}",
            [*region_params, *params, *whole_params],
        )

    def _school(self, npsn: str) -> dict | None:
        rows = self._lookup("select * from schools where npsn = ?", [npsn])
        return rows[0] if rows else None

    def _school_values(self, npsn: str) -> tuple[dict, ...]:
        """Every indicator row of a school (one set per level it was tested at), all years."""
        return self._school_rows(npsn, "indicator_values")

    def _ability(self, entity_type: str, code: str, selected: Filter) -> tuple[dict, ...]:
        """The ability-level shares of an entity's literacy and numeracy, all years, by
        indicator, year and level."""
        if entity_type == "sekolah":
            rows = self._school_rows(code, "ability")
            wanted = (selected.jenjang, selected.bentuk, selected.status)
            return tuple(r for r in rows if (r["jenjang"], r["bentuk"], r["status"]) == wanted)
        return self._lookup(
            "select * from region_ability where entity_type = ? and entity_code = ?"
            " and jenjang = ? and bentuk = ? and status = ? order by indicator, year, level",
            [entity_type, code, selected.jenjang, selected.bentuk, selected.status],
        )

    def _equity(
        self, entity_type: str, code: str, jenjang: str, indicator: str, year: int
    ) -> tuple[dict, ...]:
        """The equity groups of an entity's learning indicator in one year, by dimension and
        group."""
        if entity_type == "sekolah":
            rows = self._school_rows(code, "equity")
            wanted = (jenjang, indicator, year)
            return tuple(r for r in rows if (r["jenjang"], r["indicator"], r["year"]) == wanted)
        return self._lookup(
            "select * from region_equity where entity_type = ? and entity_code = ?"
            " and jenjang = ? and indicator = ? and year = ? order by dimension, group_key",
            [entity_type, code, jenjang, indicator, year],
        )

    def _school_rows(self, npsn: str, part: str) -> tuple[dict, ...]:
        """A school's own rows of `part` (indicator_values, ability or equity), in the order
        release_index.sql stores them: one seek and one decompression."""
        found = self._lookup(f"select {part} from school_rows where npsn = ?", [npsn])
        return tuple(found[0][part] or ()) if found else ()

    def _group_values(self, query: GroupQuery) -> tuple[dict, ...]:
        """Per indicator, the group's mean school value (each school once), the standard error
        of that mean from the schools' own, and the schools and students behind it."""
        members = self._rows(*query.members())
        if not members:
            return ()
        return self._lookup(*query.values([row["npsn"] for row in members]))

    def _participation(self, region: Region, jenjang: str) -> tuple[dict, ...]:
        return self._lookup(
            "select * from participation_by_ses where entity_type = ? and entity_code = ?"
            " and jenjang = ? order by indicator, year, ses_quintile",
            [region.level, region.code, jenjang],
        )

    def _lists_schools(self, query: SchoolQuery) -> bool:
        """Whether `query` lists any school: an existence test, a third of a list's cost."""
        if query.region.level == "kabkota":
            return bool(self._kabkota_schools(query))
        where, params = query.where()
        rows = self._rows(f"select exists (select 1 from school_list where {where}) as any", params)
        return rows[0]["any"]

    def _school_list(
        self,
        query: SchoolQuery,
        sort: str = "nama",
        descending: bool = False,
        offset: int = 0,
        limit: int | None = None,
    ) -> tuple[tuple[dict, ...], int]:
        """The schools of `query` sorted by name or value (withheld values last either way),
        from `offset` on, at most `limit` of them, and how many the whole list holds (0 when the
        window is past its end). A kab/kota's few hundred are sorted and cut here from its rows
        in the lookup file; a province's 20,000 in DuckDB, where the count comes with the page
        (a window count: one query instead of two)."""
        if query.region.level == "kabkota":
            ordered = _sorted_schools(self._kabkota_schools(query), sort, descending)
            window = ordered[offset:] if limit is None else ordered[offset : offset + limit]
            listed = len(ordered) if window else 0
            return tuple({**_listed(school), "listed": listed} for school in window), listed
        return self._school_list_in_duckdb(query, sort, descending, offset, limit)

    def _school_list_in_duckdb(
        self, query: SchoolQuery, sort: str, descending: bool, offset: int, limit: int | None
    ) -> tuple[tuple[dict, ...], int]:
        """`_school_list` from the index's `school_list`, for a region of any level; the page
        and the list's length in one query (a window count). The names, the widest column, are
        those of the page's schools in the lookup file: DuckDB would carry every listed school's
        name through the window count, 1-3 ms of a province's 3-8 (benchmarks/RESULTS.md)."""
        where, params = query.where()
        order = SCHOOL_ORDER[sort].format("desc" if descending else "asc")
        window = "" if limit is None else f" limit {int(limit)}"
        columns = ", ".join(column for column in SCHOOL_LIST_COLUMNS if column != "school_name")
        rows = self._rows(
            f"select {columns}, count(*) over () as listed"
            f" from school_list where {where} order by {order}{window} offset {int(offset)}",
            params,
        )
        schools = self.schools([row["npsn"] for row in rows])
        named = tuple({**row, "school_name": schools[row["npsn"]]["school_name"]} for row in rows)
        return named, rows[0]["listed"] if rows else 0

    def _kabkota_schools(self, query: SchoolQuery) -> list[dict]:
        """The schools of a kab/kota's `query` in name order: its rows of each bentuk in the
        lookup file (release_lookups.sql), of the status asked."""
        found = self._lookup(
            "select schools from kabkota_school_lists where kabkota_code = ? and indicator = ?"
            " and year = ? and bentuk in (select value from json_each(?))",
            [query.region.code, query.indicator, query.year, json.dumps(list(query.bentuk))],
        )
        schools = [
            school
            for row in found
            for school in row["schools"]
            if query.status == "semua" or school["status"] == query.status
        ]
        if len(found) > 1:
            schools.sort(key=_name_order)
        return schools

    def _rows(self, sql: str, params: list | None = None) -> tuple[dict, ...]:
        """A query on the index's DuckDB file (release_index.sql)."""
        cursor = self._cursor()
        cursor.execute(sql, params or [])
        return _as_dicts(cursor)

    def _lookup(self, sql: str, params: list) -> tuple[dict, ...]:
        """A query on the index's SQLite file of point lookups (release_lookups.sql)."""
        lookups = getattr(self._local, "lookups", None)
        if lookups is None:
            lookups = self._local.lookups = open_lookups(self._index)
        return _as_dicts(lookups.execute(sql, params))

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        # A DuckDB connection is not shared between threads; each thread gets its own cursor.
        cursor = getattr(self._local, "cursor", None)
        if cursor is None:
            cursor = self._connection.cursor()
            self._local.cursor = cursor
        return cursor

    @cached_property
    def _connection(self) -> duckdb.DuckDBPyConnection:
        return open_index(self._index)


def _sorted_schools(schools: list[dict], sort: str, descending: bool) -> list[dict]:
    """`schools` (in name order) in the order SCHOOL_ORDER gives in SQL: by name, or by value
    then name with withheld values last either way."""
    if sort == "nama":
        return schools[::-1] if descending else schools
    valued = [school for school in schools if school["value"] is not None]
    valued.sort(key=lambda school: (school["value"], *_name_order(school)), reverse=descending)
    withheld = [school for school in schools if school["value"] is None]
    return valued + (withheld[::-1] if descending else withheld)


def _name_order(school: dict) -> tuple:
    """A school list's order by name; a school listed twice (two bentuk) by its bentuk."""
    return school["name_order"], school["npsn"], school["bentuk"]


def _listed(school: dict) -> dict:
    return {column: school[column] for column in SCHOOL_LIST_COLUMNS}


def _any_of(test: str, spellings: tuple[str, ...]) -> str:
    """`test` (one `?` for a spelling) true for any of a word's spellings, as one SQL term."""
    return "(" + " or ".join([test] * len(spellings)) + ")"


def _like_escaped(text: str) -> str:
    """`text` matched literally by LIKE … ESCAPE '\\': its `%` and `_` are not wildcards."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _as_dicts(cursor: duckdb.DuckDBPyConnection | sqlite3.Cursor) -> tuple[dict, ...]:
    columns = [column[0] for column in cursor.description]
    return tuple(dict(zip(columns, row, strict=True)) for row in cursor.fetchall())


_current: ReleaseData | None = None
_current_stamp: tuple[float, int] | None = None
_lock = threading.Lock()


def reset() -> None:
    """Forget the open release (tests switch RAPOR_HOME between releases)."""
    global _current, _current_stamp
    with _lock:
        _current, _current_stamp = None, None


def current() -> ReleaseData:
    """The active release's data; a stat() per call notices a release switch."""
    global _current, _current_stamp
    state_file = settings.rapor_home() / releases.ACTIVE_FILE
    try:
        status = os.stat(state_file)
    except FileNotFoundError:
        raise NoActiveRelease("no active release: run `rapor build`") from None
    stamp = (status.st_mtime, status.st_ino)
    with _lock:
        if _current is None or stamp != _current_stamp:
            release = releases.active_release()
            if release is None:
                raise NoActiveRelease("no active release: run `rapor build`")
            _current = ReleaseData(release, ensure_index(release))
            _current_stamp = stamp
        return _current
