"""Courses, sessions and attendance of an activity, for those who register
for it: the staff assigned to it (or to its parent activity) and the plan's
coordinators and administrators. Writes go through the services and the
form checks the staff pages use, so they create the same rows."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest
from django.utils import translation
from ninja import Query, Router, Status

from fremdrift.audit.context import origin
from fremdrift.audit.models import AccessLogEntry
from fremdrift.audit.services import access_log
from fremdrift.plans.models import Activity, Area
from fremdrift.registrations import outreach, selectors, services
from fremdrift.registrations.forms import OpenSessionForm, SessionForm
from fremdrift.registrations.models import Contact, Course, Participant, Session

from .access import registering_activity_for
from .errors import READ_ERRORS, VERSIONED_WRITE_ERRORS, WRITE_ERRORS, InvalidRequest
from .paging import page_of
from .schemas import (
    AttendanceIn,
    AttendanceOut,
    ContactIn,
    ContactOut,
    ContactPageOut,
    CoursePageOut,
    Id,
    PageIn,
    RosterPageOut,
    SessionIn,
    SessionOut,
    SessionPageOut,
    Slug,
)

router = Router(tags=["registrations"])

ACTIVITY = "/plans/{slug}/activities/{activity}"


def _sessions(activity: Activity) -> QuerySet[Session]:
    return Session.objects.filter(activity=activity).annotate(
        present=Count("attendance")
    )


def _session_record(session: Session) -> dict[str, Any]:
    return {
        "id": session.pk,
        "activity": session.activity.slug,
        "course": session.course_id,
        "date": session.date,
        "duration_minutes": session.duration_minutes,
        "theme": session.theme,
        "headcount": session.headcount,
        "cancelled": session.cancelled,
        "present": getattr(session, "present", 0),
        "version": session.version,
    }


def _session(activity: Activity, session_id: int) -> Session:
    found = _sessions(activity).select_related("activity").filter(pk=session_id).first()
    if found is None:
        raise Http404
    return found


@router.get(
    ACTIVITY + "/courses",
    response={200: CoursePageOut, **READ_ERRORS},
    summary="Courses of an activity",
)
def course_list(
    request: HttpRequest, slug: Slug, activity: Slug, paging: Query[PageIn]
) -> dict[str, Any]:
    """The activity's courses, newest first, with how many are enrolled and
    how many sessions were held."""
    current = registering_activity_for(request.user, slug, activity)
    counts, courses = page_of(
        selectors.activity_courses(activity=current).order_by("-start", "name", "pk"),
        paging,
    )
    return {
        **counts,
        "items": [
            {
                "id": c.pk,
                "name": c.name,
                "start": c.start,
                "end": c.end,
                "planned_sessions": c.planned_sessions,
                "enrolled": c.enrolled,
                "held": c.held,
            }
            for c in courses
        ],
    }


@router.get(
    ACTIVITY + "/sessions",
    response={200: SessionPageOut, **READ_ERRORS},
    summary="Sessions of an activity",
)
def session_list(
    request: HttpRequest,
    slug: Slug,
    activity: Slug,
    paging: Query[PageIn],
    course: Id | None = None,
) -> dict[str, Any]:
    """The activity's sessions, newest first, each with the number
    present; optionally those of one course."""
    current = registering_activity_for(request.user, slug, activity)
    sessions = _sessions(current).select_related("activity").order_by("-date", "-pk")
    if course is not None:
        sessions = sessions.filter(course_id=course)
    counts, items = page_of(sessions, paging)
    return {**counts, "items": [_session_record(s) for s in items]}


def _form_errors(form: forms.Form) -> list[tuple[str, str]]:
    # The staff forms' messages, in English for a program.
    with translation.override("en"):
        return [
            (field if field != "__all__" else "body", str(message))
            for field, messages in form.errors.items()
            for message in messages
        ]


def _form_data(payload: SessionIn) -> dict[str, str]:
    return {
        "date": payload.date.isoformat(),
        "duration_minutes": ""
        if payload.duration_minutes is None
        else str(payload.duration_minutes),
        "theme": payload.theme,
        "headcount": "" if payload.headcount is None else str(payload.headcount),
    }


@router.post(
    ACTIVITY + "/sessions",
    response={201: SessionOut, **WRITE_ERRORS},
    summary="Register a session",
)
def session_add(
    request: HttpRequest, slug: Slug, activity: Slug, payload: SessionIn
) -> Status[dict[str, Any]]:
    """A session of one of the activity's courses (its date inside the
    course), or with no course a session of the open activity (its date
    inside the activity's period), with an optional head count: the same
    checks and rows as the staff pages."""
    current = registering_activity_for(request.user, slug, activity)
    data = _form_data(payload)
    if payload.course is not None:
        course = Course.objects.filter(activity=current, pk=payload.course).first()
        if course is None:
            raise InvalidRequest([("course", "The activity has no such course.")])
        if payload.headcount is not None:
            raise InvalidRequest(
                [
                    (
                        "headcount",
                        "A course's session counts those registered present; "
                        "leave headcount out.",
                    )
                ]
            )
        form: forms.Form = SessionForm(data, course=course)
        if not form.is_valid():
            raise InvalidRequest(_form_errors(form))
        session = services.session_create(
            course=course,
            date=form.cleaned_data["date"],
            duration_minutes=form.cleaned_data["duration_minutes"],
            theme=form.cleaned_data["theme"],
            user=request.user,
        )
    else:
        form = OpenSessionForm(data, activity=current)
        if not form.is_valid():
            raise InvalidRequest(_form_errors(form))
        session = services.open_session_create(
            activity=current,
            date=form.cleaned_data["date"],
            theme=form.cleaned_data["theme"],
            headcount=form.cleaned_data["headcount"],
            duration_minutes=form.cleaned_data["duration_minutes"],
            user=request.user,
        )
    return Status(201, _session_record(_session(current, session.pk)))


@router.get(
    ACTIVITY + "/sessions/{session_id}",
    response={200: SessionOut, **READ_ERRORS},
    summary="A session",
)
def session_detail(
    request: HttpRequest, slug: Slug, activity: Slug, session_id: Id
) -> dict[str, Any]:
    current = registering_activity_for(request.user, slug, activity)
    return _session_record(_session(current, session_id))


@router.get(
    ACTIVITY + "/sessions/{session_id}/attendance",
    response={200: RosterPageOut, **READ_ERRORS},
    summary="A session's attendance list",
)
def attendance_list(
    request: HttpRequest,
    slug: Slug,
    activity: Slug,
    session_id: Id,
    paging: Query[PageIn],
) -> dict[str, Any]:
    """Who can be ticked present at the session (the course's enrolled
    participants, those who left last, then anyone else registered as
    present) and whether they are, by code and initials. Logged in the
    access log as the staff page's attendance list is: a view of the
    session, for the activity's work."""
    current = registering_activity_for(request.user, slug, activity)
    session = _session(current, session_id)
    counts, rows = page_of(selectors.session_roster(session=session), paging)
    with origin(request):
        access_log(
            user=request.user,
            plan=current.plan,
            action=AccessLogEntry.Action.VIEW,
            object_type="session",
            object_id=session.pk,
            purpose=AccessLogEntry.Purpose.ACTIVITY,
        )
    return {
        **counts,
        "session": _session_record(session),
        "items": [
            {
                "participant": row.participant.pk,
                "code": row.participant.code,
                "initials": row.participant.initials,
                "present": row.present,
                "enrolled": row.enrolled,
                "left": row.left,
            }
            for row in rows
        ],
    }


@router.put(
    ACTIVITY + "/sessions/{session_id}/attendance",
    response={200: AttendanceOut, **VERSIONED_WRITE_ERRORS},
    summary="Register attendance",
)
def attendance_set(
    request: HttpRequest,
    slug: Slug,
    activity: Slug,
    session_id: Id,
    payload: AttendanceIn,
) -> dict[str, Any]:
    """Make ``present`` exactly the participants present at the session
    (the staff page's one save): ticking someone twice adds nothing, those
    left out are removed. Only the course's enrolled participants (and
    those already present) can be ticked. With ``version`` (the session's,
    as read), a session changed since by someone else is 409 and nothing
    is saved; a list that changes nothing is never refused."""
    current = registering_activity_for(request.user, slug, activity)
    session = _session(current, session_id)
    allowed = services.session_attendable_ids(session)
    unknown = [
        (f"present.{index}", "The participant is not enrolled in the course.")
        for index, pk in enumerate(payload.present)
        if pk not in allowed
    ]
    if unknown:
        raise InvalidRequest(unknown)
    try:
        # The service logs who was added and removed, with this request's
        # path and address.
        with origin(request):
            change = services.session_attendance_set(
                session=session,
                participant_ids=payload.present,
                user=request.user,
                version=payload.version,
            )
    except ValidationError as error:
        raise InvalidRequest([("present", " ".join(error.messages))]) from None
    return {"added": change.added, "removed": change.removed, "present": change.present}


# --- outreach ---------------------------------------------------------------

CONTACT_MESSAGES = {
    "nobody": "Name a participant or give an anonymous_count of at least 1.",
    "named_and_anonymous": "A contact with a named participant has no "
    "anonymous_count; leave it 0.",
    "other_plan": "Not of this plan.",
    "outside_activity": "The date is outside the activity's period.",
    "invalid_choice": "Not one of the choices.",
}


def _contact_record(contact: Contact) -> dict[str, Any]:
    return {
        "id": contact.pk,
        "date": contact.date,
        "kind": contact.kind,
        "participant": contact.participant_id,
        "code": contact.participant.code if contact.participant else None,
        "anonymous_count": contact.anonymous_count,
        "area": contact.area.slug if contact.area else None,
        "age_group": contact.age_group,
        "channel": contact.channel,
        "version": contact.version,
    }


@router.get(
    ACTIVITY + "/contacts",
    response={200: ContactPageOut, **READ_ERRORS},
    summary="Contacts and bridge-buildings of an activity",
)
def contact_list(
    request: HttpRequest, slug: Slug, activity: Slug, paging: Query[PageIn]
) -> dict[str, Any]:
    """The activity's outreach, newest first. Named contacts are logged in
    the access log, as the staff page's list is."""
    current = registering_activity_for(request.user, slug, activity)
    contacts = (
        Contact.objects.filter(activity=current)
        .select_related("participant", "area")
        .order_by("-date", "-pk")
    )
    counts, items = page_of(contacts, paging)
    with origin(request):
        access_log(
            user=request.user,
            plan=current.plan,
            action=AccessLogEntry.Action.VIEW,
            participants=[c.participant for c in items if c.participant],
            object_type="contact_list",
            purpose=AccessLogEntry.Purpose.ACTIVITY,
        )
    return {**counts, "items": [_contact_record(c) for c in items]}


def _contact_fields(current: Activity, payload: ContactIn) -> outreach.ContactFields:
    errors: list[tuple[str, str]] = []
    participant = area = None
    if payload.participant is not None:
        participant = Participant.objects.filter(
            plan=current.plan, pk=payload.participant
        ).first()
        if participant is None:
            errors.append(("participant", "The plan has no such participant."))
    if payload.area is not None:
        area = Area.objects.filter(plan=current.plan, slug=payload.area).first()
        if area is None:
            errors.append(("area", "The plan has no such area."))
    if errors:
        raise InvalidRequest(errors)
    return outreach.ContactFields(
        date=payload.date,
        kind=payload.kind,
        participant=participant,
        anonymous_count=payload.anonymous_count,
        area=area,
        age_group=payload.age_group,
        channel=payload.channel,
    )


@router.post(
    ACTIVITY + "/contacts",
    response={201: ContactOut, **WRITE_ERRORS},
    summary="Register a contact or bridge-building",
)
def contact_add(
    request: HttpRequest, slug: Slug, activity: Slug, payload: ContactIn
) -> Status[dict[str, Any]]:
    """A contact or bridge-building, named or anonymous: the same checks
    and row as the staff page's outreach form."""
    current = registering_activity_for(request.user, slug, activity)
    fields = _contact_fields(current, payload)
    problems = outreach.contact_problems(current, fields)
    if problems:
        raise InvalidRequest(
            [(name, CONTACT_MESSAGES[code]) for name, code in problems.items()]
        )
    with origin(request):
        contact = outreach.contact_create(
            activity=current, user=request.user, fields=fields
        )
    return Status(201, _contact_record(contact))
