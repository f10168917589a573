"""A provincial dinas builds a comparison group in a real browser, finding a member by name as
it types, and compares one of its kab/kota with it; axe checks each page on the way, in
Indonesian and English."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from rapor.web.accounts.models import Account
from tests.browser.conftest import Audit, use_language
from tests.browser.test_accessibility import LANGUAGES
from tests.browser.test_dashboard import sign_in_demo

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo_content")]


@pytest.mark.parametrize("language", LANGUAGES)
def test_build_a_group_and_compare(
    audit: Audit,
    accounts: dict[str, Account],
    data,
    language: str,
) -> None:
    account = accounts["provinsi"]
    page = audit.page
    sign_in_demo(page, account)
    use_language(page, language)
    children = data.children(account.region_code)[:3]
    kabkota = [child.code for child in children]
    page.goto(f"/wilayah/{account.region_code}/indikator/A.1/")
    page.locator("p.group-link a").click()
    page.wait_for_url("**/kelompok/")
    page.locator("textarea[name=members]").fill("99.99")
    page.locator("input[name=name]").fill("Tetangga")
    page.locator("form button[type=submit]").last.click()
    expect(page.locator(".field-error")).to_contain_text("99.99")
    audit.check("groups form with an error")
    # Two members by code, the third found by name as the user types (htmx) and ticked.
    page.locator("textarea[name=members]").fill("\n".join(kabkota[:2]))
    page.locator("input[name=cari]").press_sequentially(children[2].name.split()[-1], delay=20)
    found = page.locator(f"#member-results input[name=tambah][value='{kabkota[2]}']")
    found.check()
    audit.check("groups form with search results")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/kelompok/*/")
    expect(page.locator("ul.group-members li")).to_have_count(3)
    audit.check("group without a subject")
    page.locator("input[name=subjek]").fill(kabkota[0])
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url(f"**subjek={kabkota[0]}**")
    rows = page.locator("section.group-comparison tbody tr")
    expect(rows.first).to_be_visible()
    assert rows.count() >= 5
    expect(rows.first.locator("td")).to_have_count(3)  # the kab/kota, the group, the verdict
    audit.check("group against a kab/kota")
    page.goto("/kelompok/")
    page.locator("ul.group-list a[href$='/hapus/']").click()
    audit.check("the question before deleting a group")
    page.locator("form.actions button[type=submit]").click()
    page.wait_for_url("**/kelompok/")
    expect(page.locator("ul.group-list")).to_have_count(0)
    audit.assert_clean()
