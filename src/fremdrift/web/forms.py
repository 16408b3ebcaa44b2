from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.forms.boundfield import BoundWidget
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fremdrift.accounts.policy import sees_version
from fremdrift.core.discretion import Audience
from fremdrift.reports.renderers import RENDERERS

AUDIENCE_CHOICES = [
    (Audience.BOARD.value, _("Bestyrelse (små tal skjult)")),
    (Audience.PUBLIC.value, _("Offentlig (små tal skjult)")),
    (Audience.INTERNAL.value, _("Internt (fortroligt)")),
]


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
    audience = forms.ChoiceField(label=_("Modtagere"), choices=AUDIENCE_CHOICES)
    # Each language is named in its own words; left empty, the report is in
    # the page's language.
    lang = forms.ChoiceField(
        label=_("Sprog"),
        required=False,
        choices=settings.LANGUAGES,
    )

    def __init__(
        self,
        *args: Any,
        years: range,
        reader: Audience | None = None,
        **kwargs: Any,
    ) -> None:
        """``reader``: the reader's audience (``audience_for``); the form
        then offers only the versions that reader may download
        (``sees_version``), so a visitor is never offered the internal
        one. Without it every version is offered and the caller asks
        ``may_download`` of the choice."""
        super().__init__(*args, **kwargs)
        if reader is not None:
            self.offer_versions_for(reader)
        self.fields["year"].widget = forms.Select(
            choices=[("", "–"), *[(y, str(y)) for y in years]]
        )
        self.years = years

    def offer_versions_for(self, reader: Audience) -> None:
        """Offer only the versions a reader at ``reader`` may download
        (``sees_version``). On a form already validated against every
        version, this changes what it shows, not what it accepted."""
        cast(forms.ChoiceField, self.fields["audience"]).choices = [
            (value, label)
            for value, label in AUDIENCE_CHOICES
            if sees_version(reader, value)
        ]

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


class CrossPlanForm(forms.Form):
    """What the cross-plan overview shows: the day the verdicts are judged
    as of, and an indicator for chosen areas of the reader's plans in a
    span of years. Read by GET: choosing changes nothing."""

    dato = forms.DateField(
        label=_("Opgjort pr."),
        required=False,
        help_text=_("Tom: i dag."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    indikator = forms.ChoiceField(label=_("Nøgletal"), required=False)
    omraade = forms.TypedMultipleChoiceField(
        label=_("Områder"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    fra = forms.IntegerField(
        label=_("Fra år"), required=False, min_value=1900, max_value=2200
    )
    til = forms.IntegerField(
        label=_("Til år"), required=False, min_value=1900, max_value=2200
    )

    def __init__(
        self,
        *args: Any,
        indicators: list[tuple[str, str]],
        areas: list[tuple[str, list[tuple[int, str]]]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["indikator"]).choices = [
            ("", "–"),
            *indicators,
        ]
        cast(forms.ChoiceField, self.fields["omraade"]).choices = areas
        self.areas = areas

    def area_groups(self) -> list[tuple[str, list[BoundWidget]]]:
        """The area checkboxes plan by plan: (plan, its checkboxes), for a
        fieldset per plan."""
        boxes = iter(self["omraade"].subwidgets)
        return [
            (plan, [next(boxes) for _choice in choices]) for plan, choices in self.areas
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("indikator") and not data.get("omraade"):
            self.add_error("omraade", _("Vælg mindst ét område."))
        if data.get("omraade") and not data.get("indikator"):
            self.add_error("indikator", _("Vælg et nøgletal."))
        first, last = data.get("fra"), data.get("til")
        if first is not None and last is not None and first > last:
            self.add_error("til", _("Til-året ligger før fra-året."))
        return data
