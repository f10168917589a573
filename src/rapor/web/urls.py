"""The site's URLs: one include per app; error pages go through `rapor.web.errors`."""

from collections.abc import Callable

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from django_ratelimit.decorators import ratelimit
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from rapor.web.abuse import setting_rate
from rapor.web.health import healthz


def login_rate_limited(group: str) -> Callable[[Callable], Callable]:
    """RAPOR_LOGIN_RATE per client address, counted in `group`. The start and the callback of the
    belajar.id sign-in count apart: as one count (django-ratelimit's group for a class-based
    view is `as_view`'s, the same for both), one sign-in took two of an office's allowance."""
    return ratelimit(group=group, key="ip", rate=setting_rate("RAPOR_LOGIN_RATE"), block=True)


urlpatterns = [
    # The dashboard first: nearly every request is one of its pages, and patterns are tried in
    # order (none of the two apps' paths overlap).
    path("", include("rapor.web.dashboard.urls")),
    path("", include("rapor.web.accounts.urls")),
    path("glosarium/", include("rapor.web.glossary.urls")),
    path("saran/", include("rapor.web.feedback.urls")),
    path("bantuan/", include("rapor.web.help.urls")),
    path("unduh/", include("rapor.web.downloads.urls")),
    path("kelompok/", include("rapor.web.groups.urls")),
    path("", include("rapor.web.opendata.urls")),  # /api/v1/ and its page, /data-terbuka/
    path("i18n/", include("django.conf.urls.i18n")),
    # Sign-in with belajar.id, rate-limited per client address.
    path(
        "oidc/authenticate/",
        login_rate_limited("sign-in-start")(OIDCAuthenticationRequestView.as_view()),
        name="oidc_authentication_init",
    ),
    path(
        "oidc/callback/",
        login_rate_limited("sign-in-callback")(OIDCAuthenticationCallbackView.as_view()),
        name="oidc_authentication_callback",
    ),
    # Staff reach the admin through the belajar.id sign-in, never a password form.
    path("admin/login/", RedirectView.as_view(pattern_name="accounts:landing")),
    path("admin/", admin.site.urls),
    # For load balancers: no sign-in, no slash (docs/deploy.md).
    path("healthz", healthz, name="healthz"),
]

handler400 = "rapor.web.errors.bad_request"
handler403 = "rapor.web.errors.permission_denied"
handler404 = "rapor.web.errors.not_found"
handler500 = "rapor.web.errors.server_error"
