"""Pipeline benchmark: synthesize the national data (3 AN years), build a release, and compare the
build with a floor measured in the same run on the same files: one DuckDB pass that reads every
column of every raw input once and writes every table of the release once.

    .venv/bin/python benchmarks/pipeline.py [--scale national|small] [--engines duckdb,spark]
        [--keep DIR]

Targets on a 2-core machine (issue: data core): build <= 60 s, peak RSS <= 4 GiB, build/floor <= 4.
Each step runs in its own process so its peak RSS is its own (from wait4's rusage). For a Spark
build (`--engines duckdb,spark`, local[*]) that is the Python driver's only: the JVM that does the
work is not counted, so no figure is shown."""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FLOOR_SCRIPT = """
import sys, duckdb
from pathlib import Path
raw, release, out = map(Path, sys.argv[1:4])
con = duckdb.connect(config={"threads": 2, "memory_limit": "3GB"})
for path in sorted(raw.glob("*.parquet")):
    con.execute("select max(hash(t)) from read_parquet(?) as t", [str(path)]).fetchall()
for path in sorted(release.glob("*.parquet")):
    con.execute(
        f"copy (select * from read_parquet('{path}')) to '{out / path.name}'"
        " (format parquet, compression zstd, row_group_size 122880)"
    )
"""


def measure(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Run a command; return its wall seconds and peak RSS in GiB."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(command)}")
    return elapsed, usage.ru_maxrss / 1024 / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["small", "national"], default="national")
    parser.add_argument(
        "--engines",
        type=_engines,
        default=["duckdb"],
        help="comma-separated build engines to time, e.g. duckdb,spark (default duckdb)",
    )
    parser.add_argument(
        "--keep", type=Path, help="RAPOR_HOME to use and keep (default: a temp dir)"
    )
    args = parser.parse_args()
    home = args.keep or Path(tempfile.mkdtemp(prefix="rapor-bench-"))
    try:
        run(args.scale, args.engines, home)
    finally:
        if not args.keep:  # a national run leaves about 1 GiB behind
            shutil.rmtree(home, ignore_errors=True)


def _engines(text: str) -> list[str]:
    engines = text.split(",")
    if not engines or set(engines) - {"duckdb", "spark"}:
        raise argparse.ArgumentTypeError("engines are duckdb and/or spark, comma-separated")
    return engines


def run(scale: str, engines: list[str], home: Path) -> None:
    env = os.environ | {"RAPOR_HOME": str(home)}
    rapor = [sys.executable, "-m", "rapor.cli"]

    synth_s, synth_gib = measure([*rapor, "synth", "--scale", scale], env)
    # The pipeline alone: activation adds the web's lookup index (rapor.release_index).
    builds = {
        engine: measure([*rapor, "build", "--no-activate", "--engine", engine], env)
        for engine in engines
    }
    release = max((home / "releases").iterdir(), key=lambda path: path.name)
    floor_out = Path(tempfile.mkdtemp(prefix="rapor-floor-", dir=home))
    floor_s, floor_gib = measure(
        [sys.executable, "-c", FLOOR_SCRIPT, str(home / "raw"), str(release), str(floor_out)], env
    )
    raw_mib = sum(path.stat().st_size for path in (home / "raw").iterdir()) / 2**20
    release_mib = sum(path.stat().st_size for path in release.glob("*.parquet")) / 2**20

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"scale {scale}: raw inputs {raw_mib:,.0f} MiB, release {release_mib:,.0f} MiB")
    print("| step | wall s | peak RSS GiB | ratio to floor | target |")
    print("| --- | ---: | ---: | ---: | --- |")
    print(f"| synth | {synth_s:.1f} | {synth_gib:.2f} | | |")
    print(f"| floor (read inputs + write release) | {floor_s:.1f} | {floor_gib:.2f} | 1.00 | |")
    for engine, (build_s, build_gib) in builds.items():
        memory, target = f"{build_gib:.2f}", "<= 60 s, <= 4 GiB, ratio <= 4"
        if engine == "spark":
            memory, target = "(JVM not measured)", ""
        print(
            f"| build ({engine}) | {build_s:.1f} | {memory} | {build_s / floor_s:.2f} | {target} |"
        )


if __name__ == "__main__":
    main()
