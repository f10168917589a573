"""Whole numbers as the reader's language groups their digits ("12.345" / "12,345"), as Django's
`intcomma` prints them at a fraction of its cost: pages print some dozens of counts each."""

from __future__ import annotations

import functools

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.formats import get_format

from rapor.web.rendering import page_language


def grouped(value: object) -> str:
    """Django's `intcomma` of `value`: an int's digits in threes, anything else as Django does."""
    separator = _thousand_separator(page_language())
    if type(value) is not int or separator is None:
        return intcomma(value)
    return f"{value:,}".replace(",", separator)


@functools.lru_cache(maxsize=16)
def _thousand_separator(language: str) -> str | None:
    """The language's thousand separator when it groups digits in threes (else None: Django's
    own grouping rules apply)."""
    if get_format("NUMBER_GROUPING", language) != 3:
        return None
    return get_format("THOUSAND_SEPARATOR", language)
