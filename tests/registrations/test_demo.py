"""The fictional demo plan Eksempelby 2025-29 and its generated
registrations: deterministic, plausible, and enough for every measure-bound
criterion to be judged."""

from __future__ import annotations

import datetime
import io
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Max, Min, Q

from fremdrift.core.model import Outcome, Pace, Unit
from fremdrift.evaluation.selectors import plan_judged_criteria
from fremdrift.planfiles.services import plan_load
from fremdrift.plans.models import Criterion, Plan
from fremdrift.registrations.models import (
    Attendance,
    Contact,
    Course,
    Enrolment,
    FollowUp,
    Household,
    Participant,
    Response,
    Session,
)
from fremdrift_demo.eksempelby import (
    DemoPlanError,
    registrations_generate,
    school_holiday,
)

from ..conftest import ROOT

pytestmark = pytest.mark.django_db

EKSEMPELBY = ROOT / "examples" / "eksempelby-2025-29"
SLUG = "eksempelby-2025-29"
UNTIL = datetime.date(2026, 11, 1)
D = datetime.date.fromisoformat


@pytest.fixture
def eksempelby(db):  # type: ignore[no-untyped-def]
    plan_load(folder=EKSEMPELBY)
    return Plan.objects.get(slug=SLUG)


@pytest.fixture
def generated(eksempelby):  # type: ignore[no-untyped-def]
    registrations_generate(plan=eksempelby, until=UNTIL)
    return eksempelby


def _fingerprint(plan: Plan) -> dict[str, object]:
    """What a second generation must reproduce exactly."""
    return {
        "participants": list(
            Participant.objects.filter(plan=plan)
            .order_by("code")
            .values_list("code", "birth_year", "sex", "area__slug", "household__code")
        ),
        "attendance": sorted(
            Attendance.objects.filter(session__activity__plan=plan).values_list(
                "participant__code", "session__date", "session__activity__slug"
            )
        ),
        "enrolments": sorted(
            Enrolment.objects.filter(course__activity__plan=plan).values_list(
                "participant__code", "course__name", "role", "outcome", "goal_reached"
            ),
            key=str,
        ),
        "headcounts": list(
            Session.objects.filter(activity__plan=plan, course=None)
            .order_by("date")
            .values_list("date", "headcount")
        ),
    }


def test_the_demo_plan_is_marked_fictional_wherever_it_is_shown(eksempelby) -> None:  # type: ignore[no-untyped-def]
    assert "(fiktiv)" in eksempelby.name
    assert "(fiktiv)" in eksempelby.short_name
    assert "fiktiv" in eksempelby.vision
    assert "opdigtet" in eksempelby.introduction
    assert eksempelby.municipality == "Eksempelby Kommune"
    assert [a.name for a in eksempelby.areas.all()] == [
        "Solsikkeparken",
        "Kløvervangen",
        "Valmuegården",
    ]
    assert eksempelby.activities.count() == 8
    assert eksempelby.effort_areas.count() == 4


def test_generating_twice_gives_the_same_registrations(eksempelby) -> None:  # type: ignore[no-untyped-def]
    first = registrations_generate(plan=eksempelby, until=UNTIL)
    before = _fingerprint(eksempelby)

    second = registrations_generate(plan=eksempelby, until=UNTIL)

    assert second == first
    assert _fingerprint(eksempelby) == before
    assert first.participants == Participant.objects.filter(plan=eksempelby).count()
    assert 200 <= first.participants <= 450


def test_another_seed_gives_other_people(eksempelby) -> None:  # type: ignore[no-untyped-def]
    registrations_generate(plan=eksempelby, until=UNTIL)
    codes = set(Participant.objects.values_list("code", flat=True))

    registrations_generate(plan=eksempelby, seed=7, until=UNTIL)

    assert not codes & set(Participant.objects.values_list("code", flat=True))


def test_a_later_day_keeps_the_earlier_history(eksempelby) -> None:  # type: ignore[no-untyped-def]
    registrations_generate(plan=eksempelby, until=D("2026-03-01"))
    early = _fingerprint(eksempelby)

    registrations_generate(plan=eksempelby, until=UNTIL)
    late = _fingerprint(eksempelby)

    # The same people (though some have moved away since).
    codes = [row[0] for row in early["participants"]]  # type: ignore[attr-defined]
    assert set(codes) <= {row[0] for row in late["participants"]}  # type: ignore[attr-defined]
    assert [row for row in late["attendance"] if row[1] <= D("2026-03-01")] == early[
        "attendance"
    ]  # type: ignore[union-attr]


def test_nothing_is_registered_after_the_day_of_generation(generated) -> None:  # type: ignore[no-untyped-def]
    plan = generated
    assert (
        Session.objects.filter(activity__plan=plan).aggregate(m=Max("date"))["m"]
        <= UNTIL
    )
    assert not Contact.objects.filter(activity__plan=plan, date__gt=UNTIL).exists()
    assert not Response.objects.filter(
        enrolment__course__activity__plan=plan, date__gt=UNTIL
    ).exists()
    assert not Enrolment.objects.filter(
        course__activity__plan=plan, end__gt=UNTIL
    ).exists()
    assert not FollowUp.objects.filter(done__gt=UNTIL).exists()
    # A course under way has no outcomes yet; its follow-ups are still open.
    running = Course.objects.filter(activity__plan=plan, end__gt=UNTIL)
    assert running.exists()
    assert not Enrolment.objects.filter(
        course__in=running, outcome=Enrolment.Outcome.COMPLETED
    ).exists()
    assert FollowUp.objects.filter(done=None).exists()


def test_courses_follow_the_school_year(generated) -> None:  # type: ignore[no-untyped-def]
    sessions = Session.objects.filter(activity__plan=generated)
    assert not sessions.filter(date__month=7).exists()
    for day in sessions.exclude(course=None).values_list("date", flat=True):
        assert not school_holiday(day), day
        assert day.weekday() < 5
    for course in Course.objects.filter(activity__plan=generated).annotate(
        first=Min("sessions__date"), last=Max("sessions__date")
    ):
        assert course.start <= course.first <= course.last <= course.end, course


def test_groups_are_small(generated) -> None:  # type: ignore[no-untyped-def]
    sizes = Course.objects.filter(activity__plan=generated).annotate(
        n=Count("enrolments")
    )
    assert sizes.exists()
    assert all(6 <= course.n <= 14 for course in sizes), [
        (c.name, c.n) for c in sizes if not 6 <= c.n <= 14
    ]


def test_some_drop_out_and_some_move_away(generated) -> None:  # type: ignore[no-untyped-def]
    ended = Enrolment.objects.filter(
        course__activity__plan=generated, course__end__lte=UNTIL
    )
    outcomes = Counter(ended.values_list("outcome", flat=True))
    dropped = outcomes[Enrolment.Outcome.DROPPED_OUT] / sum(outcomes.values())
    assert 0.08 <= dropped <= 0.3
    assert outcomes[Enrolment.Outcome.MOVED_AWAY] > 0
    # Who moved away no longer lives in one of the plan's areas.
    assert Participant.objects.filter(plan=generated, area=None).exists()


def test_most_participants_attend_most_sessions(generated) -> None:  # type: ignore[no-untyped-def]
    completed = Enrolment.objects.filter(
        course__activity__plan=generated, outcome=Enrolment.Outcome.COMPLETED
    ).select_related("course")
    attended = Counter(
        Attendance.objects.filter(
            session__course__activity__plan=generated
        ).values_list("session__course_id", "participant_id")
    )
    held = Counter(
        Session.objects.filter(course__activity__plan=generated).values_list(
            "course_id", flat=True
        )
    )
    shares = sorted(
        attended[(e.course_id, e.participant_id)] / held[e.course_id]
        for e in completed
        if e.start == e.course.start
    )
    assert 0.75 <= shares[len(shares) // 2] <= 0.95


def test_families_and_repeat_participants(generated) -> None:  # type: ignore[no-untyped-def]
    # Parents and children of one household on the same family course.
    family = (
        Enrolment.objects.filter(course__activity__slug="familiekursus")
        .values("course_id", "participant__household_id")
        .annotate(
            parents=Count("pk", filter=Q(role="parent")),
            children=Count("pk", filter=Q(role="child")),
        )
        .filter(parents__gte=1, children__gte=1)
    )
    assert family.exists()
    sizes = Counter(
        Household.objects.filter(plan=generated)
        .annotate(n=Count("members"))
        .values_list("n", flat=True)
    )
    assert max(sizes) >= 3
    # Children come back to the homework café the next school year.
    repeaters = (
        Participant.objects.filter(
            plan=generated, enrolments__course__activity__slug="lektiecafe"
        )
        .annotate(terms=Count("enrolments"))
        .filter(terms__gte=2)
    )
    assert repeaters.count() >= 5


def test_outreach_and_communal_dinners(generated) -> None:  # type: ignore[no-untyped-def]
    contacts = Contact.objects.filter(activity__plan=generated)
    assert contacts.filter(kind="contact", participant__isnull=False).exists()
    assert contacts.filter(kind="contact", participant=None).exists()
    assert contacts.filter(kind="bridge").exists()
    dinners = Session.objects.filter(activity__slug="faellesspisning")
    headcounts = list(dinners.values_list("headcount", flat=True))
    assert len(headcounts) > 30
    assert all(15 <= n <= 40 for n in headcounts)


def test_measure_bound_criteria_are_judged_from_the_registrations(generated) -> None:  # type: ignore[no-untyped-def]
    measured = set(
        Criterion.objects.filter(plan=generated)
        .exclude(measure={})
        .values_list("ident", flat=True)
    )
    judged = {
        item.criterion.ident: item
        for item in plan_judged_criteria(plan=generated, as_of=UNTIL)
    }
    assert len(measured) >= 20
    for ident in measured:
        verdict = judged[ident].verdict
        assert verdict.judged_value is not None, ident
        assert verdict.outcome is Outcome.PENDING, (ident, verdict.explanation)
        assert verdict.pace is not None, ident
        if judged[ident].criterion.spec.unit is Unit.COUNT:
            assert verdict.expected is not None, ident
    paces = Counter(judged[ident].verdict.pace for ident in measured)
    # Some on track, some at risk (their forecast's interval holds the
    # target), some behind.
    assert set(paces) == set(Pace)


def test_the_progress_report_shows_the_running_plan(generated, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "fremdrift.html"
    call_command(
        "report",
        SLUG,
        "--kind",
        "progress",
        "--year",
        "2026",
        "--tertial",
        "2",
        "--out",
        str(out),
        stdout=io.StringIO(),
    )
    html = out.read_text(encoding="utf-8")
    assert "(fiktiv)" in html
    assert "Lektiecafé" in html
    assert "I gang" in html


def test_the_command_prints_what_it_generated(eksempelby) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    call_command("demo_registrations", SLUG, "--until", "2026-11-01", stdout=out)
    text = out.getvalue()
    assert f"Plan {SLUG}: generated registrations up to 2026-11-01 (seed 2025)" in text
    assert "participants" in text and "attendance rows" in text
    assert Participant.objects.filter(plan=eksempelby).exists()


def test_the_command_refuses_a_bad_day(eksempelby) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="is not a date"):
        call_command("demo_registrations", SLUG, "--until", "1. november")


def test_a_plan_not_marked_fictional_keeps_its_registrations(eksempelby) -> None:  # type: ignore[no-untyped-def]
    Plan.objects.filter(pk=eksempelby.pk).update(name="En rigtig helhedsplan")
    eksempelby.refresh_from_db()
    Participant.objects.create(plan=eksempelby, code="D-REAL22")

    with pytest.raises(DemoPlanError, match="not marked"):
        registrations_generate(plan=eksempelby, until=UNTIL)
    with pytest.raises(CommandError, match="not marked"):
        call_command("demo_registrations", SLUG)

    assert list(Participant.objects.values_list("code", flat=True)) == ["D-REAL22"]


@pytest.mark.parametrize(
    ("day", "holiday"),
    [
        ("2025-07-15", True),  # summer
        ("2025-02-12", True),  # winter holiday, week 7
        ("2025-10-15", True),  # autumn holiday, week 42
        ("2025-12-22", True),  # Christmas
        ("2026-01-02", True),
        ("2026-01-05", False),
        ("2025-04-16", True),  # the Wednesday before Easter 2025
        ("2025-04-22", False),  # the Tuesday after
        ("2025-08-12", False),
    ],
)
def test_school_holidays(day: str, holiday: bool) -> None:
    assert school_holiday(D(day)) is holiday


def test_the_progress_report_counts_what_was_done_in_the_tertial(db) -> None:  # type: ignore[no-untyped-def]
    from fremdrift.planfiles.services import plan_load
    from fremdrift.plans.models import Plan
    from fremdrift.reports.assembly import report_build
    from fremdrift_demo.eksempelby import registrations_generate

    plan_load(folder=EKSEMPELBY)
    plan = Plan.objects.get(slug="eksempelby-2025-29")
    registrations_generate(plan=plan, seed=2025, until=datetime.date(2026, 11, 1))

    internal = report_build(plan=plan, kind="progress", year=2026, tertial=2)
    board = report_build(
        plan=plan, kind="progress", year=2026, tertial=2, audience="board"
    )

    def cafe_table(doc):  # type: ignore[no-untyped-def]
        def walk(sections):  # type: ignore[no-untyped-def]
            for s in sections:
                yield s
                yield from walk(s.subsections)

        section = next(s for s in walk(doc.sections) if s.key == "lektiecafe")
        return {row[0].text: row[1] for row in section.tables[0].rows}

    figures = cafe_table(internal)
    assert set(figures) == {"Mødegange", "Deltagere", "Nye deltagere"}
    assert figures["Deltagere"].value >= figures["Nye deltagere"].value
    assert figures["Mødegange"].value > 0
    for label, cell in cafe_table(board).items():
        if cell.value is not None and 0 < cell.value < 5 and label != "Mødegange":
            pytest.fail(f"{label} shows a small count to the board: {cell.text}")
