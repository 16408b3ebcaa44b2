"""A one-time code for everyone in a plan, where its administrator says
so, and an authenticator app offered to every role: a board member of a
plan that requires it is sent to set one up and reads none of the plan's
pages before confirming a code; without the requirement they are not
asked; only the plan's administrator changes the setting; anyone may set
up an app of their own accord, and is then asked for its code."""

from __future__ import annotations

import datetime
from binascii import unhexlify

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from fremdrift.accounts.models import PlanSecurity
from fremdrift.accounts.selectors import two_factor_required
from fremdrift.accounts.services import membership_grant, plan_security_set
from fremdrift.accounts.views import PENDING_KEY
from fremdrift.plans.models import Plan

from .verified import code_now, log_in_verified

pytestmark = pytest.mark.django_db
PASSWORD = "hemmeligt-kodeord-42"
NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
ENROL = "/konto/engangskode/ny-app/"
VERIFY = "/konto/engangskode/"


def person(username: str, plan: Plan | None = None, role: str | None = None):  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_user(username, password=PASSWORD)
    if role:
        membership_grant(user=user, plan=plan, role=role)
    return user


def logged_in(username: str) -> Client:
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": username, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


def plan_pages(plan: Plan) -> list[str]:
    return [
        reverse("web:plan-detail", args=[plan.slug]),
        reverse("web:cross-plan"),
        reverse("registrations:home"),
        reverse("accounts:account"),
    ]


def security_url(plan: Plan) -> str:
    return reverse("accounts:plan-security", args=[plan.slug])


def requiring(plan: Plan) -> None:
    admin = get_user_model().objects.filter(
        plan_memberships__plan=plan, plan_memberships__role="plan_admin"
    ).first() or person("pia", plan, "plan_admin")
    plan_security_set(plan=plan, two_factor_required=True, by=admin)


def test_a_board_member_of_a_plan_that_requires_it_sets_up_an_app_first(mini) -> None:  # type: ignore[no-untyped-def]
    person("bent", mini, "board")
    requiring(mini)
    client = logged_in("bent")
    with time_machine.travel(NOW, tick=False):
        before = [client.get(page) for page in plan_pages(mini)]
        client.get(ENROL)
        key = client.session[PENDING_KEY]
        confirmed = client.post(ENROL, {"token": f"{totp(unhexlify(key)):06d}"})
        after = [client.get(page) for page in plan_pages(mini)]

    for page, response in zip(plan_pages(mini), before, strict=True):
        assert response.status_code == 302, page
        assert response["Location"].startswith(ENROL), page
    assert confirmed.status_code == 302
    assert [r.status_code for r in after] == [200] * len(after)
    assert TOTPDevice.objects.get(user__username="bent").confirmed


def test_a_board_member_with_an_app_confirms_its_code_before_the_plans_pages(
    mini,
) -> None:  # type: ignore[no-untyped-def]
    bent = person("bent", mini, "board")
    device = TOTPDevice.objects.create(user=bent, name="telefon", confirmed=True)
    requiring(mini)
    client = logged_in("bent")
    with time_machine.travel(NOW, tick=False):
        before = client.get(reverse("web:plan-detail", args=[mini.slug]))
        client.post(VERIFY, {"token": code_now(device)})
        after = client.get(reverse("web:plan-detail", args=[mini.slug]))
    assert before.status_code == 302 and before["Location"].startswith(VERIFY)
    assert after.status_code == 200


def test_a_requirement_asks_those_already_logged_in_at_their_next_page(mini) -> None:  # type: ignore[no-untyped-def]
    person("bent", mini, "board")
    client = logged_in("bent")
    assert client.get(reverse("web:cross-plan")).status_code == 200
    requiring(mini)
    response = client.get(reverse("web:cross-plan"))
    assert response.status_code == 302 and response["Location"].startswith(ENROL)


@pytest.mark.parametrize("role", ["board", "staff", "auditor"])
def test_without_the_requirement_a_member_is_not_asked(mini, role) -> None:  # type: ignore[no-untyped-def]
    user = person("bent", mini, role)
    PlanSecurity.objects.create(plan=mini, two_factor_required=False)
    client = logged_in("bent")
    assert not two_factor_required(user)
    for page in plan_pages(mini):
        assert client.get(page).status_code == 200, page


def test_another_plans_requirement_asks_nothing_of_this_plans_members(mini) -> None:  # type: ignore[no-untyped-def]
    user = person("bent", mini, "board")
    other = Plan.objects.create(
        organisation=mini.organisation,
        slug="andet",
        name="Andet",
        start=mini.start,
        end=mini.end,
    )
    requiring(other)
    assert not two_factor_required(user)
    assert logged_in("bent").get(reverse("web:cross-plan")).status_code == 200


def test_only_the_plans_administrator_changes_the_setting(mini) -> None:  # type: ignore[no-untyped-def]
    pia = person("pia", mini, "plan_admin")
    others = {
        "coordinator": person("dorte", mini, "coordinator"),
        "staff": person("alice", mini, "staff"),
        "board": person("bent", mini, "board"),
        "auditor": person("ulla", mini, "auditor"),
    }
    for role, user in others.items():
        client = Client()
        log_in_verified(client, user)
        assert client.get(security_url(mini)).status_code == 403, role
        refused = client.post(security_url(mini), {"two_factor_required": "on"})
        assert refused.status_code == 403, role
    # A member who has set up no app of their own.
    bruno = person("bruno", mini, "board")
    outsider = Client()
    log_in_verified(outsider, person("olga"))
    assert outsider.get(security_url(mini)).status_code == 404
    assert not PlanSecurity.objects.exists()

    client = Client()
    log_in_verified(client, pia)
    page = client.get(security_url(mini))
    assert page.status_code == 200
    assert "Kræv godkendelsesapp af alle i planen" in page.content.decode()
    saved = client.post(security_url(mini), {"two_factor_required": "on"})
    assert saved.status_code == 302
    security = PlanSecurity.objects.get(plan=mini)
    assert security.two_factor_required and security.changed_by == pia
    assert two_factor_required(bruno)
    assert "Alle i planen skal nu bruge en godkendelsesapp" in (
        client.get(saved["Location"]).content.decode()
    )
    client.post(security_url(mini), {})
    assert not PlanSecurity.objects.get(plan=mini).two_factor_required
    assert not two_factor_required(bruno)


def test_the_plan_page_links_to_the_setting_for_its_administrator_only(mini) -> None:  # type: ignore[no-untyped-def]
    url = security_url(mini)
    for username, role, shown in (
        ("pia", "plan_admin", True),
        ("dorte", "coordinator", False),
        ("bent", "board", False),
    ):
        client = Client()
        log_in_verified(client, person(username, mini, role))
        page = client.get(reverse("web:plan-detail", args=[mini.slug]))
        assert (url in page.content.decode()) is shown, role


def test_a_board_member_sets_up_an_app_of_their_own_accord(mini) -> None:  # type: ignore[no-untyped-def]
    person("bent", mini, "board")
    account_url = reverse("accounts:account")
    with time_machine.travel(NOW, tick=False):
        client = logged_in("bent")
        before = client.get(account_url).content.decode()
        page = client.get(ENROL)
        key = client.session[PENDING_KEY]
        code = f"{totp(unhexlify(key)):06d}"
        confirmed = client.post(ENROL, {"token": code, "next": account_url})
        after = client.get(account_url).content.decode()
        # From now on the app's code is asked for at every login.
        again = logged_in("bent").get(reverse("web:cross-plan"))
    assert "Sæt godkendelsesapp op" in before and ENROL in before
    assert "Din rolle kræver" not in page.content.decode()
    assert confirmed.status_code == 302 and confirmed["Location"] == account_url
    assert "Du har sat en godkendelsesapp op" in after
    assert again.status_code == 302 and again["Location"].startswith(VERIFY)
