"""One record per area for `fremdrift status --format json` and the API:
the command and the API share it, and under discretion it gives no count
of persons below the threshold."""

from __future__ import annotations

import pytest

from fremdrift.areastatus.selectors import plan_area_records
from fremdrift.evaluation.discretion import area_status_for_audience
from fremdrift.plans.models import Plan

from .figures import bind_law_figures

pytestmark = pytest.mark.django_db

TINY = {
    "residents": "3",
    "non_western": "60",
    "without_attachment": "45",
    "population_18_64": "2",
}


def test_a_count_of_residents_under_five_is_hidden_outside_the_team(
    mini: Plan,
) -> None:
    bind_law_figures(mini, {"nord": TINY})
    team = plan_area_records(plan=mini)
    assert [item["residents"] for item in team[0]["lists"]] == ["3"] * 4  # type: ignore[index]
    board = area_status_for_audience(plan=mini, audience="board")
    assert [item["residents"] for item in board[0]["lists"]] == [None] * 4  # type: ignore[index]
    internal = area_status_for_audience(plan=mini, audience="internal")
    assert internal == team
    # Everything else is the team's.
    for item in board[0]["lists"]:  # type: ignore[index]
        item.pop("residents")
    for item in team[0]["lists"]:  # type: ignore[index]
        item.pop("residents")
    assert board[0]["lists"] == team[0]["lists"]
