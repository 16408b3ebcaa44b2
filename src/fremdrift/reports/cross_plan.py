"""The cross-plan overview's reads: the database's rows -> the core's
``cross_plan`` content, for the plans a reader may see.

Each plan's verdicts come from the same pipeline as its reports
(``plan_judged_criteria``), and each plan's indicator from the same series
(``assembly.indicator_series``) with the same discretion for a reader
outside the plan's team (``evaluation.discretion``). Callers pass only
plans the reader holds a role in (``accounts.policy.plans_for``) and
populations of those plans.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from fremdrift.core.cross_plan import (
    ComparisonColumn,
    comparison_table,
    outcome_counts,
)
from fremdrift.core.discretion import Audience
from fremdrift.core.i18n import _
from fremdrift.core.report_model import Table
from fremdrift.evaluation.discretion import judged_for_audience, series_for_audience
from fremdrift.plans.models import Plan, Population
from fremdrift.statistics.models import Indicator

from .assembly import indicator_series

# The populations a reader picks to compare: the housing areas, and the
# plan's areas together.
AREA_KINDS = (Population.Kind.AREA, Population.Kind.PLAN_TOTAL)


@dataclass(frozen=True, slots=True)
class PlanOutcomes:
    """One plan's criteria counted by verdict, in ``OUTCOME_ORDER``."""

    plan: Plan
    counts: tuple[int, ...]
    total: int


@dataclass(frozen=True, slots=True)
class OutcomeOverview:
    """Every plan's row, and the column sums over all of them."""

    rows: tuple[PlanOutcomes, ...]
    counts: tuple[int, ...]
    total: int


def plans_outcomes(
    *,
    plans: Sequence[Plan],
    audiences: Mapping[int, Audience | str],
    as_of: datetime.date,
) -> OutcomeOverview:
    """Each of ``plans``' criteria judged as of ``as_of`` and counted by
    verdict. Each plan goes through its own verdict pipeline, as its
    reports do, with the reader's discretion for that plan (a verdict is
    the same for every reader: discretion hides numbers, never outcomes).
    The pipeline reads a plan's criteria, their values and observations in
    a fixed number of queries whatever the number of criteria."""
    rows = []
    for plan in plans:
        judged = judged_for_audience(
            plan=plan, as_of=as_of, audience=audiences[plan.pk]
        )
        rows.append(PlanOutcomes(plan, outcome_counts(judged), len(judged)))
    width = len(rows[0].counts) if rows else 0
    return OutcomeOverview(
        rows=tuple(rows),
        counts=tuple(sum(row.counts[i] for row in rows) for i in range(width)),
        total=sum(row.total for row in rows),
    )


def indicator_choices(plans: Sequence[Plan]) -> list[tuple[str, str]]:
    """The indicators of ``plans`` by their code (slug), which names the
    same statistic in every plan: (slug, name), by name. A code is named
    by its first plan's name; two codes of one name are told apart by the
    code."""
    names: dict[str, str] = {}
    for slug, name in (
        Indicator.objects.filter(plan__in=[p.pk for p in plans])
        .order_by("slug", "plan_id")
        .values_list("slug", "name")
    ):
        names.setdefault(slug, name)
    taken: dict[str, int] = {}
    for name in names.values():
        taken[name] = taken.get(name, 0) + 1
    return sorted(
        (
            (slug, name if taken[name] == 1 else f"{name} ({slug})")
            for slug, name in names.items()
        ),
        key=lambda choice: (choice[1].casefold(), choice[0]),
    )


def area_populations(plans: Sequence[Plan]) -> list[Population]:
    """The housing areas (and area totals) of ``plans``, plan by plan in
    the order of ``plans``, each plan's in its own order."""
    order = {plan.pk: index for index, plan in enumerate(plans)}
    found = Population.objects.filter(plan__in=list(order), kind__in=AREA_KINDS)
    return sorted(found, key=lambda p: (order[p.plan_id], p.order, p.pk))


def indicator_comparison(
    *,
    indicator: str,
    populations: Sequence[Population],
    plans: Mapping[int, Plan],
    audiences: Mapping[int, Audience | str],
    as_of: datetime.date,
    first_year: int | None = None,
    last_year: int | None = None,
) -> Table:
    """The indicator with code ``indicator`` for ``populations`` side by
    side, each plan's municipality comparison after its areas, as of
    ``as_of`` (observations whose period ended by then, as in a report).

    Each plan's series is built and, for a reader outside its team,
    suppressed whole before its columns are picked (core.cross_plan). A
    plan without the indicator gets a note instead of columns. The work is
    a fixed number of queries per plan with a chosen population."""
    chosen: dict[int, list[Population]] = {}
    for population in populations:
        chosen.setdefault(population.plan_id, []).append(population)
    columns: list[ComparisonColumn] = []
    notes: list[str] = []
    for plan_id, plan_populations in chosen.items():
        plan = plans[plan_id]
        series = next(
            (s for s in indicator_series(plan, as_of).values() if s.slug == indicator),
            None,
        )
        if series is None:
            notes.append(_("{plan} følger ikke dette nøgletal.").format(plan=str(plan)))
            continue
        series = series_for_audience(series, audience=audiences[plan_id])
        for population in plan_populations:
            columns.append(ComparisonColumn(str(plan), population.name, series))
        for name, points in series.populations:
            if name in series.comparison_names and points:
                columns.append(
                    ComparisonColumn(str(plan), name, series, comparison=True)
                )
    return comparison_table(
        columns, first_year=first_year, last_year=last_year, notes=notes
    )
