from __future__ import annotations

from typing import Any

from django import forms

from fremdrift.core.discretion import Audience
from fremdrift.reports.renderers import RENDERERS


class ReportForm(forms.Form):
    """Which report to download: kind, period, format and audience."""

    kind = forms.ChoiceField(
        label="Rapport",
        choices=[
            ("final", "Resultatevaluering"),
            ("annual", "Årsrapport"),
            ("progress", "Fremdriftsrapport"),
        ],
    )
    year = forms.IntegerField(label="År", required=False)
    tertial = forms.TypedChoiceField(
        label="Tertial",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "–"), (1, "1. tertial"), (2, "2. tertial"), (3, "3. tertial")],
    )
    format = forms.ChoiceField(
        label="Format",
        choices=[
            (name, name.upper())
            for name in ("pdf", "docx", "xlsx", "html")
            if name in RENDERERS
        ],
    )
    audience = forms.ChoiceField(
        label="Modtagere",
        choices=[
            (Audience.BOARD.value, "Bestyrelse (små tal skjult)"),
            (Audience.PUBLIC.value, "Offentlig (små tal skjult)"),
            (Audience.INTERNAL.value, "Internt (fortroligt)"),
        ],
    )

    def __init__(self, *args: Any, years: range, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].widget = forms.Select(
            choices=[("", "–"), *[(y, str(y)) for y in years]]
        )
        self.years = years

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind in ("annual", "progress") and not data.get("year"):
            self.add_error("year", "Vælg et år for års- og fremdriftsrapporter.")
        elif data.get("year") and data["year"] not in self.years:
            self.add_error("year", "Planen løber ikke det år.")
        if kind == "progress" and not data.get("tertial"):
            self.add_error("tertial", "Vælg et tertial for en fremdriftsrapport.")
        return data
