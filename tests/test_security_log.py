"""The security log: every refused request, at every address of the access
matrix (its personas, its addresses, its admin pages), writes exactly one
``fremdrift.security`` line, whether the web pages, the API, a download or
the admin refused it; an answer that refuses nothing writes none.

A refusal is a 401, 403 (CSRF failures included), 429, or a 404 at an
address that exists (a row outside the user's plans is not found); a 404
of an address that exists nowhere (the API's and the admin's catch-alls)
refuses nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.test import Client

from fremdrift.audit.security_log import CATCH_ALL_VIEWS, REFUSALS

from .accounts.verified import log_in_verified
from .test_access_matrix import (
    API_OPERATIONS,
    MATRIX,
    PERSONAS,
    Call,
    Redirect,
    Scene,
    addresses,
    admin_address,
    admin_answers,
    api_clients,
    read,
    rolled_back,
    scene,  # noqa: F401  (the fixture)
    send,
    url_patterns,
    web_clients,
)

pytestmark = pytest.mark.django_db

# The catch-all addresses of the matrix: their 404 names no object.
CATCH_ALLS = {"api/", "api:api-root"}


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@contextmanager
def security_lines() -> Iterator[list[str]]:
    handler = Lines()
    logger = logging.getLogger("fremdrift.security")
    logger.addHandler(handler)
    try:
        yield handler.lines
    finally:
        logger.removeHandler(handler)


def _expected_lines(key: str, answer: int | Redirect) -> int:
    if isinstance(answer, Redirect):
        return 0
    if answer == 404 and key in CATCH_ALLS:
        return 0
    return 1 if answer in REFUSALS else 0


def test_the_catch_all_views_are_the_projects() -> None:
    names = {getattr(p.callback, "__name__", "") for p in url_patterns()}
    assert names >= CATCH_ALL_VIEWS


@pytest.mark.slow
def test_every_refused_request_writes_exactly_one_line(scene: Scene) -> None:  # noqa: F811
    web, apis = web_clients(scene), api_clients(scene)
    calls = addresses(scene)
    users = {who: user.pk for who, user in scene.users.items()}
    problems = []
    refused = 0
    for key, call in calls.items():
        clients = apis if key in API_OPERATIONS else web
        for who, expected in zip(PERSONAS, MATRIX[key], strict=True):
            with rolled_back(), security_lines() as lines:
                reply = send(clients[who], call)
            want = _expected_lines(key, expected)
            refused += want
            label = f"{call.method} {call.path} as {who} ({reply})"
            if len(lines) != want:
                problems.append(f"{label}: {len(lines)} lines, not {want}: {lines}")
                continue
            if want:
                line = lines[0]
                user_id = users[who] if who != "anonymous" else "-"
                for part in (
                    f"status={reply.status} ",
                    f"user_id={user_id} ",
                    "ip=127.0.0.1 ",
                    f"method={call.method} ",
                    f"path={call.path.split('?')[0]} ",
                ):
                    if part not in line:
                        problems.append(f"{label}: no {part!r} in {line}")
                if "reason=" not in line or "password" in line:
                    problems.append(f"{label}: {line}")
    assert not problems, "\n".join(problems)
    assert refused > 250  # the matrix's refusals were all tried


def test_every_refused_admin_page_writes_exactly_one_line(scene: Scene) -> None:  # noqa: F811
    """The admin's index for every persona: a member who is logged in but
    not Django staff is refused there with 403; the others are sent to a
    login."""
    clients = web_clients(scene)
    patterns = [p for p in url_patterns() if p.name == "admin:index"]
    (index,) = patterns
    path = admin_address(index, scene)
    answers = admin_answers(index.route, path)
    problems = []
    for who in PERSONAS:
        with security_lines() as lines:
            reply = read(clients[who].get(path))
        want = _expected_lines("admin:index", answers[who])
        if len(lines) != want:
            problems.append(f"{path} as {who} ({reply}): {lines}")
    assert not problems, "\n".join(problems)


def test_the_admin_login_refusal_is_one_line(scene: Scene) -> None:  # noqa: F811
    client = web_clients(scene)["alice"]
    with security_lines() as lines:
        reply = read(client.get("/admin/login/"))
    assert reply.status == 403
    assert len(lines) == 1
    assert "view=admin:login" in lines[0]


def test_a_csrf_failure_writes_one_line_with_its_reason(scene: Scene) -> None:  # noqa: F811
    browser = Client(enforce_csrf_checks=True)
    log_in_verified(browser, scene.users["root"])
    calls = addresses(scene)
    problems = []
    for key in ("registrations:participant-add", "web:plan-commentary"):
        with security_lines() as lines:
            reply = read(browser.post(calls[key].path, {}))
        if reply.status != 403 or len(lines) != 1 or "reason=csrf:" not in lines[0]:
            problems.append(f"{key}: {reply} {lines}")
    assert not problems


def test_a_refused_api_call_names_its_reason_and_the_tokens_user(scene: Scene) -> None:  # noqa: F811
    apis = api_clients(scene)
    calls = addresses(scene)
    with security_lines() as lines:
        send(apis["anonymous"], calls["api:plan_detail"])
        # Another plan's member: its board version is public, an import
        # into it is not found.
        send(apis["charlie"], calls["api:observation_import"])
        send(apis["bob"], calls["api:observation_import"])
    assert len(lines) == 3
    assert "status=401 user_id=- " in lines[0]
    assert "reason=api: no valid bearer token" in lines[0]
    assert f"status=404 user_id={scene.users['charlie'].pk} " in lines[1]
    assert "objects=slug:eksempelby-2022-26" in lines[1]
    assert f"status=403 user_id={scene.users['bob'].pk} " in lines[2]
    assert "reason=api: role" in lines[2]


def test_an_address_that_exists_nowhere_is_no_refusal(scene: Scene) -> None:  # noqa: F811
    with security_lines() as lines:
        assert Client().get("/ingen/side/").status_code == 404
    assert lines == []


def test_a_foreign_id_through_ones_own_activity_is_one_line(scene: Scene) -> None:  # noqa: F811
    """The coordinator, at the café's addresses, with the ids of the other
    plan's rows: 404, one line each, naming the row."""
    other = scene.other
    act = f"/registrering/eksempelby-2022-26/{scene.world.cafe.slug}"
    client = web_clients(scene)["coordinator"]
    for call in (
        Call(f"{act}/forloeb/{other['course'].pk}/"),
        Call(f"{act}/moedegange/{other['session'].pk}/"),
        Call(f"{act}/kontakter/{other['contact'].pk}/slet/", "POST"),
    ):
        with security_lines() as lines:
            reply = send(client, call)
        assert reply.status == 404
        assert len(lines) == 1, call
        assert "status=404 " in lines[0]
