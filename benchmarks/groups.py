"""Comparison groups on the national release: how long a group's page takes, cold.

    .venv/bin/python benchmarks/groups.py [--home var] [--groups 40] [--size 500]

Each of `--groups` groups holds `--size` schools drawn at random from the release (SD that count
in region values, any province), shown for jenjang dasar against a random kab/kota; each
group's page is asked once through the whole Django stack (test client, signed in as a temporary
pusat account), so no lookup of it is cached. The floor is the same client asking for the
groups list page (no release lookup) the same number of times in the same run. Prints p50, p95
and max of both and the ratio of the p95s. Target (issue 8): p95 <= 100 ms for 500 schools.
The settings come from the environment, as for benchmarks/profile_request.py.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=REPO / "var", help="RAPOR_HOME")
    parser.add_argument("--groups", type=int, default=40)
    parser.add_argument("--size", type=int, default=500, help="schools per group")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    os.environ["RAPOR_HOME"] = str(args.home.resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapor.web.settings.demo")

    import django

    django.setup()
    from django.test import Client

    from rapor.web import release_data
    from rapor.web.accounts.models import Account
    from rapor.web.groups.models import ComparisonGroup

    data = release_data.current()
    rng = random.Random(args.seed)
    schools = [
        row["npsn"]
        for row in data._rows(
            "select npsn from schools where counts_in_region_values and bentuk = 'sd' order by npsn"
        )
    ]
    kabkota = [region.code for region in data.regions.values() if region.level == "kabkota"]
    account = Account.objects.create(
        email="bench.groups@dinas.belajar.id", name="Groups (benchmark)", role="pusat"
    )
    try:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(account)
        urls = []
        for number in range(args.groups):
            group = ComparisonGroup.objects.create(
                owner=account,
                name=f"Bench {number}",
                members="\n".join(rng.sample(schools, args.size)),
            )
            urls.append(f"/kelompok/{group.pk}/?subjek={rng.choice(kabkota)}&jenjang=dasar")
        client.get("/kelompok/", secure=True)  # templates and code loaded once
        group_ms = [timed(client, url) for url in urls]
        floor_ms = [timed(client, "/kelompok/") for _ in urls]
    finally:
        account.delete()
    report("group page", group_ms)
    report("floor: groups list", floor_ms)
    print(f"p95 ratio group / floor: {p95(group_ms) / p95(floor_ms):.1f}")


def timed(client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url, secure=True)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return elapsed


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def report(label: str, values: list[float]) -> None:
    print(
        f"{label}: n {len(values)}, p50 {statistics.median(values):.1f} ms,"
        f" p95 {p95(values):.1f} ms, max {max(values):.1f} ms"
    )


if __name__ == "__main__":
    main()
