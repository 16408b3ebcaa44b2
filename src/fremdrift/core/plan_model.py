"""The plan's criteria as the core sees them: what to judge, on which
values, and where the criterion sits in the plan."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .criteria import judge
from .model import (
    CriterionSpec,
    DataPoint,
    JudgementContext,
    Outcome,
    TargetChange,
    Verdict,
)
from .targets import target_record
from .uncertainty import (
    NO_STATISTICS,
    TEAM_SETTINGS,
    CriterionStatistics,
    UncertaintySettings,
    criterion_statistics,
    statistics_record,
)


@dataclass(frozen=True, slots=True)
class CriterionInput:
    """One criterion with its place in the plan and the values to judge.

    ``level`` is "goal", "effort_area" or "activity"; ``goal``,
    ``effort_area`` and ``activity`` hold the owners' names (the effort area
    is set for activity criteria too; ``parent_activity`` for a
    sub-activity's criteria). ``reported_outcome`` is the verdict the
    report itself printed, kept only for comparison.

    For a count criterion measured from registrations while it runs:
    ``registrations`` holds one date per unit the measure counts in
    ``forecast_window`` (start, end) up to the day of judgement, and
    ``session_months`` the calendar months in which the activity held
    sessions so far (None when it holds none), for its forecast
    (``uncertainty.criterion_forecast``).
    """

    ident: str
    level: str
    text: str
    spec: CriterionSpec
    series: tuple[DataPoint, ...]
    context: JudgementContext
    goal: str | None = None
    effort_area: str | None = None
    activity: str | None = None
    parent_activity: str | None = None
    own_defined: bool = False
    counts_persons: bool = False
    reported_outcome: Outcome | None = None
    notes: tuple[str, ...] = ()
    source: str = ""
    registrations: tuple[date, ...] | None = None
    forecast_window: tuple[date, date] | None = None
    session_months: frozenset[int] | None = None
    # The indicator (slug) and population (name) a bound criterion is
    # judged on, so a report can draw its target on the indicator's chart.
    indicator: str = ""
    population: str = ""
    # (indicator slug, population name) when bound to an indicator that
    # counts persons: its table's discretion applies to the criterion.
    person_cell: tuple[str, str] | None = None
    # The revisions of the target in force by the judging day, oldest
    # first; ``spec.target`` is the target in force that day
    # (``targets.target_in_force``).
    target_changes: tuple[TargetChange, ...] = ()


@dataclass(frozen=True, slots=True)
class JudgedCriterion:
    """A criterion and the verdict the core reached on it, with what the
    statistics say about it (its change, thin data, its forecast)."""

    criterion: CriterionInput
    verdict: Verdict
    statistics: CriterionStatistics = NO_STATISTICS

    @property
    def agrees_with_report(self) -> bool | None:
        """Whether the computed outcome is the one the report printed; None
        when the report printed none."""
        reported = self.criterion.reported_outcome
        if reported is None:
            return None
        return reported == self.verdict.outcome


def judge_one(
    item: CriterionInput, settings: UncertaintySettings = TEAM_SETTINGS
) -> JudgedCriterion:
    """Judge one criterion, and add what the statistics say about the
    verdict (``uncertainty.criterion_statistics``)."""
    verdict, statistics = criterion_statistics(
        item.spec,
        item.series,
        judge(item.spec, item.series, item.context),
        item.context,
        registrations=item.registrations,
        window=item.forecast_window,
        session_months=item.session_months,
        counts_persons=item.counts_persons,
        settings=settings,
    )
    return JudgedCriterion(item, verdict, statistics)


def judge_all(
    inputs: Iterable[CriterionInput], settings: UncertaintySettings = TEAM_SETTINGS
) -> list[JudgedCriterion]:
    """Judge every criterion; order is kept. ``settings``: the thin-data
    threshold, the level, and the discretion a reader outside the team
    gets (``uncertainty.UncertaintySettings``)."""
    return [judge_one(item, settings) for item in inputs]


def count_outcomes(judged: Sequence[JudgedCriterion]) -> Counter[Outcome]:
    """How many criteria reached each outcome."""
    return Counter(item.verdict.outcome for item in judged)


def _plain_number(value: Decimal | None) -> int | float | None:
    """A Decimal as the JSON number a reader expects: 111, 8.2."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def verdict_record(item: JudgedCriterion) -> dict[str, object]:
    """One criterion and its verdict as plain JSON-ready values: the
    ``fremdrift verdicts --format json`` contract (docs/cli.md)."""
    criterion, verdict = item.criterion, item.verdict
    baseline = criterion.spec.baseline
    return {
        "id": criterion.ident,
        "level": criterion.level,
        "goal": criterion.goal,
        "effort_area": criterion.effort_area,
        "activity": criterion.activity,
        "parent_activity": criterion.parent_activity,
        "text": criterion.text,
        "own_defined": criterion.own_defined,
        "kind": criterion.spec.kind.value,
        "unit": criterion.spec.unit.value,
        "aggregation": criterion.spec.aggregation.value,
        "baseline": None
        if baseline is None
        else {
            "value": _plain_number(baseline.value),
            "period": baseline.period.code or None,
        },
        "target": target_record(criterion.spec.target),
        "threshold": _plain_number(verdict.threshold),
        "achieved": _plain_number(verdict.judged_value),
        "verdict": verdict.outcome.value,
        "pace": verdict.pace.value if verdict.pace else None,
        "within_chance": verdict.within_chance,
        "explanation": verdict.explanation,
        "remarks": list(verdict.remarks),
        "period_outcomes": [
            {"period": code, "verdict": outcome.value}
            for code, outcome in verdict.period_outcomes
        ],
        "reported_verdict": criterion.reported_outcome.value
        if criterion.reported_outcome
        else None,
        "agrees_with_report": item.agrees_with_report,
        **statistics_record(item.statistics),
    }
