"""With JavaScript switched off everything still works through plain links and forms: every
filter, Selengkapnya, sorting and paging the school list, a school, the Excel download, the
glossary and FAQ searches, the language switch and signing out."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from rapor.web.accounts.models import Account
from tests.browser.test_dashboard import query_of, sign_in_demo

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_content")]


@pytest.fixture
def page(new_context: Callable) -> Page:
    return new_context(java_script_enabled=False).new_page()


def show(page: Page) -> None:
    """Tampilkan: a plain submit button, visible without JavaScript."""
    button = page.locator("form.filters").get_by_role("button", name="Tampilkan")
    expect(button).to_be_visible()
    button.click()


def test_filters_detail_and_school_list(
    page: Page, accounts: dict[str, Account], shot: Callable
) -> None:
    """Each filter reloads Beranda; Selengkapnya keeps them; the school list sorts and pages
    through links; a school opens."""
    account = accounts["provinsi"]
    sign_in_demo(page, account)
    page.wait_for_url(f"**/wilayah/{account.region_code}/")

    for name, value in [
        ("jenjang", "menengah_pertama"),
        ("bentuk", "smp"),
        ("status", "negeri"),
    ]:
        page.locator(f"select[name={name}]").select_option(value)
        show(page)
        page.wait_for_url(lambda url, n=name, v=value: query_of(url).get(n) == v)
        expect(page.locator(f"select[name={name}]")).to_have_value(value)
    year = page.locator("select[name=tahun] option").first.get_attribute("value")
    page.locator("select[name=tahun]").select_option(year)
    show(page)
    page.wait_for_url(lambda url: query_of(url).get("tahun") == year)
    expected = {"jenjang": "menengah_pertama", "bentuk": "smp", "status": "negeri", "tahun": year}
    assert query_of(page.url) == expected
    shot(page, "filtered")

    page.locator("article.card[data-indicator='A.1']").get_by_role(
        "link", name="Selengkapnya"
    ).click()
    page.wait_for_url(lambda url: urlsplit(url).path.endswith("/indikator/A.1/"))
    assert query_of(page.url) == expected

    # A list long enough to page: every school of the province at the default filters.
    page.goto(f"/wilayah/{account.region_code}/indikator/A.1/")
    table = page.locator("table.school-table")
    table.get_by_role("link", name="Nilai").click()
    page.wait_for_url(lambda url: query_of(url).get("urut") == "nilai")
    expect(table.locator("th[aria-sort]")).to_contain_text("Nilai")
    first_sort = query_of(page.url)["arah"]
    table.get_by_role("link", name="Nilai").click()
    page.wait_for_url(lambda url: query_of(url).get("arah", first_sort) != first_sort)
    pager = page.get_by_role("navigation", name="Halaman daftar")
    pager.get_by_role("link", name="Berikutnya →").click()
    page.wait_for_url(lambda url: query_of(url).get("halaman") == "2")
    assert query_of(page.url)["urut"] == "nilai"
    expect(pager).to_contain_text("Halaman 2 dari")
    shot(page, "school-list")

    school = page.locator("table.school-table tbody tr").first.get_by_role("link")
    name = school.inner_text()
    school.click()
    page.wait_for_url("**/sekolah/*/")
    expect(page.locator("section.identity h1")).to_have_text(name)


def test_download_from_unduh(page: Page, accounts: dict[str, Account], tmp_path: Path) -> None:
    """The menu's Unduh and its form give the Excel file."""
    sign_in_demo(page, accounts["kabkota"])
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Unduh").click()
    with page.expect_download() as download_info:
        page.locator("form.download-form").get_by_role("button", name="Unduh").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes()[:2] == b"PK"  # a zip, as .xlsx files are


def test_glossary_and_faq_search(page: Page, accounts: dict[str, Account]) -> None:
    """The glossary search and letter bar, and the FAQ search, load result pages."""
    sign_in_demo(page, accounts["sekolah"])
    page.goto("/glosarium/")
    page.get_by_placeholder("Cari istilah atau kata kunci").fill("numerasi")
    page.get_by_role("button", name="Cari").click()
    page.wait_for_url("**/glosarium/?q=numerasi")
    expect(page.locator("#glossary-results dt").first).to_contain_text("Numerasi")
    page.get_by_role("navigation", name="Istilah menurut huruf awal").get_by_role(
        "link", name="K", exact=True
    ).click()
    page.wait_for_url("**/glosarium/?huruf=K")
    expect(page.get_by_role("heading", name="K", exact=True)).to_be_visible()

    page.goto("/bantuan/")
    page.get_by_placeholder("Cari pertanyaan atau kata kunci").fill("akreditasi")
    page.get_by_role("button", name="Cari").click()
    page.wait_for_url("**/bantuan/?q=akreditasi")
    expect(page.locator("article.faq-entry h3")).to_have_text(
        ["Apa perbedaan antara Rapor Pendidikan dengan Rapor Mutu?"]
    )
    page.get_by_role("link", name="Tautan ke jawaban ini").click()
    page.wait_for_url("**/bantuan/faq/*/")
    expect(page.locator("h1")).to_have_text(
        "Apa perbedaan antara Rapor Pendidikan dengan Rapor Mutu?"
    )


def test_language_and_sign_out(page: Page, accounts: dict[str, Account]) -> None:
    """The language switch is a form; the account menu opens (details) and Keluar signs out."""
    account = accounts["kabkota"]
    sign_in_demo(page, account)
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("button", name="Bahasa Indonesia").click()
    expect(page.locator("html")).to_have_attribute("lang", "id")
    page.locator(".account-menu summary").click()
    page.get_by_role("button", name="Keluar").click()
    expect(page.get_by_role("link", name="Masuk dengan akun belajar.id")).to_be_visible()
