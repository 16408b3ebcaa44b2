from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection


@pytest.mark.django_db
def test_the_database_is_the_one_the_environment_names() -> None:
    url = os.environ.get("FREMDRIFT_DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres", "postgresql")) else "sqlite"
    assert connection.vendor == expected


@pytest.mark.slow
def test_the_default_sqlite_file_is_in_wal_mode(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "data" / "fremdrift.sqlite3"
    env = {**os.environ, "FREMDRIFT_SQLITE_PATH": str(path)}
    env.pop("FREMDRIFT_DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "fremdrift", "migrate", "--no-input", "-v0"],
        env=env,
        check=True,
    )
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    assert "plans_criterion" in tables


# The apps and commands Django sees in a fresh process with ``environment``.
APPS_AND_COMMANDS = """
import json
import django
from django.apps import apps
from django.core.management import get_commands
django.setup()
print(json.dumps({
    "apps": [config.name for config in apps.get_app_configs()],
    "commands": sorted(get_commands()),
}))
"""
DEMO_COMMANDS = {"bench", "demo_registrations", "demo_totp", "demo_users"}


def _apps_and_commands(tmp_path: Path, **environment: str) -> dict[str, list[str]]:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("FREMDRIFT_")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="fremdrift.settings",
        FREMDRIFT_SQLITE_PATH=str(tmp_path / "fremdrift.sqlite3"),
        **environment,
    )
    done = subprocess.run(
        [sys.executable, "-c", APPS_AND_COMMANDS],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_the_demo_and_benchmark_app_is_installed_on_a_developers_machine(
    tmp_path: Path,
) -> None:
    found = _apps_and_commands(tmp_path)
    assert "fremdrift_demo" in found["apps"]
    assert set(found["commands"]) >= DEMO_COMMANDS


def test_no_demo_or_benchmark_app_is_installed_behind_https(tmp_path: Path) -> None:
    found = _apps_and_commands(
        tmp_path, FREMDRIFT_HTTPS="1", FREMDRIFT_SECRET_KEY="s" * 50
    )
    demo_apps = [app for app in found["apps"] if "demo" in app or "bench" in app]
    assert demo_apps == []
    assert not set(found["commands"]) & DEMO_COMMANDS
    # Still a working fremdrift: its own commands are there.
    assert {"load", "report", "verdicts"} <= set(found["commands"])
