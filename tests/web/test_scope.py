"""The authorization matrix: every URL pattern, every role, in-scope and out-of-scope entities.

Each URL pattern of the site is found through Django's resolver and must have a scope rule here;
a pattern without one fails the suite, so a new page cannot ship without someone deciding who may
see it. Entity pages answer 200 inside the account's scope and 404 outside it (never 403, which
would reveal that the entity exists), anonymous visitors are sent to the landing page, and no page
shows the name or NPSN of an entity outside the account's scope.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit

import polars as pl
import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, path, resolve

from rapor.web import release_data
from rapor.web import urls as site_urls
from rapor.web.accounts.models import Account
from tests.conftest import Built
from tests.web.conftest import body, png_bytes

ANONYMOUS = "anonymous"
ROLES = ("pusat", "provinsi", "kabkota", "sekolah")
EVERYONE = (ANONYMOUS, *ROLES)
UNKNOWN_REGION = "99"
UNKNOWN_NPSN = "00000000"
UNKNOWN_INDICATOR = "X.9"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WEBM = b"\x1a\x45\xdf\xa3"  # the first bytes of a WebM video


# ------------------------------------------------------------------ the entities of the release


@dataclass(frozen=True)
class Entity:
    """A region or school to put into URLs, with where it sits in the hierarchy."""

    label: str  # how failures name it, e.g. "a kab/kota of another province"
    code: str  # the URL value: region code or NPSN
    name: str | None  # the name on pages; None when the entity does not exist
    provinsi: str | None = None  # the province it lies in (None for the nation)
    kabkota: str | None = None  # the kab/kota it lies in (None for the nation and provinces)
    npsn: str | None = None  # schools only

    @property
    def exists(self) -> bool:
        return self.name is not None


@dataclass(frozen=True)
class World:
    accounts: dict[str, Account]
    regions: tuple[Entity, ...]
    schools: tuple[Entity, ...]

    def sees(self, role: str, entity: Entity) -> bool:
        """The scope oracle: may `role` open this entity's own page?"""
        if not entity.exists or role == ANONYMOUS:
            return False
        account = self.accounts[role]
        return {
            "pusat": True,
            "provinsi": entity.provinsi == account.region_code,
            "kabkota": entity.kabkota == account.region_code,
            "sekolah": entity.npsn is not None and entity.npsn == account.npsn,
        }[role]

    def lineage(self, role: str) -> set[str]:
        """Codes whose names a role's pages may show although it cannot open them: the regions
        above its own scope (comparison averages, the school's address), and for a kab/kota the
        other kab/kota of its province (its map shows them as the open data does, unlinked).
        Anonymous visitors see the demo accounts' own regions and school on the demo sign-in
        page of the test settings."""
        kabkota = self.accounts["kabkota"]
        province = kabkota.region_code.split(".")[0]
        own_school = self.accounts["sekolah"].npsn
        demo = {"ID", kabkota.region_code, self.accounts["provinsi"].region_code, own_school}
        neighbours = {
            entity.code
            for entity in self.regions
            if entity.kabkota and entity.npsn is None and entity.provinsi == province
        }
        return {
            ANONYMOUS: demo,
            "pusat": set(),
            "provinsi": {"ID"},
            "kabkota": {"ID", province, *neighbours},
            "sekolah": {"ID", kabkota.region_code, province},
        }[role]

    def foreign_names(self, role: str) -> dict[str, str]:
        """Text that must appear on no page a role gets: name or NPSN → which entity it is."""
        foreign = {}
        for entity in (*self.regions, *self.schools):
            if (
                entity.exists
                and entity.code != "ID"
                and not self.sees(role, entity)
                and entity.code not in self.lineage(role)
            ):
                foreign[entity.name] = entity.label
                if entity.npsn:
                    foreign[entity.npsn] = entity.label
        return foreign


@pytest.fixture(scope="module")
def release_tables(built: Built) -> dict[str, pl.DataFrame]:
    return {name: built.table(name) for name in ("regions", "schools")}


@pytest.fixture
def world(accounts, release_tables, uploads) -> World:
    """The demo accounts and, around them, entities inside and outside each one's scope."""
    regions, schools = release_tables["regions"], release_tables["schools"]
    province = accounts["provinsi"].region_code
    kabkota = accounts["kabkota"].region_code
    own_npsn = accounts["sekolah"].npsn
    assert kabkota.startswith(province + "."), "the demo kab/kota lies in the demo province"

    def region(label: str, code: str) -> Entity:
        row = regions.filter(pl.col("region_code") == code).row(0, named=True)
        provinsi = code.split(".")[0]
        return Entity(label, code, row["region_name"], provinsi, code if "." in code else None)

    def school(label: str, row: dict) -> Entity:
        return Entity(
            label,
            row["npsn"],
            row["school_name"],
            row["provinsi_code"],
            row["kabkota_code"],
            row["npsn"],
        )

    def first_school(label: str, condition: pl.Expr) -> Entity:
        return school(label, schools.filter(condition).sort("npsn").row(0, named=True))

    with_schools = schools.select("provinsi_code", "kabkota_code").unique()
    other_province = with_schools.filter(pl.col("provinsi_code") != province)
    assert not other_province.is_empty(), "the release needs schools in a second province"
    other_provinsi_code = other_province.sort("kabkota_code").row(0, named=True)["provinsi_code"]
    other_kabkota_code = other_province.sort("kabkota_code").row(0, named=True)["kabkota_code"]
    sibling_code = (
        with_schools.filter(
            (pl.col("provinsi_code") == province) & (pl.col("kabkota_code") != kabkota)
        )
        .sort("kabkota_code")
        .row(0, named=True)["kabkota_code"]
    )
    own_school = schools.filter(pl.col("npsn") == own_npsn).row(0, named=True)
    sibling_school = first_school(
        "another school of the same kab/kota",
        (pl.col("kabkota_code") == kabkota)
        & (pl.col("npsn") != own_npsn)
        # Names are searched as text: neither may contain the other.
        & ~pl.col("school_name").str.contains(own_school["school_name"], literal=True)
        & ~pl.lit(own_school["school_name"]).str.contains(pl.col("school_name"), literal=True),
    )
    assert UNKNOWN_REGION not in regions["region_code"].to_list()
    assert UNKNOWN_NPSN not in schools["npsn"].to_list()
    return World(
        accounts=accounts,
        regions=(
            Entity("the nation", "ID", "Indonesia"),
            region("the demo province", province),
            region("the demo kab/kota", kabkota),
            region("another kab/kota of the same province", sibling_code),
            region("another province", other_provinsi_code),
            region("a kab/kota of another province", other_kabkota_code),
            Entity("a region code that does not exist", UNKNOWN_REGION, None),
        ),
        schools=(
            school("the demo school", own_school),
            sibling_school,
            first_school("a school of another kab/kota", pl.col("kabkota_code") == sibling_code),
            first_school(
                "a school of another province", pl.col("provinsi_code") == other_provinsi_code
            ),
            Entity("an NPSN that does not exist", UNKNOWN_NPSN, None),
        ),
    )


# ------------------------------------------------------------------ expectations and cases


@dataclass(frozen=True)
class Expect:
    """The answer a role should get: a status, and for a redirect where it leads."""

    status: int | None  # None: any answer below 500
    location: str | None = None  # the redirect target's path (query ignored)
    not_location: str | None = None  # a redirect that must not happen

    def mismatch(self, response) -> str | None:
        got = response.status_code
        target = urlsplit(response["Location"]).path if response.has_header("Location") else None
        if self.status is None:
            if got >= 500:
                return f"got {got}"
            if self.not_location is not None and target == self.not_location:
                return f"redirected to {target}"
            return None
        if got != self.status:
            return f"expected {self.status}, got {got}" + (f" → {target}" if target else "")
        if self.location is not None and target != self.location:
            return f"expected a redirect to {self.location}, got {target}"
        return None


LOGIN = Expect(302, "/")  # login required: the landing page, with ?next=
OK = Expect(200)
NOT_FOUND = Expect(404)


@dataclass(frozen=True)
class Case:
    url: str
    expect: dict[str, Expect]  # by role (and ANONYMOUS)
    entity_page: bool = False  # a scoped page: checked with htmx requests too


Rule = Callable[[World, str], list[Case]]


def _url(route: str, **values: str) -> str:
    """A concrete URL from a resolver route (path converters or regex groups)."""
    url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], route)
    url = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: values[m.group(1)], url)
    return "/" + url.replace("^", "").replace("$", "")


def _same(expect: Expect) -> dict[str, Expect]:
    return dict.fromkeys(EVERYONE, expect)


def _signed_in(expect: Expect) -> dict[str, Expect]:
    return {ANONYMOUS: LOGIN, **dict.fromkeys(ROLES, expect)}


def _scoped(
    world: World,
    entities: tuple[Entity, ...],
    route: str,
    param: str,
    valid: bool = True,
    **others: str,
) -> list[Case]:
    """Cases for a page of one entity: 200 where the role sees the entity and the `others`
    parameters are `valid`, 404 everywhere else."""
    cases = []
    for entity in entities:
        url = _url(route, **{param: entity.code}, **others)
        expect = {ANONYMOUS: LOGIN}
        for role in ROLES:
            expect[role] = OK if world.sees(role, entity) and valid else NOT_FOUND
        cases.append(Case(url, expect, entity_page=True))
    return cases


def region_page(world: World, route: str) -> list[Case]:
    return _scoped(world, world.regions, route, "code")


def region_indicator_page(world: World, route: str) -> list[Case]:
    return _scoped(world, world.regions, route, "code", indicator="A.1") + _scoped(
        world, world.regions, route, "code", indicator=UNKNOWN_INDICATOR, valid=False
    )


def school_page(world: World, route: str) -> list[Case]:
    return _scoped(world, world.schools, route, "npsn")


def school_indicator_page(world: World, route: str) -> list[Case]:
    return (
        _scoped(world, world.schools, route, "npsn", indicator="A.1")
        # A region-only indicator (participation) has no school page.
        + _scoped(world, world.schools, route, "npsn", indicator="APK-SD", valid=False)
        + _scoped(world, world.schools, route, "npsn", indicator=UNKNOWN_INDICATOR, valid=False)
    )


def home_page(world: World, route: str) -> list[Case]:
    accounts = world.accounts
    return [
        Case(
            _url(route),
            {
                ANONYMOUS: LOGIN,
                "pusat": Expect(302, "/wilayah/ID/"),
                "provinsi": Expect(302, f"/wilayah/{accounts['provinsi'].region_code}/"),
                "kabkota": Expect(302, f"/wilayah/{accounts['kabkota'].region_code}/"),
                "sekolah": Expect(302, f"/sekolah/{accounts['sekolah'].npsn}/"),
            },
        )
    ]


def landing_page(world: World, route: str) -> list[Case]:
    return [Case(_url(route), {ANONYMOUS: OK, **dict.fromkeys(ROLES, Expect(302, "/beranda/"))})]


def region_download(world: World, route: str) -> list[Case]:
    """A region's Excel report: as its Beranda (the body checked is the workbook's text)."""
    return _scoped(world, world.regions, route, "code")


def school_download(world: World, route: str) -> list[Case]:
    return _scoped(world, world.schools, route, "npsn")


def faq_entry_page(world: World, route: str) -> list[Case]:
    """A FAQ answer's own page: any signed-in account; an unpublished or unknown entry is a 404."""
    from rapor.web.help.models import FaqEntry

    published = FaqEntry.objects.filter(is_published=True).order_by("pk").first()
    assert published is not None, "the demo FAQ migration ships published entries"
    return [
        Case(_url(route, pk=str(published.pk)), _signed_in(OK)),
        Case(_url(route, pk="999999"), _signed_in(NOT_FOUND)),
    ]


def staff_only(world: World, route: str) -> list[Case]:
    """A ticket's attachment: a 404 to every account here, staff too, since this ticket has no
    file (kept out of the shared uploads directory); staff getting a stored file and non-staff
    getting a 404 for it are tested in test_help."""
    from rapor.web.help.models import Ticket

    ticket = Ticket.objects.create(name="Uji", email="uji@dinas.belajar.id", topic="lainnya")
    return [
        Case(_url(route, pk=str(ticket.pk)), _signed_in(NOT_FOUND)),
        Case(_url(route, pk="999999"), _signed_in(NOT_FOUND)),
    ]


def published_content(model: str, **fields: object) -> Rule:
    """A page or file of published Pusat Bantuan content (no entity): every signed-in account
    gets it; an unpublished or unknown item is a 404. A field given as (extension, bytes) is a
    file, stored in the test's own uploads directory (see `world`)."""

    def rule(world: World, route: str) -> list[Case]:
        model_class = apps.get_model("help", model)
        values = {name: _stored(value) for name, value in fields.items()}
        shown = model_class.objects.create(title="Uji", **values)
        hidden = model_class.objects.create(title="Draf", is_published=False)
        return [
            Case(_url(route, pk=str(shown.pk)), _signed_in(OK)),
            Case(_url(route, pk=str(hidden.pk)), _signed_in(NOT_FOUND)),
            Case(_url(route, pk="999999"), _signed_in(NOT_FOUND)),
        ]

    return rule


def _stored(value: object) -> object:
    if isinstance(value, tuple):
        extension, content = value
        return ContentFile(content, name=f"uji{extension}")
    return value


def dinas_only(world: World, route: str) -> list[Case]:
    """The comparison groups page: dinas accounts (a school account's report has no groups)."""
    return [Case(_url(route), {**_signed_in(OK), "sekolah": NOT_FOUND})]


def member_search(world: World, route: str) -> list[Case]:
    """The search for a comparison group's members: dinas accounts. Every entity is searched by
    name and by code, and sent as ticked, so a match outside the scope would be named."""
    cases = []
    for entity in (*world.regions, *world.schools):
        if entity.exists and entity.code != "ID":
            for query in ({"cari": entity.name}, {"cari": entity.code}, {"tambah": entity.code}):
                url = f"{_url(route)}?{urlencode(query)}"
                cases.append(Case(url, {**_signed_in(OK), "sekolah": NOT_FOUND}))
    return cases


def find_page(world: World, route: str) -> list[Case]:
    """ "Cari": dinas accounts. Every entity is searched by name and by code, so a match outside
    the scope would be named."""
    return [
        Case(f"{_url(route)}?{urlencode({'q': text})}", {**_signed_in(OK), "sekolah": NOT_FOUND})
        for entity in (*world.regions, *world.schools)
        if entity.exists and entity.code != "ID"
        for text in (entity.name, entity.code)
    ]


def own_group(expect: Expect) -> Rule:
    """A comparison group's page: its owner (the kab/kota account, whose group holds one of its
    schools) gets `expect`, every other account a 404, as for an entity outside its scope; an
    unknown group is a 404 too."""

    def rule(world: World, route: str) -> list[Case]:
        from rapor.web.groups.models import ComparisonGroup

        owner = world.accounts["kabkota"]
        own_school = next(s for s in world.schools if s.kabkota == owner.region_code)
        group, _ = ComparisonGroup.objects.get_or_create(
            owner=owner, name="Uji", defaults={"members": own_school.code}
        )
        expected = {**_signed_in(NOT_FOUND), "kabkota": expect}
        return [
            Case(_url(route, pk=str(group.pk)), expected),
            Case(_url(route, pk="999999"), _signed_in(NOT_FOUND)),
        ]

    return rule


def public(expect: Expect) -> Rule:
    """A page with the same answer for everyone, signed in or not, naming no entity."""
    return lambda world, route: [Case(_url(route), _same(expect))]


def open_data(world: World, route: str) -> list[Case]:
    """The open-data API and its page: public like the landing page, the same for everyone.
    They publish region aggregates only (never a school), which are open to all by design; the
    names they carry are in JSON and files, which the scope search below does not read. A
    release's URL answers for a release in the store, `active` redirects to it, an unknown one
    is a 404."""
    if "<str:release>" not in route:
        return [Case(_url(route), _same(OK))]
    release = release_data.current().release.release_id
    values = {"code": world.accounts["provinsi"].region_code, "file_name": "regions.csv"}
    versioned = _url(route, release=release, **values)
    return [
        Case(versioned, _same(OK)),
        Case(_url(route, release="active", **values), _same(Expect(302, versioned))),
        Case(_url(route, release="20000101T000000.000000Z", **values), _same(NOT_FOUND)),
    ]


def signed_in(expect: Expect) -> Rule:
    """A page with the same answer for every signed-in account, naming no entity."""
    return lambda world, route: [Case(_url(route), _signed_in(expect))]


def admin_page(world: World, route: str) -> list[Case]:
    """The Django admin: staff only; everyone else is sent to the admin sign-in."""
    values = {
        "app_label": "accounts",
        "object_id": str(world.accounts["kabkota"].pk),
        "content_type_id": str(ContentType.objects.get_for_model(Account).pk),
        "url": "tidak-ada/",
    }
    url = _url(route, **values)
    # Admin sign-out without a session goes back to the admin index (which then asks to sign in).
    refused = Expect(302, "/admin/" if url == "/admin/logout/" else "/admin/login/")
    expect = {role: refused for role in EVERYONE}
    for role in ROLES:
        if world.accounts[role].is_staff:
            expect[role] = Expect(None, not_location="/admin/login/")
    assert world.accounts["pusat"].is_staff and not world.accounts["kabkota"].is_staff
    return [Case(url, expect)]


# Every URL pattern, by its full name (or its route when it has no name).
RULES: dict[str, Rule] = {
    "accounts:landing": landing_page,
    "accounts:refused": public(Expect(403)),
    "accounts:demo_login": public(OK),  # demo mode is on in the test settings
    "accounts:logout": public(Expect(405)),  # POST only; see test_accounts
    "dashboard:home": home_page,
    "dashboard:region": region_page,
    "dashboard:region_indicator": region_indicator_page,
    "dashboard:school": school_page,
    "dashboard:school_indicator": school_indicator_page,
    "groups:list": dinas_only,
    "groups:search": member_search,
    "dashboard:find": find_page,
    "groups:detail": own_group(OK),
    "groups:delete": own_group(OK),  # GET asks first; the POST that deletes: test_groups
    "downloads:index": signed_in(OK),  # the account's own entity; ?wilayah= is in test_downloads
    "downloads:region": region_download,
    "downloads:school": school_download,
    "glossary:term_list": signed_in(OK),  # any signed-in account; the glossary holds no entity
    "feedback:feedback": signed_in(OK),  # the form (GET); sending is tested in test_feedback
    "feedback:sent": signed_in(OK),  # the thank-you page of a form sent without JavaScript
    "help:index": signed_in(OK),  # the FAQ holds no entity
    "help:faq_detail": faq_entry_page,
    "help:contact": signed_in(OK),  # the form (GET); sending is tested in test_help
    "help:attachment": staff_only,
    "help:user_guide": signed_in(OK),  # generated from the docs; no entity
    "help:guide": published_content("Guide", file=(".pdf", b"%PDF-1.4 uji")),
    "help:infographic": published_content("Infographic", image=(".png", png_bytes())),
    "help:infographic_image": published_content("Infographic", image=(".png", png_bytes())),
    "help:video": published_content("Video", link="https://video.example/", transcript="Uji"),
    "help:video_file": published_content("Video", video_file=(".webm", WEBM), transcript="Uji"),
    "help:video_captions": published_content(
        "Video", video_file=(".webm", WEBM), captions=(".vtt", b"WEBVTT\n")
    ),
    "set_language": public(Expect(302, "/")),
    "oidc_authentication_init": public(Expect(302)),  # to the provider
    # Without a provider's answer the callback fails the same way for everyone; where it leads
    # is checked in test_accounts.
    "oidc_authentication_callback": public(Expect(None)),
    "admin/login/": public(Expect(302, "/")),  # the admin's password form is replaced
    "healthz": public(OK),  # release id and dependencies only; test_production has the rest
    "opendata:page": open_data,
    "opendata:to_index": lambda world, route: [Case(_url(route), _same(Expect(302, "/api/v1/")))],
    "opendata:index": open_data,
    "opendata:openapi": open_data,
    "opendata:releases": open_data,
    "opendata:release": open_data,
    "opendata:catalogue": open_data,
    "opendata:regions": open_data,
    "opendata:region_values": open_data,
    "opendata:bulk": open_data,
}
ADMIN_RULE = admin_page  # every pattern of the admin site, whatever models it registers


def url_patterns() -> Iterator[tuple[str, str, Callable]]:
    """(rule key, route, view) of every URL pattern, through includes."""

    def walk(patterns, prefix: str, namespace: str):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
                yield from walk(pattern.url_patterns, route, inner)
            else:
                assert isinstance(pattern, URLPattern)
                key = f"{namespace}{pattern.name}" if pattern.name else route
                yield key, route, pattern.callback

    yield from walk(get_resolver().url_patterns, "", "")


def rule_for(key: str, route: str) -> Rule | None:
    if key in RULES:
        return RULES[key]
    if key.startswith("admin:") or route.startswith("admin/"):
        return ADMIN_RULE
    return None


def all_cases(world: World) -> list[Case]:
    cases = []
    for key, route, view in url_patterns():
        rule = rule_for(key, route)
        if rule is None:
            pytest.fail(f"add a scope rule for {key!r} (route {route!r}) in {__name__}.RULES")
        # A pattern shadowed by an earlier one (the admin's password form) is that one's case.
        cases.extend(
            case for case in rule(world, route) if resolve(urlsplit(case.url).path).func is view
        )
    return cases


def client_of(role: str, client_for) -> Client:
    return Client() if role == ANONYMOUS else client_for(role)


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """The sign-in views count requests per address in the cache; start each test at zero."""
    cache.clear()


# ------------------------------------------------------------------ tests


def test_every_url_pattern_has_a_scope_rule():
    """Every URL pattern the resolver knows has a scope rule, so no page escapes the matrix."""
    missing = [
        f"add a scope rule for {key!r} (route {route!r})"
        for key, route, _ in url_patterns()
        if rule_for(key, route) is None
    ]
    assert not missing, "\n".join(missing)


# A URL configuration with one page more than the site's, for the guard's own test.
urlpatterns = [
    *site_urls.urlpatterns,
    path("wilayah/<str:code>/unduh/", lambda request, code: HttpResponse(), name="new_page"),
]


@override_settings(ROOT_URLCONF=__name__)
def test_a_new_url_pattern_without_a_rule_is_reported():
    """A URL pattern added without a scope rule is reported by name."""
    missing = [key for key, route, _ in url_patterns() if rule_for(key, route) is None]
    assert missing == ["new_page"]


def test_scope_rules_name_only_existing_patterns():
    """Every named scope rule matches a URL pattern, so the table does not rot."""
    keys = {key for key, _, _ in url_patterns()}
    assert set(RULES) <= keys, f"rules for patterns that no longer exist: {set(RULES) - keys}"


@pytest.mark.parametrize("role", EVERYONE)
def test_each_url_answers_as_the_scope_allows(role, world, client_for):
    """Each URL pattern answers a role 200 in scope, 404 out of scope, the landing page when
    signed out, as its rule says."""
    client = client_of(role, client_for)
    wrong = []
    for case in all_cases(world):
        response = client.get(case.url)
        problem = case.expect[role].mismatch(response)
        body(response)
        if problem:
            wrong.append(f"{case.url}: {problem}")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("role", EVERYONE)
def test_htmx_requests_get_the_same_scope_answers(role, world, client_for):
    """An htmx request for an entity page gets the same status as a full page request."""
    client = client_of(role, client_for)
    wrong = []
    for case in all_cases(world):
        if not case.entity_page:
            continue
        problem = case.expect[role].mismatch(client.get(case.url, headers={"HX-Request": "true"}))
        if problem:
            wrong.append(f"{case.url} (htmx): {problem}")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("role", EVERYONE)
def test_no_page_names_an_entity_outside_the_scope(role, world, client_for):
    """No response to a role, full page or htmx fragment, contains the name or NPSN of a region
    or school outside its scope (the requested URL, and its query's values echoed back in a
    form field, aside)."""
    client = client_of(role, client_for)
    foreign = world.foreign_names(role)
    assert foreign or role == "pusat"
    leaks = []
    for case in all_cases(world):
        for how, headers in (("", {}), (" (htmx)", {"HX-Request": "true"}))[
            : 2 if case.entity_page else 1
        ]:
            body = _text(client.get(case.url, headers=headers))
            body = body.replace(html.escape(case.url), "").replace(case.url, "")
            for _, typed in parse_qsl(urlsplit(case.url).query):
                body = body.replace(f'value="{html.escape(typed)}"', "")
            for text, label in foreign.items():
                if re.search(rf"(?<!\w){re.escape(html.escape(text))}(?!\w)", body):
                    leaks.append(f"{case.url}{how}: shows {label} ({text})")
    assert not leaks, f"{role}:\n" + "\n".join(leaks)


def _text(response) -> str:
    """A page's HTML, or for an Excel file the text of its sheets, escaped as HTML is. Other
    files (Pusat Bantuan's PDFs, images, videos) hold no entity: nothing to search."""
    content_type = response.get("Content-Type", "")
    content = body(response)
    if content_type.startswith("text/html"):
        return content.decode()
    if content_type != XLSX:
        return ""
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        xml = "".join(book.read(name).decode() for name in book.namelist())
    return html.escape(html.unescape(re.sub(r"<[^>]+>", " ", xml)))


def _normalized(body: bytes, code: str) -> str:
    text = body.decode().replace(code, "<code>")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)


@pytest.mark.parametrize("role", ["provinsi", "kabkota", "sekolah"])
def test_out_of_scope_404_is_the_unknown_entity_404(role, world, client_for):
    """The 404 for an entity outside the scope is the same page as for one that does not exist,
    so it does not reveal that the entity exists."""
    client = client_for(role)
    unknown_region = client.get(f"/wilayah/{UNKNOWN_REGION}/")
    unknown_school = client.get(f"/sekolah/{UNKNOWN_NPSN}/")
    compared = 0
    for entities, unknown, prefix, placeholder in (
        (world.regions, unknown_region, "/wilayah/", UNKNOWN_REGION),
        (world.schools, unknown_school, "/sekolah/", UNKNOWN_NPSN),
    ):
        expected = _normalized(unknown.content, placeholder)
        for entity in entities:
            if not entity.exists or world.sees(role, entity):
                continue
            response = client.get(f"{prefix}{entity.code}/")
            assert response.status_code == unknown.status_code == 404, entity.label
            assert _normalized(response.content, entity.code) == expected, entity.label
            compared += 1
    assert compared >= 3
