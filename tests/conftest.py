"""Shared fixtures: building releases from hand-made or synthetic raw data in a temporary home."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest
from hypothesis import settings as hypothesis_settings

from rapor.pipeline.build import BuildOptions, BuildResult, build
from rapor.synth import generate
from tests.rawdata import RawData

# Property-based tests (hypothesis): no deadline (a first request may build a cached page), no
# example database or cache written into the working tree; on CI the same examples on every run.
os.environ.setdefault(
    "HYPOTHESIS_STORAGE_DIRECTORY", str(Path(tempfile.gettempdir()) / "rapor-hypothesis")
)
hypothesis_settings.register_profile("rapor", deadline=None, database=None, print_blob=True)
hypothesis_settings.register_profile(
    "ci", hypothesis_settings.get_profile("rapor"), derandomize=True
)
hypothesis_settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "rapor")
)


def build_from(raw: RawData, home: Path, fmt: str = "parquet", **options) -> BuildResult:
    """Write `raw` under `home/raw` and build (and activate) a release in `home`."""
    raw_dir = raw.write(home / "raw", fmt)
    return build(BuildOptions(raw_dir=raw_dir, **options), home=home)


def read_table(result: BuildResult, table: str) -> pl.DataFrame:
    return pl.read_parquet(result.release.path / f"{table}.parquet")


@dataclass(frozen=True)
class Built:
    raw_dir: Path
    release_dir: Path

    def table(self, name: str) -> pl.DataFrame:
        return pl.read_parquet(self.release_dir / f"{name}.parquet")


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """A small synthetic country (AN 2022-2024, BPS 2022-2023) and the release built from it."""
    root = tmp_path_factory.mktemp("small")
    raw_dir = root / "raw"
    generate(raw_dir, scale="small", seed=20231, years=(2022, 2023, 2024))
    result = build(BuildOptions(raw_dir=raw_dir), home=root / "home")
    # The oracle knows no validation rules, so the inputs must be clean.
    assert pl.read_parquet(result.release.path / "rejects.parquet").is_empty()
    return Built(raw_dir=raw_dir, release_dir=result.release.path)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty RAPOR_HOME for one test."""
    folder = tmp_path / "home"
    monkeypatch.setenv("RAPOR_HOME", str(folder))
    return folder
