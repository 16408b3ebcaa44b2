"""A criterion's target in plan.yaml: each kind's target is validated by its
own model (``planfiles.schema.TARGET_FILES``) and read as the core value;
a target that does not fit names the file, the line and the field."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from fremdrift.core.model import (
    NO_TARGET,
    CriterionKind,
    EveryPeriodTarget,
    HoldBaselineTarget,
    IncreaseByTarget,
    NumberTarget,
    RangeTarget,
    ReduceByTarget,
)
from fremdrift.core.targets import (
    TARGET_TYPES,
    target_fields,
    target_from_json,
    target_to_json,
)
from fremdrift.planfiles.errors import PlanFileError
from fremdrift.planfiles.reader import read_plan_folder
from fremdrift.planfiles.schema import TARGET_FILES, NumberTargetFile

K = CriterionKind
D = Decimal

PLAN = """\
format: fremdrift-plan/1
plan:
  slug: maal
  name: Mål
  start: 2022-01-01
  end: 2026-12-31
  organisation: Boligselskabet
goals:
- slug: trivsel
  name: Trivsel
  criteria:
  - id: kriterie
    text: Et kriterie
    kind: {kind}
    unit: count
    baseline: {{value: 10, period: "2021"}}
{target}"""


def _folder(tmp_path: Path, kind: CriterionKind, target: str) -> Path:
    folder = tmp_path / "plan"
    folder.mkdir()
    text = PLAN.format(
        kind=kind.value, target=f"    target: {target}\n" if target else ""
    )
    (folder / "plan.yaml").write_text(text, encoding="utf-8")
    return folder


TARGET_LINE = 17  # the line of "target:" in PLAN
CRITERION_LINE = 12  # where its criterion starts
FIELD = "goals[0].criteria[0].target"


# kind, the target as written in plan.yaml, the core value
VALID = [
    pytest.param(K.AT_LEAST, "80", NumberTarget(D(80)), id="at_least"),
    pytest.param(K.AT_LEAST, "{number: 80}", NumberTarget(D(80)), id="at_least-keyed"),
    pytest.param(K.AT_MOST, "8.2", NumberTarget(D("8.2")), id="at_most"),
    pytest.param(K.SHARE_AT_LEAST, "43.0", NumberTarget(D(43)), id="share_at_least"),
    pytest.param(K.REDUCE_TO, "8", NumberTarget(D(8)), id="reduce_to"),
    pytest.param(K.INCREASE_TO, "60", NumberTarget(D(60)), id="increase_to"),
    pytest.param(K.RANGE, "{min: 24, max: 40}", RangeTarget(D(24), D(40)), id="range"),
    pytest.param(K.RANGE, "{min: 5, max: 5}", RangeTarget(D(5), D(5)),
                 id="range-of-one-number"),
    pytest.param(K.REDUCE_BY, "{relative: 0.1}", ReduceByTarget(D("0.1")),
                 id="reduce_by"),
    pytest.param(K.REDUCE_BY, "{relative: 0.333, threshold: 1.46}",
                 ReduceByTarget(D("0.333"), D("1.46")), id="reduce_by-threshold"),
    pytest.param(K.INCREASE_BY, "{relative: 0.1}",
                 IncreaseByTarget(relative=D("0.1")), id="increase_by-relative"),
    pytest.param(K.INCREASE_BY, "{absolute: 3}", IncreaseByTarget(absolute=D(3)),
                 id="increase_by-absolute"),
    pytest.param(K.HOLD_BASELINE, "{tolerance: 1.0}",
                 HoldBaselineTarget(tolerance=D(1)), id="hold_baseline"),
    pytest.param(K.HOLD_BASELINE, "{relative_tolerance: 0.1}",
                 HoldBaselineTarget(relative_tolerance=D("0.1")),
                 id="hold_baseline-relative"),
    pytest.param(K.HOLD_BASELINE, "", HoldBaselineTarget(),
                 id="hold_baseline-left-out"),
    pytest.param(K.EVERY_PERIOD, "{at_least: 3}", EveryPeriodTarget("at_least", D(3)),
                 id="every_period"),
    pytest.param(K.EVERY_PERIOD, "{at_most: 2}", EveryPeriodTarget("at_most", D(2)),
                 id="every_period-at_most"),
    pytest.param(K.BELOW_BASELINE, "", NO_TARGET, id="below_baseline"),
    pytest.param(K.ABOVE_BASELINE, "", NO_TARGET, id="above_baseline"),
    pytest.param(K.QUALITATIVE, "", NO_TARGET, id="qualitative"),
    pytest.param(K.QUALITATIVE, "{}", NO_TARGET, id="qualitative-empty"),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "written", "core"), VALID)
def test_a_target_is_read_as_its_core_type_and_round_trips_through_json(
    tmp_path, kind, written, core
):
    plan = read_plan_folder(_folder(tmp_path, kind, written)).plan

    target = plan.goals[0].criteria[0].target

    assert target == core
    assert isinstance(target, TARGET_TYPES[kind])
    assert target_from_json(kind, target_to_json(target)) == target


# kind, the target as written in plan.yaml, the field and the message
INVALID = [
    pytest.param(K.AT_LEAST, "", "", "an at_least criterion needs a number",
                 id="at_least-missing"),
    pytest.param(K.AT_LEAST, "lots", "", "Input should be a valid decimal",
                 id="at_least-not-a-number"),
    pytest.param(K.AT_LEAST, "{min: 4}", "", "an at_least criterion needs a number",
                 id="at_least-as-a-range"),
    pytest.param(K.RANGE, "{min: 4}", "", "a range criterion needs {max: ...}",
                 id="range-no-max"),
    pytest.param(K.RANGE, "25", "",
                 "a range criterion needs {min: ..., max: ...}", id="range-a-number"),
    pytest.param(K.RANGE, "{min: 6, max: 4}", "", "a range's min is above its max",
                 id="range-reversed"),
    pytest.param(K.RANGE, "{min: 4, max: 6, mid: 5}", ".mid",
                 "mid is not a target of a range criterion (allowed: min, max)",
                 id="range-unknown-key"),
    pytest.param(K.REDUCE_BY, "{relative: 10}", ".relative",
                 "a relative change is a fraction (0.1 for 10 %)",
                 id="reduce_by-percent-not-fraction"),
    pytest.param(K.REDUCE_BY, "{threshold: 1.46}", "",
                 "a reduce_by criterion needs {relative: ...}",
                 id="reduce_by-no-relative"),
    pytest.param(K.INCREASE_BY, "", "",
                 "an increase_by criterion needs {relative: r} or {absolute: a}",
                 id="increase_by-missing"),
    pytest.param(K.INCREASE_BY, "{relative: 0.1, absolute: 3}", "",
                 "an increase_by criterion needs exactly one of {relative: r} or "
                 "{absolute: a}", id="increase_by-both"),
    pytest.param(K.HOLD_BASELINE, "{tolerance: 1, relative_tolerance: 0.1}", "",
                 "a hold_baseline criterion needs exactly one of {tolerance: t} or "
                 "{relative_tolerance: r}", id="hold_baseline-both"),
    pytest.param(K.HOLD_BASELINE, "{}", "",
                 "a hold_baseline criterion needs exactly one of {tolerance: t} or "
                 "{relative_tolerance: r}", id="hold_baseline-empty"),
    pytest.param(K.HOLD_BASELINE, "{margin: 1}", ".margin",
                 "margin is not a target of a hold_baseline criterion (allowed: "
                 "tolerance, relative_tolerance)", id="hold_baseline-unknown-key"),
    pytest.param(K.EVERY_PERIOD, "{at_least: 3, at_most: 5}", "",
                 "an every_period criterion needs exactly one of {at_least: n} or "
                 "{at_most: n}", id="every_period-both"),
    pytest.param(K.EVERY_PERIOD, "", "",
                 "an every_period criterion needs {at_least: n} or {at_most: n}",
                 id="every_period-missing"),
    pytest.param(K.BELOW_BASELINE, "5", "",
                 "a below_baseline criterion takes no target", id="below_baseline"),
    pytest.param(K.QUALITATIVE, "{number: 1}", "",
                 "a qualitative criterion takes no target", id="qualitative"),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "written", "field", "message"), INVALID)
def test_a_target_that_does_not_fit_its_kind_names_file_line_and_field(
    tmp_path, kind, written, field, message
):
    folder = _folder(tmp_path, kind, written)

    with pytest.raises(PlanFileError) as caught:
        read_plan_folder(folder)

    problems = [str(problem) for problem in caught.value.problems]
    # A target left out is reported at its criterion.
    line = TARGET_LINE if written else CRITERION_LINE
    assert f"{folder / 'plan.yaml'}:{line}: {FIELD}{field}: {message}" in problems


def test_an_unknown_key_and_a_missing_one_are_two_problems(tmp_path):
    folder = _folder(tmp_path, K.RANGE, "{min: 4, maxx: 6}")

    with pytest.raises(PlanFileError) as caught:
        read_plan_folder(folder)

    assert [str(problem) for problem in caught.value.problems] == [
        f"{folder / 'plan.yaml'}:{TARGET_LINE}: {FIELD}: "
        "a range criterion needs {max: ...}",
        f"{folder / 'plan.yaml'}:{TARGET_LINE}: {FIELD}.maxx: "
        "maxx is not a target of a range criterion (allowed: min, max)",
    ]


@pytest.mark.parametrize("kind", list(CriterionKind))
def test_each_kinds_model_takes_the_keys_of_its_core_type(kind):
    model = TARGET_FILES[kind]
    if model is NumberTargetFile:
        assert set(model.model_fields) == {"number"}
        return
    # every key the core writes for this kind is a field of its model
    example = {
        RangeTarget: RangeTarget(D(1), D(2)),
        ReduceByTarget: ReduceByTarget(D("0.1"), D(1)),
        IncreaseByTarget: IncreaseByTarget(D("0.1"), D(1), D(1)),
        HoldBaselineTarget: HoldBaselineTarget(D(1), D(1)),
        type(NO_TARGET): NO_TARGET,
    }.get(TARGET_TYPES[kind])
    if example is None:  # every_period: one key of two
        assert set(model.model_fields) == {"at_least", "at_most"}
        return
    assert set(model.model_fields) == set(target_fields(example))
