from django import forms
from django.utils.translation import gettext_lazy as _

MAX_CSV_BYTES = 5 * 1024 * 1024


class AccountImportForm(forms.Form):
    csv_file = forms.FileField(
        label=_("Berkas CSV"),
        help_text=_("Kolom: email,name,role,region_code,npsn,active (UTF-8)."),
    )

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("csv_file")
        if upload is None:
            return cleaned
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError(_("Berkas terlalu besar (maksimal 5 MB)."))
        try:
            cleaned["text"] = upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("Berkas harus berupa teks UTF-8.")) from None
        return cleaned
