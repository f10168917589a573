"""Production: every secret from the environment, HTTPS-only cookies, no demo sign-in; PostgreSQL
and Redis shared by every worker and server, so the web tier keeps no state (docs/deploy.md)."""

import os

from django.core.exceptions import ImproperlyConfigured

from rapor.web.logs import json_to_stdout
from rapor.web.settings.base import *  # noqa: F403


def _required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise ImproperlyConfigured(f"Set the environment variable {name} for production.")
    return value


SECRET_KEY = _required("DJANGO_SECRET_KEY")
# Demo sign-in cannot be switched on here, whatever the environment says.
RAPOR_DEMO_LOGIN = False

# Accounts, sessions and the audit log live in PostgreSQL: SQLite is one file on one machine.
_required("DATABASE_URL")
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    raise ImproperlyConfigured("DATABASE_URL must name a PostgreSQL database for production.")
# Without Redis each worker would keep its own sessions cache and rate-limit counters.
_required("REDIS_URL")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)  # noqa: F405
# Load balancers check the app servers over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")  # noqa: F405

# Pages link static files only by their hashed names ({% static %}): unhashed copies would be
# served with a short cache lifetime and double the compression time of every deploy.
WHITENOISE_KEEP_ONLY_HASHED_FILES = True

# One JSON object per line on stdout, as the gunicorn configuration writes its own logs.
LOGGING = json_to_stdout(os.environ.get("LOG_LEVEL", "WARNING"))
