"""A phone 360 px wide: no page scrolls sideways (wide tables scroll inside their own box), for
every kind of page; a full-page screenshot of each lands in test-artifacts/screenshots/."""

from __future__ import annotations

import io
import re
import statistics
from collections.abc import Callable

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from rapor.web.accounts.models import Account
from rapor.web.help.models import FaqEntry, Infographic
from tests.browser.test_dashboard import sign_in_demo

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_content")]

WIDTH = 360
NATIONAL = "ID"
# Elements that stick out of the viewport on the right or are cut off on the left (what is
# wholly off-screen on purpose, like the skip link, is not), unless a box that scrolls by itself
# holds them.
OVERFLOWING = """(width) => {
  const scrolls = (e) => ["auto", "scroll"].includes(getComputedStyle(e).overflowX);
  const out = [];
  for (const e of document.body.querySelectorAll("*")) {
    const box = e.getBoundingClientRect();
    const cut = box.left < -0.5 && box.right > 0;
    if (box.width === 0 || (box.right <= width + 0.5 && !cut)) continue;
    if (!e.checkVisibility()) continue;  // e.g. inside a closed <details>
    let p = e.parentElement, inside = false;
    while (p && p !== document.body) {
      if (scrolls(p)) { inside = true; break; }
      p = p.parentElement;
    }
    if (inside) continue;
    out.push(`${e.tagName.toLowerCase()}.${e.className} right=${Math.round(box.right)}`);
  }
  return out.slice(0, 10);
}"""


@pytest.fixture
def phone(new_context: Callable) -> Page:
    return new_context(viewport={"width": WIDTH, "height": 740}, is_mobile=True).new_page()


class Fit:
    """Checks pages one after the other, screenshots each, and collects those too wide."""

    def __init__(self, page: Page, shot: Callable) -> None:
        self.page = page
        self.shot = shot
        self.too_wide: dict[str, list[str]] = {}
        self.count = 0

    def check(self, label: str) -> None:
        self.count += 1
        self.shot(self.page, f"360px-{self.count:02d}-{re.sub(r'[^a-z0-9]+', '-', label.lower())}")
        scroll_width = self.page.evaluate("document.documentElement.scrollWidth")
        culprits = self.page.evaluate(OVERFLOWING, WIDTH)
        if scroll_width > WIDTH or culprits:
            self.too_wide[label] = [f"scrollWidth={scroll_width}", *culprits]

    def visit(self, path: str, label: str | None = None) -> None:
        self.page.goto(path)
        self.check(label or path)

    def assert_fits(self) -> None:
        assert self.count
        assert not self.too_wide, "wider than 360 px:\n" + "\n".join(
            f"{label}: {details}" for label, details in self.too_wide.items()
        )


@pytest.fixture
def fit(phone: Page, shot: Callable) -> Fit:
    return Fit(phone, shot)


def test_signed_out_pages(fit: Fit) -> None:
    """Landing and demo sign-in, in Indonesian and English."""
    fit.visit("/")
    fit.visit("/masuk/demo/")
    fit.page.get_by_role("button", name="English").click()
    expect(fit.page.locator("html")).to_have_attribute("lang", "en")
    fit.check("demo sign-in in English")
    fit.assert_fits()


@pytest.mark.parametrize("role", ["pusat", "provinsi", "kabkota"])
def test_dinas_pages(fit: Fit, accounts: dict[str, Account], role: str) -> None:
    """Beranda (with the account menu and a definition open), the A.1 detail with the school
    list, a school and its indicator, Unduh."""
    account = accounts[role]
    sign_in_demo(fit.page, account)
    home = account.region_code or NATIONAL
    fit.visit(f"/wilayah/{home}/")
    fit.page.locator(".account-menu summary").click()
    fit.check("account menu")
    fit.page.locator(".account-menu summary").click()
    fit.page.locator("button.info").first.click()
    expect(fit.page.locator("button.info + [role=tooltip]").first).to_be_visible()
    fit.check("definition")
    fit.visit(f"/wilayah/{home}/indikator/A.1/")
    # The nation has nothing to be compared with: its chart is the one of its years.
    section = "section.trend-detail" if role == "pusat" else "section.comparisons"
    fit.page.locator(f"{section} .chart").scroll_into_view_if_needed()
    expect(fit.page.locator(f"{section} .chart svg")).to_be_visible()
    fit.check("detail with chart")
    if role != "pusat":  # the nation's detail lists provinces' figures, not schools
        fit.page.locator("table.school-table tbody a").first.click()
        fit.page.wait_for_url("**/sekolah/*/")
        fit.check("school")
    fit.visit("/unduh/")
    fit.visit("/cari/?q=negeri")
    # English words are longer: the map's table of a participation rate ("Achievement").
    fit.page.get_by_role("button", name="English").click()
    expect(fit.page.locator("html")).to_have_attribute("lang", "en")
    fit.visit(f"/wilayah/{home}/indikator/APK-SMA/?jenjang=menengah", "APK-SMA in English")
    fit.assert_fits()


def edge_shades(page: Page, selector: str) -> tuple[int, int]:
    """How dark the first and last pixel columns of an element are (0: the page's colour),
    from a screenshot: what a reader sees, whatever CSS draws it."""
    image = Image.open(io.BytesIO(page.locator(selector).screenshot())).convert("L")
    background = 245  # the page's --bg, #f5f7fa, in grey

    def shade(x: int) -> int:
        # The median down the column: row borders and text are a few pixels of it.
        column = [background - image.getpixel((x, y)) for y in range(image.height)]
        return statistics.median_low(column)

    return shade(0), shade(image.width - 1)


def test_wide_tables_show_which_side_has_more(phone: Page, accounts: dict[str, Account]) -> None:
    """A school list wider than the phone shades its right edge while more columns lie there,
    and its left edge once scrolled to the end."""
    account = accounts["kabkota"]
    sign_in_demo(phone, account)
    phone.goto(f"/wilayah/{account.region_code}/indikator/A.1/")
    table = phone.locator("table.school-table")
    assert table.evaluate("t => t.scrollWidth > t.clientWidth")  # else the test proves nothing
    table.scroll_into_view_if_needed()
    left, right = edge_shades(phone, "table.school-table")
    assert left < 8 < right, (left, right)
    table.evaluate("t => { t.scrollLeft = t.scrollWidth; }")
    left, right = edge_shades(phone, "table.school-table")
    assert right < 8 < left, (left, right)


def test_ability_bars_are_readable_on_a_phone(phone: Page, accounts: dict[str, Account]) -> None:
    """Each ability level's bar spans at least half the list (its name goes above it), so the
    shares can be compared by eye."""
    account = accounts["kabkota"]
    sign_in_demo(phone, account)
    phone.goto(f"/wilayah/{account.region_code}/indikator/A.1/")
    widths = phone.locator("ul.ability-bars").evaluate(
        "list => [list.clientWidth, ...[...list.querySelectorAll('.bar')].map(b => b.clientWidth)]"
    )
    assert len(widths) == 5 and all(bar >= widths[0] / 2 for bar in widths[1:]), widths


def test_links_that_stand_alone_are_24_px_tall(phone: Page, accounts: dict[str, Account]) -> None:
    """WCAG 2.2's target size: the detail page's back link, sort headers and pager, and the
    FAQ's answer links, are at least 24 px tall on a phone."""
    account = accounts["kabkota"]
    sign_in_demo(phone, account)
    heights = {}
    for path, selector in (
        (f"/wilayah/{account.region_code}/indikator/A.1/", ".breadcrumb a, th a, .pager a"),
        ("/bantuan/", ".faq-entry .meta a"),
    ):
        phone.goto(path)
        found = phone.locator(selector).evaluate_all(
            "links => links.map(a => a.getBoundingClientRect().height)"
        )
        assert found, selector
        heights[path] = found
    assert all(height >= 24 for found in heights.values() for height in found), heights


def test_school_pages(fit: Fit, accounts: dict[str, Account]) -> None:
    """The school view and a school indicator's detail, in both languages."""
    account = accounts["sekolah"]
    sign_in_demo(fit.page, account)
    fit.visit(f"/sekolah/{account.npsn}/")
    fit.visit(f"/sekolah/{account.npsn}/indikator/A.1/")
    fit.page.get_by_role("button", name="English").click()
    expect(fit.page.locator("html")).to_have_attribute("lang", "en")
    fit.check("school indicator in English")
    fit.visit(f"/sekolah/{account.npsn}/")
    fit.assert_fits()


def test_content_pages(fit: Fit, accounts: dict[str, Account]) -> None:
    """Glosarium, Pusat Bantuan, a FAQ answer, an infographic, Hubungi Kami with an error,
    Beri Saran as a page and a dialog, and the 400 and 404 pages."""
    page = fit.page
    account = accounts["kabkota"]
    sign_in_demo(page, account)
    fit.visit("/glosarium/")
    fit.visit("/glosarium/?q=numerasi")
    fit.visit("/bantuan/")
    fit.visit("/bantuan/?q=akreditasi")
    fit.visit(f"/bantuan/faq/{FaqEntry.objects.order_by('pk').first().pk}/", "faq answer")
    infographic = Infographic.objects.order_by("pk").first()
    fit.visit(f"/bantuan/infografik/{infographic.pk}/", "infographic")
    fit.visit("/bantuan/hubungi/")
    page.locator("form.contact-form button[type=submit]").click()
    expect(page.locator(".field-error").first).to_be_visible()
    fit.check("contact error")
    fit.visit("/saran/?dari=/")
    fit.visit(f"/wilayah/{account.region_code}/?jenjang=tidak-ada")
    fit.visit("/wilayah/99.99/")
    fit.visit(f"/wilayah/{account.region_code}/")
    page.locator(".feedback-link").click()
    expect(page.locator("#dialog dialog")).to_be_visible()
    fit.check("feedback dialog")
    fit.assert_fits()
