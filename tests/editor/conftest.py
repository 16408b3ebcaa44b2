"""People and helpers for the plan editor's tests: a coordinator of the
small test plan (tests/conftest.py ``mini``) and members in other roles."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from fremdrift.accounts.models import PlanMembership
from fremdrift.plans.models import Plan

from ..accounts.verified import log_in_verified

SLUG = "eksempelby-2022-26"
EDITOR = f"/redigering/{SLUG}/"


def member(plan: Plan, role: str, name: str | None = None) -> Client:
    user = User.objects.create_user(name or role, password="x")
    PlanMembership.objects.create(user=user, plan=plan, role=role)
    client = Client()
    if role in (PlanMembership.Role.COORDINATOR, PlanMembership.Role.PLAN_ADMIN):
        log_in_verified(client, user)
    else:
        client.force_login(user)
    return client


@pytest.fixture
def coordinator(mini: Plan) -> Client:
    return member(mini, PlanMembership.Role.COORDINATOR)


def hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found, f"no {name} in the page"
    return found.group(1)


def field_errors(html: str) -> list[str]:
    return re.findall(r'<strong class="error" role="alert">([^<]*)</strong>', html)
