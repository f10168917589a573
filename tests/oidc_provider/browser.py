"""Signing in at the local provider as a browser would, without one: follow its redirects,
fill its login form, and stop at the redirect back to the relying party."""

from __future__ import annotations

import urllib.request
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from urllib.parse import urlencode

from tests.oidc_provider import ProviderUser


class StopAtRedirectUri(urllib.request.HTTPRedirectHandler):
    """Follows redirects within the provider but returns the one to the relying party."""

    def __init__(self, redirect_uri: str) -> None:
        self.redirect_uri = redirect_uri

    def http_error_302(self, req, fp, code, msg, headers):
        if headers["Location"].startswith(self.redirect_uri):
            return fp
        return super().http_error_302(req, fp, code, msg, headers)


class InputValues(HTMLParser):
    """The names and values of the <input> fields of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        fields = dict(attrs)
        if tag == "input" and fields.get("name"):
            self.values[fields["name"]] = fields.get("value") or ""


def sign_in(authorization_url: str, redirect_uri: str, user: ProviderUser) -> tuple[str, str]:
    """Open the authorization URL as a signed-out browser and sign in on the provider's form.
    Returns the login form's URL and where the provider then redirects (the callback URL)."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(CookieJar()), StopAtRedirectUri(redirect_uri)
    )
    with opener.open(authorization_url) as login_page:
        form = InputValues()
        form.feed(login_page.read().decode())
        login_url = login_page.url
    credentials = {"username": user.email, "password": user.password}
    with opener.open(login_url, urlencode(form.values | credentials).encode()) as answer:
        assert answer.status == 302
        return login_url, answer.headers["Location"]
