"""Defences the forms share against abuse: a honeypot field, and rate limits read from settings."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


def setting_rate(name: str) -> Callable[[str, HttpRequest], str]:
    """A django-ratelimit `rate` that reads the setting `name` per request (not at import), so
    the setting can change without reloading the view's module."""

    def rate(group: str, request: HttpRequest) -> str:
        return getattr(settings, name)

    return rate


class HoneypotForm(forms.Form):
    """Adds `website`: hidden from people (off-screen, not focusable, not announced) but filled by
    bots that fill every input. Views answer a filled honeypot like a success, so a bot learns
    nothing. Render it with `{% include "_honeypot.html" %}`."""

    website = forms.CharField(
        label=_("Jangan isi kolom ini"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website"))
