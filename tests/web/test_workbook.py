"""The Excel report holds exactly the release's values, and is a well-formed workbook.

Workbooks are written by the app (XlsxWriter) and read back with other readers: python-calamine
for values, openpyxl for the workbook's structure (freeze panes, widths, number formats), and
LibreOffice headless to prove it opens outside Excel. Expected values are read straight from the
release's Parquet files with polars, not through the web app's index or its page code.
"""

from __future__ import annotations

import csv
import datetime
import os
import shutil
import subprocess
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from django.utils import translation
from python_calamine import CalamineWorkbook

from rapor.catalogue import load_catalogue
from rapor.web.downloads.workbook import (
    SHEET_NAME_MAX,
    SheetNames,
    Subject,
    cached_workbook,
    summary_sheet_name,
    write_workbook,
)
from rapor.web.release_data import ReleaseData
from tests.conftest import Built
from tests.web.test_beranda import printed, rank_text, school_rank_texts
from tests.web.test_uncertainty import apart, is_meaningful

LATEST = 2024  # the small synthetic release: AN 2022-2024, BPS 2022-2023
FORBIDDEN = set("[]:*?/\\")
SOFFICE = shutil.which("soffice")


@pytest.fixture(autouse=True)
def indonesian():
    with translation.override("id"):
        yield


class Release:
    """The release's tables, read with polars, and lookups of one row."""

    def __init__(self, built: Built) -> None:
        self.values = built.table("indicator_values")
        self.peers = built.table("peer_values")
        self.ability = built.table("ability_distribution")
        self.schools = built.table("schools")
        self.regions = built.table("regions")
        groups = load_catalogue().filters.jenjang
        self.jenjang_keys = {group.name.get("id"): group.key for group in groups}

    def row(self, table: pl.DataFrame, **key) -> dict | None:
        found = table.filter(**key)
        assert found.height <= 1, key
        return found.row(0, named=True) if found.height else None

    def value(self, **key) -> dict | None:
        return self.row(self.values, **key)


@pytest.fixture(scope="module")
def release(built: Built) -> Release:
    return Release(built)


def build(tmp_path: Path, data: ReleaseData, subject: Subject, year: int = LATEST) -> Path:
    path = tmp_path / f"{subject.code}.xlsx"
    write_workbook(data, subject, year, path)
    return path


def table(path: Path, sheet: str) -> tuple[list[list], list[dict]]:
    """The rows above a sheet's header row, and the rows below it as dicts (calamine)."""
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()
    first = 1 if sheet == summary_sheet_name() else 0
    header_at = next(i for i, row in enumerate(rows) if row[first] == "Jenjang")
    header = rows[header_at]
    body = [dict(zip(header, row, strict=False)) for row in rows[header_at + 1 :]]
    return rows[:header_at], [row for row in body if any(cell != "" for cell in row.values())]


def blank(cell) -> object:
    return None if cell == "" else cell


def change_word(now: dict, before: dict) -> str:
    """The dashboard's word for a change from the year before: within sampling error "Tidak
    bermakna", or "Tetap" when the values print the same."""
    a, b = now["value"], before["value"]
    if not is_meaningful(a, b, apart(now["std_error"], before["std_error"])):
        return "Tetap" if printed(a) == printed(b) else "Tidak bermakna"
    return "Naik" if a > b else "Turun"


def same(cell, expected) -> bool:
    """A cell holds the release's number: XlsxWriter writes 16 significant digits (Excel
    computes with 15), so equal to a relative 1e-15; a blank cell for a missing value."""
    if expected is None or cell == "":
        return blank(cell) is None and expected is None
    return cell == pytest.approx(expected, rel=1e-15, abs=0)


@pytest.fixture
def kabkota(accounts, data) -> Subject:
    return Subject.of_region(data.region(accounts["kabkota"].region_code))


# ------------------------------------------------------------------ values


def test_summary_values_equal_the_release(tmp_path, data, kabkota, release):
    """Each Ringkasan row of a kab/kota shows the release's value, label, counts, previous
    year, similar kab/kota, province and national values for its jenjang and indicator."""
    path = build(tmp_path, data, kabkota)
    above, rows = table(path, summary_sheet_name())
    assert above[0][0] == f"LAPORAN RAPOR PENDIDIKAN {kabkota.name.upper()} TAHUN {LATEST}"
    province = kabkota.code.split(".")[0]
    checked = 0
    for row in rows:
        key = {
            "jenjang": release.jenjang_keys[row["Jenjang"]],
            "bentuk": "semua",
            "status": "semua",
            "indicator": row["Kode"],
        }
        if row["Nilai"] == "" and row["Tahun data"] == "":
            assert release.value(entity_code=kabkota.code, year=LATEST, **key) is None
            continue
        year = int(row["Tahun data"])
        own = release.value(entity_type="kabkota", entity_code=kabkota.code, year=year, **key)
        assert own is not None, row
        assert same(row["Nilai"], own["value"]), row
        assert blank(row["Capaian"]) == own["label"], row
        assert blank(row["Jumlah satuan pendidikan"]) == own["n_schools"]
        assert blank(row["Jumlah peserta didik"]) == own["n_students"]
        before = release.value(entity_code=kabkota.code, year=year - 1, **key)
        assert same(row["Nilai tahun lalu"], before["value"] if before else None)
        if own["value"] is not None and before and before["value"] is not None:
            # Of the values as shown beside it.
            difference = float(printed(own["value"]) - printed(before["value"]))
            assert row["Selisih"] == difference
            assert row["Perubahan dari tahun lalu"] == change_word(own, before), row
        if row["No"] != "":  # a top-level indicator: the comparisons
            for column, code in (("Rata-rata Provinsi", province), ("Rata-rata Nasional", "ID")):
                average = release.value(entity_code=code, year=year, **key)
                assert same(row[column], average["value"] if average else None), column
            peer = release.row(
                release.peers, entity_type="kabkota", entity_code=kabkota.code, year=year, **key
            )
            assert same(row["Kabupaten/Kota serupa"], peer["peer_value"])
        checked += 1
    assert checked > 30


def test_participation_shows_the_newest_year_with_a_note(tmp_path, data, kabkota, release):
    """APK/APS/APM have no data for the newest AN year: the row shows the year before and says
    so, as the Beranda's "Data Terbaru Belum Tersedia"."""
    _, rows = table(build(tmp_path, data, kabkota), summary_sheet_name())
    apk = next(row for row in rows if row["Kode"] == "APK-SD")
    assert apk["Tahun data"] == LATEST - 1
    assert "Data Terbaru Belum Tersedia" in apk["Keterangan"]
    expected = release.value(
        entity_code=kabkota.code,
        year=LATEST - 1,
        jenjang="dasar",
        bentuk="semua",
        indicator="APK-SD",
    )
    assert same(apk["Nilai"], expected["value"])


def test_kabkota_detail_lists_its_schools_with_their_values(tmp_path, data, kabkota, release):
    """A kab/kota's literacy sheet lists, per jenjang, its schools with the release's values."""
    path = build(tmp_path, data, kabkota)
    sheet = next(
        name for name in CalamineWorkbook.from_path(str(path)).sheet_names if name[:4] == "A.1 "
    )
    _, rows = table(path, sheet)
    filters = load_catalogue().filters
    in_kabkota = release.schools.filter(pl.col("kabkota_code") == kabkota.code)["npsn"]
    for group in filters.jenjang:
        shown = {
            row["Kode"]: row
            for row in rows
            if row["Bagian"] == "Satuan pendidikan" and row["Jenjang"] == group.name.get("id")
        }
        expected = release.values.filter(
            (pl.col("entity_type") == "sekolah")
            & pl.col("entity_code").is_in(in_kabkota.implode())
            & (pl.col("indicator") == "A.1")
            & (pl.col("year") == LATEST)
            & pl.col("bentuk").is_in(list(group.bentuk))
        )
        assert set(shown) == set(expected["entity_code"]), group.key
        for school in expected.iter_rows(named=True):
            assert same(shown[school["entity_code"]]["Nilai"], school["value"])
            assert blank(shown[school["entity_code"]]["Capaian"]) == school["label"]


def test_ability_distribution_equals_the_release(tmp_path, data, kabkota, release):
    """The literacy sheet's ability levels are the release's shares for each jenjang."""
    path = build(tmp_path, data, kabkota)
    _, rows = table(path, "A.1 Kemampuan Literasi")
    levels = [row for row in rows if row["Bagian"] == "Distribusi kemampuan"]
    assert levels
    for row in levels:
        expected = release.row(
            release.ability,
            entity_type="kabkota",
            entity_code=kabkota.code,
            year=LATEST,
            jenjang=release.jenjang_keys[row["Jenjang"]],
            bentuk="semua",
            status="semua",
            indicator="A.1",
            level=int(row["Kode"]),
        )
        assert same(row["Nilai"], expected["share_pct"])


def test_province_detail_lists_its_kabkota(tmp_path, data, accounts, release):
    """A province's sheets list its kab/kota with the value of their own Beranda."""
    province = Subject.of_region(data.region(accounts["provinsi"].region_code))
    _, rows = table(build(tmp_path, data, province, 2023), "A.3 Indeks Karakter")
    children = [
        row for row in rows if row["Bagian"] == "Kabupaten/Kota" and row["Jenjang"] == "Dasar"
    ]
    expected = release.regions.filter(pl.col("parent_code") == province.code)
    assert [row["Kode"] for row in children] == expected["region_code"].to_list()
    for row in children:
        own = release.value(
            entity_code=row["Kode"],
            year=2023,
            jenjang="dasar",
            bentuk="semua",
            status="semua",
            indicator="A.3",
        )
        assert same(row["Nilai"], own["value"] if own else None)


def test_notes_say_how_to_read_the_workbook(tmp_path, data, accounts, kabkota):
    """The notes above the table explain Naik/Turun/Tidak bermakna beside Selisih, and a
    school's also that its region averages are of its own bentuk (which the pages say as
    well)."""
    school = Subject.of_school(data.school(accounts["sekolah"].npsn))
    texts = {}
    for subject in (kabkota, school):
        above, _ = table(build(tmp_path, data, subject), summary_sheet_name())
        texts[subject.kind] = " ".join(str(cell) for row in above for cell in row)
    for text in texts.values():
        assert "selisih yang lebih kecil ditulis “Tidak bermakna”" in text
    own_bentuk = "dihitung dari satuan pendidikan yang bentuknya sama dengan satuan pendidikan ini"
    assert own_bentuk in texts["sekolah"] and own_bentuk not in texts["kabkota"]


def test_school_workbook_equals_the_release(tmp_path, data, accounts, release):
    """A school's Ringkasan shows its own values and its similar schools' value."""
    school = Subject.of_school(data.school(accounts["sekolah"].npsn))
    above, rows = table(build(tmp_path, data, school), summary_sheet_name())
    assert school.name.upper() in above[0][0]
    assert rows
    for row in rows:
        own = release.value(
            entity_type="sekolah",
            entity_code=school.code,
            year=LATEST,
            jenjang=release.jenjang_keys[row["Jenjang"]],
            indicator=row["Kode"],
        )
        assert same(row["Nilai"], own["value"] if own else None), row["Kode"]
        if row["No"] != "" and own is not None:
            peer = release.row(
                release.peers,
                entity_type="sekolah",
                entity_code=school.code,
                year=LATEST,
                indicator=row["Kode"],
            )
            assert same(row["Satuan Pendidikan Serupa"], peer["peer_value"])


def test_school_ranks_are_counted_among_schools_of_its_jenjang(tmp_path, data, accounts, release):
    """A school's "Peringkat" columns rank its value among the schools of its jenjang that count
    in region values, in its kab/kota and in the nation, and name the fifth ("Atas" = top 20 %)."""
    school = Subject.of_school(data.school(accounts["sekolah"].npsn))
    _, rows = table(build(tmp_path, data, school), summary_sheet_name())
    checked = 0
    for row in rows:
        if row["No"] == "":
            continue  # sub-indicators are not ranked
        jenjang = release.jenjang_keys[row["Jenjang"]]
        expected = school_rank_texts(release, school.school, jenjang, row["Kode"])
        assert (row["Peringkat di Kab./Kota"], row["Peringkat secara Nasional"]) == expected
        checked += expected != ("", "")
    assert checked >= 5


def test_kabkota_ranks_are_counted_among_kabkota(tmp_path, data, kabkota, release):
    """A kab/kota's "Peringkat" columns rank its value (all bentuk, all status) among the
    kab/kota of its province and of the nation; APK/APS/APM are not ranked."""
    _, rows = table(build(tmp_path, data, kabkota), summary_sheet_name())
    province = kabkota.code.split(".")[0]
    regions = release.values.filter(
        (pl.col("entity_type") == "kabkota")
        & (pl.col("year") == LATEST)
        & (pl.col("bentuk") == "semua")
        & (pl.col("status") == "semua")
        & (pl.col("n_schools") > 0)
    )
    checked = 0
    for row in rows:
        if row["No"] == "":
            continue
        pool = regions.filter(jenjang=release.jenjang_keys[row["Jenjang"]], indicator=row["Kode"])
        own = pool.filter(entity_code=kabkota.code)
        if own.is_empty():
            assert row["Peringkat di Provinsi"] == row["Peringkat secara Nasional"] == ""
            continue
        value = own["value"][0]
        local = pool.filter(pl.col("entity_code").str.starts_with(f"{province}."))
        assert row["Peringkat di Provinsi"] == rank_text(value, local["value"].to_list())
        assert row["Peringkat secara Nasional"] == rank_text(value, pool["value"].to_list())
        checked += 1
    assert checked >= 5
    participation = [row for row in rows if row["Kode"].startswith(("APK", "APS", "APM"))]
    assert participation and all(row["Peringkat secara Nasional"] == "" for row in participation)


# ------------------------------------------------------------------ workbook hygiene


@pytest.mark.parametrize("level", ["nasional", "provinsi", "kabkota", "sekolah"])
def test_sheets_are_named_within_excel_limits(tmp_path, data, accounts, level):
    """Ringkasan first, then one sheet per indicator of the level; names of at most 31
    characters, none of []:*?/\\, unique ignoring case."""
    subject = {
        "nasional": lambda: Subject.of_region(data.region("ID")),
        "provinsi": lambda: Subject.of_region(data.region(accounts["provinsi"].region_code)),
        "kabkota": lambda: Subject.of_region(data.region(accounts["kabkota"].region_code)),
        "sekolah": lambda: Subject.of_school(data.school(accounts["sekolah"].npsn)),
    }[level]()
    names = CalamineWorkbook.from_path(str(build(tmp_path, data, subject))).sheet_names
    indicators = [i.code for i in load_catalogue().indicators if level in i.levels]
    assert names[0] == summary_sheet_name()
    assert [name.split(" ")[0] for name in names[1:]] == indicators
    assert all(len(name) <= SHEET_NAME_MAX and not FORBIDDEN & set(name) for name in names)
    assert len({name.casefold() for name in names}) == len(names)


def test_english_workbook_names_its_sheets_and_columns_in_english(tmp_path, data, kabkota):
    """Downloaded from an English page: a "Summary" sheet, indicator sheets and column headers
    in English."""
    with translation.override("en"):
        book = CalamineWorkbook.from_path(str(build(tmp_path, data, kabkota)))
    literacy = next(i for i in load_catalogue().indicators if i.code == "A.1")
    assert book.sheet_names[:2] == ["Summary", SheetNames().add(f"A.1 {literacy.name.get('en')}")]
    headers = [row for row in book.get_sheet_by_name("Summary").to_python() if "Level" in row]
    assert headers and "Jenjang" not in headers[0]


def test_sheet_names_are_cut_cleaned_and_made_unique():
    """Too long, forbidden characters, duplicates: each name still fits Excel's rules."""
    names = SheetNames()
    assert names.add("Ringkasan") == "Ringkasan"
    assert names.add("A/B: [x]*?") == "A B x"
    long = names.add("APS-SD Angka Partisipasi Sekolah SD/MI/SDLB/Paket A")
    assert long == "APS-SD Angka Partisipasi"
    assert names.add("ringkasan") == "ringkasan (2)"
    again = names.add("X" * 40)
    assert again == "X" * 31
    assert names.add("X" * 40) == "X" * 27 + " (2)"


def test_workbook_is_frozen_formatted_and_formula_free(tmp_path, data, kabkota):
    """Header rows are frozen, columns have widths, values carry number formats, the release
    date is a date with Indonesian month names, and no cell holds a formula."""
    book = openpyxl.load_workbook(build(tmp_path, data, kabkota))
    summary = book[summary_sheet_name()]
    header = next(row for row in summary.iter_rows() if row[1].value == "Jenjang")
    assert summary.freeze_panes == f"E{header[0].row + 1}"
    assert summary.column_dimensions["D"].width >= 40
    date = next(row[3] for row in summary.iter_rows() if row[0].value == "Laporan diperbarui")
    # The day in Jakarta (UTC+7), as the site shows it: 17:00 UTC is already the next day there.
    created = datetime.datetime.fromisoformat(data.release.created_at)
    assert date.value.date() == (created + datetime.timedelta(hours=7)).date()
    assert date.number_format == "[$-421]d mmmm yyyy"
    columns = {cell.value: cell.column - 1 for cell in header}
    literacy = next(
        row for row in summary.iter_rows(min_row=header[0].row + 1) if row[2].value == "A.1"
    )
    assert literacy[columns["Nilai"]].number_format == '0.00"%"'
    assert literacy[columns["Selisih"]].number_format == "+0.00;-0.00;0.00"
    assert literacy[columns["Jumlah peserta didik"]].number_format == "#,##0"
    for sheet in book.worksheets:
        assert sheet.freeze_panes is not None, sheet.title
        assert sheet.auto_filter.ref, sheet.title
        for row in sheet.iter_rows():
            assert not any(cell.data_type == "f" for cell in row), sheet.title


def test_cached_workbook_is_built_once_and_renamed_into_place(data, kabkota):
    """The first request builds the file under the release's downloads folder; later ones get
    the same file, and no temporary file is left behind."""
    first = cached_workbook(data, kabkota, LATEST)
    built_at = first.stat().st_mtime_ns
    assert first.parent.parent.name == data.release.release_id
    assert first.name == f"rapor-pendidikan_{kabkota.code}_{LATEST}.xlsx"
    second = cached_workbook(data, kabkota, LATEST)
    assert second == first and second.stat().st_mtime_ns == built_at
    assert not [path for path in first.parent.iterdir() if path.name.startswith(".")]


def test_libreoffice_opens_the_workbook(tmp_path, data, kabkota, release):
    """LibreOffice headless converts the workbook to CSV: the file opens outside Excel, with
    the title and values as the summary shows them."""
    if SOFFICE is None:
        pytest.fail("soffice is missing: install LibreOffice Calc (`make libreoffice`).")
    path = build(tmp_path, data, kabkota)
    out = tmp_path / "csv"
    profile = tmp_path / "lo-profile"  # its own profile: no clash with another soffice
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1",
            "--outdir",
            str(out),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    with (out / path.with_suffix(".csv").name).open(encoding="utf-8") as converted:
        rows = list(csv.reader(converted))
    assert rows[0][0] == f"LAPORAN RAPOR PENDIDIKAN {kabkota.name.upper()} TAHUN {LATEST}"
    header = next(row for row in rows if row[1:3] == ["Jenjang", "Kode"])
    literacy = next(row for row in rows if row[2] == "A.1")
    own = release.value(
        entity_code=kabkota.code,
        year=LATEST,
        jenjang="dasar",
        bentuk="semua",
        status="semua",
        indicator="A.1",
    )
    shown = literacy[header.index("Nilai")]
    assert shown.rstrip("%").replace(",", ".") == f"{own['value']:.2f}"
