"""`AuditEvent`: one row per thing that happened, never changed or deleted afterwards.

The table is append-only in code (saving an existing event, `delete()` and bulk updates or
deletes raise `AppendOnlyError`) and should be in the database too: in production grant the web
app's database user INSERT and SELECT on `audit_auditevent`, and UPDATE only on its `account_id`
column (deleting an account forgets the link; the email stays), never DELETE (docs/security.md).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an audit event."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit events cannot be changed")

    def delete(self):
        raise AppendOnlyError("audit events cannot be deleted")


class AuditEventManager(models.Manager.from_queryset(AuditEventQuerySet)):
    def record(
        self,
        action: str,
        request: HttpRequest | None = None,
        *,
        account: AbstractBaseUser | None = None,
        email: str = "",
        target: str = "",
        detail: dict | None = None,
    ) -> AuditEvent:
        """Add an event. Who did it is `account`, else the request's signed-in account; `email`
        is kept as given (a refused sign-in has no account)."""
        user = getattr(request, "user", None)
        if account is None and user is not None and user.is_authenticated:
            account = user
        return self.create(
            action=action,
            account=account,
            email=email or (account.email if account else ""),
            target=target[:254],
            ip_address=_client_ip(request),
            detail=detail or {},
        )


def _client_ip(request: HttpRequest | None) -> str | None:
    # The address the rate limits count (REMOTE_ADDR, django-ratelimit's default): behind load
    # balancers, ClientAddressMiddleware puts the client's there for both.
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        LOGIN = "login", _("masuk")
        LOGIN_FAILED = "login_failed", _("gagal masuk")
        LOGOUT = "logout", _("keluar")
        DOWNLOAD = "download", _("unduh laporan Excel")
        ACCOUNT_CREATED = "account_created", _("akun dibuat")
        ACCOUNT_CHANGED = "account_changed", _("akun diubah")
        ROLE_CHANGED = "role_changed", _("peran diubah")
        ACCOUNT_DEACTIVATED = "account_deactivated", _("akun dinonaktifkan")
        ACCOUNT_DELETED = "account_deleted", _("akun dihapus")
        RELEASE_ACTIVATED = "release_activated", _("rilis diaktifkan")
        RELEASE_ROLLED_BACK = "release_rolled_back", _("rilis dikembalikan (rollback)")

    at = models.DateTimeField(
        _("waktu"),
        default=timezone.now,
        db_index=True,
        help_text=_("Kapan kejadian ini terjadi, mis. 2026-11-25 15:48:03"),
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("akun"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
        help_text=_(
            "Akun yang melakukannya; kosong untuk percobaan masuk yang ditolak, perintah di "
            "server, atau akun yang sudah dihapus."
        ),
    )
    email = models.CharField(
        _("email"),
        max_length=254,
        blank=True,
        help_text=_(
            "Email pelaku seperti tercatat saat itu (tetap ada walau akunnya dihapus), "
            "mis. kadis@dinas.belajar.id"
        ),
    )
    action = models.CharField(
        _("tindakan"),
        max_length=30,
        choices=Action.choices,
        db_index=True,
        help_text=_("Apa yang terjadi, mis. masuk"),
    )
    target = models.CharField(
        _("objek"),
        max_length=254,
        blank=True,
        help_text=_(
            "Yang dikenai tindakan: kode wilayah atau NPSN, ID rilis, atau email akun, mis. 34.71"
        ),
    )
    ip_address = models.GenericIPAddressField(
        _("alamat IP"),
        null=True,
        blank=True,
        help_text=_("Alamat klien; kosong untuk perintah di server, mis. 203.0.113.5"),
    )
    detail = models.JSONField(
        _("rincian"),
        default=dict,
        blank=True,
        help_text=_(
            'Keterangan tambahan, mis. {"year": 2025} atau nilai sebelum/sesudah perubahan akun'
        ),
    )

    objects = AuditEventManager()

    class Meta:
        ordering = ("-at", "-pk")
        verbose_name = _("kejadian audit")
        verbose_name_plural = _("log audit")
        constraints = (
            # A release switch is imported from logs/releases.log; this keeps it to one row
            # when two imports run at once (see release_log.py).
            models.UniqueConstraint(
                fields=("action", "target", "at"),
                condition=models.Q(action__in=("release_activated", "release_rolled_back")),
                name="audit_release_switch_once",
            ),
        )

    def __str__(self) -> str:
        who = self.email or "-"
        return f"{self.at:%Y-%m-%d %H:%M:%S} {who} {self.action} {self.target}".rstrip()

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit events cannot be deleted")
