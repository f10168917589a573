"""Beranda (a region's report), the indicator detail pages and the school view.

Each view resolves the entity, checks the account's scope (404 outside it, so nothing leaks),
parses the filters (400 when invalid) and renders the full page, or only the content fragment
when htmx asks for it.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from rapor.catalogue import load_catalogue
from rapor.catalogue.model import Indicator
from rapor.web import release_data
from rapor.web.accounts.scope import Scope
from rapor.web.dashboard import pages
from rapor.web.dashboard.filters import filter_choices, parse_selection
from rapor.web.release_data import Region


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Beranda: the account's own region, or its school."""
    scope = Scope.of(request.user)
    if scope.home_region:
        return redirect("dashboard:region", code=scope.home_region)
    return redirect("dashboard:school", npsn=scope.npsn)


@login_required
def region(request: HttpRequest, code: str) -> HttpResponse:
    data = release_data.current()
    place = _region_in_scope(request, data, code)
    selection = parse_selection(request.GET, data.years)
    context = pages.region_context(data, place, selection, Scope.of(request.user))
    context.update(filter_choices(selection))
    return _render(request, "dashboard/region.html", "dashboard/_region_content.html", context)


@login_required
def region_indicator(request: HttpRequest, code: str, indicator: str) -> HttpResponse:
    data = release_data.current()
    place = _region_in_scope(request, data, code)
    selection = parse_selection(request.GET, data.years)
    chosen = _indicator(indicator, place.level)
    context = pages.region_indicator_context(data, place, selection, chosen)
    context.update(filter_choices(selection))
    context.update(_sorted_schools(request, context.pop("schools")))
    return _render(
        request,
        "dashboard/region_indicator.html",
        "dashboard/_region_indicator_content.html",
        context,
    )


@login_required
def school(request: HttpRequest, npsn: str) -> HttpResponse:
    data = release_data.current()
    found = _school_in_scope(request, data, npsn)
    context = pages.school_context(data, found, request.GET.get("jenjang"))
    return render(request, "dashboard/school.html", context)


@login_required
def school_indicator(request: HttpRequest, npsn: str, indicator: str) -> HttpResponse:
    data = release_data.current()
    found = _school_in_scope(request, data, npsn)
    chosen = _indicator(indicator, "sekolah")
    context = pages.school_indicator_context(data, found, chosen, request.GET.get("jenjang"))
    return render(request, "dashboard/school_indicator.html", context)


SORT_KEYS = {
    "nama": lambda row: (row["school_name"], row["npsn"]),
    # Withheld values sort last whichever the direction.
    "nilai": lambda row: (row["value"] is None, row["value"] or 0.0),
}
DIRECTIONS = {"naik": "ascending", "turun": "descending"}


def _sorted_schools(request: HttpRequest, schools: list[dict]) -> dict:
    """The school list sorted by name or value (`urut`, `arah`) and cut into pages."""
    sort = request.GET.get("urut", "nama")
    direction = request.GET.get("arah", "naik")
    if sort not in SORT_KEYS or direction not in DIRECTIONS:
        raise BadRequest(_("Urutan daftar tidak dikenal."))
    ordered = sorted(schools, key=SORT_KEYS[sort], reverse=direction == "turun")
    if sort == "nilai" and direction == "turun":
        ordered = [r for r in ordered if r["value"] is not None] + [
            r for r in ordered if r["value"] is None
        ]
    flip = {"naik": "turun", "turun": "naik"}
    return {
        "schools_page": Paginator(ordered, 50).get_page(request.GET.get("halaman")),
        "sort": sort,
        "direction": direction,
        "sort_aria": DIRECTIONS[direction],
        "next_direction": {key: flip[direction] if key == sort else "naik" for key in SORT_KEYS},
    }


def _region_in_scope(request: HttpRequest, data: release_data.ReleaseData, code: str) -> Region:
    place = data.region(code)
    if place is None or not Scope.of(request.user).allows_region(code):
        raise Http404
    return place


def _school_in_scope(request: HttpRequest, data: release_data.ReleaseData, npsn: str) -> dict:
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


def _render(request: HttpRequest, page: str, fragment: str, context: dict) -> HttpResponse:
    context["language"] = get_language()
    return render(request, fragment if request.htmx else page, context)
