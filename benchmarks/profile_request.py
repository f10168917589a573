"""Where the time of one page request goes: one cold request through the whole Django stack,
under cProfile, as a signed-in pusat account, over the active release.

    .venv/bin/python benchmarks/profile_request.py PATH [--warm-up PATH] [--home var] [--top 25]

"Cold" is what the first visitor of the URL gets from a worker that has served other pages: the
process has opened the release and loaded templates and code (warm-up requests to the national
Beranda and to the same page of another region), but neither the rendered content nor the
lookups of this URL are cached. The settings come from the environment
(DJANGO_SETTINGS_MODULE, DATABASE_URL, REDIS_URL...), so the same command profiles the demo or
the production configuration; the account is a temporary pusat account, removed afterwards.

Prints the wall time, the time in the parts a page is made of (release lookups in DuckDB,
template rendering, app-database queries, cache round trips) and the functions with the most
cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# The parts of a request, by the function that does each (its cumulative time in the profile).
PARTS = {
    "release lookups (DuckDB)": ("rapor/web/release_data.py", "_rows"),
    "content templates": ("django/template/loader.py", "render_to_string"),
    "page shell template": ("django/shortcuts.py", "render"),
    "app database": ("django/db/backends/utils.py", "_execute_with_wrappers"),
    "cache get": ("django/core/cache/backends/", "get"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", help="the page, e.g. /wilayah/32/indikator/<code>/?jenjang=sd")
    parser.add_argument("--home", type=Path, default=REPO / "var", help="RAPOR_HOME")
    parser.add_argument(
        "--warm-up", default="", help="a page of the same kind for another entity, asked first"
    )
    parser.add_argument("--top", type=int, default=25, help="functions to list (default 25)")
    args = parser.parse_args()
    os.environ["RAPOR_HOME"] = str(args.home.resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapor.web.settings.demo")

    import django

    django.setup()
    from django.test import Client

    from rapor.web.accounts.models import Account

    account = Account.objects.create(
        email="profile.pusat@dinas.belajar.id", name="Profile (benchmark)", role="pusat"
    )
    try:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(account)
        for warm_up in ("/wilayah/ID/", args.warm_up):
            if warm_up and client.get(warm_up, secure=True).status_code != 200:
                raise SystemExit(f"warm-up {warm_up} did not answer 200")
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        response = client.get(args.path, secure=True)
        b"".join(response) if response.streaming else response.content
        profiler.disable()
        wall_ms = (time.perf_counter() - started) * 1000
    finally:
        account.delete()
    if response.status_code != 200:
        raise SystemExit(f"{args.path} answered {response.status_code}")
    report(args.path, wall_ms, pstats.Stats(profiler), args.top)


def report(path: str, wall_ms: float, stats: pstats.Stats, top: int) -> None:
    # cProfile slows Python code more than DuckDB's C++, so the parts are shown as shares of the
    # profiled total beside the unprofiled wall time.
    profiled_ms = stats.total_tt * 1000
    print(f"{path}\nwall {wall_ms:.1f} ms (profiled total {profiled_ms:.1f} ms)\n")
    for part, (file_part, function) in PARTS.items():
        cumulative = sum(
            entry[3]
            for (file, _, name), entry in stats.stats.items()
            if name == function and file_part in file
        )
        share = cumulative * 1000 / profiled_ms if profiled_ms else 0
        print(f"{part:28} {cumulative * 1000:7.1f} ms  {share:5.0%}")
    out = io.StringIO()
    stats.stream = out
    stats.sort_stats("cumulative").print_stats(top)
    print("\n" + out.getvalue().split("\n", 6)[-1])


if __name__ == "__main__":
    main()
