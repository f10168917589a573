"""The production configuration with real parts: gunicorn with `rapor.web.gunicorn_conf` and
several workers, the production settings, a PostgreSQL database of the test's own, Redis (keys
under a prefix of the test's own), over two copies of the small release.

One server serves the tests that ask for it; requests open a new connection each, so they land
on different workers. Everything started or made here is removed at the end. The tests after it
check, in this process, the parts a running server cannot show: a cache that is down, the content
cache's code version, an app server following the build host's release, and the client's
address behind a load balancer.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
import redis
from django.test import Client, override_settings

from rapor import cli, releases
from tests.conftest import Built
from tests.web.http_server import (
    BIN,
    WORKERS,
    HttpServer,
    free_port,
    rapor_web,
    server_environment,
)

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
ACCOUNTS_CSV = "email,name,role,region_code,npsn,active\nkadis@dinas.belajar.id,Uji,pusat,,,1\n"


def sign_in_script(accounts_csv: Path) -> str:
    """`rapor web import_accounts`, then a session as a belajar.id sign-in makes it (the sign-in
    itself is tested against a real OpenID Connect provider in tests/browser)."""
    return f"""
from django.core.management import call_command
from django.test import Client
from rapor.web.accounts.models import Account
call_command("import_accounts", {str(accounts_csv)!r})
client = Client()
client.force_login(Account.objects.get(email="kadis@dinas.belajar.id"))
print(client.cookies["sessionid"].value)
"""


@dataclass
class Server(HttpServer):
    home: Path
    release_ids: tuple[str, str]  # the active one first
    session: str  # the session cookie of a signed-in account

    def health(self) -> tuple[int, dict]:
        response = self.get("/healthz")
        return response.status, json.loads(response.body)


def two_releases(built: Built, home: Path) -> tuple[str, str]:
    """The small release under two ids in `home`, each indexed; the first one active."""
    first = built.release_dir.name
    second = f"{first[:-1]}9Z"  # a later id: the same data, built a moment after
    for release_id in (second, first):
        shutil.copytree(built.release_dir, home / "releases" / release_id)
        releases.activate(release_id, home)
    return first, second


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    """A PostgreSQL database of this module's own, dropped at the end."""
    name = f"rapor_production_test_{secrets.token_hex(4)}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(f'create database "{name}"')
    try:
        yield POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
            admin.execute(f'drop database if exists "{name}" with (force)')


@pytest.fixture(scope="module")
def cache_prefix() -> Iterator[str]:
    """A Redis key prefix of this module's own; its keys are deleted at the end."""
    prefix = f"rapor-test-{secrets.token_hex(4)}"
    yield prefix
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)
    client.close()


@pytest.fixture(scope="module")
def server(built, database, cache_prefix, tmp_path_factory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("production")
    home = root / "home"
    release_ids = two_releases(built, home)
    port = free_port()
    env = server_environment(
        DJANGO_SETTINGS_MODULE="rapor.web.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DATABASE_URL=database,
        REDIS_URL=REDIS_URL,
        CACHE_KEY_PREFIX=cache_prefix,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",  # plain http here, as `make serve-prod`
        RAPOR_HOME=str(home),
        HOST="127.0.0.1",
        PORT=str(port),
        WEB_CONCURRENCY=str(WORKERS),
    )

    # Compressing the static files (Brotli) takes the longest: meanwhile, the database.
    collecting = subprocess.Popen(
        [BIN / "rapor", "web", "collectstatic", "--noinput", "-v0"],
        env=env,
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        rapor_web(env, root, "migrate", "--noinput", "-v0")
        (root / "accounts.csv").write_text(ACCOUNTS_CSV, encoding="utf-8")
        printed = rapor_web(env, root, "shell", "-v0", "-c", sign_in_script(root / "accounts.csv"))
        session = printed.strip().splitlines()[-1]
    finally:
        output, _ = collecting.communicate(timeout=120)
    assert collecting.returncode == 0, output

    started = Server(port, root / "gunicorn.log", home, release_ids, session)
    with started.running([BIN / "gunicorn", "-c", "python:rapor.web.gunicorn_conf"], env, root):
        yield started


def test_healthz_reports_the_active_release_and_its_dependencies(server):
    """/healthz answers 200 without sign-in: the active release's id and creation time, the app
    database and the cache reachable; never cached."""
    response = server.get("/healthz")
    assert response.status == 200
    assert response.getheader("Content-Type") == "application/json"
    assert "no-store" in response.getheader("Cache-Control")
    manifest = releases.get_release(server.release_ids[0], server.home).manifest
    assert json.loads(response.body) == {
        "status": "ok",
        "release": {"id": server.release_ids[0], "created_at": manifest["created_at"]},
        "database": "ok",
        "cache": "ok",
    }


@pytest.mark.parametrize("encoding", ["gzip", "br"])
def test_static_files_are_compressed_and_cached_for_good(server, encoding):
    """A static file (its hashed name from collectstatic's manifest) comes compressed when the
    browser accepts it, with a cache lifetime of a year or more, immutable."""
    manifest = json.loads((server.home / "static" / "staticfiles.json").read_text())
    hashed = manifest["paths"]["rapor/rapor.css"]
    response = server.get(f"/static/{hashed}", headers={"Accept-Encoding": encoding})
    assert response.status == 200
    assert response.getheader("Content-Encoding") == encoding
    cache_control = response.getheader("Cache-Control")
    assert "immutable" in cache_control
    max_age = int(re.search(r"max-age=(\d+)", cache_control).group(1))
    assert max_age >= 365 * 24 * 3600


def test_sessions_are_shared_by_every_worker(server):
    """A signed-in session is recognised by every worker; signing out on one worker ends it on
    all of them (a per-worker session cache would keep it alive elsewhere)."""
    cookie = {"Cookie": f"sessionid={server.session}"}
    for response in server.get_many("/beranda/", headers=cookie):
        assert (response.status, response.getheader("Location")) == (302, "/wilayah/ID/")
    signed_out = server.post_form("/keluar/", {}, server.session, page="/wilayah/ID/")
    assert signed_out.status == 302, signed_out.body[:500]
    for response in server.get_many("/beranda/", headers=cookie):
        assert response.status == 302
        assert response.getheader("Location").startswith("/?next=")
    served_by = {
        json.loads(line)["pid"]
        for line in server.log_lines()
        if '"gunicorn.access"' in line and '"/beranda/"' in line
    }
    assert len(served_by) >= 2, "the requests all reached one worker"


def test_logs_are_json_lines_with_the_request_fields(server):
    """Everything the server writes on stdout is JSON, one object a line; access lines carry the
    request's method, path, status and duration."""
    server.get("/healthz?probe=1")
    time.sleep(0.2)
    records = [json.loads(line) for line in server.log_lines()]
    assert all({"time", "level", "logger", "message", "pid"} <= record.keys() for record in records)
    access = [record for record in records if record["logger"] == "gunicorn.access"]
    probe = next(record for record in access if record["query"] == "probe=1")
    assert probe["method"] == "GET"
    assert probe["path"] == "/healthz"
    assert probe["status"] == 200
    assert probe["duration_ms"] > 0


def test_a_release_switch_reaches_every_worker_without_a_restart(server):
    """`rapor releases activate` on the running server: the next request on every worker serves
    the new release; rolling back returns to the first one."""
    first, second = server.release_ids

    def served() -> set[str]:
        return {json.loads(r.body)["release"]["id"] for r in server.get_many("/healthz")}

    releases.activate(second, server.home)
    try:
        assert served() == {second}
    finally:
        releases.rollback(server.home)
    assert served() == {first}


def test_healthz_is_503_without_an_active_release(server):
    """With no active release, /healthz answers 503 with the reason (every worker)."""
    pointer = server.home / releases.ACTIVE_FILE
    saved = pointer.read_bytes()
    pointer.unlink()
    try:
        for _ in range(2 * WORKERS):
            status, body = server.health()
            assert status == 503
            assert body["status"] == "unavailable"
            assert body["reason"] == "no active release"
            assert body["release"] is None
            assert (body["database"], body["cache"]) == ("ok", "ok")
    finally:
        pointer.write_bytes(saved)
    assert server.health()[0] == 200


CLOSED_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
}


def test_healthz_is_503_when_the_cache_is_down(db, client, settings):
    """With Redis unreachable, /healthz says so with a 503, still naming the release."""
    settings.CACHES = CLOSED_REDIS
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert (body["status"], body["reason"]) == ("unavailable", "cache unreachable")
    assert (body["database"], body["cache"]) == ("ok", "down")
    assert body["release"]["id"]


def test_content_cache_keys_change_with_the_code(tmp_path, monkeypatch):
    """Servers of a rolling deploy share the content cache: any change to the package's files
    (a template, the catalogue, a static file) gives another code version; compiled bytecode
    does not."""
    from rapor.web import rendering

    (tmp_path / "web" / "__pycache__").mkdir(parents=True)
    template = tmp_path / "web" / "page.html"
    template.write_text("<p>{{ value }}</p>")
    monkeypatch.setattr(rendering, "PACKAGE_DIR", tmp_path)

    def version() -> str:
        rendering.code_version.cache_clear()
        return rendering.code_version()

    try:
        before = version()
        (tmp_path / "web" / "__pycache__" / "views.cpython-311.pyc").write_bytes(b"\x00")
        assert version() == before
        template.write_text("<p>{{ value|floatformat }}</p>")
        assert version() != before
    finally:
        rendering.code_version.cache_clear()


def test_releases_follow_switches_this_server_to_the_build_hosts_release(
    built, tmp_path, monkeypatch, capsys
):
    """`rapor releases follow SOURCE` on an app server whose releases are the build host's
    (a shared volume): it says what it now serves, then nothing while nothing changes; a release
    not on this server yet is an error that changes nothing."""
    build_host = built.release_dir.parent.parent
    server = tmp_path / "app-server"
    server.mkdir()
    monkeypatch.setenv("RAPOR_HOME", str(server))
    assert cli.main(["releases", "follow", str(build_host)]) == 1
    assert "not switched" in capsys.readouterr().err
    assert not (server / releases.ACTIVE_FILE).exists()

    (server / "releases").symlink_to(build_host / "releases", target_is_directory=True)
    assert cli.main(["releases", "follow", str(build_host)]) == 0
    assert cli.main(["releases", "follow", str(build_host)]) == 0
    assert capsys.readouterr().out == f"Now serving {built.release_dir.name}\n"


@override_settings(RAPOR_TRUSTED_PROXIES=1, RAPOR_LOGIN_RATE="2/h")
def test_behind_a_load_balancer_each_client_has_its_own_sign_in_limit(db):
    """With one load balancer in front (every request from its address), the sign-in rate limit
    counts each client by the address the balancer appends to X-Forwarded-For; entries a client
    writes itself do not get it a fresh limit, and junk leaves the balancer's address."""
    client = Client()

    def start_sign_in(forwarded_for: str) -> int:
        headers = {"X-Forwarded-For": forwarded_for}
        return client.get("/oidc/authenticate/", headers=headers).status_code

    assert [start_sign_in("203.0.113.7") for _ in range(3)] == [302, 302, 429]
    assert start_sign_in("198.51.100.9") == 302  # another user behind the same balancer
    assert start_sign_in("198.51.100.77, 203.0.113.7") == 429  # the first one, pretending
    assert start_sign_in("<rapor-xss>") == 302  # counted as the balancer's own address
