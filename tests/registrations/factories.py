"""Small builders for registrations in tests."""

from __future__ import annotations

import datetime

from fremdrift.plans.models import Activity
from fremdrift.registrations.models import (
    Attendance,
    Course,
    Enrolment,
    Household,
    Participant,
    Session,
)


def participant(activity: Activity, **fields) -> Participant:  # type: ignore[no-untyped-def]
    return Participant.objects.create(plan=activity.plan, **fields)


def course(activity: Activity, start: str, end: str, **fields) -> Course:  # type: ignore[no-untyped-def]
    return Course.objects.create(
        activity=activity,
        name=fields.pop("name", f"Forløb {start}"),
        start=datetime.date.fromisoformat(start),
        end=datetime.date.fromisoformat(end),
        **fields,
    )


def weekly_sessions(course: Course, count: int) -> list[Session]:
    return [
        Session.objects.create(
            activity=course.activity,
            course=course,
            date=course.start + datetime.timedelta(weeks=i),
        )
        for i in range(count)
    ]


def enrol(
    course: Course, person: Participant, role: str = "child", **fields
) -> Enrolment:  # type: ignore[no-untyped-def]
    return Enrolment.objects.create(
        course=course, participant=person, role=role, start=course.start, **fields
    )


def attend(sessions: list[Session], *people: Participant) -> None:
    Attendance.objects.bulk_create(
        [Attendance(session=s, participant=p) for s in sessions for p in people]
    )


def household(activity: Activity) -> Household:
    return Household.objects.create(plan=activity.plan)
