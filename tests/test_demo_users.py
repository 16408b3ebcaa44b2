from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError

from fremdrift.accounts.selectors import activities_for
from fremdrift.plans.services import plan_load

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
    }
    staff = authenticate(username="medarbejder", password=passwords["medarbejder"])
    assert staff is not None
    assert {a.slug for a in activities_for(staff)} >= {"lektiecafe", "familiekursus"}
    assert authenticate(username="koordinator", password=passwords["koordinator"])


def test_demo_users_are_never_made_on_a_real_plan(monkeypatch, randers) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("FREMDRIFT_DEMO", "1")
    with pytest.raises(CommandError, match="not a fictional plan"):
        call_command("demo_users", "randers-nordby-2017-21")
