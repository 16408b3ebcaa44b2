"""Erasure and retention leave no trace of a person in the change history:
every historical table is scanned, for rows of the person or of their
registrations (by id and by every link to them) and for their code and
initials in any column, also rows that exist only in the history (an
attendance unticked, an enrolment deleted, a contact removed before)."""

from __future__ import annotations

import datetime
import json
import zoneinfo
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth.models import User
from django.db import models
from simple_history.utils import get_history_model_for_model

from fremdrift.accounts.services import membership_grant
from fremdrift.base.history import is_change_history
from fremdrift.plans.models import Activity, Plan
from fremdrift.privacy.gdpr import Actor, participant_erase, retention_apply
from fremdrift.registrations.models import (
    Attendance,
    Contact,
    Course,
    Enrolment,
    FollowUp,
    Participant,
)
from fremdrift.registrations.services import session_attendance_set

from ..registrations import personas
from ..registrations.factories import course, enrol, participant, weekly_sessions

pytestmark = pytest.mark.django_db

CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")
OPS = Actor("cli:ops")


def _history_models() -> list[type[models.Model]]:
    found = [
        model
        for model in apps.get_models()
        if is_change_history(model)  # type: ignore[arg-type]
    ]
    assert len(found) > 20, "the scan must see every historical table"
    return found


def _linked(person: Participant) -> dict[type[models.Model], set[int]]:
    """The person and every registration that was ever theirs, as the
    history knows them (rows deleted since included)."""

    def ids(model: type[models.Model], **where: Any) -> set[int]:
        return set(
            get_history_model_for_model(model)
            .objects.filter(**where)
            .values_list("id", flat=True)
        )

    enrolments = ids(Enrolment, participant_id=person.pk)
    return {
        Participant: {person.pk},
        Enrolment: enrolments,
        FollowUp: ids(FollowUp, enrolment_id__in=enrolments),
        Attendance: ids(Attendance, participant_id=person.pk),
        Contact: ids(Contact, participant_id=person.pk),
    }


def traces(linked: dict[type[models.Model], set[int]], words: list[str]) -> list[str]:
    """Every place in every historical table that still tells of the person:
    a row of one of ``linked``'s objects, a column that points at one, or a
    text or JSON column that holds one of ``words``."""
    found: list[str] = []
    for model in _history_models():
        table = model._meta.db_table
        rows = model._default_manager
        own = model.instance_type  # type: ignore[attr-defined]
        if linked.get(own) and rows.filter(id__in=linked[own]).exists():
            found.append(f"{table}: rows of {own.__name__}")
        for column in model._meta.fields:
            related = column.related_model
            if column.name == "history_user" or related not in linked:
                continue
            assert isinstance(related, type)
            if rows.filter(**{f"{column.attname}__in": linked[related]}).exists():
                found.append(f"{table}.{column.attname}")
        for row in rows.values():
            text = json.dumps(row, default=str, ensure_ascii=False)
            found += [f"{table}: {word!r}" for word in words if word in text]
    return found


@pytest.fixture
def cafe(mini: Plan) -> Activity:
    return mini.activities.get(slug="lektiecafe")


@pytest.fixture
def alice(cafe: Activity) -> User:
    return personas.alice(cafe)


def _registered(cafe: Activity, alice: User, initials: str) -> Participant:
    """A participant with a history on every registration table: enrolled
    (outcome set), a follow-up done, attendance ticked and one unticked, a
    contact edited, and an enrolment, a follow-up and a contact deleted
    again (only the history remembers those)."""
    person = participant(cafe, initials=initials[:-1], birth_year=2014)
    person.initials = initials  # a correction: the old initials are history
    person.save()
    spring = course(cafe, "2023-01-09", "2023-06-23", name="Forår 2023")
    sessions = weekly_sessions(spring, 3)
    enrolment = enrol(spring, person)
    enrolment.outcome = Enrolment.Outcome.COMPLETED
    enrolment.save()
    follow_up = FollowUp.objects.create(enrolment=enrolment, due=spring.end)
    follow_up.done, follow_up.outcome = spring.end, f"I job, {initials} er glad"
    follow_up.save()
    for session in sessions:
        session_attendance_set(
            user=alice, session=session, participant_ids=[person.pk], version=None
        )
    session_attendance_set(
        user=alice, session=sessions[0], participant_ids=[], version=None
    )
    contact = Contact.objects.create(
        activity=cafe, date=spring.start, kind="contact", participant=person
    )
    contact.channel = Contact.Channel.PHONE
    contact.save()
    Contact.objects.create(
        activity=cafe, date=spring.end, kind="bridge", participant=person
    ).delete()
    autumn = course(cafe, "2023-08-14", "2023-12-15", name="Efterår 2023")
    dropped = enrol(autumn, person)
    FollowUp.objects.create(enrolment=dropped, due=autumn.end)
    dropped.delete()
    return person


def _at(day: str) -> time_machine.travel:
    moment = datetime.datetime.fromisoformat(day).replace(hour=12, tzinfo=CPH)
    return time_machine.travel(moment, tick=False)


def test_an_erasure_leaves_no_trace_in_any_history_table(
    cafe: Activity, alice: User
) -> None:
    person = _registered(cafe, alice, "Xanthippe")
    other = _registered(cafe, alice, "Perikles")
    linked, words = _linked(person), [person.code, "Xanthippe", "Xanthipp"]
    before = traces(linked, words)
    # The scan finds the person everywhere before (it can see them).
    for table in ("participant", "enrolment", "followup", "attendance", "contact"):
        assert any(f"historical{table}" in place for place in before), table
    assert any("'Xanthipp'" in place for place in before)

    participant_erase(plan=cafe.plan, code=person.code, reason="Anmodning", actor=OPS)

    assert traces(linked, words) == []
    # The other participant's history is untouched.
    assert get_history_model_for_model(Participant).objects.filter(id=other.pk)
    assert (
        get_history_model_for_model(Attendance)
        .objects.filter(participant_id=other.pk)
        .count()
        == 4  # three ticked, one unticked
    )


def test_retention_at_the_plans_end_leaves_no_one_in_any_history_table(
    cafe: Activity, alice: User
) -> None:
    people = [_registered(cafe, alice, name) for name in ("Xanthippe", "Perikles")]
    # Someone whose every registration was deleted before: only the
    # history remembers them, and the plan's retention finds them there.
    gone = participant(cafe, initials="Kleon")
    gone_linked, gone_code = _linked(gone), gone.code
    gone.delete()
    scans = [(_linked(p), [p.code, p.initials]) for p in people]
    scans.append((gone_linked, [gone_code, "Kleon"]))
    assert all(traces(linked, words) for linked, words in scans)

    # The plan ends 2026-12-31 and keeps its data 12 months.
    with _at("2028-01-01"):
        retention_apply(plan=cafe.plan, today=datetime.date(2028, 1, 1), actor=OPS)

    for linked, words in scans:
        assert traces(linked, words) == []


def test_retention_of_an_ended_activity_purges_its_history_and_keeps_the_rest(
    cafe: Activity, alice: User
) -> None:
    plan = cafe.plan
    kursus = Activity.objects.create(
        plan=plan, effort_area=cafe.effort_area, slug="familiekursus",
        name="Familiekursus", end=datetime.date(2023, 6, 30),
    )  # fmt: skip
    run = course(kursus, "2023-03-01", "2023-06-30")
    sessions = weekly_sessions(run, 2)
    only_here = participant(kursus, initials="Dagmar")
    stays = _registered(cafe, alice, "Bodil")
    for person in (only_here, stays):
        enrol(run, person)
    membership = personas.user("kurt")
    membership_grant(user=membership, plan=plan, role="staff", activities=[kursus])
    for session in sessions:
        session_attendance_set(
            user=membership,
            session=session,
            participant_ids=[only_here.pk, stays.pk],
            version=None,
        )
    Contact.objects.create(
        activity=kursus, date=run.start, kind="contact", participant=stays
    )
    in_kursus = {
        Enrolment: set(
            get_history_model_for_model(Enrolment)
            .objects.filter(course_id=run.pk)
            .values_list("id", flat=True)
        ),
        Attendance: set(
            get_history_model_for_model(Attendance)
            .objects.filter(session_id__in=[s.pk for s in sessions])
            .values_list("id", flat=True)
        ),
        Contact: set(
            get_history_model_for_model(Contact)
            .objects.filter(activity_id=kursus.pk)
            .values_list("id", flat=True)
        ),
    }
    gone = _linked(only_here)
    assert traces(gone, [only_here.code, "Dagmar"])
    assert traces(in_kursus, [])

    with _at("2024-07-01"):
        retention_apply(plan=plan, today=datetime.date(2024, 7, 1), actor=OPS)

    assert traces(gone, [only_here.code, "Dagmar"]) == []
    # Bodil's registrations in the ended activity went, history and all.
    assert traces(in_kursus, []) == []
    # Bodil stays, with her café registrations and their history.
    assert Participant.objects.filter(pk=stays.pk).exists()
    kept = traces(_linked(stays), [stays.code])
    assert any("historicalparticipant" in place for place in kept)
    assert (
        get_history_model_for_model(Attendance)
        .objects.filter(participant_id=stays.pk, session_id__in=_cafe_sessions(cafe))
        .count()
        == 4
    )


def _cafe_sessions(cafe: Activity) -> list[int]:
    return list(
        Course.objects.filter(activity=cafe)
        .values_list("sessions__pk", flat=True)
        .exclude(sessions__pk=None)
    )
