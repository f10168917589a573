"""The template environment's own helpers print what Django's would."""

from __future__ import annotations

import math
import random
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.template import engines
from django.template.defaultfilters import floatformat
from django.utils import translation
from django.utils.safestring import mark_safe
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from rapor.web.jinja_environment import fixed_places
from rapor.web.numbers import rounded_half_up

TIES = [0.125, 0.135, 1.005, 2.675, -0.125, -1.005, 0.5, 1.5, -2.5, 0.05, 0.15, 99.995]
SMALL = [0.0, -0.0, 0.001, -0.001, -0.004, -0.005, 1e-12, -1e-12, 5e-7, 123456.789]
LARGE = [1e14 + 0.125, 999999999999999.9, 1e15, -1e15, 1e27, -3.5e30]


def samples() -> list[float]:
    rng = random.Random(20261204)
    drawn = [rng.uniform(-1000, 1000) for _ in range(3000)]
    drawn += [round(rng.uniform(0, 100), rng.randint(1, 4)) for _ in range(3000)]
    # Ties and near-ties of every length, both signs: 12.345, -0.0449, 7.5.
    drawn += [
        rng.choice([1, -1]) * round(rng.uniform(0, 50), rng.randint(0, 6)) for _ in range(3000)
    ]
    return TIES + SMALL + LARGE + drawn


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("places", [0, 1, 2, 3])
def test_fixed_places_prints_what_django_floatformat_prints(language, places):
    with translation.override(language):
        for value in samples():
            assert fixed_places(value, places) == floatformat(value, places), value


def shortest_form_rounded(value: float, places: int) -> str:
    """The definition: the shortest decimal form, rounded half up, no minus on a zero."""
    rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{rounded:f}".lstrip("-") if rounded.is_zero() else f"{rounded:f}"


@pytest.mark.parametrize("places", [0, 1, 2, 3, 4])
def test_rounding_by_float_arithmetic_gives_the_shortest_forms_rounding(places):
    """Far from a tie the float path answers; near one (2.675, 0.125 and their neighbours one
    ulp away) the shortest form does: both must print the same as the definition."""
    near_ties = [
        neighbour
        for value in samples()
        if abs(value) < 1e15
        for neighbour in (value, math.nextafter(value, math.inf), math.nextafter(value, -math.inf))
    ]
    for value in near_ties:
        assert rounded_half_up(value, places) == shortest_form_rounded(value, places), value


@given(
    st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False),
    st.integers(min_value=0, max_value=4),
)
def test_rounded_half_up_is_the_shortest_forms_rounding(value, places):
    assert rounded_half_up(value, places) == shortest_form_rounded(value, places)


@pytest.mark.parametrize("value", [None, "", "abc", 3, float("nan"), float("inf")])
def test_anything_but_a_finite_float_goes_to_django(value):
    assert fixed_places(value, 2) == floatformat(value, 2)


@pytest.mark.parametrize("argument", ["2", "2g", "-2", -1])
def test_any_other_argument_goes_to_django(argument):
    assert fixed_places(1234.5678, argument) == floatformat(1234.5678, argument)


@pytest.mark.parametrize(
    ("language", "shown"), [("id", "20.000 dari 4.581"), ("en", "20,000 dari 4,581")]
)
def test_counts_are_grouped_as_the_language_groups_them(language, shown):
    """A province's 20,000 schools and the national list's pages read as numbers do elsewhere on
    the page (the list's heading printed 20000)."""
    # Variables, as in the pages: Jinja2 works out a filter of a constant when it compiles.
    template = engines["jinja2"].from_string("{{ schools|intcomma }} dari {{ pages|intcomma }}")
    with translation.override(language):
        assert template.render({"schools": 20000, "pages": 4581}) == shown


@pytest.mark.parametrize("language", ["id", "en"])
def test_grouped_prints_what_django_intcomma_prints(language):
    from django.contrib.humanize.templatetags.humanize import intcomma

    from rapor.web.numbers import grouped

    rng = random.Random(20261205)
    values = [0, 1, -1, 999, 1000, -1000, 12345, 10**6, -(10**9), 2**63, *range(990, 1010)]
    values += [rng.randint(-(10**12), 10**12) for _ in range(3000)]
    values += [None, "", "abc", "12345", 1234.5, True]
    with translation.override(language):
        for value in values:
            assert grouped(value) == intcomma(value), value


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("{{ row.npsn }}", "20100001"),
        ("{{ row.missing }}|{{ row.missing.deeper }}", "|"),  # undefined, and chainable
        ("{{ row.items()|list|length }}", "3"),  # a dict's own attribute comes first
        ("{{ row.get('npsn') }}", "20100001"),
        ("{{ row['items'] }}", "a key named items"),
        ("{{ row.items is callable }}", "True"),
    ],
)
def test_a_dict_row_reads_its_keys_as_jinja2_reads_them(source, shown):
    """Rows of the release are dicts: `row.npsn` is their key, a missing one is empty, and a
    dict's own attributes keep their meaning (as in Jinja2's own `getattr`)."""
    from jinja2 import ChainableUndefined, Environment

    row = {"npsn": "20100001", "items": "a key named items", "value": None}
    ours = engines["jinja2"].from_string(source).render({"row": row})
    jinja2_own = Environment(undefined=ChainableUndefined).from_string(source).render(row=row)
    assert ours == jinja2_own == shown


def test_the_templates_own_calls_render_as_with_jinja2s_own_context():
    """Macros (with `caller` and in loops), `_()` and `url()` are called directly
    (`PageContext`), and a function marked `pass_context` still gets the context: the same text
    as Jinja2's own context gives."""
    from jinja2 import pass_context
    from jinja2.runtime import Context

    @pass_context
    def place_of(context, suffix):
        return context["place"] + suffix

    source = (
        "{% macro link(code) %}<a href='{{ url('dashboard:region', code) }}'>{{ code }}"
        "{{ caller() if caller }}</a>{% endmacro %}"
        "{% for code in codes %}{{ link(code) }}{% call link(code) %}!{% endcall %}"
        "{{ place_of(loop.index|string) }} {{ _('Selengkapnya') }}{% endfor %}"
        "{% set first = codes|first %}{{ link(first) }}"
    )
    environment = engines["jinja2"].env
    environment.globals["place_of"] = place_of
    try:
        context = {"codes": ["34.01", "34.02"], "place": "Yogyakarta"}
        with translation.override("en"):
            ours = environment.from_string(source).render(context)
            environment.context_class = Context
            jinja2_own = environment.from_string(source).render(context)
    finally:
        environment.context_class = type(environment).context_class
        del environment.globals["place_of"]
    assert ours == jinja2_own
    assert "<a href='/wilayah/34.01/'>34.01!</a>Yogyakarta1 More" in ours


class _Html:
    def __html__(self):
        return "<b>safe</b>"


@pytest.mark.parametrize(
    "value",
    [
        "SD Negeri 1 <Pelita> & 'Bangsa' \"x\"",
        "",
        "Kulon Progo · ←",
        Markup("<a href='/'>x</a>"),
        mark_safe("<em>safe</em>"),
        0,
        -12,
        10**20,
        1.5,
        -0.0,
        float("inf"),
        float("nan"),
        True,
        None,
        _Html(),
        ["<x>"],
    ],
)
def test_page_output_is_escaped_as_markupsafe_escapes_it(value):
    """What a page prints through `{{ … }}`: the same text and safety as markupsafe's `escape`
    (which Jinja2 would use), for text, safe text, numbers and anything else."""
    from markupsafe import escape

    from rapor.web.jinja_environment import escape_output

    ours, theirs = escape_output(value), escape(value)
    assert (ours, type(ours)) == (theirs, type(theirs))
    rendered = engines["jinja2"].from_string("{{ value }}").render({"value": value})
    assert rendered == str(theirs)


def test_remembered_urls_follow_the_script_prefix():
    """A site served under a path prefix links under it, in a render and outside one, and the
    same link asked again without the prefix is not the remembered one."""
    from django.urls import set_script_prefix

    from rapor.web.jinja_environment import url

    template = engines["jinja2"].from_string("{{ url('dashboard:region', '34.01') }}")
    try:
        set_script_prefix("/rapor/")
        assert template.render({}) == url("dashboard:region", "34.01") == "/rapor/wilayah/34.01/"
    finally:
        set_script_prefix("/")
    assert template.render({}) == url("dashboard:region", "34.01") == "/wilayah/34.01/"


URL_TEXTS = ["34.01", "20100001", "A.1", "APK-SMP", "a b", "50%", "x?y#z", "é·ü", "a\nb"]
URL_TEXTS.append("~:@!$&'()*+,;=")


@pytest.mark.parametrize("prefix", ["/", "/rapor/"])
def test_links_are_what_django_reverse_makes(prefix):
    """Links made from the URL's text around its arguments equal `reverse`'s for the dashboard's
    pages, whatever the text; arguments with a "/", empty or not text are `reverse`'s own."""
    from django.urls import NoReverseMatch, reverse, set_script_prefix

    from rapor.web.jinja_environment import url

    rng = random.Random(20261205)
    texts = [*URL_TEXTS, *("".join(rng.choices(URL_TEXTS, k=2)) for _ in range(30))]
    cases = [("dashboard:region", (text,)) for text in texts]
    cases += [("dashboard:school_indicator", (text, rng.choice(texts))) for text in texts]
    cases += [("help:guide", (7,)), ("dashboard:school", (20100001,))]
    try:
        set_script_prefix(prefix)
        for name, args in cases:
            assert url(name, *args) == reverse(name, args=args), (name, args)
        for args in [("a/b",), ("",)]:
            with pytest.raises(NoReverseMatch):
                reverse("dashboard:region", args=args)
            with pytest.raises(NoReverseMatch):
                url("dashboard:region", *args)
    finally:
        set_script_prefix("/")
