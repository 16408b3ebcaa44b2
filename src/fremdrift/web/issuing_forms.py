"""The form that issues a report: the download form's choices, the
recipient and the note sent with it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import ReportForm

OTHER_RECIPIENT = "other"
# The usual recipients, stored by these names (the reports are Danish
# documents to Danish bodies; the name is what the list of issued reports
# shows in either language).
RECIPIENTS = {
    "board": "Bestyrelsen",
    "city_council": "Byrådet",
    "lbf": "Landsbyggefonden",
}


class IssueForm(ReportForm):
    """Which report to issue, to whom, with what note. PDF by default."""

    recipient = forms.ChoiceField(
        label=_("Modtager"),
        widget=forms.RadioSelect,
        choices=[
            ("board", _("Bestyrelsen")),
            ("city_council", _("Byrådet")),
            ("lbf", _("Landsbyggefonden")),
            (OTHER_RECIPIENT, _("Anden modtager")),
        ],
        initial="board",
    )
    recipient_other = forms.CharField(
        label=_("Navn på anden modtager"),
        required=False,
        max_length=300,
        help_text=_("Fx styregruppen eller en fond."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Følger med rapporten og vises på listen over udsendte."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["lang"].required = True
        # "Modtager" is whom it is sent to; this is how much it shows.
        self.fields["audience"].label = _("Udgave")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        choice = data.get("recipient")
        other = (data.get("recipient_other") or "").strip()
        if choice == OTHER_RECIPIENT and not other:
            self.add_error("recipient_other", _("Skriv, hvem rapporten sendes til."))
        data["recipient_name"] = (
            other if choice == OTHER_RECIPIENT else RECIPIENTS.get(choice or "", "")
        )
        return data
