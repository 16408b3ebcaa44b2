"""Login throttling (django-axes): five wrong passwords for one user from
one address lock that pair for 15 minutes; thirty from one address, any
user names, lock the address; other addresses are not affected."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory
from django.urls import reverse

from fremdrift.accounts.lockout import client_ip_address

pytestmark = pytest.mark.django_db
PASSWORD = "hemmeligt-kodeord-42"
NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
LOGIN = "/konto/log-ind/"


@pytest.fixture
def dorte():  # type: ignore[no-untyped-def]
    return get_user_model().objects.create_user("dorte", password=PASSWORD)


def attempt(username: str, password: str, address: str = "10.0.0.1", **headers: str):  # type: ignore[no-untyped-def]
    return Client().post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **headers,
    )


def test_five_wrong_passwords_lock_the_user_at_that_address_for_15_minutes(
    dorte,
) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False) as clock:
        answers = [attempt("dorte", "forkert-kodeord").status_code for _ in range(5)]
        locked = attempt("dorte", PASSWORD)
        elsewhere = attempt("dorte", PASSWORD, address="10.0.0.2")
        clock.shift(datetime.timedelta(minutes=14))
        still_locked = attempt("dorte", PASSWORD)
        clock.shift(datetime.timedelta(minutes=2))
        open_again = attempt("dorte", PASSWORD)

    assert answers == [200, 200, 200, 200, 429]
    assert locked.status_code == 429
    text = locked.content.decode()
    assert "For mange mislykkede forsøg på at logge ind" in text
    assert "spærret i 15 minutter" in text
    assert 'name="password"' not in text  # no form to keep trying in
    # The pair is locked, not the user: the right password from another
    # address works, and nobody can lock a colleague out from afar.
    assert elsewhere.status_code == 302
    assert still_locked.status_code == 429
    assert open_again.status_code == 302


def test_a_try_during_the_lock_does_not_extend_it(dorte) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False) as clock:
        for _ in range(5):
            attempt("dorte", "forkert-kodeord")
        clock.shift(datetime.timedelta(minutes=10))
        assert attempt("dorte", "forkert-kodeord").status_code == 429
        clock.shift(datetime.timedelta(minutes=6))
        assert attempt("dorte", PASSWORD).status_code == 302


def test_thirty_failures_from_one_address_lock_the_address(dorte) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        # A password-spraying script: one try per user name.
        answers = [attempt(f"bruger{n}", "Sommer2026!").status_code for n in range(30)]
        from_there = attempt("dorte", PASSWORD)
        from_elsewhere = attempt("dorte", PASSWORD, address="10.0.0.2")

    assert answers[:29] == [200] * 29
    assert answers[29] == 429
    assert from_there.status_code == 429
    assert from_elsewhere.status_code == 302


def test_colleagues_typos_behind_one_address_do_not_lock_the_office(dorte) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        for n in range(6):
            for _ in range(4):
                attempt(f"kollega{n}", "tastefejl-1234")
        assert attempt("dorte", PASSWORD).status_code == 302


def test_behind_the_proxy_the_visitor_address_comes_from_x_real_ip(
    dorte, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.FREMDRIFT_CLIENT_IP_HEADER = "X-Real-IP"
    with time_machine.travel(NOW, tick=False):
        for _ in range(5):
            attempt("dorte", "forkert", address="127.0.0.1", HTTP_X_REAL_IP="192.0.2.7")
        # Everyone arrives from the proxy's 127.0.0.1; only 192.0.2.7 is
        # locked.
        locked = attempt(
            "dorte", PASSWORD, address="127.0.0.1", HTTP_X_REAL_IP="192.0.2.7"
        )
        other = attempt(
            "dorte", PASSWORD, address="127.0.0.1", HTTP_X_REAL_IP="192.0.2.8"
        )
    assert locked.status_code == 429
    assert other.status_code == 302


def test_the_login_page_still_says_when_the_password_is_wrong(dorte) -> None:  # type: ignore[no-untyped-def]
    response = attempt("dorte", "forkert")
    assert "Brugernavn eller adgangskode er forkert." in response.content.decode()
    assert reverse("accounts:login") == LOGIN


@pytest.mark.parametrize(
    ("header", "value", "expected"),
    [
        ("X-Real-IP", "192.0.2.7", "192.0.2.7"),
        ("X-Real-IP", "", "127.0.0.1"),
        ("X-Real-IP", "not an address", "127.0.0.1"),
        # Only the entry the proxy appended counts, not what the client sent.
        ("X-Forwarded-For", "203.0.113.9, 192.0.2.7", "192.0.2.7"),
        ("", "192.0.2.7", "127.0.0.1"),
    ],
)
def test_the_visitor_address_is_read_from_the_configured_header(
    settings, header: str, value: str, expected: str
) -> None:  # type: ignore[no-untyped-def]
    settings.FREMDRIFT_CLIENT_IP_HEADER = header
    meta = {"HTTP_" + (header or "X-Real-IP").upper().replace("-", "_"): value}
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", **meta)
    assert client_ip_address(request) == expected


def test_twelve_failures_from_twelve_addresses_lock_a_password_only_account(
    dorte,
) -> None:  # type: ignore[no-untyped-def]
    """A guess per address never reaches the pair's or the address's limit:
    the user name's own limit (10) stops it, and the right password is
    refused until the lock has passed."""
    with time_machine.travel(NOW, tick=False) as clock:
        answers = [
            attempt("dorte", f"gæt-nummer-{n}", address=f"10.1.0.{n}").status_code
            for n in range(1, 13)
        ]
        right = attempt("dorte", PASSWORD, address="10.1.0.99")
        clock.shift(datetime.timedelta(minutes=14))
        still_locked = attempt("dorte", PASSWORD, address="10.1.0.98")
        other_user = attempt("ulla", PASSWORD, address="10.1.0.97")
        clock.shift(datetime.timedelta(minutes=2))
        open_again = attempt("dorte", PASSWORD, address="10.1.0.96")

    assert answers[:9] == [200] * 9
    assert answers[9:] == [429] * 3
    assert right.status_code == 429
    assert "For mange mislykkede forsøg" in right.content.decode()
    assert still_locked.status_code == 429
    assert other_user.status_code == 200  # only dorte's name is locked
    assert open_again.status_code == 302


def test_an_account_with_an_authenticator_is_not_locked_by_its_name_alone(
    dorte,
) -> None:  # type: ignore[no-untyped-def]
    """Its one-time code stops the guessing, and nobody can lock its owner
    out from afar."""
    from .verified import authenticator

    authenticator(dorte)
    with time_machine.travel(NOW, tick=False):
        answers = [
            attempt("dorte", f"gæt-nummer-{n}", address=f"10.2.0.{n}").status_code
            for n in range(1, 13)
        ]
        right = attempt("dorte", PASSWORD, address="10.2.0.99")

    assert answers == [200] * 12
    assert right.status_code == 302  # on to the one-time code
