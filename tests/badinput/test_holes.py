"""The holes of issue 17's bad-input half that are not a malformed file:
re-loading a plan folder over imported observations, SQLite named by a
URL, and a database without its schema."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import OperationalError

from fremdrift.base.commands import missing_schema_message
from fremdrift.settings import SQLITE_OPTIONS, database_config
from fremdrift.statistics.models import Observation


def _employment(plan, period: str) -> Observation:  # type: ignore[no-untyped-def]
    return Observation.objects.get(
        indicator__plan=plan,
        indicator__slug="employment",
        population__slug="nord",
        period=period,
    )


def test_reloading_the_folder_keeps_an_imported_observation_and_says_so(
    plan, mini_folder: Path, tmp_path: Path
):
    data = tmp_path / "tal.csv"
    data.write_text("indicator,population,period,value\nemployment,nord,2023,47\n")
    call_command("import", plan.slug, str(data), stdout=io.StringIO())
    assert _employment(plan, "2023").value == Decimal("47")

    out = io.StringIO()
    call_command("load", str(mini_folder), stdout=out)

    # The folder still says 42.0; the import's 47 is kept, and the summary
    # names the flag that would overwrite it.
    assert _employment(plan, "2023").value == Decimal("47")
    assert _employment(plan, "2023").batch_id is not None
    assert "Kept 1 imported observation" in out.getvalue()
    assert "--replace-imported" in out.getvalue()


def test_replace_imported_makes_the_folders_row_win(
    plan, mini_folder: Path, tmp_path: Path
):
    data = tmp_path / "tal.csv"
    data.write_text("indicator,population,period,value\nemployment,nord,2023,47\n")
    call_command("import", plan.slug, str(data), stdout=io.StringIO())

    call_command("load", str(mini_folder), "--replace-imported", stdout=io.StringIO())

    observation = _employment(plan, "2023")
    assert observation.value == Decimal("42.0")
    assert observation.batch_id is None


def test_a_sqlite_url_gets_wal_immediate_and_the_busy_timeout(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    monkeypatch.setenv("FREMDRIFT_DATABASE_URL", f"sqlite:///{tmp_path}/x.sqlite3")
    config = database_config()
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    options = config["OPTIONS"]
    assert isinstance(options, dict)
    assert "journal_mode=WAL" in str(options["init_command"])
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] == SQLITE_OPTIONS["timeout"]


@pytest.mark.parametrize(
    "text",
    [
        "no such table: plans_organisation",
        'relation "plans_organisation" does not exist\nLINE 1: SELECT ...',
    ],
)
def test_a_database_without_its_schema_is_one_line_that_says_migrate(text: str):
    message = missing_schema_message(OperationalError(text))
    assert message is not None
    assert "\n" not in message and "fremdrift migrate" in message


def test_another_database_error_is_not_taken_for_a_missing_schema():
    assert missing_schema_message(OperationalError("disk I/O error")) is None
