"""Make the map boundary files the web serves, from the shared boundary data.

    .venv/bin/python scripts/make_map_boundaries.py [../shared/data]

Reads `provinces.geojson` and `kabkota.geojson` (cahyadsn/wilayah_boundaries, MIT; see
`../shared/data/README.md`) and writes `src/rapor/web/static/rapor/maps/`: `provinsi.json`
(the nation's 38 provinces) and one `kabkota-<province code>.json` per province, so a
province's page downloads only its own kab/kota. Each feature keeps only its `code`. Outlines are
simplified (Douglas-Peucker) to what the map can show, coordinates rounded to 3 decimals (about
110 m), and islands too small to see dropped (a region's largest part is always kept).
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from itertools import pairwise
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SOURCE = REPO_ROOT.parent / "shared" / "data"
TARGET = REPO_ROOT / "src" / "rapor" / "web" / "static" / "rapor" / "maps"
DECIMALS = 3
# (tolerance in degrees, smallest island kept in square degrees). The nation's map is about
# 800 px for 46 degrees (0.06 degrees a pixel); a province's map shows a few degrees.
PROVINCES = (0.02, 0.001)
KABKOTA = (0.005, 0.0001)

Point = list[float]
Ring = list[Point]
Polygon = list[Ring]


def main(source: Path = SOURCE) -> None:
    TARGET.mkdir(parents=True, exist_ok=True)
    provinces = _read(source / "provinces.geojson")
    _write(TARGET / "provinsi.json", [_feature(f, *PROVINCES) for f in provinces])
    by_province: dict[str, list[dict]] = defaultdict(list)
    for feature in _read(source / "kabkota.geojson"):
        by_province[feature["properties"]["code"].split(".")[0]].append(_feature(feature, *KABKOTA))
    for province, features in sorted(by_province.items()):
        _write(TARGET / f"kabkota-{province}.json", features)


def _read(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["features"]


def _write(path: Path, features: list[dict]) -> None:
    collection = {"type": "FeatureCollection", "features": features}
    path.write_text(json.dumps(collection, separators=(",", ":")), encoding="utf-8")
    print(f"{path.relative_to(REPO_ROOT)}: {len(features)} regions, {path.stat().st_size:,} bytes")


def _feature(feature: dict, tolerance: float, smallest: float) -> dict:
    geometry = feature["geometry"]
    parts = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        parts = [parts]
    polygons = [_polygon(polygon, tolerance) for polygon in parts]
    polygons = [polygon for polygon in polygons if polygon]
    largest = max(polygons, key=lambda polygon: _area(polygon[0]))
    kept = [p for p in polygons if p is largest or _area(p[0]) >= smallest]
    return {
        "type": "Feature",
        "properties": {"code": feature["properties"]["code"]},
        "geometry": {"type": "MultiPolygon", "coordinates": kept},
    }


def _polygon(polygon: Polygon, tolerance: float) -> Polygon:
    """The polygon simplified and rounded; empty when its outline collapses. A hole that
    collapses is dropped."""
    rings = [_rounded(_simplified(ring, tolerance)) for ring in polygon]
    if len(rings[0]) < 4:
        return []
    return [ring for ring in rings if len(ring) >= 4]


def _simplified(points: Ring, tolerance: float) -> Ring:
    """Douglas-Peucker: keep the points further than `tolerance` from the simplified line."""
    keep = {0, len(points) - 1}
    spans = [(0, len(points) - 1)]
    while spans:
        first, last = spans.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        length = (dx * dx + dy * dy) ** 0.5
        furthest, distance = None, tolerance
        for index in range(first + 1, last):
            x, y = points[index]
            if length:
                away = abs(dy * (x - x1) - dx * (y - y1)) / length
            else:  # a closed ring's first span starts and ends at the same point
                away = ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
            if away > distance:
                furthest, distance = index, away
        if furthest is not None:
            keep.add(furthest)
            spans += [(first, furthest), (furthest, last)]
    return [points[index] for index in sorted(keep)]


def _rounded(ring: Ring) -> Ring:
    """The ring on a 10^-DECIMALS grid, without the repeated points that rounding makes."""
    rounded: Ring = []
    for x, y in ring:
        point = [round(x, DECIMALS), round(y, DECIMALS)]
        if not rounded or rounded[-1] != point:
            rounded.append(point)
    return rounded


def _area(ring: Ring) -> float:
    """The ring's area in square degrees (shoelace)."""
    pairs = pairwise(ring)
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairs)) / 2


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE)
