"""`rapor`: the operator's command line (synthetic data, builds, releases)."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from rapor import releases, settings
from rapor.summary import summarize

if TYPE_CHECKING:
    from rapor.refresh import RefreshResult

EXIT_BUSY = 75  # EX_TEMPFAIL (sysexits.h): another run holds the lock, try again later


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s"
    )
    try:
        return args.handler(args)
    except Exception as error:  # one error path: a clear message, no traceback
        if getattr(args, "debug", False):
            raise
        print(f"rapor {args.command}: {error}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rapor", description=__doc__)
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    parser.add_argument("-v", "--verbose", action="store_true", help="log each pipeline step")
    commands = parser.add_subparsers(dest="command", required=True)

    synth = commands.add_parser("synth", help="generate synthetic raw inputs")
    synth.add_argument("--scale", choices=["small", "national"], default="national")
    synth.add_argument("--seed", type=int, default=20231)
    synth.add_argument("--years", default="2022-2024", help="first-last AN year, e.g. 2022-2024")
    synth.add_argument(
        "--inject-errors",
        type=int,
        default=0,
        metavar="N",
        help="add N invalid rows, to see validation at work",
    )
    synth.add_argument("--out", type=Path, help="raw folder (default: $RAPOR_HOME/raw)")
    synth.add_argument(
        "--next-month",
        action="store_true",
        help="instead of generating, correct the raw inputs as next month's delivery would "
        "(the replaced files are kept in <raw folder>-archive/)",
    )
    synth.set_defaults(handler=_synth)

    web = commands.add_parser(
        "web",
        help="the web app's Django commands: migrate, seed_demo_accounts, import_accounts, …",
        add_help=False,
    )
    web.add_argument("django_args", nargs=argparse.REMAINDER)
    web.set_defaults(handler=_web)

    build = commands.add_parser("build", help="build a release from the raw inputs")
    build.add_argument("--raw", type=Path, help="raw folder (default: $RAPOR_HOME/raw)")
    build.add_argument(
        "--max-reject-share",
        type=float,
        default=0.01,
        metavar="SHARE",
        help="fail when a source has more rejected rows than this share (default 0.01)",
    )
    build.add_argument("--no-activate", action="store_true", help="publish without activating")
    build.add_argument(
        "--engine",
        choices=["duckdb", "spark"],
        default="duckdb",
        help="run the pipeline in-process on DuckDB (default) or on Apache Spark (docs/spark.md)",
    )
    build.add_argument(
        "--spark-master",
        metavar="URL",
        help="with --engine spark: local[N], spark://HOST:7077, yarn, k8s://… "
        "(default: spark-submit's --master, else local[*])",
    )
    build.set_defaults(handler=_build)

    refresh = commands.add_parser(
        "refresh", help="the monthly job: build and activate a release when the inputs are new"
    )
    refresh.add_argument("--raw", type=Path, help="raw folder (default: $RAPOR_HOME/raw)")
    refresh.add_argument(
        "--keep",
        type=_keep_count,
        default=3,
        metavar="N",
        help="keep N releases (the active one, those rollback walks back to, then the newest) "
        "and delete the others (default 3)",
    )
    refresh.add_argument(
        "--max-reject-share",
        type=float,
        default=0.01,
        metavar="SHARE",
        help="fail when a source has more rejected rows than this share (default 0.01)",
    )
    refresh.set_defaults(handler=_refresh)

    listing = commands.add_parser("releases", help="list releases, or activate / roll back")
    actions = listing.add_subparsers(dest="action")
    activate = actions.add_parser("activate", help="make a release the active one")
    activate.add_argument("release_id")
    actions.add_parser("rollback", help="return to the previously active release")
    follow = actions.add_parser(
        "follow",
        help="on an app server: serve the release the build host has active (docs/deploy.md)",
    )
    follow.add_argument(
        "source", type=Path, help="the build host's RAPOR_HOME, as this server sees it"
    )
    listing.set_defaults(handler=_releases)

    summary = commands.add_parser("summary", help="summarise the active release")
    summary.set_defaults(handler=_summary)
    return parser


def _follow(source: Path) -> None:
    try:
        release = releases.follow(source)
    except releases.ReleaseError as error:  # the pointer arrived before the release
        message = f"{error}: not switched, try again after the next sync"
        raise releases.ReleaseError(message) from None
    if release is not None:
        print(f"Now serving {release.release_id}")


def _keep_count(text: str) -> int:
    count = int(text)
    if count < 2:
        raise argparse.ArgumentTypeError(
            "keep at least 2: the active release and one to roll back to"
        )
    return count


def _synth(args: argparse.Namespace) -> int:
    from rapor.synth import generate

    out = args.out or settings.raw_dir()
    if args.next_month:
        return _next_month(out, args.seed)
    first, _, last = args.years.partition("-")
    years = list(range(int(first), int(last or first) + 1))
    started = time.perf_counter()
    result = generate(
        out, scale=args.scale, seed=args.seed, years=years, inject_errors=args.inject_errors
    )
    print(
        f"Synthetic {args.scale} data for {years[0]}-{years[-1]} written to {out} "
        f"in {time.perf_counter() - started:.0f} s"
    )
    for table, rows in result["counts"].items():
        print(f"  {table:<22}{rows:>12,}")
    if result["injected"]:
        print(f"  with {len(result['injected'])} deliberately invalid rows")
    return 0


def _next_month(raw_dir: Path, seed: int) -> int:
    from rapor.synth.next_month import apply_next_month

    result = apply_next_month(raw_dir, seed=seed)
    print(
        f"Next month's corrections applied to {raw_dir}; replaced files kept in {result['archive']}"
    )
    corrected = [field for fields in result["schools"].values() for field in fields]
    for field in sorted(set(corrected)):
        print(f"  schools: {corrected.count(field)} corrected {field}")
    for change in result["enrolment"]:
        print(
            f"  bps_enrolment: {change['kabkota_code']} {change['year']} students "
            f"x {change['factor']} (double counts removed)"
        )
    print("Run `rapor refresh` to publish them.")
    return 0


def _web(args: argparse.Namespace) -> int:
    # The demo settings are the embedded default; production sets DJANGO_SETTINGS_MODULE.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapor.web.settings.demo")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["rapor web", *args.django_args])
    return 0


def _build(args: argparse.Namespace) -> int:
    from rapor.pipeline.build import BuildOptions, build

    options = BuildOptions(
        raw_dir=args.raw or settings.raw_dir(),
        max_reject_share=args.max_reject_share,
        activate=not args.no_activate,
        engine=args.engine,
        spark_master=args.spark_master,
    )
    started = time.perf_counter()
    result = build(options)
    print(
        f"Release {result.release.release_id} built in {time.perf_counter() - started:.0f} s: "
        f"{result.release.path}"
    )
    for item in result.quality:
        print(f"  {item.source:<22}{item.rows:>12,} rows, {item.rejected:,} rejected")
    print("  activated" if result.activated else "  not activated (rapor releases activate ID)")
    return 0


def _refresh(args: argparse.Namespace) -> int:
    from rapor.refresh import LOG_FILE, RefreshFailed, RefreshLocked, RefreshOptions, refresh

    options = RefreshOptions(
        raw_dir=args.raw or settings.raw_dir(),
        keep=args.keep,
        max_reject_share=args.max_reject_share,
    )
    try:
        result = refresh(options)
    except RefreshLocked as error:
        print(f"rapor refresh: refused: {error}", file=sys.stderr)
        return EXIT_BUSY
    except RefreshFailed as error:
        print(f"rapor refresh: failed: {error}", file=sys.stderr)
        print(f"  {_serving()}; details in {settings.rapor_home() / LOG_FILE}", file=sys.stderr)
        return 1
    _print_refreshed(result)
    return 0


def _print_refreshed(result: RefreshResult) -> None:
    from rapor.refresh import Outcome

    release = result.release
    if result.outcome == Outcome.NOTHING_NEW:
        print(f"Nothing new: the active release {release.release_id} has these raw inputs")
        return
    if result.outcome == Outcome.ROLLED_BACK:
        print(
            f"Not published again: release {release.release_id} has these raw inputs and was "
            "rolled back from; put new inputs in place, or `rapor releases activate "
            f"{release.release_id}`"
        )
        print(f"  {_serving()}")
        return
    how = "built and activated" if result.outcome == Outcome.BUILT else "(built earlier) activated"
    print(f"Refreshed: release {release.release_id} {how}, created {release.created_at}")
    print(f"  new inputs: {', '.join(result.changed_inputs)}")
    if result.pruned:
        print(f"  deleted releases no longer kept: {', '.join(result.pruned)}")


def _serving() -> str:
    active = releases.active_release()
    if active is None:
        return "no release is active"
    return f"the active release is {active.release_id} (created {active.created_at})"


def _releases(args: argparse.Namespace) -> int:
    if args.action == "activate":
        release = releases.activate(args.release_id)
        print(f"Active release: {release.release_id}")
    elif args.action == "rollback":
        release = releases.rollback()
        print(f"Rolled back; active release: {release.release_id}")
    elif args.action == "follow":
        _follow(args.source)
    else:
        active = releases.active_release()
        found = releases.list_releases()
        if not found:
            print(f"No releases in {settings.releases_dir()}")
        for release in found:
            marker = "*" if active and release.release_id == active.release_id else " "
            years = ", ".join(str(year) for year in release.manifest["years"])
            print(f"{marker} {release.release_id}  created {release.created_at}  years {years}")
    return 0


def _summary(args: argparse.Namespace) -> int:
    release = releases.active_release()
    if release is None:
        print("No active release: run `rapor build` first", file=sys.stderr)
        return 1
    print(summarize(release))
    return 0


if __name__ == "__main__":
    sys.exit(main())
