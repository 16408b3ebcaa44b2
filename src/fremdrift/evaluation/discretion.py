"""Statistical discretion applied for a reader: the one place that turns
the reader's audience (``accounts.policy.audience_for``) into hidden small
counts of persons, on the judged criteria, the indicator series and the
registration figures, before any report, page or API answer is made of
them.

The team (``Audience.INTERNAL``) sees every number; every other audience
gets the core's suppression (``core.discretion``: small counts hidden, and
whatever would give one back), and statistics whose sentences cannot give
a hidden count back (``uncertainty_settings``). Renderers, serializers and
views receive what these functions return and apply nothing themselves.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import replace
from typing import TypeVar

from fremdrift.areastatus.selectors import (
    AreaStatusOverview,
    area_status_overview,
    plan_area_records,
)
from fremdrift.base.freshness import data_key, stored
from fremdrift.core.discretion import (
    DEFAULT_THRESHOLD,
    Audience,
    suppress_figures,
    suppress_judged,
    suppress_series,
)
from fremdrift.core.measures import PERSON_MEASURES, MeasureKind
from fremdrift.core.model import DataPoint, Flag, Period, Unit
from fremdrift.core.plan_model import JudgedCriterion
from fremdrift.core.report_model import IndicatorSeries
from fremdrift.core.stats import THIN_DATA_THRESHOLD
from fremdrift.core.uncertainty import UncertaintySettings
from fremdrift.plans.models import Plan, Population
from fremdrift.statistics.models import Indicator, Observation

from .selectors import plan_judged_criteria

# Whatever names the figures printed together: an activity's id, or
# (measure kind, activity id) for several kinds in one table.
_Key = TypeVar("_Key", bound=Hashable)


def hides_small_counts(audience: Audience | str) -> bool:
    """Whether ``audience`` gets small counts of persons hidden: everyone
    but the team."""
    return Audience(audience) != Audience.INTERNAL


def uncertainty_settings(
    audience: Audience | str,
    threshold: int = DEFAULT_THRESHOLD,
    thin_threshold: int = THIN_DATA_THRESHOLD,
) -> UncertaintySettings:
    """What the statistics may show ``audience``: a reader outside the team
    gets no sentence that gives a count below ``threshold`` back."""
    return UncertaintySettings(
        thin_threshold=thin_threshold,
        discretion=threshold if hides_small_counts(audience) else None,
    )


def judged_for_audience(
    *,
    plan: Plan,
    as_of: datetime.date,
    audience: Audience | str,
    threshold: int = DEFAULT_THRESHOLD,
    thin_threshold: int = THIN_DATA_THRESHOLD,
) -> list[JudgedCriterion]:
    """Every criterion of ``plan`` judged as of ``as_of``
    (``plan_judged_criteria``) as ``audience`` may see it: outside the
    team, with the statistics under discretion and then each number of
    persons below ``threshold`` hidden (``suppress_judged``; the verdict
    stays). The explanations are in the active language."""
    settings = uncertainty_settings(audience, threshold, thin_threshold)
    judged = plan_judged_criteria(plan=plan, as_of=as_of, settings=settings)
    if not hides_small_counts(audience):
        return judged
    cells = {
        j.criterion.ident: j.criterion.person_cell
        for j in judged
        if j.criterion.person_cell is not None
    }
    hidden_by_cell = (
        stored(
            data_key(plan.pk, "person-cells", as_of.isoformat(), threshold),
            lambda: _person_indicator_cells(
                plan=plan, as_of=as_of, threshold=threshold
            ),
        )
        if cells
        else {}
    )
    result = []
    for item in judged:
        cell = cells.get(item.criterion.ident)
        hidden = None if cell is None else hidden_by_cell.get(cell, frozenset())
        if hidden is not None:
            # Bound to an indicator of persons: it counts persons, and
            # hides what the indicator's table hides for its population.
            item = replace(item, criterion=replace(item.criterion, counts_persons=True))
        result.append(suppress_judged(item, threshold, hidden or frozenset()))
    return result


def series_for_audience(
    series: IndicatorSeries,
    *,
    audience: Audience | str,
    threshold: int = DEFAULT_THRESHOLD,
) -> IndicatorSeries:
    """``series`` as ``audience`` may see it: outside the team, with small
    counts of persons hidden, primary and secondary (``suppress_series``;
    rates and shares are unchanged). Suppress a series whole, before any
    column or page of it is picked, or a hidden count may be given back by
    subtraction."""
    if hides_small_counts(audience):
        return suppress_series(series, threshold)
    return series


def figures_for_audience(
    points: Mapping[_Key, DataPoint],
    kind: MeasureKind,
    sums: Sequence[tuple[_Key, Sequence[_Key]]],
    *,
    audience: Audience | str,
    threshold: int = DEFAULT_THRESHOLD,
) -> dict[_Key, DataPoint]:
    """The registration figures of measure ``kind`` of several activities
    (by activity id) that are printed together, as ``audience`` may see
    them. ``sums``: (an activity, its sub-activities) whose figure counts
    theirs. Outside the team, small counts of persons are hidden, and so
    is whatever would give one back by subtraction (``suppress_figures``:
    an activity's figure less its sub-activities'); counts of other
    things (sessions) are shown. The keys may be anything hashable, so
    figures of several measure kinds of persons that add up (participants
    are new participants and returning ones) can be hidden together."""
    if hides_small_counts(audience) and kind in PERSON_MEASURES:
        return suppress_figures(points, sums, threshold)
    return dict(points)


def area_status_for_audience(
    *,
    plan: Plan,
    audience: Audience | str,
    threshold: int = DEFAULT_THRESHOLD,
) -> list[dict[str, object]]:
    """Each area of ``plan`` under the law, list by list, with the next
    list's outlook (``plan_area_records``, the records of ``fremdrift
    status --format json``) as ``audience`` may see them: outside the
    team, no count of persons under ``threshold`` (a distance of 1-4
    persons reads "under 5", its number null). The labels are in the
    active language."""
    return plan_area_records(
        plan=plan, threshold=threshold if hides_small_counts(audience) else None
    )


def area_status_overview_for_audiences(
    *,
    plans: Sequence[Plan],
    audiences: Mapping[int, Audience | str],
    threshold: int = DEFAULT_THRESHOLD,
) -> AreaStatusOverview | None:
    """The law's statuses across ``plans`` (``area_status_overview``) as
    the reader may see them: each plan at the reader's audience there
    (``audiences``, by plan id), so a distance of fewer than ``threshold``
    persons in a plan whose team the reader is not part of reads "færre
    end 5"."""
    return area_status_overview(
        plans=plans,
        thresholds={
            plan.pk: threshold if hides_small_counts(audiences[plan.pk]) else None
            for plan in plans
        },
    )


def _person_indicator_cells(
    *, plan: Plan, as_of: datetime.date, threshold: int
) -> dict[tuple[str, str], frozenset[str]]:
    """The period codes that the table of each of ``plan``'s indicators
    that count persons hides (``suppress_series``, primary and secondary),
    by (indicator slug, population name): a criterion bound to one hides
    exactly what the indicator's table hides. Three queries."""
    populations = list(
        Population.objects.filter(plan=plan).prefetch_related("parts").order_by("order")
    )
    totals = tuple(
        (p.name, tuple(part.name for part in p.parts.all()))
        for p in populations
        if p.parts.all()
    )
    order = {p.name: i for i, p in enumerate(populations)}
    indicators: dict[str, Indicator] = {}
    points: dict[str, dict[str, list[DataPoint]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for o in (
        Observation.objects.filter(
            indicator__plan=plan,
            indicator__counts_persons=True,
            period_end__lte=as_of,
        )
        .select_related("population", "indicator")
        .order_by("period_end", "period_start")
    ):
        indicators[o.indicator.slug] = o.indicator
        points[o.indicator.slug][o.population.name].append(
            DataPoint(
                period=Period(o.period, o.period_start, o.period_end),
                value=o.value,
                numerator=o.numerator,
                denominator=o.denominator,
                note=o.note,
                flags=frozenset(Flag(f) for f in o.flags),
            )
        )
    hidden: dict[tuple[str, str], frozenset[str]] = {}
    for slug, indicator in indicators.items():
        series = suppress_series(
            IndicatorSeries(
                slug=slug,
                name=indicator.name,
                unit=Unit(indicator.unit),
                unit_label=indicator.unit_label,
                source=indicator.source,
                measured=indicator.measured,
                notes=(),
                populations=tuple(
                    (name, tuple(found))
                    for name, found in sorted(
                        points[slug].items(), key=lambda item: order.get(item[0], 0)
                    )
                ),
                counts_persons=True,
                additive=indicator.additive,
                totals=totals,
            ),
            threshold,
        )
        for name, found in series.populations:
            hidden[(slug, name)] = frozenset(
                p.period.code for p in found if Flag.SUPPRESSED in p.flags
            )
    return hidden
