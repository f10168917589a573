"""What a render of a page reads many times and cannot change during it: the language, and how
URLs are reversed (the script prefix and URLconf).

A page reads its language some hundreds of times (every translated text, number and catalogue
name) and reverses dozens of URLs, and Django reads each of these from a thread- and task-local
every time, which costs more than the rest of such a lookup. A Jinja2 render reads them once
(`rendering`, around every render of `rapor.web.jinja_environment` and the building of a
dashboard page's content), and what the render calls reads them from here. And what every
cached render is keyed by: the installed code's version.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

import rapor

PACKAGE_DIR = Path(rapor.__file__).parent


@dataclass(frozen=True)
class Rendering:
    language: str
    script_prefix: str
    urlconf: str  # the one in effect: the request's own, else ROOT_URLCONF


_current: ContextVar[Rendering | None] = ContextVar("rendering", default=None)


def page_language() -> str:
    """The language of the render in progress, else Django's active language."""
    current = _current.get()
    return current.language if current else get_language()


def url_resolution() -> tuple[str, str]:
    """The script prefix and URLconf of the render in progress, else Django's current ones."""
    current = _current.get()
    return (current.script_prefix, current.urlconf) if current else _django_url_resolution()


def _django_url_resolution() -> tuple[str, str]:
    return get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF


@contextmanager
def rendering() -> Iterator[None]:
    """Within it, the functions above answer what was current when it began."""
    token = _current.set(Rendering(get_language(), *_django_url_resolution()))
    try:
        yield
    finally:
        _current.reset(token)


@functools.cache
def code_version() -> str:
    """A digest of the installed package (code, templates, catalogue, static files). The content
    cache is shared by every server, and during a rolling deploy they run different versions:
    content one rendered (with its templates and hashed static URLs) is never served by another."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()
