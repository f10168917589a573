"""Staff read feedback in the Django admin and export it as CSV for a spreadsheet.

Feedback is what people sent, so it is read-only here: staff may filter, search, export and
delete it, not rewrite it.
"""

from __future__ import annotations

import csv

from django.contrib import admin
from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from rapor.web.feedback.models import Feedback

CSV_COLUMNS = ("created_at", "rating", "page", "account_email", "message")
# A cell starting with one of these is a formula to a spreadsheet; a leading quote keeps it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> str:
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ("created_at", "rating", "page", "account", "excerpt")
    list_filter = ("rating", "created_at")
    search_fields = ("message", "page")
    list_select_related = ("account",)
    date_hierarchy = "created_at"
    fields = ("created_at", "rating", "page", "account", "message")
    readonly_fields = fields
    actions = ("export_csv",)

    @admin.display(description=_("saran"))
    def excerpt(self, feedback: Feedback) -> str:
        return Truncator(feedback.message).chars(80)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Ekspor CSV"), permissions=("view",))
    def export_csv(self, request, queryset) -> HttpResponse:
        """The chosen feedback (or, with "select all", everything the filters show) as CSV."""
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="saran.csv"'
        writer = csv.writer(response)
        writer.writerow(CSV_COLUMNS)
        for feedback in queryset.select_related("account"):
            writer.writerow(
                spreadsheet_safe(value)
                for value in (
                    timezone.localtime(feedback.created_at).isoformat(timespec="seconds"),
                    feedback.rating,
                    feedback.page,
                    feedback.account.email if feedback.account else "",
                    feedback.message,
                )
            )
        return response
