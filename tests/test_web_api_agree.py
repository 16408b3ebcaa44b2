"""The web pages and the API agree on what each persona may see of a plan
(issue 17, 7g): the same plans listed, the same plans readable, the same
version of the numbers, and the same refusal of what only members reach.
Both ask ``accounts.policy.plans_visible_to`` and ``audience_for``; the API
only asks for a token first (401 without one), where the web's public
pages need no login.

Before, a member of another plan read this plan's board version on the web
but got 404 from the API, and the API's plan list showed only the caller's
own plans while the web's shows every plan."""

from __future__ import annotations

import pytest
from django.test import Client

from fremdrift.accounts.policy import audience_for, plans_visible_to
from fremdrift.plans.models import Plan

from .accounts.verified import log_in_verified
from .api.world import World, build_world

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "bob", "charlie", "board", "auditor", "alice", "coordinator")
PERSONAS += ("plan_admin", "root")


@pytest.fixture
def world(mini, settings, tmp_path) -> World:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world(mini)


def _web(world: World, who: str) -> Client:
    client = Client()
    if who != "anonymous":
        log_in_verified(client, world.users[who])
    return client


def _web_audience(response) -> str:  # type: ignore[no-untyped-def]
    """The version the plan page shows: the internal one is offered in the
    report form only to a reader who sees it."""
    choices = response.context["report_form"].fields["audience"].choices
    return "internal" if "internal" in {value for value, _label in choices} else "board"


def _web_listed(client: Client, plans: list[Plan]) -> set[str]:
    page = client.get("/").content.decode()
    return {plan.slug for plan in plans if f'href="/planer/{plan.slug}/"' in page}


@pytest.mark.parametrize("who", PERSONAS)
def test_web_and_api_agree_on_what_a_persona_sees(world: World, who: str) -> None:
    web = _web(world, who)
    api = world.client(None if who == "anonymous" else who)
    plans = [world.plan, world.other_plan]
    user = world.users.get(who)

    listed_on_web = _web_listed(web, plans)
    listed = api.get("/api/v1/plans")
    if who == "anonymous":
        # The API answers nothing without a token; the web's plan list and
        # pages are public.
        assert listed.status_code == 401
        assert listed_on_web == {plan.slug for plan in plans}
        return
    assert listed.status_code == 200
    listed_by_api = {record["slug"] for record in listed.json()["items"]}
    assert (
        listed_on_web
        == listed_by_api
        == set(plans_visible_to(user).values_list("slug", flat=True))
    )

    for plan in plans:
        page = web.get(f"/planer/{plan.slug}/")
        read = api.get(f"/api/v1/plans/{plan.slug}")
        assert (page.status_code, read.status_code) == (200, 200), plan.slug
        expected = audience_for(user, plan).value
        assert _web_audience(page) == read.json()["audience"] == expected, plan.slug
        criteria = api.get(f"/api/v1/plans/{plan.slug}/criteria")
        assert criteria.json()["audience"] == expected

    # What only members reach: another plan's registrations are not found,
    # on the staff pages and through the API alike.
    if who == "charlie":
        activity = world.cafe.slug
        staff_page = web.get(f"/registrering/{world.plan.slug}/{activity}/")
        courses = api.get(
            f"/api/v1/plans/{world.plan.slug}/activities/{activity}/courses"
        )
        assert (staff_page.status_code, courses.status_code) == (404, 404)


def test_an_unknown_plan_is_not_found_on_both(world: World) -> None:
    web = _web(world, "alice")
    assert web.get("/planer/ingen-saadan-plan/").status_code == 404
    assert (
        world.client("alice").get("/api/v1/plans/ingen-saadan-plan").status_code == 404
    )
