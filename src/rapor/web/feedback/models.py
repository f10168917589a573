"""Feedback sent with "Beri Saran": a rating, a message and the page it was sent from.

The page is kept so staff can tell which screen a remark is about; it is only ever a local path,
because it is shown back to the sender as a link and must not become an open redirect.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

MAX_MESSAGE_LENGTH = 2000
MAX_PAGE_LENGTH = 500


def is_local_path(value: str) -> bool:
    """A path on this site ("/wilayah/34/"), never another host ("//evil.example", "https://…")."""
    return (
        value.startswith("/")
        and not value.startswith(("//", "/\\"))
        and len(value) <= MAX_PAGE_LENGTH
        and value.isprintable()
        and url_has_allowed_host_and_scheme(value, allowed_hosts=set())
    )


def validate_local_path(value: str) -> None:
    if not is_local_path(value):
        raise ValidationError(
            _("Halaman harus berupa alamat di situs ini yang diawali “/”, mis. /beranda/."),
            code="not_local",
        )


class Rating(models.IntegerChoices):
    VERY_UNHELPFUL = 1, _("Sangat tidak membantu")
    UNHELPFUL = 2, _("Tidak membantu")
    NEUTRAL = 3, _("Cukup membantu")
    HELPFUL = 4, _("Membantu")
    VERY_HELPFUL = 5, _("Sangat membantu")


class Feedback(models.Model):
    rating = models.PositiveSmallIntegerField(
        _("penilaian"),
        choices=Rating.choices,
        help_text=_("Seberapa membantu halaman ini menurut pengirim, mis. 4 (Membantu)."),
    )
    message = models.TextField(
        _("saran"),
        max_length=MAX_MESSAGE_LENGTH,
        help_text=_(
            "Saran atau masukan pengirim, paling panjang 2000 karakter, mis. Grafik "
            "perbandingan sulit dibaca di ponsel."
        ),
    )
    page = models.CharField(
        _("halaman"),
        max_length=MAX_PAGE_LENGTH,
        default="/",
        validators=[validate_local_path],
        help_text=_("Alamat halaman tempat saran dikirim, mis. /wilayah/34.71/."),
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("akun"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback",
        help_text=_(
            "Akun yang mengirim saran, mis. kadis@dinas.belajar.id; kosong bila akun sudah dihapus."
        ),
    )
    created_at = models.DateTimeField(
        _("dikirim"),
        auto_now_add=True,
        help_text=_("Diisi otomatis saat saran dikirim, mis. 1 Maret 2025 10.00."),
    )

    class Meta:
        ordering = ("-created_at", "-pk")
        verbose_name = _("saran")
        verbose_name_plural = _("saran")

    def __str__(self) -> str:
        return f"{self.get_rating_display()} · {self.page}"
