"""Unduh: the page, the form that leads to the file, and the file each role may download."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest

from rapor.web.release_data import SchoolQuery
from tests.web.test_beranda import parse
from tests.web.test_errors import assert_error_page

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def own_file_url(accounts, role: str) -> str:
    account = accounts[role]
    if role == "sekolah":
        return f"/unduh/sekolah/{account.npsn}/"
    return f"/unduh/wilayah/{account.region_code or 'ID'}/"


def workbook(response) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)


def title(response) -> str:
    book = workbook(response)
    try:
        return next(book["Ringkasan"].iter_rows(max_row=1, values_only=True))[0]
    finally:
        book.close()


@pytest.mark.parametrize("role", ["pusat", "provinsi", "kabkota", "sekolah"])
def test_page_explains_the_file_and_offers_the_release_years(role, client_for, data):
    """The page says what the file holds, when the data was updated, and offers every year of
    the active release, the newest chosen."""
    page = parse(client_for(role).get("/unduh/"))
    text = page.one("main").text
    assert "Data ringkasan" in text and "Detail data dari masing-masing indikator" in text
    # In Jakarta time (UTC+7), to the minute: a refresh the same day changes it visibly.
    released = datetime.datetime.fromisoformat(data.release.created_at) + datetime.timedelta(
        hours=7
    )
    months = "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November"
    month = [*months.split(), "Desember"][released.month - 1]
    stamp = f"{released.day} {month} {released.year}, {released:%H.%M} WIB"
    assert f"Terakhir diperbarui {stamp}" in text
    assert "diperbarui terjadwal pada tanggal 1 setiap bulan; perbaikan data dapat terbit" in text
    form = page.one("form", "download-form")
    assert form.attrs["method"] == "get" and form.attrs["action"] == "/unduh/"
    years = form.one("select", name="tahun").find_all("option")
    assert [option.attrs["value"] for option in years] == [str(year) for year in data.years]
    assert "selected" in years[-1].attrs
    assert page.one("nav").one("a", aria_current="page").text == "Unduh"


def test_pusat_chooses_the_nation_or_any_region(client_for, data):
    """Pusat's form offers the nation, every province and every kab/kota."""
    page = parse(client_for("pusat").get("/unduh/"))
    options = page.one("select", name="wilayah").find_all("option")
    codes = [option.attrs["value"] for option in options]
    assert codes[0] == "ID" and "selected" in options[0].attrs
    assert set(codes) == {"ID", *data.regions}


def test_provinsi_chooses_its_province_or_its_kabkota(client_for, accounts, data):
    """A province account's form offers only its province and its kab/kota."""
    province = accounts["provinsi"].region_code
    page = parse(client_for("provinsi").get("/unduh/"))
    codes = [o.attrs["value"] for o in page.one("select", name="wilayah").find_all("option")]
    assert codes == [province, *(child.code for child in data.children(province))]


@pytest.mark.parametrize("role", ["kabkota", "sekolah"])
def test_kabkota_and_school_accounts_get_their_own_entity(role, client_for, accounts):
    """A kab/kota or school account has no choice of entity: the form names its own."""
    page = parse(client_for(role).get("/unduh/"))
    assert not page.find_all("select", name="wilayah")
    field = "npsn" if role == "sekolah" else "wilayah"
    own = accounts[role].npsn or accounts[role].region_code
    assert page.one("input", name=field).attrs["value"] == own


@pytest.mark.parametrize("role", ["pusat", "provinsi", "kabkota", "sekolah"])
def test_sending_the_form_leads_to_the_own_file(role, client_for, accounts):
    """The form's GET (no JavaScript needed) redirects to the file of the account's scope for
    the chosen year."""
    response = client_for(role).get("/unduh/", {"tahun": "2023", "unduh": "1"})
    assert response.status_code == 302
    assert response["Location"] == own_file_url(accounts, role) + "?tahun=2023"


@pytest.mark.parametrize("role", ["pusat", "provinsi", "kabkota", "sekolah"])
def test_each_role_downloads_its_own_file(role, client_for, accounts, data):
    """The file of the account's own scope comes as an attachment named after the entity and
    year, as an Excel workbook whose title names the entity."""
    response = client_for(role).get(own_file_url(accounts, role), {"tahun": "2023"})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    code = accounts[role].npsn or accounts[role].region_code or "ID"
    name = f"rapor-pendidikan_{code}_2023.xlsx"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert int(response["Content-Length"]) == len(response.content)
    if role == "sekolah":
        entity = data.school(code)["school_name"]
    elif role == "pusat":
        entity = "Nasional"
    else:
        region = data.region(code)
        entity = f"Provinsi {region.name}" if region.level == "provinsi" else region.name
    assert title(response) == f"LAPORAN RAPOR PENDIDIKAN {entity.upper()} TAHUN 2023"


def test_without_a_year_the_file_is_of_the_newest_year(client_for, accounts, data):
    """No `tahun`: the newest year of the release."""
    response = client_for("kabkota").get(own_file_url(accounts, "kabkota"))
    assert f"_{data.years[-1]}.xlsx" in response["Content-Disposition"]


def test_provinsi_downloads_a_kabkota_of_its_province(client_for, accounts, data):
    """A province account may download each kab/kota of its province (its scope)."""
    child = data.children(accounts["provinsi"].region_code)[-1]
    client = client_for("provinsi")
    response = client.get("/unduh/", {"wilayah": child.code, "tahun": "2024", "unduh": "1"})
    assert response["Location"] == f"/unduh/wilayah/{child.code}/?tahun=2024"
    assert client.get(response["Location"])["Content-Type"] == XLSX


def test_out_of_scope_entity_is_the_dashboard_404(client_for, accounts, data):
    """Another region's or school's file, through the form or its URL, is the same 404 page an
    unknown entity gets."""
    other_province = next(
        code
        for code, region in data.regions.items()
        if region.level == "provinsi" and code != accounts["provinsi"].region_code
    )
    kabkota = client_for("kabkota")
    own_province = accounts["kabkota"].region_code.split(".")[0]
    for url in (
        f"/unduh/wilayah/{own_province}/",
        f"/unduh/wilayah/{other_province}/",
        "/unduh/wilayah/ID/",
        "/unduh/wilayah/99/",
        f"/unduh/?wilayah={own_province}",
        f"/unduh/?wilayah={own_province}&tahun=2024&unduh=1",
    ):
        assert_error_page(kabkota.get(url), 404, "Halaman tidak ditemukan")
    sekolah = client_for("sekolah")
    other_school = next(
        row["npsn"]
        for row in data.school_list(
            SchoolQuery(
                data.region(accounts["kabkota"].region_code), ("sd", "mi"), "semua", "A.1", 2024
            )
        )[0]
        if row["npsn"] != accounts["sekolah"].npsn
    )
    for url in (
        f"/unduh/sekolah/{other_school}/",
        "/unduh/sekolah/00000000/",
        f"/unduh/wilayah/{accounts['kabkota'].region_code}/",
        f"/unduh/?npsn={other_school}",
    ):
        assert_error_page(sekolah.get(url), 404, "Halaman tidak ditemukan")


@pytest.mark.parametrize(
    "query",
    [
        "tahun=1999",
        "tahun=abc",
        "tahun=2024&tahun=2023",
        "tahun=%00",
    ],
)
def test_bad_year_is_a_400_page(query, client_for, accounts):
    """An unknown or repeated year is the site's 400 page, on the form and on the file URL."""
    client = client_for("kabkota")
    for url in ("/unduh/", own_file_url(accounts, "kabkota")):
        assert_error_page(client.get(f"{url}?{query}"), 400, "Permintaan tidak valid")


def test_region_and_school_together_is_a_400_page(client_for, accounts):
    """The form takes a region or a school, not both."""
    query = {"wilayah": "ID", "npsn": accounts["sekolah"].npsn, "tahun": "2024"}
    assert_error_page(client_for("pusat").get("/unduh/", query), 400, "Permintaan tidak valid")


def test_english_page_dates_the_release_the_english_way(client_for, data):
    """ "Last updated 5 December 2026, 13:54 WIB": the month in English, a colon in the time."""
    client = client_for("kabkota")
    client.cookies["django_language"] = "en"
    released = datetime.datetime.fromisoformat(data.release.created_at) + datetime.timedelta(
        hours=7
    )
    stamp = f"{released.day} {released:%B} {released.year}, {released:%H:%M} WIB"
    assert f"Last updated {stamp}" in parse(client.get("/unduh/")).one("main").text


def test_bad_year_is_a_400_page_in_english(client_for, accounts):
    """With the English language cookie, the 400 page is in English."""
    client = client_for("kabkota")
    client.cookies["django_language"] = "en"
    response = client.get(own_file_url(accounts, "kabkota"), {"tahun": "1999"})
    assert_error_page(response, 400, "Invalid request", language="en")


def test_anonymous_visitors_are_sent_to_sign_in(client):
    """The page and the files need a signed-in account."""
    for url in ("/unduh/", "/unduh/wilayah/ID/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/?next=")


def test_beranda_and_menu_lead_to_the_unduh_page(client_for, accounts):
    """ "Unduh Rapor Pendidikan →" at the bottom of the Beranda and the menu's "Unduh" open the
    Unduh page, the former with the region and the year shown chosen (2023 here)."""
    code = accounts["provinsi"].region_code
    page = parse(client_for("provinsi").get(f"/wilayah/{code}/?tahun=2023"))
    link = page.one("p", "download-link").one("a")
    assert link.text == "Unduh Rapor Pendidikan →"
    assert link.attrs["href"] == f"/unduh/?wilayah={code}&tahun=2023"
    menu = [a for a in page.one("nav").find_all("a") if a.text == "Unduh"]
    assert menu[0].attrs["href"] == "/unduh/"
    chosen = parse(client_for("provinsi").get(link.attrs["href"]))
    selected = chosen.one("select", name="wilayah").find_all("option", selected="")
    assert [option.attrs["value"] for option in selected] == [code]
    years = chosen.one("select", name="tahun").find_all("option", selected="")
    assert [option.attrs["value"] for option in years] == ["2023"]


def test_school_page_links_to_its_file(client_for, accounts, data):
    """The school view links to the Unduh page for that school."""
    npsn = accounts["sekolah"].npsn
    page = parse(client_for("kabkota").get(f"/sekolah/{npsn}/"))
    link = page.one("p", "download-link").one("a")
    assert link.attrs["href"] == f"/unduh/?npsn={npsn}&tahun={data.years[-1]}"
    chosen = parse(client_for("kabkota").get(link.attrs["href"]))
    assert chosen.one("input", name="npsn").attrs["value"] == npsn
