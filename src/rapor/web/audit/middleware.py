"""The request being answered, for audit records made where no request is at hand.

Account changes are recorded by model signals, which see the account but not who changed it or
from where. This middleware keeps the current request in a context variable for them, so every
way of changing an account (the admin form, the admin CSV import, any later view) is recorded
with its author, without each of them having to pass it on.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

_current_request: ContextVar[HttpRequest | None] = ContextVar("audit_request", default=None)


def current_request() -> HttpRequest | None:
    """The request this thread is answering, or None outside a request (commands, shell)."""
    return _current_request.get()


class CurrentRequestMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)
