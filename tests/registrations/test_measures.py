"""Measures computed from registrations, with the cases the issue names."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fremdrift.core.measures import MeasureFilter, MeasureKind
from fremdrift.core.model import Outcome, Pace
from fremdrift.evaluation.selectors import plan_judged_criteria
from fremdrift.plans.models import Area, Criterion
from fremdrift.registrations.measures import MEASURES, measure
from fremdrift.registrations.models import Contact, Enrolment, Session

from .factories import attend, course, enrol, household, participant, weekly_sessions

pytestmark = pytest.mark.django_db

D = datetime.date.fromisoformat


@pytest.fixture
def cafe(mini):  # type: ignore[no-untyped-def]
    return mini.activities.get(slug="lektiecafe")


def _value(
    kind: MeasureKind, activity, start: str, end: str, **filters
) -> Decimal | None:  # type: ignore[no-untyped-def]
    return measure(kind, activity, D(start), D(end), MeasureFilter(**filters)).value


def test_a_child_in_two_overlapping_courses_is_one_unique_child(cafe) -> None:  # type: ignore[no-untyped-def]
    spring = course(cafe, "2023-02-01", "2023-05-31")
    autumn = course(cafe, "2023-04-01", "2023-10-31")
    anna, bo = participant(cafe, birth_year=2014), participant(cafe, birth_year=2015)
    attend(weekly_sessions(spring, 4), anna)
    attend(weekly_sessions(autumn, 4), anna, bo)

    assert (
        _value(MeasureKind.UNIQUE_PARTICIPANTS, cafe, "2023-01-01", "2023-12-31") == 2
    )
    # Across two periods the same child counts in each, and once for both.
    assert (
        _value(MeasureKind.UNIQUE_PARTICIPANTS, cafe, "2023-01-01", "2023-03-31") == 1
    )
    assert (
        _value(MeasureKind.UNIQUE_PARTICIPANTS, cafe, "2023-04-01", "2023-12-31") == 2
    )
    assert _value(MeasureKind.SESSIONS_HELD, cafe, "2023-01-01", "2023-12-31") == 8


def test_a_measure_for_a_period_that_starts_mid_course(cafe) -> None:  # type: ignore[no-untyped-def]
    running = course(cafe, "2023-01-02", "2023-06-30")
    sessions = weekly_sessions(running, 10)  # Mondays, 2 January to 6 March
    early, late = participant(cafe), participant(cafe)
    attend(sessions[:3], early)  # until 16 January
    attend(sessions[5:], late)  # from 30 January

    assert (
        _value(MeasureKind.UNIQUE_PARTICIPANTS, cafe, "2023-01-20", "2023-12-31") == 1
    )
    # 23 and 30 January, 6, 13, 20 and 27 February, 6 March.
    assert _value(MeasureKind.SESSIONS_HELD, cafe, "2023-01-20", "2023-12-31") == 7
    # The course ends in June: it is held in the window that holds its end.
    assert _value(MeasureKind.COURSES_HELD, cafe, "2023-01-20", "2023-06-30") == 1
    assert _value(MeasureKind.COURSES_HELD, cafe, "2023-01-01", "2023-05-31") == 0


def test_completion_at_exactly_25_percent_absence_is_completed(cafe) -> None:  # type: ignore[no-untyped-def]
    eight_weeks = course(cafe, "2023-02-01", "2023-04-30", completion_value=25)
    sessions = weekly_sessions(eight_weeks, 8)
    at_the_limit, one_more_absence = participant(cafe), participant(cafe)
    enrol(eight_weeks, at_the_limit)
    enrol(eight_weeks, one_more_absence)
    attend(sessions[:6], at_the_limit)  # 2 of 8 absent: 25 %
    attend(sessions[:5], one_more_absence)  # 3 of 8 absent: 37,5 %

    point = measure(MeasureKind.COMPLETION_RATE, cafe, D("2023-01-01"), D("2023-12-31"))

    assert (point.numerator, point.denominator) == (1, 2)
    assert point.value == Decimal("50.0")


def test_completion_by_minimum_sessions_and_outcomes(cafe) -> None:  # type: ignore[no-untyped-def]
    run = course(
        cafe,
        "2023-02-01",
        "2023-04-30",
        completion_rule="min_sessions",
        completion_value=3,
    )
    sessions = weekly_sessions(run, 6)
    done, dropped, moved = participant(cafe), participant(cafe), participant(cafe)
    enrol(run, done)
    enrol(run, dropped, outcome=Enrolment.Outcome.DROPPED_OUT)
    enrol(run, moved, outcome=Enrolment.Outcome.MOVED_AWAY)
    attend(sessions[:3], done, dropped, moved)

    point = measure(MeasureKind.COMPLETION_RATE, cafe, D("2023-01-01"), D("2023-12-31"))

    # Moved away: out of both counts. Dropped out: enrolled, not completed.
    assert (point.numerator, point.denominator) == (1, 2)


def test_a_household_is_counted_once_however_many_members_take_part(cafe) -> None:  # type: ignore[no-untyped-def]
    family = household(cafe)
    mother = participant(cafe, household=family, birth_year=1988)
    child = participant(cafe, household=family, birth_year=2015)
    neighbour = participant(cafe)  # no household registered: a household of one
    run = course(cafe, "2023-02-01", "2023-04-30")
    attend(weekly_sessions(run, 2), mother, child, neighbour)

    point = measure(
        MeasureKind.UNIQUE_HOUSEHOLDS, cafe, D("2023-01-01"), D("2023-12-31")
    )

    assert point.value == 2


def test_a_participant_who_moves_counts_in_the_area_registered_now(cafe, mini) -> None:  # type: ignore[no-untyped-def]
    nord, syd = Area.objects.get(slug="nord"), Area.objects.get(slug="syd")
    mover = participant(cafe, area=nord)
    attend(weekly_sessions(course(cafe, "2023-02-01", "2023-04-30"), 2), mover)
    assert (
        _value(
            MeasureKind.UNIQUE_PARTICIPANTS,
            cafe,
            "2023-01-01",
            "2023-12-31",
            area="nord",
        )
        == 1
    )

    mover.area = syd
    mover.save()

    assert (
        _value(
            MeasureKind.UNIQUE_PARTICIPANTS,
            cafe,
            "2023-01-01",
            "2023-12-31",
            area="nord",
        )
        == 0
    )
    assert (
        _value(
            MeasureKind.UNIQUE_PARTICIPANTS,
            cafe,
            "2023-01-01",
            "2023-12-31",
            area="syd",
        )
        == 1
    )


def test_age_band_and_role_filters(cafe) -> None:  # type: ignore[no-untyped-def]
    run = course(cafe, "2023-02-01", "2023-04-30")
    six, nine, parent = (
        participant(cafe, birth_year=2017),
        participant(cafe, birth_year=2014),
        participant(cafe, birth_year=1990),
    )
    enrol(run, six)
    enrol(run, nine)
    enrol(run, parent, role="parent")
    attend(weekly_sessions(run, 2), six, nine, parent)

    assert (
        _value(
            MeasureKind.UNIQUE_PARTICIPANTS,
            cafe,
            "2023-01-01",
            "2023-12-31",
            age_min=3,
            age_max=6,
        )
        == 1
    )
    assert (
        _value(
            MeasureKind.UNIQUE_PARTICIPANTS,
            cafe,
            "2023-01-01",
            "2023-12-31",
            role="child",
        )
        == 2
    )
    assert (
        _value(
            MeasureKind.UNIQUE_PARTICIPANTS,
            cafe,
            "2023-01-01",
            "2023-12-31",
            role="parent",
        )
        == 1
    )


def test_contacts_bridge_buildings_and_mean_attendance(cafe) -> None:  # type: ignore[no-untyped-def]
    kid = participant(cafe)
    Contact.objects.create(
        activity=cafe, date=D("2023-03-01"), kind="contact", participant=kid
    )
    Contact.objects.create(
        activity=cafe, date=D("2023-04-01"), kind="contact", participant=kid
    )
    Contact.objects.create(
        activity=cafe, date=D("2023-04-01"), kind="contact", anonymous_count=3
    )
    Contact.objects.create(
        activity=cafe, date=D("2023-05-01"), kind="bridge", participant=kid
    )
    dinner = Session.objects.create(activity=cafe, date=D("2023-06-01"), headcount=30)
    other = Session.objects.create(activity=cafe, date=D("2023-06-08"), headcount=20)
    attend([other], kid)

    assert _value(MeasureKind.CONTACTS, cafe, "2023-01-01", "2023-12-31") == 4
    assert _value(MeasureKind.BRIDGE_BUILDINGS, cafe, "2023-01-01", "2023-12-31") == 1
    mean = measure(MeasureKind.MEAN_ATTENDANCE, cafe, D("2023-06-01"), D("2023-06-30"))
    assert (mean.value, mean.numerator, mean.denominator) == (Decimal("25.5"), 51, 2)
    assert dinner.pk


def test_shares_with_nothing_to_count_have_no_value(cafe) -> None:  # type: ignore[no-untyped-def]
    for kind in (
        MeasureKind.COMPLETION_RATE,
        MeasureKind.GOAL_REACHED_SHARE,
        MeasureKind.IMPROVED_SHARE,
        MeasureKind.SATISFIED_SHARE,
        MeasureKind.FOLLOW_UP_RATE,
    ):
        point = measure(kind, cafe, D("2023-01-01"), D("2023-12-31"))
        assert point.value is None, kind
        assert point.denominator == 0


@pytest.mark.parametrize("kind", list(MeasureKind))
def test_every_measure_takes_a_bounded_number_of_queries(
    cafe, kind: MeasureKind
) -> None:  # type: ignore[no-untyped-def]
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            measure(
                kind,
                cafe,
                D("2023-01-01"),
                D("2023-12-31"),
                MeasureFilter(role="child"),
            )
        return len(captured)

    small = queries()
    for n in range(5):
        run = course(cafe, f"2023-0{n + 1}-01", f"2023-0{n + 2}-20")
        people = [participant(cafe, birth_year=2015) for _ in range(4)]
        for person in people:
            enrol(run, person)
        attend(weekly_sessions(run, 3), *people)
    assert queries() == small
    assert kind in MEASURES


def test_a_criterion_bound_to_a_measure_is_judged_without_typed_numbers(
    cafe, mini
) -> None:  # type: ignore[no-untyped-def]
    criterion = Criterion.objects.get(ident="bf-lektiecafe-boern")
    criterion.reported_values.all().delete()
    criterion.measure = {"kind": "unique_participants", "role": "child"}
    criterion.aggregation = "latest"
    criterion.save()
    run = course(cafe, "2022-02-01", "2022-11-30")
    children = [participant(cafe, birth_year=2014) for _ in range(30)]
    for child in children:
        enrol(run, child)
    attend(weekly_sessions(run, 3), *children)

    early = {
        j.criterion.ident: j
        for j in plan_judged_criteria(plan=mini, as_of=D("2022-12-31"))
    }
    verdict = early["bf-lektiecafe-boern"].verdict
    assert verdict.judged_value == 30
    assert verdict.outcome == Outcome.PENDING
    assert verdict.pace == Pace.ON_TRACK  # 30 of 100 after a fifth of the plan

    later = plan_judged_criteria(plan=mini, as_of=D("2027-01-31"))
    done = next(j for j in later if j.criterion.ident == "bf-lektiecafe-boern")
    assert done.verdict.outcome == Outcome.NOT_ACHIEVED
    assert "30" in done.verdict.explanation


def test_new_participants_are_those_never_seen_before_the_window(cafe) -> None:  # type: ignore[no-untyped-def]
    spring = weekly_sessions(course(cafe, "2023-02-01", "2023-04-30"), 3)
    autumn = weekly_sessions(course(cafe, "2023-09-01", "2023-11-30"), 3)
    regular, newcomer = participant(cafe), participant(cafe)
    attend(spring, regular)
    attend(autumn, regular, newcomer)

    assert _value(MeasureKind.NEW_PARTICIPANTS, cafe, "2023-09-01", "2023-12-31") == 1
    assert _value(MeasureKind.NEW_PARTICIPANTS, cafe, "2023-01-01", "2023-12-31") == 2
