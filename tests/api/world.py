"""The people and rows of the API tests (after healthchecks' hc/test.py and
tests/registrations/personas.py): alice registers for the homework café,
bob works on another activity of the same plan, a board member and an
auditor read, a coordinator and a plan administrator run the plan, and
charlie coordinates another plan and must see nothing of this one."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from fremdrift.accounts.services import membership_grant
from fremdrift.api.services import api_token_create
from fremdrift.plans.models import Activity, Plan, Population
from fremdrift.registrations.models import Course, Enrolment, Participant, Session
from fremdrift.statistics.models import Indicator, Observation
from tests.registrations import personas


def person(
    username: str, plan: Plan, role: str, activities: Sequence[Activity] = ()
) -> User:
    """A user with a role in ``plan``. API callers need no password, and
    hashing one with argon2 would cost a second per user."""
    user = User.objects.create(username=username)
    membership_grant(user=user, plan=plan, role=role, activities=activities)
    return user


@dataclass
class World:
    """Two plans with registrations and a token per person."""

    plan: Plan
    cafe: Activity
    club: Activity
    course: Course
    session: Session
    children: list[Participant]
    other_plan: Plan
    other_activity: Activity
    other_course: Course
    other_session: Session
    other_participant: Participant
    tokens: dict[str, str] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)

    def client(self, who: str | None) -> ApiClient:
        return ApiClient(self.tokens.get(who) if who else None)


class ApiClient:
    """Django's test client with a bearer token on every request."""

    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, data: dict[str, object] | None = None):  # type: ignore[no-untyped-def]
        return self.client.get(path, data or {}, headers=self.headers)

    def post(self, path: str, body: object):  # type: ignore[no-untyped-def]
        return self.client.post(
            path, body, content_type="application/json", headers=self.headers
        )

    def put(self, path: str, body: object):  # type: ignore[no-untyped-def]
        return self.client.put(
            path, body, content_type="application/json", headers=self.headers
        )


def token_for(user: User, name: str = "test") -> str:
    _row, token = api_token_create(
        user=user, name=name, expires_in=datetime.timedelta(days=1)
    )
    return token


def _persons_indicator(plan: Plan) -> Indicator:
    """Children placed outside the home: a count of persons, additive over
    the two areas, with small numbers in them."""
    indicator = Indicator.objects.create(
        plan=plan,
        slug="placements",
        name="Anbragte børn",
        unit="count",
        better="lower",
        counts_persons=True,
        additive=True,
        order=10,
    )
    nord = Population.objects.get(plan=plan, slug="nord")
    syd = Population.objects.get(plan=plan, slug="syd")
    total = Population.objects.create(
        plan=plan, slug="i-alt", name="Eksempelby i alt", kind="plan_total", order=5
    )
    total.parts.set([nord, syd])
    for population, value in ((nord, 3), (syd, 12), (total, 15)):
        Observation.objects.create(
            indicator=indicator,
            population=population,
            period="2023",
            period_start=datetime.date(2023, 1, 1),
            period_end=datetime.date(2023, 12, 31),
            value=value,
        )
    return indicator


def build_world(mini: Plan) -> World:
    """The rows and people of the tests, on the loaded mini plan."""
    personas.keep_running(mini)
    personas.count_children(mini)
    cafe = mini.activities.select_related("plan").get(slug="lektiecafe")
    course = personas.running_course(cafe)
    session = Session.objects.create(
        activity=cafe, course=course, date=timezone.localdate()
    )
    children = [
        Participant.objects.create(plan=mini, initials=name)
        for name in ("AA", "BB", "CC")
    ]
    for child in children:
        Enrolment.objects.create(
            course=course, participant=child, role="child", start=course.start
        )
    _persons_indicator(mini)

    club = Activity.objects.create(
        plan=mini,
        effort_area=mini.effort_areas.first(),
        slug="familieklub",
        name="Familieklub",
    )
    other_plan, other_activity = personas.other_plan()
    other_course = personas.running_course(other_activity, "Andetsteds forløb")
    other_session = Session.objects.create(
        activity=other_activity, course=other_course, date=timezone.localdate()
    )
    other_participant = Participant.objects.create(plan=other_plan, initials="ZZ")
    Enrolment.objects.create(
        course=other_course,
        participant=other_participant,
        role="child",
        start=other_course.start,
    )
    world = World(
        plan=mini,
        cafe=cafe,
        club=club,
        course=course,
        session=session,
        children=children,
        other_plan=other_plan,
        other_activity=other_activity,
        other_course=other_course,
        other_session=other_session,
        other_participant=other_participant,
    )
    people = {
        "alice": person("alice", mini, "staff", [cafe]),
        "bob": person("bob", mini, "staff", [club]),
        "charlie": person("charlie", other_plan, "coordinator"),
        "root": User.objects.create(username="root", is_superuser=True),
    }
    for role in ("board", "auditor", "coordinator", "plan_admin"):
        people[role] = person(role, mini, role)
    world.users = people
    world.tokens = {name: token_for(person) for name, person in people.items()}
    return world
