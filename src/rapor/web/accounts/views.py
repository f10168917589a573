"""Sign-in pages: the landing page, the refusal page, demo sign-in and sign-out."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.views import LogoutView
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from rapor.web.abuse import setting_rate
from rapor.web.accounts.demo import is_demo_email
from rapor.web.accounts.models import Account
from rapor.web.accounts.oidc import REFUSAL_SESSION_KEY, Refusal
from rapor.web.query import single_param


def page_after_sign_in(request: HttpRequest, params: QueryDict) -> str:
    """The page a signed-out visitor asked for (`next`, set by `login_required`) when it is on
    this site; "" otherwise, so a link can never send someone elsewhere after signing in."""
    page = single_param(params, "next")
    safe = url_has_allowed_host_and_scheme(
        page, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return page if safe and page.startswith("/") else ""


def landing(request: HttpRequest) -> HttpResponse:
    """ "Selamat Datang di Rapor Pendidikan" with "Masuk dengan akun belajar.id"; both sign-ins
    lead to the page asked for (`next`) or else the account's Beranda."""
    next_page = page_after_sign_in(request, request.GET)
    if request.user.is_authenticated:
        return redirect(next_page or "dashboard:home")
    context = {"demo_login": settings.RAPOR_DEMO_LOGIN, "next_page": next_page}
    return render(request, "accounts/landing.html", context)


def refused(request: HttpRequest) -> HttpResponse:
    """Why a sign-in did not go through, and whom to ask."""
    refusal = request.session.pop(REFUSAL_SESSION_KEY, None) or {}
    explanations = {
        Refusal.UNVERIFIED: _("Akun belajar.id Anda belum terverifikasi oleh penyedia akun."),
        Refusal.DOMAIN: _(
            "Alamat email ini bukan akun belajar.id yang dapat digunakan untuk Rapor Pendidikan. "
            "Gunakan akun dengan domain: %(domains)s."
        )
        % {"domains": ", ".join(settings.RAPOR_ALLOWED_EMAIL_DOMAINS)},
        Refusal.UNKNOWN: _("Alamat email ini belum terdaftar sebagai pengguna Rapor Pendidikan."),
        Refusal.INACTIVE: _("Akun Rapor Pendidikan untuk alamat email ini sedang tidak aktif."),
    }
    context = {
        "email": refusal.get("email", ""),
        "explanation": explanations.get(
            refusal.get("reason"), _("Proses masuk dengan akun belajar.id tidak berhasil.")
        ),
        "contact": settings.RAPOR_SUPPORT_CONTACT
        or _("admin Rapor Pendidikan di Dinas Pendidikan Anda"),
    }
    return render(request, "accounts/refused.html", context, status=403)


@ratelimit(key="ip", rate=setting_rate("RAPOR_LOGIN_RATE"), method="POST", block=True)
@require_http_methods(["GET", "POST"])
def demo_login(request: HttpRequest) -> HttpResponse:
    """ "Masuk sebagai akun demo": only where the settings allow it (never in production)."""
    if not settings.RAPOR_DEMO_LOGIN:
        raise Http404
    candidates = Account.objects.filter(is_active=True, email__startswith="demo.")
    accounts = [account for account in candidates if is_demo_email(account.email)]
    if request.method == "POST":
        chosen = next((a for a in accounts if a.email == request.POST.get("email")), None)
        if chosen is None:
            raise Http404
        login(request, chosen, backend=settings.AUTHENTICATION_BACKENDS[0])
        return redirect(page_after_sign_in(request, request.POST) or "dashboard:home")
    context = {"accounts": accounts, "next_page": page_after_sign_in(request, request.GET)}
    return render(request, "accounts/demo_login.html", context)


logout = LogoutView.as_view()
