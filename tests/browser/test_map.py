"""The choropleth in a browser: drawn when scrolled to, a tooltip on hover and on keyboard focus
of the table, a click opens the region, and without JavaScript the table alone.

Points on the map are given in longitude/latitude and turned into screen positions by the chart
itself (`convertToPixel`), so the tests do not depend on the map's size.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from rapor.web.accounts.models import Account
from tests.browser.test_dashboard import sign_in_demo

pytestmark = pytest.mark.browser

NATIONAL = "ID"
# Well inside their region: Kalimantan Tengah (62), Kabupaten Gunungkidul (34.03).
INSIDE = {"62": (113.4, -1.6), "34.03": (110.6, -8.0)}
NAMES = {"62": "Kalimantan Tengah", "34.03": "Kabupaten Gunungkidul"}


def drawn_map(page: Page):
    """Scroll to the map and wait until ECharts has drawn it."""
    box = page.locator("section.region-map .map")
    box.scroll_into_view_if_needed()
    expect(box.locator("svg path").first).to_be_attached()
    return box


def point_of(page: Page, code: str) -> tuple[float, float]:
    """Where a region's inside point is on the screen."""
    x, y = page.evaluate(
        """([lon, lat]) => {
          const box = document.querySelector("section.region-map .map");
          const chart = echarts.getInstanceByDom(box);
          const [x, y] = chart.convertToPixel({ seriesIndex: 0 }, [lon, lat]);
          const rect = box.getBoundingClientRect();
          return [rect.left + x, rect.top + y];
        }""",
        list(INSIDE[code]),
    )
    return x, y


@pytest.mark.parametrize("role", ["pusat", "provinsi"])
def test_map_draws_shows_tooltips_and_opens_a_region(
    page: Page, accounts: dict[str, Account], role: str, shot: Callable
) -> None:
    """Beranda's map is drawn from the account's level of boundaries; hovering a region shows
    its name and value; clicking it opens its Beranda with the filters."""
    account = accounts[role]
    code = "62" if role == "pusat" else "34.03"
    boundaries = "provinsi.json" if role == "pusat" else f"kabkota-{account.region_code}"
    loaded: list[str] = []
    page.on("request", lambda request: loaded.append(urlsplit(request.url).path))
    sign_in_demo(page, account)
    page.goto(f"/wilayah/{account.region_code or NATIONAL}/?jenjang=menengah&status=negeri")
    box = drawn_map(page)
    maps = [path for path in loaded if "/rapor/maps/" in path]
    assert len(maps) == 1 and boundaries in maps[0], maps
    # One outline per region at least (a region of several islands has more).
    rows = page.locator("section.region-map tbody tr")
    assert box.locator("svg path").count() >= rows.count()

    page.mouse.move(*point_of(page, code))
    row = page.locator(f"section.region-map tr[data-code='{code}']")
    tooltip = box.get_by_text(NAMES[code], exact=True)
    expect(tooltip).to_be_visible()
    value = row.locator("td").first.inner_text()
    expect(box.get_by_text(value, exact=False).first).to_be_visible()
    shot(page, "tooltip")

    page.mouse.click(*point_of(page, code))
    page.wait_for_url(lambda url: urlsplit(url).path == f"/wilayah/{code}/")
    assert "jenjang=menengah" in page.url and "status=negeri" in page.url
    expect(page.locator(".page-header .eyebrow")).to_have_text(NAMES[code])


def test_keyboard_reaches_the_table_and_the_map_follows(
    page: Page, accounts: dict[str, Account]
) -> None:
    """Tab from the map's "Ubah peta" reaches the first region's link; its tooltip shows on the
    map; Enter opens the region."""
    sign_in_demo(page, accounts["pusat"])
    box = drawn_map(page)
    first = page.locator("section.region-map tbody tr").first
    name = first.locator("th").inner_text()
    code = first.get_attribute("data-code")
    page.locator("form.map-choice").get_by_role("button").focus()
    page.keyboard.press("Tab")
    expect(first.get_by_role("link", name=name)).to_be_focused()
    expect(box.get_by_text(name, exact=True)).to_be_visible()
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: urlsplit(url).path == f"/wilayah/{code}/")


def test_choosing_the_map_indicator_redraws_the_map(
    page: Page, accounts: dict[str, Account]
) -> None:
    """The map's own form (htmx) swaps the content: the new indicator is drawn."""
    sign_in_demo(page, accounts["provinsi"])
    drawn_map(page)
    form = page.locator("form.map-choice")
    form.locator("select[name=peta]").select_option("D.1")
    with page.expect_response(lambda r: "peta=D.1" in r.url):
        form.get_by_role("button").click()
    expect(page.locator("section.region-map caption")).to_contain_text("Tahun")
    expect(form.locator("select[name=peta]")).to_have_value("D.1")
    drawn_map(page)


def test_without_javascript_the_table_stands_alone(
    new_context: Callable, accounts: dict[str, Account]
) -> None:
    """No script: no empty map box, the table with every province and its links, and the
    indicator choice works as a plain form."""
    page = new_context(java_script_enabled=False).new_page()
    sign_in_demo(page, accounts["pusat"])
    page.goto(f"/wilayah/{NATIONAL}/")
    section = page.locator("section.region-map")
    expect(section.locator(".map")).to_be_hidden()
    expect(section.locator("tbody tr")).to_have_count(38)
    expect(section.locator("tbody a").first).to_be_visible()
    section.locator("select[name=peta]").select_option("A.2")
    section.get_by_role("button").click()
    page.wait_for_url(lambda url: "peta=A.2" in url)
    expect(page.locator("section.region-map select[name=peta]")).to_have_value("A.2")
