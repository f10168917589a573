"""Finding regions and schools by name: the provinces, kab/kota and schools of the account's
scope whose name holds every word typed (in any case), or whose code or NPSN begins with it.
Nobody knows the codes by heart. Used by the "Cari" page, which opens what it finds, and by the
comparison groups' member search, whose members field takes codes."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from rapor.web.accounts.models import Role
from rapor.web.accounts.scope import Scope
from rapor.web.dashboard.filters import school_kind
from rapor.web.release_data import NATIONAL_CODE, Region, ReleaseData

MAX_RESULTS = 20
MIN_LENGTH = 2
MAX_LENGTH = 100
# How people write a school's bentuk and status in one word ("SDN 72"), as the register spells
# it out ("SD Negeri 72"): such a word finds either.
ABBREVIATIONS = {
    f"{bentuk}{letter}": (f"{bentuk} {status}",)
    for bentuk in ("sd", "smp", "sma", "smk", "mi", "mts", "ma")
    for letter, status in (("n", "negeri"), ("s", "swasta"))
}


@dataclass(frozen=True)
class Candidate:
    code: str
    name: str
    detail: str  # what it is and where, to tell apart schools of the same name


@dataclass(frozen=True)
class Search:
    text: str
    candidates: list[Candidate]
    more: bool  # more than MAX_RESULTS matched: the user should type more
    too_short: bool


def find_places(data: ReleaseData, scope: Scope, text: str) -> Search:
    """Regions first (by code), then schools by name; at most MAX_RESULTS."""
    text = " ".join(text.split())[:MAX_LENGTH]
    if len(text) < MIN_LENGTH:
        return Search(text, [], more=False, too_short=bool(text))
    words = text.casefold().split()
    regions = [
        _region_candidate(data, region)
        for region in regions_in_scope(data, scope)
        if _region_matches(region, text, words)
    ]
    room = MAX_RESULTS + 1 - len(regions)  # one more than shown tells there are more
    within = None if scope.role == Role.PUSAT else scope.region_code
    spellings = [(word, *ABBREVIATIONS.get(word, ())) for word in words]
    schools = data.find_schools(spellings, within, room) if room > 0 else ()
    found = (regions + [_school_candidate(school) for school in schools])[: MAX_RESULTS + 1]
    return Search(text, found[:MAX_RESULTS], more=len(found) > MAX_RESULTS, too_short=False)


def regions_in_scope(data: ReleaseData, scope: Scope) -> list[Region]:
    """The provinces and kab/kota of the account's scope, by code (never the nation: no search
    needs to find it, and it holds every comparison group)."""
    return [
        region
        for region in data.regions.values()
        if region.code != NATIONAL_CODE and scope.allows_region(region.code)
    ]


def _region_matches(region: Region, text: str, words: list[str]) -> bool:
    name = region.name.casefold()
    return region.code.startswith(text) or all(word in name for word in words)


def _region_candidate(data: ReleaseData, region: Region) -> Candidate:
    if region.level == "provinsi":
        return Candidate(region.code, region.name, _("Provinsi"))
    province = data.region(region.parent_code).name
    return Candidate(
        region.code, region.name, _("Kabupaten/kota, %(province)s") % {"province": province}
    )


def _school_candidate(school: dict) -> Candidate:
    detail = f"{school_kind(school)} · {school['kabkota_name']}"
    return Candidate(school["npsn"], school["school_name"], detail)
