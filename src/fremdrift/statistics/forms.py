from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

# An upload larger than this is refused before it is read.
MAX_UPLOAD_BYTES = 200 * 1024 * 1024
MAX_MAPPING_BYTES = 1024 * 1024


class ImportUploadForm(forms.Form):
    """A file of area statistics to preview; a mapping file only when the
    file is not in one of the layouts fremdrift recognises."""

    file = forms.FileField(
        label=_("Fil med tal"),
        help_text=_(
            "CSV eller XLSX: skabelonen, en fil fra Statistikbanken eller en "
            "tabel fra Landsbyggefonden."
        ),
    )
    mapping_file = forms.FileField(
        label=_("Mappingfil (YAML), kun hvis filen ikke genkendes"),
        required=False,
        help_text=_(
            "Siger, hvilke kolonner og værdier der er hvilken indikator og "
            "population. Hent en skabelon ovenfor."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("Filen er for stor (højst %(mb)s MB).")
                % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return upload

    def clean_mapping_file(self) -> Any:
        upload = self.cleaned_data.get("mapping_file")
        if upload and upload.size > MAX_MAPPING_BYTES:
            raise forms.ValidationError(_("Mappingfilen er for stor (højst 1 MB)."))
        return upload


class ImportConfirmForm(forms.Form):
    """The previewed upload, by the token its session keeps it under."""

    token = forms.RegexField(regex=r"^[A-Za-z0-9_-]{16,64}$", widget=forms.HiddenInput)
