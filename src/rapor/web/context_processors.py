from django.http import HttpRequest

from rapor.web import release_data


def active_release(request: HttpRequest) -> dict:
    """The active release, for the footer ("data rilis <date>"); nothing before the first one."""
    try:
        release = release_data.current().release
    except release_data.NoActiveRelease:
        return {}
    # An aware datetime: the template shows it in the site's time zone.
    return {"active_release": {"release_id": release.release_id, "created_at": release.created}}
