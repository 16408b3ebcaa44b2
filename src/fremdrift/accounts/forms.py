"""The one-time code a user types from their authenticator app, and what
a plan asks of its members when they log in."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class OneTimeCodeForm(forms.Form):
    token = forms.CharField(
        label=_("Kode fra godkendelsesappen"),
        help_text=_("De 6 cifre, appen viser lige nu."),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
            }
        ),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def clean_token(self) -> str:
        # Apps show the code as "123 456"; people type it so.
        token = "".join(self.cleaned_data["token"].split())
        if not token.isdigit():
            raise forms.ValidationError(_("Koden består kun af cifre."))
        return token


class PlanSecurityForm(forms.Form):
    two_factor_required = forms.BooleanField(
        label=_("Kræv godkendelsesapp af alle i planen"),
        help_text=_(
            "Alle med en rolle i planen, også medarbejdere, bestyrelse og "
            "revisorer, skal bekræfte en engangskode fra en godkendelsesapp "
            "efter adgangskoden. Planadministratorer og koordinatorer skal "
            "det altid."
        ),
        required=False,
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
