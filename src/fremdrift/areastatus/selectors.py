"""An area's status under the law, from the plan's figures: which
indicator gives which figure (``LawFigure``), the nation's and the
region's populations (``LawReference``), the observations read into the
core's ``AreaFigures``, and each area's status over the years with the
next list's outlook."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from fremdrift.core.area_forecast import ListOutlook, next_list_outlook, outlook_record
from fremdrift.core.area_overview import (
    NEAREST,
    Crossing,
    StatusCounts,
    criterion_label,
    distance_text,
    limit_text,
    nearest_crossings,
    status_counts,
    value_text,
)
from fremdrift.core.area_status import (
    AreaFigures,
    DerivedFigure,
    RuleVersion,
    YearStatus,
    derived_value,
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


def _areas_and_figures(
    plans: Sequence[Plan],
) -> tuple[list[Population], dict[int, AreaFigures]]:
    """The areas of ``plans`` (by plan, in each plan's order) and their
    figures by population id; four queries, one when no plan binds the
    law's figures."""
    plan_ids = [plan.pk for plan in plans]
    figures = {
        f.indicator_id: (f.figure, f.derivation)
        for f in LawFigure.objects.filter(plan__in=plan_ids)
    }
    if not figures:
        # Most plans follow none of the law's figures: one query, not four.
        return [], {}
    # Each plan's nation and region: (plan id, scope) -> population id.
    references = {
        (r.plan_id, r.scope): r.population_id
        for r in LawReference.objects.filter(plan__in=plan_ids)
    }
    values: dict[int, dict[str, dict[int, Decimal]]] = defaultdict(
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
        values[observation.population_id][figure][year] = derived_value(
            derivation, observation.value
        )

    def plain(population_id: int | None) -> dict[str, dict[int, Decimal]]:
        found = values.get(population_id, {}) if population_id is not None else {}
        return {k: dict(v) for k, v in found.items()}

    order = {pk: i for i, pk in enumerate(plan_ids)}
    areas = sorted(
        Population.objects.filter(plan__in=plan_ids, kind=Population.Kind.AREA),
        key=lambda area: (order[area.plan_id], area.order, area.pk),
    )
    return areas, {
        area.pk: AreaFigures(
            values=plain(area.pk),
            national=plain(references.get((area.plan_id, "national"))),
            region=plain(references.get((area.plan_id, "region"))),
        )
        for area in areas
    }


def figures_for_plans(*, plans: Sequence[Plan]) -> dict[int, AreaFigures]:
    """The law's figures of every area of ``plans`` (by population id),
    each with its own plan's nation and region as references. Four
    queries whatever the number of plans, areas and years (one when no
    plan binds the law's figures)."""
    return _areas_and_figures(plans)[1]


def plan_area_figures(*, plan: Plan) -> dict[int, AreaFigures]:
    """The law's figures of each of ``plan``'s areas (by population id),
    with the nation's and the region's as references
    (``figures_for_plans``)."""
    return figures_for_plans(plans=[plan])


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


def _history(
    versions: tuple[RuleVersion, ...], area: Population, figures: AreaFigures
) -> AreaHistory:
    last = _last_list_year(figures)
    if last is None:
        return AreaHistory(area, (), None)
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
    return AreaHistory(area, history, outlook)


def plans_area_statuses(
    *, plans: Sequence[Plan], last_year: int | None = None
) -> list[AreaHistory]:
    """Each area of ``plans`` (by plan, in each plan's order) on every list
    from its first figure to the latest its figures judge, under the rules
    in force each year, and the next list's outlook. With ``last_year``
    (an annual report's year), only the figures of that year and before
    count: the lists up to that year's, and the outlook for the next.
    Four queries (``figures_for_plans``)."""
    versions = rule_versions()
    areas, by_area = _areas_and_figures(plans)
    if last_year is not None:
        by_area = {pk: _until(f, last_year) for pk, f in by_area.items()}
    return [_history(versions, area, by_area[area.pk]) for area in areas]


def plan_area_statuses(
    *, plan: Plan, last_year: int | None = None
) -> list[AreaHistory]:
    """Each area of ``plan`` (in the plan's order) on every list from its
    first figure to the latest its figures judge, under the rules in force
    each year, and the next list's outlook; ``last_year`` as in
    ``plans_area_statuses``."""
    return plans_area_statuses(plans=[plan], last_year=last_year)


def area_record(
    area: AreaHistory, *, threshold: int | None = None
) -> dict[str, object]:
    """One area as plain JSON-ready values: its lists (``status_record``)
    and the next list's outlook (``outlook_record``), the object
    ``fremdrift status --format json`` prints and the API answers. With
    ``threshold`` (discretion, for readers outside the team) no count of
    persons under it is given: a distance in persons is null and its
    sentence says "under 5", and so is a number of residents."""
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


@dataclass(frozen=True, slots=True)
class NearThreshold:
    """One row of the areas nearest a threshold of the next list, in
    words for the reader (discretion applied by the caller's
    ``thresholds``)."""

    plan: Plan
    area: Population
    crossing: Crossing[int]
    criterion: str
    value: str
    limit: str
    distance: str
    direction: str


@dataclass(frozen=True, slots=True)
class AreaStatusOverview:
    """The cross-plan view's section: areas per status and list year, and
    the areas nearest to crossing a threshold of the next list."""

    counts: StatusCounts
    nearest: tuple[NearThreshold, ...]
    areas: int


def area_status_overview(
    *,
    plans: Sequence[Plan],
    thresholds: Mapping[int, int | None],
    nearest: int = NEAREST,
) -> AreaStatusOverview | None:
    """Every area of ``plans`` counted by status on each list, and the
    ``nearest`` criteria of the next lists nearest their thresholds
    (``core.area_overview``); ``thresholds``: by plan id, the discretion
    threshold for the reader of that plan (None: the team, every number).
    None when no area of ``plans`` has the law's figures. Four queries
    whatever the number of plans and areas."""
    histories = [h for h in plans_area_statuses(plans=plans) if h.history]
    if not histories:
        return None
    by_plan = {plan.pk: plan for plan in plans}
    by_area = {h.population.pk: h for h in histories}
    counts = status_counts((h.history for h in histories), rule_versions())
    crossings = nearest_crossings(
        (
            (h.population.pk, h.outlook, h.history[-1])
            for h in histories
            if h.outlook is not None
        ),
        nearest,
    )
    rows = []
    for crossing in crossings:
        area = by_area[crossing.area].population
        rows.append(
            NearThreshold(
                plan=by_plan[area.plan_id],
                area=area,
                crossing=crossing,
                criterion=criterion_label(crossing),
                value=value_text(crossing),
                limit=limit_text(crossing),
                distance=distance_text(
                    crossing, threshold=thresholds.get(area.plan_id)
                ),
                direction=crossing.direction,
            )
        )
    return AreaStatusOverview(counts=counts, nearest=tuple(rows), areas=len(histories))
