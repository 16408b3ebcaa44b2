"""Reads that turn the plan's rows into the core's plain values."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import replace
from decimal import Decimal

from django.db.models import prefetch_related_objects
from django.utils import timezone, translation

from fremdrift.base.freshness import data_key, stored
from fremdrift.core.i18n import get_language as core_language
from fremdrift.core.measures import (
    MEASURE_UNITS,
    PERSON_MEASURES,
    MeasureFilter,
    MeasureKind,
    window_periods,
)
from fremdrift.core.model import (
    Aggregation,
    Better,
    CriterionKind,
    CriterionSpec,
    DataPoint,
    Flag,
    JudgementContext,
    Outcome,
    Period,
    Target,
    TargetChange,
    Unit,
)
from fremdrift.core.periods import parse_period
from fremdrift.core.plan_model import CriterionInput, JudgedCriterion, judge_all
from fremdrift.core.targets import (
    changes_in_force,
    default_better,
    judging_day,
    target_from_json,
    target_in_force,
)
from fremdrift.core.uncertainty import TEAM_SETTINGS, UncertaintySettings
from fremdrift.plans.models import Activity, Criterion, Plan
from fremdrift.registrations.measures import event_dates, measure, session_months
from fremdrift.statistics.models import Observation


def _flags(values: list[str]) -> frozenset[Flag]:
    return frozenset(Flag(v) for v in values)


def _better(criterion: Criterion) -> Better:
    if criterion.better:
        return Better(criterion.better)
    if criterion.indicator is not None:
        return Better(criterion.indicator.better)
    return default_better(CriterionKind(criterion.kind))


def _observation_point(observation: Observation) -> DataPoint:
    return DataPoint(
        period=Period(
            observation.period, observation.period_start, observation.period_end
        ),
        value=observation.value,
        numerator=observation.numerator,
        denominator=observation.denominator,
        note=observation.note,
        flags=_flags(observation.flags),
    )


def _context(
    criterion: Criterion, plan: Plan, as_of: datetime.date
) -> JudgementContext:
    activity: Activity | None = criterion.activity
    if activity is not None:
        return JudgementContext(
            plan_start=activity.period_start(plan),
            plan_end=activity.period_end(plan),
            as_of=as_of,
        )
    return JudgementContext(plan_start=plan.start, plan_end=plan.end, as_of=as_of)


def criterion_inputs(*, plan: Plan, as_of: datetime.date) -> list[CriterionInput]:
    """Every criterion of ``plan`` with the values it is judged on.

    Only values whose period has ended by ``as_of`` are used: a report
    "as of" a day shows what could be known that day.

    A criterion bound to an indicator is judged on that indicator's
    observations for its population: those inside the criterion's
    ``period`` when it has one, else those after the baseline period (the
    baseline itself is the starting point, not a result). A baseline with a
    period and no value is read from the same observations. Other criteria
    are judged on their reported values.
    """
    criteria = _plan_criteria(plan)
    observations, denominator_of = _bound_observations(plan, criteria)
    forecasts = _ForecastInputs(plan, as_of, criteria)
    inputs: list[CriterionInput] = []
    for criterion in criteria:
        series, baseline = _criterion_values(
            criterion, plan, as_of, observations, denominator_of
        )
        context = _context(criterion, plan, as_of)
        day = judging_day(as_of, context.plan_end)
        changes = _target_changes(criterion)
        current = target_from_json(CriterionKind(criterion.kind), criterion.target)
        inputs.append(
            _criterion_input(
                criterion,
                spec=_spec(
                    criterion,
                    baseline,
                    target_in_force(changes, day, current=current),
                ),
                series=series,
                context=context,
                forecasts=forecasts,
                target_changes=changes_in_force(changes, day),
            )
        )
    return inputs


def _plan_criteria(plan: Plan) -> list[Criterion]:
    criteria = list(
        Criterion.objects.filter(plan=plan)
        .select_related(
            "goal",
            "effort_area",
            "activity__parent",
            "activity__effort_area",
            "indicator",
            "population",
        )
        .prefetch_related("reported_values", "target_revisions")
        .order_by("order")
    )
    # Each measure counts the activity's sub-activities too (activity_ids):
    # read at once for the measured criteria, none for a plan without.
    prefetch_related_objects(
        [c.activity for c in criteria if c.measure and c.activity is not None],
        "sub_activities",
    )
    return criteria


_Observations = dict[tuple[int, int], list[Observation]]


def _bound_observations(
    plan: Plan, criteria: list[Criterion]
) -> tuple[_Observations, dict[int, int]]:
    """The observations of every indicator a criterion is bound to (and of
    the count indicators their denominators come from), by indicator and
    population, oldest first, in one query; and each bound indicator's
    denominator indicator."""
    observations: _Observations = defaultdict(list)
    bound = {(c.indicator_id, c.population_id) for c in criteria if c.indicator_id}
    denominator_of = {
        c.indicator.pk: c.indicator.denominator_indicator_id
        for c in criteria
        if c.indicator is not None and c.indicator.denominator_indicator_id
    }
    if bound:
        for observation in Observation.objects.filter(
            indicator__plan=plan,
            indicator_id__in={i for i, _ in bound} | set(denominator_of.values()),
        ).order_by("period_end", "period_start"):
            observations[(observation.indicator_id, observation.population_id)].append(
                observation
            )
    return observations, denominator_of


def _criterion_values(
    criterion: Criterion,
    plan: Plan,
    as_of: datetime.date,
    observations: _Observations,
    denominator_of: dict[int, int],
) -> tuple[tuple[DataPoint, ...], DataPoint | None]:
    """The series ``criterion`` is judged on as of ``as_of``, and its
    baseline, both with the denominators of a rate where its indicator
    names them."""
    baseline = _baseline(criterion, observations)
    if criterion.measure:
        series = _measured_series(criterion, plan, as_of)
    else:
        series = tuple(
            p
            for p in _series(criterion, observations, baseline)
            if p.period.end <= as_of
        )
    denominators = _denominators(criterion, denominator_of, observations)
    if denominators:
        series = tuple(_with_denominator(p, denominators) for p in series)
        if baseline is not None:
            baseline = _with_denominator(baseline, denominators)
    return series, baseline


def _target_changes(criterion: Criterion) -> tuple[TargetChange, ...]:
    """The criterion's revised targets as the core's values, oldest first."""
    kind = CriterionKind(criterion.kind)
    return tuple(
        TargetChange(
            in_force_from=revision.in_force_from,
            previous=target_from_json(kind, revision.previous_target),
            target=target_from_json(kind, revision.target),
            reason=revision.reason,
        )
        for revision in criterion.target_revisions.all()
    )


def _spec(
    criterion: Criterion, baseline: DataPoint | None, target: Target
) -> CriterionSpec:
    return CriterionSpec(
        kind=CriterionKind(criterion.kind),
        target=target,
        unit=Unit(criterion.unit),
        aggregation=Aggregation(criterion.aggregation),
        better=_better(criterion),
        baseline=baseline,
        unit_label=criterion.unit_label
        or (criterion.indicator.unit_label if criterion.indicator else ""),
        recorded_outcome=Outcome(criterion.recorded_verdict)
        if criterion.recorded_verdict
        else None,
        evidence=criterion.evidence,
    )


def _criterion_input(
    criterion: Criterion,
    *,
    spec: CriterionSpec,
    series: tuple[DataPoint, ...],
    context: JudgementContext,
    forecasts: _ForecastInputs,
    target_changes: tuple[TargetChange, ...] = (),
) -> CriterionInput:
    activity = criterion.activity
    effort_area = criterion.effort_area or (activity.effort_area if activity else None)
    registrations, window, months = forecasts.inputs(criterion)
    return CriterionInput(
        ident=criterion.ident,
        level=criterion.level,
        text=criterion.text,
        spec=spec,
        series=series,
        context=context,
        goal=criterion.goal.name if criterion.goal else None,
        effort_area=effort_area.name if effort_area else None,
        activity=activity.name if activity else None,
        parent_activity=activity.parent.name if activity and activity.parent else None,
        own_defined=criterion.own_defined,
        counts_persons=criterion.counts_persons
        or (
            bool(criterion.measure)
            and MeasureKind(criterion.measure["kind"]) in PERSON_MEASURES
        ),
        reported_outcome=Outcome(criterion.reported_verdict)
        if criterion.reported_verdict
        else None,
        notes=tuple(criterion.notes),
        source=criterion.indicator.source if criterion.indicator is not None else "",
        registrations=registrations,
        forecast_window=window,
        session_months=months,
        indicator=criterion.indicator.slug if criterion.indicator is not None else "",
        population=criterion.population.name
        if criterion.population is not None
        else "",
        person_cell=(criterion.indicator.slug, criterion.population.name)
        if criterion.indicator is not None
        and criterion.indicator.counts_persons
        and criterion.population is not None
        else None,
        target_changes=target_changes,
    )


def _denominators(
    criterion: Criterion,
    denominator_of: dict[int, int],
    observations: dict[tuple[int, int], list[Observation]],
) -> dict[str, Decimal]:
    """The denominators a bound criterion's values take from the count
    indicator its indicator names (``denominator_indicator``: the
    residents behind a rate per 1000), by period code."""
    counts = denominator_of.get(criterion.indicator_id or 0)
    if counts is None:
        return {}
    return {
        o.period: o.value
        for o in observations[(counts, criterion.population_id or 0)]
        if o.value is not None
    }


def _with_denominator(point: DataPoint, denominators: dict[str, Decimal]) -> DataPoint:
    if point.denominator is not None or point.period.code not in denominators:
        return point
    return replace(point, denominator=denominators[point.period.code])


class _ForecastInputs:
    """What a running count criterion measured from registrations needs for
    its forecast: the dates of the units counted so far, the window to
    project to, and the months its activity held sessions in. One query per
    such criterion for its dates, and two for the whole plan (the
    activities' sessions by month, and which activity is whose
    sub-activity)."""

    def __init__(
        self, plan: Plan, as_of: datetime.date, criteria: list[Criterion]
    ) -> None:
        self.plan = plan
        self.as_of = as_of
        running = [c for c in criteria if self._window(c) is not None]
        self.months: dict[int, frozenset[int]] = {}
        self.children: dict[int, list[int]] = defaultdict(list)
        if running:
            self.months = session_months(
                Activity.objects.filter(plan=plan).values_list("pk", flat=True),
                as_of,
            )
            for pk, parent in Activity.objects.filter(
                plan=plan, parent__isnull=False
            ).values_list("pk", "parent_id"):
                self.children[parent].append(pk)

    def _window(
        self, criterion: Criterion
    ) -> tuple[datetime.date, datetime.date] | None:
        """The stretch a running count measure is projected over: the
        activity's period, or the current calendar year within it when each
        period is judged on its own; None when the criterion is no count
        measure, or its window has not started or has ended."""
        activity = criterion.activity
        if not criterion.measure or activity is None:
            return None
        kind = MeasureKind(criterion.measure["kind"])
        if MEASURE_UNITS[kind] is not Unit.COUNT:
            return None
        start = activity.period_start(self.plan)
        end = activity.period_end(self.plan)
        if criterion.aggregation == Aggregation.EACH.value:
            start = max(start, datetime.date(self.as_of.year, 1, 1))
            end = min(end, datetime.date(self.as_of.year, 12, 31))
        if not start <= self.as_of < end:
            return None
        return start, end

    def inputs(
        self, criterion: Criterion
    ) -> tuple[
        tuple[datetime.date, ...] | None,
        tuple[datetime.date, datetime.date] | None,
        frozenset[int] | None,
    ]:
        """The registrations' dates, the window and the session months of
        ``criterion`` (Nones when it gets no forecast)."""
        window = self._window(criterion)
        activity = criterion.activity
        if window is None or activity is None:
            return None, None, None
        spec = dict(criterion.measure)
        kind = MeasureKind(spec.pop("kind"))
        dates = event_dates(
            kind, activity, window[0], self.as_of, MeasureFilter(**spec)
        )
        ids = [activity.pk, *self.children.get(activity.pk, [])]
        months = frozenset(m for pk in ids for m in self.months.get(pk, frozenset()))
        return tuple(dates), window, months or None


def _baseline(
    criterion: Criterion, observations: dict[tuple[int, int], list[Observation]]
) -> DataPoint | None:
    if criterion.baseline_value is None and not criterion.baseline_period:
        return None
    period = (
        parse_period(criterion.baseline_period) if criterion.baseline_period else None
    )
    if criterion.baseline_value is None and criterion.indicator_id and period:
        for observation in observations[
            (criterion.indicator_id, criterion.population_id or 0)
        ]:
            if observation.period == period.code:
                point = _observation_point(observation)
                note = criterion.baseline_note or point.note
                return DataPoint(
                    period=point.period,
                    value=point.value,
                    numerator=point.numerator,
                    denominator=point.denominator,
                    note=note,
                    flags=point.flags | _flags(criterion.baseline_flags),
                )
    if period is None:
        # A baseline value without a date: judged all the same, shown as
        # "baseline" with no period.
        period = Period("", datetime.date.min, datetime.date.min)
    return DataPoint(
        period=period,
        value=criterion.baseline_value,
        numerator=criterion.baseline_numerator,
        denominator=criterion.baseline_denominator,
        note=criterion.baseline_note,
        flags=_flags(criterion.baseline_flags),
    )


def _measured_series(
    criterion: Criterion, plan: Plan, as_of: datetime.date
) -> tuple[DataPoint, ...]:
    """A criterion bound to a measure: counted from the registrations over
    the activity's period up to ``as_of`` (one window, or one per year when
    judged per period), never summed from smaller windows."""
    activity = criterion.activity
    if activity is None:
        return ()
    start = activity.period_start(plan)
    end = min(activity.period_end(plan), as_of)
    if end < start:
        return ()
    spec = dict(criterion.measure)
    kind = MeasureKind(spec.pop("kind"))
    measure_filter = MeasureFilter(**spec)
    each = criterion.aggregation == Aggregation.EACH.value
    return tuple(
        measure(kind, activity, window.start, window.end, measure_filter, window)
        for window in window_periods(start, end, each_year=each)
    )


def _series(
    criterion: Criterion,
    observations: dict[tuple[int, int], list[Observation]],
    baseline: DataPoint | None,
) -> tuple[DataPoint, ...]:
    if criterion.indicator_id:
        points = [
            _observation_point(o)
            for o in observations[
                (criterion.indicator_id, criterion.population_id or 0)
            ]
        ]
        if criterion.period:
            window = parse_period(criterion.period)
            points = [
                p
                for p in points
                if p.period.start >= window.start and p.period.end <= window.end
            ]
        elif baseline is not None and baseline.period.code:
            points = [p for p in points if p.period.end > baseline.period.end]
        return tuple(points)
    return tuple(
        DataPoint(
            period=Period(value.period, value.period_start, value.period_end),
            value=value.value,
            numerator=value.numerator,
            denominator=value.denominator,
            note=value.note,
            flags=_flags(value.flags),
        )
        for value in criterion.reported_values.all()
    )


def plan_judged_criteria(
    *,
    plan: Plan,
    as_of: datetime.date | None = None,
    settings: UncertaintySettings = TEAM_SETTINGS,
) -> list[JudgedCriterion]:
    """Every criterion of ``plan`` judged as of ``as_of`` (default today),
    with what the statistics say about each verdict; ``settings`` gives
    the thin-data threshold and, for a reader outside the plan team, the
    discretion threshold (``core.uncertainty.UncertaintySettings``)."""
    day = as_of or timezone.localdate()
    return judge_all(stored_criterion_inputs(plan=plan, as_of=day), settings)


def stored_criterion_inputs(
    *, plan: Plan, as_of: datetime.date
) -> list[CriterionInput]:
    """``criterion_inputs``, kept in the cache until the plan's data change
    (base/freshness.py): equal to the live computation, without its one
    query per measure window on every page."""
    key = data_key(
        plan.pk,
        "criterion-inputs",
        as_of.isoformat(),
        # Django's language (pages) and the core's (reports, commands).
        translation.get_language(),
        core_language(),
    )
    return stored(key, lambda: criterion_inputs(plan=plan, as_of=as_of))
