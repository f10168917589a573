"""Unduh in a real browser: choose a year (and a region), download, open the file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from rapor.web.accounts.models import Account
from rapor.web.release_data import ReleaseData
from tests.browser.test_dashboard import sign_in_demo

pytestmark = pytest.mark.browser


def title_of(path: Path) -> str:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return next(book["Ringkasan"].iter_rows(max_row=1, values_only=True))[0]
    finally:
        book.close()


def test_download_a_kabkota_of_the_province(
    page: Page,
    accounts: dict[str, Account],
    data: ReleaseData,
    tmp_path: Path,
    shot: Callable,
) -> None:
    """A province account opens Unduh from the menu, chooses one of its kab/kota and 2023, and
    gets that file, named after the kab/kota and the year."""
    sign_in_demo(page, accounts["provinsi"])
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Unduh").click()
    expect(page.get_by_role("heading", name="Unduh Rapor Pendidikan")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Terakhir diperbarui")
    child = data.children(accounts["provinsi"].region_code)[0]
    page.get_by_label("Wilayah").select_option(child.code)
    page.get_by_label("Tahun").select_option("2023")
    shot(page, "form")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Unduh").click()
    download = download_info.value
    assert download.suggested_filename == f"rapor-pendidikan_{child.code}_2023.xlsx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert title_of(saved) == f"LAPORAN RAPOR PENDIDIKAN {child.name.upper()} TAHUN 2023"


def test_download_from_the_school_page_without_javascript(
    new_context, accounts: dict[str, Account], data: ReleaseData, tmp_path: Path
) -> None:
    """Without JavaScript, a school account follows "Unduh Rapor Pendidikan →" from its school
    page and downloads its own file for the newest year."""
    page = new_context(java_script_enabled=False).new_page()
    account = accounts["sekolah"]
    sign_in_demo(page, account)
    page.get_by_role("link", name="Unduh Rapor Pendidikan →").click()
    expect(page.locator("main")).to_contain_text(data.school(account.npsn)["school_name"])
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Unduh").click()
    download = download_info.value
    year = data.years[-1]
    assert download.suggested_filename == f"rapor-pendidikan_{account.npsn}_{year}.xlsx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert title_of(saved).endswith(f"TAHUN {year}")
