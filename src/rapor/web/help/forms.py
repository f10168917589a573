"""The "Hubungi Kami" form: a honeypot against spam bots, and an attachment checked by its
content (magic bytes), not by the name or the type the browser claims."""

from __future__ import annotations

import os
from typing import ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from rapor.web.abuse import HoneypotForm
from rapor.web.help.models import MAX_MESSAGE_LENGTH, Ticket, Topic

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
# What a file starts with → the extensions it may be named with.
SIGNATURES = {
    b"%PDF-": (".pdf",),
    b"\x89PNG\r\n\x1a\n": (".png",),
    b"\xff\xd8\xff": (".jpg", ".jpeg"),
}


def sniffed_extensions(upload) -> tuple[str, ...]:
    """The extensions the file's first bytes allow (empty for any other kind of file)."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    for magic, extensions in SIGNATURES.items():
        if head.startswith(magic):
            return extensions
    return ()


class ContactForm(HoneypotForm, forms.ModelForm):
    class Meta:
        model = Ticket
        fields = ("name", "email", "topic", "message", "attachment")
        labels: ClassVar[dict] = {
            "name": _("Nama"),
            "email": _("Email"),
            "topic": _("Topik"),
            "message": _("Pesan"),
            "attachment": _("Lampiran (tidak wajib)"),
        }
        help_texts: ClassVar[dict] = {
            "name": "",
            "email": _("Nomor tiket dan balasan dikirim ke alamat ini."),
            "topic": "",
            "message": _("Paling panjang 4000 karakter."),
            "attachment": _("PDF, PNG atau JPEG, paling besar 5 MB."),
        }
        widgets: ClassVar[dict] = {
            "message": forms.Textarea(attrs={"rows": 8, "maxlength": MAX_MESSAGE_LENGTH}),
            "attachment": forms.ClearableFileInput(
                attrs={"accept": ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"}
            ),
        }
        error_messages: ClassVar[dict] = {
            "name": {"required": _("Tuliskan nama Anda.")},
            "email": {
                "required": _("Tuliskan alamat email Anda."),
                "invalid": _("Tuliskan alamat email yang benar, mis. nama@dinas.belajar.id."),
            },
            "topic": {
                "required": _("Pilih topik pesan Anda."),
                "invalid_choice": _("Pilih topik pesan Anda."),
            },
            "message": {
                "required": _("Tuliskan pesan Anda."),
                "max_length": _("Pesan paling panjang 4000 karakter (sekarang %(show_value)d)."),
            },
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", _("Pilih topik")), *Topic.choices]

    @property
    def had_attachment(self) -> bool:
        """A file was sent with this (invalid) form: the browser will not send it again."""
        return bool(self.files.get("attachment"))

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return upload
        if upload.size > MAX_ATTACHMENT_BYTES:
            raise forms.ValidationError(_("Lampiran paling besar 5 MB."), code="too_large")
        extension = os.path.splitext(upload.name)[1].lower()
        if extension not in sniffed_extensions(upload):
            raise forms.ValidationError(
                _("Lampiran harus berkas PDF, PNG atau JPEG yang sesuai dengan isinya."),
                code="bad_type",
            )
        return upload
