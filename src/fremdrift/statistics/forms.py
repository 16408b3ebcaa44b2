from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

MAPPINGS = Path(__file__).resolve().parent / "mappings"
# An upload larger than this is refused before it is read.
MAX_UPLOAD_BYTES = 200 * 1024 * 1024


def shipped_mappings() -> list[tuple[str, str]]:
    """The mapping files that come with fremdrift, as (name, label)."""
    choices: list[tuple[str, str]] = []
    for path in sorted(MAPPINGS.glob("*/*.yaml")):
        choices.append((f"{path.parent.name}/{path.stem}", path.stem))
    return choices


class ImportUploadForm(forms.Form):
    """A file of area statistics to preview, with its source and mapping."""

    source = forms.ChoiceField(
        label=_("Kilde"),
        choices=[
            ("tidy", _("fremdrift-skabelon (CSV eller XLSX)")),
            ("statbank", _("Danmarks Statistik (Statistikbanken, CSV/BULK)")),
            ("lbf", _("Landsbyggefonden (Excel)")),
        ],
    )
    file = forms.FileField(label=_("Fil"))
    mapping_file = forms.FileField(
        label=_("Mappingfil (YAML)"),
        required=False,
        help_text=_("Til Statistikbanken og Landsbyggefonden"),
    )
    mapping_name = forms.ChoiceField(
        label=_("Eller en medfølgende mapping"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mapping_name"].choices = [("", "–"), *shipped_mappings()]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("Filen er for stor (højst %(mb)s MB).")
                % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        source = data.get("source")
        has_mapping = bool(data.get("mapping_file") or data.get("mapping_name"))
        if source == "tidy" and has_mapping:
            self.add_error(
                "mapping_file", _("Skabelonen skal ikke have en mappingfil.")
            )
        elif source in {"statbank", "lbf"} and not has_mapping:
            self.add_error(
                "mapping_file",
                _("Vælg en mapping eller upload en mappingfil til denne kilde."),
            )
        return data


class ImportConfirmForm(forms.Form):
    """The previewed upload, by hash, to import for real."""

    sha256 = forms.RegexField(regex=r"^[0-9a-f]{64}$", widget=forms.HiddenInput)
    suffix = forms.RegexField(
        regex=r"^\.[a-z0-9]{1,5}$|^$", required=False, widget=forms.HiddenInput
    )
    file_name = forms.CharField(max_length=400, widget=forms.HiddenInput)
    source = forms.ChoiceField(
        choices=[("tidy", "tidy"), ("statbank", "statbank"), ("lbf", "lbf")],
        widget=forms.HiddenInput,
    )
    mapping = forms.RegexField(
        regex=r"^([0-9a-f]{64}\.yaml|[a-z0-9_-]+/[a-z0-9_-]+)?$",
        required=False,
        widget=forms.HiddenInput,
    )
