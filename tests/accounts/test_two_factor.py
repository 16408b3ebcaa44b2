"""Two-factor login (django-otp, TOTP): superusers, staff with admin
access, plan administrators and coordinators confirm a code from an
authenticator app after the password, and reach nothing else before; staff,
board members and auditors are not asked unless they set up an app."""

from __future__ import annotations

import datetime
import re
from base64 import b32encode
from binascii import unhexlify

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from fremdrift.accounts.services import membership_grant
from fremdrift.accounts.views import PENDING_KEY

from .verified import authenticator, code_now, log_in_verified

pytestmark = pytest.mark.django_db
PASSWORD = "hemmeligt-kodeord-42"
NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
HOME = "/registrering/"


def person(username: str, plan=None, role: str | None = None, **extra):  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_user(username, password=PASSWORD, **extra)
    if role:
        membership_grant(user=user, plan=plan, role=role)
    return user


def log_in(client: Client, username: str, next_url: str = HOME):  # type: ignore[no-untyped-def]
    return client.post(
        f"{reverse('accounts:login')}?next={next_url}",
        {"username": username, "password": PASSWORD, "next": next_url},
    )


def test_a_coordinator_without_an_app_sets_one_up_after_the_password(mini) -> None:  # type: ignore[no-untyped-def]
    person("dorte", mini, "coordinator")
    client = Client()
    with time_machine.travel(NOW, tick=False):
        after_password = client.get(log_in(client, "dorte")["Location"])
        # Nothing else is reachable yet.
        home = client.get(HOME)
        page = client.get(reverse("accounts:otp-enrol"), {"next": HOME})
        key = client.session[PENDING_KEY]
        wrong = client.post(
            reverse("accounts:otp-enrol"), {"token": "000000", "next": HOME}
        )
        code = f"{totp(unhexlify(key)):06d}"
        right = client.post(
            reverse("accounts:otp-enrol"),
            {"token": code[:3] + " " + code[3:], "next": HOME},
        )
        then = client.get(HOME)

    assert after_password.status_code == 302
    assert after_password["Location"].startswith(reverse("accounts:otp-enrol"))
    assert home.status_code == 302
    assert home["Location"].startswith(reverse("accounts:otp-enrol"))
    text = page.content.decode()
    assert re.search(
        r'<svg role="img" aria-label="QR-kode til godkendelsesappen"', text
    )
    assert "<script" not in text.split("</head>")[1]
    # The secret is shown too, for an app that cannot scan.
    device = TOTPDevice(key=key)
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', text)
    assert secret is not None
    assert secret.group(1).replace(" ", "") == b32encode(device.bin_key).decode()
    # Showing the page stored nothing.
    assert wrong.status_code == 200
    assert "Koden passer ikke" in wrong.content.decode()
    assert right.status_code == 302 and right["Location"] == HOME
    assert then.status_code == 200
    saved = TOTPDevice.objects.get(user__username="dorte")
    assert saved.confirmed and saved.key == key


def test_the_set_up_page_changes_nothing_in_the_database(mini) -> None:  # type: ignore[no-untyped-def]
    person("dorte", mini, "coordinator")
    client = Client()
    log_in(client, "dorte")
    client.get(reverse("accounts:otp-enrol"))
    client.get(reverse("accounts:otp-enrol"))
    assert not TOTPDevice.objects.exists()


def test_a_coordinator_with_an_app_confirms_a_code_once(mini) -> None:  # type: ignore[no-untyped-def]
    dorte = person("dorte", mini, "coordinator")
    device = authenticator(dorte)
    client = Client()
    with time_machine.travel(NOW, tick=False) as clock:
        to_code = log_in(client, "dorte")
        to_code_page = client.get(HOME)
        key_before = client.session.session_key
        wrong = client.post(reverse("accounts:otp-verify"), {"token": "123456"})
        clock.shift(datetime.timedelta(seconds=5))
        code = code_now(device)
        right = client.post(
            reverse("accounts:otp-verify"), {"token": code, "next": HOME}
        )
        key_after = client.session.session_key
        home = client.get(HOME)
        # The same code cannot log in again (another session, same step).
        again = Client()
        log_in(again, "dorte")
        replay = again.post(reverse("accounts:otp-verify"), {"token": code})

    assert to_code["Location"] == HOME
    assert to_code_page["Location"] == f"{reverse('accounts:otp-verify')}?next={HOME}"
    assert wrong.status_code == 200
    assert "Koden er forkert eller udløbet" in wrong.content.decode()
    assert right.status_code == 302 and right["Location"] == HOME
    assert key_after != key_before  # a new session key with the new rights
    assert home.status_code == 200
    assert replay.status_code == 200
    assert "Koden er forkert eller udløbet" in replay.content.decode()


def test_wrong_codes_are_throttled(mini) -> None:  # type: ignore[no-untyped-def]
    dorte = person("dorte", mini, "coordinator")
    device = authenticator(dorte)
    client = Client()
    with time_machine.travel(NOW, tick=False) as clock:
        log_in(client, "dorte")
        for _ in range(3):
            client.post(reverse("accounts:otp-verify"), {"token": "000000"})
            clock.shift(datetime.timedelta(seconds=10))
        client.post(reverse("accounts:otp-verify"), {"token": "000000"})
        # Four wrong codes in a row: the next try must wait 8 seconds, even
        # with the right code.
        clock.shift(datetime.timedelta(seconds=2))
        too_soon = client.post(
            reverse("accounts:otp-verify"), {"token": code_now(device)}
        )
        clock.shift(datetime.timedelta(seconds=30))
        later = client.post(reverse("accounts:otp-verify"), {"token": code_now(device)})

    assert too_soon.status_code == 200
    assert "For mange forkerte koder i træk" in too_soon.content.decode()
    assert later.status_code == 302


@pytest.mark.parametrize("role", ["plan_admin", "coordinator"])
def test_plan_administrators_and_coordinators_must_confirm_a_code(mini, role) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(person("dorte", mini, role))
    assert client.get(HOME).status_code == 302
    assert client.get(mini.get_absolute_url()).status_code == 302


@pytest.mark.parametrize("role", ["staff", "board", "auditor"])
def test_staff_board_members_and_auditors_are_not_asked(mini, role) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(person("dorte", mini, role))
    assert client.get(HOME).status_code == 200


def test_staff_who_set_up_an_app_are_asked_for_its_code(mini) -> None:  # type: ignore[no-untyped-def]
    alice = person("alice", mini, "staff")
    authenticator(alice)
    client = Client()
    client.force_login(alice)
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp-verify"))


def test_the_admin_requires_a_confirmed_code(randers) -> None:  # type: ignore[no-untyped-def]
    root = person("root", is_superuser=True, is_staff=True)
    password_only = Client()
    password_only.force_login(root)
    verified = Client()
    log_in_verified(verified, root)

    refused = password_only.get("/admin/")
    assert refused.status_code == 302
    assert refused["Location"] == f"{reverse('accounts:otp-verify')}?next=/admin/"
    assert verified.get("/admin/").status_code == 200


def test_the_admin_login_is_the_applications_login(client: Client) -> None:
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/konto/log-ind/?next=/admin/"


def test_a_verified_user_without_admin_access_gets_403_not_a_loop(mini) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    log_in_verified(client, person("dorte", mini, "coordinator"))
    assert client.get("/admin/login/?next=/admin/").status_code == 403


def test_an_unverified_user_may_log_out(mini) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(person("dorte", mini, "coordinator"))
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
