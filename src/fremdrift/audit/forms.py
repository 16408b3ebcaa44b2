"""The purpose asked for a look-up, and the auditor pages' forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AccessLogEntry, AccessLogReview
from .services import AUDIT_PURPOSES, LOOKUP_PURPOSES

Purpose = AccessLogEntry.Purpose

NOTE_HELP = _("Kort. Skriv ikke navne eller andre personoplysninger.")


class AuditForm(forms.Form):
    """Labels without Django's trailing colon, as Danish forms are
    written."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def _purpose_choices(purposes: tuple[str, ...]) -> list[tuple[str, Any]]:
    return [("", _("Vælg formål")), *((p, Purpose(p).label) for p in purposes)]


class LookupPurposeForm(AuditForm):
    """Why a member of staff looks someone up in the whole plan: a choice,
    and a few words when the choice is "other"."""

    formaal = forms.ChoiceField(
        label=_("Formål med opslaget"), choices=_purpose_choices(LOOKUP_PURPOSES)
    )
    begrundelse = forms.CharField(
        label=_("Begrundelse"), required=False, max_length=200, help_text=NOTE_HELP
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("formaal") == Purpose.OTHER and not data.get("begrundelse"):
            self.add_error(
                "begrundelse", _("Skriv kort hvorfor, når formålet er »Andet«.")
            )
        return data

    def purpose(self) -> tuple[str, str]:
        return self.cleaned_data["formaal"], self.cleaned_data["begrundelse"]


class LogFilterForm(AuditForm):
    bruger = forms.CharField(label=_("Bruger"), required=False, max_length=150)
    kode = forms.CharField(label=_("Deltagerkode"), required=False, max_length=20)
    fra = forms.DateField(
        label=_("Fra dato"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    til = forms.DateField(
        label=_("Til dato"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("fra") and data.get("til") and data["til"] < data["fra"]:
            self.add_error("til", _("Til-datoen ligger før fra-datoen."))
        return data


class ExtractForm(AuditForm):
    """A participant's extract: their code, and why it is opened."""

    kode = forms.CharField(label=_("Deltagerkode"), max_length=20)
    formaal = forms.ChoiceField(
        label=_("Formål"), choices=_purpose_choices(AUDIT_PURPOSES)
    )

    def clean_kode(self) -> str:
        return str(self.cleaned_data["kode"]).strip().upper()


class SpotCheckForm(AuditForm):
    antal = forms.IntegerField(
        label=_("Antal logposter"), min_value=1, max_value=100, initial=10
    )
    fra = forms.DateField(
        label=_("Fra dato"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    til = forms.DateField(
        label=_("Til dato"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class ReviewForm(AuditForm):
    entry = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(
        label=_("Vurdering"),
        choices=AccessLogReview.Outcome.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Bemærkning"), required=False, max_length=300, help_text=NOTE_HELP
    )
