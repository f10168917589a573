"""Production settings: they pass Django's deployment checks, cannot turn on demo sign-in, and
refuse to start without a secret key.

Each check runs in a fresh Python process, since settings are read once per process.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

PRODUCTION = "rapor.web.settings.production"


def production_env(tmp_path: Path, **overrides: str | None) -> dict[str, str]:
    """The environment of a production process: a long random secret key, an allowed host,
    PostgreSQL and Redis (named, never reached by these checks); `overrides` set (or, with None,
    remove) variables."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "RAPOR_", "DATABASE_", "REDIS_", "OIDC_", "SECURE_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE=PRODUCTION,
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="rapor.example.id",
        DATABASE_URL="postgresql://rapor@127.0.0.1:5432/rapor",
        REDIS_URL="redis://127.0.0.1:6379/0",
        RAPOR_HOME=str(tmp_path / "home"),
    )
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_the_deployment_checks(tmp_path):
    """`django check --deploy` with production settings reports no issue, warnings included."""
    result = run(
        ["-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        production_env(tmp_path),
        tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


DEMO_PROBE = textwrap.dedent(
    """
    import django
    django.setup()
    from django.conf import settings
    from django.http import Http404
    from django.test import RequestFactory
    from django.urls import resolve

    assert settings.RAPOR_DEMO_LOGIN is False, settings.RAPOR_DEMO_LOGIN
    view = resolve("/masuk/demo/").func
    data = {"email": "demo.pusat@dinas.belajar.id"}
    for method in ("get", "post"):
        request = getattr(RequestFactory(), method)("/masuk/demo/", data)
        try:
            view(request)
        except Http404:
            print(method, "404")
        else:
            raise SystemExit(f"{method} /masuk/demo/ was served")
    """
)


@pytest.mark.parametrize("value", ["1", "true", "True"])
def test_production_settings_cannot_enable_demo_sign_in(tmp_path, value):
    """With production settings demo sign-in stays off even when RAPOR_DEMO_LOGIN is set, and
    the demo sign-in page answers 404 to GET and POST."""
    result = run(["-c", DEMO_PROBE], production_env(tmp_path, RAPOR_DEMO_LOGIN=value), tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.split() == ["get", "404", "post", "404"]


@pytest.mark.parametrize("secret", [None, ""], ids=["unset", "empty"])
def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path, secret):
    """Without DJANGO_SECRET_KEY, production settings stop with ImproperlyConfigured naming the
    variable."""
    result = run(
        ["-c", "import django; django.setup()"],
        production_env(tmp_path, DJANGO_SECRET_KEY=secret),
        tmp_path,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"DATABASE_URL": None}, "DATABASE_URL"),
        ({"DATABASE_URL": "sqlite:///app.sqlite3"}, "PostgreSQL"),
        ({"REDIS_URL": None}, "REDIS_URL"),
    ],
    ids=["no database", "sqlite", "no redis"],
)
def test_production_settings_need_postgresql_and_redis(tmp_path, overrides, named):
    """Production stops at start-up without a PostgreSQL app database or without Redis, which
    every worker and server share (sessions, rate limits, content)."""
    result = run(
        ["-c", "import django; django.setup()"], production_env(tmp_path, **overrides), tmp_path
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert named in result.stderr.strip().splitlines()[-1]


def test_demo_settings_refuse_to_serve_other_machines(tmp_path):
    """The demo settings (fixed secret key, demo sign-in) stop at start-up when ALLOWED_HOSTS
    names a host other than this machine."""
    env = production_env(
        tmp_path, DJANGO_SETTINGS_MODULE="rapor.web.settings.demo", ALLOWED_HOSTS="rapor.example.id"
    )
    result = run(["-c", "import django; django.setup()"], env, tmp_path)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "rapor.web.settings.production" in result.stderr
