"""The people in the access tests (after healthchecks' hc/test.py): alice
registers for the homework café, bob works in the same plan on another
activity, charlie coordinates another plan and must see nothing of this
one."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import User
from django.utils import timezone

from fremdrift.accounts.services import membership_grant
from fremdrift.plans.models import (
    Activity,
    Criterion,
    EffortArea,
    Organisation,
    Plan,
)
from fremdrift.registrations.models import Course

PASSWORD = "hemmeligt-kodeord-42"


def user(username: str) -> User:
    return User.objects.create_user(username=username, password=PASSWORD)


def keep_running(plan: Plan) -> None:
    """Let the plan run a year past today, so that what is registered today
    counts in its criteria and they have a pace, whatever today is."""
    today = timezone.localdate()
    plan.end = max(plan.end, today + datetime.timedelta(days=365))
    plan.save(update_fields=["end"])


def count_children(plan: Plan) -> Criterion:
    """The café's criterion "100 unique children", counted from the
    registrations instead of typed-in values."""
    criterion = Criterion.objects.get(plan=plan, ident="bf-lektiecafe-boern")
    criterion.reported_values.all().delete()
    criterion.measure = {"kind": "unique_participants"}
    criterion.aggregation = "latest"
    criterion.save()
    return criterion


def running_course(activity: Activity, name: str = "Lektiehjælp efterår") -> Course:
    today = timezone.localdate()
    return Course.objects.create(
        activity=activity,
        name=name,
        start=today - datetime.timedelta(days=60),
        end=today + datetime.timedelta(days=60),
    )


def alice(cafe: Activity) -> User:
    person = user("alice")
    membership_grant(user=person, plan=cafe.plan, role="staff", activities=[cafe])
    return person


def bob(plan: Plan) -> tuple[User, Activity]:
    club = Activity.objects.create(
        plan=plan,
        effort_area=plan.effort_areas.first(),
        slug="familieklub",
        name="Familieklub",
    )
    person = user("bob")
    membership_grant(user=person, plan=plan, role="staff", activities=[club])
    return person, club


def other_plan() -> tuple[Plan, Activity]:
    plan = Plan.objects.create(
        organisation=Organisation.objects.create(name="Andetsteds Sekretariat"),
        slug="andetsteds-2024-27",
        name="Helhedsplan for Andetsteds 2024-27 (fiktiv)",
        start=datetime.date(2024, 1, 1),
        end=datetime.date(2027, 12, 31),
    )
    theme = EffortArea.objects.create(plan=plan, slug="boern", name="Børn")
    activity = Activity.objects.create(
        plan=plan, effort_area=theme, slug="lektiecafe", name="Café"
    )
    return plan, activity


def charlie(plan: Plan) -> User:
    person = user("charlie")
    membership_grant(user=person, plan=plan, role="coordinator")
    return person
