"""Pusat Bantuan in a real browser: search the FAQ from the top bar's menu, send a contact
message to see its reference number, download the user guide, enlarge an infographic."""

from __future__ import annotations

import importlib
import io
import re
from collections.abc import Callable

import pytest
from django.apps import apps
from django.core.management import call_command
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from rapor.web.accounts.models import Account
from rapor.web.help.models import Ticket
from tests.browser.test_dashboard import sign_in_demo

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def demo_faq(transactional_db) -> None:
    """The demo FAQ of the data migration, which the live server's database flush removes."""
    migration = importlib.import_module("rapor.web.help.migrations.0002_demo_faq")
    migration.create_faq(apps, None)


def test_search_the_faq(page: Page, accounts: dict[str, Account], shot: Callable) -> None:
    """The menu opens Pusat Bantuan; a search for a word of an answer shows that answer only."""
    sign_in_demo(page, accounts["kabkota"])
    page.get_by_role("navigation", name="Menu utama").get_by_role(
        "link", name="Pusat Bantuan"
    ).click()
    expect(page.get_by_role("heading", name="Informasi Penting")).to_be_visible()
    page.get_by_placeholder("Cari pertanyaan atau kata kunci").fill("akreditasi")
    page.get_by_role("button", name="Cari").click()
    entries = page.locator("article.faq-entry h3")
    expect(entries).to_have_text(["Apa perbedaan antara Rapor Pendidikan dengan Rapor Mutu?"])
    shot(page, "search")


def test_send_a_contact_message(page: Page, accounts: dict[str, Account], shot: Callable) -> None:
    """The contact form comes prefilled, keeps the message after an error, and on sending shows
    the ticket's reference number."""
    account = accounts["sekolah"]
    sign_in_demo(page, account)
    page.goto("/bantuan/")
    page.get_by_role("link", name="Isi Formulir").click()
    expect(page.get_by_label("Nama")).to_have_value(account.name)
    expect(page.get_by_label("Email")).to_have_value(account.email)
    page.get_by_label("Pesan").fill("Data sekolah kami belum muncul.")
    page.get_by_role("button", name="Kirim").click()
    expect(page.locator(".field-error")).to_have_text("Pilih topik pesan Anda.")
    expect(page.get_by_label("Pesan")).to_have_value("Data sekolah kami belum muncul.")
    shot(page, "error")
    page.get_by_label("Topik").select_option(label="Data dan indikator")
    page.get_by_role("button", name="Kirim").click()
    expect(page.locator("main")).to_contain_text("Nomor tiket Anda: RP-")
    ticket = Ticket.objects.get()
    expect(page.locator("main")).to_contain_text(f"Nomor tiket Anda: {ticket.reference}")
    shot(page, "sent")


def test_download_the_user_guide(page: Page, accounts: dict[str, Account], tmp_path) -> None:
    """The generated user guide downloads as a PDF that a PDF reader opens, with its chapters."""
    sign_in_demo(page, accounts["provinsi"])
    page.goto("/bantuan/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Panduan Pengguna Rapor Pendidikan").click()
    download = download_info.value
    assert download.suggested_filename == "panduan-pengguna-rapor-pendidikan.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    text = " ".join(pdf_page.extract_text() for pdf_page in PdfReader(saved).pages)
    assert "Masuk ke Rapor Pendidikan" in text and "Daftar Indikator" in text


def test_enlarge_an_infographic(
    page: Page, accounts: dict[str, Account], uploads, shot: Callable
) -> None:
    """A demo infographic's thumbnail opens it large, with its description for screen readers."""
    call_command("seed_demo_help", stdout=io.StringIO())
    sign_in_demo(page, accounts["sekolah"])
    page.goto("/bantuan/")
    page.get_by_role("link", name="Penggunaan Platform").click()
    expect(page.get_by_role("heading", name="Penggunaan Platform")).to_be_visible()
    image = page.locator("figure.infographic-full img")
    expect(image).to_have_attribute("alt", re.compile("^Enam langkah membaca Rapor Pendidikan"))
    assert image.evaluate("img => img.complete && img.naturalWidth") == 1200
    shot(page, "infographic")
