"""The "Beri Saran" form, with a honeypot against spam bots."""

from __future__ import annotations

from typing import ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from rapor.web.abuse import HoneypotForm
from rapor.web.feedback.models import MAX_MESSAGE_LENGTH, Feedback, Rating, is_local_path


def safe_page(value: str | None) -> str:
    """`value` when it is a path on this site, else the site root (never another host)."""
    value = (value or "").strip()
    return value if is_local_path(value) else "/"


class FeedbackForm(HoneypotForm, forms.ModelForm):
    # Not typed by the sender: a bad value falls back to "/" instead of an error they cannot fix.
    page = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Feedback
        fields = ("rating", "message", "page")
        labels: ClassVar[dict] = {
            "rating": _("Seberapa membantu halaman ini?"),
            "message": _("Saran Anda"),
        }
        help_texts: ClassVar[dict] = {
            "rating": "",
            "message": _("Paling panjang 2000 karakter. Jangan tuliskan data pribadi."),
        }
        widgets: ClassVar[dict] = {
            "rating": forms.RadioSelect,
            "message": forms.Textarea(attrs={"rows": 5, "maxlength": MAX_MESSAGE_LENGTH}),
        }
        error_messages: ClassVar[dict] = {
            "rating": {
                "required": _("Pilih salah satu penilaian."),
                "invalid_choice": _("Pilih salah satu penilaian."),
            },
            "message": {
                "required": _("Tuliskan saran Anda."),
                "max_length": _("Saran paling panjang 2000 karakter (sekarang %(show_value)d)."),
            },
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rating"].choices = Rating.choices  # radios without a "---------" choice
        # CharField always refuses a null character; without that check, clean_page's fallback
        # to "/" applies to it too.
        self.fields["page"].validators.clear()

    def clean_page(self) -> str:
        return safe_page(self.cleaned_data.get("page"))
