"""The policy (accounts/policy.py) as a table: every check, for every
persona of the API tests (tests/api/world.py, after healthchecks'
hc/test.py), on the plan they share. The pages, downloads, audit pages and
API ask these checks; tests/test_access_matrix.py checks the answers they
make of them."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.contrib.auth.models import AnonymousUser, User

from fremdrift.accounts import policy
from fremdrift.accounts.services import membership_grant
from fremdrift.core.discretion import Audience
from fremdrift.reports.models import IssuedReport

from ..api.world import World, build_world

pytestmark = pytest.mark.django_db

PERSONAS = (
    "anonymous",
    "bob",  # staff of the family club in the plan
    "charlie",  # coordinator of the other plan
    "board",
    "auditor",
    "alice",  # staff of the homework café
    "coordinator",
    "plan_admin",
    "root",  # superuser
    "inactive",  # a coordinator of the plan whose account is deactivated
)

IN, BD = Audience.INTERNAL, Audience.BOARD
Check = Callable[[User | AnonymousUser, World], object]

# fmt: off
#                                     anon  bob    charl  board  audit  alice  coord  admin  root   inactive
TABLE: dict[str, tuple[Check, tuple[object, ...]]] = {
    "is_plan_member": (
        lambda u, w: policy.is_plan_member(u, w.plan),
                                     (False, True,  False, True,  True,  True,  True,  True,  True,  False)),
    "is_plan_member of the other plan": (
        lambda u, w: policy.is_plan_member(u, w.other_plan),
                                     (False, False, True,  False, False, False, False, False, True,  False)),
    "plans_for holds the plan": (
        lambda u, w: policy.plans_for(u).filter(pk=w.plan.pk).exists(),
                                     (False, True,  False, True,  True,  True,  True,  True,  True,  False)),
    "audience_for": (
        lambda u, w: policy.audience_for(u, w.plan),
                                     (BD,    IN,    BD,    BD,    BD,    IN,    IN,    IN,    IN,    BD)),
    "may_download the internal version": (
        lambda u, w: policy.may_download(u, w.plan, Audience.INTERNAL),
                                     (False, True,  False, False, False, True,  True,  True,  True,  False)),
    "may_download the board's version": (
        lambda u, w: policy.may_download(u, w.plan, Audience.BOARD),
                                     (True,) * 10),
    "may_download the public version": (
        lambda u, w: policy.may_download(u, w.plan, "public"),
                                     (True,) * 10),
    "may_import_statistics": (
        lambda u, w: policy.may_import_statistics(u, w.plan),
                                     (False, False, False, False, False, False, True,  False, True,  False)),
    "may_register for the café": (
        lambda u, w: policy.may_register(u, w.cafe),
                                     (False, False, False, False, False, True,  True,  True,  True,  False)),
    "may_register for the club": (
        lambda u, w: policy.may_register(u, w.club),
                                     (False, True,  False, False, False, False, True,  True,  True,  False)),
    "may_register for the other plan's activity": (
        lambda u, w: policy.may_register(u, w.other_activity),
                                     (False, False, True,  False, False, False, False, False, True,  False)),
    "may_register_in_plan": (
        lambda u, w: policy.may_register_in_plan(u, w.plan),
                                     (False, True,  False, False, False, True,  True,  True,  True,  False)),
    "may_read_access_log": (
        lambda u, w: policy.may_read_access_log(u, w.plan),
                                     (False, False, False, False, True,  False, False, True,  True,  False)),
    "may_read_history": (
        lambda u, w: policy.may_read_history(u, w.plan),
                                     (False, False, False, False, True,  False, True,  True,  True,  False)),
    "may_read_activity_history of the café": (
        lambda u, w: policy.may_read_activity_history(u, w.cafe),
                                     (False, False, False, False, True,  True,  True,  True,  True,  False)),
    "plans_audited_by holds the plan": (
        lambda u, w: policy.plans_audited_by(u).filter(pk=w.plan.pk).exists(),
                                     (False, False, False, False, True,  False, False, True,  True,  False)),
}
# fmt: on


@pytest.fixture
def world(mini, settings, tmp_path) -> World:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    w = build_world(mini)
    inactive = User.objects.create(username="inactive")
    membership_grant(user=inactive, plan=w.plan, role="coordinator")
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    w.users["inactive"] = inactive
    return w


def _who(w: World, persona: str) -> User | AnonymousUser:
    return AnonymousUser() if persona == "anonymous" else w.users[persona]


def test_every_persona_has_a_column() -> None:
    assert all(len(expected) == len(PERSONAS) for _check, expected in TABLE.values())


def test_the_policy_answers_each_persona_as_the_table_says(world: World) -> None:
    wrong = {}
    for name, (check, expected) in TABLE.items():
        found = tuple(check(_who(world, p), world) for p in PERSONAS)
        if found != expected:
            wrong[name] = {
                p: (f, e)
                for p, f, e in zip(PERSONAS, found, expected, strict=True)
                if f != e
            }
    assert not wrong, wrong


def test_audience_for_is_the_core_audience(world: World) -> None:
    for persona in PERSONAS:
        assert type(policy.audience_for(_who(world, persona), world.plan)) is Audience


def test_audiences_for_agrees_with_audience_for(world: World) -> None:
    plans = [world.plan, world.other_plan]
    for persona in PERSONAS:
        user = _who(world, persona)
        assert policy.audiences_for(user, plans) == {
            plan.pk: policy.audience_for(user, plan) for plan in plans
        }


def test_may_register_agrees_with_activities_for(world: World) -> None:
    activities = [world.cafe, world.club, world.other_activity]
    for persona in PERSONAS:
        user = _who(world, persona)
        registrable = set(policy.activities_for(user))
        assert {a for a in activities if policy.may_register(user, a)} == {
            a for a in activities if a in registrable
        }, persona


def test_plan_abilities_agree_with_the_checks_they_answer(world: World) -> None:
    for persona in PERSONAS:
        user = _who(world, persona)
        for plan in (world.plan, world.other_plan):
            assert policy.plan_abilities(user, plan) == policy.PlanAbilities(
                edit_plan=policy.may_edit_plan(user, plan),
                import_statistics=policy.may_import_statistics(user, plan),
                issue_reports=policy.may_issue_reports(user, plan),
                write_plan_commentary=policy.may_write_plan_commentary(user, plan),
                read_history=policy.may_read_history(user, plan),
                set_plan_security=policy.may_set_plan_security(user, plan),
            ), (persona, plan.slug)


@pytest.mark.parametrize(
    ("reader", "version", "sees"),
    [
        (IN, IN, True),
        (IN, BD, True),
        (IN, Audience.PUBLIC, True),
        (BD, IN, False),
        (BD, BD, True),
        (BD, Audience.PUBLIC, True),
        (Audience.PUBLIC, IN, False),
        (Audience.PUBLIC, "board", True),
    ],
)
def test_only_the_internal_audience_sees_the_internal_version(
    reader: Audience, version: Audience | str, sees: bool
) -> None:
    assert policy.sees_version(reader, version) is sees


def _issued(w: World, audience: Audience) -> IssuedReport:
    return IssuedReport.objects.create(
        plan=w.plan,
        kind="final",
        audience=audience.value,
        as_of=datetime.date(2024, 12, 31),
        format="pdf",
        title=f"Slutevaluering ({audience})",
        recipient="Bestyrelsen",
        issued_by="coordinator",
        filename="slutevaluering.pdf",
        content=b"",
        content_sha256="",
        data_fingerprint="",
        snapshot={},
    )


def test_the_issued_reports_filter_is_sees_version(world: World) -> None:
    issued = {a: _issued(world, a) for a in Audience}
    for reader in Audience:
        shown = set(
            world.plan.issued_reports.filter(policy.issued_reports_filter(reader))
        )
        assert shown == {
            row
            for version, row in issued.items()
            if policy.sees_version(reader, version)
        }, reader
