"""Settings shared by every environment. Values an operator may change come from the environment."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from rapor.settings import rapor_home

WEB_DIR = Path(__file__).resolve().parent.parent


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "rapor.web.accounts",
    "rapor.web.dashboard",
    "rapor.web.glossary",
    "rapor.web.feedback",
    "rapor.web.help",
    "rapor.web.downloads",
    "rapor.web.opendata",
    "rapor.web.groups",
    "rapor.web.audit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "corsheaders",
    "django_htmx",
]

MIDDLEWARE = [
    # First: everything after it (rate limits, the audit log) sees the client's address.
    "rapor.web.middleware.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before anything that answers by itself, so those answers (errors too) carry its headers.
    "corsheaders.middleware.CorsMiddleware",
    # Before WhiteNoise, so that static files get these headers too.
    "rapor.web.middleware.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "rapor.web.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "rapor.web.accounts.middleware.SignedInAccountMiddleware",
    "rapor.web.audit.middleware.CurrentRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    "rapor.web.middleware.NoActiveReleaseMiddleware",
]
RATELIMIT_VIEW = "rapor.web.errors.too_many_requests"
# The open-data API is public and needs no credentials: any web page may read it (CORS), and
# nothing else of the site.
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_EXPOSE_HEADERS = ("ETag",)

ROOT_URLCONF = "rapor.web.urls"
WSGI_APPLICATION = "rapor.web.wsgi.application"

TEMPLATES = [
    # The site's pages, in Jinja2 (`jinja2/` and `<app>/jinja2/`): rapor.web.jinja_environment.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [WEB_DIR / "jinja2"],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "rapor.web.jinja_environment.environment",
            "context_processors": [
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "rapor.web.context_processors.active_release",
            ],
        },
    },
    # Django's own templates: the admin (and our two admin pages extending it), form widgets.
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite under RAPOR_HOME needs nothing installed; DATABASE_URL switches to PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{rapor_home() / 'app.sqlite3'}",
        conn_max_age=600,
        # A persistent connection the server closed meanwhile is replaced, not an error page.
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Full-text search for the FAQ (Pusat Bantuan) needs PostgreSQL's search support.
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    INSTALLED_APPS.append("django.contrib.postgres")

AUTH_USER_MODEL = "accounts.Account"
AUTHENTICATION_BACKENDS = ["rapor.web.accounts.oidc.RegistryOIDCBackend"]
LOGIN_URL = "accounts:landing"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "accounts:landing"

# Sign-in with belajar.id (Google Workspace) over OpenID Connect. The endpoints default to Google's;
# every value can be replaced from the environment (the tests point them at a local provider).
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid email profile")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get(
    "OIDC_OP_AUTHORIZATION_ENDPOINT", "https://accounts.google.com/o/oauth2/v2/auth"
)
OIDC_OP_TOKEN_ENDPOINT = os.environ.get(
    "OIDC_OP_TOKEN_ENDPOINT", "https://oauth2.googleapis.com/token"
)
OIDC_OP_USER_ENDPOINT = os.environ.get(
    "OIDC_OP_USER_ENDPOINT", "https://openidconnect.googleapis.com/v1/userinfo"
)
OIDC_OP_JWKS_ENDPOINT = os.environ.get(
    "OIDC_OP_JWKS_ENDPOINT", "https://www.googleapis.com/oauth2/v3/certs"
)
OIDC_USE_PKCE = env_bool("OIDC_USE_PKCE", True)
OIDC_CREATE_USER = False  # the account registry decides who may sign in, not the identity provider
# A path, not a URL name: mozilla-django-oidc redirects to it as it is.
LOGIN_REDIRECT_URL_FAILURE = "/masuk/ditolak/"

# Emails from other domains are refused even when the provider vouches for them.
RAPOR_ALLOWED_EMAIL_DOMAINS = env_list(
    "RAPOR_ALLOWED_EMAIL_DOMAINS", "dinas.belajar.id,admin.belajar.id"
)
# Whom a refused user should contact, shown on the refusal page; empty: "the Rapor Pendidikan
# admin at your education office", in the reader's language.
RAPOR_SUPPORT_CONTACT = os.environ.get("RAPOR_SUPPORT_CONTACT", "")
# "Masuk sebagai akun demo": only the demo settings may switch it on (see production.py).
RAPOR_DEMO_LOGIN = False
# How many proxies (load balancers) in front append to X-Forwarded-For; 0: the client connects
# directly, REMOTE_ADDR is its address (rapor.web.middleware.ClientAddressMiddleware).
RAPOR_TRUSTED_PROXIES = int(os.environ.get("RAPOR_TRUSTED_PROXIES", "0"))
# Sign-in attempts per client address (django-ratelimit rate syntax).
RAPOR_LOGIN_RATE = os.environ.get("RAPOR_LOGIN_RATE", "20/m")
# "Beri Saran" submissions per account (django-ratelimit rate syntax).
RAPOR_FEEDBACK_RATE = os.environ.get("RAPOR_FEEDBACK_RATE", "10/h")
RAPOR_FORM_RATE = os.environ.get("RAPOR_FORM_RATE", "30/h")
# "Hubungi Kami" submissions per account (django-ratelimit rate syntax).
RAPOR_CONTACT_RATE = os.environ.get("RAPOR_CONTACT_RATE", "5/h")
# Open-data API requests per client address (django-ratelimit rate syntax).
RAPOR_API_RATE = os.environ.get("RAPOR_API_RATE", "120/m")
# Contact-form attachments: private, outside the web root; only a staff-only view serves them.
RAPOR_UPLOADS_DIR = Path(os.environ.get("RAPOR_UPLOADS_DIR", rapor_home() / "uploads"))

# Email: ticket numbers and staff replies. Files under $RAPOR_HOME/mail unless SMTP is configured.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = rapor_home() / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Rapor Pendidikan <noreply@rapor.local>")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Staff mailed when the monthly refresh fails (and Django's reports of server errors).
ADMINS = [(email, email) for email in env_list("RAPOR_ADMINS", "")]
SERVER_EMAIL = DEFAULT_FROM_EMAIL  # the sender of those error reports

SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# The admin's messages ("saved") live in the session every signed-in request already reads. The
# default keeps them in a signed cookie first, which makes a signer on every request (~5 µs).
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
# No script reads the CSRF cookie: forms, htmx's included, send the token as a form field.
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "rapor.web.errors.csrf_failure"  # our 403 page, in the reader's language
CSRF_COOKIE_SAMESITE = "Lax"

# Headers on every response (docs/security.md). Django's defaults, stated so they stay put.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Sent by rapor.web.middleware.ContentSecurityPolicyMiddleware, in the shape of Django 6.0's own
# SECURE_CSP. No inline scripts anywhere (chart data comes in <script type="application/json">).
# Inline styles are allowed: label colours and ability bars take their colour and length from the
# release as CSS custom properties in style="…", which must work without JavaScript; htmx adds
# a <style> for its indicators and ECharts styles its tooltips inline (docs/security.md).
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

# Shared by every worker: sessions, rate-limit counters and rendered content. Without Redis, a
# diskcache under RAPOR_HOME that every worker of this machine opens (`make serve` runs three):
# in each worker's own memory, a session signed out on one worker would live on in the others,
# and each worker would count sign-in attempts apart. Django's file cache would share them, but
# counts without atomic increments and lists its whole folder on every write.
CACHES = {
    "default": {
        "BACKEND": "rapor.web.cache.SharedDiskCache",
        "LOCATION": rapor_home() / "cache",
        # The least recently stored entries go first past 256 MiB (~5,000 pages of content).
        # A page's content (~50 KB) stays in diskcache's SQLite file: past its default of 32 KB
        # each entry would be a file of its own in a folder of its own, made on every miss.
        "OPTIONS": {"size_limit": 2**28, "disk_min_file_size": 2**20},
    },
    # A worker's own copies of the rendered content it served last (least recently used go
    # first; ~50 KB each): content never changes under its key, so a copy needs no invalidation,
    # and serving it saves a round trip to the shared cache.
    "content": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "content",
        "OPTIONS": {"MAX_ENTRIES": 500},
    },
}
# Shared by every server too: Redis (production).
if os.environ.get("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "rapor"),
        # Redis down fails a request in seconds (and /healthz says so) instead of hanging workers.
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [WEB_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Jakarta"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = rapor_home() / "static"
STATICFILES_DIRS = [WEB_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
