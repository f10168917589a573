"""The audit log in the Django admin: list, filter by action and date, search; nothing else.

No one may add, change or delete an event here, superusers included.
"""

from __future__ import annotations

import json

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from rapor.web.audit.models import AuditEvent
from rapor.web.audit.release_log import import_release_log


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "action", "email", "target", "ip_address")
    list_filter = ("action", "at")
    date_hierarchy = "at"
    search_fields = ("email", "target", "ip_address")
    list_select_related = ("account",)
    fields = ("at", "action", "account", "email", "target", "ip_address", "detail_json")
    readonly_fields = fields

    @admin.display(description=_("rincian"))
    def detail_json(self, event: AuditEvent) -> str:
        return format_html("<pre>{}</pre>", json.dumps(event.detail, indent=2, ensure_ascii=False))

    def changelist_view(self, request, extra_context=None):
        # Release switches happen outside the web app; bring in the ones logged since last time.
        import_release_log()
        return super().changelist_view(request, extra_context)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
