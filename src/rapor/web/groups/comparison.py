"""A region or school against a comparison group: every indicator the group's schools have, the
subject's value and the group's mean, each with its 95 % interval, and whether they differ.

The group's mean is computed from the release on every view (the group's rule picks schools of
the release shown), each school counting once, as region values do; the subject's own schools
are left out of the group so the two are sampled apart (rapor.uncertainty)."""

from __future__ import annotations

from dataclasses import dataclass

from rapor.catalogue import load_catalogue
from rapor.catalogue.model import Indicator
from rapor.uncertainty import normal_interval
from rapor.web.dashboard.differences import Difference
from rapor.web.dashboard.figures import Figure, FigureTable, schools_text
from rapor.web.groups.models import ComparisonGroup
from rapor.web.release_data import Filter, GroupQuery, ReleaseData


@dataclass(frozen=True)
class GroupFigure:
    value: float
    std_error: float | None
    ci_lower: float | None
    ci_upper: float | None
    n_schools: int

    @property
    def schools_text(self) -> str:
        """ "N satuan pendidikan" in the reader's language."""
        return schools_text(self.n_schools)


@dataclass(frozen=True)
class Row:
    indicator: Indicator
    subject: Figure | None
    group: GroupFigure | None  # None: no school of the group has a value
    difference: Difference | None


@dataclass(frozen=True)
class Subject:
    """What the group is compared with: a region (its values under the group's bentuk and
    status) or a school (its own values at the jenjang)."""

    code: str
    name: str
    rows: tuple[dict, ...]  # its indicator_values rows, all years


def compare(
    data: ReleaseData,
    group: ComparisonGroup,
    members: list[str],
    subject: Subject | None,
    jenjang: str,
    year: int,
) -> list[Row]:
    """Every school-level top-level indicator shown under `jenjang`: the subject against the
    mean of the group's `members` (those of its codes the viewer may see)."""
    filters = load_catalogue().filters
    bentuk = filters.jenjang_group(jenjang).bentuk
    if group.bentuk:
        bentuk = tuple(code for code in bentuk if code == group.bentuk)
    indicators = [
        indicator
        for indicator in load_catalogue().indicators
        if "sekolah" in indicator.levels and jenjang in indicator.jenjang
    ]
    query = GroupQuery(
        npsn=tuple(code for code in members if data.region(code) is None),
        regions=tuple(code for code in members if data.region(code) is not None),
        bentuk=bentuk,
        status=group.status,
        indicators=tuple(indicator.code for indicator in indicators),
        year=year,
        excluded=subject.code if subject else "",
    )
    means = {row["indicator"]: row for row in data.group_values(query)}
    table = FigureTable(subject.rows if subject else ())
    rows = []
    for indicator in indicators:
        figure = table.get(indicator.code, year)
        mean = _group_figure(means.get(indicator.code))
        gap = None
        if figure is not None and mean is not None:
            gap = figure.against(mean.value, mean.std_error)
        rows.append(Row(indicator, figure, mean, gap))
    return rows


def holds_every_member(data: ReleaseData, subject: Subject, members: list[str]) -> bool:
    """Whether the subject is a region that every member lies in: then no school is left to
    compare it with, since its own schools are left out of the group."""
    if data.region(subject.code) is None:
        return False
    schools = data.schools([code for code in members if data.region(code) is None])

    def inside(code: str) -> bool:
        where = code if data.region(code) is not None else schools[code]["kabkota_code"]
        return where == subject.code or where.startswith(subject.code + ".")

    return bool(members) and all(inside(code) for code in members)


def _group_figure(row: dict | None) -> GroupFigure | None:
    if row is None:
        return None
    lower = upper = None
    if row["std_error"] is not None:
        lower, upper = normal_interval(row["value"], row["std_error"])
    return GroupFigure(row["value"], row["std_error"], lower, upper, row["n_schools"])


def region_subject(data: ReleaseData, code: str, jenjang: str, group: ComparisonGroup) -> Subject:
    region = data.region(code)
    selected = Filter(jenjang, group.bentuk or "semua", group.status)
    return Subject(code, region.name, data.values(region, selected))


def school_subject(data: ReleaseData, school: dict, jenjang: str) -> Subject:
    rows = tuple(row for row in data.school_values(school["npsn"]) if row["jenjang"] == jenjang)
    return Subject(school["npsn"], school["school_name"], rows)
