"""The official region codes (BPS), for validating account scopes without a release."""

from __future__ import annotations

import csv
from functools import cache
from importlib.resources import files


@cache
def _codes() -> dict[str, str]:
    text = files("rapor.reference").joinpath("regions.csv").read_text(encoding="utf-8")
    return {row["code"]: row["level"] for row in csv.DictReader(text.splitlines())}


def is_provinsi_code(code: str) -> bool:
    return _codes().get(code) == "provinsi"


def is_kabkota_code(code: str) -> bool:
    return _codes().get(code) == "kabkota"
