"""Courses and their sessions as the team plans them: a course for a new
term (or a copy of last term's, with its participants), its sessions as a
weekly series, and then a session moved, corrected, cancelled or deleted.

Like ``services``, every function takes the acting ``user``, checks that
they may register for the activity, runs in one transaction and writes
rows through the ORM one by one (so that a change history kept by model
signals sees each of them). A change of a session claims its version
first: a form opened before someone else's save is refused with
``VersionConflict`` and nothing is written.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from fremdrift.base.versioning import version_claim
from fremdrift.core.schedule import DateRange, series_dates
from fremdrift.plans.models import Activity

from .models import Attendance, Course, Enrolment, Participant, Session
from .services import Action, User, _check, _log


@transaction.atomic
def course_create(
    *,
    activity: Activity,
    user: User,
    name: str,
    start: datetime.date,
    end: datetime.date,
    planned_sessions: int | None = None,
    completion_rule: str = Course.CompletionRule.MAX_ABSENCE,
    completion_value: int = 25,
) -> Course:
    """A new course (forløb) of ``activity``. Its name is unique within
    the activity, as the bulk import matches courses by name."""
    _check(user, activity)
    name = name.strip()
    if end < start:
        raise ValidationError("Forløbet slutter før det starter.", code="ends_early")
    if Course.objects.filter(activity=activity, name=name).exists():
        raise ValidationError("Aktiviteten har allerede et forløb med det navn.")
    return Course.objects.create(
        activity=activity,
        name=name,
        start=start,
        end=end,
        planned_sessions=planned_sessions,
        completion_rule=completion_rule,
        completion_value=completion_value,
    )


@transaction.atomic
def course_copy(
    *,
    source: Course,
    user: User,
    name: str,
    start: datetime.date,
    end: datetime.date,
    participant_ids: Collection[int],
) -> Course:
    """A new course like ``source`` (its planned sessions and completion
    rule) for another term, with new enrolments of those of its
    participants in ``participant_ids``, each in the role they had and
    from the new course's start. An id not enrolled in ``source`` raises
    ``ValidationError``."""
    course = course_create(
        activity=source.activity,
        user=user,
        name=name,
        start=start,
        end=end,
        planned_sessions=source.planned_sessions,
        completion_rule=source.completion_rule,
        completion_value=source.completion_value,
    )
    wanted = {int(pk) for pk in participant_ids}
    enrolments = list(
        source.enrolments.filter(participant_id__in=wanted).select_related(
            "participant"
        )
    )
    if len(enrolments) != len(wanted):
        raise ValidationError(
            "Deltageren er ikke skrevet op på forløbet.", code="not_enrolled"
        )
    for old in enrolments:
        Enrolment.objects.create(
            course=course, participant=old.participant, role=old.role, start=start
        )
    if enrolments:
        _log(
            user,
            source.activity.plan,
            Action.CREATE,
            "enrolment",
            f"course:{course.pk}",
            [e.participant for e in enrolments],
        )
    return course


@transaction.atomic
def session_series_create(
    *,
    course: Course,
    user: User,
    first: datetime.date,
    last: datetime.date,
    weekday: int,
    every_weeks: int = 1,
    skipped: Sequence[DateRange] = (),
    duration_minutes: int | None = None,
    theme: str = "",
) -> list[Session]:
    """The sessions of ``course`` on ``weekday`` every ``every_weeks``
    weeks from ``first`` to ``last`` (inside the course's period), the
    ``skipped`` holidays left out (``core.schedule.series_dates``). A day
    on which the course already has a session gets no second one, so
    planning the same series twice adds nothing. Returns the new
    sessions."""
    _check(user, course.activity)
    days = series_dates(
        first=max(first, course.start),
        last=min(last, course.end),
        weekday=weekday,
        every_weeks=every_weeks,
        skipped=skipped,
    )
    taken = set(course.sessions.values_list("date", flat=True))
    return [
        Session.objects.create(
            activity=course.activity,
            course=course,
            date=day,
            duration_minutes=duration_minutes,
            theme=theme,
        )
        for day in days
        if day not in taken
    ]


def _claim(session: Session, version: int) -> None:
    session.version, session.changed_at = version_claim(
        Session, pk=session.pk, version=version
    )


def session_date_problem(session: Session, day: datetime.date) -> str:
    """Why ``session`` cannot be on ``day`` ("" when it can): inside its
    course's period (or its activity's, for an open session), and not on
    a day when its course already meets."""
    if session.course_id is not None:
        course = session.course
        assert course is not None
        if not course.start <= day <= course.end:
            return "outside_course"
        others = Session.objects.filter(course=course, date=day)
        if others.exclude(pk=session.pk).exists():
            return "taken"
        return ""
    activity = session.activity
    plan = activity.plan
    if not activity.period_start(plan) <= day <= activity.period_end(plan):
        return "outside_activity"
    return ""


@transaction.atomic
def session_update(
    *,
    session: Session,
    user: User,
    version: int,
    date: datetime.date,
    duration_minutes: int | None,
    theme: str,
    headcount: int | None = None,
) -> Session:
    """Move ``session`` to ``date`` and correct its duration, theme and (for
    a session without a course, whose attendance is a head count) its
    head count. Raises ``ValidationError`` for a date the session cannot
    have (``session_date_problem``), ``VersionConflict`` when the session
    changed after ``version``."""
    _check(user, session.activity)
    problem = session_date_problem(session, date)
    if problem:
        raise ValidationError("Mødegangen kan ikke ligge på den dato.", code=problem)
    if session.course_id is not None and headcount is not None:
        raise ValidationError(
            "Et forløbs mødegang tæller de registrerede deltagere.",
            code="headcount_on_course",
        )
    _claim(session, version)
    session.date = date
    session.duration_minutes = duration_minutes
    session.theme = theme.strip()
    session.headcount = headcount
    session.save(
        update_fields=[
            "date",
            "duration_minutes",
            "theme",
            "headcount",
            "version",
            "changed_at",
        ]
    )
    return session


@transaction.atomic
def session_cancel(
    *, session: Session, user: User, version: int, cancelled: bool = True
) -> Session:
    """Mark ``session`` cancelled (aflyst; ``cancelled=False`` reinstates
    it). A session with attendance cannot be cancelled: it was held, so
    the attendance would have to go first (``ValidationError``)."""
    _check(user, session.activity)
    if cancelled and (session.headcount or session.attendance.exists()):
        raise ValidationError(
            "Mødegangen har registreret fremmøde og kan ikke aflyses.",
            code="has_attendance",
        )
    _claim(session, version)
    session.cancelled = cancelled
    session.save(update_fields=["cancelled", "version", "changed_at"])
    return session


@transaction.atomic
def session_delete(*, session: Session, user: User, version: int) -> int:
    """Delete ``session`` with its attendance, row by row through the ORM;
    returns how many attendance rows went. Evidence attached to it stays
    on the activity. Raises ``VersionConflict`` when the session changed
    after ``version`` (someone registered attendance since the user was
    told how many rows would go)."""
    _check(user, session.activity)
    _claim(session, version)
    attendance = list(
        Attendance.objects.filter(session=session).select_related("participant")
    )
    people: list[Participant] = [row.participant for row in attendance]
    session.evidence_files.update(session=None)
    for row in attendance:
        row.delete()
    session_id = session.pk
    session.delete()
    if people:
        _log(
            user, session.activity.plan, Action.DELETE, "attendance", session_id, people
        )
    return len(attendance)
