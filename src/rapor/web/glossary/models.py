"""Glossary terms edited by staff. Indicator terms are not stored here: they come from the
indicator catalogue (see `views.py`), so their definitions cannot drift from the computation."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Term(models.Model):
    term = models.CharField(
        _("istilah"),
        max_length=200,
        unique=True,
        help_text=_(
            "Istilah atau akronim seperti yang tampil di Glosarium, mis. Asesmen Nasional (AN). "
            "Ditulis dalam bahasa Indonesia; halaman berbahasa Inggris menampilkannya apa adanya."
        ),
    )
    definition = models.TextField(
        _("definisi"),
        help_text=_(
            "Satu atau dua kalimat dalam bahasa Indonesia, mis. Evaluasi sistem pendidikan "
            "yang mengukur hasil belajar kognitif, karakter, dan lingkungan belajar."
        ),
    )
    is_published = models.BooleanField(
        _("tampilkan"),
        default=True,
        help_text=_(
            "Hanya istilah yang ditampilkan yang muncul di Glosarium, mis. matikan untuk draf."
        ),
    )
    created_at = models.DateTimeField(
        _("dibuat"),
        auto_now_add=True,
        help_text=_("Diisi otomatis saat istilah dibuat, mis. 1 Maret 2025 10.00."),
    )
    updated_at = models.DateTimeField(
        _("diperbarui"),
        auto_now=True,
        help_text=_("Diisi otomatis setiap kali istilah disimpan, mis. 2 Maret 2025 09.30."),
    )

    class Meta:
        ordering = ("term",)
        verbose_name = _("istilah glosarium")
        verbose_name_plural = _("istilah glosarium")

    def __str__(self) -> str:
        return self.term
