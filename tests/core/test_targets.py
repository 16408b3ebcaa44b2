"""A criterion's target: one type per kind, and the one mapping between the
core types, the plan.yaml form, the stored JSON and the verdict record."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fremdrift.core.model import (
    NO_TARGET,
    Better,
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
    TargetError,
    default_better,
    target_from_file,
    target_from_json,
    target_record,
    target_to_file,
    target_to_json,
)

K = CriterionKind
D = Decimal

# kind, plan.yaml form, core value, stored JSON, verdict record
ROUND_TRIPS = [
    pytest.param(K.AT_LEAST, D(80), NumberTarget(D(80)), {"number": "80"}, 80,
                 id="at_least"),
    pytest.param(K.AT_MOST, D("8.2"), NumberTarget(D("8.2")), {"number": "8.2"},
                 8.2, id="at_most"),
    pytest.param(K.SHARE_AT_LEAST, D("43.0"), NumberTarget(D("43.0")),
                 {"number": "43"}, 43, id="share_at_least"),
    pytest.param(K.REDUCE_TO, D(8), NumberTarget(D(8)), {"number": "8"}, 8,
                 id="reduce_to"),
    pytest.param(K.INCREASE_TO, D(60), NumberTarget(D(60)), {"number": "60"}, 60,
                 id="increase_to"),
    pytest.param(K.RANGE, {"min": D(24), "max": D(40)}, RangeTarget(D(24), D(40)),
                 {"min": "24", "max": "40"}, {"min": 24, "max": 40}, id="range"),
    pytest.param(K.REDUCE_BY, {"relative": D("0.1")}, ReduceByTarget(D("0.1")),
                 {"relative": "0.1"}, {"relative": 0.1}, id="reduce_by"),
    pytest.param(K.REDUCE_BY, {"threshold": D("1.46"), "relative": D("0.333")},
                 ReduceByTarget(D("0.333"), D("1.46")),
                 {"relative": "0.333", "threshold": "1.46"},
                 {"relative": 0.333, "threshold": 1.46},
                 id="reduce_by-with-printed-threshold"),
    pytest.param(K.INCREASE_BY, {"relative": D("0.25")},
                 IncreaseByTarget(relative=D("0.25")), {"relative": "0.25"},
                 {"relative": 0.25}, id="increase_by-relative"),
    pytest.param(K.INCREASE_BY, {"absolute": D(3)}, IncreaseByTarget(absolute=D(3)),
                 {"absolute": "3"}, {"absolute": 3}, id="increase_by-absolute"),
    pytest.param(K.HOLD_BASELINE, {"tolerance": D("1.0")},
                 HoldBaselineTarget(tolerance=D("1.0")), {"tolerance": "1"},
                 {"tolerance": 1}, id="hold_baseline-tolerance"),
    pytest.param(K.HOLD_BASELINE, {"tolerance": D(0)},
                 HoldBaselineTarget(tolerance=D(0)), {"tolerance": "0"},
                 {"tolerance": 0}, id="hold_baseline-zero-tolerance"),
    pytest.param(K.HOLD_BASELINE, {"relative_tolerance": D("0.1")},
                 HoldBaselineTarget(relative_tolerance=D("0.1")),
                 {"relative_tolerance": "0.1"}, {"relative_tolerance": 0.1},
                 id="hold_baseline-relative"),
    pytest.param(K.HOLD_BASELINE, None, HoldBaselineTarget(), {}, None,
                 id="hold_baseline-exactly"),
    pytest.param(K.EVERY_PERIOD, {"at_least": D(3)},
                 EveryPeriodTarget("at_least", D(3)), {"at_least": "3"},
                 {"at_least": 3}, id="every_period-at_least"),
    pytest.param(K.EVERY_PERIOD, {"at_most": D(2)},
                 EveryPeriodTarget("at_most", D(2)), {"at_most": "2"},
                 {"at_most": 2}, id="every_period-at_most"),
    pytest.param(K.BELOW_BASELINE, None, NO_TARGET, {}, None, id="below_baseline"),
    pytest.param(K.ABOVE_BASELINE, None, NO_TARGET, {}, None, id="above_baseline"),
    pytest.param(K.QUALITATIVE, None, NO_TARGET, {}, None, id="qualitative"),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "file", "core", "json", "record"), ROUND_TRIPS)
def test_a_target_maps_from_the_file_to_the_core_to_json_and_back(
    kind, file, core, json, record
):
    target = target_from_file(kind, file)

    assert target == core
    assert isinstance(target, TARGET_TYPES[kind])
    assert target_to_json(target) == json
    assert list(target_to_json(target)) == list(json)  # the plan format's order
    assert target_from_json(kind, target_to_json(target)) == target
    assert target_record(target) == record


@pytest.mark.parametrize(("kind", "file", "core", "json", "record"), ROUND_TRIPS)
def test_a_dumped_target_is_written_as_plan_yaml_writes_it(
    kind, file, core, json, record
):
    written = target_to_file(target_from_json(kind, json))

    assert target_from_file(kind, written) == target_from_json(kind, json)
    if isinstance(file, dict):
        assert list(written) == [key for key in json]  # the plan format's order
    else:
        assert written == file


def test_every_kind_takes_one_target_type():
    assert set(TARGET_TYPES) == set(CriterionKind)
    covered = {param.values[0] for param in ROUND_TRIPS}
    assert covered == set(CriterionKind)


@pytest.mark.parametrize(
    ("kind", "better"),
    [
        (K.AT_LEAST, Better.HIGHER),
        (K.AT_MOST, Better.LOWER),
        (K.RANGE, Better.HIGHER),
        (K.SHARE_AT_LEAST, Better.HIGHER),
        (K.REDUCE_BY, Better.LOWER),
        (K.INCREASE_BY, Better.HIGHER),
        (K.REDUCE_TO, Better.LOWER),
        (K.INCREASE_TO, Better.HIGHER),
        (K.BELOW_BASELINE, Better.LOWER),
        (K.ABOVE_BASELINE, Better.HIGHER),
        (K.HOLD_BASELINE, Better.NONE),
        (K.EVERY_PERIOD, Better.HIGHER),
        (K.QUALITATIVE, Better.HIGHER),
    ],
)
def test_each_kind_has_a_default_direction(kind, better):
    assert default_better(kind) is better


@pytest.mark.parametrize(
    ("kind", "stored", "message"),
    [
        pytest.param(K.AT_LEAST, {}, "needs target.number", id="number-missing"),
        pytest.param(K.RANGE, {"min": "4"}, "needs target.max", id="range-max"),
        pytest.param(
            K.AT_LEAST,
            {"number": "4", "min": "2"},
            "min is not a target of a at_least criterion",
            id="extra-key",
        ),
        pytest.param(
            K.QUALITATIVE,
            {"number": "1"},
            "number is not a target of a qualitative criterion",
            id="no-target-kind",
        ),
        pytest.param(
            K.EVERY_PERIOD,
            {"at_least": "1", "at_most": "3"},
            "exactly one of",
            id="every-period-both",
        ),
        pytest.param(K.REDUCE_BY, {"relative": "x"}, "not a number", id="text"),
    ],
)
def test_stored_json_that_does_not_fit_the_kind_is_refused(kind, stored, message):
    with pytest.raises(TargetError, match=message):
        target_from_json(kind, stored)


# Plan targets are far below 10^12; beyond 28 significant digits Decimal's
# default context rounds, which no plan reaches.
numbers = st.decimals(
    min_value=-(10**12),
    max_value=10**12,
    allow_nan=False,
    allow_infinity=False,
    places=4,
)


@given(minimum=numbers, maximum=numbers, relative=numbers, threshold=numbers)
def test_json_round_trips_any_finite_numbers(minimum, maximum, relative, threshold):
    for kind, target in [
        (K.RANGE, RangeTarget(minimum, maximum)),
        (K.REDUCE_BY, ReduceByTarget(relative, threshold)),
        (K.INCREASE_BY, IncreaseByTarget(absolute=relative, threshold=threshold)),
        (K.EVERY_PERIOD, EveryPeriodTarget("at_most", minimum)),
    ]:
        assert target_from_json(kind, target_to_json(target)) == target
