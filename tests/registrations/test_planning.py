"""Courses for a new term and their sessions on the staff pages: a new
course and a copy with its participants, a weekly series with holidays
left out, and a session moved, corrected, cancelled and deleted (after a
confirmation that says how many attendance rows go). Bad input gets a
message on the field and writes nothing; a stale form gets 409."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from fremdrift.audit.models import AccessLogEntry
from fremdrift.core.measures import MeasureKind
from fremdrift.registrations.measures import measure
from fremdrift.registrations.models import Attendance, Course, Enrolment, Session

from ..accounts.verified import log_in_verified
from . import personas
from .factories import attend, enrol, participant
from .factories import course as make_course

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def cafe(mini):  # type: ignore[no-untyped-def]
    personas.keep_running(mini)
    return mini.activities.select_related("plan").get(slug="lektiecafe")


@pytest.fixture
def autumn(cafe) -> Course:  # type: ignore[no-untyped-def]
    return make_course(
        cafe,
        "2025-08-11",
        "2025-12-19",
        name="Lektiehjælp efterår 2025",
        completion_rule="min_sessions",
        completion_value=10,
    )


@pytest.fixture
def alice_client(cafe) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(personas.alice(cafe))
    return client


def url(name: str, activity, *args) -> str:  # type: ignore[no-untyped-def]
    return reverse(
        f"registrations:{name}", args=[activity.plan.slug, activity.slug, *args]
    )


def _errors_of(html: str, field: str) -> str:
    """The markup of one field's wrapper."""
    start = html.index(f'id="id_{field}"')
    wrapper = html.rindex('<div class="field', 0, start)
    end = html.find('<div class="field', start)
    return html[wrapper : end if end != -1 else len(html)]


def test_staff_create_a_course_for_a_new_term(alice_client, cafe) -> None:  # type: ignore[no-untyped-def]
    response = alice_client.post(
        url("course-add", cafe),
        {
            "name": "Lektiehjælp forår 2026",
            "start": "2026-01-05",
            "end": "2026-06-19",
            "planned_sessions": "20",
            "completion_rule": "min_sessions",
            "completion_value": "12",
        },
    )
    course = Course.objects.get(activity=cafe, name="Lektiehjælp forår 2026")
    assert response.status_code == 302
    assert response["Location"] == url("session-series", cafe, course.pk)
    assert (course.start, course.end, course.planned_sessions) == (
        D(2026, 1, 5),
        D(2026, 6, 19),
        20,
    )
    page = alice_client.get(url("course", cafe, course.pk)).content.decode()
    assert "Mindst 12 mødegange" in page
    assert "(12)" not in page


def test_a_course_form_with_bad_dates_says_so_on_the_fields_and_writes_nothing(
    alice_client, cafe, autumn
) -> None:  # type: ignore[no-untyped-def]
    response = alice_client.post(
        url("course-add", cafe),
        {
            "name": autumn.name,
            "start": "2026-06-19",
            "end": "2026-01-05",
            "completion_rule": "max_absence",
            "completion_value": "140",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "allerede et forløb med det navn" in _errors_of(html, "name")
    assert "Slutdatoen ligger før startdatoen" in _errors_of(html, "end")
    assert "0 til 100" in _errors_of(html, "completion_value")
    assert Course.objects.filter(activity=cafe).count() == 1


def test_a_copy_for_the_next_term_enrols_the_ticked_participants_anew(
    alice_client, cafe, autumn
) -> None:  # type: ignore[no-untyped-def]
    stays = enrol(autumn, participant(cafe, initials="Ali"))
    parent = enrol(autumn, participant(cafe, initials="Bo"), role="parent")
    gone = enrol(autumn, participant(cafe, initials="Cem"), outcome="moved_away")
    form = alice_client.get(url("course-copy", cafe, autumn.pk)).content.decode()
    assert "Cem (" in form and "Fraflyttet" in form
    response = alice_client.post(
        url("course-copy", cafe, autumn.pk),
        {
            "name": "Lektiehjælp forår 2026",
            "start": "2026-01-05",
            "end": "2026-06-19",
            "participants": [stays.participant_id, parent.participant_id],
        },
    )
    assert response.status_code == 302
    copy = Course.objects.get(name="Lektiehjælp forår 2026")
    assert (copy.completion_rule, copy.completion_value) == ("min_sessions", 10)
    enrolled = {
        (e.participant_id, e.role, e.start)
        for e in Enrolment.objects.filter(course=copy)
    }
    assert enrolled == {
        (stays.participant_id, "child", D(2026, 1, 5)),
        (parent.participant_id, "parent", D(2026, 1, 5)),
    }
    assert not Enrolment.objects.filter(course=copy, participant=gone.participant)
    # The old enrolments are untouched.
    assert Enrolment.objects.filter(course=autumn).count() == 3
    logged = AccessLogEntry.objects.filter(
        action=AccessLogEntry.Action.CREATE, object_type="enrolment"
    ).values_list("participant_id", flat=True)
    assert set(logged) == {stays.participant_id, parent.participant_id}


def test_the_copy_form_starts_unticked_for_those_who_left(cafe, autumn) -> None:  # type: ignore[no-untyped-def]
    from fremdrift.registrations.course_forms import CourseCopyForm

    stays = enrol(autumn, participant(cafe, initials="Ali"))
    gone = enrol(autumn, participant(cafe, initials="Cem"), outcome="dropped_out")
    form = CourseCopyForm(source=autumn)
    assert form.initial["participants"] == [stays.participant_id]
    assert gone.participant_id in dict(form.fields["participants"].choices)


def test_a_weekly_series_skips_the_holidays(alice_client, cafe, autumn) -> None:  # type: ignore[no-untyped-def]
    series = {
        "weekday": "1",
        "every_weeks": "1",
        "first": "2025-08-11",
        "last": "2025-12-19",
        "holidays": "13.10.2025-17.10.2025, 2025-11-18",
        "duration_minutes": "90",
        "theme": "",
    }
    response = alice_client.post(url("session-series", cafe, autumn.pk), series)
    assert response.status_code == 302
    days = list(autumn.sessions.order_by("date").values_list("date", flat=True))
    # Every Tuesday from 12 August to 16 December: 19, less two holidays.
    assert len(days) == 17
    assert days[0] == D(2025, 8, 12) and days[-1] == D(2025, 12, 16)
    assert all(day.weekday() == 1 for day in days)
    assert D(2025, 10, 14) not in days and D(2025, 11, 18) not in days
    assert set(autumn.sessions.values_list("duration_minutes", flat=True)) == {90}
    # Planned again: nothing new.
    alice_client.post(url("session-series", cafe, autumn.pk), series)
    assert autumn.sessions.count() == 17


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"holidays": "efterårsferie"}, "holidays", "»efterårsferie« er ikke en dato"),
        ({"holidays": "17.10.2025-13.10.2025"}, "holidays", "slutter før den begynder"),
        ({"first": "2025-01-01"}, "first", "forløbets periode"),
        ({"last": "2025-08-01"}, "last", "forløbets periode"),
        ({"every_weeks": "0"}, "every_weeks", "større end eller lig 1"),
    ],
)
def test_a_bad_series_says_what_is_wrong_and_plans_nothing(
    alice_client, cafe, autumn, data, field, message
) -> None:  # type: ignore[no-untyped-def]
    form = {
        "weekday": "1",
        "every_weeks": "1",
        "first": "2025-08-11",
        "last": "2025-12-19",
        **data,
    }
    response = alice_client.post(url("session-series", cafe, autumn.pk), form)
    assert response.status_code == 200
    assert message in _errors_of(response.content.decode(), field)
    assert not autumn.sessions.exists()


def _edit(client, cafe, session, **changes):  # type: ignore[no-untyped-def]
    session.refresh_from_db()
    data = {
        "date": session.date.isoformat(),
        "duration_minutes": session.duration_minutes or "",
        "theme": session.theme,
        "version": session.version,
        **changes,
    }
    return client.post(url("session-edit", cafe, session.pk), data)


def test_a_session_is_moved_and_corrected_and_a_stale_edit_is_refused(
    alice_client, cafe, autumn
) -> None:  # type: ignore[no-untyped-def]
    session = Session.objects.create(activity=cafe, course=autumn, date=D(2025, 9, 2))
    opened = session.version
    response = _edit(
        alice_client,
        cafe,
        session,
        date="2025-09-03",
        duration_minutes="75",
        theme="Brøker",
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.date, session.duration_minutes, session.theme) == (
        D(2025, 9, 3),
        75,
        "Brøker",
    )
    assert session.version == opened + 1
    stale = alice_client.post(
        url("session-edit", cafe, session.pk),
        {
            "date": "2025-09-10",
            "duration_minutes": "60",
            "theme": "",
            "version": opened,
        },
    )
    assert stale.status_code == 409
    assert "En anden har gemt en ændring" in stale.content.decode()
    session.refresh_from_db()
    assert session.date == D(2025, 9, 3)


def test_a_session_cannot_move_outside_its_course_or_onto_another(
    alice_client, cafe, autumn
) -> None:  # type: ignore[no-untyped-def]
    session = Session.objects.create(activity=cafe, course=autumn, date=D(2025, 9, 2))
    Session.objects.create(activity=cafe, course=autumn, date=D(2025, 9, 9))
    outside = _edit(alice_client, cafe, session, date="2026-01-06")
    assert "forløbets periode" in _errors_of(outside.content.decode(), "date")
    taken = _edit(alice_client, cafe, session, date="2025-09-09")
    assert "allerede en mødegang den 09.09.2025" in _errors_of(
        taken.content.decode(), "date"
    )
    session.refresh_from_db()
    assert session.date == D(2025, 9, 2)


def test_an_open_sessions_head_count_is_corrected(alice_client, cafe) -> None:  # type: ignore[no-untyped-def]
    dinner = Session.objects.create(activity=cafe, date=D(2025, 9, 4), headcount=30)
    _edit(alice_client, cafe, dinner, headcount="34")
    dinner.refresh_from_db()
    assert dinner.headcount == 34
    assert (
        measure(MeasureKind.MEAN_ATTENDANCE, cafe, D(2025, 9, 1), D(2025, 9, 30)).value
        == 34
    )


def test_a_cancelled_session_is_not_counted_as_held_and_takes_no_attendance(
    alice_client, cafe, autumn
) -> None:  # type: ignore[no-untyped-def]
    held, cancelled = (
        Session.objects.create(activity=cafe, course=autumn, date=D(2025, 9, d))
        for d in (2, 9)
    )
    child = participant(cafe, initials="Ali")
    enrol(autumn, child)
    response = alice_client.post(
        url("session-cancel", cafe, cancelled.pk), {"version": cancelled.version}
    )
    assert response.status_code == 302
    cancelled.refresh_from_db()
    assert cancelled.cancelled
    window = (D(2025, 9, 1), D(2025, 9, 30))
    assert measure(MeasureKind.SESSIONS_HELD, cafe, *window).value == 1
    page = alice_client.get(url("session", cafe, cancelled.pk)).content.decode()
    assert "Mødegangen er aflyst" in page and "Gem fremmøde" not in page
    refused = alice_client.post(
        url("session", cafe, cancelled.pk),
        {"present": [child.pk], "version": cancelled.version},
    )
    assert refused.status_code == 400
    assert not Attendance.objects.filter(session=cancelled).exists()
    # Reinstated, it counts again.
    alice_client.post(
        url("session-cancel", cafe, cancelled.pk),
        {"version": cancelled.version, "genoptag": "1"},
    )
    assert measure(MeasureKind.SESSIONS_HELD, cafe, *window).value == 2
    assert held.pk != cancelled.pk


def test_a_session_with_attendance_cannot_be_cancelled(
    alice_client, cafe, autumn
) -> None:  # type: ignore[no-untyped-def]
    session = Session.objects.create(activity=cafe, course=autumn, date=D(2025, 9, 2))
    child = participant(cafe)
    enrol(autumn, child)
    attend([session], child)
    alice_client.post(
        url("session-cancel", cafe, session.pk), {"version": session.version}
    )
    session.refresh_from_db()
    assert not session.cancelled


def test_deleting_a_session_asks_first_and_says_how_much_attendance_goes(
    alice_client, cafe, autumn
) -> None:  # type: ignore[no-untyped-def]
    session = Session.objects.create(activity=cafe, course=autumn, date=D(2025, 9, 2))
    children = [participant(cafe, initials=n) for n in ("Ali", "Bo", "Cem")]
    for child in children:
        enrol(autumn, child)
    attend([session], *children)
    confirm = alice_client.get(url("session-delete", cafe, session.pk))
    html = confirm.content.decode()
    assert confirm.status_code == 200
    assert 'data-attendance-count="3"' in html
    assert "3 registreringer af fremmøde slettes med mødegangen" in html
    assert Session.objects.filter(pk=session.pk).exists()

    response = alice_client.post(
        url("session-delete", cafe, session.pk), {"version": session.version}
    )
    assert response.status_code == 302
    assert not Session.objects.filter(pk=session.pk).exists()
    assert not Attendance.objects.filter(participant__in=children).exists()
    logged = AccessLogEntry.objects.filter(
        action=AccessLogEntry.Action.DELETE, object_type="attendance"
    ).values_list("participant_id", flat=True)
    assert set(logged) == {child.pk for child in children}


def test_a_delete_confirmed_before_attendance_changed_is_refused(
    alice_client, cafe, autumn
) -> None:  # type: ignore[no-untyped-def]
    session = Session.objects.create(activity=cafe, course=autumn, date=D(2025, 9, 2))
    child = participant(cafe)
    enrol(autumn, child)
    seen = session.version
    # Someone ticks a child present after the confirmation page was opened.
    alice_client.post(
        url("session", cafe, session.pk), {"present": [child.pk], "version": seen}
    )
    response = alice_client.post(
        url("session-delete", cafe, session.pk), {"version": seen}
    )
    assert response.status_code == 409
    assert Session.objects.filter(pk=session.pk).exists()
    assert Attendance.objects.filter(session=session).count() == 1


def test_other_activities_and_plans_get_404(cafe, autumn) -> None:  # type: ignore[no-untyped-def]
    bob, _club = personas.bob(cafe.plan)
    _plan, _other = personas.other_plan()
    charlie = personas.charlie(_plan)
    session = Session.objects.create(activity=cafe, course=autumn, date=D(2025, 9, 2))
    for person in (bob, charlie):
        client = Client()
        log_in_verified(client, person)
        for name, args in (
            ("course-add", ()),
            ("course-copy", (autumn.pk,)),
            ("session-series", (autumn.pk,)),
            ("session-edit", (session.pk,)),
            ("session-delete", (session.pk,)),
        ):
            assert client.get(url(name, cafe, *args)).status_code == 404
        assert (
            client.post(
                url("session-delete", cafe, session.pk), {"version": 0}
            ).status_code
            == 404
        )
    assert Session.objects.filter(pk=session.pk).exists()


def test_a_coordinator_creates_courses_too(cafe) -> None:  # type: ignore[no-untyped-def]
    from fremdrift.accounts.services import membership_grant

    person = personas.user("koordinator")
    membership_grant(user=person, plan=cafe.plan, role="coordinator")
    client = Client()
    log_in_verified(client, person)
    response = client.post(
        url("course-add", cafe),
        {
            "name": "Forår",
            "start": "2026-01-05",
            "end": "2026-06-19",
            "completion_rule": "max_absence",
            "completion_value": "25",
        },
    )
    assert response.status_code == 302
    assert Course.objects.filter(activity=cafe, name="Forår").exists()
