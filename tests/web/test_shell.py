"""The dashboard's page shell, rendered once per account and filled in per request
(rapor.web.shell), is the page the template renders, with this request's title, path and a CSRF
token that works."""

from __future__ import annotations

import re
from collections import Counter

from django.conf import settings
from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    CSRF_SECRET_LENGTH,
    CSRF_TOKEN_LENGTH,
    _unmask_cipher_token,
)
from django.shortcuts import render
from django.test import Client, RequestFactory
from django.utils import translation
from django.utils.crypto import get_random_string
from django.utils.safestring import mark_safe

from rapor.web import shell

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _request(account, path: str):
    request = RequestFactory().get(path, HTTP_HOST="testserver")
    request.user = account
    request.META["CSRF_COOKIE"] = "k" * 32
    return request


def _rendered(request, content, title: str) -> str:
    """The page as the template renders it on its own (no shell)."""
    context = {"content": content, "page_title": title, "menu": "beranda"}
    return render(request, shell.TEMPLATE, context).content.decode()


def test_the_filled_shell_is_the_rendered_page(accounts, data):
    """Byte for byte but the token's mask: awkward titles and paths are escaped (and URL-encoded
    in the feedback link) exactly as the template does, in both languages, and every account
    sees its own name, even when another account's shell was made first."""
    # Content beyond ASCII, as the pages' own ("·", "←"): the page is put together in UTF-8.
    content = mark_safe('<section id="content">Ringkasan & "nilai" · ← Kulon Progo</section>')
    cases = [
        ("sekolah", "/sekolah/1/?jenjang=dasar&tahun=2024", "SD <Negeri> 1 & 'Pelita'"),
        ("kabkota", '/wilayah/34.01/?q="a b"&x=%C3%A4<', "Kemampuan Literasi · Kulon Progo"),
        ("pusat", "/wilayah/ID/indikator/A.1/", 'Ä.1 "nasional"'),
    ]
    for language in ("id", "en"):
        with translation.override(language):
            for role, path, title in cases:
                filled = shell.page(
                    _request(accounts[role], path), content.encode(), title, "beranda", data.release
                ).decode()
                expected = _rendered(_request(accounts[role], path), content, title)
                assert TOKEN.sub("", filled) == TOKEN.sub("", expected), (language, role)
                assert accounts[role].name in filled
                assert len(TOKEN.findall(filled)) == 2


def test_a_dashboard_page_shows_its_own_title_and_path_and_its_forms_work(client_for, data):
    """Two pages of one account (its shell made once): each has its own title and return path,
    and the language switch posted with the page's own token is accepted (a stale or missing
    token would be refused with 403)."""
    client = client_for("kabkota")
    client.handler.enforce_csrf_checks = True
    first = client.get("/wilayah/34.01/?jenjang=dasar").content.decode()
    second = client.get("/wilayah/34.01/indikator/A.1/?jenjang=dasar").content.decode()
    assert 'name="next" value="/wilayah/34.01/?jenjang=dasar"' in first
    assert 'name="next" value="/wilayah/34.01/indikator/A.1/?jenjang=dasar"' in second
    assert "?dari=/wilayah/34.01/indikator/A.1/%3Fjenjang%3Ddasar" in second
    assert re.search(r"<title>[^<]*Literasi[^<]*</title>", second)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', second).group(1)
    switched = client.post(
        "/i18n/setlang/",
        {"language": "en", "next": "/wilayah/34.01/", "csrfmiddlewaretoken": token},
    )
    assert switched.status_code == 302
    refused = Client(enforce_csrf_checks=True)
    refused.cookies = client.cookies
    assert refused.post("/i18n/setlang/", {"language": "en"}).status_code == 403


def test_the_csrf_token_is_djangos_secret_under_a_fresh_even_mask():
    """Each token is the cookie's secret as Django's own check unmasks it, under a mask drawn
    anew (every character of the alphabet, at every position, about equally often), and the
    cookie is renewed as Django's `get_token` renews it; without a cookie Django makes one."""
    secret = get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS)
    tokens = []
    for _ in range(3000):
        request = RequestFactory().get("/")
        request.META["CSRF_COOKIE"] = secret
        tokens.append(shell.csrf_token(request))
        assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True
    assert all(_unmask_cipher_token(token) == secret for token in tokens)
    assert all(len(token) == CSRF_TOKEN_LENGTH and token.isalnum() for token in tokens)
    assert len(set(tokens)) == len(tokens)
    # 96,000 mask characters, ~1,550 of each (standard deviation ~40). Mapping every random
    # byte with `% 62` would give the first eight characters a quarter more than the rest.
    counts = Counter(char for token in tokens for char in token[:CSRF_SECRET_LENGTH])
    assert set(counts) == set(CSRF_ALLOWED_CHARS)
    first, rest = CSRF_ALLOWED_CHARS[:8], CSRF_ALLOWED_CHARS[8:]
    skew = (sum(counts[c] for c in first) / len(first)) / (sum(counts[c] for c in rest) / len(rest))
    assert 0.95 < skew < 1.05

    fresh = RequestFactory().get("/")
    token = shell.csrf_token(fresh)
    assert _unmask_cipher_token(token) == fresh.META["CSRF_COOKIE"]
    assert fresh.META["CSRF_COOKIE_NEEDS_UPDATE"] is True


def test_a_page_renews_the_csrf_cookie_with_its_secret(client_for):
    """As with Django's own token: the page's response sends the cookie again (its expiry
    renewed) with the same secret, so the page's forms stay valid."""
    client = client_for("kabkota")
    client.get("/wilayah/34.01/")
    secret = client.cookies["csrftoken"].value
    response = client.get("/wilayah/34.01/indikator/A.1/")
    assert response.cookies["csrftoken"].value == secret
    assert response.cookies["csrftoken"]["max-age"] == settings.CSRF_COOKIE_AGE
