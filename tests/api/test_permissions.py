"""Who may call what: every operation of the API for anonymous callers,
staff of another activity, a user of another plan, a board member, an
auditor, the staff of the activity, the coordinator, the plan
administrator and a superuser. The matrix must name every operation in
the OpenAPI schema, so a new endpoint cannot go untested."""

from __future__ import annotations

import datetime
import json

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from fremdrift.api.models import ApiToken
from fremdrift.api.site import api

from .world import ApiClient, World

pytestmark = pytest.mark.django_db

PEOPLE = [
    "anonymous",
    "bob",  # staff of another activity in the same plan
    "charlie",  # coordinator of another plan
    "board",
    "auditor",
    "alice",  # staff of the café
    "coordinator",
    "plan_admin",
    "root",
]

# A plan's board version is public: every caller with a token reads it,
# as the web's plan pages show it to everyone (accounts.policy
# .plans_visible_to); what only members reach is 404 to anyone else.
READ = {
    "anonymous": 401,
    "charlie": 200,
    "bob": 200,
    "board": 200,
    "auditor": 200,
    "alice": 200,
    "coordinator": 200,
    "plan_admin": 200,
    "root": 200,
}
ANY_USER = READ
MEMBERS = {**READ, "charlie": 404}
IMPORT = {
    **MEMBERS,
    "bob": 403,
    "board": 403,
    "auditor": 403,
    "alice": 403,
    # Plan administrators do not import: an import changes the numbers
    # every goal is judged on (accounts.policy.may_import_statistics).
    "plan_admin": 403,
}
REGISTER = {**MEMBERS, "bob": 403, "board": 403, "auditor": 403}


def _activity(w: World) -> str:
    return f"/api/v1/plans/{w.plan.slug}/activities/{w.cafe.slug}"


def _observation_rows() -> dict[str, object]:
    return {
        "rows": [
            {
                "indicator": "employment",
                "population": "nord",
                "period": "2024",
                "value": 44,
            }
        ]
    }


# (method, schema path, concrete path, body, expected status per person)
def matrix(w: World) -> list[tuple[str, str, str, object, dict[str, int]]]:
    plan = f"/api/v1/plans/{w.plan.slug}"
    act = _activity(w)
    return [
        ("GET", "/api/v1/me", "/api/v1/me", None, ANY_USER),
        ("GET", "/api/v1/plans", "/api/v1/plans", None, ANY_USER),
        ("GET", "/api/v1/plans/{slug}", plan, None, READ),
        ("GET", "/api/v1/plans/{slug}/criteria", f"{plan}/criteria", None, READ),
        (
            "GET",
            "/api/v1/plans/{slug}/criteria/{ident}",
            f"{plan}/criteria/bf-lektiecafe-boern",
            None,
            READ,
        ),
        ("GET", "/api/v1/plans/{slug}/indicators", f"{plan}/indicators", None, READ),
        (
            "GET",
            "/api/v1/plans/{slug}/indicators/{indicator}",
            f"{plan}/indicators/employment",
            None,
            READ,
        ),
        (
            "GET",
            "/api/v1/plans/{slug}/observations",
            f"{plan}/observations",
            None,
            READ,
        ),
        (
            "POST",
            "/api/v1/plans/{slug}/observations",
            f"{plan}/observations",
            _observation_rows(),
            IMPORT,
        ),
        (
            "GET",
            "/api/v1/plans/{slug}/activities/{activity}/courses",
            f"{act}/courses",
            None,
            REGISTER,
        ),
        (
            "GET",
            "/api/v1/plans/{slug}/activities/{activity}/sessions",
            f"{act}/sessions",
            None,
            REGISTER,
        ),
        (
            "POST",
            "/api/v1/plans/{slug}/activities/{activity}/sessions",
            f"{act}/sessions",
            {"course": w.course.pk, "date": timezone.localdate().isoformat()},
            {k: 201 if v == 200 else v for k, v in REGISTER.items()},
        ),
        (
            "GET",
            "/api/v1/plans/{slug}/activities/{activity}/sessions/{session_id}",
            f"{act}/sessions/{w.session.pk}",
            None,
            REGISTER,
        ),
        (
            "GET",
            "/api/v1/plans/{slug}/activities/{activity}/sessions/{session_id}/attendance",
            f"{act}/sessions/{w.session.pk}/attendance",
            None,
            REGISTER,
        ),
        (
            "PUT",
            "/api/v1/plans/{slug}/activities/{activity}/sessions/{session_id}/attendance",
            f"{act}/sessions/{w.session.pk}/attendance",
            {"present": [w.children[0].pk]},
            REGISTER,
        ),
        (
            "GET",
            "/api/v1/plans/{slug}/activities/{activity}/contacts",
            f"{act}/contacts",
            None,
            REGISTER,
        ),
        (
            "POST",
            "/api/v1/plans/{slug}/activities/{activity}/contacts",
            f"{act}/contacts",
            {
                "date": timezone.localdate().isoformat(),
                "kind": "contact",
                "anonymous_count": 3,
            },
            {k: 201 if v == 200 else v for k, v in REGISTER.items()},
        ),
        ("GET", "/api/v1/plans/{slug}/area-status", f"{plan}/area-status", None, READ),
    ]


def _call(client: ApiClient, method: str, path: str, body: object):  # type: ignore[no-untyped-def]
    if method == "GET":
        return client.get(path)
    if method == "POST":
        return client.post(path, body)
    return client.put(path, body)


def test_the_matrix_names_every_operation_of_the_schema(world: World) -> None:
    schema = api.get_openapi_schema()
    operations = {
        (method.upper(), path)
        for path, item in schema["paths"].items()
        for method in item
    }
    covered = {(method, path) for method, path, *_rest in matrix(world)}
    assert operations == covered


@pytest.mark.parametrize("who", PEOPLE)
def test_every_operation_answers_each_person_as_the_web_app_would(
    world: World, who: str
) -> None:
    client = world.client(None if who == "anonymous" else who)
    for method, _schema_path, path, body, expected in matrix(world):
        response = _call(client, method, path, body)
        assert response.status_code == expected[who], (
            method,
            path,
            who,
            response.content,
        )
        assert response["Content-Type"] == "application/json; charset=utf-8"
        if response.status_code >= 400:
            assert response.json()["detail"]


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


@pytest.mark.parametrize("who", ["charlie", "bob", "board", "alice", "coordinator"])
def test_no_answer_carries_another_plans_rows(world: World, who: str) -> None:
    """Charlie's plan's people are invisible from this one and the other
    way round: its participants and its session never appear. (The plans
    themselves are public in their board version, on the web and here.)"""
    client = world.client(who)
    for method, _schema, path, body, _expected in matrix(world):
        text = _text(_call(client, method, path, body))
        if who != "charlie":
            assert world.other_participant.code not in text
            assert f'"id": {world.other_session.pk},' not in text
        else:
            for child in world.children:
                assert child.code not in text


def test_another_plans_session_is_not_found_through_ones_own_plan(
    world: World,
) -> None:
    """Charlie coordinates his plan: his activity path with this plan's
    session id, or this plan's participants in his attendance, find
    nothing."""
    charlie = world.client("charlie")
    own = (
        f"/api/v1/plans/{world.other_plan.slug}/activities/{world.other_activity.slug}"
    )
    assert charlie.get(f"{own}/sessions/{world.other_session.pk}").status_code == 200
    assert charlie.get(f"{own}/sessions/{world.session.pk}").status_code == 404
    assert (
        charlie.get(f"{own}/sessions/{world.session.pk}/attendance").status_code == 404
    )
    refused = charlie.put(
        f"{own}/sessions/{world.other_session.pk}/attendance",
        {"present": [world.children[0].pk]},
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "present.0"
    made = charlie.post(
        f"{own}/sessions",
        {"course": world.course.pk, "date": timezone.localdate().isoformat()},
    )
    assert made.status_code == 422
    assert made.json()["errors"] == [
        {"field": "course", "message": "The activity has no such course."}
    ]


def test_staff_see_only_their_own_activitys_sessions(world: World) -> None:
    bob_session = world.club.sessions.create(date=timezone.localdate())
    alice = world.client("alice")
    cafe = _activity(world)
    assert alice.get(f"{cafe}/sessions/{bob_session.pk}").status_code == 404
    club = f"/api/v1/plans/{world.plan.slug}/activities/{world.club.slug}"
    assert alice.get(f"{club}/sessions/{bob_session.pk}").status_code == 403
    assert (
        world.client("bob").get(f"{club}/sessions/{bob_session.pk}").status_code == 200
    )
    unknown = f"/api/v1/plans/{world.plan.slug}/activities/no-such-activity/sessions"
    assert alice.get(unknown).status_code == 404


def test_plan_list_shows_every_plan_with_the_callers_role(world: World) -> None:
    """Every plan, as the web's plan list: the caller's role where they hold
    one, and the version of the numbers they read."""
    records = {
        who: {
            p["slug"]: (p["role"], p["audience"])
            for p in world.client(who).get("/api/v1/plans").json()["items"]
        }
        for who in ("charlie", "alice", "board", "root")
    }
    mine, other = world.plan.slug, world.other_plan.slug
    assert records["charlie"] == {
        other: ("coordinator", "internal"),
        mine: (None, "board"),
    }
    assert records["alice"] == {mine: ("staff", "internal"), other: (None, "board")}
    assert records["board"] == {mine: ("board", "board"), other: (None, "board")}
    assert records["root"] == {mine: (None, "internal"), other: (None, "internal")}


def test_plan_detail_says_where_the_caller_registers(world: World) -> None:
    detail = world.client("alice").get(f"/api/v1/plans/{world.plan.slug}").json()
    registering = {a["slug"] for a in detail["activities"] if a["may_register"]}
    # The café and its sub-activity, not bob's club.
    assert registering == {"lektiecafe", "lektiecafe-sommer"}
    assert detail["role"] == "staff" and detail["audience"] == "internal"
    board = world.client("board").get(f"/api/v1/plans/{world.plan.slug}").json()
    assert board["audience"] == "board"
    assert not any(a["may_register"] for a in board["activities"])


# --- tokens -----------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Bearer",
        "Bearer ",
        "Bearer fdr_not-a-token",
        "Bearer something-else",
        "Token {token}",
        "Basic {token}",
        "Bearer {token}x",
    ],
)
def test_a_missing_or_wrong_token_gets_401(world: World, header: str | None) -> None:
    client = Client()
    headers = {}
    if header is not None:
        headers["Authorization"] = header.format(token=world.tokens["coordinator"])
    response = client.get("/api/v1/plans", headers=headers)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "token" in response.json()["detail"]


def test_an_expired_token_gets_401(world: World) -> None:
    ApiToken.objects.filter(user__username="coordinator").update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert world.client("coordinator").get("/api/v1/plans").status_code == 401


def test_a_revoked_token_gets_401(world: World) -> None:
    ApiToken.objects.filter(user__username="coordinator").update(
        revoked_at=timezone.now()
    )
    assert world.client("coordinator").get("/api/v1/plans").status_code == 401


def test_a_deactivated_users_token_gets_401(world: World) -> None:
    User.objects.filter(username="coordinator").update(is_active=False)
    assert world.client("coordinator").get("/api/v1/plans").status_code == 401


def test_a_logged_in_browser_session_does_not_open_the_api(world: World) -> None:
    # Alice is staff: no one-time code stands between her session and a
    # view, so the answer is the API's own.
    browser = Client()
    browser.force_login(world.users["alice"])
    assert browser.get("/api/v1/plans").status_code == 401
    response = browser.post(
        f"{_activity(world)}/sessions",
        json.dumps(
            {"course": world.course.pk, "date": timezone.localdate().isoformat()}
        ),
        content_type="application/json",
    )
    assert response.status_code == 401
    assert not world.course.sessions.exclude(pk=world.session.pk).exists()


def test_a_token_needs_no_csrf_token_even_beside_a_session(world: World) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.users["alice"])
    response = browser.post(
        f"{_activity(world)}/sessions",
        json.dumps(
            {"course": world.course.pk, "date": timezone.localdate().isoformat()}
        ),
        content_type="application/json",
        headers={"Authorization": f"Bearer {world.tokens['alice']}"},
    )
    assert response.status_code == 201


def test_the_token_is_stored_only_as_its_digest(world: World) -> None:
    token = world.tokens["alice"]
    row = ApiToken.objects.get(user__username="alice")
    stored = " ".join(str(v) for v in ApiToken.objects.values_list().get(pk=row.pk))
    assert token not in stored
    assert row.prefix == token[: len(row.prefix)] and len(row.digest) == 64


def test_using_a_token_records_when_it_was_last_used(world: World) -> None:
    assert ApiToken.objects.get(user__username="board").last_used_at is None
    world.client("board").get("/api/v1/me")
    assert ApiToken.objects.get(user__username="board").last_used_at is not None


def test_answers_are_not_kept_by_browsers_or_proxies(world: World) -> None:
    response = world.client("board").get(f"/api/v1/plans/{world.plan.slug}")
    assert "no-store" in response["Cache-Control"]


def test_the_schema_is_served_without_a_token(world: World) -> None:
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["components"]["securitySchemes"]["BearerToken"] == {
        "type": "http",
        "scheme": "bearer",
    }


def test_an_unknown_address_under_api_is_a_json_404(world: World) -> None:
    for path in ("/api/", "/api/v2/plans", "/api/v1/plans/", "/api/v1/plans/a/b/c"):
        response = world.client("coordinator").get(path)
        assert response.status_code == 404, path
        assert response.json() == {"detail": "Not found."}


def test_the_api_answers_a_coordinator_whose_browser_session_lacks_the_code(
    world: World,
) -> None:
    """The web app sends an unverified coordinator to the one-time code page;
    the API authenticates by the token alone and answers in JSON."""
    client = Client()
    client.force_login(world.users["coordinator"])
    assert client.get(f"/planer/{world.plan.slug}/").status_code == 302
    response = client.get(
        f"/api/v1/plans/{world.plan.slug}",
        headers={"Authorization": f"Bearer {world.tokens['coordinator']}"},
    )
    assert response.status_code == 200
    assert response.json()["slug"] == world.plan.slug
