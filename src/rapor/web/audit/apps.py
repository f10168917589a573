from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "rapor.web.audit"
    label = "audit"
    verbose_name = _("Log audit")

    def ready(self) -> None:
        # Sign-ins, sign-outs and account changes are recorded by signal receivers.
        from rapor.web.audit import signals  # noqa: F401
