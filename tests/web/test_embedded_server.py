"""The embedded default as `make serve` runs it: gunicorn with three workers, the demo settings,
SQLite and no Redis, over the small release. What one worker does, every worker must see."""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Iterator

import pytest

from rapor import releases
from tests.conftest import Built
from tests.web.http_server import (
    BIN,
    WORKERS,
    HttpServer,
    free_port,
    rapor_web,
    server_environment,
)

# Per hour: django-ratelimit counts in fixed windows, and a burst across the end of a one-minute
# window would start counting again.
SIGN_IN_RATE = 4
ACCESS_LINE = re.compile(r"^<(\d+)> (\S+) (\S+) HTTP/")  # pid, method, path


@pytest.fixture(scope="module")
def server(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Iterator[HttpServer]:
    root = tmp_path_factory.mktemp("embedded")
    home = root / "home"
    shutil.copytree(built.release_dir, home / "releases" / built.release_dir.name)
    releases.activate(built.release_dir.name, home)
    env = server_environment(RAPOR_HOME=str(home), RAPOR_LOGIN_RATE=f"{SIGN_IN_RATE}/h")
    # What `make serve` runs before gunicorn (seed_demo_help aside: no help content is needed).
    rapor_web(env, root, "migrate", "--noinput", "-v0")
    rapor_web(env, root, "collectstatic", "--noinput", "-v0")
    rapor_web(env, root, "seed_demo_accounts")
    port = free_port()
    started = HttpServer(port, root / "gunicorn.log")
    # `make serve`'s command line, with the worker's pid in each access log line.
    command = [BIN / "gunicorn", "rapor.web.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(WORKERS), "--access-logfile", "-"]
    command += ["--access-logformat", "%(p)s %(r)s %(s)s"]
    with started.running(command, env, root):
        yield started


def access_log(server: HttpServer, since: int = 0) -> list[tuple[str, str, str]]:
    """(pid, method, path) of each request in the access log from line `since` on."""
    return [
        match.groups() for line in server.log_lines()[since:] if (match := ACCESS_LINE.match(line))
    ]


def served_by(server: HttpServer, path: str, requests: int, since: int = 0) -> set[str]:
    """The pids of the workers that answered the `requests` GETs of `path` logged from line
    `since` on (a worker logs a request after sending its answer: wait for the lines)."""
    deadline = time.monotonic() + 10
    while True:
        pids = [pid for pid, method, logged in access_log(server, since) if logged == path]
        if len(pids) >= requests or time.monotonic() > deadline:
            return set(pids)
        time.sleep(0.05)


def test_signing_out_ends_the_session_on_every_worker(server):
    """Signed in with the demo form on one worker, every worker knows the account; signed out on
    one, no worker does (a cache in each worker's memory kept it alive on the others)."""
    shown = server.get("/masuk/demo/")
    email = re.search(rb'name="email" value="([^"]+)"', shown.body).group(1).decode()
    signed_in = server.post_form("/masuk/demo/", {"email": email}, page="/masuk/demo/")
    session = re.search(r"sessionid=([^;]+)", signed_in.getheader("Set-Cookie")).group(1)
    cookie = {"Cookie": f"sessionid={session}"}
    for response in server.get_many("/beranda/", headers=cookie):
        assert response.status == 302
        assert response.getheader("Location").startswith("/wilayah/")

    signed_out = server.post_form("/keluar/", {}, session, page="/glosarium/")
    assert signed_out.status == 302, signed_out.body[:500]
    mark = len(server.log_lines())
    after = server.get_many("/beranda/", headers=cookie)
    for response in after:
        assert response.status == 302
        assert response.getheader("Location").startswith("/?next=")
    workers = served_by(server, "/beranda/", len(after), since=mark)
    assert len(workers) >= 2, "after signing out, one worker took every request"


def test_the_sign_in_limit_counts_the_attempts_of_every_worker(server):
    """Sign-in attempts from one address count together whichever worker takes them: past the
    limit they get 429, not the limit again on each worker."""
    mark = len(server.log_lines())
    statuses = [response.status for response in server.get_many("/oidc/authenticate/")]
    assert statuses.count(302) == SIGN_IN_RATE, statuses
    assert set(statuses) == {302, 429}
    workers = served_by(server, "/oidc/authenticate/", len(statuses), since=mark)
    assert len(workers) >= 2, "one worker took every attempt"
