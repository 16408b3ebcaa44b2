"""An area's status under the law, from the plan's figures: which
indicator gives which figure (``LawFigure``), the nation's and the
region's populations (``LawReference``), the observations read into the
core's ``AreaFigures``, and each area's status over the years with the
next list's outlook."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from fremdrift.core.area_forecast import ListOutlook, next_list_outlook
from fremdrift.core.area_status import (
    AreaFigures,
    DerivedFigure,
    YearStatus,
    derived_value,
    rule_versions,
    status_history,
    version_in_force,
)
from fremdrift.core.periods import PeriodForm, period_form
from fremdrift.plans.models import Plan, Population
from fremdrift.statistics.models import Observation

from .models import LawFigure, LawReference


@dataclass(frozen=True, slots=True)
class AreaHistory:
    """One area: its status on each list, oldest first, and the next
    list's outlook (None when no version of the rules is in force then)."""

    population: Population
    history: tuple[YearStatus, ...]
    outlook: ListOutlook | None


def _year(observation: Observation) -> int | None:
    """The year a figure belongs to: a calendar year's, or a single day's
    (residents as of 1 January); other periods are no figure of the law."""
    if period_form(observation.period) in (PeriodForm.YEAR, PeriodForm.DATE):
        return observation.period_start.year
    return None


def plan_area_figures(*, plan: Plan) -> dict[int, AreaFigures]:
    """The law's figures of each of ``plan``'s areas (by population id),
    with the nation's and the region's as references. Two queries."""
    figures = {
        f.indicator_id: (f.figure, f.derivation)
        for f in LawFigure.objects.filter(plan=plan)
    }
    if not figures:
        # Most plans follow none of the law's figures: one query, not two.
        return {}
    references = {
        r.population_id: r.scope for r in LawReference.objects.filter(plan=plan)
    }
    values: dict[int, dict[str, dict[int, Decimal]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    scoped: dict[str, dict[str, dict[int, Decimal]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    observations = Observation.objects.filter(
        indicator_id__in=figures, value__isnull=False
    ).only("indicator_id", "population_id", "period", "period_start", "value")
    for observation in observations:
        year = _year(observation)
        if year is None or observation.value is None:
            continue
        figure, derivation = figures[observation.indicator_id]
        value = derived_value(derivation, observation.value)
        scope = references.get(observation.population_id)
        if scope is not None:
            scoped[scope][figure][year] = value
        else:
            values[observation.population_id][figure][year] = value
    areas = Population.objects.filter(plan=plan, kind=Population.Kind.AREA)
    return {
        area.pk: AreaFigures(
            values={k: dict(v) for k, v in values.get(area.pk, {}).items()},
            national={k: dict(v) for k, v in scoped.get("national", {}).items()},
            region={k: dict(v) for k, v in scoped.get("region", {}).items()},
        )
        for area in areas
    }


def plan_derived_figures(*, plan: Plan) -> list[DerivedFigure]:
    """The law's figures ``plan`` derives from its own indicators rather
    than takes as given, in the law's order. One query."""
    derived = (
        LawFigure.objects.filter(plan=plan)
        .exclude(derivation="")
        .select_related("indicator")
        .order_by("figure")
    )
    return [DerivedFigure(f.figure, f.indicator.name, f.derivation) for f in derived]


def _last_list_year(figures: AreaFigures) -> int | None:
    """The latest list the figures can judge: the latest year with its
    residents (as of 1 January of the list's year), else the year after
    the latest figure."""
    residents = figures.values.get("residents", {})
    if residents:
        return max(residents)
    years = [y for series in figures.values.values() for y in series]
    return max(years) + 1 if years else None


def _until(figures: AreaFigures, last_year: int) -> AreaFigures:
    """``figures`` as known at the end of ``last_year``: the years after
    it left out, for the areas and the references alike."""

    def cut(
        series: Mapping[str, Mapping[int, Decimal]],
    ) -> dict[str, dict[int, Decimal]]:
        return {
            figure: {y: v for y, v in values.items() if y <= last_year}
            for figure, values in series.items()
        }

    return AreaFigures(
        values=cut(figures.values),
        national=cut(figures.national),
        region=cut(figures.region),
    )


def plan_area_statuses(
    *, plan: Plan, last_year: int | None = None
) -> list[AreaHistory]:
    """Each area of ``plan`` (in the plan's order) on every list from its
    first figure to the latest its figures judge, under the rules in force
    each year, and the next list's outlook. With ``last_year`` (an annual
    report's year), only the figures of that year and before count: the
    lists up to that year's, and the outlook for the next."""
    versions = rule_versions()
    by_area = plan_area_figures(plan=plan)
    if last_year is not None:
        by_area = {pk: _until(f, last_year) for pk, f in by_area.items()}
    areas = Population.objects.filter(pk__in=by_area).order_by("order", "pk")
    result: list[AreaHistory] = []
    for area in areas:
        figures = by_area[area.pk]
        last = _last_list_year(figures)
        if last is None:
            result.append(AreaHistory(area, (), None))
            continue
        # The first list the figures can judge anything of: the year after
        # the first figure (a list's social figures are the year before).
        first = min(y for series in figures.values.values() for y in series) + 1
        history = tuple(status_history(versions, figures, range(first, last + 1)))
        upcoming = version_in_force(versions, last + 1)
        outlook = (
            None
            if upcoming is None
            else next_list_outlook(
                upcoming, figures, last + 1, history[-1] if history else None
            )
        )
        result.append(AreaHistory(area, history, outlook))
    return result
