"""Each role in a real browser: sign in, filter, read a tooltip, open Selengkapnya, open a school.

Every number checked on screen is looked up here in the release's parquet files with polars, not
through the web app's own index, so a wrong join or filter in the app shows up as a mismatch.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import parse_qs, urlsplit

import polars as pl
import pytest
from playwright.sync_api import Locator, Page, expect

from rapor.catalogue import load_catalogue
from rapor.web.accounts.models import Account
from tests.conftest import Built
from tests.web.test_beranda import natural_name

pytestmark = pytest.mark.browser

NATIONAL = "ID"
# Upper secondary, SMA only, public schools: the option labels a user picks and their keys.
FILTER = {"jenjang": "menengah", "bentuk": "sma", "status": "negeri"}
FILTER_LABELS = {"jenjang": "Menengah", "bentuk": "SMA", "status": "Negeri"}
LEARNING = ("A.1", "A.2", "A.3")
NO_DATA = "Data tidak mencukupi"


class Release:
    """The small release's tables, read with polars."""

    def __init__(self, built: Built) -> None:
        self.values = built.table("indicator_values")
        self.peers = built.table("peer_values")
        self.schools = built.table("schools")
        self.regions = {
            row["region_code"]: row for row in built.table("regions").iter_rows(named=True)
        }
        self.years = sorted(self.values["year"].unique())
        self.year = self.years[-1]

    @staticmethod
    def level(code: str) -> str:
        return "nasional" if code == NATIONAL else "kabkota" if "." in code else "provinsi"

    def region_name(self, code: str) -> str:
        return self.regions[code]["region_name"]

    def value(self, entity_type: str, code: str, indicator: str, **keys: str) -> dict | None:
        """The one row of an entity, indicator and year (the latest unless given), or None."""
        rows = self._rows(self.values, entity_type, code, indicator, **keys)
        assert len(rows) <= 1, rows
        return rows[0] if rows else None

    def peer_value(self, entity_type: str, code: str, indicator: str, **keys: str) -> float | None:
        rows = self._rows(self.peers, entity_type, code, indicator, **keys)
        assert len(rows) <= 1, rows
        return rows[0]["peer_value"] if rows else None

    def region_value(self, code: str, indicator: str) -> float | None:
        """A region's value under FILTER (None when withheld or missing)."""
        row = self.value(self.level(code), code, indicator, **FILTER)
        return None if row is None or row["suppressed"] else row["value"]

    def school_list(self, code: str, indicator: str) -> pl.DataFrame:
        """The schools of a region under FILTER with their rows of `indicator`, by name as
        people count (test_beranda.natural_name)."""
        in_region = self.schools.filter(pl.col(f"{self.level(code)}_code") == code)
        return (
            self.values.filter(
                pl.col("entity_type") == "sekolah",
                pl.col("indicator") == indicator,
                pl.col("year") == self.year,
                pl.col("bentuk") == FILTER["bentuk"],
                pl.col("status") == FILTER["status"],
            )
            .join(in_region.select("npsn", "school_name"), left_on="entity_code", right_on="npsn")
            .with_columns(natural=pl.col("school_name").map_elements(natural_name, pl.String))
            .sort("natural", "entity_code")
        )

    def school_jenjang(self, npsn: str) -> list[str]:
        rows = self.values.filter(pl.col("entity_type") == "sekolah", pl.col("entity_code") == npsn)
        return sorted(rows["jenjang"].unique().to_list())

    def school(self, npsn: str) -> dict:
        return self.schools.filter(pl.col("npsn") == npsn).row(0, named=True)

    def _rows(
        self, table: pl.DataFrame, entity_type: str, code: str, indicator: str, **keys: str
    ) -> list[dict]:
        keys.setdefault("year", self.year)
        return table.filter(
            pl.col("entity_type") == entity_type,
            pl.col("entity_code") == code,
            pl.col("indicator") == indicator,
            *(pl.col(column) == value for column, value in keys.items()),
        ).to_dicts()


@pytest.fixture(scope="module")
def release(built: Built) -> Release:
    return Release(built)


def number(value: float | None, places: int = 2) -> str:
    """A value as the pages print it: floatformat (half up) in Indonesian, with a comma."""
    if value is None:
        return NO_DATA
    rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return str(rounded).replace(".", ",")


def query_of(url: str) -> dict[str, str]:
    return {key: values[-1] for key, values in parse_qs(urlsplit(url).query).items()}


def sign_in_demo(page: Page, account: Account) -> None:
    """ "Masuk sebagai akun demo": the button of the account's row."""
    page.goto("/masuk/demo/")
    row = page.locator("ul.demo-accounts li").filter(has_text=account.email)
    row.get_by_role("button").click()
    page.wait_for_url(lambda url: "/masuk/demo/" not in url)
    expect(page.locator(".account-menu .account-name")).to_have_text(account.name)


def card(page: Page, indicator: str) -> Locator:
    return page.locator(f"article.card[data-indicator='{indicator}']")


def expect_card_value(card: Locator, row: dict | None) -> None:
    """The card shows the release row: its value (2 decimals), or why it is withheld."""
    assert row is not None, "the release has no row for this card"
    if row["suppressed"]:
        expect(card.locator(".no-data")).to_contain_text(NO_DATA)
        return
    indicator = load_catalogue().indicator(row["indicator"])
    band = next((band for band in indicator.bands if band.key == row["label_key"]), None)
    if band is not None:
        # The label in its band's colour, as the catalogue gives it.
        label = card.locator(".figure .label")
        expect(label).to_have_text(band.label.get("id"))
        red, green, blue = (int(band.colour[i : i + 2], 16) for i in (1, 3, 5))
        expect(label).to_have_css("background-color", f"rgb({red}, {green}, {blue})")
    value = card.locator(".value")
    expect(value).to_have_text(number(row["value"]) + ("%" if indicator.unit == "persen" else ""))
    assert float(value.get_attribute("data-value")) == pytest.approx(row["value"], abs=1e-6)
    expect(card.locator(".meta")).to_contain_text(f"Tahun {row['year']}")


def expect_tooltip(page: Page, card: Locator) -> None:
    """The (i) definition opens on keyboard focus and on a tap/click; Escape closes it."""
    indicator = load_catalogue().indicator(card.get_attribute("data-indicator"))
    button = card.locator("button.info")
    tooltip = card.locator("[role=tooltip]")
    expect(tooltip).to_be_hidden()
    expect(button).to_have_attribute("aria-describedby", tooltip.get_attribute("id"))

    button.focus()
    expect(tooltip).to_be_visible()
    expect(tooltip).to_have_text(indicator.definition.get("id"))
    page.keyboard.press("Escape")
    expect(tooltip).to_be_hidden()

    button.click()
    expect(tooltip).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Escape")
    expect(tooltip).to_be_hidden()
    expect(button).to_have_attribute("aria-expanded", "false")


def expect_comparisons(page: Page, expected: list[tuple[str | None, float | None]]) -> None:
    """The comparisons table lists these labels (None: any) and values; ECharts drew them."""
    rows = page.locator("section.comparisons tbody tr")
    expect(rows).to_have_count(len(expected))
    for index, (label, value) in enumerate(expected):
        if label is not None:
            expect(rows.nth(index).locator("th")).to_contain_text(label)
        expect(rows.nth(index).locator("td").first).to_have_text(number(value))
    # ECharts loads when the chart nears the screen (rapor.js).
    page.locator("section.comparisons .chart").scroll_into_view_if_needed()
    chart = page.locator("section.comparisons .chart svg")
    expect(chart).to_be_visible()
    # One bar per comparison with a value (ECharts draws bars as <path> elements).
    assert chart.locator("path").count() >= sum(value is not None for _, value in expected)
    # Its labels write each value as the table does, with a decimal comma.
    labels = chart.locator("text").all_text_contents()
    assert [number(value) for _, value in expected if value is not None] == [
        label for label in labels if any(char.isdigit() for char in label) and "," in label
    ]
    # Across each sampled value's bar, its 95 % interval: the table's "Rentang 95%", drawn as a
    # whisker with two caps (three more <path> elements).
    drawn = page.locator("section.comparisons .chart").evaluate(
        "box => echarts.getInstanceByDom(box).getOption().series.map(series => series.data)"
    )
    if "Rentang 95%" not in page.locator("section.comparisons thead").inner_text():
        assert len(drawn) == 1  # census or BPS values: no intervals, no whiskers
        return
    shown = [rows.nth(index).locator("td").nth(1).inner_text() for index in range(len(expected))]
    intervals = [
        "" if lower is None else f"{number(lower)}\N{EN DASH}{number(upper)}"
        for _, lower, upper in drawn[1]
    ]
    assert intervals == shown
    whiskers = sum(lower is not None for _, lower, _ in drawn[1])
    assert whiskers >= 1
    bars = sum(value is not None for _, value in expected)
    assert chart.locator("path").count() >= bars + 3 * whiskers


def expect_year_chart(page: Page) -> None:
    """The detail page's line over the years (of a sampled 0-100 indicator): ECharts drew it and
    its intervals, from the numbers of its table."""
    chart = page.locator("section.trend-detail .chart[data-chart=line]")
    chart.scroll_into_view_if_needed()
    expect(chart.locator("svg")).to_be_visible()
    drawn = chart.evaluate("box => echarts.getInstanceByDom(box).getOption().series[0].data")
    values = page.locator("section.trend-detail table.series tbody tr").first
    cells = values.locator("td").all_inner_texts()
    assert [NO_DATA if value is None else number(value) for value in drawn] == cells
    # The labels and the tooltip write the values as the table does (42,11, not 42.10526315...).
    labels = chart.locator("svg text").all_text_contents()
    assert all(number(value) in labels for value in drawn if value is not None)
    # The vertical axis spans at least a tenth of the 0-100 scale, so small changes look small.
    axis = chart.evaluate("box => echarts.getInstanceByDom(box).getOption().yAxis[0]")
    assert axis["max"] - axis["min"] >= 10
    years = page.locator("section.trend-detail table.series thead th").all_inner_texts()
    shown = next(index for index, value in enumerate(drawn) if value is not None)
    assert chart_tooltip(chart, shown).split() == [years[shown], cells[shown]]
    # Across each sampled year's point, its 95 % interval: the table's "Rentang 95%" row, drawn
    # as a whisker with two caps (three <path> elements each), inside the axis.
    interval_row = page.locator("section.trend-detail table.series tbody tr").nth(1)
    expect(interval_row.locator("th")).to_have_text("Rentang 95%")
    series = chart.evaluate("box => echarts.getInstanceByDom(box).getOption().series")
    assert [item["type"] for item in series] == ["line", "custom"]
    bounds = series[1]["data"]
    assert [
        "" if lower is None else f"{number(lower)}\N{EN DASH}{number(upper)}"
        for _, lower, upper in bounds
    ] == interval_row.locator("td").all_inner_texts()
    sampled = [(lower, upper) for _, lower, upper in bounds if lower is not None]
    assert sampled
    assert all(axis["min"] <= lower and upper <= axis["max"] for lower, upper in sampled)
    assert chart.locator("svg path").count() >= 3 * len(sampled)


def chart_tooltip(chart: Locator, index: int) -> str:
    """The tooltip ECharts shows for the point `index` of a chart's first series, as when the
    pointer rests on it."""
    chart.evaluate(
        "(box, index) => echarts.getInstanceByDom(box)"
        ".dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: index})",
        index,
    )
    tooltip = chart.locator("div[style*='z-index: 9999999']")
    expect(tooltip).to_be_visible()
    return tooltip.inner_text()


def apply_filters_with_htmx(page: Page, year: int) -> None:
    """Menengah · SMA · Negeri, then Tampilkan: htmx swaps the content and pushes the URL."""
    # Mark the content so the swap that replaces it can be awaited: a province opens on
    # Menengah, so SMA is offered before the swap, which would then undo the choices below.
    page.locator("#content").evaluate("content => content.dataset.stale = 'true'")
    with page.expect_response(lambda r: "jenjang=menengah" in r.url) as changed:
        # The jenjang select reloads the content at once, with its own bentuk list.
        page.locator("select[name=jenjang]").select_option(label=FILTER_LABELS["jenjang"])
    assert changed.value.status == 200
    expect(page.locator("#content[data-stale]")).to_have_count(0)
    page.locator("select[name=bentuk]").select_option(label=FILTER_LABELS["bentuk"])
    page.locator("select[name=status]").select_option(label=FILTER_LABELS["status"])
    with page.expect_response(lambda r: "bentuk=sma" in r.url) as shown:
        page.get_by_role("button", name="Tampilkan").click()
    assert shown.value.status == 200
    assert shown.value.request.headers.get("hx-request") == "true", "not an htmx request"
    expected = {**FILTER, "tahun": str(year)}
    page.wait_for_url(lambda url: query_of(url) == expected)
    for name, value in FILTER.items():
        expect(page.locator(f"select[name={name}]")).to_have_value(value)


def expect_region_comparisons(page: Page, release: Release, code: str) -> None:
    """A region's A.1 against its peers and wider averages; the first row is the region itself."""
    own = release.region_value(code, "A.1")
    level = release.level(code)
    peer = release.peer_value(level, code, "A.1", **FILTER)
    national = release.region_value(NATIONAL, "A.1")
    if level == "kabkota":
        parent = release.regions[code]["parent_code"]
        expected = [
            (release.region_name(code), own),
            ("Kabupaten/Kota serupa", peer),
            ("Rata-rata Provinsi", release.region_value(parent, "A.1")),
            ("Rata-rata Nasional", national),
        ]
    else:
        expected = [
            (release.region_name(code), own),
            ("Provinsi serupa", peer),
            ("Rata-rata Nasional", national),
        ]
    expect_comparisons(page, expected)


@pytest.mark.parametrize("role", ["pusat", "provinsi", "kabkota"])
def test_dinas_role(
    page: Page, accounts: dict[str, Account], release: Release, role: str, shot: Callable
) -> None:
    """Beranda with filters, a tooltip, the A.1 detail page and a school from its list."""
    account = accounts[role]
    sign_in_demo(page, account)
    home = account.region_code or NATIONAL
    page.wait_for_url(f"**/wilayah/{home}/")
    shot(page, "beranda")

    apply_filters_with_htmx(page, release.year)
    expect_card_value(card(page, "A.1"), release.value(release.level(home), home, "A.1", **FILTER))
    shot(page, "filtered")

    expect_tooltip(page, card(page, "A.1"))
    card(page, "A.1").locator("button.info").focus()
    shot(page, "tooltip")

    place = home
    if role == "pusat":
        # Pusat chooses any region: the map's table of provinces keeps the filters.
        place = accounts["provinsi"].region_code
        page.locator("section.region-map table").get_by_role(
            "link", name=release.region_name(place), exact=True
        ).click()
        page.wait_for_url(lambda url: urlsplit(url).path == f"/wilayah/{place}/")
        assert query_of(page.url) == {**FILTER, "tahun": str(release.year)}
        expect(page.locator(".page-header .eyebrow")).to_have_text(release.region_name(place))
        expect_card_value(card(page, "A.1"), release.value("provinsi", place, "A.1", **FILTER))
        shot(page, "province")

    card(page, "A.1").get_by_role("link", name="Selengkapnya").click()
    page.wait_for_url(lambda url: urlsplit(url).path == f"/wilayah/{place}/indikator/A.1/")
    assert query_of(page.url) == {**FILTER, "tahun": str(release.year)}
    expect(page.locator("h1")).to_have_text("Kemampuan Literasi")
    expect_card_value(
        page.locator("section.card-main"),
        release.value(release.level(place), place, "A.1", **FILTER),
    )
    expect_region_comparisons(page, release, place)
    expect_year_chart(page)
    shot(page, "detail")

    schools = release.school_list(place, "A.1")
    assert not schools.is_empty(), "the release has no school for this filter"
    expect(page.locator("#schools-heading small")).to_have_text(f"({schools.height})")
    first = schools.row(0, named=True)
    row = page.locator("table.school-table tbody tr").first
    headers = [
        text.strip() for text in page.locator("table.school-table thead th").all_inner_texts()
    ]
    expect(row.locator("td").nth(headers.index("NPSN"))).to_have_text(first["entity_code"])
    expect(row.locator("td").nth(headers.index("Nilai"))).to_have_text(
        NO_DATA if first["suppressed"] else number(first["value"])
    )
    row.get_by_role("link", name=first["school_name"]).click()

    page.wait_for_url(f"**/sekolah/{first['entity_code']}/")
    expect_identity(page, release.school(first["entity_code"]))
    shot(page, "school")


def expect_identity(page: Page, school: dict) -> None:
    identity = page.locator("section.identity")
    expect(identity.locator("h1")).to_have_text(school["school_name"])
    expect(identity.locator("div").filter(has_text="NPSN").locator("dd")).to_have_text(
        school["npsn"]
    )
    expect(identity.locator("div").filter(has_text="Kota/Provinsi").locator("dd")).to_have_text(
        f"{school['kabkota_name']}, {school['provinsi_name']}"
    )


def test_sekolah_role(
    page: Page, accounts: dict[str, Account], release: Release, shot: Callable
) -> None:
    """The school view: A.1, A.2, A.3 as the school's and similar schools' values; A.1's detail."""
    account = accounts["sekolah"]
    npsn = account.npsn
    sign_in_demo(page, account)
    page.wait_for_url(f"**/sekolah/{npsn}/")
    expect_identity(page, release.school(npsn))
    expect(page.get_by_role("heading", name="Mutu Hasil Belajar Peserta Didik")).to_be_visible()
    jenjang = release.school_jenjang(npsn)[0]  # the first level is shown by default

    rows = {code: release.value("sekolah", npsn, code, jenjang=jenjang) for code in LEARNING}
    peers = {code: release.peer_value("sekolah", npsn, code, jenjang=jenjang) for code in LEARNING}
    for code in LEARNING:
        expect_card_value(card(page, code), rows[code])
        if rows[code]["suppressed"]:
            continue
        versus = card(page, code).locator("dl.versus")
        yours = versus.locator("div").filter(has_text="Satuan Pendidikan Anda").locator("dd")
        similar = versus.locator("div").filter(has_text="Satuan Pendidikan Serupa").locator("dd")
        unit = "%" if load_catalogue().indicator(code).unit == "persen" else ""
        low, high = (number(rows[code][bound]) for bound in ("ci_lower", "ci_upper"))
        interval = f" (rentang 95% {low}\u2013{high})"
        expect(yours).to_have_text(number(rows[code]["value"]) + unit + interval)
        expect(similar).to_have_text("-" if peers[code] is None else number(peers[code]) + unit)
    shot(page, "beranda")

    expect_tooltip(page, card(page, "A.1"))
    card(page, "A.1").locator("button.info").click()
    shot(page, "tooltip")
    page.keyboard.press("Escape")

    card(page, "A.1").get_by_role("link", name="Selengkapnya").click()
    page.wait_for_url(lambda url: urlsplit(url).path == f"/sekolah/{npsn}/indikator/A.1/")
    expect(page.locator("h1")).to_have_text("Kemampuan Literasi")
    expect(page.locator(".page-header .eyebrow")).to_contain_text(f"NPSN {npsn}")
    expect_card_value(page.locator("section.card-main"), rows["A.1"])
    if not rows["A.1"]["suppressed"]:
        expect_comparisons(
            page,
            [
                ("Satuan Pendidikan Anda", rows["A.1"]["value"]),
                ("Satuan Pendidikan Serupa", peers["A.1"]),
                *_school_averages(release, release.school(npsn), rows["A.1"]),
            ],
        )
    shot(page, "detail")

    # The school view's own filter: an earlier year (a plain form, so the page reloads).
    page.go_back()
    page.wait_for_url(f"**/sekolah/{npsn}/")
    earlier = max(
        year
        for year in release.years
        if year < release.year and release.value("sekolah", npsn, "A.1", jenjang=jenjang, year=year)
    )
    year_form = page.locator("form.school-year")
    year_form.locator("select[name=tahun]").select_option(str(earlier))
    year_form.get_by_role("button", name="Tampilkan").click()
    page.wait_for_url(lambda url: query_of(url).get("tahun") == str(earlier))
    expect(year_form.locator("select[name=tahun]")).to_have_value(str(earlier))
    for code in LEARNING:
        expect_card_value(
            card(page, code), release.value("sekolah", npsn, code, jenjang=jenjang, year=earlier)
        )
    shot(page, "earlier-year")


def _school_averages(release: Release, school: dict, row: dict) -> list[tuple[str, float | None]]:
    """The region averages a school is compared with: its own bentuk, all statuses."""
    keys = {"jenjang": row["jenjang"], "bentuk": row["bentuk"], "status": "semua"}
    averages = []
    for label, entity_type, code in [
        ("Rata-rata Kabupaten/Kota", "kabkota", school["kabkota_code"]),
        ("Rata-rata Provinsi", "provinsi", school["provinsi_code"]),
        ("Rata-rata Nasional", "nasional", NATIONAL),
    ]:
        average = release.value(entity_type, code, "A.1", **keys)
        averages.append(
            (label, None if average is None or average["suppressed"] else average["value"])
        )
    return averages


def test_filters_without_javascript(
    new_context: Callable, accounts: dict[str, Account], release: Release, shot: Callable
) -> None:
    """The plain form: each Tampilkan reloads the page with the filters in the URL query."""
    page = new_context(java_script_enabled=False).new_page()
    account = accounts["kabkota"]
    sign_in_demo(page, account)
    page.wait_for_url(f"**/wilayah/{account.region_code}/")

    # Without htmx the bentuk list follows the jenjang only after the first reload.
    page.locator("select[name=jenjang]").select_option(label=FILTER_LABELS["jenjang"])
    page.get_by_role("button", name="Tampilkan").click()
    page.wait_for_url(lambda url: query_of(url).get("jenjang") == FILTER["jenjang"])
    assert query_of(page.url) == {
        "jenjang": FILTER["jenjang"],
        "bentuk": "semua",
        "status": "semua",
        "tahun": str(release.year),
    }
    shot(page, "jenjang")

    page.locator("select[name=bentuk]").select_option(label=FILTER_LABELS["bentuk"])
    page.locator("select[name=status]").select_option(label=FILTER_LABELS["status"])
    page.get_by_role("button", name="Tampilkan").click()
    page.wait_for_url(lambda url: query_of(url) == {**FILTER, "tahun": str(release.year)})
    for name, value in FILTER.items():
        expect(page.locator(f"select[name={name}]")).to_have_value(value)
    expect_card_value(
        card(page, "A.1"), release.value("kabkota", account.region_code, "A.1", **FILTER)
    )
    # The definition stays reachable from the keyboard (CSS only).
    card(page, "A.1").locator("button.info").focus()
    expect(card(page, "A.1").locator("[role=tooltip]")).to_be_visible()
    shot(page, "filtered")


def test_tooltip_opens_on_a_tap(
    new_context: Callable, accounts: dict[str, Account], shot: Callable
) -> None:
    """On a touch phone the (i) definition opens on a tap, fits the screen, and a tap elsewhere
    closes it."""
    width = 390
    page = new_context(
        has_touch=True, is_mobile=True, viewport={"width": width, "height": 844}
    ).new_page()
    sign_in_demo(page, accounts["kabkota"])
    a1 = card(page, "A.1")
    tooltip = a1.locator("[role=tooltip]")
    expect(tooltip).to_be_hidden()

    a1.locator("button.info").tap()
    expect(tooltip).to_be_visible()
    expect(tooltip).to_have_text(load_catalogue().indicator("A.1").definition.get("id"))
    box = tooltip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    shot(page, "tapped")

    page.locator("h1").tap()
    expect(tooltip).to_be_hidden()
