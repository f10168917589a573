"""The Content-Security-Policy in a real browser: the pages people use, htmx, the comparison
chart and the admin work under it without a single violation."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, expect

from rapor.web.accounts.models import Account
from tests.browser.test_dashboard import sign_in_demo

pytestmark = pytest.mark.browser

# Runs before the page's own scripts (Playwright injects it, so the policy does not apply to it)
# and reports every violation the browser notices, including blocked style attributes.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (event) {
  window.reportCspViolation(
    event.violatedDirective + " blocked " + (event.blockedURI || "inline") + " on " +
    location.pathname + (event.sample ? ": " + event.sample : "")
  );
});
"""


@pytest.fixture
def violations(page: Page) -> list[str]:
    """What the browser refused under the policy, from the page's events and its console."""
    found: list[str] = []
    context: BrowserContext = page.context
    context.expose_function("reportCspViolation", lambda text: found.append(text))
    context.add_init_script(REPORT_VIOLATIONS)

    def on_console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            found.append(message.text)

    page.on("console", on_console)
    return found


def test_pages_work_under_the_policy(
    page: Page, violations: list[str], accounts: dict[str, Account], shot: Callable
) -> None:
    """Beranda, an indicator detail with its chart and tooltip, the Beri Saran dialog, Pusat
    Bantuan, a Glosarium search and Unduh raise no policy violation."""
    account = accounts["kabkota"]
    sign_in_demo(page, account)
    page.wait_for_url(f"**/wilayah/{account.region_code}/")
    expect(page.locator("article.card").first).to_be_visible()

    page.locator("article.card[data-indicator='A.1']").get_by_role(
        "link", name="Selengkapnya"
    ).click()
    page.locator("section.comparisons .chart").scroll_into_view_if_needed()  # drawn when near
    chart = page.locator("section.comparisons .chart svg")
    expect(chart).to_be_visible()
    chart.hover()  # ECharts draws its tooltip
    shot(page, "detail")

    page.get_by_role("link", name="Beri Saran").click()
    dialog = page.locator("#dialog dialog")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Kirim").click()  # htmx posts into the dialog
    expect(dialog.locator(".field-error").first).to_be_visible()
    shot(page, "dialog")
    page.keyboard.press("Escape")

    page.get_by_role("link", name="Pusat Bantuan").click()
    page.wait_for_url("**/bantuan/")
    shot(page, "bantuan")

    page.get_by_role("link", name="Glosarium").click()
    page.wait_for_url("**/glosarium/")
    page.get_by_placeholder("Cari istilah atau kata kunci").fill("numerasi")
    page.get_by_role("button", name="Cari").click()
    page.wait_for_url("**/glosarium/?q=numerasi")
    expect(page.locator("#glossary-results")).to_contain_text("Numerasi")

    page.get_by_role("link", name="Unduh", exact=True).click()
    page.wait_for_url("**/unduh/")
    shot(page, "unduh")
    assert violations == []


def test_admin_works_under_the_policy(
    page: Page, violations: list[str], accounts: dict[str, Account], shot: Callable
) -> None:
    """The admin's index, a change list with its filters and actions, a change form and the
    audit log raise no policy violation, and its scripts still run."""
    sign_in_demo(page, accounts["pusat"])
    page.goto("/admin/")
    expect(page.locator("#site-name")).to_be_visible()

    page.goto("/admin/accounts/account/")
    # The action bar's "select all" checkbox is wired by the admin's actions.js.
    page.locator("#action-toggle").check()
    expect(page.locator(".action-counter")).to_contain_text(str(len(accounts)))
    shot(page, "accounts")

    page.goto(f"/admin/accounts/account/{accounts['kabkota'].pk}/change/")
    expect(page.locator("input[name=email]")).to_have_value(accounts["kabkota"].email)

    page.goto("/admin/audit/auditevent/")
    expect(page.locator("#result_list")).to_contain_text(accounts["pusat"].email)
    shot(page, "audit")

    page.goto("/admin/help/ticket/")
    page.goto("/admin/glossary/term/add/")
    expect(page.locator("form")).not_to_have_count(0)
    assert violations == []
