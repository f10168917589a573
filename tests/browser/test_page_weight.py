"""Page weight: the first load of Beranda (HTML, CSS, JavaScript, fonts, images) is at most 300 KB
compressed, for every role; an indicator's detail page loads ECharts only when its chart is near
the screen, and with it stays within the same budget.

The test server (pytest-django's live server) compresses nothing: Django has no GZipMiddleware
here and WhiteNoise serves its pre-compressed files only after `collectstatic`. So each response
body is gzipped here (level 6, what a web server or WhiteNoise would send at least) and the
compressed sizes are summed. In production WhiteNoise also offers Brotli for static files, which
is smaller still. The numbers go to test-artifacts/page-weight.json (benchmarks/RESULTS.md).
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page, Response, expect

from rapor.web.accounts.models import Account
from tests.browser.conftest import REPO_ROOT
from tests.browser.test_dashboard import sign_in_demo

pytestmark = pytest.mark.browser

BUDGET = 300 * 1024
RESULTS = REPO_ROOT / "test-artifacts" / "page-weight.json"
NATIONAL = "ID"
ECHARTS = "/static/vendor/echarts/"


@dataclass
class Load:
    """The responses of one page load: url -> (bytes as sent, bytes gzipped)."""

    sizes: dict[str, tuple[int, int]] = field(default_factory=dict)

    def record(self, response: Response) -> None:
        if response.status >= 300 and response.status < 400:
            return  # a redirect has no body
        body = response.body()
        # If a server did compress, body() is what it decoded: gzip it again, the same.
        self.sizes[urlsplit(response.url).path] = (len(body), len(gzip.compress(body, 6)))

    @property
    def raw(self) -> int:
        return sum(raw for raw, _ in self.sizes.values())

    @property
    def compressed(self) -> int:
        return sum(compressed for _, compressed in self.sizes.values())

    def summary(self) -> dict:
        return {
            "raw_bytes": self.raw,
            "gzip_bytes": self.compressed,
            "files": {path: {"raw": r, "gzip": c} for path, (r, c) in sorted(self.sizes.items())},
        }


def signed_in_context(new_context: Callable, account: Account, **options) -> BrowserContext:
    """A fresh context (empty cache) holding the session of a demo sign-in made in another."""
    signing = new_context()
    page = signing.new_page()
    sign_in_demo(page, account)
    return new_context(storage_state=signing.storage_state(), **options)


def first_load(page: Page, path: str, waiting_for: str | None = None) -> Load:
    """What opening `path` downloads; with `waiting_for`, until a response whose URL holds it too
    (on a busy machine it may come after the network went quiet)."""
    load = Load()
    page.on("response", load.record)
    if waiting_for:
        with page.expect_response(lambda response: waiting_for in response.url):
            page.goto(path, wait_until="load")
    else:
        page.goto(path, wait_until="load")
    page.wait_for_load_state("networkidle")
    page.remove_listener("response", load.record)
    return load


def save(name: str, load: Load) -> None:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[name] = load.summary()
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True))


@pytest.mark.parametrize("role", ["pusat", "provinsi", "kabkota", "sekolah"])
def test_beranda_first_load_within_budget(
    new_context: Callable, accounts: dict[str, Account], role: str
) -> None:
    """Beranda, with nothing cached, weighs at most 300 KB gzipped and loads no chart code."""
    account = accounts[role]
    page = signed_in_context(new_context, account).new_page()
    path = f"/sekolah/{account.npsn}/" if role == "sekolah" else "/beranda/"
    load = first_load(page, path)
    save(f"beranda-{role}", load)
    assert any(p.endswith(".css") for p in load.sizes), load.sizes  # measured what it loaded
    assert not any(p.startswith(ECHARTS) for p in load.sizes), load.sizes
    assert load.compressed <= BUDGET, load.summary()


@pytest.mark.parametrize("viewport", ["desktop", "mobile"])
def test_detail_loads_echarts_only_near_the_chart(
    new_context: Callable, accounts: dict[str, Account], viewport: str
) -> None:
    """On a phone the comparison chart is far below the fold: the first load skips ECharts, and
    scrolling to the chart loads it and draws it. On a desktop screen the chart is within a screen
    below the view (rapor.js loads ECharts then), so it is drawn without scrolling, and the page
    with ECharts is within the budget too (the custom build, static/vendor/README.md)."""
    size = {"desktop": (1280, 1024), "mobile": (360, 740)}[viewport]
    account = accounts["kabkota"]
    context = signed_in_context(
        new_context, account, viewport={"width": size[0], "height": size[1]}
    )
    page = context.new_page()
    path = f"/wilayah/{account.region_code}/indikator/A.1/"
    load = first_load(page, path, waiting_for=ECHARTS if viewport == "desktop" else None)
    save(f"detail-{viewport}", load)
    chart = page.locator("section.comparisons .chart")
    within_a_screen_below = chart.bounding_box()["y"] < 2 * size[1]
    assert within_a_screen_below == (viewport == "desktop")  # else the test proves nothing
    assert any(p.startswith(ECHARTS) for p in load.sizes) == (viewport == "desktop"), load.sizes
    assert load.compressed <= BUDGET, load.summary()
    if viewport == "mobile":
        with page.expect_response(lambda r: ECHARTS in r.url):
            chart.scroll_into_view_if_needed()
    # On a busy machine ECharts may come after the first load's network went quiet: wait for it.
    page.wait_for_function("() => window.echarts !== undefined")
    expect(chart.locator("svg")).to_be_visible()
    if viewport == "desktop":
        assert page.evaluate("window.scrollY") == 0


def test_detail_chart_redrawn_after_a_filter_change(
    new_context: Callable, accounts: dict[str, Account]
) -> None:
    """htmx swaps the detail page's content for another filter: the new chart is drawn too."""
    account = accounts["provinsi"]
    page = signed_in_context(new_context, account).new_page()
    page.goto(f"/wilayah/{account.region_code}/indikator/A.1/")
    chart = page.locator("section.comparisons .chart")
    chart.scroll_into_view_if_needed()
    expect(chart.locator("svg")).to_be_visible()
    page.locator("select[name=status]").select_option("negeri")
    with page.expect_response(lambda r: "status=negeri" in r.url):
        page.get_by_role("button", name="Tampilkan").click()
    page.wait_for_url(lambda url: "status=negeri" in url)
    chart.scroll_into_view_if_needed()
    expect(chart.locator("svg")).to_be_visible()
