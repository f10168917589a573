"""What an account may see. Every view and fragment asks here before reading release data.

A region is identified by its code (`ID` for the nation, `34`, `34.71`); a school by its NPSN and
the region codes it belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapor.web.accounts.models import Account, Role
from rapor.web.release_data import NATIONAL_CODE


@dataclass(frozen=True)
class Scope:
    role: str
    region_code: str = ""
    npsn: str = ""

    @classmethod
    def of(cls, account: Account) -> Scope:
        return cls(role=account.role, region_code=account.region_code, npsn=account.npsn)

    def allows_region(self, code: str) -> bool:
        """May the account open this region's own report (not just see it as a comparison)?"""
        if self.role == Role.PUSAT:
            return True
        if self.role == Role.PROVINSI:
            return code == self.region_code or code.startswith(self.region_code + ".")
        if self.role == Role.KABKOTA:
            return code == self.region_code
        return False

    def allows_school(self, npsn: str, kabkota_code: str) -> bool:
        if self.role == Role.SEKOLAH:
            return npsn == self.npsn
        return self.allows_region(kabkota_code)

    @property
    def home_region(self) -> str | None:
        """The region whose Beranda the account lands on (None for a school account)."""
        if self.role == Role.PUSAT:
            return NATIONAL_CODE
        return self.region_code or None
