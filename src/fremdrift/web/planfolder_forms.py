"""The forms of the plan folder page: uploading a folder as a zip, and
applying the changes its preview showed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from fremdrift.planfiles.archive import MAX_ZIP_BYTES

_HEX64 = RegexValidator(r"^[0-9a-f]{64}$")


class PlanFolderUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Planmappe som zip-fil"),
        help_text=_(
            "Den zip-fil, som “Hent planen som mappe” giver, med dine ændringer "
            "i plan.yaml og observations.csv."
        ),
        error_messages={
            "required": _("Vælg en zip-fil."),
            "empty": _("Filen er tom."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["aria-describedby"] = "id_file-help"

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_ZIP_BYTES:
            raise forms.ValidationError(
                _("Filen er for stor (højst %(mb)s MB).")
                % {"mb": MAX_ZIP_BYTES // (1024 * 1024)}
            )
        if not upload.name.lower().endswith(".zip"):
            raise forms.ValidationError(_("Filen skal være en zip-fil (.zip)."))
        return upload


class PlanFolderApplyForm(forms.Form):
    """The upload kept on the server and the stored plan it was previewed
    against (both SHA-256s, hidden)."""

    sha256 = forms.CharField(widget=forms.HiddenInput, validators=[_HEX64])
    fingerprint = forms.CharField(widget=forms.HiddenInput, validators=[_HEX64])
