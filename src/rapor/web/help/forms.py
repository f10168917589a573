"""The "Hubungi Kami" form: a honeypot against spam bots; the attachment is checked by the
model field's validator (`files.FileKind`: its content, not its name or claimed type)."""

from __future__ import annotations

from typing import ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from rapor.web.abuse import HoneypotForm
from rapor.web.help.models import MAX_MESSAGE_LENGTH, Ticket, Topic


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
