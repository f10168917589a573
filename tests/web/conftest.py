"""Web fixtures: the small synthetic release as the active one, and an account per role."""

from __future__ import annotations

import os
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from rapor.web import release_data
from rapor.web.accounts.demo import seed_demo_accounts
from rapor.web.accounts.models import Account
from tests.conftest import Built

ROLES = ("pusat", "provinsi", "kabkota", "sekolah")


@pytest.fixture(scope="session", autouse=True)
def active_home(built: Built) -> Path:
    """RAPOR_HOME holding the small synthetic release (built and activated by `built`)."""
    home = built.release_dir.parent.parent
    previous = os.environ.get("RAPOR_HOME")
    os.environ["RAPOR_HOME"] = str(home)
    release_data.reset()
    yield home
    release_data.reset()
    if previous is None:
        del os.environ["RAPOR_HOME"]
    else:
        os.environ["RAPOR_HOME"] = previous


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in the default language, as a fresh process does: a request in English
    leaves English active in the thread (LocaleMiddleware activates it, nothing deactivates it),
    and a management command called next would then speak English."""
    yield
    translation.deactivate()


@pytest.fixture
def data() -> release_data.ReleaseData:
    return release_data.current()


@pytest.fixture
def accounts(db, data) -> dict[str, Account]:
    """The demo accounts, by role: pusat, provinsi 34, one kab/kota of it, one of its schools."""
    return {account.role: account for account in seed_demo_accounts(data)}


@pytest.fixture
def client_for(accounts):
    """A test client signed in as the demo account of a role."""

    def make(role: str) -> Client:
        client = Client()
        client.force_login(accounts[role])
        return client

    return make


def png_bytes() -> bytes:
    """A real PNG image of one pixel."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


@pytest.fixture
def uploads(settings, tmp_path) -> Path:
    """Uploaded files go to a directory of the test's own."""
    settings.RAPOR_UPLOADS_DIR = tmp_path / "uploads"
    return settings.RAPOR_UPLOADS_DIR


def body(response) -> bytes:
    """A response's content, streamed (a file) or not. Reading a file response to its end is what
    closes its file; the test client then closes the response without closing the database
    connection, as a server would (closing it again would, on PostgreSQL)."""
    return b"".join(response.streaming_content) if response.streaming else response.content
