"""The embedded default: SQLite under RAPOR_HOME, demo sign-in on, no secrets needed.

Never use these settings on a server reachable by others: the secret key is fixed and anyone can
sign in as a demo account.
"""

from django.core.exceptions import ImproperlyConfigured

from rapor.web.settings.base import *  # noqa: F403

# Fail closed: anyone reaching a demo server can sign in as any demo account (pusat is staff).
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]", "testserver"}
if set(ALLOWED_HOSTS) - LOCAL_HOSTS:  # noqa: F405
    raise ImproperlyConfigured(
        "The demo settings serve only this machine (ALLOWED_HOSTS 127.0.0.1, localhost); "
        "use DJANGO_SETTINGS_MODULE=rapor.web.settings.production for a server."
    )

# Not a secret: the demo settings let anyone sign in anyway.
SECRET_KEY = "demo-only-not-secret"
RAPOR_DEMO_LOGIN = True
