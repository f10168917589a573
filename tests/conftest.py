"""Shared fixtures: building releases from hand-made or synthetic raw data in a temporary home."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from rapor.pipeline.build import BuildOptions, BuildResult, build
from tests.rawdata import RawData


def build_from(raw: RawData, home: Path, fmt: str = "parquet", **options) -> BuildResult:
    """Write `raw` under `home/raw` and build (and activate) a release in `home`."""
    raw_dir = raw.write(home / "raw", fmt)
    return build(BuildOptions(raw_dir=raw_dir, **options), home=home)


def read_table(result: BuildResult, table: str) -> pl.DataFrame:
    return pl.read_parquet(result.release.path / f"{table}.parquet")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty RAPOR_HOME for one test."""
    folder = tmp_path / "home"
    monkeypatch.setenv("RAPOR_HOME", str(folder))
    return folder
