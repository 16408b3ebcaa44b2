"""An area's status under the law, from the plan's figures: which
indicator gives which figure (``LawFigure``), the nation's and the
region's populations (``LawReference``), the observations read into the
core's ``AreaFigures``, and each area's status over the years with the
next list's outlook."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from fremdrift.core.area_forecast import ListOutlook, next_list_outlook, outlook_record
from fremdrift.core.area_status import (
    AreaFigures,
    YearStatus,
    rule_versions,
    status_history,
    status_record,
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
    figures = {f.indicator_id: f.figure for f in LawFigure.objects.filter(plan=plan)}
    references = {
        r.population_id: r.scope for r in LawReference.objects.filter(plan=plan)
    }
    if not figures:
        return {}
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
        figure = figures[observation.indicator_id]
        scope = references.get(observation.population_id)
        if scope is not None:
            scoped[scope][figure][year] = observation.value
        else:
            values[observation.population_id][figure][year] = observation.value
    areas = Population.objects.filter(plan=plan, kind=Population.Kind.AREA)
    return {
        area.pk: AreaFigures(
            values={k: dict(v) for k, v in values.get(area.pk, {}).items()},
            national={k: dict(v) for k, v in scoped.get("national", {}).items()},
            region={k: dict(v) for k, v in scoped.get("region", {}).items()},
        )
        for area in areas
    }


def _last_list_year(figures: AreaFigures) -> int | None:
    """The latest list the figures can judge: the latest year with its
    residents (as of 1 January of the list's year), else the year after
    the latest figure."""
    residents = figures.values.get("residents", {})
    if residents:
        return max(residents)
    years = [y for series in figures.values.values() for y in series]
    return max(years) + 1 if years else None


def plan_area_statuses(*, plan: Plan) -> list[AreaHistory]:
    """Each area of ``plan`` (in the plan's order) on every list from its
    first figure to the latest its figures judge, under the rules in force
    each year, and the next list's outlook."""
    versions = rule_versions()
    by_area = plan_area_figures(plan=plan)
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


def area_record(
    area: AreaHistory, *, threshold: int | None = None
) -> dict[str, object]:
    """One area as plain JSON-ready values: its lists (``status_record``)
    and the next list's outlook (``outlook_record``), the object
    ``fremdrift status --format json`` prints and the API answers. With
    ``threshold`` (discretion, for readers outside the team) no count of
    persons under it is given: a distance in persons is null and its
    sentence says "færre end 5", and so is a number of residents."""
    lists = [status_record(status) for status in area.history]
    if threshold is not None:
        for item, status in zip(lists, area.history, strict=True):
            if status.residents is not None and 0 < status.residents < threshold:
                item["residents"] = None
    return {
        "area": area.population.slug,
        "name": area.population.name,
        "lists": lists,
        "next": None
        if area.outlook is None
        else outlook_record(area.outlook, threshold=threshold),
    }


def plan_area_records(
    *, plan: Plan, threshold: int | None = None
) -> list[dict[str, object]]:
    """Every area of ``plan`` as ``area_record``, in the plan's order."""
    return [
        area_record(area, threshold=threshold) for area in plan_area_statuses(plan=plan)
    ]
