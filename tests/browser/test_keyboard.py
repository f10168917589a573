"""The keyboard alone: Tab reaches the top bar, the menu, the filters, the cards' (i) definitions
and "Selengkapnya"; the Beri Saran dialog takes and gives back focus; every stop shows a focus ring.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from rapor.web.accounts.models import Account
from tests.browser.test_dashboard import sign_in_demo

pytestmark = pytest.mark.browser

# What the focused element is, and how its focus shows.
FOCUSED = """() => {
  const e = document.activeElement;
  const style = getComputedStyle(e);
  return {
    tag: e.tagName.toLowerCase(),
    text: (e.innerText || e.value || "").trim().replace(/\\s+/g, " ").slice(0, 60),
    name: e.getAttribute("name"),
    classes: e.className || "",
    inDialog: !!e.closest("dialog"),
    focusVisible: e.matches(":focus-visible"),
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth),
    boxShadow: style.boxShadow,
  };
}"""


def focused(page: Page) -> dict:
    return page.evaluate(FOCUSED)


def expect_focus_ring(stop: dict) -> None:
    """A visible indicator: an outline of at least 2 px, or a box shadow, on :focus-visible."""
    assert stop["focusVisible"], stop
    has_outline = stop["outlineStyle"] != "none" and stop["outlineWidth"] >= 2
    assert has_outline or stop["boxShadow"] != "none", stop


def tab_until(page: Page, matches: Callable[[dict], bool], limit: int = 80) -> list[dict]:
    """Press Tab until the focused element matches; every stop on the way, the last included."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = focused(page)
        expect_focus_ring(stop)
        stops.append(stop)
        if matches(stop):
            return stops
    raise AssertionError(f"not reached in {limit} tabs: {[s['text'] or s['tag'] for s in stops]}")


def test_keyboard_walkthrough(page: Page, accounts: dict[str, Account], shot: Callable) -> None:
    """From the top of Beranda: skip link, top bar and menu, filters, a definition opened with
    Enter and Space and closed with Escape, then Selengkapnya opens the detail page."""
    account = accounts["kabkota"]
    sign_in_demo(page, account)
    page.wait_for_url(f"**/wilayah/{account.region_code}/")
    page.goto(page.url)  # start from a fresh load: focus at the top of the document

    stops = tab_until(page, lambda s: "skip-link" in s["classes"])
    assert len(stops) == 1, stops  # the first stop
    expect(page.locator(".skip-link")).to_be_in_viewport()
    shot(page, "skip-link")

    top = tab_until(page, lambda s: s["text"] in ("English", "Bahasa Indonesia"))
    assert [s["text"] for s in top if s["tag"] == "a"] == [
        "Rapor Pendidikan",
        "Beri Saran",
        "Beranda",
        "Glosarium",
        "Pusat Bantuan",
        "Unduh",
    ]
    assert any(s["tag"] == "summary" for s in top), top  # the account menu (Keluar)

    filters = tab_until(page, lambda s: s["text"] == "Tampilkan")
    assert [s["name"] for s in filters if s["tag"] == "select"] == [
        "jenjang",
        "bentuk",
        "status",
        "tahun",
    ]
    shot(page, "filters")

    tab_until(page, lambda s: "info" in s["classes"].split())
    button = page.locator("button.info:focus")
    tooltip = page.locator("button.info:focus + [role=tooltip]")
    expect(tooltip).to_be_visible()  # focus shows the definition
    page.keyboard.press("Escape")
    expect(tooltip).to_be_hidden()
    page.keyboard.press("Enter")
    expect(tooltip).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "true")
    shot(page, "definition")
    page.keyboard.press("Escape")
    expect(tooltip).to_be_hidden()
    page.keyboard.press("Space")
    expect(tooltip).to_be_visible()
    page.keyboard.press("Escape")
    expect(tooltip).to_be_hidden()
    expect(button).to_be_focused()  # Escape closes the definition, not the focus

    tab_until(page, lambda s: s["text"].startswith("Selengkapnya"))
    # Its name for screen readers says which indicator's: "Selengkapnya: Kemampuan Literasi".
    expect(page.locator("a.more:focus")).to_have_accessible_name(re.compile(r"^Selengkapnya: \w+"))
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/indikator/" in urlsplit(url).path)
    expect(page.locator("h1")).to_be_visible()


def test_skip_link_goes_to_the_content(page: Page, accounts: dict[str, Account]) -> None:
    """Enter on "Langsung ke konten" makes the next Tab land on the page's first control."""
    account = accounts["provinsi"]
    sign_in_demo(page, account)
    page.goto(f"/wilayah/{account.region_code}/")
    tab_until(page, lambda s: "skip-link" in s["classes"])
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "q"  # Cari, above the filters


def test_feedback_dialog_by_keyboard(
    page: Page, accounts: dict[str, Account], shot: Callable
) -> None:
    """Beri Saran opens a dialog with the focus inside; Tab stays inside; Escape closes it and
    the focus goes back to Beri Saran."""
    sign_in_demo(page, accounts["sekolah"])
    page.goto(page.url)
    tab_until(page, lambda s: s["text"] == "Beri Saran")
    page.keyboard.press("Enter")
    dialog = page.locator("#dialog dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator(":focus")).to_have_count(1)
    first = focused(page)
    assert first["inDialog"], first
    shot(page, "dialog")
    # The page behind is inert: Tab goes round the dialog's controls (past its last one, the
    # browser's own toolbar may take the focus, which leaves nothing focused in the document).
    controls = dialog.locator("input:not([tabindex='-1']):not([type=hidden]), textarea, button")
    for _ in range(controls.count() + 2):
        page.keyboard.press("Tab")
        stop = focused(page)
        assert stop["inDialog"] or stop["tag"] == "body", f"the focus left the dialog: {stop}"
    page.keyboard.press("Escape")
    expect(page.locator("#dialog dialog")).to_have_count(0)
    expect(page.locator(".feedback-link")).to_be_focused()


def test_account_menu_by_keyboard(page: Page, accounts: dict[str, Account]) -> None:
    """Enter on the account name opens its menu; Tab reaches Keluar."""
    sign_in_demo(page, accounts["pusat"])
    page.goto(page.url)
    tab_until(page, lambda s: s["tag"] == "summary")
    page.keyboard.press("Enter")
    expect(page.locator(".account-menu-body")).to_be_visible()
    stop = tab_until(page, lambda s: s["tag"] == "button")[-1]
    assert stop["text"] == "Keluar", stop
