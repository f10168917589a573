"""axe-core on every kind of page, in Indonesian and in English, for each role where pages differ:
no violation of the WCAG 2.1 A and AA rules (docs/accessibility.md).

axe checks what a machine can: contrast, names and labels, landmarks, heading structure, ARIA,
language. Keyboard use is tested in test_keyboard.py, narrow screens in test_responsive.py.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from rapor.web.accounts.models import Account
from rapor.web.help.models import FaqEntry, Infographic
from tests.browser.conftest import Audit, axe_violations, use_language
from tests.browser.test_dashboard import sign_in_demo

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_content")]

LANGUAGES = ["id", "en"]
NATIONAL = "ID"


@pytest.mark.parametrize("language", LANGUAGES)
def test_signed_out_pages(audit: Audit, language: str) -> None:
    """The landing page, demo sign-in, the open-data page and a 404 page."""
    audit.page.goto("/")
    use_language(audit.page, language)
    audit.visit("/")
    audit.visit("/masuk/demo/")
    audit.visit("/data-terbuka/")
    audit.visit("/tidak-ada/", status=404)
    audit.assert_clean()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", ["pusat", "provinsi", "kabkota"])
def test_dinas_pages(audit: Audit, accounts: dict[str, Account], role: str, language: str) -> None:
    """Beranda of the account's region (also with its menus open, and its map drawn), its A.1
    detail with the school list and chart, a school, and Unduh."""
    account = accounts[role]
    sign_in_demo(audit.page, account)
    use_language(audit.page, language)
    home = account.region_code or NATIONAL
    audit.visit(f"/wilayah/{home}/")
    audit.page.locator(".account-menu summary").click()
    audit.page.locator("button.info").first.click()
    expect(audit.page.locator("button.info + [role=tooltip]").first).to_be_visible()
    audit.check("Beranda with the account menu and a definition open")
    if role != "kabkota":  # a kab/kota has no map
        audit.page.locator("section.region-map .map").scroll_into_view_if_needed()
        expect(audit.page.locator("section.region-map .map svg")).to_be_visible()
        audit.page.locator("section.region-map tbody a").first.focus()
        audit.check("Beranda with its map drawn and a region's tooltip shown")
    audit.visit(f"/wilayah/{home}/indikator/A.1/")
    if home != NATIONAL:  # the nation has nothing to be compared with
        audit.page.locator("section.comparisons .chart").scroll_into_view_if_needed()
        expect(audit.page.locator("section.comparisons .chart svg")).to_be_visible()
    audit.page.locator("section.trend-detail .chart").scroll_into_view_if_needed()
    expect(audit.page.locator("section.trend-detail .chart svg")).to_be_visible()
    audit.check("detail with its charts drawn")
    if role == "kabkota":
        # A school as a Dinas account sees it, from the detail page's list.
        audit.page.locator("table.school-table tbody a").first.click()
        audit.page.wait_for_url("**/sekolah/*/")
        audit.check("school from the list")
    audit.visit("/unduh/")
    audit.visit("/cari/?q=negeri")
    audit.assert_clean()


@pytest.mark.parametrize("language", LANGUAGES)
def test_school_pages(audit: Audit, accounts: dict[str, Account], language: str) -> None:
    """The school view, a school indicator's detail and Unduh of a school account."""
    account = accounts["sekolah"]
    sign_in_demo(audit.page, account)
    use_language(audit.page, language)
    audit.visit(f"/sekolah/{account.npsn}/")
    audit.visit(f"/sekolah/{account.npsn}/indikator/A.1/")
    audit.visit("/unduh/")
    audit.assert_clean()


@pytest.mark.parametrize("language", LANGUAGES)
def test_content_pages(audit: Audit, accounts: dict[str, Account], language: str) -> None:
    """Glosarium, Pusat Bantuan with a FAQ answer and an infographic, Hubungi Kami with an
    error, Beri Saran as a page and as a dialog (with an error), and the 400 and 404 pages."""
    page = audit.page
    sign_in_demo(page, accounts["kabkota"])
    use_language(page, language)
    audit.visit("/glosarium/")
    audit.visit("/glosarium/?q=numerasi")
    audit.visit("/glosarium/?huruf=K")
    audit.visit("/bantuan/")
    audit.visit("/bantuan/?q=akreditasi")
    audit.visit(f"/bantuan/faq/{FaqEntry.objects.order_by('pk').first().pk}/")
    audit.visit(f"/bantuan/infografik/{Infographic.objects.order_by('pk').first().pk}/")
    audit.visit("/bantuan/hubungi/")
    page.locator("form.contact-form button[type=submit]").click()
    expect(page.locator(".field-error").first).to_be_visible()
    audit.check("Hubungi Kami with an error")
    audit.visit("/saran/?dari=/bantuan/")
    audit.visit(f"/wilayah/{accounts['kabkota'].region_code}/?jenjang=tidak-ada", status=400)
    audit.visit("/wilayah/99.99/", status=404)

    audit.visit(f"/wilayah/{accounts['kabkota'].region_code}/")
    page.locator(".feedback-link").click()
    dialog = page.locator("#dialog dialog")
    expect(dialog).to_be_visible()
    audit.check("Beri Saran dialog")
    dialog.locator("button[type=submit]").click()
    expect(dialog.locator(".field-error").first).to_be_visible()
    audit.check("Beri Saran dialog with an error")
    audit.assert_clean()


def test_axe_reports_a_planted_violation(audit: Audit) -> None:
    """The harness works: an image without alternative text and grey-on-white text are found."""
    audit.page.goto("/")
    audit.page.evaluate(
        """() => {
          const main = document.querySelector("main");
          main.insertAdjacentHTML("beforeend", '<img src="/static/rapor/favicon.svg">'
            + '<p style="color:#bbb;background:#fff">abu-abu</p>');
        }"""
    )
    found = {violation["id"] for violation in axe_violations(audit.page)}
    assert {"image-alt", "color-contrast"} <= found, found
