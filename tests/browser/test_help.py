"""Pusat Bantuan in a real browser: search the FAQ from the top bar's menu, and send a contact
message to see its reference number."""

from __future__ import annotations

import importlib
from collections.abc import Callable

import pytest
from django.apps import apps
from playwright.sync_api import Page, expect

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
