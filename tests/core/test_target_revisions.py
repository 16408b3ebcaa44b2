"""A revised target keeps the target it replaced: which target is in force
on a day, the verdict judged on it, and the sentence a report prints."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fremdrift.core.criteria import judge
from fremdrift.core.i18n import use_language
from fremdrift.core.model import (
    CriterionKind,
    CriterionSpec,
    DataPoint,
    JudgementContext,
    NumberTarget,
    Outcome,
    Period,
    RangeTarget,
    TargetChange,
    Unit,
)
from fremdrift.core.plan_model import CriterionInput, judge_one
from fremdrift.core.report_blocks import criterion_row, describe_target_change
from fremdrift.core.targets import changes_in_force, judging_day, target_in_force

D = Decimal
FIRST = TargetChange(
    date(2020, 3, 1), NumberTarget(D(48)), NumberTarget(D(40)), "Færre familier."
)
SECOND = TargetChange(
    date(2021, 1, 1), NumberTarget(D(40)), NumberTarget(D(44)), "Nyt område."
)


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        pytest.param(date(2020, 2, 29), D(48), id="the-day-before-the-first"),
        pytest.param(date(2020, 3, 1), D(40), id="exactly-on-its-day"),
        pytest.param(date(2020, 12, 31), D(40), id="between-the-two"),
        pytest.param(date(2021, 1, 1), D(44), id="on-the-second"),
        pytest.param(date(2030, 1, 1), D(44), id="long-after"),
    ],
)
def test_the_target_in_force_is_the_latest_revision_from_that_day(as_of, expected):
    # Given out of order: the day decides, not the order of the list.
    found = target_in_force([SECOND, FIRST], as_of, current=NumberTarget(D(44)))
    assert found == NumberTarget(expected)


def test_without_revisions_the_criterions_own_target_is_in_force():
    current = RangeTarget(D(24), D(40))
    assert target_in_force([], date(2020, 1, 1), current=current) is current


def test_changes_in_force_leave_out_a_revision_from_a_later_day():
    assert changes_in_force([SECOND, FIRST], date(2020, 6, 1)) == (FIRST,)
    assert changes_in_force([SECOND, FIRST], date(2021, 1, 1)) == (FIRST, SECOND)
    assert changes_in_force([FIRST], date(2020, 2, 29)) == ()


def test_the_judging_day_is_no_later_than_the_end_of_the_period():
    end = date(2021, 12, 31)
    assert judging_day(date(2026, 1, 1), end) == end  # final, after the end
    assert judging_day(date(2020, 4, 30), end) == date(2020, 4, 30)  # progress


days = st.dates(min_value=date(2017, 1, 1), max_value=date(2025, 12, 31))


@st.composite
def revision_chains(draw):
    """A chain of revisions on distinct days, each starting from the
    target the one before it set."""
    when = sorted(draw(st.sets(days, min_size=1, max_size=5)))
    numbers = draw(
        st.lists(
            st.integers(min_value=1, max_value=500),
            min_size=len(when) + 1,
            max_size=len(when) + 1,
        )
    )
    chain = [
        TargetChange(day, NumberTarget(D(before)), NumberTarget(D(after)), "Grund.")
        for day, before, after in zip(when, numbers, numbers[1:], strict=False)
    ]
    return chain, NumberTarget(D(numbers[-1]))


@given(revision_chains(), days)
def test_a_revision_never_overrides_the_target_before_its_day(chain_current, as_of):
    chain, current = chain_current
    found = target_in_force(chain, as_of, current=current)
    earlier = [change for change in chain if change.in_force_from <= as_of]
    if not earlier:
        # Before the first revision the original target still holds.
        assert found == chain[0].previous
    else:
        assert found == earlier[-1].target
    # Every target the criterion ever had is still told by the chain.
    assert [c.previous for c in chain][1:] == [c.target for c in chain][:-1]
    # Far enough on, the criterion's own target is the one in force.
    assert target_in_force(chain, date(2030, 1, 1), current=current) == current


@given(revision_chains(), days, st.integers(min_value=0, max_value=600))
def test_the_verdict_is_judged_on_the_target_in_force(chain_current, as_of, value):
    chain, current = chain_current
    target = target_in_force(chain, as_of, current=current)
    spec = CriterionSpec(kind=CriterionKind.AT_LEAST, target=target, unit=Unit.COUNT)
    series = (
        DataPoint(Period("2017-21", date(2017, 1, 1), date(2021, 12, 31)), D(value)),
    )
    context = JudgementContext(date(2017, 1, 1), date(2021, 12, 31), date(2022, 6, 1))
    verdict = judge(spec, series, context)
    achieved = D(value) >= target.number
    assert verdict.outcome == (Outcome.ACHIEVED if achieved else Outcome.NOT_ACHIEVED)


def _spec(kind=CriterionKind.AT_LEAST, unit=Unit.COUNT, label="familier"):
    return CriterionSpec(
        kind=kind, target=NumberTarget(D(40)), unit=unit, unit_label=label
    )


def test_the_sentence_tells_old_and_new_target_the_day_and_the_reason():
    sentence = describe_target_change(_spec(), FIRST)
    assert sentence == (
        "Målet blev ændret fra 48 til 40 familier den 1. marts 2020: Færre familier."
    )


def test_the_sentence_in_english_comes_from_the_catalogue():
    with use_language("en"):
        sentence = describe_target_change(_spec(), FIRST)
    assert sentence == (
        "The target was changed from 48 to 40 familier on 1 March 2020: Færre familier."
    )


def test_a_share_is_told_in_percent_on_both_sides():
    change = TargetChange(
        date(2019, 1, 1), NumberTarget(D(80)), NumberTarget(D("72.5")), "Ny regel."
    )
    spec = _spec(CriterionKind.SHARE_AT_LEAST, Unit.PERCENT, "")
    assert describe_target_change(spec, change) == (
        "Målet blev ændret fra 80 % til 72,5 % den 1. januar 2019: Ny regel."
    )


def test_a_range_is_told_as_its_description():
    change = TargetChange(
        date(2019, 1, 1), RangeTarget(D(24), D(40)), RangeTarget(D(20), D(40)), "Færre."
    )
    spec = CriterionSpec(
        kind=CriterionKind.RANGE,
        target=change.target,
        unit=Unit.COUNT,
        unit_label="unge",
    )
    assert describe_target_change(spec, change) == (
        "Målet blev ændret fra 24-40 unge til 20-40 unge den 1. januar 2019: Færre."
    )


def test_a_report_row_prints_a_sentence_per_revision_in_force():
    spec = _spec()
    item = CriterionInput(
        ident="fam",
        level="activity",
        text="40 familier deltager",
        spec=spec,
        series=(
            DataPoint(Period("2017-21", date(2017, 1, 1), date(2021, 12, 31)), D(42)),
        ),
        context=JudgementContext(
            date(2017, 1, 1), date(2021, 12, 31), date(2021, 12, 31) + timedelta(1)
        ),
        target_changes=(FIRST,),
    )
    row = criterion_row(judge_one(item))
    assert row.target == "mindst 40 familier"
    assert row.outcome == Outcome.ACHIEVED
    assert row.target_changes == (
        "Målet blev ændret fra 48 til 40 familier den 1. marts 2020: Færre familier.",
    )
