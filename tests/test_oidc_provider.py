"""The test OpenID Connect provider supports the authorization-code flow of the web app's login.

The flow is driven with the standard library only, the way a browser and mozilla-django-oidc
would drive it, so that browser tests can rely on the provider.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import urllib.request
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from jwcrypto import jwk, jwt

from tests.oidc_provider import OidcProvider, ProviderUser, browser, running_provider

USER = ProviderUser(email="siti.rahma@example.org", password="correct-horse-7", name="Siti Rahma")
# Registered without a port: loopback redirect URIs match any port (RFC 8252).
REGISTERED_REDIRECT_URI = "http://127.0.0.1/oidc/callback/"
REDIRECT_URI = "http://127.0.0.1:8765/oidc/callback/"


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OidcProvider]:
    with running_provider(
        tmp_path_factory.mktemp("oidc_provider"), [USER], [REGISTERED_REDIRECT_URI]
    ) as running:
        yield running


@pytest.fixture(scope="module")
def tokens(provider: OidcProvider) -> dict[str, Any]:
    """The token response of one complete sign-in with PKCE, as the web app does it."""
    verifier = secrets.token_urlsafe(48)
    callback = _sign_in(provider, REDIRECT_URI, nonce="n-0S6_WzA2Mj", code_verifier=verifier)
    return _exchange_code(provider, callback["code"], REDIRECT_URI, code_verifier=verifier)


def _sign_in(
    provider: OidcProvider, redirect_uri: str, nonce: str, code_verifier: str | None
) -> dict[str, str]:
    """Ask for a code as a signed-out browser, sign in on the way; return the callback's query."""
    query = {
        "response_type": "code",
        "client_id": provider.client_id,
        "redirect_uri": redirect_uri,
        "scope": "openid email profile",
        "state": "af0ifjsldkj",
        "nonce": nonce,
    }
    if code_verifier is not None:
        query |= {"code_challenge": _s256(code_verifier), "code_challenge_method": "S256"}
    login_url, location = browser.sign_in(
        f"{provider.authorization_endpoint}?{urlencode(query)}", redirect_uri, USER
    )
    assert urlsplit(login_url).path == "/accounts/login/"
    assert location.startswith(redirect_uri)
    return {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}


def _s256(code_verifier: str) -> str:
    digest = hashlib.sha256(code_verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _exchange_code(
    provider: OidcProvider, code: str, redirect_uri: str, code_verifier: str | None
) -> dict[str, Any]:
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "client_id": provider.client_id,
        "client_secret": provider.client_secret,
    }
    if code_verifier is not None:
        form["code_verifier"] = code_verifier
    return _get_json(urllib.request.Request(provider.token_endpoint, urlencode(form).encode()))


def _get_json(request: urllib.request.Request | str) -> dict[str, Any]:
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def test_discovery_lists_the_endpoints(provider: OidcProvider) -> None:
    """The discovery document publishes the endpoints that the relying party is configured with."""
    document = _get_json(provider.discovery_url)

    assert document["issuer"] == provider.issuer
    assert document["authorization_endpoint"] == provider.authorization_endpoint
    assert document["token_endpoint"] == provider.token_endpoint
    assert document["userinfo_endpoint"] == provider.userinfo_endpoint
    assert document["jwks_uri"] == provider.jwks_endpoint
    assert "RS256" in document["id_token_signing_alg_values_supported"]


def test_relying_party_settings_use_the_endpoints(provider: OidcProvider) -> None:
    """The mozilla-django-oidc settings point at this provider's client and endpoints."""
    settings = provider.relying_party_settings()

    assert settings["OIDC_RP_CLIENT_ID"] == provider.client_id
    assert settings["OIDC_RP_CLIENT_SECRET"] == provider.client_secret
    assert settings["OIDC_OP_AUTHORIZATION_ENDPOINT"] == provider.authorization_endpoint
    assert settings["OIDC_OP_TOKEN_ENDPOINT"] == provider.token_endpoint
    assert settings["OIDC_OP_USER_ENDPOINT"] == provider.userinfo_endpoint
    assert settings["OIDC_OP_JWKS_ENDPOINT"] == provider.jwks_endpoint
    assert settings["OIDC_RP_SIGN_ALGO"] == "RS256"


def test_userinfo_returns_the_users_email_and_name(
    provider: OidcProvider, tokens: dict[str, Any]
) -> None:
    """After signing in, the access token reads the user's verified email and name."""
    request = urllib.request.Request(
        provider.userinfo_endpoint,
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
    )
    claims = _get_json(request)

    assert claims["email"] == USER.email
    assert claims["email_verified"] is True
    assert claims["name"] == USER.name


def test_id_token_is_signed_for_the_client(provider: OidcProvider, tokens: dict[str, Any]) -> None:
    """The ID token verifies with the published RS256 key and is issued to the client."""
    keys = jwk.JWKSet.from_json(json.dumps(_get_json(provider.jwks_endpoint)))

    token = jwt.JWT(jwt=tokens["id_token"], key=keys, algs=["RS256"])
    claims = json.loads(token.claims)

    assert claims["aud"] == provider.client_id
    assert claims["iss"] == provider.issuer
    assert claims["nonce"] == "n-0S6_WzA2Mj"
    assert claims["email"] == USER.email


def test_sign_in_without_pkce_is_accepted(provider: OidcProvider) -> None:
    """A relying party that does not use PKCE still gets tokens."""
    callback = _sign_in(provider, REDIRECT_URI, nonce="no-pkce", code_verifier=None)

    tokens = _exchange_code(provider, callback["code"], REDIRECT_URI, code_verifier=None)

    assert tokens["access_token"]
    assert tokens["id_token"]


def test_loopback_redirect_uri_accepts_any_port(provider: OidcProvider) -> None:
    """A redirect URI registered on 127.0.0.1 without a port accepts the live server's port."""
    redirect_uri = "http://127.0.0.1:50123/oidc/callback/"

    callback = _sign_in(provider, redirect_uri, nonce="other-port", code_verifier=None)

    assert callback["state"] == "af0ifjsldkj"
    assert callback["code"]
