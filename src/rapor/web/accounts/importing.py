"""Import the account registry from CSV (the `import_accounts` command and the admin page).

Columns: `email,name,role,region_code,npsn,active` (`active` is optional: 1/0, ya/tidak,
true/false; default active). Rows are matched on email: new emails are created, known ones updated.
Either every row is valid and the whole file is applied, or nothing changes and every bad row is
reported with its line number.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from rapor.web.accounts.models import Account, Role, scope_errors

REQUIRED_COLUMNS = ("email", "name", "role", "region_code", "npsn")
TRUE_WORDS = {"1", "true", "ya", "yes", "aktif", ""}
FALSE_WORDS = {"0", "false", "tidak", "no", "nonaktif"}


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)


def import_accounts(text: str) -> ImportReport:
    """Apply a registry CSV; on any error, apply nothing and return the errors."""
    report = ImportReport()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [name for name in REQUIRED_COLUMNS if name not in (reader.fieldnames or [])]
    if missing:
        report.errors.append(_("Kolom wajib tidak ada: %s") % ", ".join(missing))
        return report
    rows: dict[str, dict] = {}
    for line, raw in enumerate(reader, start=2):
        row, problems = _clean_row(raw)
        if row["email"] in rows:
            problems.append(_("email muncul dua kali"))
        report.errors.extend(
            _("baris %(line)d: %(problem)s") % {"line": line, "problem": p} for p in problems
        )
        rows[row["email"]] = row
    if report.errors:
        return report
    with transaction.atomic():
        for email, row in rows.items():
            created = Account.objects.update_or_create(email=email, defaults=row)[1]
            report.created += created
            report.updated += not created
    return report


def _clean_row(raw: dict) -> tuple[dict, list[str]]:
    def value(name: str) -> str:
        return (raw.get(name) or "").strip()

    row = {
        "email": value("email").lower(),
        "name": value("name"),
        "role": value("role").lower(),
        "region_code": value("region_code"),
        "npsn": value("npsn"),
    }
    problems = []
    try:
        validate_email(row["email"])
    except ValidationError:
        problems.append(_("email tidak valid: %r") % row["email"])
    if not row["name"]:
        problems.append(_("nama kosong"))
    if row["role"] not in Role.values:
        problems.append(_("peran harus salah satu dari: %s") % ", ".join(Role.values))
    else:
        problems.extend(str(message) for message in scope_errors(**_scope_fields(row)).values())
    active = value("active").lower()
    if active not in TRUE_WORDS | FALSE_WORDS:
        problems.append(_("kolom active harus 1 atau 0: %r") % active)
    row["is_active"] = active in TRUE_WORDS
    return row, problems


def _scope_fields(row: dict) -> dict:
    return {"role": row["role"], "region_code": row["region_code"], "npsn": row["npsn"]}
