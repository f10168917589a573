"""`rapor refresh`, the monthly job: what an operator sees when it succeeds, fails, is killed, runs
twice or overlaps another run, and which releases it keeps."""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from rapor import releases
from rapor.cli import EXIT_BUSY, main
from rapor.release_index import index_path
from rapor.synth import generate
from rapor.synth.next_month import apply_next_month


@pytest.fixture(scope="module")
def small_raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("raw-small")
    generate(folder, scale="small", years=(2022, 2023))
    return folder


@pytest.fixture
def raw(home: Path, small_raw: Path) -> Path:
    """This month's raw inputs, in the test's RAPOR_HOME where the refresh looks for them."""
    return Path(shutil.copytree(small_raw, home / "raw"))


def refresh_log(home: Path) -> str:
    return (home / "logs" / "refresh.log").read_text(encoding="utf-8")


def release_ids(home: Path) -> list[str]:
    return [release.release_id for release in releases.list_releases(home)]


def participation(release: releases.Release, kabkota_code: str) -> dict[tuple, float]:
    """A kab/kota's APK/APS/APM values by (year, jenjang, indicator)."""
    values = pl.read_parquet(release.path / "indicator_values.parquet").filter(
        (pl.col("entity_type") == "kabkota")
        & (pl.col("entity_code") == kabkota_code)
        & pl.col("indicator").str.contains("^AP[KSM]-")
    )
    return {
        (row["year"], row["jenjang"], row["indicator"]): row["value"]
        for row in values.iter_rows(named=True)
    }


def test_refresh_publishes_next_months_corrections(home, raw, capsys):
    """After next month's delivery, the refresh activates a newer release with the corrections."""
    assert main(["refresh"]) == 0
    first = releases.active_release(home)
    corrections = apply_next_month(raw)
    capsys.readouterr()

    assert main(["refresh"]) == 0
    second = releases.active_release(home)
    output = capsys.readouterr().out
    assert f"Refreshed: release {second.release_id} built and activated" in output
    assert "new inputs: schools, bps_enrolment\n" in output
    assert second.created_at > first.created_at  # "Terakhir diperbarui" moves on
    assert release_ids(home) == [first.release_id, second.release_id]

    npsn = next(npsn for npsn, fields in corrections["schools"].items() if "address" in fields)
    addresses = [
        pl.read_parquet(release.path / "schools.parquet").filter(pl.col("npsn") == npsn)["address"]
        for release in (first, second)
    ]
    assert addresses[0].to_list() != addresses[1].to_list()
    corrected = corrections["enrolment"][0]["kabkota_code"]
    before, after = participation(first, corrected), participation(second, corrected)
    assert before.keys() == after.keys()
    assert any(before[key] != after[key] for key in before)
    corrected_codes = {change["kabkota_code"] for change in corrections["enrolment"]}
    kabkota_codes = pl.read_parquet(first.path / "schools.parquet")["kabkota_code"].unique()
    untouched = next(code for code in sorted(kabkota_codes) if code not in corrected_codes)
    assert participation(first, untouched) == participation(second, untouched) != {}


def test_next_month_keeps_the_replaced_raw_files(home, raw):
    """The delivery's previous files stay in raw-archive/, byte for byte what the release used."""
    assert main(["refresh"]) == 0
    active = releases.active_release(home)
    corrections = apply_next_month(raw)

    archive = corrections["archive"]
    assert archive.parent == home / "raw-archive"
    assert sorted(path.name for path in archive.iterdir()) == [
        "bps_enrolment.parquet",
        "schools.parquet",
    ]
    for path in archive.iterdir():
        source = path.name.removesuffix(".parquet")
        archived = hashlib.sha256(path.read_bytes()).hexdigest()
        current = hashlib.sha256((raw / path.name).read_bytes()).hexdigest()
        assert archived == active.manifest["inputs"][source]["sha256"] != current


def test_a_second_run_on_the_same_inputs_builds_nothing(home, raw, capsys):
    """Run twice on one delivery: the second says "nothing new", exits 0 and adds no release."""
    assert main(["refresh"]) == 0
    active = releases.active_release(home)
    capsys.readouterr()

    assert main(["refresh"]) == 0
    assert capsys.readouterr().out.startswith(
        f"Nothing new: the active release {active.release_id} has these raw inputs"
    )
    assert release_ids(home) == [active.release_id]
    assert releases.active_release(home) == active
    assert f"nothing new: the active release {active.release_id}" in refresh_log(home)


def test_corrupted_input_keeps_the_live_release_and_mails_the_reason(home, raw):
    """A raw file that cannot be read: exit 1, the old release stays, the staff get the reason."""
    env = os.environ | {
        "RAPOR_HOME": str(home),
        "RAPOR_ADMINS": "ops@example.org, data@example.org",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
    }
    command = [sys.executable, "-m", "rapor.cli", "refresh"]
    subprocess.run(command, env=env, check=True, capture_output=True)
    live = releases.active_release(home)
    (raw / "schools.parquet").write_bytes(b"PAR1 half a file")

    failed = subprocess.run(command, env=env, capture_output=True, text=True)

    assert failed.returncode == 1
    reason = f"{raw / 'schools.parquet'}: cannot be read"
    assert f"rapor refresh: failed: {reason}" in failed.stderr
    assert f"the active release is {live.release_id}" in failed.stderr
    assert releases.active_release(home) == live
    assert release_ids(home) == [live.release_id]
    (mail,) = (home / "mail").iterdir()
    message = mail.read_text(encoding="utf-8")
    assert "To: ops@example.org, data@example.org" in message
    assert "Subject: Rapor: monthly refresh failed" in message
    assert f"Reason: {reason}" in message
    assert f"Release {live.release_id} (created {live.created_at}) is still the active one" in (
        message
    )
    assert f"ERROR refresh failed: {reason}" in refresh_log(home)


def test_too_many_rejects_keep_the_live_release_and_mail_the_reason(
    home, raw, settings, mailoutbox, capsys
):
    """A delivery with 5 % unknown kab/kota codes is not published; the mail says why."""
    settings.ADMINS = [("ops@example.org", "ops@example.org")]
    assert main(["refresh"]) == 0
    live = releases.active_release(home)
    schools = pq.read_table(raw / "schools.parquet")
    codes = schools["kabkota_code"].to_pylist()
    codes[::20] = ["99.99"] * len(codes[::20])
    column = schools.schema.get_field_index("kabkota_code")
    pq.write_table(
        schools.set_column(column, "kabkota_code", pa.array(codes)), raw / "schools.parquet"
    )
    capsys.readouterr()

    assert main(["refresh"]) == 1

    assert "rejected" in capsys.readouterr().err
    assert releases.active_release(home) == live
    assert release_ids(home) == [live.release_id]
    (mail,) = mailoutbox
    assert mail.to == ["ops@example.org"]
    assert "schools: 93 of 1848 rows rejected" in mail.body
    assert "unknown kabkota_code 99.99" in mail.body
    assert "staff notified: ops@example.org" in refresh_log(home)


def test_a_failure_with_nobody_to_mail_says_so_in_the_log(home, raw, settings, mailoutbox):
    """Without RAPOR_ADMINS the failure is still logged, with a note that nobody was told."""
    settings.ADMINS = []
    (raw / "an_teachers.parquet").unlink()

    assert main(["refresh"]) == 1

    assert not mailoutbox
    log = refresh_log(home)
    assert "ERROR refresh failed:" in log and "missing input an_teachers.parquet" in log
    assert "nobody notified: set RAPOR_ADMINS" in log


def test_killed_refresh_leaves_the_live_release_and_the_next_one_succeeds(home, raw):
    """SIGKILL in the middle of the build: the old release stays; the next refresh publishes."""
    assert main(["refresh"]) == 0
    live = releases.active_release(home)
    apply_next_month(raw)
    env = os.environ | {"RAPOR_HOME": str(home)}
    running = subprocess.Popen(
        [sys.executable, "-m", "rapor.cli", "refresh"], env=env, stdout=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 30
    while not list((home / "releases").glob(".building-*")):
        assert running.poll() is None and time.monotonic() < deadline, "refresh ended too soon"
        time.sleep(0.01)
    time.sleep(0.3)  # let it get into the computation
    running.send_signal(signal.SIGKILL)
    running.wait()

    assert releases.active_release(home) == live
    assert release_ids(home) == [live.release_id]
    assert main(["refresh"]) == 0
    assert releases.active_release(home).release_id > live.release_id
    assert not list((home / "releases").glob(".building-*"))


@pytest.mark.parametrize("held", ["refresh.lock", "build.lock"])
def test_a_refresh_while_another_run_holds_the_lock_is_refused(home, raw, capsys, held):
    """While another refresh or a build runs, a refresh exits 75 at once and changes nothing."""
    assert main(["refresh"]) == 0
    live = releases.active_release(home)
    apply_next_month(raw)
    capsys.readouterr()

    with (home / held).open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # as the other process does
        assert main(["refresh"]) == EXIT_BUSY

    assert f"rapor refresh: refused: another {held.split('.')[0]} is running" in (
        capsys.readouterr().err
    )
    assert release_ids(home) == [live.release_id]
    assert "WARNING refused: another" in refresh_log(home)
    assert main(["refresh"]) == 0  # the lock is free again: the delivery goes out


def test_pruning_keeps_the_last_n_and_rollback_still_walks_back(home, raw, capsys):
    """With --keep 3 the fourth month deletes the first release and its index; rollback works."""
    built = []
    for month in range(4):
        if month:
            apply_next_month(raw)
        assert main(["refresh", "--keep", "3"]) == 0
        built.append(releases.active_release(home))
    first, second, third, fourth = built

    assert f"deleted releases no longer kept: {first.release_id}" in capsys.readouterr().out
    assert release_ids(home) == [second.release_id, third.release_id, fourth.release_id]
    assert not index_path(first, home).exists()
    assert index_path(fourth, home).exists()
    assert releases.rollback(home).release_id == third.release_id
    assert releases.rollback(home).release_id == second.release_id
    with pytest.raises(releases.ReleaseError, match="no earlier active release"):
        releases.rollback(home)


def test_rolled_back_inputs_are_not_published_again_and_pruned_first(home, raw, capsys):
    """After a rollback the same delivery stays unpublished, and is the first release pruned."""
    assert main(["refresh"]) == 0
    good = releases.active_release(home)
    apply_next_month(raw)
    assert main(["refresh"]) == 0
    bad = releases.active_release(home)
    assert releases.rollback(home) == good
    capsys.readouterr()

    assert main(["refresh"]) == 0
    assert capsys.readouterr().out.startswith(f"Not published again: release {bad.release_id}")
    assert releases.active_release(home) == good
    assert release_ids(home) == [good.release_id, bad.release_id]

    apply_next_month(raw)
    assert main(["refresh", "--keep", "2"]) == 0
    fixed = releases.active_release(home)
    assert release_ids(home) == [good.release_id, fixed.release_id]
    assert releases.rollback(home) == good


def test_a_release_built_from_the_inputs_but_never_activated_is_activated(home, raw, capsys):
    """Inputs already built (a refresh killed while activating, or --no-activate) go live as is."""
    assert main(["refresh"]) == 0
    apply_next_month(raw)
    assert main(["build", "--no-activate"]) == 0
    waiting = releases.list_releases(home)[-1]
    capsys.readouterr()

    assert main(["refresh"]) == 0

    assert f"release {waiting.release_id} (built earlier) activated" in capsys.readouterr().out
    assert releases.active_release(home) == waiting
    assert len(release_ids(home)) == 2


def test_keep_must_leave_a_release_to_roll_back_to(home, capsys):
    """--keep 1 is refused: the active release alone leaves nothing to roll back to."""
    with pytest.raises(SystemExit) as exit_info:
        main(["refresh", "--keep", "1"])
    assert exit_info.value.code == 2
    assert "keep at least 2" in capsys.readouterr().err
