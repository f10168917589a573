"""Django settings of the test OpenID Connect provider (never used by the Rapor web app itself).

The runner (`tests.oidc_provider.serve`) passes the state folder and the issuer in environment
variables, because they are only known when a test starts the provider. Every key and secret is
generated at start-up, so nothing secret is committed and each run signs with a fresh key.
"""

import os
import secrets
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

STATE_DIR = Path(os.environ["OIDC_PROVIDER_STATE_DIR"])
ISSUER = os.environ["OIDC_PROVIDER_ISSUER"]


def _new_rsa_private_key_pem() -> str:
    """A fresh 2048-bit RSA key in PEM, to sign RS256 ID tokens for this run only."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    ).decode("ascii")


SECRET_KEY = secrets.token_urlsafe(50)
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oauth2_provider",
]

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]

ROOT_URLCONF = "tests.oidc_provider.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).resolve().parent / "templates"],
        # oauth2_provider renders its own error pages (e.g. for an unknown redirect URI).
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
            ],
        },
    },
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": STATE_DIR / "provider.sqlite3",
        # The server is threaded: wait for a concurrent writer rather than fail at once.
        "OPTIONS": {"timeout": 20},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Fast hashing keeps start-up and each sign-in in milliseconds; these are throw-away test users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Browsers do not separate cookies by port, and the relying party under test also runs on
# 127.0.0.1: with Django's default names the two apps would overwrite each other's session.
SESSION_COOKIE_NAME = "oidc_provider_sessionid"
CSRF_COOKIE_NAME = "oidc_provider_csrftoken"

LOGIN_URL = "/accounts/login/"
USE_TZ = True
STATIC_URL = "/static/"

OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_ISS_ENDPOINT": ISSUER,
    "OIDC_RSA_PRIVATE_KEY": _new_rsa_private_key_pem(),
    "OAUTH2_VALIDATOR_CLASS": "tests.oidc_provider.validators.ClaimsValidator",
    "SCOPES": {
        "openid": "OpenID Connect sign-in",
        "email": "Email address",
        "profile": "Name",
    },
    # Redirect URIs of the relying party under test are plain http on a loopback address.
    "ALLOWED_REDIRECT_URI_SCHEMES": ["http", "https"],
    # Like 127.0.0.1 (RFC 8252), a registered http://localhost redirect URI matches any port.
    "ALLOW_LOCALHOST_LOOPBACK": True,
    # Accept relying parties with or without PKCE; a code_challenge that is sent is still checked.
    "PKCE_REQUIRED": False,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # INFO shows why oauth2_provider rejects a request (e.g. a redirect URI mismatch).
    "root": {"handlers": ["console"], "level": "INFO"},
}
