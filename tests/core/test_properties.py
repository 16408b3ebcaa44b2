"""Properties of the core that must hold for every input, not just the table.

Values are bounded ``Decimal``s with few places, the shape report figures
have; NaN and infinities are never judged (see ``point_value``).
"""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fremdrift.core.criteria import judge
from fremdrift.core.model import (
    NO_TARGET,
    Better,
    CriterionKind,
    CriterionSpec,
    DataPoint,
    EveryPeriodTarget,
    HoldBaselineTarget,
    IncreaseByTarget,
    JudgementContext,
    NumberTarget,
    Outcome,
    RangeTarget,
    ReduceByTarget,
    Unit,
)
from fremdrift.core.periods import parse_period
from fremdrift.core.text_da import format_number

K = CriterionKind
ENDED = JudgementContext(
    plan_start=date(2017, 6, 1), plan_end=date(2021, 6, 30), as_of=date(2022, 3, 1)
)
BASELINE = DataPoint(period=parse_period("2016"), value=Decimal("0"))


def amounts(low: int = 0, high: int = 10_000, places: int = 2):
    return st.decimals(
        min_value=low,
        max_value=high,
        places=places,
        allow_nan=False,
        allow_infinity=False,
    )


def outcome_of(spec: CriterionSpec, value: Decimal) -> Outcome:
    point = DataPoint(period=parse_period("2021"), value=value)
    return judge(spec, [point], ENDED).outcome


def with_baseline(value: Decimal) -> DataPoint:
    return DataPoint(period=BASELINE.period, value=value)


def directed(kind, target, better=Better.HIGHER, unit=Unit.PERCENT):
    def build(number: Decimal, baseline: Decimal) -> CriterionSpec:
        return CriterionSpec(
            kind=kind,
            target=target(number),
            unit=unit,
            better=better,
            baseline=with_baseline(baseline),
        )

    return build


# (build(number, baseline) -> spec, +1 when higher is better, -1 when lower)
DIRECTED_KINDS = [
    pytest.param(directed(K.AT_LEAST, lambda n: NumberTarget(n)), 1, id="at_least"),
    pytest.param(directed(K.AT_MOST, lambda n: NumberTarget(n)), -1, id="at_most"),
    pytest.param(
        directed(K.SHARE_AT_LEAST, lambda n: NumberTarget(n)), 1, id="share_at_least"
    ),
    pytest.param(
        directed(K.REDUCE_BY, lambda n: ReduceByTarget(n / 10_000)),
        -1,
        id="reduce_by",
    ),
    pytest.param(
        directed(K.INCREASE_BY, lambda n: IncreaseByTarget(relative=n / 10_000)),
        1,
        id="increase_by-relative",
    ),
    pytest.param(
        directed(K.INCREASE_BY, lambda n: IncreaseByTarget(absolute=n)),
        1,
        id="increase_by-absolute",
    ),
    pytest.param(directed(K.REDUCE_TO, lambda n: NumberTarget(n)), -1, id="reduce_to"),
    pytest.param(
        directed(K.INCREASE_TO, lambda n: NumberTarget(n)), 1, id="increase_to"
    ),
    pytest.param(directed(K.BELOW_BASELINE, lambda n: NO_TARGET), -1, id="below"),
    pytest.param(directed(K.ABOVE_BASELINE, lambda n: NO_TARGET), 1, id="above"),
    pytest.param(
        directed(
            K.HOLD_BASELINE,
            lambda n: HoldBaselineTarget(tolerance=n),
            better=Better.LOWER,
        ),
        -1,
        id="hold_baseline-lower",
    ),
    pytest.param(
        directed(
            K.HOLD_BASELINE,
            lambda n: HoldBaselineTarget(relative_tolerance=n / 10_000),
            better=Better.HIGHER,
        ),
        1,
        id="hold_baseline-higher",
    ),
    pytest.param(
        directed(
            K.EVERY_PERIOD,
            lambda n: EveryPeriodTarget("at_least", n),
            unit=Unit.COUNT,
        ),
        1,
        id="every_period-at_least",
    ),
]


@pytest.mark.parametrize(("build", "direction"), DIRECTED_KINDS)
@given(number=amounts(), baseline=amounts(), value=amounts(), step=amounts())
def test_a_verdict_never_flips_to_not_achieved_when_the_value_improves(
    build, direction, number, baseline, value, step
):
    spec = build(number, baseline)
    before = outcome_of(spec, value)
    after = outcome_of(spec, value + direction * step)
    assert not (before is Outcome.ACHIEVED and after is Outcome.NOT_ACHIEVED)
    assert before in (Outcome.ACHIEVED, Outcome.NOT_ACHIEVED)


@given(
    minimum=amounts(),
    width=amounts(),
    first=amounts(high=30_000),
    second=amounts(high=30_000),
)
def test_range_verdict_is_monotone_in_the_value(minimum, width, first, second):
    spec = CriterionSpec(
        kind=K.RANGE,
        target=RangeTarget(minimum, minimum + width),
        unit=Unit.COUNT,
    )
    low, high = sorted((first, second))
    rank = {Outcome.NOT_ACHIEVED: 0, Outcome.ACHIEVED: 1}
    assert rank[outcome_of(spec, low)] <= rank[outcome_of(spec, high)]
    assert (outcome_of(spec, low) is Outcome.ACHIEVED) == (low >= minimum)


@given(baseline=amounts(), relative=amounts(high=1), value=amounts())
def test_reduce_by_agrees_with_at_most_on_the_derived_threshold(
    baseline, relative, value
):
    reduce_by = CriterionSpec(
        kind=K.REDUCE_BY,
        target=ReduceByTarget(relative),
        unit=Unit.PERCENT,
        baseline=with_baseline(baseline),
    )
    threshold = baseline * (1 - relative)
    at_most = CriterionSpec(
        kind=K.AT_MOST, target=NumberTarget(threshold), unit=Unit.PERCENT
    )
    verdict = judge(reduce_by, [DataPoint(parse_period("2021"), value)], ENDED)
    assert verdict.threshold == threshold
    assert verdict.outcome is outcome_of(at_most, value)


@given(
    baseline=amounts(),
    change=amounts(high=100),
    relative=st.booleans(),
    value=amounts(high=20_000),
)
def test_increase_by_agrees_with_at_least_on_the_derived_threshold(
    baseline, change, relative, value
):
    if relative:
        target = IncreaseByTarget(relative=change)
        threshold = baseline * (1 + change)
    else:
        target = IncreaseByTarget(absolute=change)
        threshold = baseline + change
    increase_by = CriterionSpec(
        kind=K.INCREASE_BY,
        target=target,
        unit=Unit.PERCENT,
        baseline=with_baseline(baseline),
    )
    at_least = CriterionSpec(
        kind=K.AT_LEAST, target=NumberTarget(threshold), unit=Unit.PERCENT
    )
    verdict = judge(increase_by, [DataPoint(parse_period("2021"), value)], ENDED)
    assert verdict.threshold == threshold
    assert verdict.outcome is outcome_of(at_least, value)


@given(
    st.integers(min_value=0, max_value=6).flatmap(
        lambda places: amounts(low=-(10**9), high=10**9, places=places)
    )
)
def test_format_number_round_trips(value):
    text = format_number(value)
    assert not text.startswith("-0") or text.startswith("-0,")
    assert text != "-0"
    assert "E" not in text
    assert Decimal(text.replace(".", "").replace(",", ".")) == value


years = st.integers(min_value=1900, max_value=2100)
days = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))
period_codes = st.one_of(
    years.map(str),
    years.map(lambda y: f"{y}/{(y + 1) % 100:02d}"),
    st.tuples(years, years).map(lambda ys: "{}-{}".format(*sorted(ys))),
    st.tuples(years, st.integers(1, 4)).map(lambda t: f"{t[0]}K{t[1]}"),
    st.tuples(years, st.integers(1, 12)).map(lambda t: f"{t[0]}M{t[1]:02d}"),
    st.tuples(years, st.integers(1, 3)).map(lambda t: f"{t[0]}T{t[1]}"),
    days.map(date.isoformat),
    st.tuples(days, days).map(
        lambda ds: "{}..{}".format(*(d.isoformat() for d in sorted(ds)))
    ),
)


@given(period_codes)
def test_parsed_period_starts_no_later_than_it_ends(code):
    period = parse_period(code)
    assert period.code == code
    assert period.start <= period.end
