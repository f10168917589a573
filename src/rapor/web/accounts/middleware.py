"""The signed-in account on `request.user` itself, read once per request."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user
from django.http import HttpRequest, HttpResponse


class SignedInAccountMiddleware:
    """Replaces Django's lazy `request.user` (AuthenticationMiddleware) with the account it
    stands for, or AnonymousUser. Each attribute read through the lazy proxy first fails on the
    proxy, raising and catching an AttributeError, then reads the account: a dashboard request
    reads some twenty (scope checks, the page shell; benchmarks/RESULTS.md counts the cost).
    Pages that never look at the account (the landing page, the open-data API, /healthz) read
    it now too, but without a session cookie that costs no query."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.user = get_user(request)
        return self.get_response(request)
