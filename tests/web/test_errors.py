"""Bad input gets an error page in the reader's language, never a server error.

Invalid filter values are a 400 page, unknown indicators, regions and schools a 404 page; both are
rendered by the one error path (`rapor.web.errors`), in Indonesian unless the language cookie asks
for English.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.test import Client

from tests.web.test_beranda import parse

HUGE = "x" * 100_000
INVALID_FILTERS = {
    "unknown jenjang": "jenjang=sd",
    "jenjang in capitals": "jenjang=DASAR",
    "unknown bentuk": "bentuk=sekolah",
    "unknown status": "status=semuanya",
    "year without data": "tahun=2019",
    "year not a number": "tahun=dua-ribu",
    "year in scientific notation": "tahun=2e3",
    "year with a space": "tahun=%202024",
    "repeated jenjang": "jenjang=dasar&jenjang=menengah",
    "repeated year": "tahun=2024&tahun=2023",
    "repeated status": "status=negeri&status=negeri",
    "huge value": f"bentuk={HUGE}",
    "accented letters": "jenjang=" + quote("dàsar"),
    "emoji": "status=" + quote("😀"),
    "NUL byte": "jenjang=%00",
    "markup": "jenjang=" + quote("<script>alert(1)</script>"),
}


def assert_error_page(response, status: int, title: str, language: str = "id") -> None:
    """The response is the site's error page with this status and title, in this language."""
    page = parse(response, status)
    assert page.one("section", "error-page").one("h1").text == title
    assert page.one("html").attrs["lang"] == language


@pytest.fixture
def english(client_for):
    """A signed-in provinsi client that chose English (the language cookie)."""
    client = client_for("provinsi")
    client.cookies["django_language"] = "en"
    return client


@pytest.mark.parametrize("query", INVALID_FILTERS.values(), ids=INVALID_FILTERS.keys())
def test_invalid_filter_on_beranda_is_a_400_page_in_indonesian(client_for, accounts, query):
    """An invalid filter value on Beranda gets the 400 page in Indonesian."""
    code = accounts["provinsi"].region_code
    response = client_for("provinsi").get(f"/wilayah/{code}/?{query}")
    assert_error_page(response, 400, "Permintaan tidak valid")
    assert "<script>alert" not in response.content.decode()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "id",
            "Pilihan Jenjang/Jenis Layanan “kuliah” tidak dikenal. Pilihan yang tersedia: Dasar, "
            "Menengah Pertama, Menengah, Khusus.",
        ),
        (
            "en",
            "Unknown Level/Type of service choice “kuliah”. The choices are: Primary, Lower "
            "secondary, Upper secondary, Special education.",
        ),
    ],
)
def test_the_400_page_names_the_filter_and_its_choices_as_the_form_does(
    client_for, accounts, language, expected
):
    """Not the query's field name and codes (`jenjang`, `menengah_pertama`): the filter's label
    and its options as the form shows them, in the reader's language."""
    client = client_for("provinsi")
    client.cookies["django_language"] = language
    response = client.get(f"/wilayah/{accounts['provinsi'].region_code}/?jenjang=kuliah")
    page = parse(response, 400)
    assert page.one("section", "error-page").find_all("p")[1].text == expected


def test_an_htmx_request_gets_the_error_page_for_the_whole_body(client_for, accounts):
    """The filters ask htmx for #content only; an error instead replaces the page body (#main),
    so the message is shown rather than an empty swap (rapor.js lets htmx swap it)."""
    code = accounts["provinsi"].region_code
    response = client_for("provinsi").get(
        f"/wilayah/{code}/?jenjang=kuliah", headers={"HX-Request": "true"}
    )
    assert_error_page(response, 400, "Permintaan tidak valid")
    assert (response["HX-Retarget"], response["HX-Reselect"]) == ("#main", "#main")
    assert response["HX-Reswap"] == "outerHTML"
    assert 'id="main"' in response.content.decode()


@pytest.mark.parametrize("query", INVALID_FILTERS.values(), ids=INVALID_FILTERS.keys())
def test_invalid_filter_on_beranda_is_a_400_page_in_english(english, accounts, query):
    """With the English language cookie, an invalid filter value gets the 400 page in English."""
    response = english.get(f"/wilayah/{accounts['provinsi'].region_code}/?{query}")
    assert_error_page(response, 400, "Invalid request", language="en")


@pytest.mark.parametrize(
    "query",
    [
        "status=swasta&status=negeri",
        "urut=harga",
        "arah=atas",
        "urut=nilai&urut=nama",
        "arah=naik&arah=turun",
        f"urut={HUGE}",
    ],
)
def test_invalid_filter_or_order_on_the_detail_is_a_400_page(client_for, accounts, query):
    """An invalid filter, sort key or direction on the indicator detail gets the 400 page."""
    code = accounts["kabkota"].region_code
    response = client_for("kabkota").get(f"/wilayah/{code}/indikator/A.1/?{query}")
    assert_error_page(response, 400, "Permintaan tidak valid")


def test_participation_indicator_for_another_jenjang_is_a_400_page(client_for, accounts):
    """APK of primary school asked for under another jenjang gets the 400 page."""
    code = accounts["kabkota"].region_code
    response = client_for("kabkota").get(f"/wilayah/{code}/indikator/APK-SD/?jenjang=menengah")
    assert_error_page(response, 400, "Permintaan tidak valid")


@pytest.mark.parametrize(
    "query", ["jenjang=menengah", "jenjang=dasar&jenjang=dasar", "jenjang=%00", f"jenjang={HUGE}"]
)
def test_unknown_school_level_is_a_400_page(client_for, accounts, query):
    """A jenjang the school does not have, or a repeated one, gets the 400 page."""
    npsn = accounts["sekolah"].npsn
    client = client_for("sekolah")
    for url in (f"/sekolah/{npsn}/?{query}", f"/sekolah/{npsn}/indikator/A.1/?{query}"):
        assert_error_page(client.get(url), 400, "Permintaan tidak valid")


@pytest.mark.parametrize(
    "path",
    [
        "/wilayah/34/indikator/Z.9/",
        "/wilayah/34/indikator/a.1/",
        "/wilayah/34.99/",
        "/wilayah/34.99/indikator/A.1/",
        "/wilayah/%F0%9F%98%80/",
        "/sekolah/00000000/",
        "/sekolah/123/",
        f"/sekolah/{'9' * 5000}/",
        "/sekolah/%00/",
        "/sekolah/{npsn}/indikator/Z.9/",
        "/sekolah/{npsn}/indikator/APK-SD/",
        "/unduh/wilayah/34.99/",
        "/unduh/sekolah/00000000/",
        "/halaman-yang-tidak-ada/",
    ],
)
def test_unknown_entity_is_a_404_page(client_for, accounts, path):
    """An unknown indicator, region, school or page gets the 404 page, for every account."""
    for role in ("pusat", "sekolah"):
        response = client_for(role).get(path.format(npsn=accounts["sekolah"].npsn))
        assert_error_page(response, 404, "Halaman tidak ditemukan")


def test_unknown_entity_is_a_404_page_in_english(english):
    """With the English language cookie, the 404 page is in English."""
    assert_error_page(english.get("/sekolah/00000000/"), 404, "Page not found", language="en")


def test_hostile_input_never_causes_a_server_error(client_for, accounts):
    """Odd paths and query strings on every dashboard page get an answer below 500."""
    npsn = accounts["sekolah"].npsn
    pages = [
        "/beranda/",
        "/wilayah/ID/",
        "/wilayah/34/",
        "/wilayah/34.01/indikator/A.1/",
        "/wilayah/34.01/indikator/APK-SD/",
        f"/sekolah/{npsn}/",
        f"/sekolah/{npsn}/indikator/A.1/",
    ]
    queries = [
        *INVALID_FILTERS.values(),
        "halaman=0",
        "halaman=-1",
        "halaman=99999999999999999999",
        "halaman=1e309",
        "halaman=abc",
        "jenjang=",
        "tahun=",
        "unknown=1",
        "jenjang[]=dasar",
        "%ff=%fe",
    ]
    client: Client = client_for("pusat")
    failures = []
    for page in pages:
        for query in queries:
            for headers in ({}, {"HX-Request": "true"}):
                response = client.get(f"{page}?{query}", headers=headers)
                if response.status_code >= 500:
                    failures.append(f"{page}?{query[:40]} {headers}: {response.status_code}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(("method", "path"), [("get", "/keluar/"), ("put", "/saran/")])
def test_a_method_the_page_does_not_take_is_the_405_page(client_for, method, path):
    """GET on the POST-only sign-out, or PUT on a form, gets the error page (with the methods
    it takes) rather than an empty answer."""
    response = getattr(client_for("kabkota"), method)(path)
    assert_error_page(response, 405, "Permintaan tidak valid")
    assert "POST" in response["Allow"]
