"""Web benchmark: signed-in users over Beranda, indicator detail and school pages of the national
release, behind gunicorn, against the same server's static-file throughput as the floor.

    .venv/bin/python benchmarks/web.py [--users 50] [--duration 60] [--floor-duration 60]
        [--slices 3] [--keep]
    .venv/bin/python benchmarks/web.py --production [--users 200]

Targets on a 2-core machine (issue 3): p95 <= 50 ms, 0 errors, throughput >= 1/3 of the floor.
Issue 6 asks the same of the production configuration (`--production`): 0 errors, p95 <= 50 ms
at 50 users, and what 200 users give.

`--production` runs what `make serve-prod` runs: `rapor.web.settings.production` with a
throwaway PostgreSQL database on 127.0.0.1:5432 (created, then dropped), Redis on
127.0.0.1:6379 database 14 (emptied before and after) for the shared cache and sessions, and
gunicorn with `rapor.web.gunicorn_conf` (JSON access log: every request writes a log line, as in
production). Without it, the embedded demo configuration below.

What a run does, bounded and on 127.0.0.1 only:

1. Prepares its own app database (a temp SQLite file through DATABASE_URL; `rapor web migrate`)
   over the active release in RAPOR_HOME (default /work/main/var, not rebuilt, not modified except
   `rapor web collectstatic`, which writes STATIC_ROOT = $RAPOR_HOME/static as `make serve` does,
   and the embedded settings' shared cache $RAPOR_HOME/cache, emptied first: stop a `make serve`
   on the same RAPOR_HOME before). Reads the release's index files (~5 GB nationally) once, so
   the operating system holds them in memory as it does for a server that has run a while.
2. Imports one account per user with `rapor web import_accounts` (fixed seed; 4 % pusat, 16 %
   provinsi, 30 % kabkota, 50 % sekolah: 2/8/15/25 for 50 users) for random provinces, kab/kota
   and schools of the release, then signs each one in by creating its session with Django itself
   (`django.contrib.auth.login` on a session store, what the OIDC callback does after the
   provider's answer) and hands the session cookies to the load users.
   Why not POST /masuk/demo/: it only knows `demo.*` emails, it is rate-limited per client address
   (20/min by default, and every load user comes from 127.0.0.1), and it would measure the sign-in
   instead of the pages. The pages, the session middleware and the auth lookups on every request
   are the same either way.
3. Starts gunicorn (the production server) with `rapor.web.settings.demo` on a free port, with
   the workers the product runs: `rapor.web.gunicorn_conf`'s, one sync worker per core plus one
   (3 on 2 cores, as `make serve` runs). Each worker has its own DuckDB connection and its own
   copies of what it served last (content, page shells, lookups), beside the cache all of them
   share (a diskcache in $RAPOR_HOME/cache), so the worker count moves both the pages and the
   floor: on 2 cores, 2, 3 and 4 workers gave ratios of 0.19, 0.32 and 0.29 back to back
   (benchmarks/RESULTS.md, 2026-12-05). Compare with `--workers N` and `--worker-class gthread
   --threads N`.
4. Runs locust headless (`FastHttpUser`, a locustfile written by this script) in phases:
   warm-up (not counted: opens each worker's DuckDB connection and loads templates and the
   catalogue), then the pages with think time (`between(0.5, 2)` s: a real user reads a page
   before the next click), then two saturation phases with no think time: the static file
   /static/rapor/rapor.<hash>.css served by whitenoise (the floor) and the same page mix. The two
   take turns in `--slices` slices (floor, pages, floor, pages, ...; 3 of 20 s each by default),
   and each one's figures are over its slices together: a machine whose speed drifts within a
   run (benchmarks/RESULTS.md, 2026-12-06) then slows or speeds both alike, where one phase
   after the other gave the drift to whichever phase it fell in.
   Page mix per user: 40 % Beranda, 30 % indicator detail, 30 % school view, for random entities
   in the account's scope and random valid filters (jenjang, bentuk, status, tahun). Dinas
   accounts: Beranda of their region (pusat: the nation, a province or a kab/kota; provinsi: the
   province or one of its kab/kota), its indicator detail (sometimes sorted by value), any school
   in scope (a third of them a school's indicator page). Sekolah accounts: their school's page for
   Beranda and school view, its indicator pages for detail. Any response other than 200 counts as
   an error (redirects are not followed, so a lost session would show as 302s).
   Latency percentiles and throughput come from every request's own timing (a request hook in
   the locustfile), over the phase minus its first `RAMP_S` seconds; throughput counts 200s only
   (a cheap 302 or 404 must not raise it). Beside them: "repeat", the
   share of requests for a URL already asked in the phase (the app caches rendered content per
   worker, so this drives the hit rate), and the mean CPU cores used by the server, by locust and
   by anything else (other jobs on the machine: when "other" is not ~0 the figures are noisy).
5. Prints the figures and PASS/FAIL per target, then the server's CPU per static file and per
   page in the saturation phases, beside what a page could cost for 1/3 of the floor; exits 0
   unless the run itself failed.
6. Stops gunicorn and removes its temp folder (app DB, sessions, logs, locust files) unless --keep.

The load generator runs on the same machine and shares its cores with the server: it takes the
same share in the floor and in the page phases, so the ratio stays comparable, but the absolute
req/s are lower than on a dedicated server.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import platform
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = 20261125
RAMP_S = 2.0  # seconds at the start of each phase left out of the figures (users starting)
WARMUP_S = 10
P95_TARGET_MS = 50.0
FLOOR_RATIO_TARGET = 1 / 3
ROLE_SHARES = (("pusat", 0.04), ("provinsi", 0.16), ("kabkota", 0.30))  # the rest: sekolah

LOCUSTFILE = '''
"""Written by benchmarks/web.py: signed-in users over the dashboard pages, or the static floor."""

import itertools
import json
import os
import random
import resource
import time
from pathlib import Path

from locust import FastHttpUser, between, constant, events, task
from requests.cookies import create_cookie

TARGETS = json.loads(Path(os.environ["BENCH_TARGETS"]).read_text())
MODE = os.environ["BENCH_MODE"]  # think, saturate or static
RECORDS = []
NEXT_ACCOUNT = itertools.count()
random.seed(int(os.environ["BENCH_SEED"]))


CPU = []  # (time, CPU seconds of this process) when the load starts and stops


@events.test_start.add_listener
@events.test_stop.add_listener
def cpu(**kwargs):
    usage = resource.getrusage(resource.RUSAGE_SELF)
    CPU.append((time.time(), usage.ru_utime + usage.ru_stime))


@events.request.add_listener
def record(name, response_time, response=None, exception=None, url="", **kwargs):
    status = getattr(response, "status_code", None) or 0
    RECORDS.append((time.time(), name, response_time, status, exception is None, url))


@events.quitting.add_listener
def dump(**kwargs):
    Path(os.environ["BENCH_OUT"]).write_text(json.dumps({"records": RECORDS, "cpu": CPU}))


def level(code):
    return "nasional" if code == "ID" else "provinsi" if "." not in code else "kabkota"


class Visitor(FastHttpUser):
    wait_time = between(0.5, 2.0) if MODE == "think" else constant(0)

    def on_start(self):
        self.account = TARGETS["users"][next(NEXT_ACCOUNT) % len(TARGETS["users"])]
        cookie = create_cookie("sessionid", self.account["session"], domain="127.0.0.1")
        self.client.cookiejar.set_cookie(cookie)

    def get(self, path, name):
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code} {path}")

    @task(4)
    def beranda(self):
        if MODE == "static":
            return self.get(TARGETS["static"], "static")
        if self.account["role"] == "sekolah":
            return self.get(f"/sekolah/{self.account['npsn']}/", "sekolah")
        code = self.region()
        query = "" if random.random() < 0.2 else "?" + self.filters(level(code))[1]
        self.get(f"/wilayah/{code}/{query}", "wilayah")

    @task(3)
    def detail(self):
        if MODE == "static":
            return self.get(TARGETS["static"], "static")
        if self.account["role"] == "sekolah":
            return self.school_indicator(self.account["npsn"])
        code = self.region()
        jenjang, query = self.filters(level(code))
        indicator = random.choice(TARGETS["region_indicators"][f"{level(code)}|{jenjang}"])
        if random.random() < 0.25:
            query += "&urut=nilai&arah=turun"
        self.get(f"/wilayah/{code}/indikator/{indicator}/?{query}", "wilayah indikator")

    @task(3)
    def school(self):
        if MODE == "static":
            return self.get(TARGETS["static"], "static")
        if self.account["role"] == "sekolah":
            return self.get(f"/sekolah/{self.account['npsn']}/", "sekolah")
        kabkota = random.choice([k for k in self.kabkota() if k in TARGETS["schools_of"]])
        npsn = random.choice(TARGETS["schools_of"][kabkota])
        if random.random() < 1 / 3:
            return self.school_indicator(npsn)
        self.get(f"/sekolah/{npsn}/", "sekolah")

    def school_indicator(self, npsn):
        indicator = random.choice(TARGETS["school_indicators"])
        self.get(f"/sekolah/{npsn}/indikator/{indicator}/", "sekolah indikator")

    def region(self):
        """A region the account may open: pusat any level, provinsi its own or a kab/kota."""
        role, own = self.account["role"], self.account["region"]
        if role == "pusat":
            pick = random.choice(["ID", "provinsi", "kabkota"])
            if pick == "provinsi":
                return random.choice(TARGETS["provinces"])
            if pick == "kabkota":
                return random.choice(TARGETS["kabkota_of"][random.choice(TARGETS["provinces"])])
            return "ID"
        if role == "provinsi" and random.random() < 0.5:
            return random.choice(TARGETS["kabkota_of"][own])
        return own

    def kabkota(self):
        role, own = self.account["role"], self.account["region"]
        if role == "pusat":
            return TARGETS["kabkota_of"][random.choice(TARGETS["provinces"])]
        if role == "provinsi":
            return TARGETS["kabkota_of"][own]
        return [own]

    def filters(self, region_level):
        """A random valid filter combination: (jenjang, URL query)."""
        jenjang = random.choice(list(TARGETS["jenjang"]))
        bentuk = "semua" if random.random() < 0.5 else random.choice(TARGETS["jenjang"][jenjang])
        status = random.choice(TARGETS["statuses"])
        year = random.choice(TARGETS["years"])
        return jenjang, f"jenjang={jenjang}&bentuk={bentuk}&status={status}&tahun={year}"
'''


@dataclass
class Phase:
    name: str
    seconds: float
    requests: int
    throughput: float
    percentiles: dict[str, float]
    errors: int
    error_kinds: dict[str, int]
    by_name: dict[str, dict]
    repeated: float  # share of requests for a URL already asked earlier in the phase
    server_cpu: float  # cores busy in gunicorn (master and workers), mean over the window
    locust_cpu: float  # cores busy in the load generator
    other_cpu: float  # cores busy in anything else on the machine (other users' jobs: noise)


class CpuSampler:
    """Samples the server's and the whole machine's CPU seconds while a phase runs."""

    def __init__(self, server: subprocess.Popen) -> None:
        import psutil

        self.psutil = psutil
        self.master = psutil.Process(server.pid)
        self.samples: list[tuple[float, float, float]] = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def __enter__(self) -> CpuSampler:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self.thread.join()

    def run(self) -> None:
        while True:
            self.samples.append(self.sample())
            if self.stopping.wait(0.25):
                self.samples.append(self.sample())
                return

    def sample(self) -> tuple[float, float, float]:
        server = 0.0
        for process in [self.master, *self.master.children(recursive=True)]:
            try:
                times = process.cpu_times()
            except self.psutil.NoSuchProcess:
                continue
            server += times.user + times.system
        machine = self.psutil.cpu_times()
        # Busy in processes: not idle, and not the kernel's interrupt work (the loopback traffic
        # of the load itself, which no process is charged for).
        skip = ("idle", "iowait", "irq", "softirq", "guest", "guest_nice")
        busy = sum(getattr(machine, field) for field in machine._fields if field not in skip)
        return time.time(), server, busy

    def rates(self, start: float, end: float) -> tuple[float, float]:
        """Mean cores busy in the server and in the whole machine between two times."""
        inside = [s for s in self.samples if start <= s[0] <= end] or self.samples
        first, last = inside[0], inside[-1]
        span = max(last[0] - first[0], 1e-9)
        return (last[1] - first[1]) / span, (last[2] - first[2]) / span


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50, help="concurrent users (default 50)")
    parser.add_argument(
        "--duration", type=int, default=60, help="seconds of the think-time phase (default 60)"
    )
    parser.add_argument(
        "--floor-duration",
        type=int,
        # 20 s phases of one tree gave pages and floors up to 8 % and 16 % apart from run to run
        # on one machine, more than most changes measured (benchmarks/RESULTS.md, 2026-12-05).
        default=60,
        help="seconds of each saturation phase, static and pages (default 60)",
    )
    parser.add_argument(
        "--slices",
        type=int,
        default=3,
        help="slices each saturation phase is run in, floor and pages taking turns (default 3)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        help="gunicorn workers (default: rapor.web.gunicorn_conf's, cores + 1)",
    )
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=1, help="threads per gthread worker")
    parser.add_argument(
        "--home", type=Path, default=REPO / "var", help="RAPOR_HOME with the active release"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temp folder (DB, logs)")
    parser.add_argument(
        "--production",
        action="store_true",
        help="production settings on PostgreSQL and Redis with the gunicorn config module",
    )
    args = parser.parse_args()
    if args.users < 4:
        parser.error("--users must be at least 4 (one account per role)")
    if args.slices < 1 or args.floor_duration / args.slices < 10:
        parser.error("--slices must be at least 1, of at least 10 s each (--floor-duration)")
    if args.workers is None:
        args.workers = production_workers()

    work = Path(tempfile.mkdtemp(prefix="rapor-bench-web-"))
    env = os.environ | {
        "RAPOR_HOME": str(args.home.resolve()),
        "DATABASE_URL": f"sqlite:///{work / 'app.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "rapor.web.settings.demo",
        "LOG_LEVEL": "WARNING",
    }
    if args.production:
        env |= production_env()
    else:
        # The shared cache of the embedded settings: content of an earlier run would be hits.
        shutil.rmtree(args.home.resolve() / "cache", ignore_errors=True)
    server = None
    try:
        started = time.perf_counter()
        targets, accounts, facts = prepare(work, env, args.users)
        port = free_port()
        server = start_server(work, env, port, args)
        check_sign_in(port, targets)
        setup_s = time.perf_counter() - started
        host = f"http://127.0.0.1:{port}"
        run_locust(work, env, host, server, "saturate", args.users, WARMUP_S, "warmup")
        pages = run_locust(work, env, host, server, "think", args.users, args.duration, "pages")
        # The floor and the saturated pages take turns, slice by slice, so that the machine's
        # drift weighs on both alike instead of on whichever phase it fell in: one host's floor
        # moved 1,345-1,839 req/s between runs minutes apart, so it moves within a run too.
        floor, saturated = [], []
        seconds = args.floor_duration / args.slices
        for number in range(args.slices):
            floor.append(
                run_locust(
                    work, env, host, server, "static", args.users, seconds, f"floor-{number}"
                )
            )
            saturated.append(
                run_locust(
                    work, env, host, server, "saturate", args.users, seconds, f"saturated-{number}"
                )
            )
        phases = [
            summarize("pages", [pages]),
            summarize("floor", floor),
            summarize("saturated", saturated),
        ]
        for name, slices in (("floor", floor), ("saturated", saturated)):
            join_records(work, name, slices)
        report(args, facts, accounts, phases, setup_s, time.perf_counter() - started)
        if args.production:
            show_redis_use(env["REDIS_URL"])
        show_server_errors(work / "gunicorn.log")
    finally:
        if server is not None:
            stop_server(server)
        if args.production:
            drop_production_stores(env)
        if args.keep:
            print(f"kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


POSTGRES = "postgresql://postgres@127.0.0.1:5432"
BENCH_REDIS = "redis://127.0.0.1:6379/14"


def production_env() -> dict[str, str]:
    """The production settings' environment over a new PostgreSQL database and an empty Redis
    database; plain HTTP on 127.0.0.1 (no TLS in front of it here)."""
    import secrets

    import psycopg
    import redis

    database = f"rapor_bench_{os.getpid()}"
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(f'create database "{database}"')
    redis.Redis.from_url(BENCH_REDIS).flushdb()
    return {
        "DJANGO_SETTINGS_MODULE": "rapor.web.settings.production",
        "DATABASE_URL": f"{POSTGRES}/{database}",
        "REDIS_URL": BENCH_REDIS,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
    }


def production_workers() -> int:
    from rapor.web import gunicorn_conf

    return gunicorn_conf.workers


def show_redis_use(url: str) -> None:
    """What the sessions and the shared content cache hold in Redis after the run."""
    import redis

    client = redis.Redis.from_url(url)
    memory = client.info("memory")
    print(
        f"\nRedis after the run: {client.dbsize()} keys in this database; server memory "
        f"{memory['used_memory'] / 2**20:.1f} MiB used, dataset "
        f"{memory['used_memory_dataset'] / 2**20:.1f} MiB"
    )


def drop_production_stores(env: dict[str, str]) -> None:
    import psycopg
    import redis
    from django.db import connections

    connections.close_all()
    database = env["DATABASE_URL"].rsplit("/", 1)[1]
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(f'drop database if exists "{database}" with (force)')
    redis.Redis.from_url(env["REDIS_URL"]).flushdb()


def cpu_count() -> int:
    return len(os.sched_getaffinity(0))


def rapor_web(env: dict[str, str], *args: str) -> None:
    command = [sys.executable, "-m", "rapor.cli", "web", *args]
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"failed: rapor web {' '.join(args)}\n{result.stdout}{result.stderr}")


def prepare(work: Path, env: dict[str, str], users: int) -> tuple[dict, dict[str, int], dict]:
    """App DB, static files, accounts and their sessions; the targets file for the locustfile."""
    rapor_web(env, "migrate", "--noinput", "-v0")
    rapor_web(env, "collectstatic", "--noinput", "-v0")
    home = Path(env["RAPOR_HOME"])
    regions, schools, release_id, years = read_release(env)
    rng = random.Random(SEED)
    provinces = sorted(code for code, row in regions.items() if row["level"] == "provinsi")
    kabkota_of: dict[str, list[str]] = {code: [] for code in provinces}
    for code, row in sorted(regions.items()):
        if row["level"] == "kabkota":
            kabkota_of[row["parent"]].append(code)
    schools_of: dict[str, list[str]] = {}
    for npsn, kabkota in schools:
        schools_of.setdefault(kabkota, []).append(npsn)
    # Provinces whose schools the load can visit (all of them in a complete release).
    provinces = [code for code in provinces if any(k in schools_of for k in kabkota_of[code])]

    counts = {role: max(1, round(share * users)) for role, share in ROLE_SHARES}
    counts["provinsi"] = min(counts["provinsi"], len(provinces))
    counts["kabkota"] = min(counts["kabkota"], len(schools_of))
    counts["sekolah"] = users - sum(counts.values())
    rows = [
        account_row(f"bench.pusat{i + 1}@dinas.belajar.id", f"Analis Pusat {i + 1}", "pusat")
        for i in range(counts["pusat"])
    ]
    for code in rng.sample(provinces, counts["provinsi"]):
        name = f"Dinas Pendidikan {regions[code]['name']}"
        rows.append(account_row(f"bench.provinsi.{code}@dinas.belajar.id", name, "provinsi", code))
    all_kabkota = sorted(schools_of)
    for code in rng.sample(all_kabkota, counts["kabkota"]):
        name = f"Dinas Pendidikan {regions[code]['name']}"
        email = f"bench.kabkota.{code.replace('.', '')}@dinas.belajar.id"
        rows.append(account_row(email, name, "kabkota", code))
    for npsn, _ in rng.sample(schools, counts["sekolah"]):
        rows.append(
            account_row(
                f"bench.{npsn}@admin.belajar.id", f"Kepala sekolah {npsn}", "sekolah", "", npsn
            )
        )
    accounts_csv = work / "accounts.csv"
    with accounts_csv.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    rapor_web(env, "import_accounts", str(accounts_csv))

    static = static_path(home / "static", "rapor/rapor.css")
    targets = {
        "release": release_id,
        "static": static,
        "users": sign_in(env, [r["email"] for r in rows]),
        **catalogue_choices(years),
        "provinces": provinces,
        "kabkota_of": kabkota_of,
        "schools_of": schools_of,
    }
    (work / "targets.json").write_text(json.dumps(targets), encoding="utf-8")
    return targets, counts, {"release": release_id, "static": static, **server_facts()}


def account_row(email: str, name: str, role: str, region_code: str = "", npsn: str = "") -> dict:
    return {
        "email": email,
        "name": f"{name} (benchmark)",
        "role": role,
        "region_code": region_code,
        "npsn": npsn,
        "active": "1",
    }


def read_release(env: dict[str, str]) -> tuple[dict, list[tuple[str, str]], str, list[int]]:
    """The active release's regions and schools, read from its lookup index as the web does,
    after reading the index's files into the page cache (`read_into_memory`)."""
    os.environ["RAPOR_HOME"] = env["RAPOR_HOME"]
    import duckdb

    from rapor.release_index import index_path, lookups_path
    from rapor.releases import active_release

    release = active_release()
    if release is None:
        sys.exit(f"no active release in {env['RAPOR_HOME']}: run `make data` first")
    index = index_path(release)
    if not index.is_file():
        sys.exit(f"no lookup index {index}: activate the release first (`rapor build`)")
    read_into_memory([index, lookups_path(index)])
    con = duckdb.connect(str(index), read_only=True)
    try:
        regions = {
            code: {"name": name, "level": level, "parent": parent}
            for code, name, level, parent in con.execute(
                "select region_code, region_name, region_level, parent_code from regions"
            ).fetchall()
        }
        schools = con.execute("select npsn, kabkota_code from schools order by npsn").fetchall()
    finally:
        con.close()
    return regions, schools, release.release_id, list(release.manifest["years"])


def read_into_memory(files: list[Path]) -> None:
    """Reads `files` once, so that the operating system keeps them in its page cache, as it does
    for a server that has run a while: the load then measures the server, not the disk. On a
    host whose cache held 2.4 GB of the 5 GB index, the pages' random reads waited on the disk
    (50 % I/O wait), and replays of the same requests took 2.87-3.33 ms each against 2.51-2.54
    once the files had been read (benchmarks/RESULTS.md, 2026-12-06 from 05:49)."""
    for path in files:
        with path.open("rb") as file:
            while file.read(1 << 24):
                pass


def catalogue_choices(years: list[int]) -> dict:
    """Valid filter values and indicator codes per region level and jenjang, from the catalogue."""
    from rapor.catalogue import load_catalogue

    catalogue = load_catalogue()
    filters = catalogue.filters
    jenjang = {group.key: list(group.bentuk) for group in filters.jenjang}
    region_indicators = {
        f"{level}|{key}": [
            i.code for i in catalogue.indicators if level in i.levels and key in i.jenjang
        ]
        for level in ("nasional", "provinsi", "kabkota")
        for key in jenjang
    }
    return {
        "years": years,
        "jenjang": jenjang,
        "statuses": [filters.status_all.key, *(status.key for status in filters.status)],
        "region_indicators": region_indicators,
        "school_indicators": [i.code for i in catalogue.indicators if "sekolah" in i.levels],
    }


def static_path(static_root: Path, name: str) -> str:
    """The URL of a static file as pages link it (the hashed name from whitenoise's manifest)."""
    manifest = json.loads((static_root / "staticfiles.json").read_text(encoding="utf-8"))
    return "/static/" + manifest["paths"][name]


def sign_in(env: dict[str, str], emails: list[str]) -> list[dict]:
    """A session per account, made as a sign-in makes it; returns role, scope and session key."""
    os.environ.update(env)
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import login
    from django.db import connections
    from django.http import HttpRequest
    from django.utils.module_loading import import_string

    from rapor.web.accounts.models import Account

    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    users = []
    for account in Account.objects.filter(email__in=emails).order_by("email"):
        request = HttpRequest()
        request.session = store()
        login(request, account, backend=settings.AUTHENTICATION_BACKENDS[0])
        request.session.save()
        users.append(
            {
                "email": account.email,
                "role": account.role,
                "region": account.region_code,
                "npsn": account.npsn,
                "session": request.session.session_key,
            }
        )
    connections.close_all()
    random.Random(SEED).shuffle(users)  # locust users take them in order as they start
    return users


def server_facts() -> dict[str, str]:
    """What the server's figures depend on besides the code: its cache and session store."""
    from django.conf import settings

    commit = subprocess.run(
        ["git", "-C", str(REPO), "describe", "--always", "--dirty"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return {
        "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
        "sessions": settings.SESSION_ENGINE.rsplit(".", 1)[-1],
        "settings": os.environ["DJANGO_SETTINGS_MODULE"]
        + (
            ", app DB PostgreSQL" if "postgresql" in settings.DATABASES["default"]["ENGINE"] else ""
        ),
        "commit": commit or "unknown",
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(
    work: Path, env: dict[str, str], port: int, args: argparse.Namespace
) -> subprocess.Popen:
    config = ["-c", "python:rapor.web.gunicorn_conf"] if args.production else []
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        *config,
        "rapor.web.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(args.workers),
        "--worker-class",
        args.worker_class,
        "--threads",
        str(args.threads),
        "--timeout",
        "60",
    ]
    if not args.production:
        command += ["--log-level", "warning"]
    log = (work / "gunicorn.log").open("w")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited: see {work / 'gunicorn.log'} (use --keep)")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                if response.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    stop_server(server)
    sys.exit("gunicorn did not answer within 60 s")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def check_sign_in(port: int, targets: dict) -> None:
    """Fail fast when a session does not sign in: one page per role must answer 200."""
    opener = urllib.request.build_opener(NoRedirect)
    seen = set()
    for user in targets["users"]:
        if user["role"] in seen:
            continue
        seen.add(user["role"])
        path = (
            f"/sekolah/{user['npsn']}/"
            if user["role"] == "sekolah"
            else f"/wilayah/{user['region'] or 'ID'}/"
        )
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}{path}", headers={"Cookie": f"sessionid={user['session']}"}
        )
        try:
            with opener.open(request, timeout=60) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        if status != 200:
            sys.exit(f"sign-in check failed: {user['email']} GET {path} -> HTTP {status}")


@dataclass
class Run:
    """One locust run: its records (end time, page name, milliseconds, HTTP status, ok, URL),
    the load generator's CPU seconds when it started and stopped, and the server's CPU sampled
    meanwhile."""

    records: list
    cpu: list
    sampler: CpuSampler


def run_locust(
    work: Path,
    env: dict[str, str],
    host: str,
    server: subprocess.Popen,
    mode: str,
    users: int,
    seconds: float,
    name: str,
) -> Run:
    locustfile = work / "locustfile.py"
    locustfile.write_text(LOCUSTFILE, encoding="utf-8")
    out = work / f"locust-{name}.json"
    out.unlink(missing_ok=True)
    command = [
        *(sys.executable, "-m", "locust", "--locustfile", str(locustfile), "--headless"),
        *("--host", host, "--users", str(users), "--spawn-rate", str(users)),
        *("--run-time", f"{seconds:.0f}s", "--only-summary", "--loglevel", "WARNING"),
    ]
    locust_env = env | {
        "BENCH_TARGETS": str(work / "targets.json"),
        "BENCH_MODE": mode,
        "BENCH_OUT": str(out),
        # Each run its own random choices: slices of one phase must not repeat each other's URLs.
        "BENCH_SEED": str(SEED + zlib.crc32(name.encode())),
    }
    log = work / f"locust-{name}.log"
    with log.open("w") as log_file, CpuSampler(server) as sampler:
        # Exit code 1 only says that some request failed; the figures count those.
        subprocess.run(command, env=locust_env, stdout=log_file, stderr=subprocess.STDOUT)
    if not out.is_file():
        sys.exit(f"locust ({name}) wrote no results:\n{log.read_text(encoding='utf-8')[-3000:]}")
    result = json.loads(out.read_text(encoding="utf-8"))
    if not result["records"]:
        sys.exit(f"locust ({name}) made no requests:\n{log.read_text(encoding='utf-8')[-3000:]}")
    return Run(result["records"], result["cpu"], sampler)


def join_records(work: Path, name: str, runs: list[Run]) -> None:
    """`locust-<name>.json`: the records of a phase's slices in order (benchmarks/instructions.py
    replays them)."""
    records = [record for run in runs for record in run.records]
    (work / f"locust-{name}.json").write_text(json.dumps({"records": records}), encoding="utf-8")


def summarize(name: str, runs: list[Run]) -> Phase:
    """Figures over a phase's runs (its slices), each minus its first RAMP_S seconds; rates over
    the runs' windows together."""
    kept: list = []
    seconds = server_cpu = machine_cpu = locust_cpu = 0.0
    for run in runs:
        window_start = min(end - ms / 1000 for end, _, ms, *_ in run.records) + RAMP_S
        window_end = max(record[0] for record in run.records)
        kept += [record for record in run.records if record[0] >= window_start]
        span = window_end - window_start
        seconds += span
        server, machine = run.sampler.rates(window_start, window_end)
        (started, cpu_started), (stopped, cpu_stopped) = run.cpu[0], run.cpu[-1]
        server_cpu += server * span
        machine_cpu += machine * span
        locust_cpu += (cpu_stopped - cpu_started) / max(stopped - started, 1e-9) * span
    errors = [record for record in kept if not record[4]]
    kinds: dict[str, int] = {}
    for _, page, _, status, _, _ in errors:
        key = f"{page}: HTTP {status or 'no response'}"
        kinds[key] = kinds.get(key, 0) + 1
    by_name = {}
    for page in sorted({record[1] for record in kept}):
        rows = [record for record in kept if record[1] == page]
        by_name[page] = {
            "requests": len(rows),
            "errors": sum(1 for record in rows if not record[4]),
            **percentiles([record[2] for record in rows]),
        }
    return Phase(
        name=name,
        seconds=seconds,
        requests=len(kept),
        throughput=(len(kept) - len(errors)) / seconds,  # answered pages only, not errors
        percentiles=percentiles([record[2] for record in kept]),
        errors=len(errors),
        error_kinds=kinds,
        by_name=by_name,
        repeated=1 - len({record[5] for record in kept}) / len(kept),
        server_cpu=server_cpu / seconds,
        locust_cpu=locust_cpu / seconds,
        other_cpu=max((machine_cpu - server_cpu - locust_cpu) / seconds, 0.0),
    )


def percentiles(times: list[float]) -> dict[str, float]:
    if len(times) < 2:
        value = times[0] if times else float("nan")
        return {"p50": value, "p95": value, "p99": value, "max": value}
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    return {"p50": cuts[49], "p95": cuts[94], "p99": cuts[98], "max": max(times)}


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem_kib = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        memory = f", {mem_kib / 2**20:.0f} GiB"
    except (OSError, StopIteration):
        memory = ""
    return (
        f"{platform.machine()}, nproc {cpu_count()} ({model}){memory}, "
        f"Python {platform.python_version()}"
    )


def versions() -> str:
    from importlib.metadata import version

    return ", ".join(
        f"{package} {version(package)}" for package in ("Django", "gunicorn", "locust", "duckdb")
    )


def report(
    args: argparse.Namespace,
    facts: dict,
    accounts: dict[str, int],
    phases: list[Phase],
    setup_s: float,
    total_s: float,
) -> None:
    pages, floor, saturated = phases
    workers = f"{args.workers} {args.worker_class} workers" + (
        f" x {args.threads} threads" if args.worker_class == "gthread" else ""
    )
    now = datetime.datetime.now(datetime.UTC)
    print(f"date: {now:%Y-%m-%d %H:%M} UTC")
    print(f"machine: {machine()}")
    print(f"software: {versions()}, git {facts['commit']}")
    print(f"release: {facts['release']} (RAPOR_HOME {args.home.resolve()})")
    print(
        f"server: gunicorn rapor.web.wsgi:application on 127.0.0.1, {workers}, "
        f"{facts['settings']}, cache {facts['cache']}, sessions {facts['sessions']}"
    )
    print(
        f"load: locust FastHttpUser, {args.users} users "
        f"({', '.join(f'{n} {role}' for role, n in accounts.items())}), one account each, "
        "on the same machine: the load generator shares the cores with the server"
    )
    print(
        f"phases: warm-up {WARMUP_S} s (not counted); pages with think time 0.5-2 s, "
        f"{args.duration} s; static floor and pages without think time, {args.floor_duration} s "
        f"each, in {args.slices} slices taking turns; the first {RAMP_S:.0f} s of each phase "
        "and slice not counted"
    )
    print(f"setup {setup_s:.0f} s, total {total_s:.0f} s")
    print()
    header = (
        f"{'phase':<36} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
        f"{'max ms':>7} {'errors':>6} {'repeat':>6}  CPU cores: server locust other"
    )
    print(header)
    labels = {
        "pages": "pages, think time 0.5-2 s",
        "floor": f"floor: {Path(facts['static']).name}",
        "saturated": "pages, no think time (saturation)",
    }
    for phase in phases:
        print(phase_line(labels[phase.name], phase))
    for phase in (pages, saturated):
        print(f"\nper page, {labels[phase.name]}:")
        for page, figures in phase.by_name.items():
            print(
                f"  {page:<34} {figures['requests']:>8} {'':>7} {figures['p50']:>7.1f} "
                f"{figures['p95']:>7.1f} {figures['p99']:>7.1f} {figures['max']:>7.1f} "
                f"{figures['errors']:>6}"
            )
    for phase in phases:
        for kind, count in sorted(phase.error_kinds.items()):
            print(f"errors in {phase.name}: {count} x {kind}")
    ratio = saturated.throughput / floor.throughput
    errors = sum(phase.errors for phase in phases)
    p95 = pages.percentiles["p95"]
    print("\ntargets (issues 3 and 6, 2 cores):")
    print(verdict(f"p95 <= {P95_TARGET_MS:.0f} ms", f"{p95:.1f} ms", p95 <= P95_TARGET_MS))
    print(verdict("0 errors", f"{errors} (all counted phases)", errors == 0))
    print(
        verdict(
            "throughput >= 1/3 of the floor",
            f"{saturated.throughput:.0f} / {floor.throughput:.0f} req/s = {ratio:.3f}",
            ratio >= FLOOR_RATIO_TARGET,
        )
    )
    # Where the ratio comes from: the server's CPU per request in each saturation phase, and
    # what a page could cost for 1/3 of the floor with the cores the pages phase had.
    per_static = 1000 * floor.server_cpu / floor.throughput
    per_page = 1000 * saturated.server_cpu / saturated.throughput
    needed = 1000 * saturated.server_cpu / (floor.throughput * FLOOR_RATIO_TARGET)
    print(
        f"\nserver CPU per request: static file {per_static:.2f} ms, page {per_page:.2f} ms"
        f" (1/3 of the floor needs <= {needed:.2f} ms per page)"
    )
    if any(phase.other_cpu > 0.2 for phase in phases):
        print("note: other processes used CPU during the run (column 'other'): figures are noisy")


def phase_line(label: str, phase: Phase) -> str:
    p = phase.percentiles
    return (
        f"{label:<36} {phase.requests:>8} {phase.throughput:>7.1f} {p['p50']:>7.1f} "
        f"{p['p95']:>7.1f} {p['p99']:>7.1f} {p['max']:>7.1f} {phase.errors:>6} "
        f"{phase.repeated:>6.0%}  {phase.server_cpu:>16.2f} {phase.locust_cpu:>6.2f} "
        f"{phase.other_cpu:>5.2f}"
    )


def verdict(target: str, value: str, ok: bool) -> str:
    return f"  {'PASS' if ok else 'FAIL'}  {target:<32} {value}"


def show_server_errors(log: Path) -> None:
    """The server's own log: tracebacks of 500s and worker trouble, if any (not the access log
    and start-up lines the production configuration writes as JSON at level INFO)."""
    text = log.read_text(encoding="utf-8", errors="replace") if log.is_file() else ""
    lines = [line for line in text.splitlines() if line.strip() and '"level": "INFO"' not in line]
    if lines:
        print(f"\ngunicorn log ({len(lines)} lines, first 60):")
        print("\n".join(lines[:60]))


if __name__ == "__main__":
    main()
