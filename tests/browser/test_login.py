"""Signing in with belajar.id: the full authorization-code flow against a real local provider.

The provider (django-oauth-toolkit, `tests.oidc_provider`) runs in a subprocess on 127.0.0.1; the
web app runs in pytest-django's live server and is pointed at it through its OIDC settings.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from rapor.web.accounts.demo import DEMO_PROVINCE
from rapor.web.accounts.models import Account, Role
from tests.oidc_provider import OidcProvider, ProviderUser, running_provider

pytestmark = pytest.mark.browser

KADIS = ProviderUser("kadis@dinas.belajar.id", "kadis-rahasia-1", "Kepala Dinas Uji")
UNKNOWN = ProviderUser("belum.ada@dinas.belajar.id", "tamu-rahasia-2", "Tamu Dinas")
OTHER_DOMAIN = ProviderUser("someone@gmail.com", "gmail-rahasia-3", "Someone Else")
PRINCIPAL = ProviderUser("kepsek@admin.belajar.id", "sekolah-rahasia-4", "Kepala Sekolah Uji")
KADIS_NAME = "Kepala Dinas Pendidikan Uji"  # the registry's name, not the provider's


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory, live_server) -> Iterator[OidcProvider]:
    # The callback must be registered with the live server's host (the port is free).
    host = urlsplit(live_server.url).hostname
    with running_provider(
        tmp_path_factory.mktemp("oidc_provider"),
        users=[KADIS, UNKNOWN, OTHER_DOMAIN, PRINCIPAL],
        redirect_uris=[f"http://{host}/oidc/callback/"],
    ) as running:
        yield running


@pytest.fixture
def belajar_id(provider: OidcProvider, settings) -> OidcProvider:
    """The web app signs in at the local provider for this test."""
    for name, value in provider.relying_party_settings().items():
        setattr(settings, name, value)
    return provider


def sign_in(page: Page, provider: OidcProvider, user: ProviderUser, shot, start: str = "/") -> str:
    """From the landing page (reached from `start`) through the provider's sign-in form and back
    to the web app's callback; returns where the callback sent the browser."""
    page.goto(start)
    expect(page.get_by_role("heading", name="Selamat Datang di Rapor Pendidikan")).to_be_visible()
    shot(page, "landing")
    page.get_by_role("link", name="Masuk dengan akun belajar.id").click()
    page.wait_for_url(f"{provider.issuer.removesuffix('/o')}/**")
    page.locator("input[name=username]").fill(user.email)
    page.locator("input[name=password]").fill(user.password)
    shot(page, "provider")
    with page.expect_response(lambda r: urlsplit(r.url).path == "/oidc/callback/") as callback:
        page.get_by_role("button", name="Sign in").click()
    response = callback.value
    assert response.status == 302, f"the callback answered {response.status}, not a redirect"
    return response.headers["location"]


@pytest.mark.parametrize("role", ["pusat", "provinsi", "kabkota", "sekolah"])
def test_belajar_id_sign_in_and_out(
    page: Page, belajar_id: OidcProvider, data, shot, role: str
) -> None:
    """An account of each role, registered for the identity, lands on its own Beranda (the
    nation, its province, its kab/kota, its school); Keluar ends the session."""
    kabkota = data.children(DEMO_PROVINCE)[0]
    school = data.first_school_in(kabkota)["npsn"]
    user, scope, home, heading = {
        "pusat": (KADIS, {}, "/wilayah/ID/", "Ringkasan Kualitas Pendidikan Nasional"),
        "provinsi": (
            KADIS,
            {"region_code": DEMO_PROVINCE},
            f"/wilayah/{DEMO_PROVINCE}/",
            "Ringkasan Kualitas Pendidikan Provinsi Anda",
        ),
        "kabkota": (
            KADIS,
            {"region_code": kabkota.code},
            f"/wilayah/{kabkota.code}/",
            "Ringkasan Kualitas Pendidikan Kabupaten/Kota Anda",
        ),
        "sekolah": (
            PRINCIPAL,
            {"npsn": school},
            f"/sekolah/{school}/",
            "Ringkasan Kualitas Pendidikan Satuan Pendidikan Anda",
        ),
    }[role]
    Account.objects.create_user(user.email, name=KADIS_NAME, role=role, **scope)

    assert sign_in(page, belajar_id, user, shot) == "/beranda/"

    page.wait_for_url(re.compile(rf"{re.escape(home)}$"))
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.locator(".account-menu .account-name")).to_have_text(KADIS_NAME)
    shot(page, "beranda")

    page.locator(".account-menu summary").click()
    page.get_by_role("button", name="Keluar").click()
    expect(page.get_by_role("heading", name="Selamat Datang di Rapor Pendidikan")).to_be_visible()
    expect(page.locator(".account-menu")).to_have_count(0)

    page.goto("/beranda/")
    expect(page.get_by_role("heading", name="Selamat Datang di Rapor Pendidikan")).to_be_visible()
    expect(page.get_by_role("link", name="Masuk dengan akun belajar.id")).to_be_visible()
    assert urlsplit(page.url).path == "/"
    shot(page, "signed-out")


@pytest.mark.parametrize(
    ("user", "reason"),
    [
        (UNKNOWN, "belum terdaftar sebagai pengguna Rapor Pendidikan"),
        (OTHER_DOMAIN, "bukan akun belajar.id yang dapat digunakan untuk Rapor Pendidikan"),
    ],
    ids=["unknown-email", "wrong-domain"],
)
def test_belajar_id_refusal(
    page: Page, belajar_id: OidcProvider, user: ProviderUser, reason: str, shot
) -> None:
    """An identity the registry does not accept gets a page in Indonesian saying why."""
    assert sign_in(page, belajar_id, user, shot) == "/masuk/ditolak/"

    page.wait_for_url("**/masuk/ditolak/")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(
        page.get_by_role("heading", name="Anda belum dapat masuk ke Rapor Pendidikan")
    ).to_be_visible()
    expect(page.locator("main")).to_contain_text(reason)
    expect(page.locator("main")).to_contain_text(user.email)
    expect(page.locator("main")).to_contain_text("hubungi")
    expect(page.locator(".account-menu")).to_have_count(0)
    shot(page, "refused")

    # Nothing was signed in.
    page.goto("/beranda/")
    assert urlsplit(page.url).path == "/"


def test_a_link_opened_signed_out_leads_to_its_page_after_sign_in(
    page: Page, belajar_id: OidcProvider, data, shot
) -> None:
    """A colleague's link to a page, opened while signed out, goes through the landing page and
    the belajar.id sign-in to that page, not to Beranda."""
    Account.objects.create_user(KADIS.email, name=KADIS_NAME, role=Role.PROVINSI, region_code="34")
    asked = "/glosarium/?huruf=K"

    assert sign_in(page, belajar_id, KADIS, shot, start=asked) == asked

    expect(page).to_have_url(asked)
    expect(page.get_by_role("heading", name="K", exact=True)).to_be_visible()
