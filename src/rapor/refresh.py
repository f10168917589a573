"""`rapor refresh`: the monthly job. Build a release from the raw inputs and make it the active one,
then delete the releases no longer kept; when anything fails, the live release stays, the reason
goes to `RAPOR_HOME/logs/refresh.log` and the staff (`RAPOR_ADMINS`) get an email.

Safe to run twice: a run that overlaps another is refused, and a run on inputs the active release
was built from (same sha256 of every input, same catalogue) builds nothing. Inputs built into a
release that never went live (a refresh killed while activating, `rapor build --no-activate`) make
that release the active one; inputs of a release rolled back from are not published again.
"""

from __future__ import annotations

import fcntl
import logging
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from rapor import releases, settings
from rapor.catalogue import load_catalogue
from rapor.pipeline.build import BuildLocked, BuildOptions, build
from rapor.pipeline.ingest import input_checksums

LOG_FILE = Path("logs") / "refresh.log"

log = logging.getLogger(__name__)
# Every run is recorded in the operator's log file, whatever level the command line logs at; the
# command line prints the outcome itself, so the records do not go to its stderr as well.
log.setLevel(logging.INFO)
log.propagate = False


class RefreshLocked(Exception):
    """Another refresh or build is running in this RAPOR_HOME."""


class RefreshFailed(Exception):
    """The refresh failed and published nothing new; the message names the reason."""


@dataclass(frozen=True)
class RefreshOptions:
    raw_dir: Path
    keep: int = 3
    max_reject_share: float = 0.01


class Outcome(StrEnum):
    BUILT = "built"  # new inputs: a release was built from them and activated
    ACTIVATED = "activated"  # built into a release that never went live: activated now
    NOTHING_NEW = "nothing new"  # the active release was built from these inputs
    ROLLED_BACK = "rolled back"  # built into a release rolled back from: not published again


@dataclass(frozen=True)
class RefreshResult:
    outcome: Outcome
    release: releases.Release  # the release activated, or the one built from these inputs
    changed_inputs: list[str] = field(default_factory=list)  # differ from the last active one
    pruned: list[str] = field(default_factory=list)


def refresh(options: RefreshOptions, home: Path | None = None) -> RefreshResult:
    """Publish the raw inputs as the active release unless they were built already; then keep
    `options.keep` releases and delete the others (`releases.prune`).

    Raises RefreshLocked when another refresh or build is running, and RefreshFailed (after
    logging and mailing the reason) when the inputs cannot be built or activated.
    """
    home = home or settings.rapor_home()
    with _log_file(home), _refresh_lock(home):
        log.info("refresh started: raw inputs in %s", options.raw_dir)
        try:
            return _refresh(options, home)
        except BuildLocked as error:
            log.warning("refused: %s", error)
            raise RefreshLocked(str(error)) from error
        except Exception as error:
            reason = str(error) or type(error).__name__
            log.exception("refresh failed: %s", reason)
            _notify_failure(reason, options, home)
            raise RefreshFailed(reason) from error


def _refresh(options: RefreshOptions, home: Path) -> RefreshResult:
    fingerprint = _raw_fingerprint(options.raw_dir)
    before = releases.active_release(home)
    if before and _fingerprint(before) == fingerprint:
        log.info("nothing new: the active release %s has these inputs", before.release_id)
        return RefreshResult(Outcome.NOTHING_NEW, before)
    earlier = _built_earlier(fingerprint, home)
    if earlier and earlier.release_id in releases.rolled_back(home):
        log.warning(
            "not published again: release %s has these inputs and was rolled back from",
            earlier.release_id,
        )
        return RefreshResult(Outcome.ROLLED_BACK, earlier)

    if earlier:
        outcome, release = Outcome.ACTIVATED, releases.activate(earlier.release_id, home)
    else:
        outcome, release = Outcome.BUILT, _build(options, home)
    last = _fingerprint(before) if before else {}
    changed = [name for name, checksum in fingerprint.items() if last.get(name) != checksum]
    log.info(
        "release %s activated (built %s; was %s); new inputs: %s",
        release.release_id,
        "now" if outcome == Outcome.BUILT else "earlier",
        before.release_id if before else "none",
        ", ".join(changed),
    )
    pruned = releases.prune(options.keep, home)
    if pruned:
        log.info("deleted releases no longer kept: %s", ", ".join(pruned))
    return RefreshResult(outcome, release, changed_inputs=changed, pruned=pruned)


def _build(options: RefreshOptions, home: Path) -> releases.Release:
    build_options = BuildOptions(raw_dir=options.raw_dir, max_reject_share=options.max_reject_share)
    return build(build_options, home=home).release


def _raw_fingerprint(raw_dir: Path) -> dict[str, str]:
    """What a build from `raw_dir` would be made of: each input's sha256 and the catalogue's."""
    return input_checksums(raw_dir) | {"catalogue": load_catalogue().checksum}


def _fingerprint(release: releases.Release) -> dict[str, str]:
    """The same, as the release's manifest records it."""
    inputs = release.manifest["inputs"]
    checksums = {source: facts["sha256"] for source, facts in inputs.items()}
    return checksums | {"catalogue": release.manifest["catalogue"]["checksum"]}


def _built_earlier(fingerprint: dict[str, str], home: Path) -> releases.Release | None:
    """The newest release built from these inputs, if any."""
    built = [
        release for release in releases.list_releases(home) if _fingerprint(release) == fingerprint
    ]
    return built[-1] if built else None


def _notify_failure(reason: str, options: RefreshOptions, home: Path) -> None:
    """Mail the reason to the staff; a mail that cannot be sent is logged, never raised."""
    active = releases.active_release(home)
    live = (
        f"Release {active.release_id} (created {active.created_at}) is still the active one."
        if active
        else "There is no active release yet."
    )
    subject = f"Rapor: monthly refresh failed on {socket.gethostname()}"
    body = (
        f"The refresh of {datetime.now(UTC):%Y-%m-%d %H:%M} UTC published nothing new.\n\n"
        f"Reason: {reason}\n\n"
        f"{live}\n\n"
        f"Raw inputs: {options.raw_dir}\n"
        f"Log: {home / LOG_FILE}\n"
        "Fix the inputs and run `rapor refresh` again.\n"
    )
    try:
        recipients = _mail_staff(subject, body)
    except Exception as error:  # the failure is in the log already; a mail server down adds to it
        log.error("could not mail the staff: %s", error)
        return
    if recipients:
        log.info("staff notified: %s", ", ".join(recipients))
    else:
        log.warning("nobody notified: set RAPOR_ADMINS to the staff's email addresses")


def _mail_staff(subject: str, body: str) -> list[str]:
    # The web app's email settings: whatever reaches the staff from the site reaches them from here.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapor.web.settings.demo")
    from django.conf import settings as web_settings
    from django.core.mail import send_mail

    recipients = [email for _, email in web_settings.ADMINS]
    if recipients:
        send_mail(subject, body, web_settings.DEFAULT_FROM_EMAIL, recipients)
    return recipients


@contextmanager
def _refresh_lock(home: Path) -> Iterator[None]:
    # Held for the whole run, from comparing inputs to pruning; the kernel drops it if killed.
    home.mkdir(parents=True, exist_ok=True)
    with (home / "refresh.lock").open("w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            log.warning("refused: another refresh is running (refresh.lock is held)")
            raise RefreshLocked(
                f"another refresh is running in {home} (refresh.lock is held)"
            ) from error
        yield


@contextmanager
def _log_file(home: Path) -> Iterator[None]:
    """Append this run's records to the operator's log file (UTC timestamps)."""
    path = home / LOG_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%Y-%m-%dT%H:%M:%SZ")
    formatter.converter = time.gmtime
    handler.setFormatter(formatter)
    log.addHandler(handler)
    try:
        yield
    finally:
        log.removeHandler(handler)
        handler.close()
