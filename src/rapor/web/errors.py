"""The one error path: every 4xx/5xx page is rendered here, in the user's language.

Views signal a bad request by raising `django.core.exceptions.BadRequest` with a translated
message, and a missing or out-of-scope entity by raising `Http404` (never 403: a page outside an
account's scope must not reveal that it exists). An htmx request gets the same page, retargeted
to replace the page body. The open-data API (`/api/`) gets the same errors as JSON problem
details (RFC 9457: `status`, `title`, `detail`), in the request's language too.
"""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_htmx.http import reselect, reswap, retarget

API_PREFIX = "/api/"
PROBLEM_CONTENT_TYPE = "application/problem+json"


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def _error_page(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    if is_api(request):
        problem = {"status": status, "title": title, "detail": message}
        return JsonResponse(problem, status=status, content_type=PROBLEM_CONTENT_TYPE)
    context = {"status": status, "title": title, "message": message}
    response = render(request, "error.html", context, status=status)
    if request.headers.get("HX-Request"):
        # htmx asked for a fragment (the dashboard's content, a dialog's form): the error takes
        # the whole page body instead, where it is seen (rapor.js lets htmx swap 4xx/5xx).
        retarget(response, "#main")
        reselect(response, "#main")
        reswap(response, "outerHTML")
    return response


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    # Only our own messages: others (e.g. DisallowedHost) would echo request internals.
    detail = str(exception.args[0]) if isinstance(exception, BadRequest) and exception.args else ""
    return _error_page(
        request,
        400,
        _("Permintaan tidak valid"),
        detail or _("Alamat atau pilihan filter tidak dapat dipahami."),
    )


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error_page(
        request, 403, _("Akses ditolak"), _("Anda tidak memiliki akses ke halaman ini.")
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without its CSRF token, or with an old one (`CSRF_FAILURE_VIEW`); Django's
    own page would be in English and outside the site's layout."""
    return _error_page(
        request,
        403,
        _("Akses ditolak"),
        _(
            "Formulir ini tidak dapat diterima: halamannya sudah terlalu lama dibuka atau tidak "
            "dikirim dari situs ini. Muat ulang halaman, lalu kirim lagi."
        ),
    )


def too_many_requests(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error_page(
        request,
        429,
        _("Terlalu banyak percobaan"),
        _("Terlalu banyak percobaan dalam waktu singkat. Silakan tunggu sebentar lalu coba lagi."),
    )


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api(request):
        # The API's data is public: it may say what it did not find (`Http404(message)`).
        said = exception.args[0] if isinstance(exception, Http404) and exception.args else None
        detail = said if isinstance(said, str) else ""
        message = detail or _("Data yang diminta tidak ada, atau rilisnya sudah dihapus.")
    else:
        message = _("Halaman yang Anda cari tidak ada atau tidak tersedia untuk akun Anda.")
    return _error_page(request, 404, _("Halaman tidak ditemukan"), message)


def method_not_allowed(request: HttpRequest) -> HttpResponse:
    return _error_page(
        request,
        405,
        _("Permintaan tidak valid"),
        _("API data terbuka hanya menerima permintaan GET dan HEAD.")
        if is_api(request)
        else _(
            "Halaman ini tidak dapat dibuka dengan cara ini. Gunakan tautan atau tombol di laman."
        ),
    )


def no_active_release(request: HttpRequest) -> HttpResponse:
    return _error_page(
        request,
        503,
        _("Data belum tersedia"),
        _("Belum ada rilis data Rapor Pendidikan yang aktif. Silakan coba lagi nanti."),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return _error_page(
        request,
        500,
        _("Terjadi kesalahan"),
        _("Maaf, terjadi kesalahan di server. Silakan coba lagi nanti."),
    )
