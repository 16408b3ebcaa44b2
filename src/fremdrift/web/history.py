"""The change history ("Historik") of one object: who changed it, when, and
each field from what to what, in Danish with its values formatted (dates,
numbers, choices, the names of what a field points at; never a raw id).

One page per criterion (with its reported values), activity (with its
decisions), course (with its enrolments), session (with its attendance
list), observation series (an indicator for one population) and
commentary. The policy decides who reads which
(``may_read_history``, ``may_read_activity_history``); a page that shows
participants writes an access-log entry naming them."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_safe
from simple_history.utils import get_history_model_for_model

from fremdrift.accounts.policy import (
    is_plan_member,
    may_read_activity_history,
    may_read_history,
    may_register,
)
from fremdrift.audit.models import AccessLogEntry
from fremdrift.audit.services import access_log
from fremdrift.core.text_da import format_commentary_period, format_date, format_number
from fremdrift.plans.models import (
    Activity,
    Commentary,
    Criterion,
    Decision,
    Plan,
    Population,
    TargetRevision,
)
from fremdrift.plans.models import ReportedValue as Reported
from fremdrift.plans.selectors import plan_queryset
from fremdrift.registrations.models import (
    Attendance,
    Course,
    Enrolment,
    Participant,
    Session,
)
from fremdrift.statistics.models import ImportBatch, Indicator, Observation

# Danish labels of the fields the history shows, by field name (one name
# means the same on every model that has it).
FIELD_LABELS = {
    "activity": gettext_noop("Aktivitet"),
    "aggregation": gettext_noop("Opgørelse"),
    "anonymous_count": gettext_noop("Antal anonyme"),
    "author": gettext_noop("Skrevet af"),
    "baseline_denominator": gettext_noop("Baseline, nævner"),
    "baseline_flags": gettext_noop("Baseline, markeringer"),
    "baseline_note": gettext_noop("Baseline, note"),
    "baseline_numerator": gettext_noop("Baseline, tæller"),
    "baseline_period": gettext_noop("Baseline, periode"),
    "baseline_value": gettext_noop("Baseline"),
    "batch": gettext_noop("Import"),
    "better": gettext_noop("Bedre er"),
    "cancelled": gettext_noop("Aflyst"),
    "completion_rule": gettext_noop("Regel for gennemførelse"),
    "completion_value": gettext_noop("Værdi for gennemførelse"),
    "counts_persons": gettext_noop("Tæller personer"),
    "course": gettext_noop("Forløb"),
    "date": gettext_noop("Dato"),
    "denominator": gettext_noop("Nævner"),
    "description": gettext_noop("Beskrivelse"),
    "duration_minutes": gettext_noop("Varighed (minutter)"),
    "effort_area": gettext_noop("Indsatsområde"),
    "end": gettext_noop("Slut"),
    "evidence": gettext_noop("Dokumentation"),
    "extended_to": gettext_noop("Forlænget til"),
    "flags": gettext_noop("Markeringer"),
    "goal": gettext_noop("Overordnet mål"),
    "goal_reached": gettext_noop("Mål nået"),
    "goal_set": gettext_noop("Mål sat"),
    "headcount": gettext_noop("Antal fremmødte"),
    "ident": gettext_noop("Id"),
    "in_force_from": gettext_noop("Gælder fra"),
    "indicator": gettext_noop("Indikator"),
    "kind": gettext_noop("Art"),
    "measure": gettext_noop("Måling"),
    "name": gettext_noop("Navn"),
    "note": gettext_noop("Note"),
    "notes": gettext_noop("Noter"),
    "numerator": gettext_noop("Tæller"),
    "order": gettext_noop("Rækkefølge"),
    "outcome": gettext_noop("Status"),
    "own_defined": gettext_noop("Eget defineret"),
    "parent": gettext_noop("Hovedaktivitet"),
    "participant": gettext_noop("Deltager"),
    "partners": gettext_noop("Samarbejdspartnere"),
    "period": gettext_noop("Periode"),
    "period_end": gettext_noop("Periodens slut"),
    "period_start": gettext_noop("Periodens start"),
    "plan": gettext_noop("Plan"),
    "planned_sessions": gettext_noop("Planlagte mødegange"),
    "population": gettext_noop("Population"),
    "previous_target": gettext_noop("Tidligere mål"),
    "reason": gettext_noop("Begrundelse"),
    "recorded_at": gettext_noop("Registreret"),
    "recorded_verdict": gettext_noop("Registreret vurdering"),
    "reported_verdict": gettext_noop("Indberettet vurdering"),
    "revised_by": gettext_noop("Ændret af"),
    "role": gettext_noop("Rolle"),
    "session": gettext_noop("Mødegang"),
    "slug": gettext_noop("Kort navn"),
    "source": gettext_noop("Kilde"),
    "source_line": gettext_noop("Linje i filen"),
    "start": gettext_noop("Start"),
    "target": gettext_noop("Forventet resultat"),
    "target_group": gettext_noop("Målgruppe"),
    "text": gettext_noop("Tekst"),
    "theme": gettext_noop("Tema"),
    "unit": gettext_noop("Enhed"),
    "unit_label": gettext_noop("Enhedens navn"),
    "value": gettext_noop("Værdi"),
    "working_notes": gettext_noop("Arbejdsnoter"),
}

# What each kind of object is called in the history's list.
OBJECT_LABELS = {
    Criterion: gettext_noop("Succeskriteriet"),
    Reported: gettext_noop("Indberettet værdi"),
    TargetRevision: gettext_noop("Ændring af målet"),
    Activity: gettext_noop("Aktiviteten"),
    Decision: gettext_noop("Beslutning"),
    Course: gettext_noop("Forløbet"),
    Enrolment: gettext_noop("Tilmelding"),
    Session: gettext_noop("Mødegangen"),
    Attendance: gettext_noop("Fremmøde"),
    Observation: gettext_noop("Observation"),
    Commentary: gettext_noop("Kommentaren"),
}

ACTIONS = {
    "+": gettext_noop("Oprettet"),
    "~": gettext_noop("Ændret"),
    "-": gettext_noop("Slettet"),
}

# Fields never shown: the links that say whose row it is (the page says
# that already) and bookkeeping.
HIDDEN = frozenset({"id", "plan", "created_at"})

NO_VALUE = "–"


@dataclass(frozen=True, slots=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(slots=True)
class HistoryEntry:
    """One historical row as the page shows it."""

    when: datetime.datetime
    who: str
    reason: str
    action: str
    what: str
    changes: list[FieldChange] = field(default_factory=list)


def _who(record: Any) -> str:
    user = record.history_user
    if user is None:
        return _("Systemet")
    return str(user.get_full_name() or user.get_username())


class _Names:
    """The names of what foreign keys point at, looked up once per model
    for a whole page (a deleted row reads "(slettet)"). A participant is
    named by code, with initials only for a reader who registers for them
    (``initials``): an auditor reads the trail, not who the people are."""

    def __init__(self, *, initials: bool) -> None:
        self.initials = initials
        self._wanted: dict[type[models.Model], set[Any]] = {}
        self._found: dict[type[models.Model], dict[Any, str]] = {}

    def want(self, model: type[models.Model], pk: Any) -> None:
        if pk is not None:
            self._wanted.setdefault(model, set()).add(pk)

    def name(self, model: type[models.Model], pk: Any) -> str:
        if pk is None:
            return NO_VALUE
        if model not in self._found:
            rows = model._default_manager.filter(pk__in=self._wanted.get(model, ()))
            self._found[model] = {
                row.pk: _object_name(row, initials=self.initials) for row in rows
            }
        return self._found[model].get(pk, _("(slettet)"))


def _object_name(row: models.Model, *, initials: bool) -> str:
    if isinstance(row, Session):
        return format_date(row.date)
    if isinstance(row, ImportBatch):
        return _("{file} indlæst {date}").format(
            file=row.file_name, date=format_date(timezone.localdate(row.imported_at))
        )
    if isinstance(row, Participant):
        return str(row) if initials else row.code
    return str(row)


def _value(model_field: models.Field[Any, Any], value: Any, names: _Names) -> str:
    """A field's value as a reader reads it."""
    if model_field.is_relation and model_field.related_model is not None:
        related = model_field.related_model
        assert isinstance(related, type)
        return names.name(related, value)
    if value is None or value == "" or value == [] or value == {}:
        return NO_VALUE
    if model_field.choices:
        choices = {str(k): v for k, v in model_field.flatchoices}
        return str(choices.get(str(value), value))
    if isinstance(value, bool):
        return _("Ja") if value else _("Nej")
    if isinstance(value, datetime.datetime):
        return format_date(timezone.localtime(value).date())
    if isinstance(value, datetime.date):
        return format_date(value)
    if isinstance(value, Decimal | int):
        return format_number(value)
    if isinstance(value, list):
        return "; ".join(_plain(item) for item in value) or NO_VALUE
    if isinstance(value, dict):
        return ", ".join(f"{key}: {_plain(item)}" for key, item in value.items())
    return str(value)


def _plain(item: Any) -> str:
    """A value inside a list or a mapping (a target, a measure's filter)."""
    if isinstance(item, bool):
        return _("Ja") if item else _("Nej")
    if isinstance(item, int | float | Decimal):
        return format_number(Decimal(str(item)))
    if isinstance(item, str):
        try:
            return format_number(Decimal(item))
        except ArithmeticError:
            return item
    if isinstance(item, dict):
        return ", ".join(f"{k}: {_plain(v)}" for k, v in item.items())
    if isinstance(item, list):
        return "; ".join(_plain(v) for v in item)
    return str(item)


def _label(name: str, model_field: models.Field[Any, Any]) -> str:
    text = FIELD_LABELS.get(name)
    return _(text) if text else str(model_field.verbose_name).capitalize()


def history_entries(
    records: Iterable[Any],
    *,
    what: Any = None,
    hidden: Iterable[str] = (),
    initials: bool = False,
) -> list[HistoryEntry]:
    """The entries of ``records`` (historical rows of one or more models),
    newest first: each change against the same object's previous row, a
    created object with the fields it was given, a deleted one without.
    ``what(record)`` names the object in the list (default: its kind);
    participants are named with their initials only with ``initials``."""
    ordered = sorted(records, key=lambda r: (r.history_date, r.history_id))
    names = _Names(initials=initials)
    skip = HIDDEN | set(hidden)
    tracked: dict[type[Any], list[models.Field[Any, Any]]] = {}
    for record in ordered:
        kind = type(record)
        if kind not in tracked:
            # The historical model's own fields: those the history keeps.
            kept = {f.attname for f in kind.tracked_fields}
            tracked[kind] = [
                f
                for f in record.instance_type._meta.fields
                if f.name not in skip and f.attname in kept
            ]
        for model_field in tracked[kind]:
            if model_field.is_relation and model_field.related_model is not None:
                related = model_field.related_model
                assert isinstance(related, type)
                names.want(related, getattr(record, model_field.attname))
    entries: list[HistoryEntry] = []
    previous: dict[tuple[type[Any], Any], Any] = {}
    for record in ordered:
        instance_type = record.instance_type
        key = (instance_type, record.id)
        before = previous.get(key)
        previous[key] = record
        label = OBJECT_LABELS.get(instance_type, instance_type._meta.verbose_name)
        entry = HistoryEntry(
            when=record.history_date,
            who=_who(record),
            reason=record.history_change_reason or "",
            action=_(ACTIONS[record.history_type]),
            what=what(record) if what else _(label),
        )
        if record.history_type != "-":
            for model_field in tracked[type(record)]:
                new = getattr(record, model_field.attname)
                old = getattr(before, model_field.attname) if before else None
                if before is None and (new is None or new in ("", [], {})):
                    continue
                if before is not None and old == new:
                    continue
                entry.changes.append(
                    FieldChange(
                        _label(model_field.name, model_field),
                        _value(model_field, old, names) if before else NO_VALUE,
                        _value(model_field, new, names),
                    )
                )
            if record.history_type == "~" and not entry.changes:
                # Saved without a change a reader can see (a raised version).
                continue
        entries.append(entry)
    entries.reverse()
    return entries


def _records(model: type[models.Model], **where: Any) -> list[Any]:
    return list(
        get_history_model_for_model(model)
        .objects.filter(**where)
        .select_related("history_user")
    )


def _plan(request: HttpRequest, slug: str) -> Plan:
    plan: Plan = get_object_or_404(plan_queryset(), slug=slug)
    if not is_plan_member(request.user, plan):
        # What the user may not know exists.
        raise Http404
    return plan


def _refuse_unless(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _page(
    request: HttpRequest,
    plan: Plan,
    title: str,
    entries: Sequence[HistoryEntry],
    back: str,
) -> HttpResponse:
    return render(
        request,
        "web/history.html",
        {"plan": plan, "title": title, "entries": entries, "back": back},
    )


def _people_log(
    request: HttpRequest,
    plan: Plan,
    records: Iterable[Any],
    object_type: str,
    object_id: int,
) -> None:
    """An access-log entry for each participant the page shows (one entry
    without a participant when it shows none)."""
    ids = {r.participant_id for r in records if r.participant_id is not None}
    people = list(Participant.objects.filter(plan=plan, pk__in=ids))
    access_log(
        user=request.user,
        plan=plan,
        action=AccessLogEntry.Action.VIEW,
        participants=people,
        object_type=object_type,
        object_id=object_id,
    )


@login_required
@require_safe
def criterion_history(request: HttpRequest, slug: str, ident: str) -> HttpResponse:
    """A criterion's changes (its target, baseline, binding, texts), its
    reported values' and its revised targets'."""
    plan = _plan(request, slug)
    _refuse_unless(may_read_history(request.user, plan))
    criterion = get_object_or_404(Criterion, plan=plan, ident=ident)
    records = [
        *_records(Criterion, id=criterion.pk),
        *_records(Reported, criterion_id=criterion.pk),
        *_records(TargetRevision, criterion_id=criterion.pk),
    ]

    def what(record: Any) -> str:
        if record.instance_type is TargetRevision:
            return _("Ændring af målet fra {day}").format(
                day=format_date(record.in_force_from)
            )
        if record.instance_type is Reported:
            return _("Indberettet værdi for {period}").format(
                period=record.period or NO_VALUE
            )
        return _("Succeskriteriet")

    entries = history_entries(records, what=what, hidden={"criterion"})
    title = _("Historik for succeskriteriet {ident}").format(ident=criterion.ident)
    return _page(request, plan, title, entries, plan.get_absolute_url())


@login_required
@require_safe
def activity_history(
    request: HttpRequest, slug: str, activity_slug: str
) -> HttpResponse:
    """An activity's changes and its decisions'."""
    plan = _plan(request, slug)
    activity = get_object_or_404(Activity, plan=plan, slug=activity_slug)
    _refuse_unless(may_read_activity_history(request.user, activity))
    records = [
        *_records(Activity, id=activity.pk),
        *_records(Decision, activity_id=activity.pk),
    ]
    entries = history_entries(records, hidden={"activity"})
    title = _("Historik for {name}").format(name=activity.name)
    return _page(request, plan, title, entries, activity.get_absolute_url())


@login_required
@require_safe
def course_history(
    request: HttpRequest, slug: str, activity_slug: str, course: int
) -> HttpResponse:
    """A course's changes and its enrolments' (who was enrolled, in which
    role, with which outcome): participants, so the viewing is logged."""
    plan = _plan(request, slug)
    activity = get_object_or_404(Activity, plan=plan, slug=activity_slug)
    _refuse_unless(may_read_activity_history(request.user, activity))
    found = get_object_or_404(Course, activity=activity, pk=course)
    enrolments = _records(Enrolment, course_id=found.pk)
    records = [*_records(Course, id=found.pk), *enrolments]
    _people_log(request, plan, enrolments, "course_history", found.pk)
    entries = history_entries(
        records,
        hidden={"activity", "course"},
        initials=may_register(request.user, activity),
    )
    title = _("Historik for forløbet {name}").format(name=found.name)
    return _page(request, plan, title, entries, activity.get_absolute_url())


@login_required
@require_safe
def session_history(
    request: HttpRequest, slug: str, activity_slug: str, session: int
) -> HttpResponse:
    """A session's changes and its attendance list's (who was ticked and
    unticked, by whom, when): participants, so the viewing is logged."""
    plan = _plan(request, slug)
    activity = get_object_or_404(Activity, plan=plan, slug=activity_slug)
    _refuse_unless(may_read_activity_history(request.user, activity))
    found = get_object_or_404(Session, activity=activity, pk=session)
    attendance = _records(Attendance, session_id=found.pk)
    records = [*_records(Session, id=found.pk), *attendance]
    _people_log(request, plan, attendance, "session_history", found.pk)

    entries = history_entries(
        records,
        hidden={"activity", "session"},
        initials=may_register(request.user, activity),
    )
    title = _("Historik for mødegangen {date}").format(date=format_date(found.date))
    return _page(request, plan, title, entries, activity.get_absolute_url())


@login_required
@require_safe
def observation_history(
    request: HttpRequest, slug: str, indicator: str, population: str
) -> HttpResponse:
    """The changes of an indicator's observations for one population,
    every period (imports, plan folders, undos)."""
    plan = _plan(request, slug)
    _refuse_unless(may_read_history(request.user, plan))
    found = get_object_or_404(Indicator, plan=plan, slug=indicator)
    where = get_object_or_404(Population, plan=plan, slug=population)
    records = _records(Observation, indicator_id=found.pk, population_id=where.pk)

    def what(record: Any) -> str:
        return _("Observation for {period}").format(period=record.period)

    entries = history_entries(records, what=what, hidden={"indicator", "population"})
    title = _("Historik for {indicator}, {population}").format(
        indicator=found, population=where
    )
    return _page(request, plan, title, entries, plan.get_absolute_url())


@login_required
@require_safe
def commentary_history(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A commentary's changes (its text, its author)."""
    plan = _plan(request, slug)
    records = _records(Commentary, id=pk, plan_id=plan.pk)
    if not records:
        raise Http404
    latest = max(records, key=lambda r: (r.history_date, r.history_id))
    activity = (
        Activity.objects.filter(plan=plan, pk=latest.activity_id).first()
        if latest.activity_id
        else None
    )
    _refuse_unless(
        may_read_activity_history(request.user, activity)
        if activity is not None
        else may_read_history(request.user, plan)
    )
    entries = history_entries(records, hidden={"activity", "effort_area"})
    title = _("Historik for kommentaren for {period}").format(
        period=format_commentary_period(latest.period)
        if latest.period
        else _("hele perioden")
    )
    back = activity.get_absolute_url() if activity else plan.get_absolute_url()
    return _page(request, plan, title, entries, back)


urlpatterns = [
    path(
        "planer/<slug:slug>/historik/kriterier/<slug:ident>/",
        criterion_history,
        name="criterion-history",
    ),
    path(
        "planer/<slug:slug>/historik/aktiviteter/<slug:activity_slug>/",
        activity_history,
        name="activity-history",
    ),
    path(
        "planer/<slug:slug>/historik/aktiviteter/<slug:activity_slug>/"
        "forloeb/<int:course>/",
        course_history,
        name="course-history",
    ),
    path(
        "planer/<slug:slug>/historik/aktiviteter/<slug:activity_slug>/"
        "moedegange/<int:session>/",
        session_history,
        name="session-history",
    ),
    path(
        "planer/<slug:slug>/historik/observationer/<slug:indicator>/<slug:population>/",
        observation_history,
        name="observation-history",
    ),
    path(
        "planer/<slug:slug>/historik/kommentarer/<int:pk>/",
        commentary_history,
        name="commentary-history",
    ),
]
