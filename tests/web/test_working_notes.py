"""The team's working notes on the plan's pages: shown, marked as the
team's, to the plan's staff, coordinators and administrators (the internal
audience); never to board members, other roles or visitors."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from fremdrift.accounts.services import membership_grant
from fremdrift.core.discretion import Audience
from fremdrift.web.selectors import activity_team_notes, team_notes

from .test_audience import _client_for

pytestmark = pytest.mark.django_db

MARK = "Arbejdsnote (kun for teamet)"
NOTES = {
    "plan": "Planens tal er afskrevet fra den trykte ansøgning",
    "goal": "Baseline læst af diagrammet, ikke af tabellen",
    "criterion": "Tallet 70 er summen af to tertialer",
    "activity": "Lektiecaféen hed Lektiehjælp i 2022",
    "sub_activity": "Sommerskolen blev aflyst i 2024",
    "indicator": "OCR læste 241 som 24,1",
}


@pytest.fixture
def noted(mini):  # type: ignore[no-untyped-def]
    """The small plan with a working note on each kind of row; saved one by
    one, so that every save renews the plan's data token (the plan page's
    parts are cached under it)."""
    mini.working_notes = [NOTES["plan"]]
    mini.save()
    for ident, note in [
        ("goal-employment-nord", NOTES["goal"]),
        ("bf-lektiecafe-boern", NOTES["criterion"]),
    ]:
        criterion = mini.criteria.get(ident=ident)
        criterion.working_notes = [note]
        criterion.save()
    for slug, note in [
        ("lektiecafe", NOTES["activity"]),
        ("lektiecafe-sommer", NOTES["sub_activity"]),
    ]:
        activity = mini.activities.get(slug=slug)
        activity.working_notes = [note]
        activity.save()
    indicator = mini.indicators.get(slug="employment")
    indicator.working_notes = [NOTES["indicator"]]
    indicator.save()
    return mini


def _pages(client: Client, plan) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {
        path: client.get(path).content.decode()
        for path in (
            plan.get_absolute_url(),
            f"{plan.get_absolute_url()}aktiviteter/lektiecafe/",
            f"{plan.get_absolute_url()}aktiviteter/lektiecafe-sommer/",
        )
    }


@pytest.mark.parametrize("role", ["staff", "coordinator", "plan_admin"])
def test_the_team_reads_every_working_note_marked_as_its_own(noted, role) -> None:  # type: ignore[no-untyped-def]
    plan_page, cafe, summer = _pages(_client_for(noted, role), noted).values()
    for kind in ("plan", "goal", "criterion", "activity", "sub_activity", "indicator"):
        assert NOTES[kind] in plan_page, kind
    assert plan_page.count(MARK) >= 5
    # The activity's page: its own note and its sub-activity's, marked;
    # its criterion's in the internal report's criteria table.
    assert f"{MARK}</strong> · Lektiecafé" in cafe
    assert NOTES["activity"] in cafe
    assert NOTES["sub_activity"] in cafe
    assert NOTES["criterion"] in cafe
    assert NOTES["sub_activity"] in summer
    assert NOTES["activity"] not in summer


@pytest.mark.parametrize("role", [None, "board", "auditor"])
def test_no_working_note_reaches_anyone_outside_the_team(noted, role) -> None:  # type: ignore[no-untyped-def]
    for path, text in _pages(_client_for(noted, role), noted).items():
        assert noted.name in text, path
        assert MARK not in text, path
        for kind, note in NOTES.items():
            assert note not in text, (path, kind)


def test_a_team_member_of_another_plan_reads_no_working_note(noted, randers) -> None:  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_user("other", password="x" * 16)
    membership_grant(user=user, plan=randers, role="staff")
    client = Client()
    client.force_login(user)
    for text in _pages(client, noted).values():
        assert noted.name in text
        assert MARK not in text
        assert NOTES["criterion"] not in text


def test_the_mark_is_english_on_an_english_page(noted) -> None:  # type: ignore[no-untyped-def]
    client = _client_for(noted, "staff")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = client.get(noted.get_absolute_url()).content.decode()
    assert "Working note (team only)" in text
    assert MARK not in text


@pytest.mark.parametrize("audience", [Audience.BOARD, Audience.PUBLIC])
def test_the_selectors_give_readers_outside_the_team_nothing(noted, audience) -> None:  # type: ignore[no-untyped-def]
    assert not team_notes(plan=noted, audience=audience)
    cafe = noted.activities.get(slug="lektiecafe")
    assert activity_team_notes(activity=cafe, audience=audience) == ()


def test_the_selector_gives_the_team_each_rows_notes(noted) -> None:  # type: ignore[no-untyped-def]
    notes = team_notes(plan=noted, audience=Audience.INTERNAL)
    assert notes.plan == (NOTES["plan"],)
    assert notes.criteria == {
        "goal-employment-nord": (NOTES["goal"],),
        "bf-lektiecafe-boern": (NOTES["criterion"],),
    }
    assert notes.activities == {
        "lektiecafe": (NOTES["activity"],),
        "lektiecafe-sommer": (NOTES["sub_activity"],),
    }
    assert notes.indicators == ((noted.indicators.get().name, (NOTES["indicator"],)),)
