"""The release store under `RAPOR_HOME/releases/`: immutable release folders and the pointer to the
active one. Builds write here; the web reads only the active release."""

from __future__ import annotations

import fcntl
import getpass
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from rapor import settings

ACTIVE_FILE = "active.json"
BUILDING_PREFIX = ".building-"
DELETING_PREFIX = ".deleting-"
# One JSON line per switch of the active release, appended and never rewritten: the audit trail
# of activations and rollbacks, which the web app's audit log imports.
SWITCH_LOG = Path("logs") / "releases.log"


# The layout of docs/release-format.md that this code writes and reads; bumped when a table
# changes incompatibly. 2: equity_groups; standard errors and intervals in the value tables.
# 3: rank_bands.
FORMAT_VERSION = 3


class ReleaseError(Exception):
    """An unknown release, or nothing to roll back to."""


@dataclass(frozen=True)
class Release:
    release_id: str
    path: Path
    manifest: dict

    @property
    def created_at(self) -> str:
        return self.manifest["created_at"]

    @property
    def created(self) -> datetime:
        """When the release was built, as an aware (UTC) datetime."""
        return datetime.fromisoformat(self.created_at)


def list_releases(home: Path | None = None) -> list[Release]:
    """Every published release, oldest first (release ids sort by creation time)."""
    folder = settings.releases_dir(home)
    if not folder.is_dir():
        return []
    return [
        _load(path)
        for path in sorted(folder.iterdir())
        if path.is_dir() and not path.name.startswith(".") and (path / "manifest.json").is_file()
    ]


def get_release(release_id: str, home: Path | None = None) -> Release:
    # A build in progress (".building-…") or a path is never a release.
    path = settings.releases_dir(home) / release_id
    if release_id.startswith(".") or "/" in release_id or not _is_file(path / "manifest.json"):
        raise ReleaseError(f"no release {release_id!r} in {path.parent}")
    return _load(path)


def _is_file(path: Path) -> bool:
    # A name the file system refuses (too long, a NUL) names no release either.
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def active_release(home: Path | None = None) -> Release | None:
    """The release the web serves, or None before the first activation."""
    state = _read_state(home or settings.rapor_home())
    return get_release(state["release_id"], home) if state else None


def activate(release_id: str, home: Path | None = None) -> Release:
    """Make a release the active one; the one it replaces can be restored with `rollback`."""
    home = home or settings.rapor_home()
    with _state_lock(home):
        return _activate(release_id, home)


def _activate(release_id: str, home: Path) -> Release:
    release = get_release(release_id, home)
    state = _read_state(home)
    history, rolled_back = [], []
    if state:
        history = state["previous"]
        if state["release_id"] != release_id:
            history = [state["release_id"], *history]
        # Chosen again on purpose: no longer a release the operator turned away from.
        rolled_back = [other for other in _rolled_back(state) if other != release_id]
    _switch_to(release, home, history, rolled_back, event="activate")
    return release


def rollback(home: Path | None = None) -> Release:
    """Re-activate the release that was active before the current one."""
    home = home or settings.rapor_home()
    with _state_lock(home):
        return _rollback(home)


def _rollback(home: Path) -> Release:
    state = _read_state(home)
    if not state or not state["previous"]:
        raise ReleaseError("no earlier active release to roll back to")
    previous, *older = state["previous"]
    release = get_release(previous, home)
    _switch_to(release, home, older, [state["release_id"], *_rolled_back(state)], event="rollback")
    return release


def follow(source: Path, home: Path | None = None) -> Release | None:
    """Serve here the release another home has active: the build host's, seen on a shared
    volume or synced from object storage (docs/deploy.md). This server's index of it is made
    first, then `source`'s pointer is copied in one atomic rename, history included; the switch
    is logged by the host that made it, not here. Indexes and Excel files of releases gone from
    the store are deleted. Returns the release switched to, or None when nothing changed."""
    home = home or settings.rapor_home()
    wanted = _read_state(source)
    with _state_lock(home):
        release = None
        if wanted is not None and wanted != _read_state(home):
            release = _follow(wanted, home)
        _forget_deleted(home)
    return release


def _follow(wanted: dict, home: Path) -> Release:
    # Deferred import: the index module builds on this one.
    from rapor.release_index import ensure_index

    release = get_release(wanted["release_id"], home)
    ensure_index(release, home)
    _write_state(
        home,
        release.release_id,
        wanted["previous"],
        _rolled_back(wanted),
        activated_at=wanted["activated_at"],
    )
    return release


def _forget_deleted(home: Path) -> None:
    """Delete what this server made (indexes, Excel files) from releases pruned from the store.
    Never from a release its pointer names, nor when the store looks empty (an unmounted
    volume): remaking the active release's index would stall its pages."""
    # Deferred import: the index module builds on this one.
    from rapor.release_index import delete_indexes_except

    kept = {release.release_id for release in list_releases(home)}
    if not kept:
        return
    state = _read_state(home)
    kept |= {state["release_id"], *state["previous"]} if state else set()
    delete_indexes_except(kept, home)
    downloads = home / "downloads"
    for folder in downloads.iterdir() if downloads.is_dir() else ():
        if folder.name not in kept:
            shutil.rmtree(folder, ignore_errors=True)


def rolled_back(home: Path | None = None) -> list[str]:
    """The releases `rollback` turned away from, newest first, until one is activated again."""
    state = _read_state(home or settings.rapor_home())
    return _rolled_back(state) if state else []


def _rolled_back(state: dict) -> list[str]:
    # Pointers written before rollbacks were remembered have no such key.
    return state.get("rolled_back", [])


def prune(keep: int, home: Path | None = None) -> list[str]:
    """Keep `keep` releases and delete the others with what was made from them (lookup index,
    Excel files). Kept first: the active release, then the ones `rollback` walks back to, then
    the newest. Returns the deleted ids."""
    if keep < 1:
        raise ValueError("keep at least one release")
    home = home or settings.rapor_home()
    with _state_lock(home):
        _remove_half_deleted(home)
        state = _read_state(home)
        found = list_releases(home)
        kept = _kept([release.release_id for release in found], state, keep)
        doomed = [release for release in found if release.release_id not in kept]
        for release in doomed:
            _delete(release, home)
        deleted = [release.release_id for release in doomed]
        if state and set(state["previous"] + _rolled_back(state)) & set(deleted):
            # The pointer forgets them: rollback walks back only through releases that exist.
            _write_state(
                home,
                state["release_id"],
                [other for other in state["previous"] if other not in deleted],
                [other for other in _rolled_back(state) if other not in deleted],
                activated_at=state["activated_at"],
            )
    return deleted


def _kept(release_ids: list[str], state: dict | None, keep: int) -> set[str]:
    rollback_chain = [state["release_id"], *state["previous"]] if state else []
    by_priority = [
        *(release_id for release_id in rollback_chain if release_id in release_ids),
        *reversed(release_ids),
    ]
    return set(list(dict.fromkeys(by_priority))[:keep])


def _delete(release: Release, home: Path) -> None:
    # Deferred import: the index module builds on this one.
    from rapor.release_index import delete_indexes

    # Renamed first: a prune killed half-way must not leave a manifest beside missing tables.
    deleting = release.path.with_name(f"{DELETING_PREFIX}{release.release_id}")
    os.rename(release.path, deleting)
    delete_indexes(release, home)
    shutil.rmtree(settings.downloads_dir(release.release_id, home), ignore_errors=True)
    shutil.rmtree(deleting)


def _remove_half_deleted(home: Path) -> None:
    for path in settings.releases_dir(home).glob(f"{DELETING_PREFIX}*"):
        shutil.rmtree(path, ignore_errors=True)


def _switch_to(
    release: Release, home: Path, previous: list[str], rolled_back: list[str], event: str
) -> None:
    # Deferred import: the index module builds on this one.
    from rapor.release_index import ensure_index

    # The web reads the active release through its index: make it before switching to it.
    ensure_index(release, home)
    replaced = _read_state(home)
    _write_state(home, release.release_id, previous, rolled_back)
    _log_switch(home, event, release.release_id, replaced["release_id"] if replaced else None)


def _log_switch(home: Path, event: str, release_id: str, replaced: str | None) -> None:
    line = {
        "at": datetime.now(UTC).isoformat(timespec="microseconds"),
        "event": event,
        "release_id": release_id,
        "replaced": replaced,
        "user": _os_user(),
    }
    path = home / SWITCH_LOG
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as log:
        log.write(json.dumps(line) + "\n")


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # a user id without a name, as in some containers
        return str(os.getuid())


def new_build_dir(release_id: str, home: Path | None = None) -> Path:
    """A private folder for a build in progress; `finish_build` turns it into the release."""
    folder = settings.releases_dir(home)
    folder.mkdir(parents=True, exist_ok=True)
    building = folder / f"{BUILDING_PREFIX}{release_id}"
    building.mkdir()
    return building


def finish_build(building: Path) -> Release:
    """Publish a finished build under its release id in one atomic rename."""
    release_id = building.name.removeprefix(BUILDING_PREFIX)
    final = building.parent / release_id
    _fsync_tree(building)
    os.rename(building, final)
    _fsync_dir(final.parent)
    return _load(final)


def remove_abandoned_builds(home: Path | None = None) -> list[Path]:
    """Delete what killed builds left behind (call only while holding the build lock)."""
    home = home or settings.rapor_home()
    abandoned = sorted(settings.releases_dir(home).glob(f"{BUILDING_PREFIX}*")) + sorted(
        (home / "tmp").glob("*")
    )
    for path in abandoned:
        shutil.rmtree(path, ignore_errors=True)
    return abandoned


@contextmanager
def _state_lock(home: Path) -> Iterator[None]:
    # Activations read, change and rewrite the pointer: one at a time, or history is lost.
    home.mkdir(parents=True, exist_ok=True)
    with (home / "active.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _load(path: Path) -> Release:
    manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    return Release(release_id=path.name, path=path, manifest=manifest)


def _read_state(home: Path) -> dict | None:
    path = home / ACTIVE_FILE
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def _write_state(
    home: Path,
    release_id: str,
    previous: list[str],
    rolled_back: list[str],
    activated_at: str | None = None,
) -> None:
    # Write a new file and rename it over the old one: readers see the old or the new pointer,
    # never half of one.
    state = {
        "release_id": release_id,
        "activated_at": activated_at or datetime.now(UTC).isoformat(timespec="seconds"),
        "previous": previous,
        "rolled_back": rolled_back,
    }
    home.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=home, delete=False, suffix=".tmp") as stream:
        json.dump(state, stream, indent=2)
        stream.flush()
        os.fsync(stream.fileno())
    os.replace(stream.name, home / ACTIVE_FILE)
    _fsync_dir(home)


def _fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            with path.open("rb") as stream:
                os.fsync(stream.fileno())
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
