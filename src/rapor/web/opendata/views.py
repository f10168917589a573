"""The open-data API (`/api/v1/`) and its page ("Data terbuka"): published aggregates of the
nation, provinces and kab/kota, for anyone, without signing in (docs/opendata.md).

Read-only (GET and HEAD; any other method is a 405), rate-limited per client address
(`RAPOR_API_RATE`). Every data URL names its release; a release never changes, so those answers
are cached for a year with an ETag of the release and URL. `active` in place of a release id
redirects (302, cached briefly) to the same URL with the active release's id. Errors are JSON
problem details from `rapor.web.errors`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from functools import cache, wraps
from pathlib import Path

from django.core.exceptions import BadRequest
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from django_ratelimit.decorators import ratelimit

from rapor import releases
from rapor.catalogue.model import Indicator, Text
from rapor.releases import Release, ReleaseError
from rapor.web.abuse import setting_rate
from rapor.web.opendata.tables import (
    BULK_FORMATS,
    LAYOUT_VERSION,
    REGION_LEVELS,
    TABLES,
    catalogue_of,
    tables_of,
)
from rapor.web.query import single_param
from rapor.web.release_data import NoActiveRelease

OPENAPI_FILE = Path(__file__).with_name("openapi.json")
ACTIVE = "active"  # in place of a release id: the active release
RELEASE_ID = re.compile(r"\d{8}T\d{6}\.\d{6}Z", re.ASCII)  # the build time (docs/release-format.md)
IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=60"  # what changes with the next release: the list, the alias
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "parquet": "application/vnd.apache.parquet"}
BULK_FILES = [f"{table}.{file_format}" for table in TABLES for file_format in BULK_FORMATS]


def api(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """GET and HEAD only, limited per client address. No CSRF check: nothing here changes
    state, and a POST must get the 405, not the CSRF refusal."""
    limited = ratelimit(
        group="opendata", key="ip", rate=setting_rate("RAPOR_API_RATE"), block=True
    )(view)
    return csrf_exempt(require_safe(limited))


def versioned(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A view of one release's data: the release must still be in the store (else 404);
    `active` redirects to its id; the answer is immutable, and a conditional GET with its
    ETag is a 304."""

    @wraps(view)
    def wrapper(request: HttpRequest, release: str, **kwargs: str) -> HttpResponse:
        if release == ACTIVE:
            return _to_active(request, kwargs)
        found = _release(release)
        etag = _etag(found, request)
        response = get_conditional_response(request, etag=etag)
        if response is None:
            response = view(request, found, **kwargs)
        response["ETag"] = etag
        response["Cache-Control"] = IMMUTABLE
        return response

    return api(wrapper)


def _release(release_id: str) -> Release:
    # Checked before it becomes a path: a NUL or a very long name would be an OSError.
    if not RELEASE_ID.fullmatch(release_id):
        raise Http404
    try:
        return releases.get_release(release_id)
    except ReleaseError:
        raise Http404 from None


def _etag(release: Release, request: HttpRequest) -> str:
    # The layout version too: a deploy that changes what a URL answers must change its ETag.
    key = f"{LAYOUT_VERSION}:{release.release_id}:{request.get_full_path()}"
    return f'"{hashlib.sha256(key.encode()).hexdigest()[:32]}"'


def _to_active(request: HttpRequest, kwargs: dict[str, str]) -> HttpResponse:
    active = releases.active_release()
    if active is None:
        raise NoActiveRelease("no active release")
    url = reverse(request.resolver_match.view_name, kwargs={**kwargs, "release": active.release_id})
    query = request.GET.urlencode()
    response = redirect(f"{url}?{query}" if query else url)
    response["Cache-Control"] = SHORT
    return response


def _json(body: dict) -> JsonResponse:
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


# ------------------------------------------------------------------ the human page


def page(request: HttpRequest) -> HttpResponse:
    """The page "Data terbuka": what the API publishes, with links to its document and to the
    active release's bulk files (through `active`, so the page itself never goes stale)."""
    bulk = [
        (name, reverse("opendata:bulk", kwargs={"release": ACTIVE, "file_name": name}))
        for name in BULK_FILES
    ]
    return render(
        request, "opendata/index.html", {"release": releases.active_release(), "bulk": bulk}
    )


# ------------------------------------------------------------------ the API


@api
def openapi(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(_openapi_text(), content_type="application/json")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@cache
def _openapi_text() -> bytes:
    return OPENAPI_FILE.read_bytes()


@api
def index(request: HttpRequest) -> HttpResponse:
    """Where to begin: the document, the releases, the active one and the human page."""
    response = _json(
        {
            "openapi": reverse("opendata:openapi"),
            "releases": reverse("opendata:releases"),
            "active_release": reverse("opendata:release", kwargs={"release": ACTIVE}),
            "documentation": reverse("opendata:page"),
        }
    )
    response["Cache-Control"] = SHORT
    return response


@api
def to_index(request: HttpRequest) -> HttpResponse:
    """/api/: the current version's index."""
    return redirect("opendata:index")


@api
def release_list(request: HttpRequest) -> HttpResponse:
    active = releases.active_release()
    active_id = active.release_id if active else None
    response = _json(
        {
            "active": active_id,
            "releases": [
                {**_summary(release), "active": release.release_id == active_id}
                for release in reversed(releases.list_releases())
            ],
        }
    )
    response["Cache-Control"] = SHORT
    return response


def _summary(release: Release) -> dict:
    return {
        "id": release.release_id,
        "created_at": release.created_at,
        "years": release.manifest["years"],
        "url": reverse("opendata:release", kwargs={"release": release.release_id}),
    }


@versioned
def release_detail(request: HttpRequest, release: Release) -> HttpResponse:
    manifest = release.manifest
    links = {
        name: reverse(f"opendata:{name}", kwargs={"release": release.release_id})
        for name in ("catalogue", "regions")
    }
    links["bulk"] = {
        name: reverse("opendata:bulk", kwargs={"release": release.release_id, "file_name": name})
        for name in BULK_FILES
    }
    return _json(
        {
            **_summary(release),
            "format_version": manifest["format_version"],
            "min_respondents": manifest["params"]["min_respondents"],
            "catalogue_version": manifest["catalogue"]["version"],
            "links": links,
        }
    )


@versioned
def catalogue(request: HttpRequest, release: Release) -> HttpResponse:
    found = catalogue_of(release.path)
    filters = found.filters
    return _json(
        {
            "release": release.release_id,
            "version": found.version,
            "indicators": [_indicator(indicator) for indicator in found.all_indicators],
            "jenjang": [
                {"key": group.key, "name": _text(group.name), "bentuk": list(group.bentuk)}
                for group in filters.jenjang
            ],
            "bentuk": [
                {"code": bentuk.code, "name": bentuk.name, "full_name": _text(bentuk.full_name)}
                for bentuk in filters.bentuk
                if bentuk.is_programme
            ],
            "status": [
                {"key": option.key, "name": _text(option.name)}
                for option in (filters.status_all, *filters.status)
            ],
        }
    )


def _indicator(indicator: Indicator) -> dict:
    return {
        "code": indicator.code,
        "parent_code": indicator.parent_code,
        "dimension": indicator.dimension,
        "name": _text(indicator.name),
        "definition": _text(indicator.definition),
        "unit": indicator.unit,
        "scale_min": indicator.scale_min,
        "scale_max": indicator.scale_max,
        "source": indicator.source,
        "levels": [level for level in indicator.levels if level in REGION_LEVELS],
        "jenjang": list(indicator.jenjang),
        "bands": [
            {
                "key": band.key,
                "order": band.order,
                "lower_bound": band.lower_bound,
                "upper_bound": band.upper_bound,
                "label": _text(band.label),
                "colour": band.colour,
            }
            for band in indicator.bands
        ],
    }


def _text(text: Text) -> dict[str, str]:
    return {"id": text.id, "en": text.en}


@versioned
def regions(request: HttpRequest, release: Release) -> HttpResponse:
    level = _choice(request, "level", REGION_LEVELS)
    return _json(
        {"release": release.release_id, "regions": tables_of(release).regions(level or None)}
    )


@versioned
def region_values(request: HttpRequest, release: Release, code: str) -> HttpResponse:
    tables = tables_of(release)
    region = tables.region(code)
    if region is None:
        raise Http404(
            _(
                "Kode wilayah “%(code)s” tidak dikenal. Nasional: ID; provinsi: dua angka (mis. "
                "34); kabupaten/kota: dengan titik (mis. 34.01). Daftarnya: %(regions)s."
            )
            % {"code": code, "regions": reverse("opendata:regions", args=[release.release_id])}
        )
    found = catalogue_of(release.path)
    filters = found.filters
    choices = {
        "jenjang": [group.key for group in filters.jenjang],
        # Region rows are keyed by a programme bentuk or "semua" (docs/release-format.md).
        "bentuk": ["semua", *(bentuk.code for bentuk in filters.bentuk if bentuk.is_programme)],
        "status": [option.key for option in (filters.status_all, *filters.status)],
        "year": [str(year) for year in release.manifest["years"]],
        "indicator": [indicator.code for indicator in found.all_indicators],
    }
    chosen = {name: _choice(request, name, options) for name, options in choices.items()}
    selected = {name: value for name, value in chosen.items() if value}
    if "year" in selected:
        selected["year"] = int(selected["year"])
    return _json(
        {"release": release.release_id, "region": region, "values": tables.values(region, selected)}
    )


def _choice(request: HttpRequest, name: str, options: list[str] | tuple[str, ...]) -> str:
    """A query parameter that is absent ("") or one of `options`; anything else is a 400."""
    value = single_param(request.GET, name)
    if value and value not in options:
        raise BadRequest(
            _("Nilai parameter “%(name)s” tidak tersedia. Pilihan yang tersedia: %(options)s.")
            % {"name": name, "options": ", ".join(options)}
        )
    return value


@versioned
def bulk(request: HttpRequest, release: Release, file_name: str) -> HttpResponse:
    table_name, _dot, file_format = file_name.partition(".")
    if table_name not in TABLES or file_format not in BULK_FORMATS:
        raise Http404
    path = tables_of(release).bulk_file(TABLES[table_name], file_format)
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"rapor-pendidikan_{release.release_id}_{file_name}",
        content_type=CONTENT_TYPES[file_format],
    )
