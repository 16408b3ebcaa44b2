"""Forms for planning courses and sessions on the staff pages: a new
course, a copy of last term's, a series of sessions, and one session
moved or corrected. Each puts its message on the field that is wrong."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fremdrift.base.versioning import MAX_VERSION
from fremdrift.core.schedule import MAX_SERIES, DateRange, series_dates
from fremdrift.plans.models import Activity

from .forms import DateInput, StaffForm
from .models import Course, Enrolment, Session
from .planning import session_date_problem

WEEKDAYS = [
    (0, _("Mandag")),
    (1, _("Tirsdag")),
    (2, _("Onsdag")),
    (3, _("Torsdag")),
    (4, _("Fredag")),
    (5, _("Lørdag")),
    (6, _("Søndag")),
]
# A holiday as the team writes it: 13.10.2025, 13.10.2025-17.10.2025 or
# 2025-10-13 til 2025-10-17; several separated by commas or new lines.
RANGE_SEPARATOR = re.compile(r"\s*(?:–|—|\btil\b|\bto\b|-(?=\s*\d{1,2}[./]))\s*")
DATE_FORMATS = ("%d.%m.%Y", "%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d")


def _day(text: str) -> datetime.date | None:
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text.strip(), pattern).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    return None


def parse_holidays(text: str) -> list[DateRange]:
    """The holidays in ``text``, or ``forms.ValidationError`` naming the
    first entry that is not a date or a range of dates."""
    holidays = []
    for entry in re.split(r"[,;\n]+", text):
        entry = entry.strip()
        if not entry:
            continue
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}\s*-\s*\d{4}-\d{2}-\d{2}", entry):
            parts = [entry[:10], entry[-10:]]
        else:
            parts = RANGE_SEPARATOR.split(entry, maxsplit=1)
        days = [_day(part) for part in parts]
        if None in days or len(days) > 2:
            raise forms.ValidationError(
                _(
                    "»%(entry)s« er ikke en dato eller en periode, fx 13.10.2025 "
                    "eller 13.10.2025-17.10.2025."
                ),
                params={"entry": entry},
                code="holiday",
            )
        first, last = days[0], days[-1]
        assert first is not None and last is not None
        if last < first:
            raise forms.ValidationError(
                _("Perioden »%(entry)s« slutter før den begynder."),
                params={"entry": entry},
                code="holiday_order",
            )
        holidays.append(DateRange(first, last))
    return holidays


def _dmy(day: datetime.date) -> str:
    return day.strftime("%d.%m.%Y")


class CourseForm(StaffForm):
    """A new course of an activity."""

    name = forms.CharField(
        label=_("Navn"),
        max_length=200,
        help_text=_("Fx »Lektiehjælp forår 2026«."),
    )
    start = forms.DateField(label=_("Startdato"), widget=DateInput())
    end = forms.DateField(label=_("Slutdato"), widget=DateInput())
    planned_sessions = forms.IntegerField(
        label=_("Planlagte mødegange"), required=False, min_value=1, max_value=500
    )
    completion_rule = forms.ChoiceField(
        label=_("Gennemført når"),
        choices=Course.CompletionRule.choices,
        initial=Course.CompletionRule.MAX_ABSENCE,
    )
    completion_value = forms.IntegerField(
        label=_("N"),
        min_value=0,
        max_value=500,
        initial=25,
        help_text=_("Procent fravær, eller antal mødegange."),
    )

    def __init__(self, *args: Any, activity: Activity, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.activity = activity

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if Course.objects.filter(activity=self.activity, name=name).exists():
            raise forms.ValidationError(
                _("Aktiviteten har allerede et forløb med det navn."), code="taken"
            )
        return name

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        plan = self.activity.plan
        first = self.activity.period_start(plan)
        last = self.activity.period_end(plan)
        if start is not None and not first <= start <= last:
            self.add_error(
                "start",
                _("Forløbet skal starte i aktivitetens periode, %(start)s til %(end)s.")
                % {"start": _dmy(first), "end": _dmy(last)},
            )
        if start is not None and end is not None and end < start:
            self.add_error("end", _("Slutdatoen ligger før startdatoen."))
        rule = data.get("completion_rule")
        value = data.get("completion_value")
        absence = rule == Course.CompletionRule.MAX_ABSENCE
        if absence and value is not None and value > 100:
            self.add_error(
                "completion_value", _("Fravær angives i procent, 0 til 100.")
            )
        return data


class CourseCopyForm(CourseForm):
    """A copy of a course for a new term: its rule, and the participants
    ticked (those who finished or are still in it, ticked to begin with)."""

    participants = forms.TypedMultipleChoiceField(
        label=_("Deltagere, der fortsætter"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, source: Course, **kwargs: Any) -> None:
        length = source.end - source.start
        start = max(timezone.localdate(), source.end + datetime.timedelta(days=1))
        enrolments = list(
            Enrolment.objects.filter(course=source)
            .select_related("participant")
            .order_by("participant__initials", "participant__code")
        )
        left = (Enrolment.Outcome.DROPPED_OUT, Enrolment.Outcome.MOVED_AWAY)
        kwargs.setdefault(
            "initial",
            {
                "start": start,
                "end": start + length,
                "planned_sessions": source.planned_sessions,
                "completion_rule": source.completion_rule,
                "completion_value": source.completion_value,
                "participants": [
                    e.participant_id for e in enrolments if e.outcome not in left
                ],
            },
        )
        super().__init__(*args, activity=source.activity, **kwargs)
        self.fields["participants"].choices = [  # type: ignore[attr-defined]
            (
                e.participant_id,
                f"{e.participant.initials or e.participant.code} "
                f"({e.participant.code}"
                + (f", {e.get_outcome_display()}" if e.outcome else "")
                + ")",
            )
            for e in enrolments
        ]
        # The copy keeps the source's rule: not asked again.
        for name in ("planned_sessions", "completion_rule", "completion_value"):
            del self.fields[name]


class SessionSeriesForm(StaffForm):
    """A course's sessions as a series: a weekday every N weeks between two
    dates, holidays left out."""

    weekday = forms.TypedChoiceField(label=_("Ugedag"), choices=WEEKDAYS, coerce=int)
    every_weeks = forms.IntegerField(
        label=_("Hver N. uge"),
        min_value=1,
        max_value=8,
        initial=1,
        help_text=_("1 = hver uge, 2 = hver anden uge."),
    )
    first = forms.DateField(label=_("Fra"), widget=DateInput())
    last = forms.DateField(label=_("Til og med"), widget=DateInput())
    holidays = forms.CharField(
        label=_("Ferie og fridage"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Datoer eller perioder, der springes over, adskilt af komma eller "
            "linjeskift: fx 13.10.2025-17.10.2025, 24.12.2025."
        ),
    )
    duration_minutes = forms.IntegerField(
        label=_("Varighed i minutter"), required=False, min_value=1, max_value=1440
    )
    theme = forms.CharField(label=_("Tema"), required=False, max_length=200)

    def __init__(self, *args: Any, course: Course, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "first": course.start,
                "last": course.end,
                "weekday": course.start.weekday(),
            },
        )
        super().__init__(*args, **kwargs)
        self.course = course

    def clean_holidays(self) -> list[DateRange]:
        return parse_holidays(self.cleaned_data["holidays"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first"), data.get("last")
        course = self.course
        period = {"start": _dmy(course.start), "end": _dmy(course.end)}
        message = _("Datoen skal ligge i forløbets periode, %(start)s til %(end)s.")
        for name in ("first", "last"):
            day = data.get(name)
            if day is not None and not course.start <= day <= course.end:
                self.add_error(name, message % period)
        if first is not None and last is not None and last < first:
            self.add_error("last", _("Slutdatoen ligger før startdatoen."))
        if self.errors:
            return data
        days = series_dates(
            first=data["first"],
            last=data["last"],
            weekday=data["weekday"],
            every_weeks=data["every_weeks"],
            skipped=data["holidays"],
        )
        if not days:
            self.add_error(
                "weekday", _("Der er ingen mødegange på den ugedag i perioden.")
            )
        elif len(days) == MAX_SERIES:
            self.add_error(
                "last",
                _("Højst %(n)s mødegange ad gangen; vælg en kortere periode.")
                % {"n": MAX_SERIES},
            )
        data["days"] = days
        return data


class VersionField(forms.IntegerField):
    def __init__(self) -> None:
        super().__init__(widget=forms.HiddenInput, min_value=0, max_value=MAX_VERSION)


class SessionEditForm(StaffForm):
    """One session moved to another day, or its duration, theme or (for a
    session without a course) head count corrected."""

    date = forms.DateField(label=_("Dato"), widget=DateInput())
    duration_minutes = forms.IntegerField(
        label=_("Varighed i minutter"), required=False, min_value=1, max_value=1440
    )
    theme = forms.CharField(label=_("Tema"), required=False, max_length=200)
    headcount = forms.IntegerField(
        label=_("Antal fremmødte uden navn"),
        required=False,
        min_value=0,
        max_value=10000,
    )
    version = VersionField()

    def __init__(self, *args: Any, session: Session, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "date": session.date,
                "duration_minutes": session.duration_minutes,
                "theme": session.theme,
                "headcount": session.headcount,
                "version": session.version,
            },
        )
        super().__init__(*args, **kwargs)
        self.session = session
        if session.course_id is not None:
            # A course's session counts those ticked present.
            del self.fields["headcount"]

    def clean_date(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["date"]
        problem = session_date_problem(self.session, day)
        session = self.session
        if problem == "outside_course":
            course = session.course
            assert course is not None
            raise forms.ValidationError(
                _("Datoen skal ligge i forløbets periode, %(start)s til %(end)s.")
                % {"start": _dmy(course.start), "end": _dmy(course.end)},
                code=problem,
            )
        if problem == "taken":
            raise forms.ValidationError(
                _("Forløbet har allerede en mødegang den %(day)s.")
                % {"day": _dmy(day)},
                code=problem,
            )
        if problem:
            plan = session.activity.plan
            raise forms.ValidationError(
                _("Datoen skal ligge i aktivitetens periode, %(start)s til %(end)s.")
                % {
                    "start": _dmy(session.activity.period_start(plan)),
                    "end": _dmy(session.activity.period_end(plan)),
                },
                code=problem,
            )
        return day


class VersionForm(StaffForm):
    """A confirmation that carries the version the user saw."""

    version = VersionField()
