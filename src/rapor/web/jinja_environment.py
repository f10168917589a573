"""The Jinja2 environment of the site's pages (`jinja2/` and `<app>/jinja2/` folders).

Every page of ours is Jinja2: the shell (`base.html`: menu, account, language switch), the other
apps' pages, and the dashboard's content fragments (cards, maps, comparison and school tables,
rendered once per release, language and filter, then cached). Jinja2 compiles a template to
Python, which renders about twice as fast as Django's template language (benchmarks/RESULTS.md);
Django's own templates (the admin, form widgets) stay in Django's language.

Translatable text is written `{{ _("...") }}`, the syntax Django's makemessages reads in any
template, with the msgid exactly as in the catalogue (a literal percent sign doubled, as Django's
own translate tags store it); a msgid with `%%` or `%(name)s` goes through `|format(...)`. Plural
texts are made in Python (ngettext), where makemessages finds them too.
"""

from __future__ import annotations

import functools
import math
from urllib.parse import quote

from django.template.defaultfilters import (
    capfirst,
    date,
    floatformat,
    linebreaks_filter,
    slugify,
    urlencode,
)
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils.formats import get_format
from django.utils.html import json_script
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeData, SafeString
from django.utils.timezone import template_localtime
from django.utils.translation import gettext, override
from jinja2 import ChainableUndefined, Environment, Template
from jinja2.runtime import Context, Macro
from markupsafe import Markup, escape

# The escaping itself, in C, that markupsafe's `escape` wraps; not markupsafe's public API, so
# a test checks that `escape_output` gives what `escape` gives.
from markupsafe import _escape_inner as escaped_text

from rapor.web.dashboard.figures import bands_text
from rapor.web.dashboard.filters import bentuk_name, status_name
from rapor.web.dashboard.templatetags.rapor import text
from rapor.web.numbers import grouped, rounded_half_up
from rapor.web.rendering import page_language, rendering, url_resolution


def escape_output(value: object) -> Markup:
    """markupsafe's `escape`, as a template escapes each `{{ … }}`: the same text, made cheaper
    for what pages print some five hundred times each. Text is escaped and safe text kept as it
    is, without `Markup`'s look for `__html__` (markupsafe's `escape` makes a second `Markup` of
    safe text); a number needs no escaping. Anything else is markupsafe's own."""
    kind = type(value)
    if kind is str:
        return str.__new__(Markup, escaped_text(value))
    if kind is Markup:
        return value
    if kind is int or kind is float:
        return str.__new__(Markup, str(value))
    return escape(value)


class PageTemplate(Template):
    """A template whose render reads the page's language and how URLs reverse once
    (`rapor.web.rendering`), and whose output is escaped by `escape_output`."""

    def render(self, *args: object, **kwargs: object) -> str:
        with rendering():
            return super().render(*args, **kwargs)

    @classmethod
    def _from_namespace(
        cls, environment: Environment, namespace: dict, globals: dict
    ) -> PageTemplate:
        # The compiled template's code escapes with the `escape` its namespace imported.
        namespace["escape"] = escape_output
        return super()._from_namespace(environment, namespace, globals)


# What a dict answers as an attribute (`items`, `get`, ...): Jinja2 reads these before its keys.
DICT_ATTRIBUTES = frozenset(dir(dict))


class PageContext(Context):
    """Jinja2's context, calling the templates' own functions and macros without Jinja2's look
    for a `pass_context`-style marker (`jinja_pass_arg`), which none of them has: a page makes a
    few hundred such calls, and the look cost about as much as a short call itself."""

    def call(__self, __obj: object, *args: object, **kwargs: object) -> object:
        if not (type(__obj) is Macro or __obj is translate or __obj is url):
            return super().call(__obj, *args, **kwargs)
        # What Jinja2 passes for the marked functions, which these are not.
        kwargs.pop("_block_vars", None)
        kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:  # as Jinja2's own `call`
            return __self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception"
            )


class PageEnvironment(Environment):
    """Jinja2's environment, with a cheaper `row.key` on the dict rows of the release's data and
    cheaper calls of the templates' own functions (`PageContext`)."""

    template_class = PageTemplate
    context_class = PageContext

    def getattr(self, obj: object, attribute: str) -> object:
        """What Jinja2's `getattr` gives: on a dict, a key unless a dict attribute has that
        name. Jinja2 finds the key only after failing the attribute, and raising that failure's
        AttributeError cost more than the rest of the read, some hundred times a page. The rest
        is Jinja2's own, inline: calling it through `super()` cost more than the dicts saved."""
        if type(obj) is dict and attribute not in DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        try:
            return getattr(obj, attribute)
        except AttributeError:
            pass
        try:
            return obj[attribute]
        except (TypeError, LookupError, AttributeError):
            return self.undefined(obj=obj, name=attribute)


def environment(**options: object) -> Environment:
    # Like Django's templates: an attribute of a missing value is empty, not an error.
    options["undefined"] = ChainableUndefined
    env = PageEnvironment(**options)
    env.globals.update({"_": translate, "url": url, "static": static_url})
    env.filters.update(
        {
            "text": text,
            "floatformat": fixed_places,
            "intcomma": grouped,
            "slugify": remembered_slugify,
            "urlencode": urlencode,
            "capfirst": capfirst,
            "date": local_date,
            "linebreaks": linebreaks_filter,
            "json_script": json_script,
            "bentuk_name": bentuk_name,
            "bands_text": bands_text,
            "status_name": status_name,
        }
    )
    return env


def translate(message: str) -> str:
    """Django's `gettext` in the page's language, remembered: a page translates a hundred texts,
    the same ones on every page."""
    if isinstance(message, SafeData):
        return gettext(message)
    return _translated(page_language(), message)


@functools.lru_cache(maxsize=8192)
def _translated(language: str, message: str) -> str:
    with override(language):
        return gettext(message)


# Below it, quantizing to a few places stays within Decimal's default 28 digits.
LARGEST_FIXED = 1e15


def fixed_places(value: object, places: object = -1) -> Markup | SafeString:
    """Django's `floatformat` with a number of places (`|floatformat(2)`), the same text at a
    fraction of the cost for a finite float below 10^15, which is what the pages print some
    forty times each: rounded half up from its shortest decimal form, the language's decimal
    separator, no minus sign on a zero. Anything else is Django's own."""
    if not (
        type(value) is float
        and type(places) is int
        and places >= 0
        and math.isfinite(value)
        and abs(value) < LARGEST_FIXED
    ):
        return floatformat(value, places)
    text = rounded_half_up(value, places)
    # Markup, made as markupsafe makes it of plain text: the same safe text as Django's mark_safe
    # without its check for lazy strings, or Markup()'s look for `__html__`.
    return str.__new__(Markup, text.replace(".", _decimal_separator(page_language())))


@functools.lru_cache(maxsize=16)
def _decimal_separator(language: str) -> str:
    return get_format("DECIMAL_SEPARATOR", language)


@functools.lru_cache(maxsize=4096)
def remembered_slugify(value: str) -> str:
    """Django's `slugify`, remembered: pages make their anchors from the same few hundred names."""
    return slugify(value)


def local_date(value: object, arg: str | None = None) -> str:
    """Django's `date` filter, in the site's time zone as in Django's templates."""
    return date(template_localtime(value), arg)


def url(name: str, *args: object) -> str:
    """Django's `reverse`, remembered: pages link to the same URLs over and over, and working one
    out walks the URL resolver each time. The key holds what the answer depends on besides the
    name and arguments: the script prefix and the URLconf in effect (tests swap it)."""
    return _reverse(*url_resolution(), name, args)


# Room for every school and region link a worker serves in a while (~200 bytes each).
@functools.lru_cache(maxsize=65536)
def _reverse(prefix: str, urlconf: str, name: str, args: tuple) -> str:
    """`reverse`, or for arguments of text without a "/" the URL's own text around them: a
    school list's page links to fifty schools not linked before, and `reverse` costs ~15 µs."""
    pieces = _url_around_arguments(prefix, urlconf, name, len(args))
    if pieces is None or not all(type(arg) is str and arg and "/" not in arg for arg in args):
        return reverse(name, args=args, urlconf=urlconf)
    quoted = [quote(arg, safe=URL_SAFE) for arg in args]
    return pieces[0] + "".join(arg + piece for arg, piece in zip(quoted, pieces[1:], strict=True))


# What `reverse` leaves unquoted in a URL's arguments.
URL_SAFE = RFC3986_SUBDELIMS + "/~:@"


@functools.lru_cache(maxsize=256)
def _url_around_arguments(prefix: str, urlconf: str, name: str, count: int) -> list[str] | None:
    """The text of `name`'s URL before, between and after its `count` arguments, as `reverse`
    makes it with private-use characters for them; None when it refuses those (the `int`, `slug`
    and `uuid` converters). Django's `str` and `path` converters take any text without a "/",
    which `reverse` quotes on its own, and the site has no converters of its own."""
    markers = [chr(0xE000 + position) for position in range(count)]
    try:
        text = reverse(name, args=markers, urlconf=urlconf)
    except NoReverseMatch:
        return None
    pieces = []
    for marker in markers:
        before, found, text = text.partition(quote(marker, safe=URL_SAFE))
        if not found:
            return None
        pieces.append(before)
    return [*pieces, text]


@functools.lru_cache(maxsize=256)
def static_url(path: str) -> str:
    """A static file's URL (with its content hash in production), remembered: the manifest
    never changes while a process runs."""
    return static(path)
