"""Every registration page that shows a participant, and every change to
one, writes exactly the expected access-log entries: who, what, which
participant, why, from where. A search across the plan, and opening
someone who is not in the activity, need a purpose."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import URLPattern, reverse
from django.utils import timezone

from fremdrift.audit.models import AccessLogEntry
from fremdrift.audit.refs import participant_ref
from fremdrift.registrations.models import (
    Enrolment,
    FollowUp,
    Participant,
    Questionnaire,
    Response,
    Session,
)
from fremdrift.web.staff import urls as registration_urls

from ..registrations import personas
from ..registrations.factories import enrol, participant
from .conftest import entries, outsider

pytestmark = pytest.mark.django_db


def ticked(session: Session, *people: Participant) -> dict[str, object]:
    """The attendance form as the page posts it, with the session's version
    as the page was opened."""
    session.refresh_from_db(fields=["version"])
    return {"present": [p.pk for p in people], "version": session.version}


def url(name: str, activity, *args) -> str:  # type: ignore[no-untyped-def]
    return reverse(
        f"registrations:{name}", args=[activity.plan.slug, activity.slug, *args]
    )


@pytest.fixture
def session(course) -> Session:  # type: ignore[no-untyped-def]
    return Session.objects.create(
        activity=course.activity, course=course, date=timezone.localdate()
    )


def test_opening_a_participant_of_the_activity_logs_one_view(
    alice_client: Client, cafe, ali
) -> None:  # type: ignore[no-untyped-def]
    person = ali.participant
    page = url("participant", cafe, person.pk)
    assert alice_client.get(page).status_code == 200
    assert entries() == [("view", "participant", str(person.pk), person.pk, "activity")]
    entry = AccessLogEntry.objects.get()
    assert (entry.username, entry.path, entry.ip) == ("alice", page, "127.0.0.1")
    assert entry.plan_id == cafe.plan_id
    assert entry.participant_ref == participant_ref(
        plan_id=cafe.plan_id, code=person.code
    )
    assert entry.at <= timezone.now()


@pytest.mark.parametrize(
    ("name", "object_type"),
    [("course", "course"), ("session", "session")],
)
def test_a_list_of_the_activitys_own_participants_logs_one_view_per_page(
    alice_client: Client, cafe, course, session, ali, name, object_type
) -> None:  # type: ignore[no-untyped-def]
    target = course if name == "course" else session
    assert alice_client.get(url(name, cafe, target.pk)).status_code == 200
    assert entries() == [("view", object_type, str(target.pk), None, "activity")]


def test_the_participant_list_without_a_search_logs_one_view(
    alice_client: Client, cafe, ali
) -> None:  # type: ignore[no-untyped-def]
    assert alice_client.get(url("participants", cafe)).status_code == 200
    assert entries() == [("view", "participant_list", "", None, "activity")]


def test_a_search_needs_a_purpose_and_shows_nobody_without_one(
    alice_client: Client, cafe, ali
) -> None:  # type: ignore[no-untyped-def]
    response = alice_client.get(url("participants", cafe), {"q": "ali"})
    html = response.content.decode()
    assert "Vælg et formål med søgningen" in html
    assert ali.participant.code not in html
    assert entries() == []


def test_a_search_logs_each_participant_it_shows_with_the_purpose(
    alice_client: Client, cafe, ali
) -> None:  # type: ignore[no-untyped-def]
    other = outsider(cafe, initials="Alma")
    outsider(cafe, initials="Bo")
    response = alice_client.get(
        url("participants", cafe),
        {"q": "al", "formaal": "other", "begrundelse": "Mor ringede"},
    )
    html = response.content.decode()
    assert ali.participant.code in html and other.code in html
    found = AccessLogEntry.objects.order_by("participant_id")
    assert [(e.action, e.participant_id, e.purpose, e.purpose_note) for e in found] == [
        ("search", ali.participant.pk, "other", "Mor ringede"),
        ("search", other.pk, "other", "Mor ringede"),
    ]
    # The query itself (initials) is not kept: only the path.
    assert {e.path for e in found} == {url("participants", cafe)}
    # The purpose goes along to the participant's page.
    assert "formaal=other" in html


def test_other_without_a_note_is_refused_next_to_the_field(
    alice_client: Client, cafe, ali
) -> None:  # type: ignore[no-untyped-def]
    html = alice_client.get(
        url("participants", cafe), {"q": "al", "formaal": "other"}
    ).content.decode()
    assert "Skriv kort hvorfor" in html
    assert entries() == []


def test_a_search_that_finds_nobody_is_logged_once(alice_client: Client, cafe) -> None:  # type: ignore[no-untyped-def]
    alice_client.get(url("participants", cafe), {"q": "zz", "formaal": "inquiry"})
    assert entries() == [("search", "participant", "", None, "inquiry")]


def test_the_last_purpose_is_offered_again(alice_client: Client, cafe, ali) -> None:  # type: ignore[no-untyped-def]
    alice_client.get(url("participants", cafe), {"q": "al", "formaal": "follow_up"})
    html = alice_client.get(url("participants", cafe)).content.decode()
    assert '<option value="follow_up" selected>' in html


def test_opening_someone_outside_the_activity_asks_for_a_purpose(
    alice_client: Client, cafe
) -> None:  # type: ignore[no-untyped-def]
    person = outsider(cafe, initials="Yasmin", birth_year=2014)
    page = url("participant", cafe, person.pk)
    asked = alice_client.get(page).content.decode()
    assert "Formål med opslaget" in asked
    assert "Yasmin" not in asked and "2014" not in asked
    assert entries() == []

    shown = alice_client.get(page, {"formaal": "enrol"}).content.decode()
    assert "Yasmin" in shown
    assert entries() == [("view", "participant", str(person.pk), person.pk, "enrol")]


def test_enrolling_someone_from_a_search_logs_the_enrolment(
    alice_client: Client, cafe, course
) -> None:  # type: ignore[no-untyped-def]
    person = outsider(cafe)
    data = {"course": course.pk, "role": "child", "start": course.start.isoformat()}
    response = alice_client.post(
        url("participant", cafe, person.pk) + "?formaal=enrol", data
    )
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(participant=person)
    assert entries() == [
        ("create", "enrolment", str(enrolment.pk), person.pk, "activity")
    ]


def test_a_new_participant_logs_their_creation_and_enrolment(
    alice_client: Client, cafe, course
) -> None:  # type: ignore[no-untyped-def]
    alice_client.post(
        url("participant-add", cafe),
        {
            "initials": "Sara",
            "household": "new",
            "course": course.pk,
            "role": "child",
            "start": timezone.localdate().isoformat(),
        },
    )
    sara = Participant.objects.get(initials="Sara")
    enrolment = Enrolment.objects.get(participant=sara)
    assert entries() == [
        ("create", "participant", str(sara.pk), sara.pk, "activity"),
        ("create", "enrolment", str(enrolment.pk), sara.pk, "activity"),
    ]


def test_joining_a_household_logs_the_change_to_the_other_member(
    alice_client: Client, cafe
) -> None:  # type: ignore[no-untyped-def]
    sibling = outsider(cafe)
    alice_client.post(
        url("participant-add", cafe),
        {"household": "existing", "household_code": sibling.code, "role": "child"},
    )
    new = Participant.objects.exclude(pk=sibling.pk).get()
    assert entries() == [
        ("change", "participant", str(sibling.pk), sibling.pk, "activity"),
        ("create", "participant", str(new.pk), new.pk, "activity"),
    ]


def test_attendance_logs_each_participant_added_and_removed(
    alice_client: Client, cafe, course, session
) -> None:  # type: ignore[no-untyped-def]
    a, b = (enrol(course, participant(cafe)).participant for _ in range(2))
    page = url("session", cafe, session.pk)
    alice_client.post(page, ticked(session, a, b))
    assert entries() == [
        ("create", "attendance", str(session.pk), a.pk, "activity"),
        ("create", "attendance", str(session.pk), b.pk, "activity"),
    ]
    alice_client.post(page, ticked(session, a, b))  # nothing changes
    alice_client.post(page, ticked(session, a))
    assert entries()[2:] == [
        ("delete", "attendance", str(session.pk), b.pk, "activity"),
    ]


def test_the_htmx_answer_to_an_attendance_post_is_logged_as_a_view(
    alice_client: Client, cafe, course, session
) -> None:  # type: ignore[no-untyped-def]
    a = enrol(course, participant(cafe)).participant
    alice_client.post(
        url("session", cafe, session.pk), ticked(session, a), HTTP_HX_REQUEST="true"
    )
    assert entries() == [
        ("create", "attendance", str(session.pk), a.pk, "activity"),
        ("view", "session", str(session.pk), None, "activity"),
    ]


def test_an_enrolment_logs_views_and_each_change(
    alice_client: Client, cafe, course, ali
) -> None:  # type: ignore[no-untyped-def]
    person = ali.participant
    page = url("enrolment", cafe, ali.pk)
    alice_client.get(page)
    alice_client.post(
        page, {"resultat-outcome": "completed", "resultat-end": course.end.isoformat()}
    )
    due = course.end + datetime.timedelta(days=90)
    alice_client.post(
        url("follow-up-add", cafe, ali.pk), {"opfoelgning-due": due.isoformat()}
    )
    alice_client.post(
        url("follow-up-add", cafe, ali.pk),
        {
            "opfoelgning-due": due.isoformat(),
            "opfoelgning-done": due.isoformat(),
            "opfoelgning-positive": "1",
        },
    )
    follow_up = FollowUp.objects.get()
    enrolment = str(ali.pk)
    assert entries() == [
        ("view", "enrolment", enrolment, person.pk, "activity"),
        ("change", "enrolment", enrolment, person.pk, "activity"),
        ("create", "follow_up", str(follow_up.pk), person.pk, "activity"),
        ("change", "follow_up", str(follow_up.pk), person.pk, "activity"),
    ]


def test_a_refused_change_logs_the_page_shown_again_not_a_change(
    alice_client: Client, cafe, ali
) -> None:  # type: ignore[no-untyped-def]
    alice_client.post(url("enrolment", cafe, ali.pk), {"resultat-outcome": "completed"})
    assert entries() == [
        ("view", "enrolment", str(ali.pk), ali.participant.pk, "activity")
    ]


def test_a_questionnaire_logs_the_form_and_the_answers(
    alice_client: Client, cafe, course, ali
) -> None:  # type: ignore[no-untyped-def]
    form = Questionnaire.objects.create(activity=cafe, name="Selvevaluering")
    item = form.items.create(
        text="Jeg kan lide skolen", scale="likert5", purpose="change"
    )
    page = url("response-add", cafe, ali.pk, form.pk)
    alice_client.get(page)
    data = {"phase": "pre", "date": course.start.isoformat(), f"item_{item.pk}": "3"}
    alice_client.post(page, data)
    alice_client.post(page, {**data, f"item_{item.pk}": "4"})
    response = Response.objects.get()
    person = ali.participant.pk
    assert entries() == [
        ("view", "enrolment", str(ali.pk), person, "activity"),
        ("create", "response", str(response.pk), person, "activity"),
        ("change", "response", str(response.pk), person, "activity"),
    ]


def test_evidence_uploads_and_downloads_are_logged(
    alice_client: Client, cafe, settings, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    import io

    upload = io.BytesIO(b"%PDF-1.4 referat")
    upload.name = "referat.pdf"
    alice_client.post(
        url("evidence", cafe),
        {"file": upload, "description": "Referat", "consent": "document"},
    )
    evidence = cafe.evidence_files.get()
    alice_client.get(url("evidence-file", cafe, evidence.pk))
    assert entries() == [
        ("create", "evidence", str(evidence.pk), None, "activity"),
        ("view", "evidence", str(evidence.pk), None, "activity"),
    ]


def test_pages_without_participants_write_nothing(
    alice_client: Client, cafe, ali
) -> None:  # type: ignore[no-untyped-def]
    for page in (
        reverse("registrations:home"),
        url("activity", cafe),
        url("commentary", cafe),
        url("evidence", cafe),
        url("open-session-add", cafe),
        url("participant-add", cafe),
    ):
        assert alice_client.get(page).status_code == 200, page
    assert entries() == []


def test_someone_refused_a_page_leaves_no_entry(cafe, ali, mini) -> None:  # type: ignore[no-untyped-def]
    bob, _club = personas.bob(mini)
    client = Client()
    client.force_login(bob)
    assert client.get(url("participant", cafe, ali.participant.pk)).status_code == 404
    assert entries() == []


# Registration pages and whether they show or change a participant's data;
# a new page must be added here (and to the tests above when it does).
PARTICIPANT_PAGES = {
    "course": True,
    "session": True,
    "participants": True,
    "participant-add": True,
    "participant": True,
    "enrolment": True,
    "follow-up-add": True,
    "response-add": True,
    "evidence": True,  # uploads: a photo may show people
    "evidence-file": True,
    "home": False,
    "import-template": False,
    "activity": False,
    "commentary": False,
    "open-session-add": False,
}


def test_every_registration_page_is_classified() -> None:
    names = {p.name for p in registration_urls.urlpatterns if isinstance(p, URLPattern)}
    assert names == set(PARTICIPANT_PAGES)


def test_a_service_called_outside_a_view_still_logs(cafe, course, alice) -> None:  # type: ignore[no-untyped-def]
    from fremdrift.registrations.services import enrolment_create

    person = outsider(cafe)
    enrolment = enrolment_create(
        course=course, participant=person, role="child", start=course.start, user=alice
    )
    entry = AccessLogEntry.objects.get()
    assert (entry.object_id, entry.participant_id, entry.path, entry.ip) == (
        str(enrolment.pk),
        person.pk,
        "",
        None,
    )
