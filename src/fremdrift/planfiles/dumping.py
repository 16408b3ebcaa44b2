"""Writing a plan back as a plan folder (plan.yaml and observations.csv),
so that load -> dump -> load is a fixed point."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from fremdrift.areastatus.models import LawFigure, LawReference
from fremdrift.base.spreadsheets import csv_row
from fremdrift.base.yamlio import dump_yaml
from fremdrift.core.measures import MEASURE_UNITS, MeasureKind
from fremdrift.core.model import CriterionKind
from fremdrift.core.targets import target_from_json, target_to_file
from fremdrift.plans.models import (
    Activity,
    Area,
    Criterion,
    EffortArea,
    Goal,
    Plan,
    Population,
    SizeRecord,
)
from fremdrift.statistics.models import Indicator, Observation

from .fieldmaps import (
    ACTIVITY_FIELDS,
    AREA_FIELDS,
    BASELINE_FIELDS,
    COMMENTARY_FIELDS,
    CRITERION_FIELDS,
    DECISION_FIELDS,
    EFFORT_AREA_FIELDS,
    FUNDING_FIELDS,
    FUNDING_PROJECT_FIELDS,
    GOAL_FIELDS,
    INDICATOR_FIELDS,
    OBSERVATION_FIELDS,
    PLAN_FIELDS,
    PLAN_FILE_FIELDS,
    POPULATION_FIELDS,
    SIZE_FIELDS,
    VALUE_FIELDS,
    FileField,
    always_written,
    file_values,
)
from .reader import (
    OBSERVATION_COLUMNS,
    OBSERVATIONS_FILE,
    PLAN_FILE,
)
from .schema import (
    FORMAT,
)


def _drop_empty(data: dict[str, Any], keep: Iterable[str] = ()) -> dict[str, Any]:
    """Leave out fields at their default so a dump reads like a hand-written
    file; ``keep`` names fields that are always written."""
    kept = set(keep)
    return {
        key: value
        for key, value in data.items()
        if key in kept or value not in (None, "", [], {}, False)
    }


def _file_dict(fields: Iterable[FileField], row: Any, **by_step: Any) -> dict[str, Any]:
    """``row`` as the file writes it: the table's fields in order, those at
    their default left out."""
    fields = tuple(fields)
    data = file_values(fields, row, **by_step)
    return _drop_empty(data, keep=always_written(fields))


def _size_dict(size: SizeRecord) -> dict[str, Any]:
    return _file_dict(SIZE_FIELDS, size)


def _target_from_json(criterion: Criterion) -> Decimal | dict[str, Decimal] | None:
    kind = CriterionKind(criterion.kind)
    return target_to_file(target_from_json(kind, criterion.target))


def _target_revisions_list(criterion: Criterion) -> list[dict[str, Any]]:
    # Each revision as the target it replaced: the target it set is the
    # next revision's ``from``, or the criterion's own target.
    kind = CriterionKind(criterion.kind)
    return [
        {
            "date": revision.in_force_from,
            "from": target_to_file(target_from_json(kind, revision.previous_target)),
            "reason": revision.reason,
        }
        for revision in criterion.target_revisions.all()
    ]


def _dumped_unit(criterion: Criterion) -> str | None:
    # Where the file names no unit, the loader takes the indicator's or the
    # measure's; a dump leaves out the unit that would come back that way.
    if criterion.indicator and criterion.indicator.unit == criterion.unit:
        return None
    if (
        criterion.measure
        and MEASURE_UNITS[MeasureKind(criterion.measure["kind"])].value
        == criterion.unit
    ):
        return None
    return criterion.unit


def _baseline_dict(criterion: Criterion) -> dict[str, Any] | None:
    if (
        criterion.baseline_value is None
        and not criterion.baseline_period
        and not criterion.baseline_flags
    ):
        return None
    return _file_dict(BASELINE_FIELDS, criterion)


def _criterion_dict(criterion: Criterion) -> dict[str, Any]:
    return _file_dict(
        CRITERION_FIELDS,
        criterion,
        unit=_dumped_unit(criterion),
        target=_target_from_json(criterion),
        target_revisions=_target_revisions_list(criterion),
        baseline=_baseline_dict(criterion),
        indicator=criterion.indicator.slug if criterion.indicator else None,
        population=criterion.population.slug if criterion.population else None,
        values=[
            _file_dict(VALUE_FIELDS, value) for value in criterion.reported_values.all()
        ],
    )


@dataclass(frozen=True)
class _Nesting:
    """The plan's criteria by owner and its activities by parent, each
    fetched in one query, so that nesting them costs no query per row."""

    criteria: dict[tuple[str, int], list[Criterion]]
    children: dict[int | None, list[Activity]]

    @classmethod
    def of(cls, plan: Plan) -> _Nesting:
        criteria: dict[tuple[str, int], list[Criterion]] = {}
        for criterion in (
            Criterion.objects.filter(plan=plan)
            .select_related("indicator", "population")
            .prefetch_related("reported_values", "target_revisions")
            .order_by("order")
        ):
            criteria.setdefault(_owner(criterion), []).append(criterion)
        children: dict[int | None, list[Activity]] = {}
        for activity in (
            Activity.objects.filter(plan=plan)
            .prefetch_related("decisions")
            .order_by("order")
        ):
            children.setdefault(activity.parent_id, []).append(activity)
        return cls(criteria, children)

    def criteria_of(self, kind: str, pk: int) -> list[dict[str, Any]]:
        return [_criterion_dict(c) for c in self.criteria.get((kind, pk), [])]


def _owner(criterion: Criterion) -> tuple[str, int]:
    if criterion.goal_id:
        return ("goal", criterion.goal_id)
    if criterion.effort_area_id:
        return ("effort_area", criterion.effort_area_id)
    return ("activity", criterion.activity_id or 0)


def _activity_dict(activity: Activity, nesting: _Nesting) -> dict[str, Any]:
    return _file_dict(
        ACTIVITY_FIELDS,
        activity,
        decisions=[_file_dict(DECISION_FIELDS, d) for d in activity.decisions.all()],
        commentary=_commentary_list(activity.commentaries.all()),
        criteria=nesting.criteria_of("activity", activity.pk),
        sub_activities=[
            _activity_dict(sub, nesting)
            for sub in nesting.children.get(activity.pk, [])
        ],
    )


def _commentary_list(commentaries: Any) -> list[dict[str, Any]]:
    return [_file_dict(COMMENTARY_FIELDS, c) for c in commentaries]


def _plan_dict(plan: Plan) -> dict[str, Any]:
    size = plan.sizes.filter(area__isnull=True).first()
    return _file_dict(
        PLAN_FIELDS,
        plan,
        organisation=plan.organisation.name,
        size=_size_dict(size) if size else None,
        commentary=_commentary_list(
            plan.commentaries.filter(effort_area=None, activity=None).order_by("period")
        ),
    )


def _area_dict(area: Area) -> dict[str, Any]:
    return _file_dict(
        AREA_FIELDS,
        area,
        size=_size_dict(area.size) if hasattr(area, "size") else None,
    )


def _population_dict(population: Population) -> dict[str, Any]:
    parts = [part.slug for part in population.parts.order_by("order")]
    return _file_dict(POPULATION_FIELDS, population, parts=parts)


def _indicator_dict(indicator: Indicator) -> dict[str, Any]:
    other = indicator.denominator_indicator
    return _file_dict(
        INDICATOR_FIELDS,
        indicator,
        denominator_indicator=other.slug if other else None,
    )


def _goal_dict(goal: Goal, nesting: _Nesting) -> dict[str, Any]:
    return _file_dict(
        GOAL_FIELDS,
        goal,
        indicators=[i.slug for i in goal.indicators.order_by("order")],
        criteria=nesting.criteria_of("goal", goal.pk),
    )


def _effort_area_dict(effort_area: EffortArea, nesting: _Nesting) -> dict[str, Any]:
    return _file_dict(
        EFFORT_AREA_FIELDS,
        effort_area,
        commentary=_commentary_list(effort_area.commentaries.all()),
        criteria=nesting.criteria_of("effort_area", effort_area.pk),
        activities=[
            _activity_dict(a, nesting)
            for a in nesting.children.get(None, [])
            if a.effort_area_id == effort_area.pk
        ],
    )


def _funding_dict(plan: Plan) -> dict[str, Any] | None:
    projects = list(plan.funding_projects.all())
    if plan.funding_total_dkk is None and not plan.funding_note and not projects:
        return None
    return _file_dict(
        FUNDING_FIELDS,
        plan,
        projects=[_file_dict(FUNDING_PROJECT_FIELDS, p) for p in projects],
    )


def _observation_rows(plan: Plan) -> list[list[str]]:
    observations = (
        Observation.objects.filter(indicator__plan=plan)
        .select_related("indicator", "population")
        .order_by("indicator__order", "population__order", "period_end", "period_start")
    )
    rows = []
    for o in observations:
        cells = file_values(
            OBSERVATION_FIELDS,
            o,
            indicator=o.indicator.slug,
            population=o.population.slug,
            period=o.period,
        )
        rows.append([cells[column] for column in OBSERVATION_COLUMNS])
    return rows


def plan_to_data(plan: Plan) -> tuple[dict[str, Any], list[list[str]]]:
    """The plan as the data of plan.yaml and the rows of observations.csv."""
    nesting = _Nesting.of(plan)
    data: dict[str, Any] = {
        "format": FORMAT,
        "plan": _plan_dict(plan),
        "areas": [_area_dict(a) for a in plan.areas.select_related("size")],
        "populations": [
            _population_dict(p)
            for p in plan.populations.exclude(kind=Population.Kind.AREA)
        ],
        "indicators": [
            _indicator_dict(ind)
            for ind in plan.indicators.select_related("denominator_indicator")
        ],
        "goals": [_goal_dict(goal, nesting) for goal in plan.goals.all()],
        "effort_areas": [
            _effort_area_dict(ea, nesting)
            for ea in plan.effort_areas.prefetch_related("commentaries")
        ],
        # The top level's own fields are left out when empty; its sections
        # are always written.
        **_file_dict(PLAN_FILE_FIELDS, plan),
    }
    funding = _funding_dict(plan)
    if funding is not None:
        data["supplementary_funding"] = funding
    law_status = _law_status_dict(plan)
    if law_status is not None:
        data["law_status"] = law_status
    return data, _observation_rows(plan)


def _law_status_dict(plan: Plan) -> dict[str, Any] | None:
    """plan.yaml's ``law_status``, or None when the plan has none."""
    figures = {
        f.figure: (
            {"indicator": f.indicator.slug, "derive": f.derivation}
            if f.derivation
            else f.indicator.slug
        )
        for f in LawFigure.objects.filter(plan=plan)
        .select_related("indicator")
        .order_by("figure")
    }
    references = {
        r.scope: r.population.slug
        for r in LawReference.objects.filter(plan=plan).select_related("population")
    }
    if not figures and not references:
        return None
    data: dict[str, Any] = {
        scope: references[scope]
        for scope in ("national", "region")
        if scope in references
    }
    data["figures"] = figures
    return data


def plan_dump_folder(*, plan: Plan, folder: Path) -> list[Path]:
    """Write ``plan`` as a plan folder; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    data, rows = plan_to_data(plan)
    plan_path = folder / PLAN_FILE
    plan_path.write_text(dump_yaml(data), encoding="utf-8")
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(OBSERVATION_COLUMNS)
    writer.writerows(csv_row(row) for row in rows)
    obs_path = folder / OBSERVATIONS_FILE
    obs_path.write_text(buffer.getvalue(), encoding="utf-8")
    return [plan_path, obs_path]
