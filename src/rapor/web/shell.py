"""The dashboard's pages around their content, rendered once per account and language instead of
on every request.

The page shell (`dashboard/page.html` over `base.html`: menu, account, language switch, footer)
is the same for every page an account opens but for four things: the page's title, its path
(in the language switch and, URL-encoded, in the feedback link), the CSRF token of its two forms
(masked anew for every response) and the content. It is rendered once with a placeholder for
each, and each request fills them in, escaped as the template escapes them: rendering it cost
about a tenth of a dashboard request (benchmarks/RESULTS.md). The page is put together in UTF-8,
the content's cached form, so a request neither decodes nor encodes the content.

The token is Django's: the CSRF cookie's secret under a fresh random mask, what `get_token` gives
and CsrfViewMiddleware checks, and the cookie is renewed as `get_token` renews it. Only the mask
is drawn differently: from one read of the system's random source, where Django's makes 32 calls
of `secrets.choice` (about 40 µs, a twentieth of a cached page).
"""

from __future__ import annotations

import re
import secrets
from urllib.parse import quote

from django.http import HttpRequest
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, get_token
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from markupsafe import escape

from rapor.releases import Release
from rapor.web.rendering import code_version

# Placeholders: characters of Unicode's private use area, which no escaping changes and no page
# text holds.
TITLE, PATH, CSRF, CONTENT = (
    f"\ue000{name}\ue001" for name in ("title", "path", "csrf", "content")
)
# The path URL-encoded as the template's `urlencode` filter does it (Django's: `quote`, "/" kept).
ENCODED_PATH = quote(PATH, safe="/")
# One group around them all: splitting on it keeps them, in order, among the shell's text.
PLACEHOLDERS = re.compile(
    "(" + "|".join(map(re.escape, (TITLE, PATH, ENCODED_PATH, CSRF, CONTENT))) + ")"
)
TEMPLATE = "dashboard/page.html"
MAX_SHELLS = 1000  # a few kilobytes each, in each worker


_shells: dict[tuple, list[bytes | str]] = {}


def page(request: HttpRequest, content: bytes, title: str, menu: str, release: Release) -> bytes:
    """The whole page in UTF-8: the account's shell around `content` (safe HTML in UTF-8, from
    `release`), with `title` and a fresh token, escaped by Jinja2's own escaping (markupsafe), as
    the template would."""
    path = request.get_full_path()
    values = {
        TITLE: escape(title).encode(),
        PATH: escape(path).encode(),
        ENCODED_PATH: escape(quote(path, safe="/")).encode(),
        CSRF: csrf_field(request).encode(),
        CONTENT: content,
    }
    return b"".join(values.get(piece, piece) for piece in _shell(request, menu, release))


def _shell(request: HttpRequest, menu: str, release: Release) -> list[bytes | str]:
    """The shell as its text (UTF-8) and placeholders (str) in order; rendered on first use. The
    key holds all the shell shows besides them: the account, the language, the release's date."""
    user = request.user
    key = (code_version(), get_language(), release.created_at, menu, user.pk, user.name, user.email)
    pieces = _shells.get(key)
    if pieces is None:
        context = {
            "content": mark_safe(CONTENT),
            "page_title": TITLE,
            "menu": menu,
            "shell_path": PATH,
            "shell_csrf": mark_safe(CSRF),
        }
        html = render_to_string(TEMPLATE, context, request=request, using="jinja2")
        pieces = [
            piece if PLACEHOLDERS.fullmatch(piece) else piece.encode()
            for piece in PLACEHOLDERS.split(html)
            if piece
        ]
        if len(_shells) >= MAX_SHELLS:
            _shells.clear()
        _shells[key] = pieces
    return pieces


def csrf_field(request: HttpRequest) -> str:
    """The hidden field of a form's CSRF token, as Django's `csrf_input` writes it."""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{csrf_token(request)}">'


CHAR_INDEX = {char: index for index, char in enumerate(CSRF_ALLOWED_CHARS)}
# Random bytes below this map onto the allowed characters evenly (the rest are drawn again).
EVEN_BYTES = 256 - 256 % len(CSRF_ALLOWED_CHARS)


def csrf_token(request: HttpRequest) -> str:
    """Django's `get_token`: the request's CSRF secret masked anew (mask, then each secret
    character shifted by the mask's), its cookie renewed; a new secret and cookie by Django
    itself when the request brought none."""
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:
        return get_token(request)
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    count = len(CSRF_ALLOWED_CHARS)
    mask: list[int] = []
    while len(mask) < CSRF_SECRET_LENGTH:
        drawn = secrets.token_bytes(CSRF_SECRET_LENGTH)
        mask += [byte % count for byte in drawn if byte < EVEN_BYTES]
    mask = mask[:CSRF_SECRET_LENGTH]
    cipher = [(CHAR_INDEX[char] + shift) % count for char, shift in zip(secret, mask, strict=True)]
    return "".join(CSRF_ALLOWED_CHARS[index] for index in mask + cipher)
