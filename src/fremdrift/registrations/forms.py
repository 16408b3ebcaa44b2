"""Forms for the staff pages. Each validates on the server and puts its
message on the field that is wrong. Personal data is kept to the minimum:
a birth year, never a birth date, and no CPR number."""

from __future__ import annotations

import datetime
import re
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fremdrift.core.text_da import format_commentary_period
from fremdrift.plans.models import Activity, Area, Plan

from .models import (
    Course,
    Enrolment,
    Household,
    Participant,
    Questionnaire,
    QuestionnaireItem,
    Response,
)

EARLIEST_BIRTH_YEAR = 1900
# Initials or a first name never need digits; refusing them keeps CPR
# numbers and birth dates out of the free-text field.
DIGITS = re.compile(r"\d")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def _yes_no(value: str) -> bool | None:
    return {"1": True, "0": False}.get(value)


def yes_no_field(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=[("", _("Ved ikke")), ("1", _("Ja")), ("0", _("Nej"))],
        coerce=_yes_no,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )


class StaffForm(forms.Form):
    """Labels without Django's trailing colon, as Danish forms are
    written."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class SessionForm(StaffForm):
    """A session (mødegang) of a course."""

    date = forms.DateField(label=_("Dato"), widget=DateInput())
    duration_minutes = forms.IntegerField(
        label=_("Varighed i minutter"), required=False, min_value=1, max_value=1440
    )
    theme = forms.CharField(label=_("Tema"), required=False, max_length=200)

    def __init__(self, *args: Any, course: Course, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.course = course

    def clean_date(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["date"]
        if not self.course.start <= day <= self.course.end:
            raise forms.ValidationError(
                _("Datoen skal ligge i forløbets periode, %(start)s til %(end)s."),
                params={
                    "start": self.course.start.strftime("%d.%m.%Y"),
                    "end": self.course.end.strftime("%d.%m.%Y"),
                },
                code="outside_course",
            )
        return day


def course_field(activity: Activity, *, required: bool) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Forløb"),
        queryset=Course.objects.filter(activity=activity).order_by("-start"),
        required=required,
        empty_label=_("Intet forløb") if not required else _("Vælg forløb"),
    )


class ParticipantForm(StaffForm):
    """A new participant, enrolled in a course in the same step. The code
    is generated; everything else is optional."""

    HOUSEHOLD_NONE = "none"
    HOUSEHOLD_NEW = "new"
    HOUSEHOLD_EXISTING = "existing"

    initials = forms.CharField(
        label=_("Initialer eller fornavn"),
        required=False,
        max_length=30,
        help_text=_("Valgfrit. Aldrig CPR-nummer eller fødselsdato."),
    )
    birth_year = forms.IntegerField(
        label=_("Fødselsår"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text=_("Kun året, fx 2015."),
    )
    sex = forms.ChoiceField(
        label=_("Køn"),
        choices=[("", _("Ikke oplyst")), *Participant.Sex.choices],
        required=False,
    )
    area = forms.ModelChoiceField(
        label=_("Boligområde"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("Ikke oplyst"),
    )
    household = forms.ChoiceField(
        label=_("Husstand"),
        choices=[
            (HOUSEHOLD_NONE, _("Ingen")),
            (HOUSEHOLD_NEW, _("Ny husstand")),
            (HOUSEHOLD_EXISTING, _("Samme husstand som …")),
        ],
        initial=HOUSEHOLD_NONE,
        widget=forms.RadioSelect,
    )
    household_code = forms.CharField(
        label=_("Husstandskode eller et familiemedlems deltagerkode"),
        required=False,
        max_length=20,
        help_text=_("Fx H-7KQ2MA eller D-3PX9RT."),
    )
    role = forms.ChoiceField(
        label=_("Rolle"), choices=Enrolment.Role.choices, initial="child"
    )
    start = forms.DateField(label=_("Startdato"), widget=DateInput(), required=False)

    def __init__(
        self, *args: Any, plan: Plan, activity: Activity, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        areas = Area.objects.filter(plan=plan).order_by("order", "name")
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]
        self.fields["course"] = course_field(activity, required=False)
        self.fields["start"].initial = timezone.localdate()
        # The course next to the role, where the eye looks for it.
        self.order_fields(
            [
                "initials",
                "birth_year",
                "sex",
                "area",
                "household",
                "household_code",
                "course",
                "role",
                "start",
            ]
        )

    def clean_initials(self) -> str:
        initials: str = self.cleaned_data["initials"].strip()
        if DIGITS.search(initials):
            raise forms.ValidationError(
                _(
                    "Skriv kun initialer eller fornavn, uden tal: "
                    "aldrig CPR-nummer eller fødselsdato."
                ),
                code="digits",
            )
        return initials

    def clean_birth_year(self) -> int | None:
        year: int | None = self.cleaned_data["birth_year"]
        this_year = timezone.localdate().year
        if year is not None and not EARLIEST_BIRTH_YEAR <= year <= this_year:
            raise forms.ValidationError(
                _("Angiv et fødselsår mellem %(first)s og %(last)s."),
                params={"first": EARLIEST_BIRTH_YEAR, "last": this_year},
                code="birth_year",
            )
        return year

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["household_of"] = None
        data["existing_household"] = None
        if data.get("household") == self.HOUSEHOLD_EXISTING:
            code = (data.get("household_code") or "").strip().upper()
            if not code:
                self.add_error(
                    "household_code",
                    _("Skriv husstandens kode eller et familiemedlems kode."),
                )
            else:
                household = Household.objects.filter(plan=self.plan, code=code).first()
                member = Participant.objects.filter(plan=self.plan, code=code).first()
                if household is None and member is None:
                    self.add_error(
                        "household_code",
                        _("Ingen husstand eller deltager har koden %(code)s.")
                        % {"code": code},
                    )
                data["existing_household"] = household
                data["household_of"] = member if household is None else None
        return data


class EnrolForm(StaffForm):
    """An existing participant enrolled in one of the activity's courses."""

    role = forms.ChoiceField(
        label=_("Rolle"), choices=Enrolment.Role.choices, initial="child"
    )
    start = forms.DateField(label=_("Startdato"), widget=DateInput())

    def __init__(
        self, *args: Any, activity: Activity, participant: Participant, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.participant = participant
        self.fields["course"] = course_field(activity, required=True)
        self.fields["start"].initial = timezone.localdate()
        self.order_fields(["course", "role", "start"])

    def clean_course(self) -> Course:
        course: Course = self.cleaned_data["course"]
        if Enrolment.objects.filter(
            course=course, participant=self.participant
        ).exists():
            raise forms.ValidationError(
                _("Deltageren er allerede skrevet op på dette forløb."),
                code="enrolled",
            )
        return course


class OutcomeForm(StaffForm):
    """How an enrolment ended, and the individual goal."""

    # The enrolment page shows this form beside the follow-up form, which
    # has an ``outcome`` too: prefixes keep their ids apart.
    prefix = "resultat"

    outcome = forms.ChoiceField(
        label=_("Resultat"),
        choices=[("", _("Stadig i gang")), *Enrolment.Outcome.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    end = forms.DateField(label=_("Slutdato"), widget=DateInput(), required=False)
    goal_set = forms.BooleanField(
        label=_("Der er sat et individuelt mål"), required=False
    )
    goal_reached = yes_no_field(_("Er målet nået?"))

    def __init__(self, *args: Any, enrolment: Enrolment, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "outcome": enrolment.outcome,
                "end": enrolment.end,
                "goal_set": enrolment.goal_set,
                "goal_reached": {True: "1", False: "0"}.get(
                    enrolment.goal_reached,  # type: ignore[arg-type]
                    "",
                ),
            },
        )
        super().__init__(*args, **kwargs)
        self.enrolment = enrolment

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        end = data.get("end")
        if end is not None and end < self.enrolment.start:
            self.add_error(
                "end",
                _("Slutdatoen ligger før startdatoen (%(start)s).")
                % {"start": self.enrolment.start.strftime("%d.%m.%Y")},
            )
        if data.get("goal_reached") is not None and not data.get("goal_set"):
            self.add_error(
                "goal_reached",
                _("Et mål kan kun nås, når der er sat et mål."),
            )
        if data.get("outcome") and end is None and "end" not in self.errors:
            self.add_error("end", _("Angiv hvornår forløbet sluttede for deltageren."))
        return data


class FollowUpForm(StaffForm):
    """A follow-up of an enrolment, e.g. three months after its end."""

    prefix = "opfoelgning"

    due = forms.DateField(label=_("Opfølgning pr."), widget=DateInput())
    done = forms.DateField(
        label=_("Gennemført den"), widget=DateInput(), required=False
    )
    outcome = forms.CharField(
        label=_("Status"),
        max_length=200,
        required=False,
        help_text=_("Fx »stadig i job« eller »stadig i grundskoleklasse«."),
    )
    positive = yes_no_field(_("Fastholdt?"))

    def __init__(self, *args: Any, enrolment: Enrolment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        base = enrolment.end or enrolment.course.end
        self.fields["due"].initial = _add_months(base, 3)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("positive") is not None and data.get("done") is None:
            self.add_error("done", _("Angiv hvornår opfølgningen blev gennemført."))
        return data


def _add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, or the month's last day."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


LIKERT_CHOICES = [(str(n), str(n)) for n in range(1, 6)]
YES_NO_CHOICES = [("1", _("Ja")), ("0", _("Nej"))]


class ResponseForm(StaffForm):
    """A questionnaire answered before or after the course: one field per
    question; a question left blank is unanswered."""

    phase = forms.ChoiceField(
        label=_("Før eller efter"),
        choices=Response.Phase.choices,
        widget=forms.RadioSelect,
    )
    date = forms.DateField(label=_("Besvaret den"), widget=DateInput())

    def __init__(self, *args: Any, questionnaire: Questionnaire, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
        self.items = list(questionnaire.items.all())
        for item in self.items:
            likert = item.scale == QuestionnaireItem.Scale.LIKERT5
            self.fields[f"item_{item.pk}"] = forms.TypedChoiceField(
                label=item.text,
                choices=LIKERT_CHOICES if likert else YES_NO_CHOICES,
                coerce=int,
                required=False,
                widget=forms.RadioSelect(attrs={"class": "scale"}),
                help_text=_("1 = meget uenig, 5 = meget enig") if likert else "",
            )

    def answers(self) -> dict[int, int]:
        return {
            item.pk: self.cleaned_data[f"item_{item.pk}"]
            for item in self.items
            if self.cleaned_data.get(f"item_{item.pk}") not in (None, "")
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.items and not self.errors and not self.answers():
            raise forms.ValidationError(
                _("Besvar mindst ét spørgsmål."), code="no_answers"
            )
        return data


class ParticipantSearchForm(StaffForm):
    q = forms.CharField(
        label=_("Søg på kode eller initialer"), required=False, max_length=30
    )


def commentary_periods(first_year: int, last_year: int) -> list[tuple[str, str]]:
    """The periods a commentary can be written for, newest first: each year
    from ``first_year`` to ``last_year`` followed by its tertials, and the
    whole plan period; each named as the reports name it ("2026",
    "2. tertial 2026"), never by its code."""
    choices = [("", format_commentary_period(""))]
    for year in range(last_year, first_year - 1, -1):
        codes = [str(year), *(f"{year}T{tertial}" for tertial in (3, 2, 1))]
        choices += [(code, format_commentary_period(code)) for code in codes]
    return choices


def activity_commentary_periods(activity: Activity) -> list[tuple[str, str]]:
    """The periods of ``commentary_periods`` for the years the activity
    runs in."""
    plan = activity.plan
    return commentary_periods(
        activity.period_start(plan).year, activity.period_end(plan).year
    )


class CommentaryForm(StaffForm):
    """The team's commentary for one period, on the plan, an effort area or
    an activity (``periods``: ``commentary_periods``)."""

    period = forms.ChoiceField(
        label=_("Periode"),
        required=False,
        error_messages={"invalid_choice": _("Vælg en af planens perioder.")},
    )
    text = forms.CharField(
        label=_("Kommentar"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text=_("Vises i fremdrifts-, års- og slutrapporten for perioden."),
    )

    def __init__(
        self, *args: Any, periods: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["period"]).choices = periods


class OpenSessionForm(StaffForm):
    """A session without a course: date, theme and a head count."""

    date = forms.DateField(label=_("Dato"), widget=DateInput())
    theme = forms.CharField(label=_("Tema"), required=False, max_length=200)
    headcount = forms.IntegerField(
        label=_("Antal fremmødte"),
        min_value=0,
        max_value=10000,
        required=False,
        help_text=_("Når navnene ikke registreres, fx ved fællesspisning."),
    )
    duration_minutes = forms.IntegerField(
        label=_("Varighed i minutter"), min_value=1, max_value=1440, required=False
    )

    def __init__(self, *args: Any, activity: Activity, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.activity = activity

    def clean_date(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["date"]
        plan = self.activity.plan
        start, end = self.activity.period_start(plan), self.activity.period_end(plan)
        if not start <= day <= end:
            raise forms.ValidationError(
                _("Datoen skal ligge i aktivitetens periode, %(start)s til %(end)s.")
                % {"start": start.isoformat(), "end": end.isoformat()}
            )
        return day
