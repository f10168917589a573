"""Browser fixtures: Debian's chromium driven by Playwright against pytest-django's live server.

One browser for the suite and a fresh context (cookies, storage) per test. The web app runs in a
thread of this process (`live_server`), over the small synthetic release that `tests/web` uses.
"""

from __future__ import annotations

import importlib
import io
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

# The web fixtures: RAPOR_HOME on the small synthetic release (autouse, session), the release's
# data, and the demo accounts. Imported rather than moved: tests/web owns them, and they only
# make sense for tests that run the web app.
from tests.web.conftest import accounts, active_home, data, uploads  # noqa: F401

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO_ROOT / "test-artifacts" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
# The machine may be offline: without these, chromium keeps trying to reach Google's hosts.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Short enough that a broken page fails fast, long enough for a loaded CI machine.
TIMEOUT_MS = 10_000
# Loading a whole page (its scripts and styles from the test's own server thread) took over 10 s
# once with the web tests running beside the browser on both cores.
NAVIGATION_TIMEOUT_MS = 30_000


@contextmanager
def _orm_beside_playwright() -> Iterator[None]:
    """Let Django's ORM run in this thread while Playwright's sync API is started.

    Playwright's sync API runs an asyncio event loop in this (the main) thread and marks it as
    running between its calls too (see playwright/sync_api/_context_manager.py). Django's
    `async_unsafe` guard sees that loop and refuses ORM calls from the test body and from
    pytest-django's database flush with SynchronousOnlyOperation, although nothing runs
    concurrently here: the test code blocks on one Playwright call at a time, and the live
    server answers in its own thread, which has no event loop. So the guard is switched off
    with DJANGO_ALLOW_ASYNC_UNSAFE for as long as Playwright runs, and restored afterwards.
    """
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        yield
    finally:
        if previous is None:
            del os.environ[ASYNC_UNSAFE]
        else:
            os.environ[ASYNC_UNSAFE] = previous


# One browser for the whole browser suite (package scope: Playwright, and the switched-off guard
# above, end with the suite instead of lasting through the tests that run after it).
@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (`make browser`).")
    with _orm_beside_playwright(), sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()


def _new_context(browser: Browser, base_url: str, **options) -> BrowserContext:
    # An Indonesian browser, as the app's users have (the app speaks Indonesian regardless,
    # unless its language switch was used).
    options.setdefault("viewport", {"width": 1280, "height": 900})
    context = browser.new_context(base_url=base_url, locale="id-ID", **options)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
    return context


@pytest.fixture
def new_context(browser: Browser, live_server) -> Iterator:
    """Make more contexts for one test (e.g. without JavaScript); all are closed afterwards."""
    contexts: list[BrowserContext] = []

    def make(**options) -> BrowserContext:
        contexts.append(_new_context(browser, live_server.url, **options))
        return contexts[-1]

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(request: pytest.FixtureRequest, new_context) -> Iterator[Page]:
    """A page in a fresh context; on failure its last state is saved as a screenshot."""
    opened = new_context().new_page()
    yield opened
    report = getattr(request.node, "rapor_call_report", None)
    if report is not None and report.failed and not opened.is_closed():
        opened.screenshot(path=_screenshot_path(request.node.name, "failure"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if report.when == "call":
        item.rapor_call_report = report
    return report


@pytest.fixture
def shot(request: pytest.FixtureRequest):
    """`shot(page, "step")` saves test-artifacts/screenshots/<test-name>-<step>.png."""

    def save(page: Page, step: str) -> Path:
        path = _screenshot_path(request.node.name, step)
        page.screenshot(path=path, full_page=True)
        return path

    return save


def _screenshot_path(test_name: str, step: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # test_x[pusat] -> test_x-pusat: brackets are awkward in file names and shells.
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", test_name).strip("-")
    return SCREENSHOTS / f"{name}-{step}.png"


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """Sign-ins are rate-limited per address in the cache; every browser comes from 127.0.0.1,
    so forget earlier tests' attempts (the session cache falls back to the database)."""
    cache.clear()


# axe-core, installed from npm for the tests only (`make axe`: package-lock.json → node_modules).
AXE_JS = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
# The rules of WCAG 2.0, 2.1 and 2.2, levels A and AA, and axe's best practices (landmarks,
# heading order, ...), by axe's tags.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
_RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {
    runOnly: { type: "tag", values: tags },
    resultTypes: ["violations"],
  });
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + " | " + n.failureSummary),
  }));
}"""


def axe_violations(page: Page) -> list[dict]:
    """axe-core's violations (WCAG A/AA, best practices) on the page as it is now: id, help, nodes.

    The script goes in as a <script> tag, so the page's context needs `bypass_csp=True` (the
    app's Content-Security-Policy allows no inline script)."""
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: install axe-core with `make axe` (npm ci).")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=AXE_JS)
    return page.evaluate(_RUN_AXE, AXE_TAGS)


def describe_violations(found: dict[str, list[dict]]) -> str:
    """`{page: violations}` as readable lines for an assertion message."""
    lines = []
    for where, violations in found.items():
        for violation in violations:
            lines.append(f"{where}: {violation['id']} ({violation['impact']}) {violation['help']}")
            lines.extend(f"    {node}" for node in violation["nodes"])
    return "\n".join(lines)


@pytest.fixture
def demo_content(transactional_db, uploads) -> None:  # noqa: F811 (the fixture)
    """The demo glossary terms, FAQ and infographics (what `make serve` has), which the live
    server's database flush removes."""
    importlib.import_module("rapor.web.glossary.migrations.0002_demo_terms").create_terms(
        apps, None
    )
    importlib.import_module("rapor.web.help.migrations.0002_demo_faq").create_faq(apps, None)
    call_command("seed_demo_help", stdout=io.StringIO())


class Audit:
    """Runs axe on pages one after the other and collects what it finds, by page."""

    def __init__(self, page: Page, shot: Callable) -> None:
        self.page = page
        self.shot = shot
        self.found: dict[str, list[dict]] = {}
        self.checked: list[str] = []

    def check(self, label: str) -> None:
        self.checked.append(label)
        violations = axe_violations(self.page)
        if violations:
            self.found[label] = violations
            self.shot(self.page, f"axe-{len(self.checked)}")

    def visit(self, path: str, status: int = 200) -> None:
        response = self.page.goto(path)
        assert response is not None and response.status == status, (path, response)
        self.check(path)

    def assert_clean(self) -> None:
        assert self.checked
        assert not self.found, "axe found:\n" + describe_violations(self.found)


@pytest.fixture
def audit(new_context: Callable, shot: Callable) -> Audit:
    # axe goes in as an inline <script>, which the app's Content-Security-Policy forbids.
    return Audit(new_context(bypass_csp=True).new_page(), shot)


def use_language(page: Page, language: str) -> None:
    """The top bar's language switch (the choice is kept in a cookie)."""
    if language == "en":
        page.locator("form.language").get_by_role("button", name="English").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
