"""`fremdrift backup` and `fremdrift restore`: a database with a plan,
registrations and an access log is backed up, restored into an empty
database, and has the same number of rows in every table and the same
verdicts; the restored log is still append-only; a database that is not
empty is refused unless --force. On SQLite with temporary files; on
PostgreSQL (when the suite runs on it) into throwaway databases."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from ..conftest import MINI

PLAN = "eksempelby-2022-26"

POPULATE = textwrap.dedent(
    f"""
    import django
    django.setup()
    from django.core.management import call_command
    from fremdrift.accounts.services import membership_grant
    from fremdrift.audit.services import access_log, review_record
    from fremdrift.plans.models import Plan
    from fremdrift.registrations.models import Participant
    from django.contrib.auth.models import User

    call_command("migrate", verbosity=0)
    call_command("load", "{MINI}", verbosity=0)
    call_command("demo_registrations", "{PLAN}", "--until", "2024-06-30", verbosity=0)
    plan = Plan.objects.get(slug="{PLAN}")
    dora = User.objects.create_user("dora", password="x" * 16)
    membership_grant(user=dora, plan=plan, role="auditor")
    people = list(Participant.objects.filter(plan=plan)[:5])
    entries = access_log(
        user=dora, plan=plan, action="view", participants=people, purpose="audit"
    )
    review_record(entry=entries[0], reviewer=dora, outcome="ok")
    """
)

STATE = textwrap.dedent(
    f"""
    import io, json
    import django
    django.setup()
    from django.apps import apps
    from django.core.management import call_command

    counts = {{
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }}
    out = io.StringIO()
    call_command("verdicts", "{PLAN}", "--format", "json", "--as-of", "2024-06-30",
                 stdout=out)
    print(json.dumps({{"counts": counts, "verdicts": json.loads(out.getvalue())}}))
    """
)


def run(
    env: dict[str, str], *args: str, check: bool = True
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, check=False
    )
    if check and done.returncode != 0:
        raise AssertionError(f"{args}: {done.stderr}")
    return done


def state(env: dict[str, str]) -> dict[str, object]:
    return json.loads(run(env, "-c", STATE).stdout)


def base_env(tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "fremdrift.settings"}
    env.pop("FREMDRIFT_DATABASE_URL", None)
    env["FREMDRIFT_MEDIA_ROOT"] = str(tmp_path / "media")
    return env


def round_trip(source: dict[str, str], target: dict[str, str], backup: Path) -> None:
    """Populate ``source``, back it up, restore into the empty ``target``,
    and compare."""
    run(source, "-c", POPULATE)
    made = run(source, "-m", "fremdrift", "backup", str(backup))
    assert made.stdout.startswith(f"{backup}: ")
    assert backup.stat().st_mode & 0o077 == 0  # owner only

    restored = run(target, "-m", "fremdrift", "restore", str(backup))
    assert restored.stdout.startswith(f"restored {backup}: ")

    before, after = state(source), state(target)
    counts = before["counts"]
    assert isinstance(counts, dict)
    assert counts["registrations.Participant"] > 0
    assert counts["registrations.Attendance"] > 0
    assert counts["audit.AccessLogEntry"] == 5
    assert counts["audit.AccessLogReview"] == 1
    assert after == before

    again = run(target, "-m", "fremdrift", "restore", str(backup), check=False)
    assert again.returncode == 1
    assert "not empty" in again.stderr
    forced = run(target, "-m", "fremdrift", "restore", str(backup), "--force")
    assert forced.returncode == 0
    assert state(target) == before


@pytest.mark.slow
def test_a_sqlite_backup_restores_into_an_empty_database(tmp_path: Path) -> None:
    source = {**base_env(tmp_path), "FREMDRIFT_SQLITE_PATH": str(tmp_path / "a.db")}
    target = {**base_env(tmp_path), "FREMDRIFT_SQLITE_PATH": str(tmp_path / "b.db")}
    backup = tmp_path / "backup.sqlite3"
    round_trip(source, target, backup)
    with sqlite3.connect(backup) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    # The restored log is as append-only as the original.
    with (
        sqlite3.connect(tmp_path / "b.db") as db,
        pytest.raises(sqlite3.IntegrityError, match="append-only"),
    ):
        db.execute("DELETE FROM audit_accesslogentry")


def test_a_file_that_is_no_backup_is_refused(tmp_path: Path) -> None:
    env = {**base_env(tmp_path), "FREMDRIFT_SQLITE_PATH": str(tmp_path / "b.db")}
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"PK\x03\x04 a zip")
    done = run(env, "-m", "fremdrift", "restore", str(junk), check=False)
    assert done.returncode == 1
    assert "is not a fremdrift backup" in done.stderr
    pg_dump = tmp_path / "dump"
    pg_dump.write_bytes(b"PGDMP rest")
    done = run(env, "-m", "fremdrift", "restore", str(pg_dump), check=False)
    assert "is a postgresql backup; the configured database is sqlite" in done.stderr


POSTGRES_URL = os.environ.get("FREMDRIFT_DATABASE_URL", "")
on_postgres = pytest.mark.skipif(
    not POSTGRES_URL.startswith(("postgres://", "postgresql://"))
    or not (shutil.which("pg_dump") and shutil.which("pg_restore")),
    reason="runs when the suite runs on PostgreSQL with its client tools",
)


@pytest.fixture
def throwaway_databases() -> Iterator[tuple[str, str]]:
    """Two empty databases on the suite's PostgreSQL server, dropped
    afterwards."""
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(POSTGRES_URL)
    params = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
    }
    names = [f"fremdrift_backup_{uuid.uuid4().hex[:8]}_{n}" for n in ("a", "b")]
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{names[0]}", f"{base}/{names[1]}"
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@on_postgres
@pytest.mark.slow
def test_a_postgresql_backup_restores_into_an_empty_database(
    tmp_path: Path, throwaway_databases: tuple[str, str]
) -> None:
    first, second = throwaway_databases
    source = {**base_env(tmp_path), "FREMDRIFT_DATABASE_URL": first}
    target = {**base_env(tmp_path), "FREMDRIFT_DATABASE_URL": second}
    backup = tmp_path / "backup.dump"
    round_trip(source, target, backup)
    assert backup.read_bytes().startswith(b"PGDMP")
    import psycopg

    with (
        psycopg.connect(second) as db,
        pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"),
    ):
        db.execute("UPDATE audit_accesslogentry SET username = 'mallory'")
