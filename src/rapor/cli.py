"""`rapor`: the operator's command line (synthetic data, builds, releases)."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

from rapor import releases, settings
from rapor.summary import summarize


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
    build.set_defaults(handler=_build)

    listing = commands.add_parser("releases", help="list releases, or activate / roll back")
    actions = listing.add_subparsers(dest="action")
    activate = actions.add_parser("activate", help="make a release the active one")
    activate.add_argument("release_id")
    actions.add_parser("rollback", help="return to the previously active release")
    listing.set_defaults(handler=_releases)

    summary = commands.add_parser("summary", help="summarise the active release")
    summary.set_defaults(handler=_summary)
    return parser


def _synth(args: argparse.Namespace) -> int:
    from rapor.synth import generate

    first, _, last = args.years.partition("-")
    years = list(range(int(first), int(last or first) + 1))
    out = args.out or settings.raw_dir()
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


def _releases(args: argparse.Namespace) -> int:
    if args.action == "activate":
        release = releases.activate(args.release_id)
        print(f"Active release: {release.release_id}")
    elif args.action == "rollback":
        release = releases.rollback()
        print(f"Rolled back; active release: {release.release_id}")
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
