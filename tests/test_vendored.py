"""What Rapor ships is what its sources say: the vendored ECharts is the build of
`scripts/echarts-entry.js` from the locked packages (src/rapor/web/static/vendor/README.md)."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDORED_ECHARTS = ROOT / "src/rapor/web/static/vendor/echarts/echarts.min.js"


def test_vendored_echarts_is_the_build_of_its_entry(tmp_path):
    built = tmp_path / "echarts.min.js"
    subprocess.run(
        ["npm", "run", "--silent", "build:echarts", "--", f"--outfile={built}"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    assert built.read_bytes() == VENDORED_ECHARTS.read_bytes(), (
        "the vendored ECharts is not the build of scripts/echarts-entry.js: run `make echarts`"
    )
