"""The API refuses values that pydantic's lax mode would bend into
something else (issue 17): ``as_of=0`` (1 January 1970) and dates before a
plan's data can be, and ``"version": false`` or a number in a string."""

from __future__ import annotations

import pytest

from fremdrift.registrations.models import Attendance, Session

from .world import World

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "as_of", ["0", "1700000000", "1970-01-01", "1999-12-31", "2101-01-01"]
)
def test_verdicts_as_of_a_number_or_an_insane_date_are_refused(
    world: World, as_of: str
) -> None:
    base = f"/api/v1/plans/{world.plan.slug}/criteria"
    for url in (base, f"{base}/{world.plan.criteria.first().ident}"):
        response = world.client("alice").get(url, {"as_of": as_of})
        assert response.status_code == 422, url
        assert [e["field"] for e in response.json()["errors"]] == ["as_of"]


def test_verdicts_as_of_a_written_date_are_answered(world: World) -> None:
    base = f"/api/v1/plans/{world.plan.slug}/criteria"
    response = world.client("alice").get(base, {"as_of": "2024-06-30"})
    assert response.status_code == 200
    assert response.json()["as_of"] == "2024-06-30"


def _attendance_url(world: World) -> str:
    return (
        f"/api/v1/plans/{world.plan.slug}/activities/{world.cafe.slug}"
        f"/sessions/{world.session.pk}/attendance"
    )


@pytest.mark.parametrize("version", [False, True, "0", 0.0])
def test_an_attendance_version_that_is_not_a_whole_number_is_refused(
    world: World, version: object
) -> None:
    response = world.client("alice").put(
        _attendance_url(world),
        {"present": [world.children[0].pk], "version": version},
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["version"]
    assert not Attendance.objects.filter(session=world.session).exists()


def test_an_attendance_list_of_booleans_is_refused(world: World) -> None:
    response = world.client("alice").put(_attendance_url(world), {"present": [True]})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["present.0"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"date": 0}, "date"),
        ({"date": "1970-01-01"}, "date"),
        ({"date": "2024-01-01", "headcount": True}, "headcount"),
        ({"date": "2024-01-01", "headcount": "4"}, "headcount"),
    ],
)
def test_a_session_with_a_bent_value_is_refused(
    world: World, body: dict[str, object], field: str
) -> None:
    before = Session.objects.count()
    url = f"/api/v1/plans/{world.plan.slug}/activities/{world.cafe.slug}/sessions"
    response = world.client("alice").post(url, body)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert Session.objects.count() == before
