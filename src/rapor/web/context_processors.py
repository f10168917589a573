import datetime
import functools

from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language

from rapor.web import release_data


def active_release(request: HttpRequest) -> dict:
    """The active release, for the footer ("data rilis <date>"); nothing before the first one."""
    try:
        release = release_data.current().release
    except release_data.NoActiveRelease:
        return {}
    return {
        "active_release": {
            "release_id": release.release_id,
            "released_on": _local_date(release.created, get_language()),
        }
    }


@functools.lru_cache(maxsize=64)
def _local_date(moment: datetime.datetime, language: str) -> str:
    """An aware datetime's date in the site's time zone ("5 Desember 2026"), in `language` (the
    active one, passed for the key): remembered, as every page's footer shows it."""
    return date_format(timezone.localtime(moment), "j F Y")
