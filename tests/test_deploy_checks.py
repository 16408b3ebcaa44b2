"""``fremdrift check --deploy`` warns about what only the demo may have
(issue 17): FREMDRIFT_DEMO=1, ALLOWED_HOSTS='*' and existing demo users;
and static files carry the same security headers as pages."""

from __future__ import annotations

import secrets
import subprocess

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client

from fremdrift.accounts.checks import (
    DEMO_USER_NAMES,
    demo_settings_check,
    demo_users_check,
)

from .test_deployment import FREMDRIFT, _production_env


def _ids(messages: list[object]) -> list[str]:
    return [message.id for message in messages]  # type: ignore[attr-defined]


@pytest.mark.slow
def test_the_deployment_check_warns_about_demo_mode_and_any_host(tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = _production_env(
        FREMDRIFT_SECRET_KEY=secrets.token_urlsafe(50)[:50],
        FREMDRIFT_HTTPS="1",
        FREMDRIFT_ALLOWED_HOSTS="*",
        FREMDRIFT_DEMO="1",
    )
    result = subprocess.run(
        [str(FREMDRIFT), "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "(fremdrift.W001) FREMDRIFT_DEMO=1 is set" in output
    assert "(fremdrift.W002) FREMDRIFT_ALLOWED_HOSTS holds '*'" in output
    # A database without its schema has no demo users and no traceback.
    assert "W003" not in output and "Traceback" not in output


def test_demo_mode_and_any_host_are_warned_about(settings) -> None:  # type: ignore[no-untyped-def]
    settings.FREMDRIFT_DEMO = False
    settings.ALLOWED_HOSTS = ["fremdrift.example.dk"]
    assert demo_settings_check() == []
    settings.FREMDRIFT_DEMO = True
    settings.ALLOWED_HOSTS = ["fremdrift.example.dk", "*"]
    assert _ids(demo_settings_check()) == ["fremdrift.W001", "fremdrift.W002"]


@pytest.mark.django_db
def test_existing_demo_users_are_warned_about() -> None:
    users = get_user_model().objects
    users.create_user("kim", password="x")
    assert demo_users_check() == []
    users.create_user("koordinator", password="x")
    users.create_user("revisor", password="x", is_active=False)

    [warning] = demo_users_check()

    assert warning.id == "fremdrift.W003"
    assert warning.msg == "demo users exist: koordinator."
    with pytest.raises(SystemCheckError, match=r"fremdrift\.W003"):
        call_command("check", deploy=True, fail_level="WARNING", databases=["default"])


def test_the_demo_user_names_are_those_the_demo_makes() -> None:
    from fremdrift_demo.management.commands.demo_users import DEMO_USERS

    assert sorted(DEMO_USER_NAMES) == sorted(name for name, _r, _a in DEMO_USERS)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/static/web/site.css", "/static/registrations/app.js"]
)
def test_static_files_carry_the_policy_and_the_frame_header(
    client: Client, path: str
) -> None:
    page = client.get("/")
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == page["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
