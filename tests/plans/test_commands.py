from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ..conftest import RANDERS

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_verdicts_json_follows_the_contract(randers) -> None:  # type: ignore[no-untyped-def]
    records = json.loads(_run("verdicts", "randers-nordby-2017-21", "--format", "json"))

    assert len(records) == 77
    required = {
        "id", "level", "effort_area", "activity", "text", "kind",
        "baseline", "target", "achieved", "verdict", "explanation",
    }  # fmt: skip
    for record in records:
        assert required <= record.keys()
        assert record["level"] in {"goal", "effort_area", "activity"}
        if record["level"] != "activity":
            assert record["activity"] is None
    by_id = {r["id"]: r for r in records}
    legepatruljen = by_id["ub-legepatruljen-instruktoerer"]
    assert legepatruljen["target"] == {"min": 24, "max": 40}
    assert legepatruljen["achieved"] == 39
    assert legepatruljen["verdict"] == "achieved"
    assert legepatruljen["activity"] == "Legepatruljen"
    assert legepatruljen["effort_area"] == "Uddannelse og beskæftigelse"
    language = by_id["fp-language-2-5"]
    assert language["target"] == {"relative": 0.1}
    assert language["baseline"] == {"value": 11, "period": "2016"}
    assert language["achieved"] == 8.2
    assert language["verdict"] == "achieved"
    assert "8,2 %" in language["explanation"]


def test_verdicts_table_has_one_line_per_criterion(randers) -> None:  # type: ignore[no-untyped-def]
    lines = _run("verdicts", "randers-nordby-2017-21").splitlines()
    assert len(lines) == 77
    assert any(
        line.startswith("fp-moedre-forloeb") and "ikke opnået" in line for line in lines
    )


def test_observations_csv_lists_every_observation(randers) -> None:  # type: ignore[no-untyped-def]
    lines = _run(
        "observations", "randers-nordby-2017-21", "--format", "csv"
    ).splitlines()
    assert (
        lines[0] == "indicator,population,period,value,numerator,denominator,note,flags"
    )
    source_rows = (
        (RANDERS / "observations.csv").read_text(encoding="utf-8").splitlines()
    )
    assert len(lines) == len(source_rows)


def test_report_writes_a_final_evaluation(randers, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "final.html"
    _run(
        "report", "randers-nordby-2017-21", "--kind", "final",
        "--format", "html", "--out", str(out),
    )  # fmt: skip
    html = out.read_text(encoding="utf-8")
    assert "Resultatevaluering" in html
    assert "1.713 lejemål" in html


def test_an_unknown_plan_is_a_one_line_error(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="unknown plan 'nowhere'"):
        call_command("verdicts", "nowhere")


def test_a_bad_argument_is_a_one_line_error(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="invalid choice: 'pdf'"):
        call_command("verdicts", "x", "--format", "pdf")


def test_the_console_script_exits_non_zero_with_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "FREMDRIFT_SQLITE_PATH": str(tmp_path / "cli.sqlite3")}
    env.pop("FREMDRIFT_DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "fremdrift", "verdicts", "--format", "xml"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode != 0
    assert result.stderr.strip().count("\n") == 0
    assert "invalid choice: 'xml'" in result.stderr


def test_load_prints_every_problem_and_exits_non_zero(mini_folder: Path) -> None:
    (mini_folder / "observations.csv").write_text("indicator;population\n")
    with pytest.raises(CommandError) as caught:
        call_command("load", str(mini_folder))
    message = str(caught.value)
    assert message.splitlines()[0] == "1 problem; nothing was loaded"
    assert "semicolon-separated" in message


def test_models_and_migrations_agree(db) -> None:  # type: ignore[no-untyped-def]
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())
