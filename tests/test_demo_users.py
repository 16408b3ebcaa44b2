from __future__ import annotations

import re
from base64 import b32decode
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, RequestFactory
from django_otp.plugins.otp_totp.models import TOTPDevice

from fremdrift.accounts.models import PlanMembership
from fremdrift.accounts.policy import activities_for
from fremdrift.planfiles.services import plan_load

from .conftest import ROOT

pytestmark = pytest.mark.django_db
EKSEMPELBY = ROOT / "examples" / "eksempelby-2025-29"


def test_demo_users_are_made_only_in_demo_mode(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    plan_load(folder=EKSEMPELBY)
    monkeypatch.delenv("FREMDRIFT_DEMO", raising=False)
    with pytest.raises(CommandError, match="only in demo mode"):
        call_command("demo_users", "eksempelby-2025-29")


def test_demo_users_are_printed_with_passwords_that_work(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    plan_load(folder=EKSEMPELBY)
    monkeypatch.setenv("FREMDRIFT_DEMO", "1")
    out = StringIO()

    call_command("demo_users", "eksempelby-2025-29", stdout=out)

    passwords = {
        line.split("'")[1]: line.rsplit("password ", 1)[1]
        for line in out.getvalue().splitlines()
        if line.startswith("demo user ")
    }
    # django-axes checks every login against the request it came with.
    login = RequestFactory().post("/konto/log-ind/")
    staff = authenticate(
        login, username="medarbejder", password=passwords["medarbejder"]
    )
    assert staff is not None
    assert {a.slug for a in activities_for(staff)} >= {"lektiecafe", "familiekursus"}
    assert authenticate(
        login, username="koordinator", password=passwords["koordinator"]
    )


def test_demo_users_are_never_made_on_a_real_plan(monkeypatch, randers) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("FREMDRIFT_DEMO", "1")
    with pytest.raises(CommandError, match="not a fictional plan"):
        call_command("demo_users", "randers-nordby-2017-21")


def test_the_demo_coordinator_gets_an_authenticator_and_demo_totp_its_code(  # type: ignore[no-untyped-def]
    monkeypatch,
) -> None:
    plan_load(folder=EKSEMPELBY)
    monkeypatch.setenv("FREMDRIFT_DEMO", "1")
    out = StringIO()

    call_command("demo_users", "eksempelby-2025-29", stdout=out)

    secret = re.search(r"add secret ([A-Z2-7]+) ", out.getvalue())
    assert secret is not None
    device = TOTPDevice.objects.get(user__username="koordinator", confirmed=True)
    assert b32decode(secret.group(1)) == device.bin_key
    assert not TOTPDevice.objects.filter(user__username="medarbejder").exists()
    code = StringIO()
    call_command("demo_totp", "koordinator", stdout=code)
    assert device.verify_token(code.getvalue().strip())


def test_demo_codes_are_printed_only_in_demo_mode_for_demo_devices(  # type: ignore[no-untyped-def]
    monkeypatch,
) -> None:
    user = get_user_model().objects.create_user("real", password="x" * 16)
    TOTPDevice.objects.create(user=user, name="Godkendelsesapp", confirmed=True)
    monkeypatch.delenv("FREMDRIFT_DEMO", raising=False)
    with pytest.raises(CommandError, match="only in demo mode"):
        call_command("demo_totp", "real")
    monkeypatch.setenv("FREMDRIFT_DEMO", "1")
    with pytest.raises(CommandError, match="no demo authenticator"):
        call_command("demo_totp", "real")


def _demo_passwords(monkeypatch) -> dict[str, str]:  # type: ignore[no-untyped-def]
    plan_load(folder=EKSEMPELBY)
    monkeypatch.setenv("FREMDRIFT_DEMO", "1")
    out = StringIO()
    call_command("demo_users", "eksempelby-2025-29", stdout=out)
    return {
        line.split("'")[1]: line.rsplit("password ", 1)[1]
        for line in out.getvalue().splitlines()
        if line.startswith("demo user ")
    }


def _logged_in(username: str, password: str) -> Client:
    """A browser logged in as the demo user through the login page, with
    the one-time code from ``demo_totp`` when the role asks for one."""
    client = Client()
    answer = client.post(
        "/konto/log-ind/", {"username": username, "password": password}
    )
    assert answer.status_code == 302, answer.content.decode()[:500]
    home = client.get(answer["Location"])
    if home.status_code == 302 and home["Location"].startswith("/konto/engangskode/"):
        code = StringIO()
        call_command("demo_totp", username, stdout=code)
        confirmed = client.post(
            "/konto/engangskode/", {"token": code.getvalue().strip()}
        )
        assert confirmed.status_code == 302
        assert not confirmed["Location"].startswith("/konto/")
    return client


PLAN = "/planer/eksempelby-2025-29"
# What each demo user gets at the addresses that tell the roles apart:
# registering for the café, importing statistics, issuing reports,
# writing on the plan, reading the access log, the internal report.
ROLE_ADDRESSES = (
    "/registrering/eksempelby-2025-29/lektiecafe/",
    f"{PLAN}/statistik/",
    f"{PLAN}/udsend/",
    f"{PLAN}/kommentarer/",
    "/adgangslog/eksempelby-2025-29/",
    f"{PLAN}/rapport/hent/?kind=final&format=html&audience=internal",
)
DEMO_ROLES = {
    "medarbejder": (200, 403, 403, 403, 403, 200),
    "koordinator": (200, 200, 200, 200, 403, 200),
    "planadministrator": (200, 403, 200, 200, 200, 200),
    "bestyrelsesmedlem": (404, 403, 403, 403, 403, 403),
    "revisor": (404, 403, 403, 403, 200, 403),
}


def test_there_is_a_demo_user_for_every_role(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    passwords = _demo_passwords(monkeypatch)

    roles = dict(
        PlanMembership.objects.filter(plan__slug="eksempelby-2025-29").values_list(
            "user__username", "role"
        )
    )
    assert set(passwords) == set(DEMO_ROLES)
    assert set(roles.values()) == set(PlanMembership.Role.values)


@pytest.mark.parametrize("username", sorted(DEMO_ROLES))
def test_each_demo_user_logs_in_and_gets_what_the_role_allows(  # type: ignore[no-untyped-def]
    monkeypatch, username: str
) -> None:
    client = _logged_in(username, _demo_passwords(monkeypatch)[username])

    got = tuple(client.get(address).status_code for address in ROLE_ADDRESSES)

    assert got == DEMO_ROLES[username]
    page = client.get(f"{PLAN}/").content.decode()
    # The team is offered the internal version (with small counts); board
    # members and auditors are not.
    team = username in ("medarbejder", "koordinator", "planadministrator")
    assert ("Internt (fortroligt)" in page) is team
