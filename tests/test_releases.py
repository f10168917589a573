"""The release store: listing, activation, rollback, and builds that fail or are killed."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rapor import releases, settings
from rapor.catalogue import CatalogueError, load_catalogue
from rapor.pipeline import build as build_module
from rapor.release_index import index_path
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


@pytest.mark.parametrize("name", ["x" * 5000, "bad\x00name"], ids=["too long", "NUL"])
def test_a_name_the_file_system_refuses_is_no_release(home, name):
    """Ids come from URLs (the open-data API): one the file system cannot even look up is the
    same "no release" as any unknown id, never an OSError."""
    with pytest.raises(releases.ReleaseError, match="no release"):
        releases.get_release(name, home)


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


def test_prune_keeps_the_active_release_and_its_rollback_chain_first(home):
    """Pruning keeps the active release and those rollback reaches before newer ones."""
    first, second, third = (build_from(valid_raw(), home).release for _ in range(3))
    releases.rollback(home)  # to second; third is turned away from
    releases.rollback(home)  # to first
    fourth = build_from(valid_raw(), home).release  # active, rollback chain: first

    assert releases.prune(2, home) == [second.release_id, third.release_id]

    assert [release.release_id for release in releases.list_releases(home)] == [
        first.release_id,
        fourth.release_id,
    ]
    assert not index_path(second, home).exists() and not index_path(third, home).exists()
    assert releases.rolled_back(home) == []
    assert releases.rollback(home).release_id == first.release_id
    with pytest.raises(releases.ReleaseError, match="no earlier active release"):
        releases.rollback(home)


def test_prune_never_deletes_an_old_active_release(home):
    """A release rolled back to stays even when it is not among the newest kept."""
    first, second, _third = (build_from(valid_raw(), home).release for _ in range(3))
    releases.activate(first.release_id, home)
    for release in (first, second):  # Excel files the web made from each (its Unduh cache)
        workbook = settings.downloads_dir(release.release_id, home) / "v1-id" / "rapor.xlsx"
        workbook.parent.mkdir(parents=True)
        workbook.write_bytes(b"PK")
    releases.prune(1, home)
    assert [release.release_id for release in releases.list_releases(home)] == [first.release_id]
    assert releases.active_release(home) == first
    assert index_path(first, home).exists() and not index_path(second, home).exists()
    assert settings.downloads_dir(first.release_id, home).exists()
    assert not settings.downloads_dir(second.release_id, home).exists()


def test_rollback_remembers_what_it_turned_away_from_until_activated_again(home):
    """`rolled_back` lists the releases rollback left; activating one by hand clears it."""
    first, second = (build_from(valid_raw(), home).release for _ in range(2))
    releases.rollback(home)
    assert releases.rolled_back(home) == [second.release_id]
    assert json.loads((home / "active.json").read_text())["rolled_back"] == [second.release_id]
    releases.activate(second.release_id, home)
    assert releases.rolled_back(home) == []
    assert releases.active_release(home).release_id == second.release_id != first.release_id


def test_a_half_deleted_release_is_not_a_release_and_is_cleaned_up(home):
    """A prune killed mid-delete leaves `.deleting-…`: never listed, removed by the next prune."""
    first = build_from(valid_raw(), home).release
    leftover = home / "releases" / ".deleting-20200101T000000.000000Z"
    leftover.mkdir()
    (leftover / "manifest.json").write_text("{}")
    assert [release.release_id for release in releases.list_releases(home)] == [first.release_id]
    assert releases.prune(3, home) == []
    assert not leftover.exists()


def test_an_app_server_follows_the_build_hosts_active_release(home, tmp_path):
    """An app server (its own RAPOR_HOME, the build host's releases on a shared volume) serves
    what the build host activates or rolls back to: its own index first, then the build host's
    pointer, history included; a pruned release's index goes; the switch is logged only once,
    by the build host."""
    first = build_from(valid_raw(), home).release
    second = build_from(valid_raw(), home).release
    server = tmp_path / "app-server"
    server.mkdir()
    (server / "releases").symlink_to(home / "releases", target_is_directory=True)

    assert releases.follow(home, server).release_id == second.release_id
    assert releases.active_release(server).release_id == second.release_id
    assert index_path(second, server).is_file()
    assert releases.follow(home, server) is None  # nothing new

    releases.rollback(home)
    assert releases.follow(home, server).release_id == first.release_id
    assert releases.rolled_back(server) == [second.release_id]
    releases.activate(second.release_id, home)
    releases.follow(home, server)
    releases.prune(1, home)  # the build host deletes `first`
    releases.follow(home, server)
    assert not index_path(first, server).exists()
    assert index_path(second, server).is_file()
    assert not (server / releases.SWITCH_LOG).exists()


def test_following_a_release_not_synced_yet_changes_nothing(home, tmp_path):
    """A pointer that names a release this server cannot see yet is refused; the server keeps
    serving what it served."""
    first = build_from(valid_raw(), home).release
    server = tmp_path / "app-server"
    (server / "releases").mkdir(parents=True)
    with pytest.raises(releases.ReleaseError):
        releases.follow(home, server)
    assert releases.active_release(server) is None
    shutil.copytree(first.path, server / "releases" / first.release_id)
    assert releases.follow(home, server).release_id == first.release_id
