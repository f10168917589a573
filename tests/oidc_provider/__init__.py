"""A real OpenID Connect provider on 127.0.0.1 for tests that sign in to the Rapor web app.

`running_provider` starts `tests.oidc_provider.serve` (django-oauth-toolkit with OIDC, RS256 ID
tokens, a sign-in page at /accounts/login/ and no consent screen) in a subprocess and stops it
afterwards. Only the standard library is imported here, so importing this package does not
configure Django in the test process.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, BinaryIO, NoReturn

REPO_ROOT = Path(__file__).resolve().parents[2]
SETTINGS_MODULE = "tests.oidc_provider.settings"
CLIENT_ID = "rapor-web-test"
START_TIMEOUT_SECONDS = 30.0
STOP_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class ProviderUser:
    """A user who can sign in at the provider; the username is the email address."""

    email: str
    password: str
    name: str


@dataclass(frozen=True)
class OidcProvider:
    """Where a running provider answers and the client registered for the relying party."""

    issuer: str
    client_id: str
    client_secret: str
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    jwks_endpoint: str

    @property
    def discovery_url(self) -> str:
        """The OpenID Connect discovery document, for a relying party that reads it itself."""
        return _discovery_url(self.issuer)

    def relying_party_settings(self) -> dict[str, Any]:
        """The mozilla-django-oidc settings that make the web app sign in at this provider.

        The `profile` scope is requested because the `name` claim is released under it. PKCE is
        used as a real relying party should, although the provider also accepts a flow without it.
        """
        return {
            "OIDC_RP_CLIENT_ID": self.client_id,
            "OIDC_RP_CLIENT_SECRET": self.client_secret,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": self.authorization_endpoint,
            "OIDC_OP_TOKEN_ENDPOINT": self.token_endpoint,
            "OIDC_OP_USER_ENDPOINT": self.userinfo_endpoint,
            "OIDC_OP_JWKS_ENDPOINT": self.jwks_endpoint,
            "OIDC_RP_SIGN_ALGO": "RS256",
            "OIDC_RP_SCOPES": "openid email profile",
            "OIDC_USE_PKCE": True,
        }


def _discovery_url(issuer: str) -> str:
    return f"{issuer}/.well-known/openid-configuration"


@contextmanager
def running_provider(
    state_dir: Path, users: list[ProviderUser], redirect_uris: list[str]
) -> Iterator[OidcProvider]:
    """Start the provider subprocess on a free port, wait until it answers, yield, then stop it.

    `redirect_uris` must match the relying party's callback exactly, except that the port of an
    `http://127.0.0.1/...` or `http://localhost/...` URI is free (RFC 8252 loopback redirects), so
    a callback can be registered before the live server's port is known. The subprocess's output
    goes to `state_dir/provider.log`, which is also quoted if the provider does not start.
    """
    state_dir.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    client_secret = secrets.token_urlsafe(32)
    config = state_dir / "config.json"
    config.write_text(
        json.dumps(
            {
                "client_id": CLIENT_ID,
                "client_secret": client_secret,
                "redirect_uris": redirect_uris,
                "users": [asdict(user) for user in users],
            }
        ),
        encoding="utf-8",
    )
    log_path = state_dir / "provider.log"
    with log_path.open("wb") as log, _subprocess(port, state_dir, config, log) as process:
        issuer = f"http://127.0.0.1:{port}/o"  # as `serve` configures it
        metadata = _wait_for_discovery(issuer, process, log_path)
        yield OidcProvider(
            issuer=metadata["issuer"],
            client_id=CLIENT_ID,
            client_secret=client_secret,
            authorization_endpoint=metadata["authorization_endpoint"],
            token_endpoint=metadata["token_endpoint"],
            userinfo_endpoint=metadata["userinfo_endpoint"],
            jwks_endpoint=metadata["jwks_uri"],
        )


def _free_port() -> int:
    # The port is free when the OS hands it out; another process could take it before the
    # provider binds it, which is unlikely enough on a test machine.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def _subprocess(
    port: int, state_dir: Path, config: Path, log: BinaryIO
) -> Iterator[subprocess.Popen]:
    """Run the provider's server and make sure it is gone afterwards, whatever happened."""
    # The test process may have its own DJANGO_SETTINGS_MODULE (the web app's): replace it.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE, "PYTHONUNBUFFERED": "1"}
    command = [
        sys.executable,
        "-m",
        "tests.oidc_provider.serve",
        "--port",
        str(port),
        "--state-dir",
        str(state_dir),
        "--config",
        str(config),
    ]
    process = subprocess.Popen(
        command, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        yield process
    finally:
        _stop(process)


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _wait_for_discovery(issuer: str, process: subprocess.Popen, log_path: Path) -> dict[str, Any]:
    """Poll the discovery document until it is served; it proves that the server is usable."""
    url = _discovery_url(issuer)
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            _fail(f"exited with code {process.returncode}", log_path)
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                return json.load(response)
        except urllib.error.HTTPError as error:
            # It is listening, so waiting longer will not fix an error status.
            error.close()
            _fail(f"answered {error.code} at {url}", log_path)
        except OSError:
            # Not listening yet (still migrating), so try again shortly.
            time.sleep(0.05)
    _fail(f"did not answer within {START_TIMEOUT_SECONDS:.0f} s", log_path)


def _fail(reason: str, log_path: Path) -> NoReturn:
    output = log_path.read_text(encoding="utf-8", errors="replace")
    raise RuntimeError(f"The test OpenID Connect provider {reason}. Its output:\n{output}")
