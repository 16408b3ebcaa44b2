"""Properties of statistical discretion over random judged criteria and
series: after ``suppress_judged`` and ``suppress_series`` no shown count of
persons is below the threshold, and no hidden count can be worked out from
what is shown (a total minus its shown parts, a baseline from a change)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fremdrift.core.discretion import suppress_judged, suppress_series, suppress_sums
from fremdrift.core.model import (
    Aggregation,
    CriterionKind,
    CriterionSpec,
    DataPoint,
    Flag,
    JudgementContext,
    NoTarget,
    Outcome,
    Period,
    Unit,
    Verdict,
)
from fremdrift.core.plan_model import CriterionInput, JudgedCriterion
from fremdrift.core.report_model import IndicatorSeries

THRESHOLD = 5
YEARS = (2019, 2020, 2021, 2022)
counts = st.integers(min_value=0, max_value=30).map(Decimal)


def _period(year: int) -> Period:
    return Period(str(year), datetime.date(year, 1, 1), datetime.date(year, 12, 31))


def _shown(point: DataPoint) -> Decimal | None:
    return None if Flag.SUPPRESSED in point.flags else point.value


@st.composite
def additive_series(draw: st.DrawFn) -> IndicatorSeries:
    parts = draw(st.lists(counts, min_size=len(YEARS) * 2, max_size=len(YEARS) * 2))
    a, b = parts[: len(YEARS)], parts[len(YEARS) :]

    def points(values: list[Decimal]) -> tuple[DataPoint, ...]:
        return tuple(
            DataPoint(_period(y), v) for y, v in zip(YEARS, values, strict=True)
        )

    return IndicatorSeries(
        slug="placed", name="Anbragte", unit=Unit.COUNT, unit_label="personer",
        source="", measured="", notes=("Fra 2019: 3 -> 4",),
        populations=(
            ("A", points(a)), ("B", points(b)),
            ("A og B", points([x + y for x, y in zip(a, b, strict=True)])),
        ),
        counts_persons=True, additive=True, totals=(("A og B", ("A", "B")),),
    )  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(additive_series())
def test_no_shown_count_is_small_and_no_hidden_part_follows_from_the_total(
    series: IndicatorSeries,
) -> None:
    shown = suppress_series(series, THRESHOLD)
    table = {name: points for name, points in shown.populations}
    for points in table.values():
        for point in points:
            value = _shown(point)
            assert value is None or not 0 < value < THRESHOLD
    for i in range(len(YEARS)):
        cells = [_shown(table[n][i]) for n in ("A", "B", "A og B")]
        hidden = [c is None for c in cells]
        # One hidden cell among a total and its parts is recomputable.
        assert sum(hidden) != 1
    assert not any("3 -> 4" in note for note in shown.notes)


@st.composite
def judged_criteria(draw: st.DrawFn) -> tuple[JudgedCriterion, frozenset[str]]:
    values = draw(st.lists(counts, min_size=1, max_size=len(YEARS)))
    series = tuple(
        DataPoint(_period(y), v) for y, v in zip(YEARS, values, strict=False)
    )
    baseline = DataPoint(_period(2018), draw(counts))
    aggregation = draw(st.sampled_from([Aggregation.LATEST, Aggregation.SUM]))
    judged = sum(values) if aggregation == Aggregation.SUM else values[-1]
    if draw(st.booleans()):  # judged on the change from the baseline
        judged = judged - baseline.value
    hidden = frozenset(draw(st.sets(st.sampled_from([str(y) for y in (2018, *YEARS)]))))
    spec = CriterionSpec(
        kind=CriterionKind.AT_LEAST, target=NoTarget(), unit=Unit.COUNT,
        aggregation=aggregation, baseline=baseline, unit_label="personer",
    )  # fmt: skip
    context = JudgementContext(
        plan_start=datetime.date(2018, 1, 1), plan_end=datetime.date(2022, 12, 31),
        as_of=datetime.date(2023, 6, 1),
    )  # fmt: skip
    numbers = ", ".join(str(v) for v in (baseline.value, *values))
    item = JudgedCriterion(
        criterion=CriterionInput(
            ident="c", level="goal", text="Færre", spec=spec, series=series,
            context=context, counts_persons=True, notes=(f"Tallene: {numbers}",),
        ),
        verdict=Verdict(
            outcome=Outcome.ACHIEVED, judged_value=judged, threshold=baseline.value,
            explanation=f"{judged} personer mod baseline {baseline.value}",
            remarks=(f"Ændring {judged}",),
        ),
    )  # fmt: skip
    return item, hidden


@settings(max_examples=300, deadline=None)
@given(judged_criteria())
def test_a_judged_criterion_shows_no_small_count_and_nothing_to_work_one_out(
    drawn: tuple[JudgedCriterion, frozenset[str]],
) -> None:
    item, hidden = drawn
    raw_points = (*item.criterion.series, item.criterion.spec.baseline)
    result = suppress_judged(item, THRESHOLD, hidden)
    criterion, verdict = result.criterion, result.verdict
    points = (*criterion.series, criterion.spec.baseline)
    secret = []
    for raw, point in zip(raw_points, points, strict=True):
        assert point is not None and raw is not None
        value = _shown(point)
        assert value is None or not 0 < value < THRESHOLD
        if raw.period.code in hidden or 0 < (raw.value or 0) < THRESHOLD:
            assert value is None
            secret.append(raw.value)
    assert verdict.outcome == item.verdict.outcome
    judged = verdict.judged_value
    assert judged is None or not 0 < judged < THRESHOLD
    if secret:
        # Shown only when it is itself a shown value: then neither a sum
        # nor a change gives a hidden value back.
        assert judged is None or judged in {_shown(p) for p in criterion.series}
        assert verdict.explanation and "mod baseline" not in verdict.explanation
        assert verdict.remarks == ()
        assert all(
            str(v) not in n.split(": ")[-1].split(", ")
            for v in secret
            for n in criterion.notes
        )
    if _shown(criterion.spec.baseline) is None:  # type: ignore[arg-type]
        assert verdict.threshold is None


# Activities and their sub-activities as sums: a total and its parts, one
# level ("A" = "B" + "C") or two ("A" = "B" + "C", "B" = "D" + "E"), or a
# total with one part (an activity with one sub-activity).
SUM_SHAPES = (
    (("A", ("B", "C")),),
    (("A", ("B", "C", "D")),),
    (("A", ("B", "C")), ("B", ("D", "E"))),
    (("A", ("B",)),),
)
figures = st.one_of(st.none(), st.integers(min_value=0, max_value=15).map(Decimal))


def _small(value: Decimal | None) -> bool:
    return value is not None and 0 < value < THRESHOLD


def _remainder(
    values: dict[str, Decimal | None], total: str, parts: tuple[str, ...]
) -> Decimal | None:
    members = [values[total], *(values[p] for p in parts)]
    if any(m is None for m in members):
        return None
    return values[total] - sum((values[p] for p in parts), Decimal(0))  # type: ignore[operator]


def _learned(
    values: dict[str, Decimal | None],
    sums: tuple[tuple[str, tuple[str, ...]], ...],
    hidden: frozenset[str],
) -> tuple[set[str], set[int]]:
    """What a reader works out by repeated subtraction from the printed
    values: the hidden cells and the remainders (by sum) it learns. The
    reader is taken to know every remainder that is not small (an
    activity with no registrations of its own has 0)."""
    known = {k for k, v in values.items() if k not in hidden and v is not None}
    rems = {
        i for i, (t, ps) in enumerate(sums) if not _small(_remainder(values, t, ps))
    }
    changed = True
    while changed:
        changed = False
        for i, (total, parts) in enumerate(sums):
            members = [total, *parts]
            unknown = [m for m in members if m not in known]
            if not unknown and i not in rems:
                rems.add(i)
                changed = True
            elif len(unknown) == 1 and i in rems and values[unknown[0]] is not None:
                known.add(unknown[0])
                changed = True
    small_rems = {
        i for i, (t, ps) in enumerate(sums) if _small(_remainder(values, t, ps))
    }
    return known & hidden, rems & small_rems


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(SUM_SHAPES), st.data())
def test_no_hidden_figure_of_an_activity_follows_from_its_printed_total_and_parts(
    sums: tuple[tuple[str, tuple[str, ...]], ...], data: st.DataObject
) -> None:
    keys = sorted({k for total, parts in sums for k in (total, *parts)})
    values = {k: data.draw(figures, label=k) for k in keys}

    hidden = suppress_sums(values, sums, THRESHOLD)

    assert hidden <= {k for k, v in values.items() if v is not None}
    assert all(k in hidden for k, v in values.items() if _small(v))
    assert all(not _small(v) for k, v in values.items() if k not in hidden)
    assert _learned(values, sums, hidden) == (set(), set())
    if not any(_small(v) for v in values.values()) and not any(
        _small(_remainder(values, t, ps)) for t, ps in sums
    ):
        assert hidden == frozenset()


@pytest.mark.parametrize(
    ("total", "parts", "hidden"),
    [
        # One part hidden: the next smallest above 0 goes with it.
        ("20", ("3", "7", "10"), {"B", "C"}),
        # Two parts hidden already: nothing to add.
        ("20", ("3", "4", "13"), {"B", "C"}),
        # A part of 0 is passed over for one above 0.
        ("20", ("3", "0", "17"), {"B", "D"}),
        # Only zeros beside it: the total goes instead.
        ("8", ("3", "0", "0"), {"A", "B"}),
        # The activity's own 3 follow from 20 - 9 - 8: a part goes.
        ("20", ("9", "8", "0"), {"C"}),
        # Nothing small, and the remainder (0) is not either.
        ("20", ("5", "7", "8"), set()),
        # Exactly at the threshold: shown.
        ("15", ("5", "10", "0"), set()),
    ],
)
def test_a_total_and_its_parts_hide_what_would_give_a_small_count_back(
    total: str, parts: tuple[str, ...], hidden: set[str]
) -> None:
    names = ("B", "C", "D")[: len(parts)]
    values = {"A": Decimal(total), **dict(zip(names, map(Decimal, parts), strict=True))}
    assert suppress_sums(values, (("A", names),), THRESHOLD) == hidden
