"""Runs the test OpenID Connect provider: `python -m tests.oidc_provider.serve --port PORT
--state-dir DIR --config FILE.json`.

The JSON config holds `client_id`, `client_secret`, `redirect_uris` (a list) and `users` (a list
of objects with `email`, `password` and `name`). The runner migrates a SQLite database in the
state folder, creates the users and the client, then serves on 127.0.0.1:PORT until it is
terminated, printing `READY` once it is listening.
"""

import argparse
import json
import os
from pathlib import Path

from django.core.management import call_command
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.core.wsgi import get_wsgi_application

SETTINGS_MODULE = "tests.oidc_provider.settings"


def main(argv: list[str] | None = None) -> None:
    """Prepare the provider's database and serve it until the process is terminated."""
    args = _parse_args(argv)
    args.state_dir.mkdir(parents=True, exist_ok=True)
    # The settings read these; they must be set before Django loads them.
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    os.environ["OIDC_PROVIDER_STATE_DIR"] = str(args.state_dir)
    os.environ["OIDC_PROVIDER_ISSUER"] = f"http://127.0.0.1:{args.port}/o"

    application = get_wsgi_application()
    call_command("migrate", interactive=False, verbosity=0)

    from tests.oidc_provider import seed  # needs the models, so only once Django is set up

    seed.load(json.loads(args.config.read_text(encoding="utf-8")))
    _serve(application, args.port)


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Run the test OpenID Connect provider.")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--state-dir", type=Path, required=True)
    parser.add_argument("--config", type=Path, required=True)
    return parser.parse_args(argv)


def _serve(application, port: int) -> None:
    # Django's threaded development server: a browser opens several connections at once.
    server = ThreadedWSGIServer(("127.0.0.1", port), WSGIRequestHandler)
    server.set_app(application)
    print(f"READY http://127.0.0.1:{port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
