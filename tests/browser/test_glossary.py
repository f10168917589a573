"""Glosarium in a real browser: find a term by searching and by its first letter, with the
choice kept in the address (htmx swaps the results and pushes the URL)."""

from __future__ import annotations

import importlib
from collections.abc import Callable

import pytest
from django.apps import apps
from playwright.sync_api import Page, expect

from rapor.web.accounts.models import Account
from tests.browser.test_dashboard import sign_in_demo

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def demo_terms(transactional_db) -> None:
    """The demo terms of the data migration, which the live server's database flush removes
    (the AKM term's definition mentions numerasi)."""
    migration = importlib.import_module("rapor.web.glossary.migrations.0002_demo_terms")
    migration.create_terms(apps, None)


def test_find_a_term_by_search(page: Page, accounts: dict[str, Account], shot: Callable) -> None:
    """A search lists the terms that hold the word before those whose definition does."""
    sign_in_demo(page, accounts["kabkota"])
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Glosarium").click()
    page.get_by_placeholder("Cari istilah atau kata kunci").fill("numerasi")
    page.get_by_role("button", name="Cari").click()
    expect(page).to_have_url("/glosarium/?q=numerasi")
    terms = page.locator("#glossary-results dt")
    expect(terms.first).to_contain_text("Kemampuan Numerasi")
    texts = terms.all_inner_texts()
    in_term = [("numerasi" in text.lower()) for text in texts]
    assert in_term[0] and not in_term[-1], texts  # definition matches come last
    assert in_term == sorted(in_term, reverse=True), texts
    shot(page, "search")


def test_find_a_term_by_letter(page: Page, accounts: dict[str, Account], shot: Callable) -> None:
    """A letter shows only the terms starting with it; letters without terms are not links."""
    sign_in_demo(page, accounts["provinsi"])
    page.goto("/glosarium/")
    alphabet = page.get_by_role("navigation", name="Istilah menurut huruf awal")
    expect(alphabet.locator("span.disabled", has_text="X")).to_have_attribute(
        "aria-disabled", "true"
    )
    expect(alphabet.get_by_role("link", name="X", exact=True)).to_have_count(0)
    alphabet.get_by_role("link", name="K", exact=True).click()
    expect(page).to_have_url("/glosarium/?huruf=K")
    terms = page.locator("#glossary-results dt")
    expect(terms.first).to_be_visible()
    assert all(text.strip().upper().startswith("K") for text in terms.all_inner_texts())
    expect(page.get_by_role("heading", name="K", exact=True)).to_be_visible()
    shot(page, "letter")
