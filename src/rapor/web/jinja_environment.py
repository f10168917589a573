"""The Jinja2 environment of the dashboard's content fragments (`<app>/jinja2/` folders).

The fragments are the pages' data-heavy part: cards, maps, comparison and school tables, rendered
once per release, language and filter, then cached. Jinja2 compiles a template to Python, which
renders them about twice as fast as Django's template language (benchmarks/RESULTS.md); the
page shell, forms and the other apps' pages stay in Django templates.

Translatable text is written `{{ _("...") }}`, the syntax Django's makemessages reads in any
template, with the msgid exactly as in the catalogue (a literal percent sign doubled, as Django's
own translate tags store it); a msgid with `%%` or `%(name)s` goes through `|format(...)`. Plural
texts are made in Python (ngettext), where makemessages finds them too.
"""

from __future__ import annotations

from django.template.defaultfilters import capfirst, date, floatformat, slugify, urlencode
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import json_script
from django.utils.translation import gettext
from jinja2 import ChainableUndefined, Environment

from rapor.web.dashboard.templatetags.rapor import text


def environment(**options: object) -> Environment:
    # Like Django's templates: an attribute of a missing value is empty, not an error.
    options["undefined"] = ChainableUndefined
    env = Environment(**options)
    env.globals.update({"_": gettext, "url": url, "static": static})
    env.filters.update(
        {
            "text": text,
            "floatformat": floatformat,
            "slugify": slugify,
            "urlencode": urlencode,
            "capfirst": capfirst,
            "date": date,
            "json_script": json_script,
        }
    )
    return env


def url(name: str, *args: object) -> str:
    return reverse(name, args=args)
