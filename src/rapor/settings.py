"""Runtime locations, read from the environment."""

import functools
import os
from pathlib import Path


def rapor_home() -> Path:
    """The folder holding raw inputs, releases and the active-release pointer (`RAPOR_HOME`)."""
    return _resolved(os.environ.get("RAPOR_HOME", "var"), os.getcwd())


@functools.lru_cache(maxsize=16)
def _resolved(home: str, cwd: str) -> Path:
    """Remembered: every web request asks (resolving reads each folder of the path: 15 µs)."""
    return (Path(cwd) / home).resolve()


def raw_dir() -> Path:
    return rapor_home() / "raw"


def releases_dir(home: Path | None = None) -> Path:
    """Where releases live under `home` (default: `RAPOR_HOME`)."""
    return (home or rapor_home()) / "releases"


def downloads_dir(release_id: str, home: Path | None = None) -> Path:
    """The Excel files made from one release (the web's Unduh cache); deleted with the release."""
    return (home or rapor_home()) / "downloads" / release_id
