"""Accounts: the registry import (command and admin), sign-in refusals, sign-out, demo sign-in,
the landing page and the sign-in rate limit."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client, RequestFactory, override_settings

from rapor.web.accounts.models import Account
from rapor.web.accounts.oidc import Refusal, RegistryOIDCBackend, refusal_for

HEADER = "email,name,role,region_code,npsn,active\n"
GOOD_ROWS = (
    "kadis.sleman@dinas.belajar.id,Kadis Sleman,kabkota,34.04,,1\n"
    "Kepsek.Satu@Admin.Belajar.id,Kepala Sekolah Satu,sekolah,,20403318,ya\n"
)
# Line 2 is valid; lines 3-6 each break one rule.
BAD_FILE = (
    HEADER
    + "ok@dinas.belajar.id,Baik,provinsi,34,,1\n"
    + "peran@dinas.belajar.id,Peran Salah,gubernur,34,,1\n"
    + "wilayah@dinas.belajar.id,Wilayah Salah,kabkota,34.99,,1\n"
    + "npsn@admin.belajar.id,NPSN Salah,sekolah,,1234567,1\n"
    + "ok@dinas.belajar.id,Baik Lagi,provinsi,34,,1\n"
)


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Sign-in views count requests per address in the cache; start each test at zero."""
    cache.clear()


def write_csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "accounts.csv"
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------ CSV import


@pytest.mark.django_db
def test_import_command_creates_accounts(tmp_path):
    """`import_accounts` creates an account per row with its role and scope, emails lower-cased."""
    out = StringIO()
    call_command("import_accounts", write_csv(tmp_path, HEADER + GOOD_ROWS), stdout=out)
    assert "2 created, 0 updated" in out.getvalue()
    sleman = Account.objects.get(email="kadis.sleman@dinas.belajar.id")
    assert (sleman.name, sleman.role, sleman.region_code, sleman.is_active) == (
        "Kadis Sleman",
        "kabkota",
        "34.04",
        True,
    )
    school = Account.objects.get(email="kepsek.satu@admin.belajar.id")
    assert (school.role, school.npsn, school.region_code) == ("sekolah", "20403318", "")


@pytest.mark.django_db
def test_import_command_updates_known_accounts(tmp_path):
    """Importing a known email again updates that account instead of adding one."""
    call_command("import_accounts", write_csv(tmp_path, HEADER + GOOD_ROWS), stdout=StringIO())
    changed = HEADER + "KADIS.SLEMAN@dinas.belajar.id,Kadis Baru,provinsi,34,,0\n"
    out = StringIO()
    call_command("import_accounts", write_csv(tmp_path, changed), stdout=out)
    assert "0 created, 1 updated" in out.getvalue()
    account = Account.objects.get(email="kadis.sleman@dinas.belajar.id")
    assert (account.name, account.role, account.region_code, account.is_active) == (
        "Kadis Baru",
        "provinsi",
        "34",
        False,
    )
    assert Account.objects.count() == 2


@pytest.mark.django_db
def test_import_command_with_bad_rows_imports_nothing_and_names_the_lines(tmp_path):
    """A file with a bad role, an unknown region code, a short NPSN and a repeated email imports
    nothing, and the error names each bad line."""
    with pytest.raises(CommandError) as raised:
        call_command("import_accounts", write_csv(tmp_path, BAD_FILE), stdout=StringIO())
    message = str(raised.value)
    assert "nothing imported" in message
    for line, reason in [
        (3, "peran harus salah satu dari"),
        (4, "kode kabupaten/kota"),
        (5, "NPSN 8 digit"),
        (6, "email muncul dua kali"),
    ]:
        assert any(f"baris {line}:" in row and reason in row for row in message.splitlines()), line
    assert "baris 2:" not in message
    assert not Account.objects.exists()


@pytest.mark.django_db
def test_import_command_reports_missing_columns(tmp_path):
    """A file without the required columns imports nothing and names the missing ones."""
    with pytest.raises(CommandError, match="region_code, npsn"):
        call_command("import_accounts", write_csv(tmp_path, "email,name,role\na@b.id,A,pusat\n"))
    assert not Account.objects.exists()


def test_admin_change_list_links_to_the_import_page(client_for):
    """The account list in the admin links to the CSV import page."""
    response = client_for("pusat").get("/admin/accounts/account/")
    assert response.status_code == 200
    assert 'href="/admin/accounts/account/import/"' in response.content.decode()


def test_admin_import_page_imports_an_uploaded_csv(client_for):
    """A staff superuser uploads a registry CSV on the admin page and the accounts appear."""
    client = client_for("pusat")
    assert client.get("/admin/accounts/account/import/").status_code == 200
    upload = SimpleUploadedFile("akun.csv", (HEADER + GOOD_ROWS).encode(), "text/csv")
    response = client.post("/admin/accounts/account/import/", {"csv_file": upload}, follow=True)
    assert response.redirect_chain[-1][0] == "/admin/accounts/account/"
    assert "2 akun dibuat, 0 akun diperbarui." in response.content.decode()
    assert Account.objects.filter(email="kepsek.satu@admin.belajar.id", npsn="20403318").exists()


def test_admin_import_page_lists_bad_rows_and_imports_nothing(client_for):
    """An upload with bad rows changes nothing and the page lists each bad line."""
    client = client_for("pusat")
    before = Account.objects.count()
    upload = SimpleUploadedFile("akun.csv", BAD_FILE.encode(), "text/csv")
    response = client.post("/admin/accounts/account/import/", {"csv_file": upload})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Tidak ada akun yang diubah" in text
    for line in (3, 4, 5, 6):
        assert f"baris {line}:" in text
    assert Account.objects.count() == before


def test_admin_import_page_refuses_a_file_that_is_not_utf8(client_for):
    """A file that is not UTF-8 text is refused with a message, not a server error."""
    upload = SimpleUploadedFile("akun.csv", b"\xff\xfe\x00bad", "text/csv")
    response = client_for("pusat").post("/admin/accounts/account/import/", {"csv_file": upload})
    assert response.status_code == 200
    assert "Berkas harus berupa teks UTF-8." in response.content.decode()


# ------------------------------------------------------------------ sign-in refusals

REFUSALS = {
    "unknown": (
        {"email": "tidak.terdaftar@dinas.belajar.id", "email_verified": True},
        Refusal.UNKNOWN,
        "belum terdaftar sebagai pengguna Rapor Pendidikan",
    ),
    "inactive": (
        {"email": "nonaktif@dinas.belajar.id", "email_verified": True},
        Refusal.INACTIVE,
        "sedang tidak aktif",
    ),
    "wrong domain": (
        {"email": "kadis@gmail.com", "email_verified": True},
        Refusal.DOMAIN,
        "bukan akun belajar.id",
    ),
    "unverified": (
        {"email": "baru@dinas.belajar.id", "email_verified": False},
        Refusal.UNVERIFIED,
        "belum terverifikasi",
    ),
    "no email": ({"sub": "123"}, Refusal.UNVERIFIED, "belum terverifikasi"),
}


@pytest.fixture
def registry(accounts):
    """The demo accounts plus an inactive one and an active one with a registered email."""
    Account.objects.create_user(
        "nonaktif@dinas.belajar.id",
        name="Nonaktif",
        role="provinsi",
        region_code="34",
        is_active=False,
    )
    Account.objects.create_user(
        "baru@dinas.belajar.id", name="Baru", role="provinsi", region_code="34"
    )
    return accounts


def sign_in_attempt(client: Client, claims: dict) -> bool:
    """Run the backend's claim check as the sign-in callback does, on the client's session."""
    session = client.session
    request = RequestFactory().get("/oidc/callback/")
    request.session = session
    backend = RegistryOIDCBackend()
    backend.request = request
    allowed = backend.verify_claims(claims)
    session.save()
    return allowed


@pytest.mark.parametrize("case", REFUSALS.values(), ids=REFUSALS.keys())
def test_refused_sign_in_gets_its_reason(registry, case):
    """Unknown, inactive, wrong-domain, unverified and email-less identities are refused, each
    with its own reason."""
    claims, reason, _ = case
    assert refusal_for(claims) == reason
    assert sign_in_attempt(Client(), claims) is False


@pytest.mark.parametrize("case", REFUSALS.values(), ids=REFUSALS.keys())
def test_refusal_page_explains_the_reason_in_indonesian(registry, case):
    """After a refused sign-in the refusal page says why in Indonesian, names the email and
    whom to contact, and shows nothing else from the registry."""
    claims, _, explanation = case
    client = Client()
    sign_in_attempt(client, claims)
    response = client.get("/masuk/ditolak/")
    assert response.status_code == 403
    text = response.content.decode()
    assert '<html lang="id">' in text
    assert "Anda belum dapat masuk ke Rapor Pendidikan" in text
    assert explanation in text
    assert "admin Rapor Pendidikan di Dinas Pendidikan Anda" in text  # the default contact
    if claims.get("email"):
        assert claims["email"] in text
    for account in Account.objects.exclude(email=claims.get("email", "")):
        assert account.email not in text and account.name not in text


def test_refusal_is_explained_once(registry):
    """The reason is shown once; opening the refusal page again gives the general message."""
    client = Client()
    sign_in_attempt(client, REFUSALS["unknown"][0])
    assert "belum terdaftar" in client.get("/masuk/ditolak/").content.decode()
    again = client.get("/masuk/ditolak/").content.decode()
    assert "belum terdaftar" not in again
    assert "Proses masuk dengan akun belajar.id tidak berhasil." in again


def test_registered_active_email_may_sign_in(registry):
    """A verified, active, registered email in an allowed domain passes, with no refusal."""
    claims = {"email": "Baru@Dinas.Belajar.id", "email_verified": True}
    assert refusal_for(claims) is None
    client = Client()
    assert sign_in_attempt(client, claims) is True
    assert "rapor_sign_in_refusal" not in client.session


def test_failed_sign_in_callback_leads_to_the_refusal_page(db):
    """When the provider answers the callback with an error, the browser is sent to the refusal
    page (not an error page)."""
    response = Client().get("/oidc/callback/?error=access_denied&state=x")
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == "/masuk/ditolak/"


def test_deactivated_account_loses_its_session(client_for, accounts):
    """Deactivating an account in the registry ends its open sessions at the next request."""
    client = client_for("kabkota")
    assert client.get("/beranda/").status_code == 302
    assert client.get(f"/wilayah/{accounts['kabkota'].region_code}/").status_code == 200
    Account.objects.filter(pk=accounts["kabkota"].pk).update(is_active=False)
    response = client.get(f"/wilayah/{accounts['kabkota'].region_code}/")
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == "/"


def test_each_request_reads_the_account_as_the_orm_does(accounts):
    """The per-request account read (one fixed SQL query) gives the account with every field as
    the ORM gives it (an aware sign-up time, real booleans), and nothing for an inactive or
    unknown account."""
    account = accounts["sekolah"]
    read = Account.objects.active(account.pk)
    fields = [field.attname for field in Account._meta.concrete_fields]
    orm = Account.objects.get(pk=account.pk)
    assert [getattr(read, name) for name in fields] == [getattr(orm, name) for name in fields]
    assert read.date_joined.tzinfo is not None and read.is_active is True
    Account.objects.filter(pk=account.pk).update(is_active=False)
    assert Account.objects.active(account.pk) is None
    assert Account.objects.active(max(a.pk for a in accounts.values()) + 1) is None


# ------------------------------------------------------------------ sign-out, demo, landing


def test_logout_ends_the_session(client_for):
    """POST /keluar/ signs out: back to the landing page, and Beranda then asks to sign in."""
    client = client_for("provinsi")
    response = client.post("/keluar/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert "_auth_user_id" not in client.session
    beranda = client.get("/beranda/")
    assert beranda.status_code == 302
    assert urlsplit(beranda["Location"]).path == "/"


def test_demo_login_page_lists_the_demo_accounts(accounts):
    """The demo sign-in page is marked as demo and offers each role's demo account."""
    text = Client().get("/masuk/demo/").content.decode()
    assert "MODE DEMO" in text
    for account in accounts.values():
        assert account.email in text


@pytest.mark.parametrize("role", ["pusat", "provinsi", "kabkota", "sekolah"])
def test_demo_login_signs_in_as_the_chosen_account(accounts, role):
    """Choosing a demo account signs in as it and lands on its own Beranda."""
    client = Client()
    response = client.post("/masuk/demo/", {"email": accounts[role].email}, follow=True)
    assert response.status_code == 200
    assert client.session["_auth_user_id"] == str(accounts[role].pk)
    account = accounts[role]
    expected = f"/sekolah/{account.npsn}/" if role == "sekolah" else None
    expected = expected or f"/wilayah/{account.region_code or 'ID'}/"
    assert response.redirect_chain[-1][0] == expected


def test_seed_demo_accounts_lists_one_account_per_role(db, data):
    """`make serve`'s command prints each role's demo account, which then exists."""
    out = StringIO()
    call_command("seed_demo_accounts", stdout=out)
    listed = out.getvalue().splitlines()[1:]
    assert [line.split()[0] for line in listed] == ["pusat", "provinsi", "kabkota", "sekolah"]
    for line in listed:
        assert Account.objects.filter(email=line.split()[2], is_active=True).exists()


@override_settings(RAPOR_DEMO_LOGIN=False)
def test_seed_demo_accounts_refuses_outside_the_demo_settings(db, data):
    """Where demo sign-in is off (production settings), no demo account can be made."""
    with pytest.raises(CommandError, match="demo settings"):
        call_command("seed_demo_accounts", stdout=StringIO())
    assert not Account.objects.exists()


def test_demo_login_refuses_accounts_that_are_not_demo_accounts(registry):
    """The demo page cannot sign in as a real (non-demo) account."""
    client = Client()
    response = client.post("/masuk/demo/", {"email": "baru@dinas.belajar.id"})
    assert response.status_code == 404
    assert "_auth_user_id" not in client.session


def test_demo_sign_in_leads_to_the_page_asked_for(accounts):
    """A page opened signed out is the page shown after the demo sign-in."""
    client = Client()
    landing = client.get("/glosarium/?huruf=K", follow=True)
    assert landing.redirect_chain[-1][0] == "/?next=/glosarium/%3Fhuruf%3DK"
    demo_link = "/masuk/demo/?next=/glosarium/%3Fhuruf%3DK"
    assert f'href="{demo_link}"' in landing.content.decode()
    form = client.get(demo_link).content.decode()
    assert 'name="next" value="/glosarium/?huruf=K"' in form
    response = client.post(
        "/masuk/demo/", {"email": accounts["kabkota"].email, "next": "/glosarium/?huruf=K"}
    )
    assert response["Location"] == "/glosarium/?huruf=K"


@pytest.mark.parametrize(
    "elsewhere", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "beranda"]
)
def test_a_next_page_elsewhere_is_ignored(accounts, elsewhere):
    """`next` leading off the site (or not a path) is dropped: the sign-in lands on Beranda."""
    client = Client()
    landing = client.get("/", {"next": elsewhere}).content.decode()
    assert 'href="/oidc/authenticate/">' in landing and 'href="/masuk/demo/">' in landing
    response = client.post("/masuk/demo/", {"email": accounts["kabkota"].email, "next": elsewhere})
    assert response["Location"] == "/beranda/"


def test_landing_page_welcomes_and_offers_belajar_id_sign_in(db):
    """The landing page says "Selamat Datang di Rapor Pendidikan" and offers "Masuk dengan akun
    belajar.id", which starts the OpenID Connect sign-in, and the demo sign-in in demo mode."""
    response = Client().get("/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Selamat Datang di Rapor Pendidikan" in text
    assert 'href="/oidc/authenticate/">Masuk dengan akun belajar.id</a>' in text
    assert 'href="/masuk/demo/"' in text


# Limits per hour in these tests: django-ratelimit counts in fixed windows, and a run that
# crossed the end of a minute window started counting again (seen once in a full run).
@pytest.mark.parametrize(
    ("contact", "language", "shown"),
    [
        ("", "en", "the Rapor Pendidikan admin at your education office"),
        ("helpdesk@contoh.go.id", "id", "helpdesk@contoh.go.id"),
    ],
)
def test_the_refusal_names_whom_to_contact(registry, contact, language, shown):
    """The default contact is in the reader's language; a configured one is shown as it is."""
    client = Client()
    client.cookies["django_language"] = language
    sign_in_attempt(client, REFUSALS["unknown"][0])
    with override_settings(RAPOR_SUPPORT_CONTACT=contact):
        text = client.get("/masuk/ditolak/").content.decode()
    assert shown in text and "Dinas Pendidikan Anda" not in text.replace(shown, "")


@override_settings(RAPOR_LOGIN_RATE="3/h")
def test_demo_sign_in_is_rate_limited(accounts):
    """More sign-in attempts from one address than RAPOR_LOGIN_RATE allows get the 429 page."""
    client = Client()
    for _ in range(3):
        response = client.post("/masuk/demo/", {"email": accounts["kabkota"].email})
        assert response.status_code == 302
    response = client.post("/masuk/demo/", {"email": accounts["kabkota"].email})
    assert response.status_code == 429
    assert "Terlalu banyak percobaan" in response.content.decode()


@override_settings(RAPOR_LOGIN_RATE="5/h")
def test_belajar_id_sign_in_is_rate_limited(db):
    """Starting the belajar.id sign-in more often than RAPOR_LOGIN_RATE allows gets the 429
    page."""
    allowed = int(settings.RAPOR_LOGIN_RATE.split("/")[0])
    client = Client()
    for _ in range(allowed):
        assert client.get("/oidc/authenticate/").status_code == 302
    response = client.get("/oidc/authenticate/")
    assert response.status_code == 429
    assert "Terlalu banyak percobaan" in response.content.decode()


@override_settings(RAPOR_LOGIN_RATE="5/h")
def test_a_belajar_id_sign_in_counts_once_against_the_rate(db):
    """The sign-in's start and its callback are counted apart: an office behind one address gets
    RAPOR_LOGIN_RATE whole sign-ins (start, then the provider's answer), not half as many, and
    neither step goes past the limit."""
    allowed = int(settings.RAPOR_LOGIN_RATE.split("/")[0])
    client = Client()
    for _ in range(allowed):
        assert client.get("/oidc/authenticate/").status_code == 302
        # The provider's answer (a refusal here: no provider needed to reach the view).
        assert client.get("/oidc/callback/?error=access_denied&state=x").status_code == 302
    assert client.get("/oidc/authenticate/").status_code == 429
    assert client.get("/oidc/callback/?error=access_denied&state=x").status_code == 429
