"""Excel download benchmark: build the Unduh workbook of a school, a kab/kota, a province and the
whole country from the national release, uncached, against XlsxWriter's own speed as the floor.

    .venv/bin/python benchmarks/xlsx.py [--runs 3] [--year YEAR]

Targets on a 2-core machine (issue 5): province <= 2 s, national <= 20 s, peak RSS <= 1 GiB.

What a run does, on the active release in RAPOR_HOME (default /work/main/var), read-only:

1. Picks the subjects from the release's index: the province and the kab/kota with the most
   schools (the largest workbooks of their level: a kab/kota's sheets list its schools), the
   nation, and a school of that kab/kota tested at the most levels.
2. Builds each subject's workbook `--runs` times, each in a fresh process (`--one`), so every
   build is uncached: the process opens the release's index, loads the catalogue and the
   Django app, then times `write_workbook` alone (every lookup goes to DuckDB; nothing is read
   from `$RAPOR_HOME/downloads`) into a temp folder that is removed afterwards. Peak RSS is the
   child process's (`wait4` rusage), start-up included.
3. In the same process, right after, the floor: XlsxWriter in constant_memory mode writing a
   workbook of the same shape (the same sheets, and in each row as many cells as the workbook has,
   alternately a number and a short string) with no lookups, i.e. what the writer alone costs.
4. Prints, per subject, the median build time, the floor, their ratio, peak RSS, the file's
   size and cells, and PASS/FAIL per target; exits 0 unless a build itself failed.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PROVINCE_TARGET_S = 2.0
NATIONAL_TARGET_S = 20.0
PEAK_TARGET_GIB = 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="builds per subject (median shown)")
    parser.add_argument("--year", type=int, help="the year (default: the release's newest)")
    parser.add_argument("--one", nargs=3, metavar=("KIND", "CODE", "YEAR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("RAPOR_HOME", str(REPO / "var"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapor.web.settings.demo")
    if args.one:
        kind, code, year = args.one
        print(json.dumps(build_one(kind, code, int(year))))
        return
    subjects, year, release_id = pick_subjects(args.year)
    print(f"release {release_id}, year {year}, {args.runs} uncached builds per subject")
    results = {}
    for label, kind, code in subjects:
        runs = [run_child(kind, code, year) for _ in range(args.runs)]
        results[label] = summarize(runs)
        print(line(label, code, results[label]), flush=True)
    report(results)


# ------------------------------------------------------------------ in the child process


def build_one(kind: str, code: str, year: int) -> dict:
    import django

    started = time.perf_counter()
    django.setup()
    from django.utils import translation
    from python_calamine import CalamineWorkbook

    from rapor.web import release_data
    from rapor.web.downloads.workbook import Subject, write_workbook

    translation.activate("id")
    data = release_data.current()
    if kind == "sekolah":
        subject = Subject.of_school(data.school(code))
    else:
        subject = Subject.of_region(data.region(code))
    data.regions  # noqa: B018  (the region table: part of opening the release, not the build)
    opened = time.perf_counter() - started
    with tempfile.TemporaryDirectory(prefix="rapor-bench-xlsx-") as folder:
        path = Path(folder) / "built.xlsx"
        started = time.perf_counter()
        write_workbook(data, subject, year, path)
        seconds = time.perf_counter() - started
        size = path.stat().st_size
        book = CalamineWorkbook.from_path(str(path))
        shapes = []
        for name in book.sheet_names:
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            shapes.append((name, [sum(cell != "" for cell in row) for row in rows]))
        floor_path = Path(folder) / "floor.xlsx"
        started = time.perf_counter()
        write_floor(floor_path, shapes)
        floor = time.perf_counter() - started
    return {
        "open_s": opened,
        "build_s": seconds,
        "floor_s": floor,
        "bytes": size,
        "sheets": len(shapes),
        "cells": sum(sum(cells) for _, cells in shapes),
    }


def write_floor(path: Path, shapes: list[tuple[str, list[int]]]) -> None:
    """XlsxWriter alone: the same sheets, and in each row as many cells as the workbook has
    there, alternately a number and a short string."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    number = book.add_format({"num_format": "0.00"})
    for name, cells in shapes:
        sheet = book.add_worksheet(name)
        for row, count in enumerate(cells):
            for column in range(count):
                if column % 2:
                    sheet.write_number(row, column, row * 0.37 + column, number)
                else:
                    sheet.write_string(row, column, f"teks {row}")
    book.close()


# ------------------------------------------------------------------ in the parent


def pick_subjects(year: int | None) -> tuple[list[tuple[str, str, str]], int, str]:
    """(label, kind, code) of the subjects, the year, and the release id, from the index."""
    import duckdb

    from rapor.release_index import index_path
    from rapor.releases import get_release

    home = Path(os.environ["RAPOR_HOME"])
    release_id = json.loads((home / "active.json").read_text())["release_id"]
    manifest = json.loads((home / "releases" / release_id / "manifest.json").read_text())
    year = year or manifest["years"][-1]
    index = duckdb.connect(str(index_path(get_release(release_id, home), home)), read_only=True)
    try:
        province = index.execute(
            "select provinsi_code from schools group by 1 order by count(*) desc, 1 limit 1"
        ).fetchone()[0]
        kabkota = index.execute(
            "select kabkota_code from schools group by 1 order by count(*) desc, 1 limit 1"
        ).fetchone()[0]
        school = index.execute(
            "select entity_code from indicator_values where entity_type = 'sekolah'"
            " and kabkota_code = ? and year = ? group by 1"
            " order by count(distinct jenjang) desc, 1 limit 1",
            [kabkota, year],
        ).fetchone()[0]
    finally:
        index.close()
    subjects = [
        ("school", "sekolah", school),
        ("kab/kota", "kabkota", kabkota),
        ("province", "provinsi", province),
        ("national", "nasional", "ID"),
    ]
    return subjects, year, release_id


def run_child(kind: str, code: str, year: int) -> dict:
    command = [sys.executable, __file__, "--one", kind, code, str(year)]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=os.environ.copy())
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        sys.exit(f"the build of {kind} {code} failed (exit {child.returncode})")
    result = json.loads(out)
    result["peak_gib"] = usage.ru_maxrss * 1024 / 2**30  # ru_maxrss is in KiB on Linux
    return result


def summarize(runs: list[dict]) -> dict:
    median = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    median["peak_gib"] = max(run["peak_gib"] for run in runs)
    median["ratio"] = median["build_s"] / median["floor_s"]
    median["builds"] = [round(run["build_s"], 3) for run in runs]
    return median


def line(label: str, code: str, result: dict) -> str:
    return (
        f"{label:9} {code:10} build {result['build_s']:6.2f} s (runs {result['builds']})"
        f"  floor {result['floor_s']:5.2f} s  ratio {result['ratio']:4.1f}"
        f"  open {result['open_s']:4.2f} s  peak {result['peak_gib']:.2f} GiB"
        f"  {result['sheets']} sheets, {result['cells']:,} cells, {result['bytes'] / 1024:,.0f} KiB"
    )


def report(results: dict[str, dict]) -> None:
    print()
    print(f"machine: {machine()}")
    peak = max(result["peak_gib"] for result in results.values())
    checks = [
        (
            f"province <= {PROVINCE_TARGET_S:g} s",
            f"{results['province']['build_s']:.2f} s",
            results["province"]["build_s"] <= PROVINCE_TARGET_S,
        ),
        (
            f"national <= {NATIONAL_TARGET_S:g} s",
            f"{results['national']['build_s']:.2f} s",
            results["national"]["build_s"] <= NATIONAL_TARGET_S,
        ),
        (f"peak <= {PEAK_TARGET_GIB:g} GiB", f"{peak:.2f} GiB", peak <= PEAK_TARGET_GIB),
    ]
    for target, value, ok in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {target:22} {value}")


def machine() -> str:
    import duckdb
    import xlsxwriter

    return (
        f"{os.cpu_count()} cores, Python {platform.python_version()}, "
        f"XlsxWriter {xlsxwriter.__version__}, DuckDB {duckdb.__version__}, "
        f"{datetime.date.today().isoformat()}"
    )


if __name__ == "__main__":
    main()
