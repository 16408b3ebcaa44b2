"""The outreach form: a contact or a bridge-building in a few taps on a
phone. Its checks are ``outreach.contact_problems``, the same as the API's
and the import's, with the message on the field that is wrong."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fremdrift.plans.models import Activity, Area

from .course_forms import VersionField
from .forms import DateInput, StaffForm
from .models import Contact, Participant
from .outreach import MAX_ANONYMOUS, ContactFields, contact_problems
from .selectors import activity_participants

NAMED = "named"
ANONYMOUS = "anonymous"

MESSAGES = {
    ("anonymous_count", "nobody"): _(
        "Angiv hvor mange personer kontakten var med, eller vælg en deltager."
    ),
    ("anonymous_count", "named_and_anonymous"): _(
        "En kontakt med en navngiven deltager har ikke også et antal uden navn."
    ),
    ("participant", "other_plan"): _("Deltageren hører til en anden helhedsplan."),
    ("area", "other_plan"): _("Området hører til en anden helhedsplan."),
    ("date", "outside_activity"): _("Datoen skal ligge i aktivitetens periode."),
}


def outreach_participants(activity: Activity) -> QuerySet[Participant]:
    """Whom a contact of ``activity`` can name: its participants, and
    anyone it has had contact with before."""
    contacted = Contact.objects.filter(activity=activity).values("participant_id")
    return Participant.objects.filter(
        Q(pk__in=activity_participants(activity=activity).values("pk"))
        | Q(pk__in=contacted),
        plan_id=activity.plan_id,
    ).order_by("initials", "code")


class ParticipantChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Participant) -> str:  # type: ignore[override]
        return f"{obj.initials or obj.code} ({obj.code})"


class ContactForm(StaffForm):
    """A contact (kontakt) or a bridge-building (brobygning)."""

    date = forms.DateField(label=_("Dato"), widget=DateInput())
    kind = forms.ChoiceField(
        label=_("Type"),
        choices=Contact.Kind.choices,
        initial=Contact.Kind.CONTACT,
        widget=forms.RadioSelect(attrs={"class": "pills"}),
    )
    who = forms.ChoiceField(
        label=_("Hvem"),
        choices=[(ANONYMOUS, _("Uden navn (et antal)")), (NAMED, _("En deltager"))],
        initial=ANONYMOUS,
        widget=forms.RadioSelect(attrs={"class": "pills"}),
    )
    anonymous_count = forms.IntegerField(
        label=_("Antal personer"),
        min_value=1,
        max_value=MAX_ANONYMOUS,
        required=False,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    participant = ParticipantChoice(
        label=_("Deltager"),
        queryset=Participant.objects.none(),
        required=False,
        empty_label=_("Vælg deltager"),
    )
    participant_code = forms.CharField(
        label=_("Eller deltagerkode"),
        required=False,
        max_length=20,
        help_text=_("For en deltager, der ikke er på listen, fx D-3PX9RT."),
    )
    area = forms.ModelChoiceField(
        label=_("Boligområde"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("Ikke oplyst"),
    )
    age_group = forms.ChoiceField(
        label=_("Aldersgruppe"),
        choices=[("", _("Ikke oplyst")), *Contact.AgeGroup.choices],
        required=False,
    )
    channel = forms.ChoiceField(
        label=_("Kontaktform"),
        choices=[("", _("Ikke oplyst")), *Contact.Channel.choices],
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        activity: Activity,
        contact: Contact | None = None,
        **kwargs: Any,
    ) -> None:
        if contact is not None:
            kwargs.setdefault("initial", _initial(contact))
        else:
            kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.activity = activity
        self.fields["participant"].queryset = outreach_participants(activity)  # type: ignore[attr-defined]
        self.fields["area"].queryset = Area.objects.filter(  # type: ignore[attr-defined]
            plan_id=activity.plan_id
        ).order_by("order", "name")
        if contact is not None:
            self.fields["version"] = VersionField()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        named = data["who"] == NAMED
        code = (data.get("participant_code") or "").strip().upper()
        if named and data.get("participant") is None and code:
            data["participant"] = Participant.objects.filter(
                plan_id=self.activity.plan_id, code=code
            ).first()
            if data["participant"] is None:
                self.add_error(
                    "participant_code",
                    _("Ingen deltager har koden %(code)s.") % {"code": code},
                )
                return data
        if named and data.get("participant") is None:
            self.add_error("participant", _("Vælg hvilken deltager, det var."))
            return data
        fields = self.contact_fields()
        for name, code in contact_problems(self.activity, fields).items():
            self.add_error(name, MESSAGES.get((name, code), _("Ugyldig værdi.")))
        return data

    def contact_fields(self) -> ContactFields:
        data = self.cleaned_data
        named = data["who"] == NAMED
        return ContactFields(
            date=data["date"],
            kind=data["kind"],
            participant=data.get("participant") if named else None,
            anonymous_count=0 if named else (data.get("anonymous_count") or 0),
            area=data.get("area"),
            age_group=data.get("age_group") or "",
            channel=data.get("channel") or "",
        )


def _initial(contact: Contact) -> dict[str, Any]:
    return {
        "date": contact.date,
        "kind": contact.kind,
        "who": NAMED if contact.participant_id else ANONYMOUS,
        "anonymous_count": contact.anonymous_count or None,
        "participant": contact.participant_id,
        "area": contact.area_id,
        "age_group": contact.age_group,
        "channel": contact.channel,
        "version": contact.version,
    }
