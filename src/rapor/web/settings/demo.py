"""The embedded default: SQLite under RAPOR_HOME, demo sign-in on, no secrets needed.

Never use these settings on a server reachable by others: the secret key is fixed and anyone can
sign in as a demo account.
"""

from rapor.web.settings.base import *  # noqa: F403

# Not a secret: the demo settings let anyone sign in anyway.
SECRET_KEY = "demo-only-not-secret"
RAPOR_DEMO_LOGIN = True
