"""The published layout that other tools read (docs/release-format.md)."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from tests.conftest import Built

CONTRACT = {
    "entity_type": pl.String,
    "entity_code": pl.String,
    "year": pl.Int32,
    "jenjang": pl.String,
    "bentuk": pl.String,
    "status": pl.String,
    "indicator": pl.String,
    "value": pl.Float64,
    "label": pl.String,
    "n_schools": pl.Int64,
    "n_students": pl.Int64,
    "suppressed": pl.Boolean,
}


def test_indicator_values_keeps_the_contract_columns_and_types(built: Built):
    """indicator_values has every contract column with its documented type."""
    schema = built.table("indicator_values").schema
    assert {name: schema[name] for name in CONTRACT} == CONTRACT


def test_manifest_documents_its_keys(built: Built):
    """Every key of manifest.json is described in docs/release-format.md."""
    manifest = json.loads((built.release_dir / "manifest.json").read_text())
    text = (Path(__file__).resolve().parent.parent / "docs" / "release-format.md").read_text()
    for key in manifest:
        assert f"`{key}`" in text, f"manifest key {key} is undocumented"
