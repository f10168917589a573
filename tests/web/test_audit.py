"""The audit log: sign-ins (through the real belajar.id flow), refusals, sign-outs, downloads,
account changes (admin, CSV import) and release switches are recorded with who, when and what,
and nobody can change or delete an event."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone

from rapor import releases
from rapor.web.accounts.models import Account, Role
from rapor.web.audit.models import AppendOnlyError, AuditEvent
from rapor.web.audit.release_log import import_release_log
from tests.conftest import build_from
from tests.oidc_provider import OidcProvider, ProviderUser, browser, running_provider
from tests.test_validation import valid_raw
from tests.web.test_accounts import REFUSALS, registry, sign_in_attempt  # noqa: F401

Action = AuditEvent.Action
CALLBACK = "http://testserver/oidc/callback/"  # the test client's host
KADIS = ProviderUser("kadis.audit@dinas.belajar.id", "kadis-rahasia-9", "Kadis Audit")
STRANGER = ProviderUser("orang.asing@dinas.belajar.id", "asing-rahasia-8", "Orang Asing")


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Sign-ins are rate-limited per address in the cache; start each test at zero."""
    cache.clear()


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OidcProvider]:
    with running_provider(
        tmp_path_factory.mktemp("oidc_provider"), [KADIS, STRANGER], [CALLBACK]
    ) as running:
        yield running


@pytest.fixture
def belajar_id(provider: OidcProvider, settings) -> OidcProvider:
    """The web app signs in at the local provider for this test."""
    for name, value in provider.relying_party_settings().items():
        setattr(settings, name, value)
    return provider


def belajar_id_sign_in(client: Client, user: ProviderUser) -> HttpResponse:
    """Start the sign-in on the web app, sign in on the provider's form as a browser would, and
    return the web app's answer to the provider's callback."""
    start = client.get("/oidc/authenticate/")
    _, location = browser.sign_in(start["Location"], CALLBACK, user)
    callback = urlsplit(location)
    return client.get(f"{callback.path}?{callback.query}")


def only_event(action: str, **filters) -> AuditEvent:
    (event,) = AuditEvent.objects.filter(action=action, **filters)
    assert timezone.now() - event.at < timedelta(minutes=1)
    return event


# ------------------------------------------------------------------ sign-in and sign-out


def test_belajar_id_sign_in_is_recorded(db, belajar_id):
    """Signing in with belajar.id records a login with the account, its email and the client's
    address."""
    account = Account.objects.create_user(
        KADIS.email, name="Kadis", role=Role.PROVINSI, region_code="34"
    )
    response = belajar_id_sign_in(Client(), KADIS)
    assert response.status_code == 302 and response["Location"] == "/beranda/"
    event = only_event(Action.LOGIN)
    assert (event.account, event.email, event.ip_address) == (account, KADIS.email, "127.0.0.1")


def test_refused_belajar_id_sign_in_is_recorded_with_its_reason(db, belajar_id):
    """An unregistered email that the provider vouches for is recorded as a failed login with
    the email as given and the reason, and nothing from the tokens."""
    response = belajar_id_sign_in(Client(), STRANGER)
    assert urlsplit(response["Location"]).path == "/masuk/ditolak/"
    event = only_event(Action.LOGIN_FAILED)
    assert (event.account, event.email, event.ip_address) == (None, STRANGER.email, "127.0.0.1")
    assert event.detail == {"reason": "unknown"}
    assert not AuditEvent.objects.filter(action=Action.LOGIN).exists()


@pytest.mark.parametrize("case", REFUSALS.values(), ids=REFUSALS.keys())
def test_every_refusal_reason_is_recorded(registry, case):  # noqa: F811
    """Unknown, inactive, wrong-domain, unverified and email-less sign-ins each record their
    reason."""
    claims, reason, _ = case
    sign_in_attempt(Client(), claims)
    event = only_event(Action.LOGIN_FAILED)
    assert event.detail == {"reason": reason}
    assert event.email == claims.get("email", "")


def test_sign_out_is_recorded(client_for, accounts):
    """Keluar records a logout by the account that signed out."""
    client = client_for("provinsi")
    client.post("/keluar/")
    event = only_event(Action.LOGOUT)
    assert (event.account, event.email) == (accounts["provinsi"], accounts["provinsi"].email)


def test_demo_sign_in_is_recorded(accounts):
    """Signing in as a demo account records a login too."""
    Client().post("/masuk/demo/", {"email": accounts["kabkota"].email})
    assert only_event(Action.LOGIN, account=accounts["kabkota"]).ip_address == "127.0.0.1"


# ------------------------------------------------------------------ downloads


def test_excel_download_is_recorded(client_for, accounts, data):
    """Downloading a region's Excel report records who, which region and which year."""
    code = accounts["kabkota"].region_code
    year = data.years[0]
    response = client_for("kabkota").get(f"/unduh/wilayah/{code}/?tahun={year}")
    assert response.status_code == 200
    event = only_event(Action.DOWNLOAD)
    assert (event.account, event.target) == (accounts["kabkota"], code)
    assert event.detail == {
        "kind": "kabkota",
        "year": year,
        "release_id": data.release.release_id,
    }


def test_school_download_is_recorded(client_for, accounts, data):
    """Downloading a school's Excel report records its NPSN."""
    npsn = accounts["sekolah"].npsn
    assert client_for("sekolah").get(f"/unduh/sekolah/{npsn}/").status_code == 200
    event = only_event(Action.DOWNLOAD)
    assert (event.account, event.target, event.detail["year"]) == (
        accounts["sekolah"],
        npsn,
        data.years[-1],
    )


def test_refused_download_is_not_recorded(client_for, accounts):
    """A download outside the account's scope is a 404 and records nothing."""
    other = "ID"
    assert client_for("kabkota").get(f"/unduh/wilayah/{other}/").status_code == 404
    assert not AuditEvent.objects.filter(action=Action.DOWNLOAD).exists()


# ------------------------------------------------------------------ account changes


def admin_form(account: Account, **changes) -> dict:
    fields = {
        "email": account.email,
        "name": account.name,
        "role": account.role,
        "region_code": account.region_code,
        "npsn": account.npsn,
        "is_active": account.is_active,
        "is_staff": account.is_staff,
    }
    fields.update(changes)
    # An unticked checkbox is not sent at all.
    return {name: ("on" if value is True else value) for name, value in fields.items() if value}


def test_account_created_in_the_admin_is_recorded(client_for, accounts):
    """Adding an account in the admin records its creation by the staff member, with its
    role and scope."""
    form = {"email": "baru.audit@dinas.belajar.id", "name": "Baru", "role": "provinsi"}
    response = client_for("pusat").post(
        "/admin/accounts/account/add/", form | {"region_code": "34", "is_active": "on"}
    )
    assert response.status_code == 302
    event = only_event(Action.ACCOUNT_CREATED, target="baru.audit@dinas.belajar.id")
    assert (event.account, event.ip_address) == (accounts["pusat"], "127.0.0.1")
    assert (event.detail["after"]["role"], event.detail["after"]["region_code"]) == (
        "provinsi",
        "34",
    )


def test_role_change_in_the_admin_is_recorded_with_before_and_after(client_for, accounts):
    """Changing an account's role in the admin records who changed it and the role and scope
    before and after."""
    account = accounts["provinsi"]
    kabkota = accounts["kabkota"].region_code
    response = client_for("pusat").post(
        f"/admin/accounts/account/{account.pk}/change/",
        admin_form(account, role="kabkota", region_code=kabkota),
    )
    assert response.status_code == 302
    event = only_event(Action.ROLE_CHANGED)
    assert (event.account, event.target) == (accounts["pusat"], account.email)
    assert event.detail == {
        "before": {"role": "provinsi", "region_code": account.region_code},
        "after": {"role": "kabkota", "region_code": kabkota},
    }


def test_deactivation_in_the_admin_is_recorded(client_for, accounts):
    """Unticking "aktif" in the admin records the deactivation."""
    account = accounts["sekolah"]
    client_for("pusat").post(
        f"/admin/accounts/account/{account.pk}/change/", admin_form(account, is_active=False)
    )
    event = only_event(Action.ACCOUNT_DEACTIVATED)
    assert (event.account, event.target) == (accounts["pusat"], account.email)
    assert event.detail == {"before": {"is_active": True}, "after": {"is_active": False}}


def test_staff_flag_in_the_admin_is_recorded(client_for, accounts):
    """Ticking "staf" (admin access) is recorded as an account change."""
    account = accounts["kabkota"]
    client_for("pusat").post(
        f"/admin/accounts/account/{account.pk}/change/", admin_form(account, is_staff=True)
    )
    event = only_event(Action.ACCOUNT_CHANGED)
    assert event.detail == {"before": {"is_staff": False}, "after": {"is_staff": True}}


def test_saving_an_unchanged_account_records_nothing(client_for, accounts):
    """Saving the admin form without changing access fields records no change."""
    account = accounts["kabkota"]
    client = client_for("pusat")
    before = AuditEvent.objects.count()
    client.post(
        f"/admin/accounts/account/{account.pk}/change/", admin_form(account, name="Nama Baru")
    )
    assert AuditEvent.objects.count() == before


def test_csv_import_command_records_creations_and_changes(db, tmp_path):
    """`import_accounts` records each created account, then each role change and deactivation,
    with no account as author (a command on the server)."""
    path = tmp_path / "akun.csv"
    path.write_text(
        "email,name,role,region_code,npsn,active\n"
        "satu@dinas.belajar.id,Satu,provinsi,34,,1\n"
        "dua@dinas.belajar.id,Dua,provinsi,34,,1\n",
        encoding="utf-8",
    )
    call_command("import_accounts", path, stdout=StringIO())
    created = AuditEvent.objects.filter(action=Action.ACCOUNT_CREATED)
    assert sorted(created.values_list("target", flat=True)) == [
        "dua@dinas.belajar.id",
        "satu@dinas.belajar.id",
    ]
    assert {(event.account, event.email, event.ip_address) for event in created} == {
        (None, "", None)
    }
    path.write_text(
        "email,name,role,region_code,npsn,active\n"
        "satu@dinas.belajar.id,Satu,pusat,,,1\n"
        "dua@dinas.belajar.id,Dua,provinsi,34,,0\n",
        encoding="utf-8",
    )
    call_command("import_accounts", path, stdout=StringIO())
    role = only_event(Action.ROLE_CHANGED, target="satu@dinas.belajar.id")
    assert role.detail == {
        "before": {"role": "provinsi", "region_code": "34"},
        "after": {"role": "pusat", "region_code": ""},
    }
    assert only_event(Action.ACCOUNT_DEACTIVATED, target="dua@dinas.belajar.id").detail == {
        "before": {"is_active": True},
        "after": {"is_active": False},
    }


def test_admin_csv_import_records_the_staff_member(client_for, accounts):
    """Accounts created by the admin's CSV import are recorded with the staff member who
    uploaded the file."""
    csv = "email,name,role,region_code,npsn,active\ntiga@dinas.belajar.id,Tiga,provinsi,34,,1\n"
    upload = SimpleUploadedFile("akun.csv", csv.encode(), "text/csv")
    client_for("pusat").post("/admin/accounts/account/import/", {"csv_file": upload})
    event = only_event(Action.ACCOUNT_CREATED, target="tiga@dinas.belajar.id")
    assert (event.account, event.ip_address) == (accounts["pusat"], "127.0.0.1")


def test_joining_a_group_is_recorded(accounts):
    """Adding an account to a group (e.g. Editor konten) is recorded as an account change."""
    group = Group.objects.get(name="Editor konten")
    accounts["kabkota"].groups.add(group)
    event = only_event(Action.ACCOUNT_CHANGED, target=accounts["kabkota"].email)
    assert event.detail == {"groups_added": ["Editor konten"]}


def test_events_keep_the_email_of_a_deleted_account(client_for, accounts):
    """Deleting an account records it and keeps the email on its earlier events."""
    account = accounts["kabkota"]
    client_for("kabkota").post("/keluar/")
    account.delete()
    logout = only_event(Action.LOGOUT)
    assert (logout.account, logout.email) == (None, account.email)
    assert only_event(Action.ACCOUNT_DELETED, target=account.email).detail["before"]["role"] == (
        "kabkota"
    )


def test_an_account_deleting_itself_is_recorded(client_for, accounts):
    """A superuser who deletes their own account in the admin gets it deleted, and the event
    keeps the email."""
    pusat = accounts["pusat"]
    response = client_for("pusat").post(
        f"/admin/accounts/account/{pusat.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Account.objects.filter(pk=pusat.pk).exists()
    event = only_event(Action.ACCOUNT_DELETED, target=pusat.email)
    assert (event.account, event.email) == (None, pusat.email)


# ------------------------------------------------------------------ release switches


def test_release_activations_and_rollbacks_are_recorded(db, tmp_path):
    """Builds that activate, `activate` and `rollback` are each imported from the release log
    once, with the release, the one it replaced and the operating-system user."""
    home = tmp_path / "home"
    first = build_from(valid_raw(), home).release.release_id
    second = build_from(valid_raw(), home).release.release_id
    releases.rollback(home)
    releases.activate(second, home)
    import_release_log(home)
    import_release_log(home)  # again: nothing is added twice
    events = AuditEvent.objects.filter(action__startswith="release").order_by("at")
    assert [(e.action, e.target, e.detail["replaced"]) for e in events] == [
        (Action.RELEASE_ACTIVATED, first, None),
        (Action.RELEASE_ACTIVATED, second, first),
        (Action.RELEASE_ROLLED_BACK, first, second),
        (Action.RELEASE_ACTIVATED, second, first),
    ]
    assert all(event.detail["os_user"] and event.account is None for event in events)


def test_opening_the_audit_log_imports_release_switches(client_for, active_home: Path):
    """The audit log in the admin shows the activation of the active release, which happened
    on the command line."""
    active = releases.active_release(active_home).release_id
    response = client_for("pusat").get("/admin/audit/auditevent/?action__exact=release_activated")
    assert response.status_code == 200
    assert active in response.content.decode()
    assert AuditEvent.objects.filter(action=Action.RELEASE_ACTIVATED, target=active).exists()


# ------------------------------------------------------------------ append-only


@pytest.fixture
def event(accounts) -> AuditEvent:
    return AuditEvent.objects.record(
        Action.DOWNLOAD, account=accounts["kabkota"], target="34.71", detail={"year": 2024}
    )


def test_admin_lists_filters_and_searches_events(client_for, event):
    """Staff list events in the admin, filter them by action and date and search by email."""
    client = client_for("pusat")
    listed = client.get("/admin/audit/auditevent/?action__exact=download").content.decode()
    assert event.email in listed and "34.71" in listed
    today = timezone.localdate()
    by_date = client.get(
        f"/admin/audit/auditevent/?at__year={today.year}&at__month={today.month}"
        f"&at__day={today.day}"
    )
    assert event.email in by_date.content.decode()
    assert event.email in client.get(f"/admin/audit/auditevent/?q={event.email}").content.decode()
    other = client.get("/admin/audit/auditevent/?action__exact=logout").content.decode()
    assert "34.71" not in other


def test_admin_cannot_add_change_or_delete_events(client_for, event):
    """Even a superuser gets 403 on adding, changing or deleting an event; the event stays as
    it was."""
    client = client_for("pusat")
    assert client.get("/admin/audit/auditevent/add/").status_code == 403
    assert client.get(f"/admin/audit/auditevent/{event.pk}/change/").status_code == 200
    changed = client.post(f"/admin/audit/auditevent/{event.pk}/change/", {"target": "ID"})
    assert changed.status_code == 403
    assert client.get(f"/admin/audit/auditevent/{event.pk}/delete/").status_code == 403
    deleted = client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 403
    # The list offers no delete action; asking for it anyway changes nothing.
    client.post(
        "/admin/audit/auditevent/", {"action": "delete_selected", "_selected_action": [event.pk]}
    )
    assert AuditEvent.objects.filter(pk=event.pk, target="34.71").exists()


def test_events_cannot_be_changed_or_deleted_in_code(event):
    """Saving an existing event, deleting it, and bulk updates or deletes all raise."""
    event.target = "ID"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(target="ID")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).target == "34.71"
