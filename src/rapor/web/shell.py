"""The dashboard's pages around their content, rendered once per account and language instead of
on every request.

The page shell (`dashboard/page.html` over `base.html`: menu, account, language switch, footer)
is the same for every page an account opens but for four things: the page's title, its path
(in the language switch and, URL-encoded, in the feedback link), the CSRF token of its two forms
(masked anew for every response) and the content. It is rendered once with a placeholder for
each, and each request fills them in, escaped as the template escapes them: rendering it cost
about a tenth of a dashboard request (benchmarks/RESULTS.md). The page is put together in UTF-8,
the content's cached form, so a request neither decodes nor encodes the content.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from django.http import HttpRequest
from django.template.backends.utils import csrf_input
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
        CSRF: csrf_input(request).encode(),
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
