"""The release store: listing, activation, rollback, and builds that fail or are killed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rapor import releases
from rapor.catalogue import CatalogueError, load_catalogue
from rapor.pipeline import build as build_module
from tests.conftest import build_from
from tests.test_validation import valid_raw


def test_build_publishes_an_activated_release_with_manifest(home):
    """A build publishes a release folder with its manifest and makes it the active one."""
    result = build_from(valid_raw(), home)
    manifest = json.loads((result.release.path / "manifest.json").read_text())
    assert manifest["release_id"] == result.release.release_id
    assert manifest["years"] == [2023]
    assert manifest["inputs"]["schools"]["rows"] == 2
    assert len(manifest["inputs"]["an_students"]["sha256"]) == 64
    assert manifest["row_counts"]["indicator_values"] > 0
    assert manifest["catalogue"]["version"] == load_catalogue().version
    assert (result.release.path / "catalogue" / "indicators.yaml").is_file()
    assert releases.active_release(home) == result.release


def test_no_activate_publishes_without_switching(home):
    """`--no-activate` adds a release but leaves the active one alone."""
    first = build_from(valid_raw(), home).release
    second = build_from(valid_raw(), home, activate=False).release
    assert [release.release_id for release in releases.list_releases(home)] == [
        first.release_id,
        second.release_id,
    ]
    assert releases.active_release(home).release_id == first.release_id


def test_activate_and_rollback_walk_the_history(home):
    """Rollback returns to the release active before, again and again, then says there is none."""
    first = build_from(valid_raw(), home).release
    second = build_from(valid_raw(), home).release
    third = build_from(valid_raw(), home).release
    assert releases.rollback(home).release_id == second.release_id
    assert releases.rollback(home).release_id == first.release_id
    with pytest.raises(releases.ReleaseError, match="no earlier active release"):
        releases.rollback(home)
    releases.activate(third.release_id, home)
    assert releases.rollback(home).release_id == first.release_id


def test_activating_an_unknown_release_is_refused(home):
    """Activating an id that is not a release fails and keeps the pointer."""
    first = build_from(valid_raw(), home).release
    with pytest.raises(releases.ReleaseError, match="no release 'nope'"):
        releases.activate("nope", home)
    assert releases.active_release(home).release_id == first.release_id


def test_broken_catalogue_fails_the_build_and_publishes_nothing(home, tmp_path, monkeypatch):
    """A catalogue error stops the build before anything is published."""
    first = build_from(valid_raw(), home).release
    broken = tmp_path / "catalogue"
    broken.mkdir()
    for path in Path(load_catalogue.__code__.co_filename).parent.glob("*.yaml"):
        broken.joinpath(path.name).write_text(
            path.read_text().replace("label_set: kompetensi", "label_set: x", 1)
        )
    monkeypatch.setattr(build_module, "load_catalogue", lambda: load_catalogue(broken))
    expected = r"indicators\.yaml: indicator A\.1: field 'label_set'"
    with pytest.raises(CatalogueError, match=expected):
        build_from(valid_raw(), home)
    assert [release.release_id for release in releases.list_releases(home)] == [first.release_id]
    assert releases.active_release(home).release_id == first.release_id


def test_a_second_concurrent_build_is_refused(home):
    """While one build holds the lock, another build in the same home fails at once."""
    with build_module._build_lock(home), pytest.raises(build_module.BuildLocked):
        build_from(valid_raw(), home)


@pytest.fixture
def small_raw(tmp_path_factory) -> Path:
    from rapor.synth import generate

    folder = tmp_path_factory.mktemp("raw-small")
    generate(folder, scale="small")
    return folder


def test_killed_build_leaves_the_active_release_serving(home, small_raw):
    """SIGKILL in the middle of a build: no new release, same active one, next build cleans up."""
    env = os.environ | {"RAPOR_HOME": str(home)}
    command = [sys.executable, "-m", "rapor.cli", "build", "--raw", str(small_raw)]
    subprocess.run(command, env=env, check=True, capture_output=True)
    active = releases.active_release(home)

    building = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while not list((home / "releases").glob(".building-*")):
        assert building.poll() is None and time.monotonic() < deadline, "build ended too soon"
        time.sleep(0.01)
    time.sleep(0.3)  # let it get into the computation
    building.send_signal(signal.SIGKILL)
    building.wait()

    assert [release.release_id for release in releases.list_releases(home)] == [active.release_id]
    assert releases.active_release(home) == active
    subprocess.run(command, env=env, check=True, capture_output=True)
    assert not list((home / "releases").glob(".building-*"))
    assert len(releases.list_releases(home)) == 2


def test_a_build_in_progress_cannot_be_activated(home):
    """A `.building-…` folder, even with its manifest written, is not a release."""
    first = build_from(valid_raw(), home).release
    building = home / "releases" / ".building-x"
    building.mkdir()
    (building / "manifest.json").write_text("{}")
    with pytest.raises(releases.ReleaseError):
        releases.activate(".building-x", home)
    assert releases.active_release(home).release_id == first.release_id
