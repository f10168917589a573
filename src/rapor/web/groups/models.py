"""Comparison groups a dinas user builds beside the fixed "serupa" peers: regions and schools of
their scope, optionally narrowed to one bentuk and status, saved under a name."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_MEMBERS = 1000


class ComparisonGroup(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="comparison_groups",
        verbose_name=_("pemilik"),
    )
    name = models.CharField(_("nama"), max_length=100)
    # Region codes (all the schools of the region that count in its values) and NPSNs, one per
    # line. Checked against the owner's scope when saved and again when shown.
    members = models.TextField(_("anggota"))
    bentuk = models.CharField(_("bentuk"), max_length=20, blank=True)  # blank: every bentuk
    status = models.CharField(_("status"), max_length=10, default="semua")
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("kelompok pembanding")
        verbose_name_plural = _("kelompok pembanding")
        ordering = ("name", "pk")
        constraints = (
            models.UniqueConstraint(fields=("owner", "name"), name="unique_group_name_per_owner"),
        )

    def __str__(self) -> str:
        return self.name

    @property
    def member_codes(self) -> list[str]:
        return self.members.split()
