"""Writes through the API make the same rows as the web app's forms and
imports, run the same checks, and name the field that is wrong."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fremdrift.audit.models import AccessLogEntry
from fremdrift.registrations.models import Attendance, Session
from fremdrift.statistics.models import ImportBatch, Observation, ObservationChange
from fremdrift.statistics.services import import_batch_undo, observations_import

from .world import World

pytestmark = pytest.mark.django_db

SESSION_FIELDS = (
    "activity_id",
    "course_id",
    "date",
    "duration_minutes",
    "theme",
    "headcount",
)


def _browser(world: World, who: str) -> Client:
    client = Client()
    client.force_login(world.users[who])
    return client


def _sessions_url(world: World) -> str:
    return f"/api/v1/plans/{world.plan.slug}/activities/{world.cafe.slug}/sessions"


def _row(session: Session) -> tuple[object, ...]:
    return tuple(getattr(session, name) for name in SESSION_FIELDS)


def test_a_course_session_is_the_same_row_as_from_the_staff_page(world: World) -> None:
    day = timezone.localdate() - datetime.timedelta(days=7)
    web = _browser(world, "alice").post(
        reverse(
            "registrations:course",
            args=[world.plan.slug, world.cafe.slug, world.course.pk],
        ),
        {"date": day.isoformat(), "duration_minutes": "90", "theme": "Brøker"},
    )
    assert web.status_code == 302
    from_web = Session.objects.filter(course=world.course, date=day).get()

    api = world.client("alice").post(
        _sessions_url(world),
        {
            "course": world.course.pk,
            "date": day.isoformat(),
            "duration_minutes": 90,
            "theme": "Brøker",
        },
    )
    assert api.status_code == 201
    from_api = Session.objects.get(pk=api.json()["id"])
    assert _row(from_api) == _row(from_web)
    assert api.json() == {
        "id": from_api.pk,
        "activity": "lektiecafe",
        "course": world.course.pk,
        "date": day.isoformat(),
        "duration_minutes": 90,
        "theme": "Brøker",
        "headcount": None,
        "cancelled": False,
        "present": 0,
        "version": 0,
    }


def test_an_open_session_is_the_same_row_as_from_the_staff_page(world: World) -> None:
    day = timezone.localdate()
    web = _browser(world, "alice").post(
        reverse(
            "registrations:open-session-add", args=[world.plan.slug, world.cafe.slug]
        ),
        {"date": day.isoformat(), "headcount": "17", "theme": "Fællesspisning"},
    )
    assert web.status_code == 302
    from_web = Session.objects.get(course=None, headcount=17)
    api = world.client("alice").post(
        _sessions_url(world),
        {"date": day.isoformat(), "headcount": 17, "theme": "Fællesspisning"},
    )
    assert api.status_code == 201
    assert _row(Session.objects.get(pk=api.json()["id"])) == _row(from_web)


def test_a_session_outside_its_course_is_refused_on_the_date_field(
    world: World,
) -> None:
    before = Session.objects.count()
    response = world.client("alice").post(
        _sessions_url(world),
        {
            "course": world.course.pk,
            "date": (world.course.end + datetime.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "The request is not valid; see errors."
    [error] = body["errors"]
    assert error["field"] == "date"
    # The staff form's own message, in English.
    assert "course" in error["message"].lower()
    assert Session.objects.count() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "date"),
        ({"date": "i morgen"}, "date"),
        ({"date": "2024-01-01", "duration_minutes": 0}, "duration_minutes"),
        ({"date": "2024-01-01", "theme": "x" * 201}, "theme"),
        ({"date": "2024-01-01", "theme": "nul\x00byte"}, "theme"),
        ({"date": "2024-01-01", "headcount": -1}, "headcount"),
        ({"date": "2024-01-01", "course": "første"}, "course"),
    ],
)
def test_a_session_that_does_not_fit_the_schema_names_the_field(
    world: World, body: dict[str, object], field: str
) -> None:
    response = world.client("alice").post(_sessions_url(world), body)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_a_head_count_is_for_open_sessions_only(world: World) -> None:
    response = world.client("alice").post(
        _sessions_url(world),
        {
            "course": world.course.pk,
            "date": timezone.localdate().isoformat(),
            "headcount": 4,
        },
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "headcount"


def _attendance_url(world: World) -> str:
    return f"{_sessions_url(world)}/{world.session.pk}/attendance"


def _present(session: Session) -> set[int]:
    return set(
        Attendance.objects.filter(session=session).values_list(
            "participant_id", flat=True
        )
    )


def test_attendance_is_the_same_rows_as_from_the_staff_page(world: World) -> None:
    first, second, third = world.children
    web_session = Session.objects.create(
        activity=world.cafe, course=world.course, date=timezone.localdate()
    )
    web = _browser(world, "alice").post(
        reverse(
            "registrations:session",
            args=[world.plan.slug, world.cafe.slug, web_session.pk],
        ),
        {"present": [first.pk, third.pk], "version": web_session.version},
    )
    assert web.status_code == 302

    client = world.client("alice")
    response = client.put(_attendance_url(world), {"present": [first.pk, third.pk]})
    assert response.status_code == 200
    assert response.json() == {"added": 2, "removed": 0, "present": 2}
    assert _present(world.session) == _present(web_session) == {first.pk, third.pk}

    # Again with one more and one fewer: exactly the list, each once.
    again = client.put(
        _attendance_url(world), {"present": [first.pk, second.pk, second.pk]}
    )
    assert again.json() == {"added": 1, "removed": 1, "present": 2}
    assert _present(world.session) == {first.pk, second.pk}
    assert Attendance.objects.filter(session=world.session).count() == 2


def test_attendance_of_someone_not_enrolled_names_the_entry(world: World) -> None:
    stranger = world.other_participant
    response = world.client("alice").put(
        _attendance_url(world), {"present": [world.children[0].pk, stranger.pk]}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "present.1",
            "message": "The participant is not enrolled in the course.",
        }
    ]
    assert _present(world.session) == set()


def test_the_attendance_list_shows_the_roster_and_who_is_present(world: World) -> None:
    client = world.client("alice")
    client.put(_attendance_url(world), {"present": [world.children[1].pk]})
    page = client.get(_attendance_url(world), {"purpose": "fremmøde i dag"}).json()
    assert page["count"] == 3 and page["session"]["present"] == 1
    assert {(r["initials"], r["present"]) for r in page["items"]} == {
        ("AA", False),
        ("BB", True),
        ("CC", False),
    }


def test_the_attendance_list_and_its_changes_are_in_the_access_log(
    world: World,
) -> None:
    """As from the staff page: the list is one view of the session, each
    participant added or removed an entry of their own, with the API's
    path and the token's user."""
    first, second, _third = world.children
    client = world.client("alice")
    client.get(_attendance_url(world))
    client.put(_attendance_url(world), {"present": [first.pk]})
    client.put(_attendance_url(world), {"present": [second.pk]})
    entries = list(
        AccessLogEntry.objects.order_by("pk").values_list(
            "username", "action", "object_type", "object_id", "participant_id", "path"
        )
    )
    path = _attendance_url(world)
    session = str(world.session.pk)
    assert entries == [
        ("alice", "view", "session", session, None, path),
        ("alice", "create", "attendance", session, first.pk, path),
        ("alice", "create", "attendance", session, second.pk, path),
        ("alice", "delete", "attendance", session, first.pk, path),
    ]


# --- observations -----------------------------------------------------------

ROWS = [
    {"indicator": "employment", "population": "nord", "period": "2023", "value": 43},
    {"indicator": "employment", "population": "syd", "period": "2024", "value": "45.5"},
]
TIDY = (
    "indicator,population,period,value\n"
    "employment,nord,2023,43\n"
    "employment,syd,2024,45.5\n"
)


def _observations(world: World) -> list[tuple[object, ...]]:
    return list(
        Observation.objects.filter(indicator__plan=world.plan)
        .order_by("indicator__slug", "population__slug", "period")
        .values_list(
            "indicator__slug",
            "population__slug",
            "period",
            "period_start",
            "period_end",
            "value",
            "numerator",
            "denominator",
            "note",
            "flags",
            "source_line",
        )
    )


def _observations_url(world: World) -> str:
    return f"/api/v1/plans/{world.plan.slug}/observations"


def test_observations_written_through_the_api_are_those_of_an_imported_file(
    world: World, tmp_path: Path
) -> None:
    response = world.client("coordinator").post(
        _observations_url(world), {"rows": ROWS}
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["created"], body["changed"], body["unchanged"]) == (1, 1, 0)
    assert body["changes"] == [
        {
            "indicator": "employment",
            "population": "nord",
            "period": "2023",
            "old": "42",
            "new": "43",
        }
    ]
    through_api = _observations(world)
    batch = ImportBatch.objects.get(pk=body["batch"])
    assert (batch.source, batch.file_name, batch.imported_by_name) == (
        "tidy",
        "api",
        "coordinator",
    )
    assert batch.imported_by == world.users["coordinator"]
    assert batch.stored_file and batch.sha256 == body["sha256"]
    assert ObservationChange.objects.filter(batch=batch).count() == 1

    # The same rows as a file, after undoing: the same observations.
    import_batch_undo(batch=batch)
    path = tmp_path / "tal.csv"
    path.write_text(TIDY, encoding="utf-8")
    result = observations_import(
        plan=world.plan, path=path, user=world.users["coordinator"]
    )
    assert result.ok and result.sha256 == body["sha256"]
    assert _observations(world) == through_api
    assert Observation.objects.get(
        indicator__slug="employment", population__slug="syd", period="2024"
    ).value == Decimal("45.5")


def test_the_same_observations_again_change_nothing(world: World) -> None:
    client = world.client("coordinator")
    client.post(_observations_url(world), {"rows": ROWS})
    again = client.post(_observations_url(world), {"rows": ROWS}).json()
    assert (again["created"], again["changed"], again["unchanged"], again["batch"]) == (
        0,
        0,
        2,
        None,
    )
    assert ImportBatch.objects.count() == 1


def test_a_dry_run_counts_and_writes_nothing(world: World) -> None:
    before = _observations(world)
    body = (
        world.client("coordinator")
        .post(_observations_url(world), {"rows": ROWS, "dry_run": True})
        .json()
    )
    assert body["dry_run"] and (body["created"], body["changed"]) == (1, 1)
    assert body["batch"] is None
    assert _observations(world) == before and not ImportBatch.objects.exists()


def test_fields_left_out_keep_the_teams_notes(world: World) -> None:
    Observation.objects.filter(
        indicator__slug="employment", population__slug="nord", period="2023"
    ).update(note="Foreløbigt tal")
    client = world.client("coordinator")
    client.post(_observations_url(world), {"rows": [ROWS[0]]})
    assert (
        Observation.objects.get(
            indicator__slug="employment", population__slug="nord", period="2023"
        ).note
        == "Foreløbigt tal"
    )
    client.post(
        _observations_url(world),
        {"rows": [{**ROWS[0], "value": 44, "note": "Endeligt tal\nfra DST"}]},
    )
    kept = Observation.objects.get(
        indicator__slug="employment", population__slug="nord", period="2023"
    )
    assert (kept.value, kept.note) == (Decimal("44"), "Endeligt tal\nfra DST")


def test_every_problem_names_its_row_and_field_and_nothing_is_written(
    world: World,
) -> None:
    before = _observations(world)
    rows = [
        {**ROWS[0], "note": "to\nlinjer\r\nog en til"},
        {
            "indicator": "unemployment",
            "population": "nord",
            "period": "2023",
            "value": 1,
        },
        {
            "indicator": "employment",
            "population": "nord",
            "period": "2023K9",
            "value": 1,
        },
        {
            "indicator": "employment",
            "population": "nord",
            "period": "2022",
            "value": 140,
        },
        {"indicator": "employment", "population": "vest", "period": "2022", "value": 1},
        {
            "indicator": "employment",
            "population": "syd",
            "period": "2022",
            "value": None,
        },
    ]
    response = world.client("coordinator").post(
        _observations_url(world), {"rows": rows}
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {
        "rows.1.indicator",
        "rows.2.period",
        "rows.3.value",
        "rows.4.population",
        "rows.5.value",
    }
    assert _observations(world) == before and not ImportBatch.objects.exists()


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ({"population": "nord", "period": "2023", "value": 1}, "rows.0.indicator"),
        (
            {"indicator": "employment", "period": "2023", "value": 1},
            "rows.0.population",
        ),
        (
            {"indicator": "employment", "population": "nord", "period": "2023"},
            "rows.0.value",
        ),
        ({**ROWS[0], "value": "mange"}, "rows.0.value"),
        ({**ROWS[0], "flags": ["ukendt"]}, "rows.0.flags.0"),
        ({**ROWS[0], "indicator": "ikke en slug"}, "rows.0.indicator"),
        ({**ROWS[0], "population": "   "}, "rows.0.population"),
    ],
)
def test_an_observation_that_does_not_fit_the_schema_names_the_field(
    world: World, row: dict[str, object], field: str
) -> None:
    response = world.client("coordinator").post(
        _observations_url(world), {"rows": [row]}
    )
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]


def test_no_rows_and_bad_json_are_refused(world: World) -> None:
    client = world.client("coordinator")
    empty = client.post(_observations_url(world), {"rows": []})
    assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "rows"
    broken = client.client.post(
        _observations_url(world),
        "{not json",
        content_type="application/json",
        headers=client.headers,
    )
    assert broken.status_code == 400
    assert broken.json() == {"detail": "Cannot parse request body"}


def test_paging_parameters_are_checked(world: World) -> None:
    client = world.client("board")
    response = client.get("/api/v1/plans", {"page": 0, "page_size": 501})
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"page", "page_size"}


def _session_url(world: World) -> str:
    return f"{_sessions_url(world)}/{world.session.pk}"


def test_attendance_with_the_version_read_is_saved_and_raises_it(
    world: World,
) -> None:
    first, second, _third = world.children
    client = world.client("alice")
    version = client.get(_session_url(world)).json()["version"]
    response = client.put(
        _attendance_url(world), {"present": [first.pk], "version": version}
    )
    assert response.status_code == 200
    assert client.get(_session_url(world)).json()["version"] == version + 1
    # Unchanged, the same list with the old version is not refused.
    again = client.put(
        _attendance_url(world), {"present": [first.pk], "version": version}
    )
    assert again.json() == {"added": 0, "removed": 0, "present": 1}
    assert _present(world.session) == {first.pk}
    assert second.pk not in _present(world.session)


def test_attendance_with_a_version_left_behind_is_409_and_writes_nothing(
    world: World,
) -> None:
    first, second, _third = world.children
    client = world.client("alice")
    read = client.get(_attendance_url(world)).json()["session"]["version"]
    # Someone else saves first (the staff page, or another program).
    client.put(_attendance_url(world), {"present": [first.pk]})
    logged = AccessLogEntry.objects.count()

    response = client.put(
        _attendance_url(world), {"present": [second.pk], "version": read}
    )
    assert response.status_code == 409
    body = response.json()
    world.session.refresh_from_db()
    assert body["version"] == world.session.version == read + 1
    assert body["changed_at"] is not None
    assert datetime.datetime.fromisoformat(body["changed_at"]) == (
        world.session.changed_at
    )
    assert "nothing was written" in body["detail"]
    assert _present(world.session) == {first.pk}
    assert AccessLogEntry.objects.count() == logged
