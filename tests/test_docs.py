"""Every criterion kind, aggregation, unit, flag and CLI command is
documented (in the spirit of datasette's tests/test_docs.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

import fremdrift
import fremdrift_demo
from fremdrift.core.measures import MeasureKind
from fremdrift.core.model import Aggregation, CriterionKind, Flag, Outcome, Unit

DOCS = Path(__file__).resolve().parent.parent / "docs"
CRITERIA = (DOCS / "criteria.md").read_text(encoding="utf-8")
FORMAT = (DOCS / "plan-format.md").read_text(encoding="utf-8")
CLI = (DOCS / "cli.md").read_text(encoding="utf-8")
# Every app's management commands, fremdrift's and the demo's (fremdrift-demo,
# in demo/): the fremdrift console script runs them all.
SRC = Path(fremdrift.__file__).resolve().parent
DEMO = Path(fremdrift_demo.__file__).resolve().parent
COMMANDS = sorted(
    p.stem
    for p in [
        *SRC.glob("*/management/commands/*.py"),
        *DEMO.glob("management/commands/*.py"),
    ]
    if not p.stem.startswith("_")
)


@pytest.mark.parametrize("kind", list(CriterionKind))
def test_every_criterion_kind_is_documented(kind: CriterionKind) -> None:
    assert f"| `{kind.value}` |" in CRITERIA
    assert f"| `{kind.value}` |" in FORMAT


@pytest.mark.parametrize("unit", list(Unit))
def test_every_unit_is_documented(unit: Unit) -> None:
    assert f"| `{unit.value}` |" in CRITERIA


@pytest.mark.parametrize("aggregation", list(Aggregation))
def test_every_aggregation_is_documented(aggregation: Aggregation) -> None:
    assert f"| `{aggregation.value}` |" in CRITERIA


@pytest.mark.parametrize("outcome", list(Outcome))
def test_every_verdict_is_documented(outcome: Outcome) -> None:
    assert f"| `{outcome.value}` |" in CRITERIA


@pytest.mark.parametrize("flag", list(Flag))
def test_every_flag_is_documented(flag: Flag) -> None:
    assert f"`{flag.value}`" in FORMAT


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_documented(command: str) -> None:
    assert f"## `fremdrift {command}" in CLI


MEASURES_DOC = (DOCS / "measures.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", list(MeasureKind))
def test_every_measure_is_documented(kind: MeasureKind) -> None:
    assert f"| `{kind.value}` |" in MEASURES_DOC
