"""Issued reports under discretion: the snapshot of a board or public
report holds its numbers as the report shows them, and its page lists no
hidden count among the changes since, also for snapshots stored before
with exact numbers; an internal report's changes stay exact."""

from __future__ import annotations

import html
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from fremdrift.accounts.services import membership_grant
from fremdrift.core.snapshot import DISCRETION_KEY, fingerprint
from fremdrift.plans.models import Plan
from fremdrift.reports.models import IssuedReport
from fremdrift.reports.services import (
    issued_report_changes,
    plan_snapshot,
    report_issue,
)
from fremdrift.statistics.models import Observation

from ..accounts.verified import log_in_verified
from ..small_counts import small_count_plan

pytestmark = pytest.mark.django_db


def _issue(plan: Plan, audience: str) -> IssuedReport:
    return report_issue(
        plan=plan,
        kind="annual",
        year=2023,
        fmt="html",
        recipient="Bestyrelsen",
        issued_by="Koordinatoren",
        audience=audience,
    )


def _client_for(plan: Plan, role: str) -> Client:
    client = Client()
    user = get_user_model().objects.create_user(role, password="x" * 16)
    membership_grant(user=user, plan=plan, role=role)
    log_in_verified(client, user)
    return client


def _set(plan: Plan, population: str, period: str, value: str) -> None:
    observation = Observation.objects.get(
        indicator__plan=plan,
        indicator__slug="placed",
        population__slug=population,
        period=period,
    )
    observation.value = Decimal(value)
    observation.save()


def _change_cells(page: str) -> list[str]:
    """The "Udsendt" and "Nu" cells of the page's table of changes."""
    rows = re.findall(r"<tr><td>(.*?)</td></tr>", page, flags=re.S)
    return [
        html.unescape(cell.strip())
        for row in rows
        for cell in re.split(r"</td><td>", row)[2:]
    ]


def _hidden_values(
    exact: dict[str, dict[str, object]], shown: dict[str, dict[str, object]]
) -> set[str]:
    """The exact values (as text) of what ``shown`` hides as "<5"."""
    hidden = set()
    for part in ("criteria", "observations"):
        for key, value in shown[part].items():
            exact_value = exact[part][key]
            if isinstance(value, dict) and isinstance(exact_value, dict):
                value, exact_value = value["achieved"], exact_value["achieved"]
            if value == "<5":
                hidden.add(str(exact_value))
    return hidden


def test_a_board_report_keeps_its_numbers_as_the_board_reads_them(
    mini_folder: Path,
) -> None:
    plan = small_count_plan(mini_folder)
    issued = _issue(plan, "board")
    exact = plan_snapshot(plan=plan, as_of=issued.as_of)

    observations = issued.snapshot["observations"]
    assert exact["observations"]["placed/nord/2022"] == "3"
    assert observations["placed/nord/2022"] == "<5"
    # Syd's 7 would follow from the total (10) less Nord's hidden 3.
    assert observations["placed/syd/2022"] == "<5"
    assert observations["placed/begge/2022"] == "10"
    assert observations["employment/nord/2022"] == "40.5"
    # The children counted (1 + 2) are hidden as the report hides them.
    assert exact["criteria"]["bf-lektiecafe-boern"]["achieved"] == 3
    assert issued.snapshot["criteria"]["bf-lektiecafe-boern"]["achieved"] == "<5"
    assert issued.snapshot[DISCRETION_KEY] == {"threshold": 5}
    assert issued.data_fingerprint == fingerprint(issued.snapshot)
    assert issued_report_changes(issued) == []


def test_the_board_reads_no_hidden_count_among_the_changes_the_team_reads_exactly(
    mini_folder: Path,
) -> None:
    plan = small_count_plan(mini_folder)
    board_report = _issue(plan, "board")
    internal_report = _issue(plan, "internal")
    before = plan_snapshot(plan=plan, as_of=board_report.as_of)
    # Nord's 2 becomes 4 and Syd's 9 becomes 8; the total follows.
    _set(plan, "nord", "2023", "4")
    _set(plan, "syd", "2023", "8")
    _set(plan, "begge", "2023", "12")
    after = plan_snapshot(plan=plan, as_of=board_report.as_of)
    shown_after = plan_snapshot(plan=plan, as_of=board_report.as_of, audience="board")
    forbidden = _hidden_values(before, board_report.snapshot) | _hidden_values(
        after, shown_after
    )
    assert {"2", "3", "4", "7", "8", "9"} <= forbidden

    board_page = _client_for(plan, "board").get(board_report.get_absolute_url())
    cells = _change_cells(board_page.content.decode())
    assert cells == ["11", "12"]
    assert not forbidden & set(cells)
    assert board_report.data_fingerprint in board_page.content.decode()

    team = _client_for(plan, "coordinator")
    team_cells = _change_cells(team.get(internal_report.get_absolute_url()).text)
    assert {"2", "4", "9", "8", "11", "12"} <= set(team_cells)


def test_a_board_report_stored_with_exact_numbers_shows_the_board_none_of_them(
    mini_folder: Path,
) -> None:
    plan = small_count_plan(mini_folder)
    issued = _issue(plan, "board")
    # A row as issued before snapshots were made under discretion.
    exact = plan_snapshot(plan=plan, as_of=issued.as_of)
    legacy = IssuedReport.objects.create(
        **{
            field.name: getattr(issued, field.name)
            for field in IssuedReport._meta.concrete_fields
            if field.name not in {"id", "issued_at", "snapshot", "data_fingerprint"}
        },
        snapshot=exact,
        data_fingerprint=fingerprint(exact),
    )
    _set(plan, "nord", "2023", "4")
    _set(plan, "begge", "2023", "13")

    changes = issued_report_changes(legacy)
    assert {(c.where, c.before, c.after) for c in changes} == {
        ("observation placed/begge/2023", "11", "13")
    }
    page = _client_for(plan, "board").get(legacy.get_absolute_url()).text
    assert _change_cells(page) == ["11", "13"]
    # The fingerprint of exact numbers would give a small count back to
    # whoever tries the few values it can take.
    assert legacy.data_fingerprint not in page
