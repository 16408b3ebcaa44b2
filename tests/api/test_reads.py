"""What the API reads: the verdicts of `fremdrift verdicts`, indicators and
observations, with statistical discretion for readers outside the plan
team exactly as the plan page and the reports apply it."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from fremdrift.core.discretion import Audience
from fremdrift.core.plan_model import verdict_record
from fremdrift.registrations.models import Attendance
from fremdrift.reports.assembly import report_inputs

from .world import World

pytestmark = pytest.mark.django_db


def _criteria(world: World, who: str, **query: object) -> dict:  # type: ignore[type-arg]
    response = world.client(who).get(f"/api/v1/plans/{world.plan.slug}/criteria", query)
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


def test_the_team_reads_exactly_the_verdicts_command(world: World) -> None:
    day = timezone.localdate().isoformat()
    out = StringIO()
    call_command(
        "verdicts", world.plan.slug, "--format", "json", "--as-of", day, stdout=out
    )
    page = _criteria(world, "coordinator", as_of=day)
    assert page["items"] == json.loads(out.getvalue())
    assert page["audience"] == "internal" and page["as_of"] == day
    assert page["count"] == len(page["items"]) == 4


def test_verdicts_come_in_english_on_request(world: World) -> None:
    day = timezone.localdate().isoformat()
    out = StringIO()
    call_command(
        "verdicts", world.plan.slug, "--format", "json", "--as-of", day, "--lang", "en",
        stdout=out,
    )  # fmt: skip
    assert _criteria(world, "alice", as_of=day, lang="en")["items"] == json.loads(
        out.getvalue()
    )


def _attend_all(world: World) -> None:
    Attendance.objects.bulk_create(
        [Attendance(session=world.session, participant=c) for c in world.children]
    )


def test_the_board_never_sees_a_small_count_of_persons(world: World) -> None:
    _attend_all(world)  # three children: fewer than five
    team = {i["id"]: i for i in _criteria(world, "alice")["items"]}
    board_page = _criteria(world, "board")
    board = {i["id"]: i for i in board_page["items"]}
    assert board_page["audience"] == "board"
    assert team["bf-lektiecafe-boern"]["achieved"] == 3
    assert board["bf-lektiecafe-boern"]["achieved"] is None
    assert "3" not in board["bf-lektiecafe-boern"]["explanation"]
    assert (
        board["bf-lektiecafe-boern"]["verdict"]
        == team["bf-lektiecafe-boern"]["verdict"]
    )
    # Numbers that are not counts of persons are the same for everyone.
    assert board["bf-fravaer"] == team["bf-fravaer"]


def test_the_board_sees_what_the_plan_page_shows_it(world: World) -> None:
    """The API's record for the board holds the numbers and the sentence
    the board's report shows."""
    _attend_all(world)
    board = {i["id"]: i for i in _criteria(world, "board")["items"]}
    _goals, effort_areas = report_inputs(
        world.plan, timezone.localdate(), Audience.BOARD
    )
    [cafe] = [a for a in effort_areas[0].activities if a.slug == "lektiecafe"]
    [judged] = cafe.criteria
    assert board["bf-lektiecafe-boern"] == verdict_record(judged)


def test_one_criterion_by_its_id(world: World) -> None:
    client = world.client("board")
    base = f"/api/v1/plans/{world.plan.slug}/criteria"
    one = client.get(f"{base}/bf-fravaer").json()
    assert one["id"] == "bf-fravaer" and one["target"] == {"relative": 0.1}
    assert client.get(f"{base}/no-such-criterion").status_code == 404


def test_indicators_of_the_plan(world: World) -> None:
    client = world.client("auditor")
    base = f"/api/v1/plans/{world.plan.slug}/indicators"
    page = client.get(base).json()
    assert [i["slug"] for i in page["items"]] == ["employment", "placements"]
    assert client.get(f"{base}/placements").json()["counts_persons"] is True
    assert client.get(f"{base}/unknown").status_code == 404


def _placements(world: World, who: str) -> dict[str, dict]:  # type: ignore[type-arg]
    response = world.client(who).get(
        f"/api/v1/plans/{world.plan.slug}/observations", {"indicator": "placements"}
    )
    assert response.status_code == 200
    return {o["population"]: o for o in response.json()["items"]}


def test_observations_hide_small_counts_of_persons_from_the_board(world: World) -> None:
    team = _placements(world, "alice")
    assert {p: o["value"] for p, o in team.items()} == {
        "nord": 3,
        "syd": 12,
        "i-alt": 15,
    }
    board = _placements(world, "board")
    # Nord's 3 is hidden, and Syd's 12 too: with the total it would give
    # Nord's back.
    assert board["nord"]["value"] is None and board["syd"]["value"] is None
    assert "suppressed" in board["nord"]["flags"] and board["nord"]["note"] == "<5"
    assert board["i-alt"]["value"] == 15
    everything = json.dumps(
        world.client("board")
        .get(f"/api/v1/plans/{world.plan.slug}/observations")
        .json()
    )
    assert '"value": 3,' not in everything and '"value": 12,' not in everything


def test_observations_come_in_pages(world: World) -> None:
    client = world.client("board")
    url = f"/api/v1/plans/{world.plan.slug}/observations"
    first = client.get(url, {"page_size": 2}).json()
    second = client.get(url, {"page_size": 2, "page": 2}).json()
    assert first["count"] == second["count"] == 8
    assert len(first["items"]) == len(second["items"]) == 2
    assert first["items"] != second["items"]
    beyond = client.get(url, {"page_size": 2, "page": 99}).json()
    assert beyond["items"] == [] and beyond["count"] == 8
    by_population = client.get(url, {"population": "kommunen"}).json()
    assert {o["population"] for o in by_population["items"]} == {"kommunen"}


def test_me_says_who_the_token_acts_for(world: World) -> None:
    me = world.client("alice").get("/api/v1/me").json()
    assert me["username"] == "alice" and me["token_name"] == "test"
    assert me["memberships"] == [{"plan": world.plan.slug, "role": "staff"}]
