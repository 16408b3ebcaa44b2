"""What the staff register: participants, enrolments, sessions, attendance,
outcomes, follow-ups and questionnaire responses.

Every write takes the acting ``user`` and checks that they may register
for the activity concerned (the views check first and answer 404; the
check here keeps the rule in force for any other caller). Each runs in one
transaction, and each change to a participant's data writes its
access-log entry in the same transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as Account
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from fremdrift.accounts.policy import (
    may_register,
    may_register_in_plan,
    may_write_plan_commentary,
)
from fremdrift.audit.models import AccessLogEntry
from fremdrift.audit.services import access_log
from fremdrift.base.freshness import plan_data_changed
from fremdrift.base.history import acting_user, change_reason, recorded_as
from fremdrift.base.versioning import version_claim
from fremdrift.plans.models import Activity, Area, Commentary, EffortArea, Plan

from .models import (
    Answer,
    Attendance,
    Course,
    Enrolment,
    FollowUp,
    Household,
    Participant,
    Questionnaire,
    QuestionnaireItem,
    Response,
    Session,
)

User = Account | AnonymousUser
Action = AccessLogEntry.Action


def _log(
    user: User,
    plan: Plan,
    action: str,
    object_type: str,
    object_id: object,
    participants: Collection[Participant] = (),
) -> None:
    """A registration: routine work in the activity, so its purpose is
    the activity's."""
    access_log(
        user=user,
        plan=plan,
        action=action,
        participants=participants,
        object_type=object_type,
        object_id=object_id,
        purpose=AccessLogEntry.Purpose.ACTIVITY,
    )


def _check(user: User, activity: Activity) -> None:
    if not may_register(user, activity):
        raise PermissionDenied("Du kan ikke registrere for denne aktivitet.")


def _check_plan(user: User, plan: Plan) -> None:
    """The user registers for at least one activity of ``plan``."""
    if not may_register_in_plan(user, plan):
        raise PermissionDenied("Du kan ikke registrere i denne helhedsplan.")


@dataclass(frozen=True, slots=True)
class AttendanceChange:
    """What one attendance registration did: how many were added and
    removed, and how many are present now."""

    added: int
    removed: int
    present: int


def session_attendable_ids(
    session: Session, present: set[int] | None = None
) -> set[int]:
    """Who may be ticked present at ``session``: the participants enrolled
    in its course, and anyone already registered as present (``present``,
    when the caller has just read them)."""
    if present is None:
        present = set(session.attendance.values_list("participant_id", flat=True))
    ids = set(present)
    if session.course_id is not None:
        ids |= set(
            Enrolment.objects.filter(course_id=session.course_id).values_list(
                "participant_id", flat=True
            )
        )
    return ids


@transaction.atomic
def session_attendance_set(
    *,
    session: Session,
    participant_ids: Collection[int],
    user: User,
    version: int | None = None,
) -> AttendanceChange:
    """Make ``participant_ids`` exactly the participants present at
    ``session``: those ticked are added once (ticking again adds nothing),
    those no longer ticked are removed. Only the course's enrolled
    participants (and those already present) can be ticked; any other id
    raises ``ValidationError`` and nothing is saved.

    ``version`` is the session's version when the list was opened: if the
    session has been changed since, ``VersionConflict`` is raised and
    nothing is saved (None, for a program that sends none: no check). A
    save that changes something raises the version (``session.version``
    is the new one); a save that changes nothing cannot undo anyone's
    change, so it is never refused (a double tap on "Gem")."""
    _check(user, session.activity)
    if session.cancelled:
        raise ValidationError(
            "Mødegangen er aflyst; genoptag den for at registrere fremmøde.",
            code="cancelled",
        )
    wanted = {int(pk) for pk in participant_ids}
    if version is None:
        # Nothing to check against: the session's version now, locked
        # until this save commits, so that the list read next is the one
        # this save replaces.
        version = (
            Session.objects.select_for_update()
            .values_list("version", flat=True)
            .get(pk=session.pk)
        )
    # Read once: if another save changes the list after this read, the
    # version claim below fails and nothing is written.
    present = set(session.attendance.values_list("participant_id", flat=True))
    unknown = wanted - session_attendable_ids(session, present)
    if unknown:
        raise ValidationError(
            "Deltageren er ikke skrevet op på forløbet.", code="not_enrolled"
        )
    to_add = wanted - present
    to_remove = present - wanted
    if to_add or to_remove:
        # Every writer of attendance claims the session before it writes,
        # so a claim that succeeds means ``present`` is still the list as
        # it was at ``version``.
        session.version, session.changed_at = version_claim(
            Session, pk=session.pk, version=version
        )
    # The change history names the user who saved the list, also when the
    # API's token (not a login) says who it is.
    with recorded_as(user=user):
        if to_remove:
            session.attendance.filter(participant_id__in=to_remove).delete()
        if to_add:
            # ignore_conflicts: a second tap sent twice must not fail on
            # the unique constraint.
            bulk_create_with_history(
                [
                    Attendance(session=session, participant_id=pk)
                    for pk in sorted(to_add)
                ],
                Attendance,
                ignore_conflicts=True,
                default_user=acting_user(),
                default_change_reason=change_reason() or None,
            )
    if to_add or to_remove:
        # Bulk writes send no signals: renew the stored measures here.
        plan_data_changed(session.activity.plan_id)
        people = {
            p.pk: p
            for p in Participant.objects.filter(pk__in=to_add | to_remove).only(
                "pk", "code", "plan_id"
            )
        }
        plan = session.activity.plan
        for action, ids in ((Action.CREATE, to_add), (Action.DELETE, to_remove)):
            if ids:
                _log(
                    user,
                    plan,
                    action,
                    "attendance",
                    session.pk,
                    [people[pk] for pk in sorted(ids)],
                )
    return AttendanceChange(
        added=len(to_add), removed=len(to_remove), present=len(wanted)
    )


@transaction.atomic
def session_create(
    *,
    course: Course,
    date: datetime.date,
    user: User,
    duration_minutes: int | None = None,
    theme: str = "",
) -> Session:
    """A session (mødegang) of ``course`` on ``date``."""
    _check(user, course.activity)
    return Session.objects.create(
        activity=course.activity,
        course=course,
        date=date,
        duration_minutes=duration_minutes,
        theme=theme,
    )


@transaction.atomic
def participant_create(
    *,
    plan: Plan,
    user: User,
    initials: str = "",
    birth_year: int | None = None,
    sex: str = "",
    area: Area | None = None,
    new_household: bool = False,
    household: Household | None = None,
    household_of: Participant | None = None,
    course: Course | None = None,
    role: str = "",
    start: datetime.date | None = None,
) -> Participant:
    """A new participant with a generated code, optionally in a household
    and enrolled in ``course``.

    The household is a new one (``new_household``), an existing one
    (``household``), or that of another participant (``household_of``; one
    is created for the two of them when that participant has none).
    """
    if course is not None:
        _check(user, course.activity)
        if course.activity.plan_id != plan.pk:
            raise PermissionDenied("Forløbet hører til en anden helhedsplan.")
    else:
        _check_plan(user, plan)
    if household is not None and household.plan_id != plan.pk:
        raise PermissionDenied("Husstanden hører til en anden helhedsplan.")
    if household_of is not None:
        if household_of.plan_id != plan.pk:
            raise PermissionDenied("Deltageren hører til en anden helhedsplan.")
        if household_of.household_id is None:
            household_of.household = Household.objects.create(
                plan=plan, area=household_of.area or area
            )
            household_of.save(update_fields=["household"])
            _log(
                user,
                plan,
                Action.CHANGE,
                "participant",
                household_of.pk,
                [household_of],
            )
        household = household_of.household
    elif new_household:
        household = Household.objects.create(plan=plan, area=area)
    participant = Participant.objects.create(
        plan=plan,
        initials=initials.strip(),
        birth_year=birth_year,
        sex=sex,
        area=area,
        household=household,
    )
    _log(user, plan, Action.CREATE, "participant", participant.pk, [participant])
    if course is not None:
        enrolment_create(
            course=course,
            participant=participant,
            role=role or Enrolment.Role.CHILD,
            start=start or course.start,
            user=user,
        )
    return participant


@transaction.atomic
def enrolment_create(
    *,
    course: Course,
    participant: Participant,
    role: str,
    start: datetime.date,
    user: User,
) -> Enrolment:
    """Enrol ``participant`` in ``course``; enrolling twice raises
    ``ValidationError``."""
    _check(user, course.activity)
    if participant.plan_id != course.activity.plan_id:
        raise PermissionDenied("Deltageren hører til en anden helhedsplan.")
    if Enrolment.objects.filter(course=course, participant=participant).exists():
        raise ValidationError(
            "Deltageren er allerede skrevet op på forløbet.", code="enrolled"
        )
    enrolment = Enrolment.objects.create(
        course=course, participant=participant, role=role, start=start
    )
    _log(
        user,
        course.activity.plan,
        Action.CREATE,
        "enrolment",
        enrolment.pk,
        [participant],
    )
    return enrolment


@transaction.atomic
def enrolment_outcome_set(
    *,
    enrolment: Enrolment,
    user: User,
    outcome: str,
    end: datetime.date | None,
    goal_set: bool,
    goal_reached: bool | None,
) -> Enrolment:
    """Record how an enrolment ended and whether its individual goal was
    set and reached (a goal not set cannot be reached)."""
    _check(user, enrolment.course.activity)
    enrolment.outcome = outcome
    enrolment.end = end
    enrolment.goal_set = goal_set
    enrolment.goal_reached = goal_reached if goal_set else None
    enrolment.save(update_fields=["outcome", "end", "goal_set", "goal_reached"])
    _log(
        user,
        enrolment.course.activity.plan,
        Action.CHANGE,
        "enrolment",
        enrolment.pk,
        [enrolment.participant],
    )
    return enrolment


@transaction.atomic
def follow_up_record(
    *,
    enrolment: Enrolment,
    user: User,
    due: datetime.date,
    done: datetime.date | None = None,
    outcome: str = "",
    positive: bool | None = None,
) -> FollowUp:
    """A follow-up of ``enrolment`` due on ``due``; recording the same due
    date again updates that follow-up instead of adding another."""
    _check(user, enrolment.course.activity)
    follow_up, created = FollowUp.objects.update_or_create(
        enrolment=enrolment,
        due=due,
        defaults={"done": done, "outcome": outcome, "positive": positive},
    )
    _log(
        user,
        enrolment.course.activity.plan,
        Action.CREATE if created else Action.CHANGE,
        "follow_up",
        follow_up.pk,
        [enrolment.participant],
    )
    return follow_up


@transaction.atomic
def response_record(
    *,
    enrolment: Enrolment,
    questionnaire: Questionnaire,
    user: User,
    phase: str,
    date: datetime.date,
    answers: Mapping[int, int],
) -> Response:
    """The enrolment's answers to ``questionnaire`` before or after the
    course; entering the same phase again replaces the earlier answers.
    ``answers`` maps item ids to values (1-5, or 1 yes and 0 no); items left
    out are unanswered."""
    _check(user, enrolment.course.activity)
    if questionnaire.activity_id != enrolment.course.activity_id:
        raise PermissionDenied("Spørgeskemaet hører til en anden aktivitet.")
    items = {item.pk: item for item in questionnaire.items.all()}
    for item_id, value in answers.items():
        item = items.get(item_id)
        if item is None:
            raise ValidationError("Ukendt spørgsmål.", code="unknown_item")
        allowed = (1, 5) if item.scale == QuestionnaireItem.Scale.LIKERT5 else (0, 1)
        if not allowed[0] <= value <= allowed[1]:
            raise ValidationError("Ugyldigt svar.", code="invalid_answer")
    response, created = Response.objects.update_or_create(
        questionnaire=questionnaire,
        enrolment=enrolment,
        phase=phase,
        defaults={"date": date},
    )
    _log(
        user,
        enrolment.course.activity.plan,
        Action.CREATE if created else Action.CHANGE,
        "response",
        response.pk,
        [enrolment.participant],
    )
    response.answers.all().delete()
    Answer.objects.bulk_create(
        [
            Answer(response=response, item_id=item_id, value=value)
            for item_id, value in sorted(answers.items())
        ]
    )
    return response


@transaction.atomic
def commentary_save(
    *, activity: Activity, period: str, text: str, user: User
) -> Commentary:
    """The team's commentary on ``activity`` for ``period`` (a tertial or a
    year code; "" for the whole plan): created or replaced."""
    _check(user, activity)
    commentary, _created = Commentary.objects.update_or_create(
        activity=activity,
        period=period,
        defaults={
            "plan": activity.plan,
            "text": text.strip(),
            "author": user.get_username(),
        },
    )
    return commentary


@transaction.atomic
def plan_commentary_save(
    *,
    plan: Plan,
    effort_area: EffortArea | None,
    period: str,
    text: str,
    user: User,
) -> Commentary:
    """The team's commentary on ``plan`` as a whole (``effort_area`` None)
    or on one of its effort areas, for ``period`` (a tertial or a year
    code; "" for the whole plan): created or replaced. Coordinators and
    plan administrators write it (``may_write_plan_commentary``)."""
    if not may_write_plan_commentary(user, plan):
        raise PermissionDenied("Du kan ikke skrive kommentarer til denne plan.")
    if effort_area is not None and effort_area.plan_id != plan.pk:
        raise ValueError("the effort area is not the plan's")
    commentary, _created = Commentary.objects.update_or_create(
        plan=plan,
        effort_area=effort_area,
        activity=None,
        period=period,
        defaults={"text": text.strip(), "author": user.get_username()},
    )
    return commentary


@transaction.atomic
def open_session_create(
    *,
    activity: Activity,
    date: datetime.date,
    user: User,
    headcount: int | None = None,
    duration_minutes: int | None = None,
    theme: str = "",
) -> Session:
    """A session of an open activity without a course (a communal dinner, a
    homework café evening), with a head count of those present when their
    names are not registered."""
    _check(user, activity)
    return Session.objects.create(
        activity=activity,
        course=None,
        date=date,
        headcount=headcount,
        duration_minutes=duration_minutes,
        theme=theme,
    )
