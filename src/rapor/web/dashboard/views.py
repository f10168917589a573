"""Beranda (a region's report), the indicator detail pages and the school view.

Each view resolves the entity, checks the account's scope (404 outside it, so nothing leaks),
parses the filters (400 when invalid) and renders the full page, or only the content fragment
when htmx asks for it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.core.cache import cache, caches
from django.core.exceptions import BadRequest
from django.core.paginator import InvalidPage, Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from rapor.catalogue import load_catalogue
from rapor.catalogue.model import Indicator
from rapor.web import release_data, shell
from rapor.web.accounts.scope import Scope
from rapor.web.dashboard import pages, search
from rapor.web.dashboard.filters import (
    OPENING_JENJANG,
    filter_choices,
    parse_selection,
    parse_year,
)
from rapor.web.dashboard.maps import chosen_indicator, linked_children
from rapor.web.query import single_param
from rapor.web.release_data import Region
from rapor.web.rendering import code_version, rendering


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Beranda: the account's own region, or its school."""
    scope = Scope.of(request.user)
    if scope.home_region:
        return redirect("dashboard:region", code=scope.home_region)
    return redirect("dashboard:school", npsn=scope.npsn)


@login_required
def find(request: HttpRequest) -> HttpResponse:
    """ "Cari": the regions and schools of a dinas account's scope by name, code or NPSN, each
    linked to its page (a school account has only its own school: 404)."""
    scope = Scope.of(request.user)
    if scope.home_region is None:
        raise Http404
    data = release_data.current()
    text = single_param(request.GET, "q")
    found = search.find_places(data, scope, text) if text.strip() else None
    results = [
        (candidate, data.region(candidate.code) is not None)
        for candidate in (found.candidates if found else [])
    ]
    context = {"text": text, "search": found, "results": results}
    return render(request, "dashboard/find.html", context)


@login_required
def region(request: HttpRequest, code: str) -> HttpResponse:
    data = release_data.current()
    place = region_in_scope(request, data, code)
    selection = parse_selection(
        request.GET, data.years, default_jenjang=OPENING_JENJANG.get(place.level)
    )
    scope = Scope.of(request.user)
    map_indicator = chosen_indicator(request.GET, place, selection.filter.jenjang)
    linked = linked_children(data, place, scope)

    def build() -> dict:
        context = pages.region_context(data, place, selection, scope, map_indicator, linked)
        return {**context, **filter_choices(selection)}

    # The title says "Anda" on the account's own region, and the map links only to the regions
    # in scope: both are part of the key.
    map_code = map_indicator.code if map_indicator else None
    own = place.code == scope.region_code
    key = ("region", place.code, selection, own, map_code, sorted(linked))
    content = _content(request, data, "dashboard/_region_content.html", key, build)
    return _page(request, data, content, place.name)


@login_required
def region_indicator(request: HttpRequest, code: str, indicator: str) -> HttpResponse:
    data = release_data.current()
    place = region_in_scope(request, data, code)
    chosen = _indicator(indicator, place.level)
    # A link without filters opens the indicator at its own first jenjang (APK-SMP: SMP).
    selection = parse_selection(request.GET, data.years, default_jenjang=chosen.jenjang[0])
    order = _school_order(request)
    linked = linked_children(data, place, Scope.of(request.user))

    def build() -> dict:
        context = pages.region_indicator_context(data, place, selection, chosen, linked)
        sort, descending, page = order
        has_schools = context.pop("has_schools")
        schools = pages.SchoolList(data, place, selection, chosen, sort, descending)
        return {
            **context,
            **filter_choices(selection),
            **_school_page(schools if has_schools else None, sort, descending, page),
        }

    key = ("region_indicator", place.code, chosen.code, selection, order, sorted(linked))
    content = _content(request, data, "dashboard/_region_indicator_content.html", key, build)
    return _page(request, data, content, f"{chosen.name.get(get_language())} · {place.name}")


@login_required
def school(request: HttpRequest, npsn: str) -> HttpResponse:
    data = release_data.current()
    found = school_in_scope(request, data, npsn)
    level = pages.school_level(found, _school_jenjang(request))

    year = parse_year(request.GET, data.years)
    # Whether the accreditation has ended depends on the day: part of the content's key. So
    # is whether the school account itself reads it (then its words say "Anda").
    today = timezone.localdate()
    own = Scope.of(request.user).npsn == npsn

    def build() -> dict:
        return {**pages.school_context(data, found, level, year, own), "today": today}

    key = ("school", npsn, level, year, today, own)
    content = _content(request, data, "dashboard/_school_content.html", key, build)
    return _page(request, data, content, found["school_name"])


@login_required
def school_indicator(request: HttpRequest, npsn: str, indicator: str) -> HttpResponse:
    data = release_data.current()
    found = school_in_scope(request, data, npsn)
    chosen = _indicator(indicator, "sekolah")
    level = pages.school_level(found, _school_jenjang(request))

    year = parse_year(request.GET, data.years)
    own = Scope.of(request.user).npsn == npsn

    def build() -> dict:
        return pages.school_indicator_context(data, found, chosen, level, year, own)

    key = ("school_indicator", npsn, chosen.code, level, year, own)
    content = _content(request, data, "dashboard/_school_indicator_content.html", key, build)
    title = f"{chosen.name.get(get_language())} · {found['school_name']}"
    return _page(request, data, content, title)


CONTENT_CACHE_SECONDS = 24 * 3600
SCHOOLS_PER_PAGE = 50
SORT_KEYS = ("nama", "nilai")  # by name, or by value with withheld ones last
DIRECTIONS = {"naik": "ascending", "turun": "descending"}


def _school_order(request: HttpRequest) -> tuple[str, bool, str]:
    """The school list's sort key, whether descending, and page (`urut`, `arah`, `halaman`),
    validated."""
    sort = single_param(request.GET, "urut") or "nama"
    direction = single_param(request.GET, "arah") or "naik"
    if sort not in SORT_KEYS or direction not in DIRECTIONS:
        raise BadRequest(_("Urutan daftar tidak dikenal."))
    page = single_param(request.GET, "halaman") or "1"
    if not (page.isdigit() and len(page) <= 5):
        raise BadRequest(_("Nomor halaman daftar tidak dikenal."))
    return sort, direction == "turun", page


def _school_page(schools: pages.SchoolList | None, sort: str, descending: bool, page: str) -> dict:
    """One page of the sorted school list; a page that does not exist is a 404 (so no cache
    entry is made for it)."""
    number = int(page)
    offset = (number - 1) * SCHOOLS_PER_PAGE
    rows, listed = [], 0
    if schools is not None and number > 0:
        rows, listed = schools.window(offset, SCHOOLS_PER_PAGE)
    # The list's length is all the paginator needs: the rows of the page are already here.
    paginator = Paginator(range(listed), SCHOOLS_PER_PAGE)
    try:
        schools_page = Page(rows, paginator.validate_number(number), paginator)
    except InvalidPage:
        raise Http404 from None
    direction = "turun" if descending else "naik"
    flip = {"naik": "turun", "turun": "naik"}
    return {
        "schools_page": schools_page,
        "sort": sort,
        "direction": direction,
        "sort_aria": DIRECTIONS[direction],
        "next_direction": {key: flip[direction] if key == sort else "naik" for key in SORT_KEYS},
    }


def _school_jenjang(request: HttpRequest) -> str | None:
    return single_param(request.GET, "jenjang") or None


def region_in_scope(request: HttpRequest, data: release_data.ReleaseData, code: str) -> Region:
    """The region `code` of the release; a 404 when unknown or outside the account's scope."""
    place = data.region(code)
    if place is None or not Scope.of(request.user).allows_region(code):
        raise Http404
    return place


def school_in_scope(request: HttpRequest, data: release_data.ReleaseData, npsn: str) -> dict:
    """The school `npsn` of the release; a 404 when unknown or outside the account's scope."""
    found = data.school(npsn)
    if found is None or not Scope.of(request.user).allows_school(npsn, found["kabkota_code"]):
        raise Http404
    return found


def _indicator(code: str, level: str) -> Indicator:
    try:
        chosen = load_catalogue().indicator(code)
    except KeyError:
        raise Http404 from None
    if level not in chosen.levels:
        raise Http404
    return chosen


def _content(
    request: HttpRequest,
    data: release_data.ReleaseData,
    template: str,
    key: tuple,
    build: Callable[[], dict],
) -> bytes:
    """The page's content in UTF-8, rendered once per release, language and key, then cached:
    in the shared cache (every worker and server) and in this worker's own memory. Cached as
    bytes, not text: a cache pickles what it stores, and text would be encoded on the way in,
    decoded on every read and encoded again into the response.

    Content depends only on the release, the language and the validated request (the key), never
    on who asks once scope is checked; releases never change, so entries need no invalidation.
    """
    # The release the content is built from (a switch during the request must not mix them).
    release_id = data.release.release_id
    parts = (code_version(), release_id, get_language(), template, key)
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    cache_key = f"rapor:content:{digest}"
    html = caches["content"].get(cache_key)
    if html is None:
        html = cache.get(cache_key)
        if html is None:
            # Building the content, like rendering it, reads the language and reverses URLs
            # many times (rapor.web.rendering).
            with rendering():
                # Without `request=`, no context processor runs: nothing about the account (its
                # name, its CSRF token) can reach content that every account in scope is served.
                context = {**build(), "request": request}
                html = render_to_string(template, context, using="jinja2").encode()
            cache.set(cache_key, html, CONTENT_CACHE_SECONDS)
        caches["content"].set(cache_key, html, CONTENT_CACHE_SECONDS)
    return html


def _page(
    request: HttpRequest, data: release_data.ReleaseData, content: bytes, title: str
) -> HttpResponse:
    """The full page around the content (of `data`), or the content alone for an htmx swap."""
    if request.htmx and not request.htmx.history_restore_request:
        response = HttpResponse(content)
    else:
        response = HttpResponse(shell.page(request, content, title, "beranda", data.release))
    patch_vary_headers(response, ("HX-Request",))
    return response
