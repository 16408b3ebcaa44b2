"""GET /plans/{slug}/area-status: each area's status under the law for the
fictional Eksempelby plan, the records `fremdrift status --format json`
prints, for the plan's members only, with the board's discretion."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from fremdrift.planfiles.services import plan_load
from fremdrift.plans.models import Plan

from .world import ApiClient, person, token_for

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SLUG = "eksempelby-2025-29"
PATH = f"/api/v1/plans/{SLUG}/area-status"


@pytest.fixture
def plan() -> Plan:
    plan_load(folder=ROOT / "examples" / SLUG)
    return Plan.objects.get(slug=SLUG)


@pytest.fixture
def clients(plan: Plan, mini: Plan) -> dict[str, ApiClient]:
    people = {
        "coordinator": person("coordinator", plan, "coordinator"),
        "board": person("board", plan, "board"),
        "auditor": person("auditor", plan, "auditor"),
        "charlie": person("charlie", mini, "coordinator"),
        "root": User.objects.create(username="root", is_superuser=True),
    }
    clients = {name: ApiClient(token_for(user)) for name, user in people.items()}
    clients["anonymous"] = ApiClient(None)
    return clients


def _command_json(*args: str) -> list[dict[str, object]]:
    out = StringIO()
    call_command("status", SLUG, "--format", "json", *args, stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 401), ("charlie", 200), ("board", 200), ("coordinator", 200)],
)
def test_every_caller_with_a_token_reads_its_area_status(
    clients: dict[str, ApiClient], who: str, status: int
) -> None:
    """As the plan's public report shows it (accounts.policy
    .plans_visible_to): outside the plan team, in the board's version."""
    response = clients[who].get(PATH)
    assert response.status_code == status, response.content
    if who in {"charlie", "board"}:
        assert response.json()["audience"] == "board"
    if status != 200:
        assert response.json()["detail"]
        assert "Solsikkeparken" not in response.content.decode()


def test_an_unknown_plan_is_not_found_as_another_plan_is(
    clients: dict[str, ApiClient],
) -> None:
    response = clients["coordinator"].get("/api/v1/plans/no-such-plan/area-status")
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["coordinator", "root"])
@pytest.mark.parametrize("lang", ["da", "en"])
def test_the_team_gets_what_fremdrift_status_prints(
    clients: dict[str, ApiClient], who: str, lang: str
) -> None:
    response = clients[who].get(PATH, {"lang": lang})
    assert response.status_code == 200
    body = response.json()
    assert body["audience"] == "internal"
    assert body["areas"] == _command_json("--lang", lang)
    names = [area["name"] for area in body["areas"]]
    assert names == ["Solsikkeparken", "Kløvervangen", "Valmuegården"]


def _criterion(body: dict[str, object], area: str, key: str) -> dict[str, object]:
    found = next(a for a in body["areas"] if a["area"] == area)  # type: ignore[attr-defined]
    return next(c for c in found["next"]["criteria"] if c["key"] == key)


@pytest.mark.parametrize("who", ["board", "auditor"])
def test_readers_outside_the_team_get_no_distance_under_five_persons(
    clients: dict[str, ApiClient], who: str
) -> None:
    team = clients["coordinator"].get(PATH).json()
    board = clients[who].get(PATH).json()
    assert board["audience"] == "board"
    # Solsikkeparken is one convicted resident from the threshold of a
    # forebyggelsesområde: the team sees the person, the board does not.
    close = _criterion(team, "solsikkeparken", "prevention_convicted")
    assert close["persons_to_cross"] == 1
    assert close["distance"].startswith("1 færre dømte beboere")
    hidden = _criterion(board, "solsikkeparken", "prevention_convicted")
    assert hidden["persons_to_cross"] is None
    assert hidden["distance"].startswith("under 5 færre dømte beboere")
    # Every distance of 1-4 persons is hidden; larger ones are shown.
    for area in board["areas"]:
        for criterion in area["next"]["criteria"]:
            persons = criterion["persons_to_cross"]
            assert persons is None or persons >= 5
    far = _criterion(board, "solsikkeparken", "without_attachment")
    assert far == _criterion(team, "solsikkeparken", "without_attachment")
    assert far["persons_to_cross"] == 89
    # The lists themselves carry no count under five and are the team's.
    assert [a["lists"] for a in board["areas"]] == [a["lists"] for a in team["areas"]]


def test_residents_are_written_as_plain_numbers(
    clients: dict[str, ApiClient],
) -> None:
    body = clients["coordinator"].get(PATH).json()
    latest = body["areas"][0]["lists"][-1]
    assert latest["residents"] == "1520"


def test_a_plan_without_the_laws_figures_has_no_areas(
    clients: dict[str, ApiClient], mini: Plan
) -> None:
    response = clients["charlie"].get(f"/api/v1/plans/{mini.slug}/area-status")
    assert response.status_code == 200
    assert response.json() == {"audience": "internal", "areas": []}
