"""Sessions end after 30 idle minutes, 10 hours after login however busy
the user is, when the browser closes, and at once everywhere when the user
is deactivated; the session key changes at login."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from fremdrift.accounts.services import sessions_end

pytestmark = pytest.mark.django_db
PASSWORD = "hemmeligt-kodeord-42"
NOW = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)
HOME = "/registrering/"
MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def alice():  # type: ignore[no-untyped-def]
    return get_user_model().objects.create_user("alice", password=PASSWORD)


def test_the_limits_are_30_idle_minutes_and_10_hours() -> None:
    assert settings.FREMDRIFT_SESSION_IDLE_MINUTES == 30
    assert settings.SESSION_COOKIE_AGE == 10 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


def test_a_session_ends_after_30_minutes_without_a_request(alice) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    with time_machine.travel(NOW, tick=False) as clock:
        client.force_login(alice)
        clock.shift(29 * MINUTE)
        busy = client.get(HOME)
        clock.shift(29 * MINUTE)  # 58 minutes after login, 29 idle
        still = client.get(HOME)
        clock.shift(30 * MINUTE)
        idle = client.get(HOME)
        login_page = client.get(idle["Location"])

    assert busy.status_code == 200
    assert still.status_code == 200
    assert idle.status_code == 302
    assert idle["Location"].startswith(reverse("accounts:login"))
    assert "efter 30 minutter uden aktivitet" in login_page.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_session_ends_10_hours_after_login_however_active(alice) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    with time_machine.travel(NOW, tick=False) as clock:
        client.force_login(alice)
        answers = []
        for _ in range(29):  # a request every 20 minutes for 9 h 40 min
            clock.shift(20 * MINUTE)
            answers.append(client.get(HOME).status_code)
        clock.shift(20 * MINUTE)
        expired = client.get(HOME)
        login_page = client.get(expired["Location"])

    assert answers == [200] * 29
    assert expired.status_code == 302
    assert "logget ind i 10 timer" in login_page.content.decode()


def test_the_session_cookie_ends_with_the_browser_and_is_http_only(alice) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": "alice", "password": PASSWORD}
    )
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == ""
    assert cookie["max-age"] == ""
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_the_session_key_changes_at_login(alice) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    session = client.session
    session["probe"] = 1
    session.save()
    before = session.session_key
    client.post(reverse("accounts:login"), {"username": "alice", "password": PASSWORD})
    assert client.session.session_key != before
    assert not Session.objects.filter(session_key=before).exists()


def test_deactivating_a_user_ends_all_their_sessions(alice) -> None:  # type: ignore[no-untyped-def]
    bob = get_user_model().objects.create_user("bob", password=PASSWORD)
    phone, desk, bobs = Client(), Client(), Client()
    phone.force_login(alice)
    desk.force_login(alice)
    bobs.force_login(bob)
    assert Session.objects.count() == 3

    alice.is_active = False
    alice.save()

    assert Session.objects.count() == 1
    assert phone.get(HOME).status_code == 302
    assert desk.get(HOME).status_code == 302
    assert bobs.get(HOME).status_code == 200


def test_ending_sessions_says_how_many_and_can_be_repeated(alice) -> None:  # type: ignore[no-untyped-def]
    Client().force_login(alice)
    Client().force_login(alice)
    assert sessions_end(user=alice) == 2
    assert sessions_end(user=alice) == 0
