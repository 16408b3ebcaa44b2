from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fremdrift.core.discretion import Audience
from fremdrift.reports.renderers import RENDERERS


class ReportForm(forms.Form):
    """Which report to download: kind, period, format, audience and
    language."""

    kind = forms.ChoiceField(
        label=_("Rapport"),
        choices=[
            ("final", _("Resultatevaluering")),
            ("annual", _("Årsrapport")),
            ("progress", _("Fremdriftsrapport")),
        ],
    )
    year = forms.IntegerField(label=_("År"), required=False)
    tertial = forms.TypedChoiceField(
        label=pgettext_lazy("form field", "Tertial"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[
            ("", "–"),
            (1, _("1. tertial")),
            (2, _("2. tertial")),
            (3, _("3. tertial")),
        ],
    )
    format = forms.ChoiceField(
        label=pgettext_lazy("file format", "Format"),
        choices=[
            (name, name.upper())
            for name in ("pdf", "docx", "xlsx", "html")
            if name in RENDERERS
        ],
    )
    audience = forms.ChoiceField(
        label=_("Modtagere"),
        choices=[
            (Audience.BOARD.value, _("Bestyrelse (små tal skjult)")),
            (Audience.PUBLIC.value, _("Offentlig (små tal skjult)")),
            (Audience.INTERNAL.value, _("Internt (fortroligt)")),
        ],
    )
    # Each language is named in its own words; left empty, the report is in
    # the page's language.
    lang = forms.ChoiceField(
        label=_("Sprog"),
        required=False,
        choices=settings.LANGUAGES,
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
            self.add_error("year", _("Vælg et år for års- og fremdriftsrapporter."))
        elif data.get("year") and data["year"] not in self.years:
            self.add_error("year", _("Planen løber ikke det år."))
        if kind == "progress" and not data.get("tertial"):
            self.add_error("tertial", _("Vælg et tertial for en fremdriftsrapport."))
        return data
