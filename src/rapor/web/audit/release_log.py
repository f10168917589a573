"""Release activations and rollbacks, brought into the audit log from `logs/releases.log`.

`rapor releases activate|rollback`, `rapor build` and `rapor refresh` switch the active release
outside the web app, often without its database settings. So `rapor.releases` appends one JSON
line per switch to `$RAPOR_HOME/logs/releases.log` (an operator can read it with `cat`), and the
audit log imports the lines it has not seen whenever staff open it. Each switch is stored once,
whoever opens the log at the same time: a unique constraint on (action, release, time) lets a
second import skip what the first one added.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from pathlib import Path

from rapor import releases, settings
from rapor.web.audit.models import AuditEvent

log = logging.getLogger(__name__)
ACTIONS = {
    "activate": AuditEvent.Action.RELEASE_ACTIVATED,
    "rollback": AuditEvent.Action.RELEASE_ROLLED_BACK,
}


def import_release_log(home: Path | None = None) -> None:
    """Add the switches of the release log that are not in the audit log yet."""
    path = (home or settings.rapor_home()) / releases.SWITCH_LOG
    if not path.is_file():
        return
    newest = (
        AuditEvent.objects.filter(action__in=ACTIONS.values())
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    events = [
        event
        for event in map(_event, path.read_text(encoding="utf-8").splitlines())
        if event is not None and (newest is None or event.at >= newest)
    ]
    # The line at `newest` itself is in the table already: ignore_conflicts skips it.
    AuditEvent.objects.bulk_create(events, ignore_conflicts=True)


def _event(line: str) -> AuditEvent | None:
    try:
        switch = json.loads(line)
        return AuditEvent(
            at=datetime.fromisoformat(switch["at"]),
            action=ACTIONS[switch["event"]],
            target=switch["release_id"],
            detail={"replaced": switch["replaced"], "os_user": switch["user"]},
        )
    except (ValueError, KeyError, TypeError):
        # A line cut short by a full disk must not hide the others.
        log.warning("skipped an unreadable line of %s: %r", releases.SWITCH_LOG, line)
        return None
