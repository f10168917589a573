"""Hostile input on every page: random and malicious query strings, forms and uploads.

Each URL pattern of the site, found through Django's resolver, has an entry in `PAGES` saying
which query parameters and form fields its view reads (and which values of them are valid, so
random combinations also reach the pages behind the filters). A pattern without an entry fails
the suite, so a new page is fuzzed as soon as it exists. Hypothesis then sends each page those
parameters and junk ones, repeated or missing, with long, unicode (RTL, combining, NUL, invalid
UTF-8), SQL, HTML and numeric values, in Indonesian and English. Whatever it sends, the answer is
never a server error: a 4xx is the site's error page (`rapor.web.errors`) in the reader's
language (from the open-data API, a JSON problem in it), a rejected form is a 200 showing its
errors in that language and keeping what was typed, a redirect stays on this site, and nothing
sent comes back unescaped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote_from_bytes, unquote, urlsplit

import markupsafe
import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse, JsonResponse, QueryDict
from django.test import Client, override_settings
from django.urls import Resolver404, path, resolve
from django.utils import translation
from django.utils.datastructures import MultiValueDict
from django.utils.html import escape
from django.utils.translation import gettext
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from rapor.web import urls as site_urls
from rapor.web.feedback.forms import FeedbackForm
from rapor.web.help.forms import ContactForm
from tests.web.conftest import body, png_bytes
from tests.web.test_scope import url_patterns

ANONYMOUS = "anonymous"
LANGUAGES = ("id", "en")
# Error page titles by status (Indonesian source strings; the English ones come from the catalogue).
TITLES = {
    400: "Permintaan tidak valid",
    403: "Akses ditolak",
    404: "Halaman tidak ditemukan",
    429: "Terlalu banyak percobaan",
}
# Text that, found raw in a response, means a value sent was echoed without escaping.
CANARY_TAG = "<rapor-xss"
CANARY_ATTRIBUTES = ('"rapor-xss-attr', "'rapor-xss-attr")


# ------------------------------------------------------------------ what each page reads


@dataclass(frozen=True)
class Page:
    """What one URL pattern's view reads from a request, and how to fill its URL."""

    role: str  # who asks: a demo role, or ANONYMOUS for public pages
    query: dict[str, tuple[str, ...]] = field(default_factory=dict)  # parameter → valid values
    form: dict[str, tuple[str, ...]] = field(default_factory=dict)  # POST field → valid values
    files: tuple[str, ...] = ()  # file fields of the form (multipart)
    args: dict[str, str] = field(default_factory=dict)  # path argument → which entity (ARGS)
    get: bool = True  # answers GET (else POST only)
    examples: int = 60
    form_class: type | None = None  # the form whose errors a rejected POST must show
    kept: tuple[str, ...] = ()  # fields a rejected form must give back as typed
    own_4xx: bool = False  # a 4xx of its own design (the sign-in refusal), not the error page
    external_redirect: bool = False  # redirects to the identity provider
    api: bool = False  # the open-data API: its errors are JSON problem details, not the page


NOT_FUZZED = None  # Django's admin: staff only, Django's own forms and query handling

JENJANG = ("dasar", "menengah_pertama", "menengah", "khusus")
FILTERS = {
    "jenjang": JENJANG,
    "bentuk": ("semua", "sd", "mi", "smp", "sma", "smk", "slb", "pkbm"),
    "status": ("semua", "negeri", "swasta"),
    "tahun": ("2022", "2023", "2024"),
}
YEAR = {"tahun": FILTERS["tahun"]}
MAP = {"peta": ("A.1", "A.2", "D.1", "APK-SD")}  # Beranda's map indicator
ORDER = {"urut": ("nama", "nilai"), "arah": ("naik", "turun"), "halaman": ("1", "2", "3")}
NEXT = {"next": ("/", "/beranda/", "/glosarium/?huruf=A")}
PK = {"pk": "faq"}
RELEASE = {"release": "release"}  # the test release's id
API_FILTERS = {
    "jenjang": JENJANG,
    "bentuk": FILTERS["bentuk"],
    "status": FILTERS["status"],
    "year": FILTERS["tahun"],
    "indicator": MAP["peta"],
}
FEEDBACK_FIELDS = {
    "rating": ("1", "3", "5"),
    "message": ("Grafiknya jelas.",),
    "page": ("/wilayah/34/",),
    "website": ("",),
}
CONTACT_FIELDS = {
    "name": ("Budi",),
    "email": ("budi@dinas.belajar.id",),
    "topic": ("akun", "data", "unduhan", "lainnya"),
    "message": ("Bagaimana cara mengunduh?",),
    "website": ("",),
}

GROUP_FIELDS = {
    "name": ("Tetangga",),
    "members": ("34.71", "34.71\n34.02"),
    "bentuk": ("", "sd"),
    "status": ("semua", "negeri"),
    # The member search: the Cari button, what was typed, and the ticked results.
    "aksi": ("cari", ""),
    "cari": ("SD", "kulon", "34.7"),
    "tambah": ("34.71", "34.02"),
}

# Every URL pattern, by its full name (or its route when it has no name).
PAGES: dict[str, Page | None] = {
    "accounts:landing": Page(ANONYMOUS, query=NEXT),
    "accounts:refused": Page(ANONYMOUS, own_4xx=True, examples=10),
    "accounts:demo_login": Page(
        ANONYMOUS, form={"email": ("demo.pusat@dinas.belajar.id",)}, examples=30
    ),
    "accounts:logout": Page("pusat", form=NEXT, get=False, examples=30),
    "dashboard:home": Page("pusat", examples=10),
    "dashboard:region": Page("pusat", query=FILTERS | MAP, args={"code": "region"}),
    "dashboard:region_indicator": Page(
        "pusat", query=FILTERS | ORDER, args={"code": "region", "indicator": "indicator"}
    ),
    "dashboard:school": Page("pusat", query={"jenjang": JENJANG, **YEAR}, args={"npsn": "school"}),
    "dashboard:school_indicator": Page(
        "pusat",
        query={"jenjang": JENJANG, **YEAR},
        args={"npsn": "school", "indicator": "indicator"},
    ),
    "downloads:index": Page(
        "pusat", query={"wilayah": ("ID", "34", "region"), "npsn": ("school",), **YEAR}
    ),
    "downloads:region": Page("pusat", query=YEAR, args={"code": "region"}, examples=30),
    "downloads:school": Page("pusat", query=YEAR, args={"npsn": "school"}, examples=30),
    "glossary:term_list": Page("pusat", query={"q": ("literasi", "AKM"), "huruf": ("A", "b")}),
    "dashboard:find": Page("pusat", query={"q": ("negeri 7", "34.01", "1")}),
    "groups:list": Page("pusat", form=GROUP_FIELDS, examples=30),
    "groups:search": Page(
        "pusat", query={"cari": GROUP_FIELDS["cari"], "tambah": GROUP_FIELDS["tambah"]}
    ),
    "groups:detail": Page(
        "pusat",
        query={"jenjang": JENJANG, "tahun": FILTERS["tahun"], "subjek": ("34", "34.71", "")},
        args={"pk": "group"},
    ),
    "groups:delete": Page("pusat", args={"pk": "group"}, examples=10),
    "feedback:feedback": Page(
        "kabkota",
        query={"dari": ("/wilayah/34/",)},
        form=FEEDBACK_FIELDS,
        form_class=FeedbackForm,
        kept=("message",),
    ),
    "feedback:sent": Page("kabkota", query={"dari": ("/wilayah/34/",)}),
    "help:index": Page("pusat", query={"q": ("rapor", "akun belajar.id")}),
    "help:faq_detail": Page("pusat", args=PK, examples=20),
    "help:user_guide": Page("pusat", examples=4),  # a PDF, generated once per language
    "help:guide": Page("pusat", args=PK, examples=10),
    "help:infographic": Page("pusat", args=PK, examples=10),
    "help:infographic_image": Page("pusat", args=PK, examples=10),
    "help:video": Page("pusat", args=PK, examples=10),
    "help:video_file": Page("pusat", args=PK, examples=10),
    "help:video_captions": Page("pusat", args=PK, examples=10),
    "help:contact": Page(
        "kabkota",
        form=CONTACT_FIELDS,
        files=("attachment",),
        form_class=ContactForm,
        kept=("name", "email", "message"),
        examples=80,
    ),
    "help:attachment": Page("pusat", args=PK, examples=10),
    "set_language": Page(
        ANONYMOUS, query=NEXT, form={"language": LANGUAGES, **NEXT}, get=False, examples=40
    ),
    "oidc_authentication_init": Page(ANONYMOUS, query=NEXT, external_redirect=True, examples=30),
    "oidc_authentication_callback": Page(
        ANONYMOUS,
        query={"code": ("abc",), "state": ("xyz",), "error": ("access_denied",)},
        examples=30,
    ),
    "admin/login/": Page(ANONYMOUS, query=NEXT, examples=10),
    "healthz": Page(ANONYMOUS, examples=20),  # reads nothing from the request
    "opendata:page": Page(ANONYMOUS, examples=10),
    "opendata:to_index": Page(ANONYMOUS, api=True, examples=10),
    "opendata:index": Page(ANONYMOUS, api=True, examples=10),
    "opendata:openapi": Page(ANONYMOUS, api=True, examples=10),
    "opendata:releases": Page(ANONYMOUS, api=True, examples=10),
    "opendata:release": Page(ANONYMOUS, api=True, args=RELEASE, examples=20),
    "opendata:catalogue": Page(ANONYMOUS, api=True, args=RELEASE, examples=20),
    "opendata:regions": Page(
        ANONYMOUS, api=True, query={"level": ("nasional", "provinsi", "kabkota")}, args=RELEASE
    ),
    "opendata:region_values": Page(
        ANONYMOUS, api=True, query=API_FILTERS, args={**RELEASE, "code": "region"}
    ),
    "opendata:bulk": Page(
        ANONYMOUS, api=True, args={**RELEASE, "file_name": "bulk_file"}, examples=20
    ),
}


def page_for(key: str, route: str) -> Page | bool | None:
    """The entry of a URL pattern; NOT_FUZZED for the admin; False when it has none."""
    if key in PAGES:
        return PAGES[key]
    if key.startswith("admin:") or route.startswith("admin/"):
        return NOT_FUZZED
    return False


FUZZED = sorted(
    (key, route) for key, route, _ in url_patterns() if page_for(key, route) not in (None, False)
)


# ------------------------------------------------------------------ hostile values

HOSTILE = (
    "",
    " ",
    "<rapor-xss>",
    "</script><rapor-xss x=1>",
    '"rapor-xss-attr=1 x="',
    "'rapor-xss-attr=1 x='",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "{{ 7*7 }}{% debug %}",
    "' OR '1'='1' --",
    '"; DROP TABLE accounts_account; --',
    "1; select * from regions",
    "%s%s%n",
    "\x00",
    "a\x00b",
    "\r\nSet-Cookie: rapor=1",
    "\u202egnp.exe",  # right-to-left override
    "\u200f\u200e\u2066",  # direction marks and isolates
    "مدرسة ابتدائية",
    "בית ספר",
    "e\u0301\u0308\u0327\u0301\u0301",  # stacked combining marks
    "Z\u0351\u0352\u0353\u0354\u0355\u0356\u0357",
    "😀👩‍👩‍👧",
    "\ufeff\ufffd\uffff",
    "\ud800",  # a lone surrogate: sent as bytes that are not UTF-8
    "\udcff\udcfe",
    "../../../../etc/passwd",
    "//evil.example/",
    "https://evil.example/",
    "/\\evil.example",
    "\\\\evil.example",
    "${jndi:ldap://evil.example/a}",
    "0",
    "-1",
    "00000000",
    "1e309",
    "NaN",
    "-Infinity",
    "0x10",
    "\uff12\uff10\uff12\uff14",  # full-width digits
    "٢٠٢٤",  # Arabic-Indic digits
    str(2**63),
    "9" * 400,
    "[]",
    "{}",
    "null",
    "true",
    "x" * 5000,
)


def text_values() -> st.SearchStrategy[str]:
    """Any text, surrogates included (they go out as invalid UTF-8 bytes)."""
    return st.text(alphabet=st.characters(codec=None, categories=None), max_size=60) | st.text(
        max_size=300
    )


def hostile_values(valid: tuple[str, ...] = ()) -> st.SearchStrategy[str]:
    pieces = st.sampled_from(HOSTILE) | text_values()
    return st.one_of(
        st.sampled_from(valid or ("",)),
        st.sampled_from(HOSTILE),
        text_values(),
        st.lists(pieces, min_size=2, max_size=4).map("".join),
        st.integers(min_value=-(2**80), max_value=2**80).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.builds(
            lambda part, n: part * n, st.sampled_from(("a", "é", "<", "9")), st.integers(0, 20_000)
        ),
    )


def parameters(names: dict[str, tuple[str, ...]]) -> st.SearchStrategy[list[tuple[str, str]]]:
    """Name-value pairs: the page's own names (any of them repeated or missing) and junk ones."""
    own = [st.tuples(st.just(name), hostile_values(valid)) for name, valid in names.items()]
    junk = st.tuples(hostile_values(tuple(names)), hostile_values())
    return st.lists(st.one_of(*own, junk) if own else junk, max_size=6)


RAW_SUFFIXES = ("", "", "", "&", "&&=&", "%", "%zz", "=x", "a=b=c", "%ff%fe=%00", ";x=1", "x")


def encode(text: str) -> str:
    """Percent-encoded UTF-8; a lone surrogate becomes bytes that are not valid UTF-8."""
    return quote_from_bytes(text.encode("utf-8", "surrogatepass"), safe="")


def query_string(pairs: list[tuple[str, str]], suffix: str) -> str:
    return "&".join([f"{encode(name)}={encode(value)}" for name, value in pairs] + [suffix])


def printable(text: str, limit: int = 80) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "…")


# ------------------------------------------------------------------ fixtures


@dataclass(frozen=True)
class Site:
    """The concrete values to put into URLs, and a signed-in client per request."""

    values: dict[str, str]
    client_for: Callable[[str], Client]

    def client(self, role: str, cookie: str | None) -> Client:
        """A client of `role` whose language cookie is `cookie` (None: no cookie)."""
        client = Client() if role == ANONYMOUS else self.client_for(role)
        if cookie is not None:
            client.cookies["django_language"] = cookie
        return client


@pytest.fixture
def site(accounts, client_for, settings, uploads, data) -> Site:
    from rapor.web.groups.models import ComparisonGroup
    from rapor.web.help.models import FaqEntry

    # Rate limits would turn most examples into 429 pages: lift them, the limits have own tests.
    settings.RAPOR_LOGIN_RATE = settings.RAPOR_FEEDBACK_RATE = "100000/m"
    settings.RAPOR_CONTACT_RATE = settings.RAPOR_API_RATE = "100000/m"
    settings.RAPOR_FORM_RATE = "100000/m"
    cache.clear()
    faq = FaqEntry.objects.filter(is_published=True).order_by("pk").first()
    group = ComparisonGroup.objects.create(owner=accounts["pusat"], name="Uji", members="34")
    return Site(
        values={
            "region": accounts["kabkota"].region_code,
            "school": accounts["sekolah"].npsn,
            "indicator": "A.1",
            "faq": str(faq.pk),
            "group": str(group.pk),
            "release": data.release.release_id,
            "bulk_file": "regions.csv",
        },
        client_for=client_for,
    )


def resolves_to(url: str, view: Callable) -> bool:
    try:
        return resolve(unquote(urlsplit(url).path)).func is view
    except Resolver404:
        return False


def concrete(route: str, args: dict[str, str]) -> str:
    """A URL of a resolver route with its path arguments filled in (already encoded)."""
    url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: args[m.group(1)], route)
    return "/" + url.replace("^", "").replace("$", "")


def path_arguments(page: Page, site: Site) -> st.SearchStrategy[dict[str, str]]:
    """Mostly the real entity (so parameters reach the view), sometimes a hostile value."""
    return st.fixed_dictionaries(
        {
            name: st.one_of(  # three to one
                *[st.just(encode(site.values[kind]))] * 3, hostile_values().map(encode)
            )
            for name, kind in page.args.items()
        }
    )


def resolve_valid(values: dict[str, tuple[str, ...]], site: Site) -> dict[str, tuple[str, ...]]:
    """Valid values that name an entity ("region", "school") replaced by the real one."""
    return {
        name: tuple(site.values.get(value, value) for value in valid)
        for name, valid in values.items()
    }


# ------------------------------------------------------------------ what every answer must be


def check(response: HttpResponse, page: Page, language: str, sent: str) -> list[str]:
    """Problems with a response to hostile input (empty when it is as it must be)."""
    status = response.status_code
    content = body(response)
    content_type = response.get("Content-Type", "")
    html = content.decode("utf-8", "replace") if content_type.startswith("text/") else ""
    problems = []
    if status >= 500:
        return [f"server error {status}"]
    if response.get("Content-Language") != language:
        problems.append(f"Content-Language {response.get('Content-Language')}, not {language}")
    if status in TITLES and page.api:
        problems += check_problem(content, content_type, status, language)
    elif status in TITLES and not page.own_4xx:
        with translation.override(language):
            title = gettext(TITLES[status])
        if "error-page" not in html or f"<h1>{escape(title)}</h1>" not in html:
            problems.append(f"{status} is not the site's error page titled {title!r}")
        if f'<html lang="{language}"' not in html:
            problems.append(f"{status} error page not in {language}")
    elif 400 <= status < 500 and not page.own_4xx:
        problems.append(f"unexpected status {status}")
    if 300 <= status < 400:
        target = response.get("Location", "")
        parts = urlsplit(target.strip())
        # Browsers read "/\\host" and "\\host" as "//host".
        elsewhere = parts.scheme or parts.netloc or target.strip().startswith(("//", "/\\", "\\"))
        if elsewhere and not (page.external_redirect and parts.scheme == "https"):
            problems.append(f"redirect off the site: {printable(target)}")
    if CANARY_TAG in html or any(canary in html for canary in CANARY_ATTRIBUTES):
        problems.append("a value sent is echoed unescaped")
    headers = " ".join(response.headers.values())
    if CANARY_TAG in headers or "\n" in headers or "\r" in headers:
        problems.append("a value sent is echoed into a header")
    return [f"{problem} (sent {printable(sent, 200)})" for problem in problems]


def check_problem(content: bytes, content_type: str, status: int, language: str) -> list[str]:
    """An API error is a JSON problem titled in the reader's language."""
    if content_type != "application/problem+json":
        return [f"{status} is a {content_type}, not a JSON problem"]
    with translation.override(language):
        title = gettext(TITLES[status])
    problem = json.loads(content)
    if problem.get("status") != status or problem.get("title") != title:
        return [f"{status} problem is not titled {title!r} with its status: {problem}"]
    return []


def expected_form_errors(page: Page, data: QueryDict, files: MultiValueDict, language: str):
    """The error messages the page's form gives for this data, in `language`."""
    with translation.override(language):
        form = page.form_class(data, files)
        if form.is_spam or form.is_valid():
            return None
        return [str(message) for messages in form.errors.values() for message in messages]


def shown(text: str, html: str) -> bool:
    """`text` is in `html` as a template prints it: escaped by Django's forms and widgets or by
    Jinja2 (which writes ' as &#39;, Django as &#x27;)."""
    return escape(text) in html or markupsafe.escape(text) in html


def check_form(response, page: Page, data: QueryDict, files, language: str) -> list[str]:
    """A rejected form is shown again with its errors in the reader's language, as typed."""
    errors = expected_form_errors(page, data, files, language)
    if errors is None or response.status_code != 200:
        return []
    html = response.content.decode()
    problems = [f"error {message!r} not shown" for message in errors if not shown(message, html)]
    for name in page.kept:
        value = data.get(name, "")
        if value and not shown(value, html):
            problems.append(f"{name} typed is not kept: {printable(value)}")
    return problems


# ------------------------------------------------------------------ tests


def test_every_url_pattern_has_an_entry():
    """Every URL pattern the resolver knows says what its view reads, so no page escapes."""
    missing = [
        f"add {key!r} (route {route!r}) to {__name__}.PAGES"
        for key, route, _ in url_patterns()
        if page_for(key, route) is False
    ]
    assert not missing, "\n".join(missing)
    keys = {key for key, _, _ in url_patterns()}
    assert set(PAGES) <= keys, f"entries for patterns that no longer exist: {set(PAGES) - keys}"


# A URL configuration with one page more than the site's, for the guard's own test.
urlpatterns = [
    *site_urls.urlpatterns,
    path("wilayah/<str:code>/peta/", lambda request, code: HttpResponse(), name="new_page"),
]


@override_settings(ROOT_URLCONF=__name__)
def test_a_new_url_pattern_without_an_entry_is_reported():
    """A URL pattern added without an entry in PAGES is reported by name."""
    assert [key for key, route, _ in url_patterns() if page_for(key, route) is False] == [
        "new_page"
    ]


def test_the_checks_catch_what_they_look_for():
    """The response checks report a server error, an unescaped echo, an error page that is not
    the site's or not in the reader's language, and a redirect to another site."""
    page = PAGES["glossary:term_list"]

    def html(markup: str, status: int = 200, language: str = "id") -> HttpResponse:
        response = HttpResponse(f'<html lang="{language}">{markup}', status=status)
        response["Content-Language"] = language
        return response

    def redirect(target: str) -> HttpResponse:
        response = HttpResponse(status=302, headers={"Location": target})
        response["Content-Language"] = "id"
        return response

    error_page = '<section class="error-page"><h1>Permintaan tidak valid</h1></section>'
    assert not check(html("&lt;rapor-xss&gt; &quot;rapor-xss-attr"), page, "id", "")
    assert not check(html(error_page, 400), page, "id", "")
    assert not check(redirect("/beranda/"), page, "id", "")
    assert not check(redirect("%3Crapor-xss%3E"), page, "id", "")  # relative: this site
    bad = {
        "server error": html("", 500),
        "echoed unescaped": html("<p><rapor-xss></p>"),
        "echoed in an attribute": html('<input value=""rapor-xss-attr=1">'),
        "English error page for an Indonesian reader": html(error_page, 400, "en"),
        "not the error page": html("<h1>Bad Request</h1>", 400),
        "another status": html("", 418),
        "off-site redirect": redirect("https://evil.example/"),
        "protocol-relative redirect": redirect("//evil.example/"),
        "backslash redirect": redirect("/\\evil.example/"),
    }
    missed = [label for label, response in bad.items() if not check(response, page, "id", "")]
    assert not missed
    api = PAGES["opendata:regions"]
    problem = JsonResponse(
        {"status": 404, "title": "Halaman tidak ditemukan", "detail": "Tidak ada."},
        status=404,
        content_type="application/problem+json",
    )
    problem["Content-Language"] = "id"
    assert not check(problem, api, "id", "")
    assert check(problem, api, "en", ""), "an Indonesian problem for an English reader"
    assert check(
        html(error_page.replace("Permintaan tidak valid", "Halaman tidak ditemukan"), 404),
        api,
        "id",
        "",
    ), "the HTML page from the API"


LANGUAGE_COOKIES = st.sampled_from(
    [("id", None), ("id", "id"), ("id", "xx"), ("id", "<rapor-xss>"), ("en", "en")]
)
# The rest (no example database, no deadline; derandomized on CI) is the profile in conftest.
FUZZ = hypothesis_settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.mark.parametrize(("key", "route"), FUZZED, ids=[key for key, _ in FUZZED])
def test_hostile_query_strings_get_a_clear_answer(key, route, site):
    """Random and hostile query strings (and path values) on a page get its answer or the error
    page in the reader's language, never a server error or an unescaped echo."""
    page = PAGES[key]
    view = next(view for k, r, view in url_patterns() if (k, r) == (key, route))
    valid = resolve_valid(page.query, site)

    @hypothesis_settings(FUZZ, max_examples=page.examples)
    @given(
        args=path_arguments(page, site),
        pairs=parameters(valid),
        suffix=st.sampled_from(RAW_SUFFIXES),
        language_cookie=LANGUAGE_COOKIES,
        htmx=st.booleans(),
    )
    def run(args, pairs, suffix, language_cookie, htmx):
        language, cookie = language_cookie
        url = concrete(route, args)
        query = query_string(pairs, suffix)
        client = site.client(page.role, cookie)
        headers = {"HX-Request": "true"} if htmx else {}
        if page.get:
            response = client.get(url, QUERY_STRING=query, headers=headers)
        else:
            response = client.post(url, QUERY_STRING=query, headers=headers)
        if not resolves_to(url, view):
            # A hostile path value took the request elsewhere (most often nowhere: a 404).
            assert response.status_code < 500, f"{url}: {response.status_code}"
            return
        problems = check(response, page, language, f"{url}?{query}")
        assert not problems, "\n".join(problems)

    run()


FORM_PAGES = sorted(key for key, _ in FUZZED if PAGES[key].form)


def upload_strategy() -> st.SearchStrategy[tuple[str, bytes] | None]:
    names = st.one_of(
        st.sampled_from(
            (
                "lampiran.pdf",
                "foto.png",
                "../../etc/passwd",
                "..\\..\\windows\\win.ini",
                "<rapor-xss>.pdf",
                '"rapor-xss-attr=1.png',
                "\u202efdp.exe",
                "laporan\u0301\u0308.pdf",
                "مدرسة.pdf",
                "a" * 300 + ".pdf",
                ".pdf",
                "x.PDF.exe",
                "nul\x00.pdf",
                "semi;colon.png",
                "new\r\nline.pdf",
            )
        ),
        st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=80).map(
            lambda name: name + ".pdf"
        ),
    )
    contents = st.one_of(
        st.sampled_from(
            (
                b"%PDF-1.4 uji",
                png_bytes(),
                b"",
                b"<html><script>alert(1)</script></html>",
                b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
                b"%PDF-",
                b"GIF89a" + b"\x00" * 20,
                b"MZ\x90\x00",
            )
        ),
        st.binary(max_size=2048),
    )
    return st.none() | st.tuples(names, contents)


@pytest.mark.parametrize("key", FORM_PAGES)
def test_hostile_forms_get_a_clear_answer(key, site):
    """Random and hostile form posts (missing, repeated and junk fields, wrong types, hostile
    uploads) get the page's answer, or its errors shown in the reader's language with what was
    typed, or the error page; never a server error or an unescaped echo."""
    page = PAGES[key]
    route = next(route for k, route, _ in url_patterns() if k == key)
    valid = resolve_valid(page.form, site)

    @hypothesis_settings(FUZZ, max_examples=page.examples)
    @given(
        pairs=parameters(valid),
        upload=upload_strategy() if page.files else st.none(),
        language_cookie=LANGUAGE_COOKIES,
        complete=st.booleans(),
        htmx=st.booleans(),
    )
    def run(pairs, upload, language_cookie, complete, htmx):
        language, cookie = language_cookie
        if complete:
            # Start from a valid form, so single hostile values are judged on their own.
            given_names = {name for name, _ in pairs}
            pairs = [(n, v[0]) for n, v in valid.items() if n not in given_names] + pairs
        client = site.client(page.role, cookie)
        url = concrete(route, {})
        headers = {"HX-Request": "true"} if htmx else {}
        if page.files:
            # Multipart: the test client sends text fields as UTF-8 (no lone surrogates).
            data = QueryDict(mutable=True)
            for name, value in pairs:
                data.appendlist(
                    name.encode("utf-8", "replace").decode(),
                    value.encode("utf-8", "replace").decode(),
                )
            payload = dict(data.lists())
            if upload is not None:
                payload[page.files[0]] = SimpleUploadedFile(*upload)
            response = client.post(url, payload, headers=headers)
            data = response.wsgi_request.POST
            # The view has read and closed the upload: the same content under the name the
            # server gave it (Django strips paths and some characters).
            files = MultiValueDict(
                {
                    field: [SimpleUploadedFile(sent.name, upload[1]) for sent in uploads]
                    for field, uploads in response.wsgi_request.FILES.lists()
                }
            )
        else:
            encoded = query_string(pairs, "")
            response = client.post(
                url, encoded, content_type="application/x-www-form-urlencoded", headers=headers
            )
            data, files = QueryDict(encoded), MultiValueDict()
        problems = check(response, page, language, repr(pairs)[:300])
        if page.form_class is not None:
            problems += check_form(response, page, data, files, language)
        assert not problems, "\n".join(problems)

    run()


# ------------------------------------------------------------------ limits and tokens

FORM_POSTS = {
    "/saran/": {"rating": "3", "message": "Jelas."},
    "/bantuan/hubungi/": {"topic": "akun", "message": "Halo"},
    "/i18n/setlang/": {"language": "en", "next": "/"},
    "/keluar/": {},
}


@pytest.mark.parametrize("language", LANGUAGES)
@override_settings(CSRF_FAILURE_VIEW="rapor.web.errors.csrf_failure")
def test_a_form_without_its_csrf_token_gets_the_error_page(language, accounts):
    """A form sent without its CSRF token (a forged or stale form) gets the 403 error page in
    the reader's language."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(accounts["kabkota"])
    client.cookies["django_language"] = language
    for url, data in FORM_POSTS.items():
        response = client.post(url, data)
        assert response.status_code == 403, url
        assert not check(response, PAGES["help:contact"], language, url), url


def test_the_site_sends_csrf_failures_to_the_error_page(accounts):
    """The settings route CSRF failures to the site's error page, not Django's English one."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(accounts["kabkota"])
    response = client.post("/saran/", FORM_POSTS["/saran/"])
    assert not check(response, PAGES["feedback:feedback"], "id", "/saran/")


@pytest.mark.parametrize("language", LANGUAGES)
def test_too_many_parameters_or_too_large_a_form_is_the_400_page(language, site):
    """More parameters than Django accepts, or a form body over its size limit, gets the 400
    error page in the reader's language."""
    client = site.client("kabkota", language)
    many = "&".join(f"p{number}=1" for number in range(1200))
    for response in (
        client.get("/glosarium/", QUERY_STRING=many),
        client.get(f"/wilayah/{site.values['region']}/", QUERY_STRING=many),
        client.post("/saran/", many, content_type="application/x-www-form-urlencoded"),
        client.post(
            "/saran/",
            "message=" + "x" * 3_000_000,
            content_type="application/x-www-form-urlencoded",
        ),
    ):
        assert response.status_code == 400
        assert not check(response, PAGES["glossary:term_list"], language, "many")


def test_an_attachment_over_the_size_limit_is_a_form_error(site):
    """A 6 MB attachment is refused next to its field, keeping the message typed."""
    client = site.client("kabkota", None)
    data = {"name": "Budi", "email": "budi@dinas.belajar.id", "topic": "akun", "message": "Halo"}
    big = SimpleUploadedFile("laporan.pdf", b"%PDF-1.4\n" + b"0" * 6_000_000)
    response = client.post("/bantuan/hubungi/", {**data, "attachment": big})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="attachment-error"' in html
    assert "Halo" in html


@pytest.mark.parametrize(
    "url",
    [
        "/bantuan/faq/" + "9" * 30 + "/",
        "/bantuan/panduan/99999999999999999999/",
        "/bantuan/video/" + "9" * 25 + "/berkas/",
        "/bantuan/tiket/" + "9" * 25 + "/lampiran/",
        "/sekolah/" + "9" * 400 + "/indikator/A.1/",
    ],
)
def test_numbers_too_large_for_the_database_in_a_path_are_the_404_page(url, site):
    """An id beyond the database's integer range is the 404 page, not a database error."""
    response = site.client("pusat", None).get(url)
    assert response.status_code == 404
    assert not check(response, PAGES["help:faq_detail"], "id", url)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_nul_character_in_the_faq_search_is_the_400_page(language, site):
    """A NUL in the FAQ search (which PostgreSQL cannot hold in text) gets the 400 page, not a
    database error; `make test` runs this on PostgreSQL too."""
    for query in ("q=%00", "q=akun%00belajar"):
        response = site.client("kabkota", language).get("/bantuan/", QUERY_STRING=query)
        assert response.status_code == 400
        assert not check(response, PAGES["help:index"], language, query)
