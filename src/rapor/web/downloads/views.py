"""Unduh: the page that explains the Excel report, and the report files themselves.

The page is a plain GET form (`wilayah` or `npsn`, `tahun`, and `unduh`) that works without
JavaScript: sent, it redirects to the file's own URL, `/unduh/wilayah/<code>/?tahun=` or
`/unduh/sekolah/<npsn>/?tahun=`. Without `unduh`, `tahun` only chooses the year the form shows.
Scope is checked as on the dashboard (an entity outside it, or unknown, is the same 404); a bad
parameter is a 400 page through `rapor.web.errors`.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.http import content_disposition_header
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from rapor.web import release_data
from rapor.web.accounts.models import Role
from rapor.web.accounts.scope import Scope
from rapor.web.audit.models import AuditEvent
from rapor.web.dashboard.views import region_in_scope, school_in_scope
from rapor.web.downloads.workbook import CONTENT_TYPE, Subject, cached_workbook, file_name
from rapor.web.query import single_param
from rapor.web.release_data import NATIONAL_CODE, ReleaseData


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The Unduh page; with `tahun` (the form sent), a redirect to the chosen file."""
    data = release_data.current()
    scope = Scope.of(request.user)
    subject = _chosen_subject(request, data, scope)
    # `tahun` alone chooses the year shown (a page's "Unduh Rapor Pendidikan →" keeps its year);
    # the form also sends `unduh`, and gets the file.
    year = parse_year(request.GET, data.years)
    if "unduh" in request.GET:
        name = "downloads:school" if subject.kind == "sekolah" else "downloads:region"
        url = reverse(name, args=[subject.code])
        return redirect(f"{url}?{urlencode({'tahun': year})}")
    context = {
        "menu": "unduh",
        "subject": subject,
        "region_groups": _region_choices(data, scope) if subject.kind != "sekolah" else [],
        "years": data.years,
        "year": year,
        # The date with its time, in the site's zone, in the language's own way (13.54 / 13:54).
        "released_at": date_format(localtime(data.release.created), _("j F Y, H.i T")),
    }
    return render(request, "downloads/index.html", context)


@login_required
def region_file(request: HttpRequest, code: str) -> HttpResponse:
    """The workbook of a region in the account's scope (the nation, a province, a kab/kota)."""
    data = release_data.current()
    place = region_in_scope(request, data, code)
    return _file(request, data, Subject.of_region(place), parse_year(request.GET, data.years))


@login_required
def school_file(request: HttpRequest, npsn: str) -> HttpResponse:
    """The workbook of a school in the account's scope."""
    data = release_data.current()
    school = school_in_scope(request, data, npsn)
    return _file(request, data, Subject.of_school(school), parse_year(request.GET, data.years))


def parse_year(query: QueryDict, years: list[int]) -> int:
    """`tahun`: a year of the active release (its newest when absent); otherwise a 400."""
    text = single_param(query, "tahun")
    if not text:
        return years[-1]
    if text not in {str(year) for year in years}:
        raise BadRequest(
            _("Tahun tidak tersedia. Pilihan yang tersedia: %(years)s.")
            % {"years": ", ".join(str(year) for year in years)}
        )
    return int(text)


def _file(request: HttpRequest, data: ReleaseData, subject: Subject, year: int) -> HttpResponse:
    # Read whole (tens to hundreds of KB): no open file is left behind by a client that stops.
    content = cached_workbook(data, subject, year).read_bytes()
    AuditEvent.objects.record(
        AuditEvent.Action.DOWNLOAD,
        request,
        target=subject.code,
        detail={"kind": subject.kind, "year": year, "release_id": data.release.release_id},
    )
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=file_name(subject, year)
    )
    response["Content-Length"] = str(len(content))
    # The file depends on who may see it: never kept by a shared cache.
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _chosen_subject(request: HttpRequest, data: ReleaseData, scope: Scope) -> Subject:
    """The entity named by `wilayah` or `npsn` (404 outside the scope), else the account's own."""
    code = single_param(request.GET, "wilayah")
    npsn = single_param(request.GET, "npsn")
    if code and npsn:
        raise BadRequest(_("Pilih wilayah atau satuan pendidikan, tidak keduanya."))
    if not code and not npsn:
        if scope.home_region:
            code = scope.home_region
        else:
            npsn = scope.npsn
    if npsn:
        return Subject.of_school(school_in_scope(request, data, npsn))
    return Subject.of_region(region_in_scope(request, data, code))


def _region_choices(data: ReleaseData, scope: Scope) -> list[tuple[str, list[tuple[str, str]]]]:
    """The regions the account may choose, grouped by province for the form's select; empty when
    there is only its own."""
    if scope.role == Role.PUSAT:
        provinces = data.children(NATIONAL_CODE)
        groups = [(_("Nasional"), [(NATIONAL_CODE, _("Nasional (Indonesia)"))])]
    elif scope.role == Role.PROVINSI and data.region(scope.region_code) is not None:
        provinces = [data.region(scope.region_code)]
        groups = []
    else:
        return []
    for province in provinces:
        options = [(province.code, _("Provinsi %(name)s") % {"name": province.name})]
        options += [(child.code, child.name) for child in data.children(province.code)]
        groups.append((province.name, options))
    return groups
