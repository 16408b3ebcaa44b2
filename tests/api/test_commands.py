"""`fremdrift api_token`: create (shown once), list, revoke, expire."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from fremdrift.api.models import ApiToken

pytestmark = pytest.mark.django_db


def _run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("api_token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _status(token: str) -> int:
    return (
        Client()
        .get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        .status_code
    )


@pytest.fixture
def kim() -> User:
    return User.objects.create(username="kim")


def test_a_new_token_is_printed_once_and_works(kim: User) -> None:
    out, err = _run("kim", "--name", "dataværksted")
    token = out.strip()
    assert token.startswith("fdr_") and "\n" not in token
    assert "shown only now" in err and "expires" in err
    row = ApiToken.objects.get(user=kim)
    assert row.name == "dataværksted" and token not in (row.digest, row.prefix)
    assert row.expires_at is not None
    assert row.expires_at - row.created_at == datetime.timedelta(days=90)
    assert _status(token) == 200


def test_a_token_stops_working_when_it_expires(kim: User) -> None:
    token = _run("kim", "--name", "kort", "--days", "1")[0].strip()
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=23)):
        assert _status(token) == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1, seconds=1)):
        assert _status(token) == 401


@pytest.mark.parametrize("days", ["0", "-1", "367"])
def test_a_token_that_never_expires_is_refused(kim: User, days: str) -> None:
    with pytest.raises(CommandError, match="--days must be from 1 to 366"):
        _run("kim", "--name", "altid", "--days", days)
    assert not ApiToken.objects.filter(user=kim).exists()


def test_revoking_a_token_by_name(kim: User) -> None:
    keep = _run("kim", "--name", "behold")[0].strip()
    drop = _run("kim", "--name", "fjern")[0].strip()
    _out, err = _run("kim", "--revoke", "fjern")
    assert "Revoked 1" in err
    assert _status(drop) == 401 and _status(keep) == 200
    with pytest.raises(CommandError, match="no active token named 'fjern'"):
        _run("kim", "--revoke", "fjern")


def test_listing_shows_state_but_never_the_token(kim: User) -> None:
    token = _run("kim", "--name", "liste")[0].strip()
    _run("kim", "--name", "gammel")
    _run("kim", "--revoke", "gammel")
    _status(token)
    out, _err = _run("kim", "--list")
    lines = out.splitlines()
    assert len(lines) == 2 and token not in out
    assert any(
        "liste" in line and "expires" in line and "last used" in line for line in lines
    )
    assert any("gammel" in line and "revoked" in line for line in lines)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody", "--name", "x"], "unknown user 'nobody'"),
        (["kim", "--name", "x", "--days", "-1"], "--days"),
        (["kim", "--name", "  "], "--name must not be empty"),
        (["kim"], "one of the arguments"),
    ],
)
def test_bad_arguments_are_one_line_errors(
    kim: User, args: list[str], message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        _run(*args)


def test_a_deactivated_user_gets_no_token(kim: User) -> None:
    kim.is_active = False
    kim.save()
    with pytest.raises(CommandError, match="deactivated"):
        _run("kim", "--name", "x")
