"""Staff edit the glossary's own terms in the Django admin (indicator terms come from the
catalogue and are not editable here)."""

from django.contrib import admin

from rapor.web.glossary.models import Term


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ("term", "is_published", "updated_at")
    list_filter = ("is_published",)
    search_fields = ("term", "definition")
    fields = ("term", "definition", "is_published")
