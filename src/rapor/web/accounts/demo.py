"""Demo accounts, one per role, chosen from the active release so every page has data."""

from __future__ import annotations

from rapor.web.accounts.models import Account, Role
from rapor.web.release_data import ReleaseData

DEMO_PROVINCE = "34"  # DI Yogyakarta: small, and present at both synthetic scales


def demo_account_rows(data: ReleaseData) -> list[dict]:
    """The demo registry rows for a release: pusat, a province, one of its kab/kota, a school."""
    provinces = [r for r in data.regions.values() if r.level == "provinsi"]
    province = data.region(DEMO_PROVINCE) or provinces[0]
    kabkota = data.children(province.code)[0]
    school = data.first_school_in(kabkota)
    return [
        _row("demo.pusat@dinas.belajar.id", "Analis Pusat (demo)", Role.PUSAT),
        _row(
            "demo.provinsi@dinas.belajar.id",
            f"Dinas Pendidikan {province.name} (demo)",
            Role.PROVINSI,
            region_code=province.code,
        ),
        _row(
            "demo.kabkota@dinas.belajar.id",
            f"Dinas Pendidikan {kabkota.name} (demo)",
            Role.KABKOTA,
            region_code=kabkota.code,
        ),
        _row(
            "demo.sekolah@admin.belajar.id",
            f"Kepala {school['school_name']} (demo)",
            Role.SEKOLAH,
            npsn=school["npsn"],
        ),
    ]


def seed_demo_accounts(data: ReleaseData) -> list[Account]:
    accounts = []
    for row in demo_account_rows(data):
        email = row.pop("email")
        account, _ = Account.objects.update_or_create(email=email, defaults=row)
        accounts.append(account)
    return accounts


def _row(email: str, name: str, role: str, region_code: str = "", npsn: str = "") -> dict:
    return {
        "email": email,
        "name": name,
        "role": role,
        "region_code": region_code,
        "npsn": npsn,
        "is_active": True,
        "is_staff": role == Role.PUSAT,
        "is_superuser": role == Role.PUSAT,
    }


def is_demo_email(email: str) -> bool:
    return email.startswith("demo.") and email.endswith(".belajar.id")
