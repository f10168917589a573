"""Middleware of the site: the client's address behind load balancers, the language chosen, the
Content-Security-Policy header, and the error pages Django has no handler for (no active release
yet, a method not allowed).

Language: Indonesian unless the user chose English with the switch in the top bar. Django's
LocaleMiddleware would follow the browser's Accept-Language, which shows English to most
Indonesian users on English-language phones; the report speaks Indonesian first.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.utils import translation
from django.utils.cache import patch_vary_headers

from rapor.web import errors
from rapor.web.release_data import NoActiveRelease


class ClientAddressMiddleware:
    """Behind load balancers REMOTE_ADDR is the last balancer's address, so every user would
    share one sign-in rate limit and the audit log would record the balancer. Each of the
    `RAPOR_TRUSTED_PROXIES` proxies in front appends the address it got the request from to
    X-Forwarded-For: the client is that many entries from the right. Entries further left came
    from the client and are not believed; without enough entries (a request that bypassed the
    proxies) REMOTE_ADDR stays."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.proxies = settings.RAPOR_TRUSTED_PROXIES

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.proxies:
            forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if len(forwarded) >= self.proxies:
                client = forwarded[-self.proxies].strip()
                if _is_address(client):
                    request.META["REMOTE_ADDR"] = client
        return self.get_response(request)


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


class ChosenLanguageMiddleware:
    """The language the reader chose (the cookie of the language switch), else Indonesian.
    Pages ignore the browser's Accept-Language: Indonesian first, whatever the browser says.
    An API client has no switch, so it is answered in the language it asks for."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.languages = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        api = errors.is_api(request)
        if chosen in self.languages:
            language = chosen
        elif api:
            language = translation.get_language_from_request(request)
        else:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie", "Accept-Language") if api else ("Cookie",))
        return response


class ContentSecurityPolicyMiddleware:
    """Sends `settings.SECURE_CSP` as the Content-Security-Policy of every response (pages,
    error pages, files, the admin). Django 6.0 has its own; on upgrading, use
    `django.middleware.csp.ContentSecurityPolicyMiddleware` with the same setting instead."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = "; ".join(
            " ".join([directive, *sources]) for directive, sources in settings.SECURE_CSP.items()
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        return response


class NoActiveReleaseMiddleware:
    """Before the first `rapor build`, data pages say so (503) instead of failing with a 500.
    And a request with a method the view does not take (GET on the POST-only sign-out) gets the
    error page instead of Django's empty 405, which has no handler setting of its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if isinstance(response, HttpResponseNotAllowed):
            page = errors.method_not_allowed(request)
            page["Allow"] = response["Allow"]
            return page
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, NoActiveRelease):
            return errors.no_active_release(request)
        return None
