"""`/healthz` for load balancers and monitoring: is this worker able to serve, and which release?

No sign-in and no scope data: the active release's id and creation time, and whether the app
database and the cache answer. 200 when all is well; 503 with the reason when there is no
active release or a dependency is down, so a load balancer takes the server out of rotation.
"""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from redis.exceptions import RedisError

from rapor.releases import ReleaseError
from rapor.web import release_data

log = logging.getLogger(__name__)
CACHE_KEY = "healthz"


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    release, reasons = _active_release()
    checks = {"database": _database_answers(), "cache": _cache_answers()}
    reasons += [f"{name} unreachable" for name, fine in checks.items() if not fine]
    body = {
        "status": "unavailable" if reasons else "ok",
        "release": release,
        **{name: "ok" if fine else "down" for name, fine in checks.items()},
    }
    if reasons:
        return JsonResponse({**body, "reason": "; ".join(reasons)}, status=503)
    return JsonResponse(body)


def _active_release() -> tuple[dict | None, list[str]]:
    """The release this worker serves (id and creation time), or the reason there is none."""
    try:
        release = release_data.current().release
    except release_data.NoActiveRelease:
        return None, ["no active release"]
    except ReleaseError:  # active.json names a release that is not (yet) on this server
        log.exception("health check: the active release cannot be read")
        return None, ["active release unreadable"]
    return {"id": release.release_id, "created_at": release.created_at}, []


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("select 1")
        return True
    except DatabaseError:
        log.exception("health check: the app database does not answer")
        return False


def _cache_answers() -> bool:
    try:
        cache.set(CACHE_KEY, "ok", timeout=60)
        return True
    except (RedisError, OSError):
        log.exception("health check: the cache does not answer")
        return False
