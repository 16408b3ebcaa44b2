"""Small counts are for the plan team: anonymous visitors and board
members get the board's version of every page, report and issued report."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from fremdrift.accounts.services import membership_grant
from fremdrift.core.discretion import INTERNAL_MARKING
from fremdrift.reports.services import report_issue

from ..accounts.verified import log_in_verified

pytestmark = pytest.mark.django_db

INTERNAL = {"kind": "final", "format": "html", "audience": "internal"}


def _client_for(plan, role: str | None) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    if role is not None:
        user = get_user_model().objects.create_user(role, password="x" * 16)
        membership_grant(user=user, plan=plan, role=role)
        # Coordinators confirm a one-time code after the password.
        log_in_verified(client, user)
    return client


@pytest.mark.parametrize(
    ("role", "status"), [(None, 403), ("board", 403), ("coordinator", 200)]
)
def test_only_the_team_downloads_the_internal_report(mini, role, status) -> None:  # type: ignore[no-untyped-def]
    response = _client_for(mini, role).get(
        f"/planer/{mini.slug}/rapport/hent/", INTERNAL
    )
    assert response.status_code == status
    if status == 200:
        assert INTERNAL_MARKING in response.content.decode()


@pytest.mark.parametrize(
    ("role", "marked"), [(None, False), ("board", False), ("staff", True)]
)
def test_the_plan_page_shows_the_team_the_internal_version(mini, role, marked) -> None:  # type: ignore[no-untyped-def]
    text = _client_for(mini, role).get(f"/planer/{mini.slug}/rapport/").content.decode()
    assert (INTERNAL_MARKING in text) is marked


def test_an_internal_issued_report_is_hidden_from_everyone_but_the_team(mini) -> None:  # type: ignore[no-untyped-def]
    issued = report_issue(
        plan=mini, kind="final", fmt="html", recipient="Styregruppen",
        issued_by="Koordinatoren", audience="internal",
    )  # fmt: skip
    anonymous = _client_for(mini, None)
    assert anonymous.get(issued.get_absolute_url()).status_code == 404
    assert anonymous.get(f"{issued.get_absolute_url()}fil/").status_code == 404
    assert "Styregruppen" not in anonymous.get(mini.get_absolute_url()).content.decode()

    team = _client_for(mini, "coordinator")
    assert team.get(issued.get_absolute_url()).status_code == 200
    assert team.get(f"{issued.get_absolute_url()}fil/").status_code == 200


@pytest.mark.parametrize(
    ("role", "offered"),
    [
        (None, ["board", "public"]),
        ("board", ["board", "public"]),
        ("staff", ["board", "public", "internal"]),
    ],
)
def test_the_download_form_offers_only_the_versions_the_reader_may_have(
    mini, role, offered
) -> None:  # type: ignore[no-untyped-def]
    response = _client_for(mini, role).get(mini.get_absolute_url())
    choices = response.context["report_form"]["audience"].field.choices
    assert [value for value, _label in choices] == offered
    assert ('value="internal"' in response.content.decode()) is (role == "staff")
