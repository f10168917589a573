"""A gunicorn server a test module starts, and requests to it, each on a connection of its own
(so the next may reach another worker)."""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest

WORKERS = 3
BIN = Path(sys.executable).parent  # rapor, gunicorn
# Settings a test server must not take from the environment of the test run.
INHERITED = ("DJANGO_", "RAPOR_", "DATABASE_", "REDIS_", "SECURE_", "OIDC_")


def server_environment(**settings: str) -> dict[str, str]:
    """The environment of the test run without its settings, and `settings`."""
    kept = {name: value for name, value in os.environ.items() if not name.startswith(INHERITED)}
    return kept | settings


def rapor_web(env: dict[str, str], cwd: Path, *args: str) -> str:
    """`rapor web ARGS` (a management command); what it printed."""
    result = subprocess.run(
        [BIN / "rapor", "web", *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@dataclass
class HttpServer:
    port: int
    log: Path  # what gunicorn writes, the access log included

    def get(self, path: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
        return self.request("GET", path, headers=headers)

    def request(
        self, method: str, path: str, body: str | None = None, headers: dict | None = None
    ) -> http.client.HTTPResponse:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        connection.request(
            method, path, body=body, headers={"Connection": "close", **(headers or {})}
        )
        response = connection.getresponse()
        response.body = response.read()
        connection.close()
        return response

    def get_many(self, path: str, headers: dict[str, str] | None = None) -> list:
        """The same GET many times at once: concurrent requests spread over the workers (one
        after another, a single idle worker may take them all)."""
        with ThreadPoolExecutor(max_workers=2 * WORKERS) as pool:
            return list(pool.map(lambda _: self.get(path, headers), range(8 * WORKERS)))

    def post_form(
        self, path: str, fields: dict[str, str], session: str = "", page: str = "/"
    ) -> http.client.HTTPResponse:
        """A form POST as a browser sends it: the CSRF token and cookie from `page` first."""
        shown = self.get(page, {"Cookie": f"sessionid={session}"} if session else None)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', shown.body).group(1)
        csrf_cookie = re.search(r"csrftoken=([^;]+)", shown.getheader("Set-Cookie")).group(1)
        body = urlencode({"csrfmiddlewaretoken": token.decode(), **fields})
        return self.request(
            "POST",
            path,
            body=body,
            headers={
                "Cookie": f"sessionid={session}; csrftoken={csrf_cookie}",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )

    def log_lines(self) -> list[str]:
        return self.log.read_text(encoding="utf-8").splitlines()

    @contextmanager
    def running(self, command: list, env: dict[str, str], cwd: Path) -> Iterator[None]:
        """gunicorn's `command` writing to `log`, answering on `port` until the block ends."""
        with self.log.open("w") as output:
            process = subprocess.Popen(
                command, env=env, cwd=cwd, stdout=output, stderr=subprocess.STDOUT
            )
        try:
            self._wait_until_serving(process)
            yield
        finally:
            process.terminate()
            process.wait(timeout=30)

    def _wait_until_serving(self, process: subprocess.Popen) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert process.poll() is None, self.log.read_text()
            try:
                self.get("/healthz")
                return
            except OSError:
                time.sleep(0.2)
        pytest.fail(f"gunicorn did not answer in 30 s:\n{self.log.read_text()}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
