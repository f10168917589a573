"""Instructions per dashboard request, counted by valgrind's callgrind: an A/B measure of the web
app's own cost that does not move with the machine's speed, where `benchmarks/web.py`'s
throughput does (its static-file floor moved 0.37-0.62 ms of server CPU between runs of the same
code, benchmarks/RESULTS.md). The same tree counts within 1 % run to run.

    .venv/bin/python benchmarks/web.py --home var --keep   # ends: "kept: /tmp/rapor-bench-web-…"
    .venv/bin/python benchmarks/instructions.py --run /tmp/rapor-bench-web-… [--base REV]

What it counts: one process replays, through the WSGI app, what the kept run's load users asked,
as the run's first pusat account (who may open every page): the warm-up and think-time phases'
URLs first, uncounted, which fill the caches as they filled the server's, then the first
`--requests` URLs of the saturation phase, counted (callgrind's instrumentation is switched on
around them only, by a small C helper built here from valgrind's `callgrind.h`). Like the run,
it starts with the shared content cache empty: each replay reads RAPOR_HOME's releases through a
folder of links with a cache folder of its own, so two replays never share one. Gunicorn's own
work, the kernel's and the load generator's are not counted.

With `--base REV`, the same replay of REV's code (checked out with `git worktree` in a temporary
folder) runs beside the working tree's, and the ratio of the two is printed: the change's cost.
Each replay takes about four minutes under valgrind for 2,000 requests; the two run in parallel.

Needs valgrind and a C compiler (both on the project's machines). Reads the kept run and
RAPOR_HOME; writes only in a temporary folder.
"""

from __future__ import annotations

import argparse
import ctypes
import io
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
HELPER_SOURCE = """
#include <valgrind/callgrind.h>
void counting_on(void) {
    CALLGRIND_ZERO_STATS; CALLGRIND_START_INSTRUMENTATION; CALLGRIND_TOGGLE_COLLECT;
}
void counting_off(void) {
    CALLGRIND_TOGGLE_COLLECT; CALLGRIND_DUMP_STATS_AT("replay"); CALLGRIND_STOP_INSTRUMENTATION;
}
"""
UNCOUNTED_PHASES = ("warmup", "pages")
COUNTED_PHASE = "saturated"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--run", type=Path, required=True, help="folder kept by web.py --keep")
    parser.add_argument("--home", type=Path, default=ROOT / "var", help="RAPOR_HOME of the run")
    parser.add_argument("--requests", type=int, default=2000, help="saturation URLs counted")
    parser.add_argument("--base", help="a git revision to count beside the working tree")
    parser.add_argument("--replay", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--helper", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.replay:
        replay(args.run, args.home.resolve(), args.requests, args.helper)
        return
    with tempfile.TemporaryDirectory(prefix="rapor-bench-instructions-") as scratch:
        work = Path(scratch)
        helper = build_helper(work)
        trees = {"working tree": ROOT / "src"}
        if args.base:
            checkout = work / "base"
            git("worktree", "add", "--detach", "--quiet", str(checkout), args.base)
            trees[f"base {args.base}"] = checkout / "src"
        try:
            counts = count_all(trees, args, helper, work)
        finally:
            if args.base:
                git("worktree", "remove", "--force", str(work / "base"))
    report(counts, args.requests)


def build_helper(work: Path) -> Path:
    source, library = work / "counting.c", work / "counting.so"
    source.write_text(HELPER_SOURCE, encoding="utf-8")
    subprocess.run(["cc", "-O2", "-shared", "-fPIC", "-o", library, source], check=True)
    return library


def git(*args: str) -> None:
    subprocess.run(["git", "-C", str(ROOT), *args], check=True)


def count_all(trees: dict[str, Path], args: argparse.Namespace, helper: Path, work: Path) -> dict:
    """Each tree's replay under callgrind, all at once (one core each); its instructions."""
    started = {}
    for number, (name, source) in enumerate(trees.items()):
        out = work / f"tree{number}"
        out.mkdir()
        home = linked_home(args.home.resolve(), out / "home")
        command = [
            *("valgrind", "--tool=callgrind", "--instr-atstart=no", "--collect-atstart=no"),
            f"--callgrind-out-file={out}/callgrind.%p",
            *(sys.executable, __file__, "--replay", "--run", str(args.run)),
            *("--home", str(home), "--requests", str(args.requests), "--helper", str(helper)),
        ]
        env = os.environ | {"PYTHONPATH": str(source)}
        with (out / "log").open("w") as log:  # the child keeps its own copy of the file
            started[name] = (subprocess.Popen(command, env=env, stdout=log, stderr=log), out)
    counts = {}
    for name, (process, out) in started.items():
        if process.wait() != 0:
            sys.exit(f"{name}: the replay failed:\n{(out / 'log').read_text()[-3000:]}")
        counts[name] = counted(out)
    return counts


def linked_home(home: Path, linked: Path) -> Path:
    """A RAPOR_HOME whose entries link to `home`'s, but for the shared cache (settings.base puts
    it in RAPOR_HOME/cache): the replay's own, empty."""
    linked.mkdir()
    for entry in home.iterdir():
        if entry.name != "cache":
            (linked / entry.name).symlink_to(entry)
    return linked


def counted(out: Path) -> int:
    """The instructions of the counted part: the dump the helper asked for."""
    totals = [
        int(match)
        for dump in out.glob("callgrind.*")
        for match in re.findall(r"^totals: (\d+)", dump.read_text(errors="replace"), re.M)
    ]
    if not totals or max(totals) == 0:
        sys.exit(f"no counted instructions in {out}")
    return max(totals)


def report(counts: dict[str, int], requests: int) -> None:
    print(f"instructions over {requests} saturation-phase requests (callgrind):")
    for name, count in counts.items():
        print(f"  {name:28} {count / 1e9:8.3f} G   {count / requests / 1e6:6.2f} M a request")
    if len(counts) == 2:
        ours, base = counts.values()
        print(f"working tree / base: {ours / base:.3f}")


def replay(run: Path, home: Path, requests: int, helper: Path) -> None:
    """Inside valgrind, with PYTHONPATH at the tree counted: the run's URLs through the app."""
    os.environ |= {
        "RAPOR_HOME": str(home),
        "DATABASE_URL": f"sqlite:///{run / 'app.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "rapor.web.settings.demo",
        "LOG_LEVEL": "WARNING",
    }
    from django.core.wsgi import get_wsgi_application

    app = get_wsgi_application()
    users = json.loads((run / "targets.json").read_text(encoding="utf-8"))["users"]
    session = next(user["session"] for user in users if user["role"] == "pusat")
    uncounted = [url for phase in UNCOUNTED_PHASES for url in phase_urls(run, phase)]
    counted_urls = phase_urls(run, COUNTED_PHASE)[:requests]
    for url in uncounted:
        request(app, url, session)
    counting = ctypes.CDLL(str(helper))
    counting.counting_on()
    failed = sum(request(app, url, session) != 200 for url in counted_urls)
    counting.counting_off()
    if failed:
        sys.exit(f"{failed} of the counted requests were not answered 200")


def phase_urls(run: Path, phase: str) -> list[str]:
    """The paths and queries the phase asked for, in order (a record ends with its URL)."""
    records = json.loads((run / f"locust-{phase}.json").read_text(encoding="utf-8"))["records"]
    return [urlsplit(record[-1])._replace(scheme="", netloc="").geturl() for record in records]


def request(app, url: str, session: str) -> int:
    """GET `url` as a browser with the account's session and a CSRF cookie; its status. The
    environ is made here, as gunicorn makes it, rather than by Django's test client, whose own
    work (its cookie jar, its handler's extras) would be counted with the app's."""
    path, _, query = url.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_COOKIE": f"sessionid={session}; csrftoken={'x' * 32}",
        "wsgi.input": io.BytesIO(),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    statuses = []
    body = app(environ, lambda status, headers, exc_info=None: statuses.append(status))
    for _chunk in body:
        pass
    body.close()
    return int(statuses[0].split()[0])


if __name__ == "__main__":
    main()
