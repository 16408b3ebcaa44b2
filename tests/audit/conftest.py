"""The people and registrations the access-log tests use: alice registers
for the homework café (tests/registrations/personas.py), dora audits the
plan, erik administers it, and charlie coordinates another plan."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from fremdrift.accounts.services import membership_grant
from fremdrift.audit.models import AccessLogEntry
from fremdrift.plans.models import Activity
from fremdrift.registrations.models import Course, Enrolment, Participant

from ..accounts.verified import log_in_verified
from ..registrations import personas
from ..registrations.factories import enrol, participant


@pytest.fixture
def cafe(mini) -> Activity:  # type: ignore[no-untyped-def]
    personas.keep_running(mini)
    personas.count_children(mini)
    return mini.activities.select_related("plan").get(slug="lektiecafe")


@pytest.fixture
def course(cafe: Activity) -> Course:
    return personas.running_course(cafe)


@pytest.fixture
def ali(cafe: Activity, course: Course) -> Enrolment:
    """Ali, enrolled on the café's course."""
    return enrol(course, participant(cafe, initials="Ali", birth_year=2015))


@pytest.fixture
def alice(cafe: Activity) -> User:
    return personas.alice(cafe)


@pytest.fixture
def alice_client(alice: User) -> Client:
    client = Client()
    client.force_login(alice)
    return client


@pytest.fixture
def dora(cafe: Activity) -> User:
    """The plan's auditor."""
    person = personas.user("dora")
    membership_grant(user=person, plan=cafe.plan, role="auditor")
    return person


@pytest.fixture
def dora_client(dora: User) -> Client:
    client = Client()
    client.force_login(dora)
    return client


@pytest.fixture
def erik_client(cafe: Activity) -> Client:
    """The plan's administrator (with a confirmed one-time code)."""
    person = personas.user("erik")
    membership_grant(user=person, plan=cafe.plan, role="plan_admin")
    client = Client()
    log_in_verified(client, person)
    return client


def entries() -> list[tuple[str, str, str, int | None, str]]:
    """The log as (action, object type, object id, participant id, purpose),
    oldest first."""
    return [
        (e.action, e.object_type, e.object_id, e.participant_id, e.purpose)
        for e in AccessLogEntry.objects.order_by("id")
    ]


def outsider(cafe: Activity, **fields) -> Participant:  # type: ignore[no-untyped-def]
    """A participant of the plan who is in none of the café's courses."""
    return participant(cafe, **fields)
