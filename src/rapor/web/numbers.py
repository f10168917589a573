"""Numbers as the pages print them, at a fraction of the cost of Django's filters: whole numbers
grouped as the reader's language groups their digits ("12.345" / "12,345"), as `intcomma` prints
them, and values rounded to a few decimals as `floatformat` rounds them. Pages print some dozens
of each."""

from __future__ import annotations

import functools
from decimal import ROUND_HALF_UP, Decimal

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


# Below it, a value scaled to its last decimal is exact enough in float arithmetic to tell on
# which side of a tie it lies (its error stays under 4e-7, well inside TIE_MARGIN).
FAST_SCALED_LIMIT = 1e9
TIE_MARGIN = 1e-6


def rounded_half_up(value: float, places: int) -> str:
    """A finite float's shortest decimal form (`repr`) rounded half up to `places` decimals, as
    text, with no minus sign on a zero: what Django's `floatformat` prints with "." as the
    separator. Worked out in float arithmetic unless the value lies within TIE_MARGIN of a tie
    (…5 past the last place), where only the shortest form tells the side (2.675 is
    2.67499999… in binary, and prints 2.68). The shortest form is the costly part: Python's
    `repr` searches for it digit by digit, in big-number arithmetic."""
    scaled = abs(value) * 10**places
    if scaled < FAST_SCALED_LIMIT and abs(scaled % 1 - 0.5) > TIE_MARGIN:
        units = int(scaled + 0.5)
        whole, fraction = divmod(units, 10**places)
        text = f"{whole}.{fraction:0{places}d}" if places else str(whole)
        return f"-{text}" if value < 0 and units else text
    rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{rounded:f}".lstrip("-") if rounded.is_zero() else f"{rounded:f}"
