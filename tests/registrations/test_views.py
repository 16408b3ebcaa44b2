"""The staff pages: login, who sees what (alice sees her café; bob, on
another activity, and charlie, in another plan, get 404), attendance in
one post, forms that say what is wrong next to the field, CSRF, and pages
whose query count does not grow with the data."""

from __future__ import annotations

import datetime
import re

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fremdrift.core.measures import MeasureKind
from fremdrift.evaluation.selectors import plan_judged_criteria
from fremdrift.registrations.measures import measure
from fremdrift.registrations.models import (
    Attendance,
    Course,
    Enrolment,
    FollowUp,
    Participant,
    Questionnaire,
    Response,
    Session,
)

from ..accounts.verified import log_in_verified
from . import personas
from .factories import enrol, participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def cafe(mini):  # type: ignore[no-untyped-def]
    personas.keep_running(mini)
    personas.count_children(mini)
    return mini.activities.select_related("plan").get(slug="lektiecafe")


@pytest.fixture
def course(cafe) -> Course:  # type: ignore[no-untyped-def]
    return personas.running_course(cafe)


@pytest.fixture
def session(course) -> Session:  # type: ignore[no-untyped-def]
    return Session.objects.create(
        activity=course.activity, course=course, date=timezone.localdate()
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


def attendance_form(session: Session, ids: list[int]) -> dict[str, object]:
    """The attendance form as the page posts it: the ticked participants
    and the session's version, as it was when the page was opened."""
    session.refresh_from_db(fields=["version"])
    return {"present": ids, "version": session.version}


def cafe_urls(cafe, course, session, enrolment, questionnaire) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        url("activity", cafe),
        url("course", cafe, course.pk),
        url("session", cafe, session.pk),
        url("participants", cafe),
        url("participant-add", cafe),
        url("participant", cafe, enrolment.participant_id),
        url("enrolment", cafe, enrolment.pk),
        url("response-add", cafe, enrolment.pk, questionnaire.pk),
        url("commentary", cafe),
        url("evidence", cafe),
        url("open-session-add", cafe),
    ]


@pytest.fixture
def everything(cafe, course, session):  # type: ignore[no-untyped-def]
    enrolment = enrol(course, participant(cafe, initials="Ali", birth_year=2015))
    questionnaire = Questionnaire.objects.create(activity=cafe, name="Selvevaluering")
    questionnaire.items.create(
        text="Jeg kan lide skolen", scale="likert5", purpose="change"
    )
    return cafe_urls(cafe, course, session, enrolment, questionnaire)


def test_every_page_needs_a_login(client: Client, everything) -> None:  # type: ignore[no-untyped-def]
    for page in [reverse("registrations:home"), *everything]:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith("/konto/log-ind/?next="), page


def test_the_login_page_is_danish_and_logs_in(client: Client, cafe) -> None:  # type: ignore[no-untyped-def]
    personas.alice(cafe)
    page = client.get(reverse("accounts:login"))
    assert "Log ind" in page.content.decode()
    response = client.post(
        reverse("accounts:login"),
        {"username": "alice", "password": personas.PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("registrations:home")


def test_my_activities_lists_the_cafe_with_its_criterion(alice_client, cafe) -> None:  # type: ignore[no-untyped-def]
    text = alice_client.get(reverse("registrations:home")).content.decode()
    assert "Lektiecafé" in text
    assert "Sommerskole" in text
    assert "100 unikke børn deltager" in text
    assert "Bagud" in text  # nobody counted yet, a year from the end


def test_staff_on_another_activity_get_404(everything, mini) -> None:  # type: ignore[no-untyped-def]
    bob, club = personas.bob(mini)
    client = Client()
    client.force_login(bob)
    assert client.get(url("activity", club)).status_code == 200
    for page in everything:
        assert client.get(page).status_code == 404, page
        assert client.post(page, {}).status_code in (404, 405), page
    assert (
        "Lektiecafé" not in client.get(reverse("registrations:home")).content.decode()
    )


def test_a_coordinator_of_another_plan_gets_404(everything) -> None:  # type: ignore[no-untyped-def]
    plan, _activity = personas.other_plan()
    client = Client()
    log_in_verified(client, personas.charlie(plan))
    for page in everything:
        assert client.get(page).status_code == 404, page


def test_another_plans_objects_are_404_under_your_own_activity(
    alice_client, cafe
) -> None:  # type: ignore[no-untyped-def]
    _plan, elsewhere = personas.other_plan()
    course = personas.running_course(elsewhere)
    session = Session.objects.create(
        activity=elsewhere, course=course, date=course.start
    )
    outsider = Participant.objects.create(plan=elsewhere.plan)
    enrolment = enrol(course, outsider)
    for page in [
        url("course", cafe, course.pk),
        url("session", cafe, session.pk),
        url("participant", cafe, outsider.pk),
        url("enrolment", cafe, enrolment.pk),
    ]:
        assert alice_client.get(page).status_code == 404, page
    assert alice_client.get(url("activity", elsewhere)).status_code == 404


def test_one_post_registers_twenty_and_the_criterion_moves(
    alice_client, cafe, course, session
) -> None:  # type: ignore[no-untyped-def]
    children = [participant(cafe, birth_year=2014) for _ in range(20)]
    for child in children:
        enrol(course, child)
    today = timezone.localdate()

    def judged() -> object:
        return next(
            j.verdict.judged_value
            for j in plan_judged_criteria(plan=cafe.plan, as_of=today)
            if j.criterion.ident == "bf-lektiecafe-boern"
        )

    assert judged() == 0
    with CaptureQueriesContext(connection) as captured:
        response = alice_client.post(
            url("session", cafe, session.pk),
            attendance_form(session, [c.pk for c in children]),
        )
    assert response.status_code == 302
    writes = [q["sql"] for q in captured if q["sql"].startswith("INSERT")]
    # One bulk insert, not twenty, one for their change history, and one
    # for the twenty access-log entries.
    assert len([w for w in writes if '"registrations_attendance"' in w]) == 1
    assert len([w for w in writes if '"registrations_historicalattendance"' in w]) == 1
    assert len([w for w in writes if '"audit_accesslogentry"' in w]) == 1
    assert len(writes) == 3
    assert session.attendance.count() == 20
    unique = measure(MeasureKind.UNIQUE_PARTICIPANTS, cafe, course.start, today).value
    assert unique == 20
    assert judged() == 20
    page = alice_client.get(url("activity", cafe)).content.decode()
    assert re.search(r'data-criterion-value="bf-lektiecafe-boern">20 ', page)

    # Saving again creates nothing; unticking removes.
    alice_client.post(
        url("session", cafe, session.pk),
        attendance_form(session, [c.pk for c in children]),
    )
    assert Attendance.objects.count() == 20
    alice_client.post(
        url("session", cafe, session.pk), attendance_form(session, [children[0].pk])
    )
    assert list(session.attendance.values_list("participant_id", flat=True)) == [
        children[0].pk
    ]


def test_htmx_gets_the_saved_list_back_in_place(
    alice_client, cafe, course, session
) -> None:  # type: ignore[no-untyped-def]
    child = participant(cafe, initials="Bo")
    enrol(course, child)
    response = alice_client.post(
        url("session", cafe, session.pk),
        attendance_form(session, [child.pk]),
        HTTP_HX_REQUEST="true",
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Fremmødet er gemt: 1 til stede." in text
    assert "<html" not in text
    assert f'value="{child.pk}" checked' in text


def test_ticking_someone_not_on_the_list_saves_nothing(
    alice_client, cafe, session
) -> None:  # type: ignore[no-untyped-def]
    stranger = participant(cafe)
    response = alice_client.post(
        url("session", cafe, session.pk), attendance_form(session, [stranger.pk])
    )
    assert response.status_code == 400
    assert "ikke på listen" in response.content.decode()
    assert not Attendance.objects.exists()


def _field_block(html: str, name: str) -> str:
    """The markup of one form field: from its wrapper to the next one."""
    start = html.index(f'id="id_{name}"')
    wrapper = html.rindex('<div class="field', 0, start)
    end = html.find('<div class="field', start)
    return html[wrapper : end if end != -1 else len(html)]


def test_a_birth_year_of_1850_is_refused_next_to_the_field(alice_client, cafe) -> None:  # type: ignore[no-untyped-def]
    response = alice_client.post(
        url("participant-add", cafe),
        {"birth_year": "1850", "household": "none", "role": "child"},
    )
    html = response.content.decode()
    block = _field_block(html, "birth_year")
    assert response.status_code == 200
    assert "has-error" in block
    assert "Angiv et fødselsår mellem 1900 og" in block
    assert 'aria-invalid="true"' in block
    assert "has-error" not in _field_block(html, "initials")
    assert not Participant.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"initials": "010203-1234"}, "initials", "aldrig CPR-nummer"),
        ({"household": "existing"}, "household_code", "Skriv husstandens kode"),
        (
            {"household": "existing", "household_code": "H-XXXXXX"},
            "household_code",
            "Ingen husstand eller deltager har koden H-XXXXXX",
        ),
    ],
)
def test_participant_form_errors_stand_by_their_field(
    alice_client, cafe, data, field, message
) -> None:  # type: ignore[no-untyped-def]
    post = {"household": "none", "role": "child", **data}
    html = alice_client.post(url("participant-add", cafe), post).content.decode()
    assert message in _field_block(html, field)


def test_a_participant_is_added_and_enrolled_in_one_form(
    alice_client, cafe, course
) -> None:  # type: ignore[no-untyped-def]
    response = alice_client.post(
        url("participant-add", cafe),
        {
            "initials": "Sara",
            "birth_year": "2016",
            "sex": "f",
            "household": "new",
            "course": course.pk,
            "role": "child",
            "start": timezone.localdate().isoformat(),
        },
        follow=True,
    )
    sara = Participant.objects.get(initials="Sara")
    assert sara.household is not None
    assert Enrolment.objects.filter(participant=sara, course=course).exists()
    assert (
        f"{sara.code} er oprettet og skrevet op på {course.name}"
        in response.content.decode()
    )


def test_a_course_of_another_activity_cannot_be_chosen(
    alice_client, cafe, mini
) -> None:  # type: ignore[no-untyped-def]
    _bob, club = personas.bob(mini)
    foreign = personas.running_course(club, name="Klubforløb")
    html = alice_client.post(
        url("participant-add", cafe),
        {"household": "none", "role": "child", "course": foreign.pk},
    ).content.decode()
    assert "has-error" in _field_block(html, "course")
    assert not Participant.objects.exists()


def test_an_existing_participant_is_found_and_enrolled(
    alice_client, cafe, course
) -> None:  # type: ignore[no-untyped-def]
    known = participant(cafe, initials="Yasmin")
    # A search across the plan asks for a purpose (written in the access log).
    found = alice_client.get(
        url("participants", cafe), {"q": "yasm", "formaal": "enrol"}
    ).content.decode()
    assert known.code in found
    partial = alice_client.get(
        url("participants", cafe),
        {"q": known.code[-4:], "formaal": "enrol"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert known.code in partial and "<html" not in partial

    data = {"course": course.pk, "role": "child", "start": course.start.isoformat()}
    alice_client.post(url("participant", cafe, known.pk), data)
    again = alice_client.post(url("participant", cafe, known.pk), data).content.decode()
    assert "allerede skrevet op" in _field_block(again, "course")
    assert Enrolment.objects.filter(participant=known).count() == 1


def test_the_participant_list_pages(alice_client, cafe, course) -> None:  # type: ignore[no-untyped-def]
    for n in range(30):
        enrol(course, participant(cafe, initials=f"Barn {chr(65 + n % 26)}{n:02}"))
    first = alice_client.get(url("participants", cafe)).content.decode()
    second = alice_client.get(url("participants", cafe), {"side": 2}).content.decode()
    assert "30 deltagere" in first and "Side 1 af 2" in first
    assert "Side 2 af 2" in second
    assert second.count('class="code"') == 5


def test_outcome_follow_up_and_questionnaire_are_recorded(
    alice_client, cafe, course
) -> None:  # type: ignore[no-untyped-def]
    enrolment = enrol(course, participant(cafe))
    page = url("enrolment", cafe, enrolment.pk)
    bad = alice_client.post(
        page, {"resultat-outcome": "completed", "resultat-goal_reached": "1"}
    ).content.decode()
    assert "Angiv hvornår forløbet sluttede" in _field_block(bad, "resultat-end")
    assert "kun nås, når der er sat et mål" in bad

    alice_client.post(
        page,
        {
            "resultat-outcome": "completed",
            "resultat-end": course.end.isoformat(),
            "resultat-goal_set": "on",
            "resultat-goal_reached": "1",
        },
    )
    enrolment.refresh_from_db()
    assert (enrolment.outcome, enrolment.goal_set, enrolment.goal_reached) == (
        "completed",
        True,
        True,
    )

    due = course.end + datetime.timedelta(days=90)
    alice_client.post(
        url("follow-up-add", cafe, enrolment.pk),
        {
            "opfoelgning-due": due.isoformat(),
            "opfoelgning-done": due.isoformat(),
            "opfoelgning-outcome": "stadig i skole",
            "opfoelgning-positive": "1",
        },
    )
    assert FollowUp.objects.get(enrolment=enrolment).positive is True

    form = Questionnaire.objects.create(activity=cafe, name="Selvevaluering")
    item = form.items.create(
        text="Jeg får lavet mine lektier", scale="likert5", purpose="change"
    )
    empty = alice_client.post(
        url("response-add", cafe, enrolment.pk, form.pk),
        {"phase": "pre", "date": course.start.isoformat()},
    ).content.decode()
    assert "Besvar mindst ét spørgsmål" in empty
    alice_client.post(
        url("response-add", cafe, enrolment.pk, form.pk),
        {"phase": "pre", "date": course.start.isoformat(), f"item_{item.pk}": "2"},
    )
    response = Response.objects.get(enrolment=enrolment)
    assert list(response.answers.values_list("value", flat=True)) == [2]


def test_a_session_is_created_for_today_from_the_course_page(
    alice_client, cafe, course
) -> None:  # type: ignore[no-untyped-def]
    page = alice_client.get(url("course", cafe, course.pk)).content.decode()
    today = timezone.localdate()
    assert f'value="{today.isoformat()}"' in page
    outside = alice_client.post(
        url("course", cafe, course.pk),
        {"date": (course.end + datetime.timedelta(days=1)).isoformat()},
    ).content.decode()
    assert "forløbets periode" in _field_block(outside, "date")
    response = alice_client.post(
        url("course", cafe, course.pk), {"date": today.isoformat()}
    )
    session = Session.objects.get(course=course)
    assert response["Location"] == url("session", cafe, session.pk)
    assert (
        "Åbn dagens mødegang"
        in alice_client.get(url("course", cafe, course.pk)).content.decode()
    )


def test_a_post_without_a_csrf_token_is_refused(cafe, session) -> None:  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.alice(cafe))
    child = participant(cafe)
    enrol(session.course, child)
    response = client.post(url("session", cafe, session.pk), {"present": [child.pk]})
    assert response.status_code == 403
    assert not Attendance.objects.exists()


def _row_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for app in ("registrations", "accounts", "plans")
        for model in apps.get_app_config(app).get_models()
    }


def test_get_never_changes_rows(alice_client, everything) -> None:  # type: ignore[no-untyped-def]
    before = _row_counts()
    for page in [reverse("registrations:home"), *everything]:
        assert alice_client.get(page).status_code == 200, page
    assert _row_counts() == before


def _queries(client: Client, page: str) -> int:
    """Queries of one request with nothing stored (base/freshness.py):
    the cost of the live computation."""
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(page).status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", ["participants", "session", "course", "activity"])
def test_pages_take_the_same_number_of_queries_for_2_and_40_participants(
    alice_client, cafe, course, session, name, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    def add(n: int) -> None:
        people = [participant(cafe, birth_year=2014) for _ in range(n)]
        for person in people:
            enrol(course, person)
        Attendance.objects.bulk_create(
            [Attendance(session=session, participant=p) for p in people]
        )

    page = {
        "participants": url("participants", cafe),
        "session": url("session", cafe, session.pk),
        "course": url("course", cafe, course.pk),
        "activity": url("activity", cafe),
    }[name]
    add(2)
    few = _queries(alice_client, page)
    print(f"{name}: {few} queries")
    add(38)
    cache.clear()
    with django_assert_max_num_queries(few):
        alice_client.get(page)
    assert _queries(alice_client, page) == few
