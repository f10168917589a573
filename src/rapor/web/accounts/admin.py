"""The registry in the Django admin: edit accounts one by one, or import a CSV."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rapor.web.accounts.forms import AccountImportForm
from rapor.web.accounts.importing import import_accounts
from rapor.web.accounts.models import Account


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ("email", "name", "role", "region_code", "npsn", "is_active", "last_login")
    list_filter = ("role", "is_active", "is_staff")
    search_fields = ("email", "name", "region_code", "npsn")
    fields = ("email", "name", "role", "region_code", "npsn", "is_active", "is_staff")
    change_list_template = "accounts/admin_change_list.html"

    def get_urls(self):
        extra = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="accounts_account_import",
            )
        ]
        return extra + super().get_urls()

    def import_view(self, request):
        """Upload a registry CSV; nothing changes unless every row is valid."""
        if not self.has_add_permission(request) or not self.has_change_permission(request):
            raise PermissionDenied
        form = AccountImportForm(request.POST or None, request.FILES or None)
        report = None
        if request.method == "POST" and form.is_valid():
            report = import_accounts(form.cleaned_data["text"])
            if not report.errors:
                messages.success(
                    request,
                    _("%(created)d akun dibuat, %(updated)d akun diperbarui.")
                    % {"created": report.created, "updated": report.updated},
                )
                return redirect("admin:accounts_account_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext_lazy("Impor akun dari CSV"),
            "form": form,
            "report": report,
        }
        return render(request, "accounts/admin_import.html", context)
