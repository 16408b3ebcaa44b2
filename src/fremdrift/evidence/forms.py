"""The staff's form for attaching a photo or document to an activity."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from fremdrift.plans.models import Activity, Criterion
from fremdrift.registrations.forms import StaffForm
from fremdrift.registrations.models import Session

from .models import Evidence


class SessionChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A session by its day in words ("tirsdag 7. oktober 2025"), with its
    course or theme."""

    def label_from_instance(self, obj: Session) -> str:  # type: ignore[override]
        day = capfirst(date_format(obj.date, "l j. F Y"))
        what = obj.course.name if obj.course else obj.theme
        return f"{day} · {what}" if what else day


class CriterionChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A criterion by its text, as the team wrote it."""

    def label_from_instance(self, obj: Criterion) -> str:  # type: ignore[override]
        text = obj.text
        return text if len(text) <= 90 else text[:89].rstrip() + "…"


class EvidenceForm(StaffForm):
    file = forms.FileField(
        label=_("Fil"),
        help_text=_("Billede (JPEG, PNG), PDF, Word eller Excel, højst 10 MB."),
    )
    description = forms.CharField(label=_("Beskrivelse"), max_length=300)
    consent = forms.ChoiceField(label=_("Grundlag for at vise personer"))
    session = SessionChoice(
        label=_("Mødegang (valgfrit)"), queryset=Session.objects.none(), required=False
    )
    criterion = CriterionChoice(
        label=_("Succeskriterie (valgfrit)"),
        queryset=Criterion.objects.none(),
        required=False,
    )

    def __init__(self, *args: Any, activity: Activity, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consent"].choices = Evidence.Consent.choices
        # The last year's sessions: enough to pick from on a phone.
        since = timezone.localdate() - datetime.timedelta(days=365)
        self.fields["session"].queryset = (  # type: ignore[attr-defined]
            Session.objects.filter(activity=activity, date__gte=since)
            .select_related("course")
            .order_by("-date")
        )
        self.fields["criterion"].queryset = Criterion.objects.filter(activity=activity)
