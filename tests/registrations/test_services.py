"""Registration services: access, attendance that is set (not added to),
participants with households, outcomes, follow-ups and questionnaires."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from fremdrift.accounts.models import PlanMembership
from fremdrift.accounts.policy import activities_for
from fremdrift.accounts.services import membership_grant
from fremdrift.registrations import services
from fremdrift.registrations.models import (
    Attendance,
    Enrolment,
    Participant,
    Questionnaire,
    Session,
)

from . import personas
from .factories import enrol, participant

pytestmark = pytest.mark.django_db

D = datetime.date.fromisoformat


@pytest.fixture
def cafe(mini):  # type: ignore[no-untyped-def]
    return mini.activities.get(slug="lektiecafe")


@pytest.fixture
def alice(cafe):  # type: ignore[no-untyped-def]
    return personas.alice(cafe)


@pytest.fixture
def session(cafe):  # type: ignore[no-untyped-def]
    course = personas.running_course(cafe)
    return Session.objects.create(activity=cafe, course=course, date=course.start)


def test_staff_register_for_their_activity_and_its_sub_activities(
    cafe, alice, mini
) -> None:  # type: ignore[no-untyped-def]
    slugs = set(activities_for(alice).values_list("slug", flat=True))
    assert slugs == {"lektiecafe", "lektiecafe-sommer"}


def test_a_coordinator_registers_for_every_activity_of_the_plan(mini) -> None:  # type: ignore[no-untyped-def]
    coordinator = personas.user("dorte")
    membership_grant(user=coordinator, plan=mini, role="coordinator")
    bob, club = personas.bob(mini)
    assert set(activities_for(coordinator)) == set(mini.activities.all())
    assert list(activities_for(bob)) == [club]


@pytest.mark.parametrize(
    "role", [PlanMembership.Role.BOARD, PlanMembership.Role.AUDITOR]
)
def test_board_members_and_auditors_register_nothing(cafe, role) -> None:  # type: ignore[no-untyped-def]
    reader = personas.user("erik")
    membership_grant(user=reader, plan=cafe.plan, role=role, activities=[cafe])
    assert not activities_for(reader).exists()
    assert not activities_for(AnonymousUser()).exists()


def test_an_assignment_without_a_role_in_the_plan_gives_no_access(cafe, alice) -> None:  # type: ignore[no-untyped-def]
    PlanMembership.objects.filter(user=alice).delete()
    assert not activities_for(alice).exists()


def test_attendance_is_set_once_however_often_it_is_saved(session, alice, cafe) -> None:  # type: ignore[no-untyped-def]
    people = [participant(cafe) for _ in range(3)]
    for person in people:
        enrol(session.course, person)
    ids = [p.pk for p in people]

    first = services.session_attendance_set(
        session=session, participant_ids=ids, user=alice
    )
    again = services.session_attendance_set(
        session=session, participant_ids=ids, user=alice
    )
    untick = services.session_attendance_set(
        session=session, participant_ids=ids[:1], user=alice
    )

    assert (first.added, first.removed, first.present) == (3, 0, 3)
    assert (again.added, again.removed) == (0, 0)
    assert (untick.added, untick.removed, untick.present) == (0, 2, 1)
    assert list(session.attendance.values_list("participant_id", flat=True)) == [ids[0]]


def test_attendance_refuses_someone_not_on_the_list_and_saves_nothing(
    session, alice, cafe
) -> None:  # type: ignore[no-untyped-def]
    enrolled, stranger = participant(cafe), participant(cafe)
    enrol(session.course, enrolled)
    with pytest.raises(ValidationError):
        services.session_attendance_set(
            session=session, participant_ids=[enrolled.pk, stranger.pk], user=alice
        )
    assert not Attendance.objects.exists()


def test_attendance_is_refused_to_a_user_not_on_the_activity(session, mini) -> None:  # type: ignore[no-untyped-def]
    bob, _club = personas.bob(mini)
    with pytest.raises(PermissionDenied):
        services.session_attendance_set(session=session, participant_ids=[], user=bob)


def test_a_new_participant_is_enrolled_and_joins_a_family_members_household(
    cafe, alice, mini
) -> None:  # type: ignore[no-untyped-def]
    course = personas.running_course(cafe)
    mother = participant(cafe, initials="Mor", birth_year=1988)

    child = services.participant_create(
        plan=mini,
        user=alice,
        initials="Ali",
        birth_year=2015,
        household_of=mother,
        course=course,
        role="child",
    )
    sibling = services.participant_create(
        plan=mini, user=alice, household=child.household
    )

    mother.refresh_from_db()
    assert child.code.startswith("D-")
    assert child.household is not None
    assert mother.household == child.household == sibling.household
    assert Enrolment.objects.get(participant=child).start == course.start


def test_enrolling_twice_is_refused(cafe, alice) -> None:  # type: ignore[no-untyped-def]
    course = personas.running_course(cafe)
    person = participant(cafe)
    services.enrolment_create(
        course=course, participant=person, role="child", start=course.start, user=alice
    )
    with pytest.raises(ValidationError):
        services.enrolment_create(
            course=course,
            participant=person,
            role="child",
            start=course.start,
            user=alice,
        )


def test_a_participant_of_another_plan_cannot_be_enrolled(cafe, alice) -> None:  # type: ignore[no-untyped-def]
    _plan, elsewhere = personas.other_plan()
    outsider = Participant.objects.create(plan=elsewhere.plan)
    with pytest.raises(PermissionDenied):
        services.enrolment_create(
            course=personas.running_course(cafe),
            participant=outsider,
            role="child",
            start=D("2026-01-01"),
            user=alice,
        )


def test_a_goal_not_set_cannot_be_reached(cafe, alice) -> None:  # type: ignore[no-untyped-def]
    enrolment = enrol(personas.running_course(cafe), participant(cafe))
    services.enrolment_outcome_set(
        enrolment=enrolment,
        user=alice,
        outcome="completed",
        end=enrolment.course.end,
        goal_set=False,
        goal_reached=True,
    )
    enrolment.refresh_from_db()
    assert (enrolment.outcome, enrolment.goal_reached) == ("completed", None)


def test_a_follow_up_with_the_same_due_date_is_updated_not_added(cafe, alice) -> None:  # type: ignore[no-untyped-def]
    enrolment = enrol(personas.running_course(cafe), participant(cafe))
    due = D("2027-03-01")
    services.follow_up_record(enrolment=enrolment, user=alice, due=due)
    services.follow_up_record(
        enrolment=enrolment,
        user=alice,
        due=due,
        done=D("2027-03-03"),
        outcome="stadig i job",
        positive=True,
    )
    (follow_up,) = enrolment.follow_ups.all()
    assert (follow_up.positive, follow_up.outcome) == (True, "stadig i job")


def test_a_questionnaire_entered_again_replaces_its_answers(cafe, alice) -> None:  # type: ignore[no-untyped-def]
    enrolment = enrol(personas.running_course(cafe), participant(cafe))
    form = Questionnaire.objects.create(activity=cafe, name="Selvevaluering")
    confident = form.items.create(
        text="Jeg tror på mig selv", scale="likert5", purpose="change"
    )
    happy = form.items.create(
        text="Var du glad for forløbet?", scale="yes_no", purpose="satisfaction"
    )

    def record(answers):  # type: ignore[no-untyped-def]
        return services.response_record(
            enrolment=enrolment,
            questionnaire=form,
            user=alice,
            phase="post",
            date=D("2026-11-01"),
            answers=answers,
        )

    record({confident.pk: 2, happy.pk: 0})
    response = record({confident.pk: 4})

    assert dict(response.answers.values_list("item_id", "value")) == {confident.pk: 4}
    with pytest.raises(ValidationError):
        record({happy.pk: 3})
    assert enrolment.responses.count() == 1
