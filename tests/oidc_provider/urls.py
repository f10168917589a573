"""Routes of the test provider: the OAuth 2 / OIDC endpoints under /o/ and a sign-in page."""

from django.contrib.auth.views import LoginView
from django.urls import include, path

urlpatterns = [
    path("o/", include("oauth2_provider.urls")),
    path(
        "accounts/login/",
        LoginView.as_view(template_name="oidc_provider/login.html"),
        name="login",
    ),
]
