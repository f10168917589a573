"""Security headers on every kind of response (pages, error pages, files, the admin, static
files), templates without inline scripts, and cookies that scripts cannot read."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

import rapor.web

SECURITY_HEADERS = {
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
CSP_DIRECTIVES = (
    "default-src 'self'",
    "script-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
)


def assert_security_headers(response) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, name
    policy = [part.strip() for part in response.headers["Content-Security-Policy"].split(";")]
    for directive in CSP_DIRECTIVES:
        assert directive in policy, directive
    # Scripts only from our own files: nothing inline, nothing evaluated.
    (scripts,) = [part for part in policy if part.startswith("script-src ")]
    assert "unsafe" not in scripts


@pytest.fixture
def kabkota_code(accounts) -> str:
    return accounts["kabkota"].region_code


URLS = {
    "landing page": ("anonymous", "/", 200),
    "Beranda": ("kabkota", "/wilayah/{kabkota}/", 200),
    "htmx fragment": ("kabkota", "/saran/?dari=/", 200),
    "not found page": ("kabkota", "/wilayah/99/", 404),
    "bad request page": ("kabkota", "/glosarium/?huruf=AB", 400),
    "refusal page": ("anonymous", "/masuk/ditolak/", 403),
    "Excel download": ("kabkota", "/unduh/wilayah/{kabkota}/", 200),
    "PDF guide": ("kabkota", "/bantuan/panduan/rapor-pendidikan.pdf", 200),
    "static file": ("anonymous", "/static/rapor/rapor.js", 200),
    "admin": ("pusat", "/admin/", 200),
    "admin change list": ("pusat", "/admin/accounts/account/", 200),
}


@pytest.mark.parametrize(("who", "url", "status"), URLS.values(), ids=URLS.keys())
def test_every_kind_of_response_has_the_security_headers(
    client_for, kabkota_code, who, url, status
):
    """Pages, htmx fragments, error pages, downloads, static files and the admin all carry the
    Content-Security-Policy and the other security headers."""
    client = Client() if who == "anonymous" else client_for(who)
    response = client.get(url.format(kabkota=kabkota_code))
    response.close()  # static files are streamed from an open file
    assert response.status_code == status
    assert_security_headers(response)


def test_server_error_page_has_the_security_headers(client_for, monkeypatch):
    """The 500 page, answered after a view failed, carries the headers too."""
    from rapor.web.glossary import views

    def broken(*args, **kwargs):
        raise RuntimeError("broken on purpose")

    monkeypatch.setattr(views, "render", broken)
    client = client_for("kabkota")
    client.raise_request_exception = False
    response = client.get("/glosarium/")
    assert response.status_code == 500
    assert_security_headers(response)


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
WEB_DIR = Path(rapor.web.__file__).parent
# Django templates and the dashboard's Jinja2 fragments alike.
TEMPLATES = sorted([*WEB_DIR.rglob("templates/**/*.html"), *WEB_DIR.rglob("jinja2/**/*.html")])


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: path.name)
def test_templates_have_no_inline_scripts(path):
    """No template holds inline script code, `on…=` handlers or `javascript:` links: the
    Content-Security-Policy would block them (JSON data blocks are fine)."""
    text = path.read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.search(text)
    assert not EVENT_HANDLER.search(text)
    assert "javascript:" not in text


def test_cookies_are_http_only_and_same_site(accounts):
    """The session and CSRF cookies are HttpOnly and SameSite=Lax."""
    client = Client()
    client.get("/masuk/demo/")
    client.post("/masuk/demo/", {"email": accounts["kabkota"].email})
    for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME):
        cookie = client.cookies[name]
        assert cookie["httponly"] is True, name
        assert cookie["samesite"] == "Lax", name


def test_htmx_form_posts_carry_the_csrf_token_without_reading_the_cookie(accounts):
    """With CSRF checks on, the Beri Saran dialog (htmx) posts its token as a form field, so an
    HttpOnly CSRF cookie breaks nothing."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(accounts["kabkota"])
    headers = {"HX-Request": "true"}
    dialog = client.get("/saran/?dari=/", headers=headers).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', dialog).group(1)
    form = {"rating": "4", "message": "Jelas.", "page": "/", "csrfmiddlewaretoken": token}
    sent = client.post("/saran/", form, headers=headers)
    assert sent.status_code == 200
    assert "Terima kasih atas saran Anda." in sent.content.decode()
    refused = client.post("/saran/", {**form, "csrfmiddlewaretoken": "x" * 64}, headers=headers)
    assert refused.status_code == 403
