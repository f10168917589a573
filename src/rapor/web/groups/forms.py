"""The form that saves a comparison group: its members must exist and lie in the owner's scope."""

from __future__ import annotations

import re
from typing import ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from rapor.catalogue import load_catalogue
from rapor.web.accounts.models import Role
from rapor.web.accounts.scope import Scope
from rapor.web.dashboard.filters import status_choices
from rapor.web.groups.models import MAX_MEMBERS, ComparisonGroup
from rapor.web.release_data import NATIONAL_CODE, ReleaseData


def bentuk_choices() -> list[tuple[str, str]]:
    filters = load_catalogue().filters
    return [("", _("Semua bentuk"))] + [
        (bentuk.code, bentuk.name) for bentuk in filters.bentuk if bentuk.is_programme
    ]


class ComparisonGroupForm(forms.ModelForm):
    bentuk = forms.ChoiceField(label=_("Bentuk"), choices=bentuk_choices, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=status_choices)

    class Meta:
        model = ComparisonGroup
        fields = ("name", "members", "bentuk", "status")
        labels: ClassVar[dict] = {"name": _("Nama kelompok"), "members": _("Anggota")}
        help_texts: ClassVar[dict] = {
            "name": _("Mis. Kabupaten tetangga, SD negeri di kota kami."),
            "members": _(
                "Kode wilayah (kabupaten/kota atau provinsi: semua satuan pendidikannya) atau "
                "NPSN, satu per baris. Paling banyak 1000. Yang Anda centang di hasil pencarian "
                "juga disimpan sebagai anggota."
            ),
        }
        widgets: ClassVar[dict] = {"members": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, owner, data: ReleaseData, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.owner = owner
        self._scope = Scope.of(owner)
        self._data = data
        if self._scope.role == Role.KABKOTA:
            # Its scope is its own schools: no neighbouring kab/kota to suggest.
            self.fields["name"].help_text = _("Mis. SD negeri di kota kami, SMP di satu kecamatan.")

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        taken = ComparisonGroup.objects.filter(owner=self.instance.owner, name=name)
        if taken.exclude(pk=self.instance.pk).exists():
            raise ValidationError(_("Anda sudah punya kelompok dengan nama ini."))
        return name

    def clean_members(self) -> str:
        codes = member_codes(self.cleaned_data["members"])
        if not codes:
            raise ValidationError(_("Isikan paling sedikit satu kode wilayah atau NPSN."))
        if len(codes) > MAX_MEMBERS:
            raise ValidationError(_("Paling banyak 1000 anggota."))
        # Unknown and out-of-scope codes get the same answer: nothing about other regions leaks.
        allowed = members_in_scope(self._data, self._scope, codes)
        refused = [code for code in codes if code not in allowed]
        if refused:
            raise ValidationError(
                _("Kode ini tidak dikenal atau di luar wilayah Anda: %(codes)s"),
                params={"codes": ", ".join(refused[:20])},
            )
        return "\n".join(codes)


def member_codes(text: str) -> list[str]:
    """The codes of a members field, once each, in order: one per line, or apart by spaces,
    commas or semicolons (as pasted from a spreadsheet or a message)."""
    return [code for code in dict.fromkeys(re.split(r"[\s,;]+", text.strip())) if code]


def members_in_scope(data: ReleaseData, scope: Scope, codes: list[str]) -> dict[str, str]:
    """The codes that name a province, kab/kota or school of the release that the account may
    open, in the given order, with the name to show for each."""
    schools = data.schools([code for code in codes if data.region(code) is None])
    allowed = {}
    for code in codes:
        region = data.region(code)
        school = schools.get(code)
        if region is not None and code != NATIONAL_CODE and scope.allows_region(code):
            allowed[code] = f"{region.name} ({code})"
        elif school is not None and scope.allows_school(code, school["kabkota_code"]):
            allowed[code] = f"{school['school_name']} ({code})"
    return allowed
