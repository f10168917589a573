"""The "Tampilkan data berdasarkan" filters, read from and written to the URL query.

Values come from the indicator catalogue. An unknown value is a bad request (a 400 page); a known
bentuk that is not part of the chosen jenjang (left over after changing the jenjang in a form
without JavaScript) falls back to "semua" with a notice, since that is an ordinary user action.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.core.exceptions import BadRequest
from django.http import QueryDict
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from rapor.catalogue import load_catalogue
from rapor.web.query import single_param
from rapor.web.release_data import Filter
from rapor.web.rendering import page_language

ALL = "semua"


@dataclass(frozen=True)
class Selection:
    """What the user chose: a filter combination and a year."""

    filter: Filter
    year: int
    notice: str = ""

    def query(self, **changes: str) -> str:
        """The URL query for this selection (with `changes`), e.g. for links that keep filters."""
        return _query(self.filter, self.year, tuple(changes.items()))


@functools.lru_cache(maxsize=4096)
def _query(filter_: Filter, year: int, changes: tuple[tuple[str, str], ...]) -> str:
    """Remembered: a page links to its own selection dozens of times (map areas, sort links)."""
    params = QueryDict(mutable=True)
    params.update(
        {
            "jenjang": filter_.jenjang,
            "bentuk": filter_.bentuk,
            "status": filter_.status,
            "tahun": str(year),
            **dict(changes),
        }
    )
    return params.urlencode()


# The jenjang a region's Beranda opens on, by level, where not the first: provinces run the
# SMA, SMK and SLB (Law 23/2014), and the guide shows a province's Beranda on Menengah.
OPENING_JENJANG = {"provinsi": "menengah"}


def parse_selection(
    query: QueryDict, years: list[int], default_jenjang: str | None = None
) -> Selection:
    """The selection in a request's query; raises BadRequest naming the invalid field."""
    filters = load_catalogue().filters
    groups = {group.key: group for group in filters.jenjang}
    default = default_jenjang or filters.jenjang[0].key
    options = _named_options(get_language())
    jenjang = _one_of(query, "jenjang", options["jenjang"], default=default)
    bentuk = _one_of(query, "bentuk", options["bentuk"], default=ALL)
    status = _one_of(query, "status", options["status"], default=filters.status_all.key)
    year = parse_year(query, years)
    notice = ""
    if bentuk != ALL and bentuk not in groups[jenjang].bentuk:
        notice = _(
            "%(bentuk)s tidak termasuk jenjang %(jenjang)s, jadi semua satuan pendidikan "
            "jenjang ini ditampilkan."
        ) % {
            "bentuk": filters.bentuk_by_code(bentuk).name,
            "jenjang": groups[jenjang].name.get(get_language()),
        }
        bentuk = ALL
    return Selection(Filter(jenjang, bentuk, status), year, notice)


def parse_year(query: QueryDict, years: list[int]) -> int:
    """The year `tahun` of a school's pages (the release's latest when not given); raises
    BadRequest when the release has no such year."""
    allowed = {str(year): str(year) for year in years}
    return int(_one_of(query, "tahun", allowed, default=str(years[-1])))


def _one_of(query: QueryDict, field: str, allowed: dict[str, str], default: str) -> str:
    """The value of `field`, one of `allowed` (value: its name on the form); a bad request
    naming the filter and its options as the form shows them."""
    value = single_param(query, field)
    if not value:
        return default
    if value not in allowed:
        raise BadRequest(
            _("Pilihan %(field)s “%(value)s” tidak dikenal. Pilihan yang tersedia: %(allowed)s.")
            % {
                "field": FIELD_NAMES[field],
                "value": value[:40],
                "allowed": ", ".join(allowed.values()),
            }
        )
    return value


@functools.cache
def _named_options(language: str) -> dict[str, dict[str, str]]:
    """Each filter's values with their names on the form, in `language`: made once per
    language (the shipped catalogue never changes in a process), not on every request, which
    needs the names only for a bad value's message."""
    filters = load_catalogue().filters
    programmes = {bentuk.code: bentuk.name for bentuk in filters.bentuk if bentuk.is_programme}
    return {
        "jenjang": dict(jenjang_choices()),
        "bentuk": {ALL: _("Semua"), **programmes},
        "status": dict(status_choices()),
    }


# A query field as the filter form labels it.
FIELD_NAMES = {
    "jenjang": gettext_lazy("Jenjang/Jenis Layanan"),
    "bentuk": gettext_lazy("Satuan Pendidikan"),
    "status": gettext_lazy("Status Satuan Pendidikan"),
    "tahun": gettext_lazy("Tahun"),
}


def filter_choices(selection: Selection) -> dict[str, list[tuple[str, str]]]:
    """The options of the filter form for a selection (the bentuk list depends on the jenjang)."""
    return {
        "jenjang_groups": jenjang_choices(),
        "bentuk_choices": bentuk_choices(selection.filter.jenjang),
        "statuses": status_choices(),
    }


def jenjang_choices() -> list[tuple[str, str]]:
    """The "Jenjang/Jenis Layanan" options, in the catalogue's order."""
    language = page_language()
    return [(group.key, group.name.get(language)) for group in load_catalogue().filters.jenjang]


def status_choices() -> list[tuple[str, str]]:
    """The "Status" options, "Semua" first."""
    return list(_status_names(page_language()).items())


# Remembered, both: a school list names the bentuk and status of each of its fifty rows.
@functools.lru_cache(maxsize=64)
def bentuk_name(code: str) -> str:
    """A bentuk as the filters name it (`paket_a`: "Paket A")."""
    return load_catalogue().filters.bentuk_by_code(code).name


def status_name(key: str) -> str:
    """A status in the reader's language (`swasta`: "Swasta", "Private"); empty when unknown."""
    return _status_names(page_language()).get(key, "")


@functools.lru_cache(maxsize=8)
def _status_names(language: str) -> dict[str, str]:
    """The status options' names in `language` by key, "Semua" first (read, never changed)."""
    filters = load_catalogue().filters
    options = (filters.status_all, *filters.status)
    return {option.key: option.name.get(language) for option in options}


def school_kind(school: dict) -> str:
    """A school's bentuk and status, as in "Paket A · Swasta"."""
    return " · ".join(
        part for part in (bentuk_name(school["bentuk"]), status_name(school["status"])) if part
    )


def bentuk_choices(jenjang: str) -> list[tuple[str, str]]:
    """The "Satuan Pendidikan" options of a jenjang group, "Semua (SMA/SMK/…)" first."""
    filters = load_catalogue().filters
    group = filters.jenjang_group(jenjang)
    names = [filters.bentuk_by_code(code).name for code in group.bentuk]
    return [(ALL, _("Semua (%s)") % "/".join(names))] + [
        (code, name) for code, name in zip(group.bentuk, names, strict=True)
    ]
