"""Staff edit the FAQ, upload guides, infographics and videos, and work the ticket inbox in the
Django admin.

A ticket is what someone sent, so its text is read-only: staff set its status and add replies.
Each new reply is emailed to the sender when saved. The attachment opens through the staff-only
download view, never from a public URL.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from rapor.web.help import emails
from rapor.web.help.models import (
    FaqCategory,
    FaqEntry,
    Guide,
    Infographic,
    Ticket,
    TicketReply,
    Video,
)


class FaqEntryInline(admin.TabularInline):
    model = FaqEntry
    fields = ("order", "question", "is_published")
    extra = 0
    show_change_link = True


@admin.register(FaqCategory)
class FaqCategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "order")
    list_editable = ("order",)
    inlines = (FaqEntryInline,)


@admin.register(FaqEntry)
class FaqEntryAdmin(admin.ModelAdmin):
    list_display = ("question", "category", "order", "is_published", "updated_at")
    list_filter = ("category", "is_published")
    search_fields = ("question", "answer")
    fields = ("category", "question", "answer", "order", "is_published")


class StoredFileInput(forms.ClearableFileInput):
    """Django's file input without the link to the current file: uploads have no public URL
    (they are sent by views that check the account), so it shows the stored name only."""

    template_name = "help/widgets/stored_file_input.html"

    def is_initial(self, value) -> bool:
        return bool(value)


class PublishedContentAdmin(admin.ModelAdmin):
    list_display = ("title", "view_link", "order", "is_published", "updated_at")
    list_editable = ("order", "is_published")
    list_filter = ("is_published",)
    search_fields = ("title", "description")
    formfield_overrides = {models.FileField: {"widget": StoredFileInput}}  # noqa: RUF012
    view_name = ""  # the page (or file) where people see an item

    @admin.display(description=_("lihat"))
    def view_link(self, item) -> str:
        return format_html(
            '<a href="{}">{}</a>', reverse(self.view_name, args=[item.pk]), _("Lihat")
        )


@admin.register(Guide)
class GuideAdmin(PublishedContentAdmin):
    view_name = "help:guide"
    fields = ("title", "description", "file", "order", "is_published")


@admin.register(Infographic)
class InfographicAdmin(PublishedContentAdmin):
    view_name = "help:infographic"
    fields = ("title", "description", "image", "alt_text", "order", "is_published")


@admin.register(Video)
class VideoAdmin(PublishedContentAdmin):
    # A link typed without a scheme is taken as https (Django 6's default; 5.2 warns otherwise).
    formfield_overrides = {  # noqa: RUF012
        **PublishedContentAdmin.formfield_overrides,
        models.URLField: {"assume_scheme": "https"},
    }
    view_name = "help:video"
    fields = (
        "title",
        "description",
        "video_file",
        "link",
        "captions",
        "transcript",
        "order",
        "is_published",
    )


class TicketReplyInline(admin.StackedInline):
    model = TicketReply
    fields = ("message", "author", "sent_at")
    readonly_fields = ("author", "sent_at")
    extra = 1

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # a sent reply is an email already gone: it stays as it was

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = ("reference", "topic", "status", "account", "created_at")
    list_filter = ("status", "topic")
    search_fields = ("reference", "name", "email", "message")
    list_select_related = ("account",)
    date_hierarchy = "created_at"
    fields = (
        "reference",
        "status",
        "name",
        "email",
        "account",
        "topic",
        "message",
        "attachment_link",
        "created_at",
        "updated_at",
    )
    readonly_fields = tuple(field for field in fields if field != "status")
    inlines = (TicketReplyInline,)

    @admin.display(description=_("lampiran"))
    def attachment_link(self, ticket: Ticket) -> str:
        if not ticket.attachment:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("help:attachment", args=[ticket.pk]),
            _("Unduh lampiran"),
        )

    def has_add_permission(self, request) -> bool:
        return False

    def save_formset(self, request, form, formset, change) -> None:
        replies = formset.save(commit=False)
        for reply in replies:
            reply.author = request.user
            reply.save()
            emails.send_reply(reply)
        formset.save_m2m()
