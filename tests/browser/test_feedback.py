"""Beri Saran in a real browser: the htmx dialog from a dashboard page, and the plain page
without JavaScript."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from rapor.web.accounts.models import Account
from rapor.web.feedback.models import Feedback
from tests.browser.test_dashboard import sign_in_demo

pytestmark = pytest.mark.browser


def test_feedback_dialog_from_a_dashboard_page(
    page: Page, accounts: dict[str, Account], shot: Callable
) -> None:
    """The top bar opens the form as a dialog; an error and then a sending happen inside it,
    Escape closes it, and the feedback is stored with the dashboard page."""
    account = accounts["kabkota"]
    sign_in_demo(page, account)
    page.wait_for_url(f"**/wilayah/{account.region_code}/")
    dashboard = page.url

    page.get_by_role("link", name="Beri Saran").click()
    dialog = page.locator("#dialog dialog")
    expect(dialog).to_be_visible()
    assert page.url == dashboard  # a dialog over the page, not a new page
    dialog.get_by_label("Saran Anda").fill("Grafik <b>perbandingan</b> kecil.")
    dialog.get_by_role("button", name="Kirim").click()
    expect(dialog.locator(".field-error")).to_have_text("Pilih salah satu penilaian.")
    expect(dialog.get_by_label("Saran Anda")).to_have_value("Grafik <b>perbandingan</b> kecil.")
    shot(page, "error")

    dialog.get_by_label("Membantu", exact=True).check()
    dialog.get_by_role("button", name="Kirim").click()
    expect(dialog).to_contain_text("Terima kasih atas saran Anda.")
    shot(page, "thanks")
    page.keyboard.press("Escape")
    expect(page.locator("#dialog dialog")).to_have_count(0)

    feedback = Feedback.objects.get()
    assert feedback.page == f"/wilayah/{account.region_code}/"
    assert (feedback.rating, feedback.account) == (4, account)


def test_feedback_page_without_javascript(
    new_context: Callable, accounts: dict[str, Account]
) -> None:
    """Without JavaScript the top-bar link opens the form as a page and it sends as a form."""
    page = new_context(java_script_enabled=False).new_page()
    account = accounts["sekolah"]
    sign_in_demo(page, account)
    page.get_by_role("link", name="Beri Saran").click()
    page.wait_for_url(lambda url: "/saran/?dari=" in url)
    page.get_by_label("Sangat membantu").check()
    page.get_by_label("Saran Anda").fill("Mudah dipahami.")
    page.get_by_role("button", name="Kirim").click()
    expect(page.locator("main")).to_contain_text("Terima kasih atas saran Anda.")
    page.get_by_role("link", name="Kembali ke halaman sebelumnya").click()
    page.wait_for_url(f"**/sekolah/{account.npsn}/")
    assert Feedback.objects.get().page == f"/sekolah/{account.npsn}/"


def test_a_refused_sending_in_the_dialog_shows_the_error_page(
    page: Page, accounts: dict[str, Account], settings, shot: Callable
) -> None:
    """Over the rate limit, sending from the dialog closes it and shows the 429 page's message
    in the page body (htmx swaps the error page instead of doing nothing)."""
    settings.RAPOR_FEEDBACK_RATE = "1/h"
    sign_in_demo(page, accounts["provinsi"])
    for attempt in range(2):
        page.get_by_role("link", name="Beri Saran").click()
        dialog = page.locator("#dialog dialog")
        dialog.get_by_label("Membantu", exact=True).check()
        dialog.get_by_label("Saran Anda").fill(f"Saran ke-{attempt + 1}.")
        dialog.get_by_role("button", name="Kirim").click()
        if attempt == 0:
            expect(dialog).to_contain_text("Terima kasih atas saran Anda.")
            page.keyboard.press("Escape")
    expect(page.locator("#main h1")).to_have_text("Terlalu banyak percobaan")
    expect(page.locator("#dialog dialog")).to_have_count(0)
    assert Feedback.objects.count() == 1
    shot(page, "refused")
