"""The corpus of the plan folder (``fremdrift load``): a bad
observations.csv or plan.yaml is refused with one problem at its file, line
and field, no traceback, and no row of any table changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from .cases import Case, observation_cases, plan_yaml_cases
from .conftest import assert_one_problem, changed_tables, database_fingerprint, refused

MINI_PLAN = Path(__file__).parents[1] / "fixtures" / "mini-plan" / "plan.yaml"
OBSERVATION_CASES = observation_cases()
PLAN_YAML_CASES = plan_yaml_cases(MINI_PLAN.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "case", OBSERVATION_CASES, ids=[c.name for c in OBSERVATION_CASES]
)
def test_a_bad_observations_file_is_refused_by_load_in_one_line(
    plan, mini_folder: Path, case: Case
):
    case.write(mini_folder)
    before = database_fingerprint()
    refusal = refused("load", str(mini_folder))
    assert_one_problem(refusal, case.where, case.says, "observations.csv")
    assert changed_tables(before, database_fingerprint()) == []


@pytest.mark.parametrize("case", PLAN_YAML_CASES, ids=[c.name for c in PLAN_YAML_CASES])
def test_a_bad_plan_yaml_is_refused_by_load_in_one_line(
    plan, mini_folder: Path, case: Case
):
    case.write(mini_folder)
    before = database_fingerprint()
    refusal = refused("load", str(mini_folder))
    assert_one_problem(refusal, case.where, case.says, "plan.yaml")
    assert changed_tables(before, database_fingerprint()) == []
