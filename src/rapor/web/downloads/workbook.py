"""The Excel workbook of the Unduh page: a "Ringkasan" (Summary) sheet and one detail sheet per
indicator.

Every value comes from the dashboard's own lookups (`ReleaseData` through `dashboard.pages` and
`dashboard.figures`), so the file shows exactly what the pages show for the same entity, jenjang
and year; nothing is recomputed here except the change from the previous year.

Filters: a workbook covers every jenjang group ("Jenjang" column, the groups of the dashboard's
filter, in its order) with bentuk and status at "Semua", the dashboard's default. A school's
workbook has one set of rows per level its students were tested at, as the school view's
jenjang switch.

Workbooks are written with XlsxWriter in constant_memory mode (rows streamed to disk) and cached
per release: `$RAPOR_HOME/downloads/<release-id>/v<layout>-<language>/<file name>`, written to a
temporary name and renamed, so a reader never sees half a file. Releases never change, so a cached
file never goes stale; a new layout (`LAYOUT_VERSION`) or language gets its own folder.
"""

from __future__ import annotations

import datetime
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import xlsxwriter
from django.utils import timezone
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from xlsxwriter.worksheet import Worksheet

from rapor import settings
from rapor.catalogue import load_catalogue
from rapor.catalogue.model import Indicator
from rapor.web.dashboard import pages
from rapor.web.dashboard.differences import printed
from rapor.web.dashboard.figures import (
    RANK_SCOPES,
    RANKED_AMONG,
    Figure,
    FigureTable,
    schools_text,
)
from rapor.web.dashboard.filters import Selection, school_kind
from rapor.web.release_data import NATIONAL_CODE, Filter, Region, ReleaseData

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LAYOUT_VERSION = 6  # bump when the layout changes, so files cached with the old one are not served
SHEET_NAME_MAX = 31  # Excel's limit
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# Excel's locale codes for month names in dates: Indonesian (0421), English US (0409).
DATE_LOCALES = {"id": "[$-421]", "en": "[$-409]"}


@dataclass(frozen=True)
class Subject:
    """What a workbook is about: a region (the nation, a province, a kab/kota) or a school."""

    kind: str  # nasional, provinsi, kabkota, sekolah
    code: str  # region code, or NPSN
    name: str
    region: Region | None = None
    school: dict | None = None

    @classmethod
    def of_region(cls, region: Region) -> Subject:
        return cls(region.level, region.code, region.name, region=region)

    @classmethod
    def of_school(cls, school: dict) -> Subject:
        return cls("sekolah", school["npsn"], school["school_name"], school=school)

    @property
    def title(self) -> str:
        """How the report's title names it."""
        if self.kind == "nasional":
            return _("Nasional")
        if self.kind == "provinsi":
            return _("Provinsi %(name)s") % {"name": self.name}
        return self.name


def file_name(subject: Subject, year: int) -> str:
    return f"rapor-pendidikan_{subject.code}_{year}.xlsx"


def cached_workbook(data: ReleaseData, subject: Subject, year: int) -> Path:
    """The workbook's file, built on the first request and kept with the release."""
    folder = settings.downloads_dir(data.release.release_id) / f"v{LAYOUT_VERSION}-{get_language()}"
    path = folder / file_name(subject, year)
    if path.exists():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".building-", suffix=".xlsx")
    os.close(handle)
    try:
        write_workbook(data, subject, year, Path(temporary))
        os.replace(temporary, path)  # atomic: two builders of one file both leave a whole file
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


# ------------------------------------------------------------------ what the workbook holds


@dataclass
class Section:
    """One indicator for one jenjang: the dashboard's detail page content, in rows."""

    jenjang: str  # the jenjang group's name (or the school level's)
    indicator: Indicator
    figure: Figure | None  # the chosen year's, or for APK/APS/APM the newest before it
    is_latest: bool
    previous: Figure | None  # the year before the figure's
    subs: list[tuple[Indicator, Figure | None, Figure | None]]  # (sub, figure, previous)
    comparisons: list[pages.Comparison]  # the entity's own value left out
    ability: list[dict]
    children: list[tuple[str, str, Figure | None, str]] = field(default_factory=list)
    # (code, name, figure, note) of the kab/kota, provinces or schools


def sheet_indicators(subject: Subject) -> list[Indicator]:
    """The top-level indicators of the catalogue at the subject's level, one sheet each."""
    level = subject.kind
    return [indicator for indicator in load_catalogue().indicators if level in indicator.levels]


def sections(data: ReleaseData, subject: Subject, year: int) -> Iterator[Section]:
    """Every (jenjang, indicator) section of the workbook, in the catalogue's orders."""
    if subject.school is not None:
        yield from _school_sections(data, subject.school, year)
    else:
        yield from _region_sections(data, subject.region, year)


def _region_sections(data: ReleaseData, place: Region, year: int) -> Iterator[Section]:
    catalogue = load_catalogue()
    language = get_language()
    for group in catalogue.filters.jenjang:
        # Bentuk and status "Semua": the dashboard's default, and the only filter participation
        # indicators have.
        selection = Selection(Filter(group.key), year)
        table = FigureTable(data.values(place, selection.filter))
        for indicator in sheet_indicators(Subject.of_region(place)):
            if group.key not in indicator.jenjang:
                continue
            figure = table.get(indicator.code, year)
            is_latest = figure is not None
            if figure is None and indicator.participation is not None:
                # BPS publishes a year later than AN: the page shows the newest year, so do we.
                figure = pages.newest_before(table, indicator.code, year)
            shown_year = figure.year if figure else year
            comparisons = pages.region_comparisons(data, place, selection, indicator, figure)
            section = Section(
                jenjang=group.name.get(language),
                indicator=indicator,
                figure=figure,
                is_latest=is_latest,
                previous=table.get(indicator.code, shown_year - 1),
                subs=[
                    (sub, table.get(sub.code, year), table.get(sub.code, year - 1))
                    for sub in indicator.sub_indicators
                ],
                comparisons=comparisons[1:],
                ability=pages.ability(
                    data, place.level, place.code, selection.filter, indicator, year
                ),
            )
            section.children = _region_children(data, place, selection, indicator, shown_year)
            yield section


def _region_children(
    data: ReleaseData, place: Region, selection: Selection, indicator: Indicator, year: int
) -> list[tuple[str, str, Figure | None, str]]:
    """A kab/kota's schools (its detail page's list), or a province's kab/kota and the nation's
    provinces with the value their own Beranda shows."""
    if place.level == "kabkota":
        if indicator.participation is not None:
            return []  # participation is about a region's population: no school values
        rows, _ = pages.SchoolList(
            data, place, Selection(selection.filter, year), indicator
        ).window()
        return [(row["npsn"], row["school_name"], row["figure"], _listed_kind(row)) for row in rows]
    return [
        (
            child.code,
            child.name,
            FigureTable(data.values(child, selection.filter)).get(indicator.code, year),
            "",
        )
        for child in data.children(place.code)
    ]


def _listed_kind(row: dict) -> str:
    """A listed school's bentuk and status, and whether its region's values leave it out (as
    the detail page's list marks it)."""
    if row["counts_in_region_values"]:
        return school_kind(row)
    return f"{school_kind(row)} · {_('tidak dihitung dalam nilai wilayah')}"


def _school_sections(data: ReleaseData, school: dict, year: int) -> Iterator[Section]:
    filters = load_catalogue().filters
    language = get_language()
    everything = data.school_values(school["npsn"])
    for level in pages.school_levels(school):
        rows = [row for row in everything if row["jenjang"] == level]
        table = FigureTable(rows)
        for indicator in sheet_indicators(Subject.of_school(school)):
            if level not in indicator.jenjang:
                continue
            figure = table.get(indicator.code, year)
            comparisons: list[pages.Comparison] = []
            ability: list[dict] = []
            row = next(
                (r for r in rows if r["indicator"] == indicator.code and r["year"] == year), None
            )
            if row is not None:
                # As the school's indicator page: region averages for its own programme bentuk.
                comparisons = [
                    pages.Comparison(
                        _("Satuan Pendidikan Serupa"),
                        row["peer_value"],
                        schools_text(row["n_peers"] or 0),
                    ),
                    *pages.averages(
                        data,
                        [school["kabkota_code"], school["provinsi_code"], NATIONAL_CODE],
                        Filter(row["jenjang"], row["bentuk"]),
                        indicator.code,
                        year,
                    ),
                ]
                ability = pages.ability(
                    data,
                    "sekolah",
                    school["npsn"],
                    Filter(row["jenjang"], row["bentuk"], row["status"]),
                    indicator,
                    year,
                )
            yield Section(
                jenjang=filters.jenjang_group(level).name.get(language),
                indicator=indicator,
                figure=figure,
                is_latest=figure is not None,
                previous=table.get(indicator.code, year - 1),
                subs=[
                    (sub, table.get(sub.code, year), table.get(sub.code, year - 1))
                    for sub in indicator.sub_indicators
                ],
                comparisons=comparisons,
                ability=ability,
            )


def comparison_headers(kind: str) -> list[str]:
    """The comparison columns of a subject's summary, in the order the detail pages list them."""
    return {
        "nasional": [],
        "provinsi": [_("Provinsi serupa"), _("Rata-rata Nasional")],
        "kabkota": [
            _("Kabupaten/Kota serupa"),
            _("Rata-rata Provinsi"),
            _("Rata-rata Nasional"),
        ],
        "sekolah": [
            _("Satuan Pendidikan Serupa"),
            _("Rata-rata Kabupaten/Kota"),
            _("Rata-rata Provinsi"),
            _("Rata-rata Nasional"),
        ],
    }[kind]


def rank_cells(figure: Figure | None, kind: str) -> list[str]:
    """The texts of a figure's rank columns ("Atas (3 dari 41)"), empty where it has none."""
    if figure is None:
        return [""] * len(RANK_SCOPES[kind])
    return [rank.text if rank else "" for _heading, rank in figure.ranks(kind)]


def change(figure: Figure | None, previous: Figure | None) -> tuple[str, float | None]:
    """ "Naik", "Turun", "Tidak bermakna" (within sampling error) or "Tetap" (the same value as
    printed), as the dashboard's cards say it, and the difference from the previous year (of
    the values as shown), or nothing when either value is missing."""
    if figure is None or previous is None or figure.value is None or previous.value is None:
        return "", None
    # As printed, so the column is the difference of the two values beside it.
    points = float(printed(figure.value) - printed(previous.value))
    found = figure.against(previous.value, previous.std_error)
    if found is None:
        return "", points
    if found.direction == "tetap":
        return (_("Tidak bermakna") if points else _("Tetap")), points
    return (_("Naik") if found.direction == "naik" else _("Turun")), points


def figure_note(figure: Figure | None, is_latest: bool = True) -> str:
    """Why a value is missing or older, as the dashboard's cards say it."""
    if figure is None:
        return _("Tidak ada data untuk pilihan ini")
    if figure.suppressed:
        reason = figure.reason
        return _("Data tidak mencukupi") + (f": {reason}" if reason else "")
    if not is_latest:
        return _("Data Terbaru Belum Tersedia; data tahun %(year)s") % {"year": figure.year}
    return ""


# ------------------------------------------------------------------ writing


class Formats:
    """The workbook's cell formats."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        locale = DATE_LOCALES.get(get_language(), "")
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.bold = book.add_format({"bold": True})
        self.header = book.add_format(
            {
                "bold": True,
                "text_wrap": True,
                "valign": "top",
                "bg_color": "#DCE6F1",
                "border": 1,
            }
        )
        self.date = book.add_format({"num_format": f"{locale}d mmmm yyyy", "align": "left"})
        self.score = book.add_format({"num_format": "0.00"})
        self.percent = book.add_format({"num_format": '0.00"%"'})
        self.share = book.add_format({"num_format": '0.0"%"'})
        self.difference = book.add_format({"num_format": "+0.00;-0.00;0.00"})
        self.count = book.add_format({"num_format": "#,##0"})
        self.year = book.add_format({"num_format": "0"})

    def value(self, indicator: Indicator) -> xlsxwriter.format.Format:
        return self.percent if indicator.unit == "persen" else self.score


def write_workbook(data: ReleaseData, subject: Subject, year: int, path: Path) -> None:
    """Write the subject's workbook for a year to `path`."""
    all_sections = list(sections(data, subject, year))
    book = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,
            # Names and labels are text, never formulas or links, whatever they start with.
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    book.set_properties(
        {
            "title": _report_title(subject, year),
            "author": _("Rapor Pendidikan"),
            "comments": f"release {data.release.release_id}",
        }
    )
    formats = Formats(book)
    names = SheetNames()
    _write_summary(
        book.add_worksheet(names.add(summary_sheet_name())),
        formats,
        data,
        subject,
        year,
        all_sections,
    )
    for indicator in sheet_indicators(subject):
        mine = [section for section in all_sections if section.indicator.code == indicator.code]
        if not mine:
            continue
        sheet = book.add_worksheet(names.add(f"{indicator.code} {_name(indicator)}"))
        _write_detail(sheet, formats, subject, year, indicator, mine)
    book.close()


def summary_sheet_name() -> str:
    """The first sheet's name, in the workbook's language."""
    return pgettext("workbook sheet", "Ringkasan")


class SheetNames:
    """Sheet names within Excel's rules: at most 31 characters, none of []:*?/\\, unique
    ignoring case, not starting or ending with an apostrophe."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def add(self, wanted: str) -> str:
        base = SHEET_NAME_FORBIDDEN.sub(" ", wanted)
        base = re.sub(r"\s+", " ", base).strip().strip("'")
        if len(base) > SHEET_NAME_MAX:
            # Cut at a word boundary when one is near enough ("APS-SD Angka Partisipasi").
            cut = base[: SHEET_NAME_MAX + 1].rfind(" ")
            base = base[: cut if cut > SHEET_NAME_MAX // 2 else SHEET_NAME_MAX]
        base = base.strip().strip("'")
        name, number = base, 2
        while name.casefold() in self._taken:
            suffix = f" ({number})"
            name = base[: SHEET_NAME_MAX - len(suffix)].rstrip() + suffix
            number += 1
        self._taken.add(name.casefold())
        return name


def _name(indicator: Indicator) -> str:
    return indicator.name.get(get_language())


def _report_title(subject: Subject, year: int) -> str:
    return _("LAPORAN RAPOR PENDIDIKAN %(entity)s TAHUN %(year)s") % {
        "entity": subject.title.upper(),
        "year": year,
    }


def _release_date(data: ReleaseData) -> datetime.date:
    """The day the release was made, in the site's time zone (Asia/Jakarta)."""
    return timezone.localtime(data.release.created).date()


def _subject_line(subject: Subject) -> tuple[str, str]:
    if subject.school is not None:
        school = subject.school
        return _("Satuan pendidikan"), _("%(name)s (NPSN %(npsn)s), %(kabkota)s, %(provinsi)s") % {
            "name": school["school_name"],
            "npsn": school["npsn"],
            "kabkota": school["kabkota_name"],
            "provinsi": school["provinsi_name"],
        }
    label = {
        "nasional": _("Wilayah"),
        "provinsi": _("Provinsi"),
        "kabkota": _("Kabupaten/Kota"),
    }[subject.kind]
    return label, f"{subject.name} ({subject.code})"


def _notes(data: ReleaseData, subject: Subject) -> list[str]:
    catalogue = load_catalogue()
    language = get_language()
    sources = ", ".join(source.name.get(language) for source in catalogue.sources)
    notes = [
        _("Sumber data: %(sources)s. Sumber setiap indikator ada di kolom “Sumber data”.")
        % {"sources": sources},
        _(
            "Capaian (label) ditentukan oleh rentang nilai setiap indikator menurut katalog "
            "indikator; artinya dijelaskan di kolom “Definisi capaian”."
        ),
    ]
    if subject.school is None:
        notes.append(catalogue.filters.region_excluded_note.get(language))
        notes.append(
            _(
                "Nilai wilayah untuk setiap jenjang, untuk semua bentuk dan status satuan "
                "pendidikan (pilihan bawaan Beranda): rata-rata nilai satuan pendidikannya, "
                "setiap satuan pendidikan dihitung satu kali."
            )
        )
        if subject.kind != "kabkota":
            notes.append(
                _(
                    "Lembar setiap indikator memuat nilai wilayah di dalamnya; nilai setiap "
                    "satuan pendidikan ada di berkas kabupaten/kotanya."
                )
            )
    else:
        notes.append(
            _(
                "Satuan pendidikan serupa: sekolah umum, luar biasa, dan madrasah di Indonesia "
                "yang memiliki karakteristik lokasi, dan sosial ekonomi peserta didik yang mirip "
                "dengan satuan pendidikan Anda."
            )
        )
        notes.append(
            _(
                "Rata-rata kabupaten/kota, provinsi, dan nasional dihitung dari satuan pendidikan "
                "yang bentuknya sama dengan satuan pendidikan ini (mis. SD saja), seperti di "
                "laman indikatornya, sehingga dapat berbeda dari nilai di laman wilayah."
            )
        )
    notes.append(
        _(
            "Perubahan dari tahun lalu: untuk nilai Asesmen Nasional, “Naik” atau “Turun” hanya "
            "bila selisihnya lebih besar dari galat sampel (rentang 95%); selisih yang lebih "
            "kecil ditulis “Tidak bermakna”, dan “Tetap” bila kedua nilai sama. Nilai survei "
            "guru dan BPS bukan dari sampel: setiap selisih ditulis “Naik” atau “Turun”."
        )
    )
    if RANK_SCOPES[subject.kind]:
        notes.append(
            _(
                "Peringkat: posisi nilai di antara %(peers)s, dari nilai tertinggi (1): Atas = "
                "20%% teratas, lalu Menengah atas (21-40%%), Menengah (41-60%%), Menengah bawah "
                "(61-80%%), dan Bawah (81-100%%); tanpa kelompok bila yang diperingkat kurang "
                "dari %(minimum)s. Peringkat tidak memperhitungkan galat sampel: nilai yang tidak "
                "berbeda secara bermakna dapat berada di kelompok yang berbeda."
            )
            % {
                "peers": RANKED_AMONG[subject.kind],
                "minimum": data.release.manifest["params"]["min_ranked"],
            }
        )
    notes.append(
        _(
            "Nilai kosong: data tidak mencukupi (responden kurang dari batas minimum) atau tidak "
            "ada satuan pendidikan untuk pilihan ini; alasannya ada di kolom “Keterangan”. Kolom "
            "yang tidak berlaku bagi suatu baris (mis. jumlah satuan pendidikan bagi satu "
            "sekolah) juga kosong."
        )
    )
    notes.append(
        _(
            "Data Rapor Pendidikan diperbarui terjadwal pada tanggal 1 setiap bulan; perbaikan "
            "data dapat terbit di luar jadwal itu."
        )
    )
    return notes


def _write_header_block(
    sheet: Worksheet, formats: Formats, title: str, facts: list[tuple[str, object]]
) -> int:
    """Title and "key: value" lines (keys in column A, values in column D); the next free row."""
    sheet.write_string(0, 0, title, formats.title)
    row = 1
    for key, value in facts:
        sheet.write_string(row, 0, key, formats.bold)
        if isinstance(value, datetime.date):
            sheet.write_datetime(row, 3, value, formats.date)
        elif isinstance(value, int):
            sheet.write_number(row, 3, value, formats.year)
        else:
            sheet.write_string(row, 3, str(value))
        row += 1
    return row


def _write_summary(
    sheet: Worksheet,
    formats: Formats,
    data: ReleaseData,
    subject: Subject,
    year: int,
    all_sections: list[Section],
) -> None:
    comparisons = comparison_headers(subject.kind)
    ranks = [str(heading) for _scope, heading in RANK_SCOPES[subject.kind]]
    columns = [
        (pgettext("nomor urut", "No"), 5),
        (_("Jenjang"), 18),
        (_("Kode"), 9),
        (_("Indikator"), 45),
        (_("Capaian"), 22),
        (_("Nilai"), 10),
        (_("Tahun data"), 8),
        (_("Definisi capaian"), 60),
        (_("Perubahan dari tahun lalu"), 13),
        (_("Selisih"), 9),
        (_("Nilai tahun lalu"), 10),
        *((name, 13) for name in comparisons),
        *((name, 24) for name in ranks),
        (_("Sumber data"), 28),
        (_("Jumlah satuan pendidikan"), 12),
        (_("Jumlah peserta didik"), 12),
        (_("Jumlah guru dan kepala sekolah"), 14),
        (_("Keterangan"), 40),
    ]
    for number, (_header, width) in enumerate(columns):
        sheet.set_column(number, number, width)
    subject_key, subject_value = _subject_line(subject)
    row = _write_header_block(
        sheet,
        formats,
        _report_title(subject, year),
        [
            (subject_key, subject_value),
            (_("Tahun"), year),
            (_("Laporan diperbarui"), _release_date(data)),
        ],
    )
    row += 1
    sheet.write_string(row, 0, _("Catatan:"), formats.bold)
    row += 1
    for number, note in enumerate(_notes(data, subject), start=1):
        sheet.write_string(row, 0, f"{number}. {note}")
        row += 1
    row += 1
    header_row = row
    for number, (header, _width) in enumerate(columns):
        sheet.write_string(header_row, number, header, formats.header)
    sheet.freeze_panes(header_row + 1, 4)
    row = header_row + 1
    for number, section in enumerate(all_sections, start=1):
        entries = [(str(number), section.indicator, section.figure, section.previous, True)]
        entries += [("", sub, figure, previous, False) for sub, figure, previous in section.subs]
        for label, indicator, figure, previous, is_top in entries:
            _write_summary_row(
                sheet,
                formats,
                row,
                label,
                section,
                indicator,
                figure,
                previous,
                section.comparisons if is_top else [],
                len(comparisons),
                rank_cells(figure, subject.kind),
                section.is_latest or not is_top,
            )
            row += 1
    sheet.autofilter(header_row, 0, max(row - 1, header_row), len(columns) - 1)


def _write_summary_row(
    sheet: Worksheet,
    formats: Formats,
    row: int,
    number: str,
    section: Section,
    indicator: Indicator,
    figure: Figure | None,
    previous: Figure | None,
    comparisons: list[pages.Comparison],
    n_comparisons: int,
    ranks: list[str],
    is_latest: bool,
) -> None:
    value_format = formats.value(indicator)
    shown = figure is not None and not figure.suppressed
    direction, difference = change(figure, previous)
    cells: list[tuple[object, object]] = [
        (int(number) if number else None, None),
        (section.jenjang, None),
        (indicator.code, None),
        (_name(indicator), None),
        (figure.label if shown else "", None),
        (figure.value if shown else None, value_format),
        (figure.year if figure else None, formats.year),
        (figure.narrative if shown else "", None),
        (direction, None),
        (difference, formats.difference),
        (previous.value if previous else None, value_format),
    ]
    for position in range(n_comparisons):
        item = comparisons[position] if position < len(comparisons) else None
        cells.append((item.value if item else None, value_format))
    cells += [(text, None) for text in ranks]
    source = load_catalogue().source(indicator.source).name.get(get_language())
    is_school = figure.is_school if figure else False
    cells += [
        (source, None),
        (figure.n_schools if figure and not is_school else None, formats.count),
        (figure.n_students if figure else None, formats.count),
        (figure.n_teachers if figure else None, formats.count),
        (figure_note(figure, is_latest), None),
    ]
    _write_cells(sheet, row, cells)


def _write_cells(sheet: Worksheet, row: int, cells: list[tuple[object, object]]) -> None:
    """One row; empty cells (None, "") are left blank so a reader sees no value at all."""
    for column, (value, cell_format) in enumerate(cells):
        if value is None or value == "":
            continue
        if isinstance(value, str):
            sheet.write_string(row, column, value, cell_format)
        else:
            sheet.write_number(row, column, value, cell_format)


def _write_detail(
    sheet: Worksheet,
    formats: Formats,
    subject: Subject,
    year: int,
    indicator: Indicator,
    mine: list[Section],
) -> None:
    language = get_language()
    columns = [
        (_("Jenjang"), 18),
        (_("Bagian"), 22),
        (_("Kode"), 12),
        (_("Nama"), 45),
        (_("Capaian"), 22),
        (_("Nilai"), 10),
        (_("Tahun data"), 8),
        (_("Jumlah satuan pendidikan"), 12),
        (_("Jumlah peserta didik"), 12),
        (_("Jumlah guru dan kepala sekolah"), 14),
        (_("Keterangan"), 50),
    ]
    for number, (_header, width) in enumerate(columns):
        sheet.set_column(number, number, width)
    row = _write_header_block(
        sheet,
        formats,
        f"{indicator.code} {_name(indicator)}",
        [
            (_("Definisi"), indicator.definition.get(language)),
            (_("Sumber data"), load_catalogue().source(indicator.source).name.get(language)),
            (_("Satuan pendidikan") if subject.school else _("Wilayah"), subject.name),
            (_("Tahun"), year),
        ],
    )
    row += 1
    header_row = row
    for number, (header, _width) in enumerate(columns):
        sheet.write_string(header_row, number, header, formats.header)
    sheet.freeze_panes(header_row + 1, 4)
    row = header_row + 1
    for section in mine:
        for cells in _detail_rows(formats, subject, section):
            _write_cells(sheet, row, cells)
            row += 1
    sheet.autofilter(header_row, 0, max(row - 1, header_row), len(columns) - 1)


def _figure_cells(
    formats: Formats,
    jenjang: str,
    part: str,
    code: str,
    name: str,
    indicator: Indicator,
    figure: Figure | None,
    note: str,
) -> list[tuple[object, object]]:
    shown = figure is not None and not figure.suppressed
    is_school = figure.is_school if figure else False
    return [
        (jenjang, None),
        (part, None),
        (code, None),
        (name, None),
        (figure.label if shown else "", None),
        (figure.value if shown else None, formats.value(indicator)),
        (figure.year if figure else None, formats.year),
        (figure.n_schools if figure and not is_school else None, formats.count),
        (figure.n_students if figure else None, formats.count),
        (figure.n_teachers if figure else None, formats.count),
        (note, None),
    ]


def _detail_rows(
    formats: Formats, subject: Subject, section: Section
) -> Iterator[list[tuple[object, object]]]:
    indicator, jenjang = section.indicator, section.jenjang
    yield _figure_cells(
        formats,
        jenjang,
        _("Indikator"),
        indicator.code,
        subject.name,
        indicator,
        section.figure,
        figure_note(section.figure, section.is_latest),
    )
    for sub, figure, _previous in section.subs:
        yield _figure_cells(
            formats,
            jenjang,
            _("Sub-indikator"),
            sub.code,
            _name(sub),
            sub,
            figure,
            figure_note(figure),
        )
    for level in section.ability:
        share = level["share_pct"]
        yield [
            (jenjang, None),
            (_("Distribusi kemampuan"), None),
            (str(level["level"]), None),
            (level["label"], None),
            ("", None),
            (share, formats.share),
            (section.figure.year if section.figure else None, formats.year),
            (None, None),
            (level["n_students"], formats.count),
            (None, None),
            (_("Data tidak mencukupi") if share is None else level["description"], None),
        ]
    for comparison in section.comparisons:
        yield [
            (jenjang, None),
            (_("Perbandingan"), None),
            ("", None),
            (comparison.label, None),
            ("", None),
            (comparison.value, formats.value(indicator)),
            (section.figure.year if section.figure else None, formats.year),
            (None, None),
            (None, None),
            (None, None),
            (comparison.detail, None),
        ]
    part = {
        "nasional": _("Provinsi"),
        "provinsi": _("Kabupaten/Kota"),
        "kabkota": _("Satuan pendidikan"),
    }.get(subject.kind, "")
    for code, name, figure, note in section.children:
        yield _figure_cells(
            formats,
            jenjang,
            part,
            code,
            name,
            indicator,
            figure,
            " · ".join(text for text in (note, figure_note(figure)) if text),
        )
