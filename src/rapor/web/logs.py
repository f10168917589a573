"""Structured logs: one JSON object per line, for Django's loggers and gunicorn's alike.

Every line has `time` (UTC, ISO 8601), `level`, `logger`, `message` and `pid` (which worker).
Django's request loggers add `status`, `method` and `path`; gunicorn's access log adds the
request's `method`, `path`, `query`, `status`, `duration_ms`, `bytes`, `remote_addr`, `referer`
and `user_agent`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest
from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter

RENAMED = {"levelname": "level", "name": "logger", "process": "pid", "status_code": "status"}
# gunicorn's access-log atoms (its `access_log_format` letters) by the field they become.
ACCESS_ATOMS = {
    "method": "m",
    "path": "U",
    "query": "q",
    "status": "s",
    "bytes": "B",
    "remote_addr": "h",
    "referer": "f",
    "user_agent": "a",
}


class JsonFormatter(BaseJsonFormatter):
    def __init__(self) -> None:
        super().__init__(
            ["levelname", "name", "message", "process"], rename_fields=RENAMED, timestamp="time"
        )

    def add_fields(
        self, log_data: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]
    ) -> None:
        log_data["time"] = None  # first on the line; the value comes with the other fields
        super().add_fields(log_data, record, message_dict)
        # Django's request loggers attach the whole HttpRequest: keep what identifies it.
        request = log_data.pop("request", None)
        if isinstance(request, HttpRequest):
            log_data.update(method=request.method, path=request.path)
        if record.name == "gunicorn.access" and isinstance(record.args, Mapping):
            log_data.update(access_fields(record.args))


def access_fields(atoms: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of one gunicorn access-log line, from its atoms."""
    fields = {name: atoms.get(atom) for name, atom in ACCESS_ATOMS.items()}
    fields["status"] = int(fields["status"]) if str(fields["status"]).isdigit() else None
    fields["duration_ms"] = round(atoms.get("D", 0) / 1000, 3)  # D: microseconds
    return fields


def json_to_stdout(level: str, own: tuple[str, ...] = ()) -> dict:
    """A logging `dictConfig`: JSON lines on stdout from the root logger at `level`, and from the
    `own` loggers at INFO, which do not pass their records on to the root (no line twice)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter}},
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": "json",
            }
        },
        "root": {"handlers": ["stdout"], "level": level},
        "loggers": {
            name: {"handlers": ["stdout"], "level": "INFO", "propagate": False} for name in own
        },
    }
