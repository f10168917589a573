"""Which region values the open data withholds so that no value of one or two schools can be
read or worked out (docs/opendata.md, "No value is one school's").

A region value is the mean of its schools' values, and the API gives each value with its school
count, so values add up: a kab/kota's MI value over 44 schools, less its MI Swasta value over 42,
gives its two MI Negeri schools' mean. Withholding the two-school value itself (`few_schools`) is
not enough; some of its neighbours must go too (`complementary`), the "secondary suppression" of
statistical offices.

A cell is a region, year, jenjang, bentuk and status (all indicators of it together, so that an
indicator cannot be rebuilt from its sub-indicators). Its values are tied by these sums:

- status: a bentuk's value for all status is made of its Negeri and Swasta schools;
- bentuk: a jenjang's value for all bentuk is made of its bentuk (SD, MI, SDLB, …);
- region: a province is made of its kab/kota, the nation of its provinces;
- SLB: a bentuk of the jenjang `khusus` (SDLB, SMPLB, SMALB) is the same schools as that bentuk
  in its own jenjang, so the two are one value.

Each sum is one equation: it gives away a withheld value when that value is its only unknown, and
a group of withheld parts when their total is published (their mean is then known). So in every
sum whose cells have schools, the withheld cells are none or at least two, and when the total is
published, the withheld parts hold at least MIN_SCHOOLS schools together. Cells are added, the
published part with the fewest schools first (the least lost), until every sum holds.

Every indicator whose values rest on another set of schools (teacher surveys count the schools
whose teachers answered) is checked with its own school counts, the withheld cells shared.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Iterator

import duckdb
import polars as pl

# A published value rests on at least this many schools: with one the value is that school's,
# with two each school can work out the other's.
MIN_SCHOOLS = 3

CELL_SCHEMA = {
    "entity_type": pl.String,
    "entity_code": pl.String,
    "year": pl.Int32,
    "jenjang": pl.String,
    "bentuk": pl.String,
    "status": pl.String,
}
Cell = tuple[str, str, int, str, str, str]  # the values of CELL_SCHEMA's columns
Sum = tuple[Cell, tuple[Cell, ...]]  # a total and the cells it is made of
ALL = "semua"
STATUSES = ("negeri", "swasta")
SLB_JENJANG = "khusus"
PARENT_LEVEL = {"kabkota": "provinsi", "provinsi": "nasional"}

# One school count per cell for each set of indicators with the same counts everywhere (the
# first indicator of the set stands for it). Region rows with values from schools only: the
# participation rates count people (no school count) and are not concerned.
COUNTS_SQL = """
with counted as (
    select entity_type, entity_code, year, jenjang, bentuk, status, indicator, n_schools
    from indicator_values
    where entity_type in ('nasional', 'provinsi', 'kabkota')
        and n_schools is not null
        and not suppressed
),

counts_of as (
    select
        indicator,
        hash(list(
            (entity_type, entity_code, year, jenjang, bentuk, status, n_schools)
            order by entity_type, entity_code, year, jenjang, bentuk, status
        )) as counts
    from counted
    group by indicator
),

standing_for as (
    select min(indicator) as indicator from counts_of group by counts
)

select c.indicator, c.entity_type, c.entity_code, c.year, c.jenjang, c.bentuk, c.status,
    c.n_schools
from counted as c
inner join standing_for using (indicator)
where c.n_schools > 0
"""


def withheld_cells(connection: duckdb.DuckDBPyConnection) -> dict[Cell, str]:
    """The cells to withhold from the region rows of `indicator_values` on `connection`, each
    with its reason: `few_schools` or `complementary`."""
    counts: dict[str, dict[Cell, int]] = defaultdict(dict)
    for indicator, *cell, n_schools in connection.execute(COUNTS_SQL).fetchall():
        counts[indicator][tuple(cell)] = n_schools
    parents = dict(
        connection.execute(
            "select region_code, coalesce(parent_code, 'ID') from regions"
        ).fetchall()
    )
    return withhold(list(counts.values()), parents)


def withhold(counts: list[dict[Cell, int]], parents: dict[str, str]) -> dict[Cell, str]:
    """The cells to withhold, given each indicator set's school count per cell (cells with no
    school left out) and each province's and kab/kota's parent code (a province's is `ID`)."""
    withheld = {
        cell: "few_schools"
        for by_cell in counts
        for cell, n_schools in by_cell.items()
        if n_schools < MIN_SCHOOLS
    }
    cells = {cell for by_cell in counts for cell in by_cell}
    sums = list(_sums(cells, parents))
    sums_of: dict[Cell, list[int]] = defaultdict(list)
    for number, (total, parts) in enumerate(sums):
        for cell in (total, *parts):
            sums_of[cell].append(number)
    changed = True
    while changed:  # until every indicator set's sums hold with the cells withheld so far
        changed = False
        for by_cell in counts:
            pending = deque(range(len(sums)))
            queued = set(pending)
            while pending:
                number = pending.popleft()
                queued.discard(number)
                cell = _to_withhold(sums[number], by_cell, withheld)
                if cell is None:
                    continue
                withheld[cell] = "complementary"
                changed = True
                for again in sums_of[cell]:
                    if again not in queued:
                        queued.add(again)
                        pending.append(again)
    return withheld


def _to_withhold(total_and_parts: Sum, by_cell: dict[Cell, int], withheld: dict) -> Cell | None:
    """A further cell to withhold so that this sum gives nothing away, or None when it holds."""
    total, parts = total_and_parts
    counted = [part for part in parts if by_cell.get(part, 0) > 0]
    hidden = [part for part in counted if part in withheld]
    total_hidden = total in withheld and by_cell.get(total, 0) > 0
    if not hidden and not total_hidden:
        return None
    if total_hidden:
        holds = len(hidden) >= 1
    else:
        holds = len(hidden) >= 2 and sum(by_cell[part] for part in hidden) >= MIN_SCHOOLS
    if holds:
        return None
    published = [part for part in counted if part not in withheld]
    if published:
        return min(published, key=lambda part: (by_cell[part], part))
    if not total_hidden and by_cell.get(total, 0) > 0:
        return total
    return None


def _sums(cells: Iterable[Cell], parents: dict[str, str]) -> Iterator[Sum]:
    """Every sum that ties the cells: status, bentuk, region and SLB (module docstring)."""
    by_status: dict[Cell, list[Cell]] = defaultdict(list)
    by_bentuk: dict[Cell, list[Cell]] = defaultdict(list)
    by_region: dict[Cell, list[Cell]] = defaultdict(list)
    slb: list[Cell] = []
    own_jenjang: dict[tuple, list[Cell]] = defaultdict(list)  # a bentuk outside `khusus`
    for cell in cells:
        level, code, year, jenjang, bentuk, status = cell
        if status != ALL:
            by_status[(level, code, year, jenjang, bentuk, ALL)].append(cell)
        if bentuk != ALL:
            by_bentuk[(level, code, year, jenjang, ALL, status)].append(cell)
            if jenjang == SLB_JENJANG:
                slb.append(cell)
            else:
                own_jenjang[(level, code, year, bentuk, status)].append(cell)
        if level in PARENT_LEVEL:
            parent = (PARENT_LEVEL[level], parents[code], year, jenjang, bentuk, status)
            by_region[parent].append(cell)
    for groups in (by_status, by_bentuk, by_region):
        for total, parts in groups.items():
            yield total, tuple(sorted(parts))
    for cell in slb:
        level, code, year, _, bentuk, status = cell
        for same in own_jenjang[(level, code, year, bentuk, status)]:
            yield same, (cell,)
