from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

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
