"""The staff's form for attaching a photo or document to an activity."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fremdrift.plans.models import Activity, Criterion
from fremdrift.registrations.forms import StaffForm
from fremdrift.registrations.models import Session

from .models import Evidence


class EvidenceForm(StaffForm):
    file = forms.FileField(
        label=_("Fil"),
        help_text=_("Billede (JPEG, PNG), PDF, Word eller Excel, højst 10 MB."),
    )
    description = forms.CharField(label=_("Beskrivelse"), max_length=300)
    consent = forms.ChoiceField(label=_("Grundlag for at vise personer"))
    session = forms.ModelChoiceField(
        label=_("Mødegang (valgfrit)"), queryset=Session.objects.none(), required=False
    )
    criterion = forms.ModelChoiceField(
        label=_("Succeskriterie (valgfrit)"),
        queryset=Criterion.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, activity: Activity, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consent"].choices = Evidence.Consent.choices
        # The last year's sessions: enough to pick from on a phone.
        since = timezone.localdate() - datetime.timedelta(days=365)
        # With the activity: each choice's label (Session.__str__) names it.
        self.fields["session"].queryset = (
            Session.objects.filter(activity=activity, date__gte=since)
            .select_related("activity")
            .order_by("-date")
        )
        self.fields["criterion"].queryset = Criterion.objects.filter(activity=activity)
