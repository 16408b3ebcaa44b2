"""Reads for the staff pages, each in a fixed number of queries whatever
the number of participants, sessions or attendance rows."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from fremdrift.core.periods import parse_period
from fremdrift.core.text_da import format_commentary_period
from fremdrift.plans.models import Activity, Commentary

from .models import Attendance, Contact, Course, Enrolment, Participant, Session

PARTICIPANTS_PER_PAGE = 25


def _count(queryset: QuerySet, field: str) -> Coalesce:  # type: ignore[type-arg]
    """A correlated count, so that two counts on one row do not multiply
    each other's joins."""
    counted = (
        queryset.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def activity_courses(*, activity: Activity) -> QuerySet[Course]:
    """The activity's courses, newest first, with how many are enrolled and
    how many sessions they have (cancelled ones left out)."""
    return (
        Course.objects.filter(activity=activity)
        .annotate(
            enrolled=_count(Enrolment.objects.all(), "course"),
            held=_count(Session.objects.filter(cancelled=False), "course"),
        )
        .order_by("-start", "name")
    )


def _with_present(sessions: QuerySet[Session]) -> QuerySet[Session]:
    return sessions.select_related("course").annotate(
        present=_count(Attendance.objects.all(), "session")
    )


def activity_sessions(
    *, activity: Activity, today: datetime.date, recent: int = 10, upcoming: int = 5
) -> tuple[list[Session], list[Session]]:
    """The activity's latest sessions up to ``today`` (newest first) and the
    next ones after it, each with the number present."""
    sessions = _with_present(Session.objects.filter(activity=activity))
    return (
        list(sessions.filter(date__lte=today).order_by("-date", "-pk")[:recent]),
        list(sessions.filter(date__gt=today).order_by("date", "pk")[:upcoming]),
    )


def course_sessions(*, course: Course) -> QuerySet[Session]:
    return _with_present(course.sessions.all()).order_by("-date", "-pk")


def course_enrolments(*, course: Course) -> QuerySet[Enrolment]:
    return (
        Enrolment.objects.filter(course=course)
        .select_related("participant")
        .order_by("participant__initials", "participant__code")
    )


@dataclass(frozen=True, slots=True)
class RosterRow:
    """One name on a session's attendance list."""

    participant: Participant
    present: bool
    enrolled: bool
    left: bool  # dropped out or moved away
    outcome: str = ""  # Enrolment.Outcome, "" while still in the course

    @property
    def outcome_label(self) -> str:
        """The outcome as the course page shows it ("Fraflyttet")."""
        return str(Enrolment.Outcome(self.outcome).label) if self.outcome else ""


def session_roster(*, session: Session) -> list[RosterRow]:
    """Who can be ticked present at ``session``: the course's enrolled
    participants (those who have left last), then anyone registered as
    present without being enrolled; three queries."""
    present = set(session.attendance.values_list("participant_id", flat=True))
    rows: list[RosterRow] = []
    if session.course_id is not None:
        for enrolment in course_enrolments(course=session.course):  # type: ignore[arg-type]
            rows.append(
                RosterRow(
                    participant=enrolment.participant,
                    present=enrolment.participant_id in present,
                    enrolled=True,
                    left=enrolment.outcome
                    in (Enrolment.Outcome.DROPPED_OUT, Enrolment.Outcome.MOVED_AWAY),
                    outcome=enrolment.outcome,
                )
            )
    listed = {row.participant.pk for row in rows}
    guests = Participant.objects.filter(attendance__session=session).exclude(
        pk__in=listed
    )
    rows += [
        RosterRow(participant=p, present=True, enrolled=False, left=False)
        for p in guests.order_by("initials", "code")
    ]
    rows.sort(key=lambda row: row.left)
    return rows


def activity_participants(*, activity: Activity) -> QuerySet[Participant]:
    """Participants enrolled in the activity's courses or present at its
    sessions."""
    enrolled = Enrolment.objects.filter(course__activity=activity).values(
        "participant_id"
    )
    present = Attendance.objects.filter(session__activity=activity).values(
        "participant_id"
    )
    return Participant.objects.filter(
        Q(pk__in=enrolled) | Q(pk__in=present), plan_id=activity.plan_id
    )


def participants_page(
    *, activity: Activity, query: str = "", page: int | str = 1
) -> Page:  # type: ignore[type-arg]
    """One page of participants. Without a search, the activity's own
    participants; a search by code or initials looks in the whole plan, so
    that someone from another activity can be enrolled here too."""
    query = query.strip()
    if query:
        participants = Participant.objects.filter(
            Q(code__icontains=query) | Q(initials__icontains=query),
            plan_id=activity.plan_id,
        )
    else:
        participants = activity_participants(activity=activity)
    participants = (
        participants.select_related("area", "household")
        .prefetch_related(
            Prefetch(
                "enrolments",
                queryset=Enrolment.objects.filter(
                    course__activity=activity
                ).select_related("course"),
                to_attr="activity_enrolments",
            )
        )
        .order_by("initials", "code")
    )
    return Paginator(participants, PARTICIPANTS_PER_PAGE).get_page(page)


def participant_enrolments(
    *, participant: Participant, activity: Activity
) -> list[Enrolment]:
    """The participant's enrolments in the activity's courses, with their
    follow-ups and questionnaire responses."""
    return list(
        Enrolment.objects.filter(participant=participant, course__activity=activity)
        .select_related("course")
        .prefetch_related("follow_ups", "responses__questionnaire")
        .order_by("-course__start")
    )


def activity_contacts(*, activity: Activity, limit: int = 30) -> list[Contact]:
    """The activity's latest contacts and bridge-buildings, newest first,
    with the participant and area each names."""
    return list(
        Contact.objects.filter(activity=activity)
        .select_related("participant", "area")
        .order_by("-date", "-pk")[:limit]
    )


@dataclass(frozen=True, slots=True)
class CommentaryItem:
    """A commentary as its list shows it: the period in words ("2. tertial
    2026", "2026", "Hele perioden"), never its code."""

    commentary: Commentary
    period_text: str


def commentary_items(commentaries: QuerySet[Commentary]) -> list[CommentaryItem]:
    """``commentaries`` newest period first (years before their tertials),
    the whole plan's last."""

    def newest_first(c: Commentary) -> tuple[datetime.date, datetime.timedelta]:
        if not c.period:
            return (datetime.date.min, datetime.timedelta(0))
        period = parse_period(c.period)
        # Of two periods that end on one day, the year before its tertial.
        return (period.end, period.end - period.start)

    return [
        CommentaryItem(commentary=c, period_text=format_commentary_period(c.period))
        for c in sorted(commentaries, key=newest_first, reverse=True)
    ]
