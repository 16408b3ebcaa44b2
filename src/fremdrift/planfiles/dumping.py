"""Writing a plan back as a plan folder (plan.yaml and observations.csv),
so that load -> dump -> load is a fixed point."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from fremdrift.base.yamlio import decimal_text, dump_yaml
from fremdrift.core.measures import MEASURE_UNITS, MeasureKind
from fremdrift.core.model import CriterionKind
from fremdrift.core.targets import target_from_json, target_to_file
from fremdrift.plans.models import (
    Activity,
    Criterion,
    Plan,
    Population,
    SizeRecord,
)
from fremdrift.statistics.models import Observation

from .reader import (
    OBSERVATION_COLUMNS,
    OBSERVATIONS_FILE,
    PLAN_FILE,
)
from .schema import (
    FORMAT,
    MeasureSpec,
)


def _number(value: Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(value).normalize()


def _drop_empty(data: dict[str, Any], keep: Iterable[str] = ()) -> dict[str, Any]:
    """Leave out fields at their default so a dump reads like a hand-written
    file; ``keep`` names fields that are always written."""
    kept = set(keep)
    return {
        key: value
        for key, value in data.items()
        if key in kept or value not in (None, "", [], {}, False)
    }


def _size_dict(size: SizeRecord) -> dict[str, Any]:
    return _drop_empty(
        {
            "as_of": size.as_of,
            "source": size.source,
            "housing_organisations": size.housing_organisations,
            "department_boards": size.department_boards,
            "leases": size.leases,
            "residents": size.residents,
        },
        keep=["as_of"],
    )


# A JSON field's keys come back in the database's order (PostgreSQL's jsonb
# sorts them by length); a dump writes them in the plan format's order.
def _in_order(data: dict[str, Any], order: Iterable[str]) -> dict[str, Any]:
    rank = {key: index for index, key in enumerate(order)}
    return dict(sorted(data.items(), key=lambda item: rank.get(item[0], len(rank))))


def _target_from_json(criterion: Criterion) -> Decimal | dict[str, Decimal] | None:
    kind = CriterionKind(criterion.kind)
    return target_to_file(target_from_json(kind, criterion.target))


def _criterion_dict(criterion: Criterion) -> dict[str, Any]:
    baseline = None
    if (
        criterion.baseline_value is not None
        or criterion.baseline_period
        or criterion.baseline_flags
    ):
        baseline = _drop_empty(
            {
                "value": _number(criterion.baseline_value),
                "numerator": _number(criterion.baseline_numerator),
                "denominator": _number(criterion.baseline_denominator),
                "period": criterion.baseline_period or None,
                "note": criterion.baseline_note,
                "flags": list(criterion.baseline_flags),
            }
        )
    indicator_unit = criterion.indicator.unit if criterion.indicator else None
    values = [
        _drop_empty(
            {
                "period": value.period,
                "value": _number(value.value),
                "numerator": _number(value.numerator),
                "denominator": _number(value.denominator),
                "source": value.source,
                "note": value.note,
                "flags": list(value.flags),
            },
            keep=["period"],
        )
        for value in criterion.reported_values.all()
    ]
    return _drop_empty(
        {
            "id": criterion.ident,
            "text": criterion.text,
            "own_defined": criterion.own_defined,
            "counts_persons": criterion.counts_persons,
            "kind": criterion.kind,
            "unit": None
            if (indicator_unit == criterion.unit and criterion.indicator)
            or (
                criterion.measure
                and MEASURE_UNITS[MeasureKind(criterion.measure["kind"])].value
                == criterion.unit
            )
            else criterion.unit,
            "unit_label": criterion.unit_label,
            "better": criterion.better or None,
            "target": _target_from_json(criterion),
            "aggregation": None
            if criterion.aggregation == "latest"
            else criterion.aggregation,
            "baseline": baseline,
            "indicator": criterion.indicator.slug if criterion.indicator else None,
            "population": criterion.population.slug if criterion.population else None,
            "values": values,
            "measure": _in_order(criterion.measure, MeasureSpec.model_fields) or None,
            "period": criterion.period or None,
            "reported_verdict": criterion.reported_verdict or None,
            "evidence": criterion.evidence,
            "verdict": criterion.recorded_verdict or None,
            "notes": list(criterion.notes),
        },
        keep=["id", "text", "kind"],
    )


def plan_to_data(plan: Plan) -> tuple[dict[str, Any], list[list[str]]]:
    """The plan as the data of plan.yaml and the rows of observations.csv."""
    criteria_by_owner: dict[tuple[str, int], list[Criterion]] = {}
    criteria = (
        Criterion.objects.filter(plan=plan)
        .select_related("indicator", "population")
        .prefetch_related("reported_values")
        .order_by("order")
    )
    for criterion in criteria:
        if criterion.goal_id:
            owner = ("goal", criterion.goal_id)
        elif criterion.effort_area_id:
            owner = ("effort_area", criterion.effort_area_id)
        else:
            owner = ("activity", criterion.activity_id or 0)
        criteria_by_owner.setdefault(owner, []).append(criterion)

    def owned(kind: str, pk: int) -> list[dict[str, Any]]:
        return [_criterion_dict(c) for c in criteria_by_owner.get((kind, pk), [])]

    all_activities = list(
        Activity.objects.filter(plan=plan)
        .prefetch_related("decisions")
        .order_by("order")
    )
    children: dict[int | None, list[Activity]] = {}
    for activity in all_activities:
        children.setdefault(activity.parent_id, []).append(activity)

    def activity_dict(activity: Activity) -> dict[str, Any]:
        return _drop_empty(
            {
                "slug": activity.slug,
                "name": activity.name,
                "description": activity.description,
                "target_group": activity.target_group,
                "partners": list(activity.partners),
                "start": activity.start,
                "end": activity.end,
                "extended_to": activity.extended_to,
                "decisions": [
                    _drop_empty({"date": d.date, "text": d.text}, keep=["text"])
                    for d in activity.decisions.all()
                ],
                "commentary": [
                    _drop_empty(
                        {
                            "period": c.period or None,
                            "text": c.text,
                            "author": c.author,
                        },
                        keep=["text"],
                    )
                    for c in activity.commentaries.all()
                ],
                "notes": list(activity.notes),
                "criteria": owned("activity", activity.pk),
                "sub_activities": [
                    activity_dict(sub) for sub in children.get(activity.pk, [])
                ],
            },
            keep=["slug", "name"],
        )

    plan_size = plan.sizes.filter(area__isnull=True).first()
    data: dict[str, Any] = {
        "format": FORMAT,
        "plan": _drop_empty(
            {
                "slug": plan.slug,
                "name": plan.name,
                "short_name": plan.short_name,
                "start": plan.start,
                "end": plan.end,
                "vision": plan.vision,
                "organisation": plan.organisation.name,
                "municipality": plan.municipality,
                "predecessor": plan.predecessor,
                "successor": plan.successor,
                "introduction": plan.introduction,
                "method": plan.method,
                "summary": plan.summary,
                "size": _size_dict(plan_size) if plan_size else None,
                "notes": list(plan.notes),
            },
            keep=["slug", "name", "start", "end", "organisation"],
        ),
        "areas": [
            _drop_empty(
                {
                    "slug": area.slug,
                    "name": area.name,
                    "aliases": list(area.aliases),
                    "housing_organisations": list(area.housing_organisations),
                    "size": _size_dict(area.size) if hasattr(area, "size") else None,
                },
                keep=["slug", "name"],
            )
            for area in plan.areas.select_related("size")
        ],
        "populations": [
            _drop_empty(
                {
                    "slug": p.slug,
                    "name": p.name,
                    "kind": p.kind,
                    "aliases": list(p.aliases),
                    "parts": [part.slug for part in p.parts.order_by("order")],
                },
                keep=["slug", "name", "kind"],
            )
            for p in plan.populations.exclude(kind=Population.Kind.AREA)
        ],
        "indicators": [
            _drop_empty(
                {
                    "slug": ind.slug,
                    "name": ind.name,
                    "short_name": ind.short_name,
                    "unit": ind.unit,
                    "unit_label": ind.unit_label,
                    "better": ind.better,
                    "definition": ind.definition,
                    "source": ind.source,
                    "measured": ind.measured,
                    "counts_persons": ind.counts_persons,
                    "additive": ind.additive,
                    "change": ind.change,
                    "denominator_indicator": ind.denominator_indicator.slug
                    if ind.denominator_indicator
                    else None,
                    "notes": list(ind.notes),
                },
                keep=["slug", "name", "unit", "better"],
            )
            for ind in plan.indicators.select_related("denominator_indicator")
        ],
        "goals": [
            _drop_empty(
                {
                    "slug": goal.slug,
                    "name": goal.name,
                    "description": goal.description,
                    "indicators": [i.slug for i in goal.indicators.order_by("order")],
                    "criteria": owned("goal", goal.pk),
                },
                keep=["slug", "name"],
            )
            for goal in plan.goals.all()
        ],
        "effort_areas": [
            _drop_empty(
                {
                    "slug": ea.slug,
                    "name": ea.name,
                    "description": ea.description,
                    "criteria": owned("effort_area", ea.pk),
                    "activities": [
                        activity_dict(a)
                        for a in children.get(None, [])
                        if a.effort_area_id == ea.pk
                    ],
                },
                keep=["slug", "name"],
            )
            for ea in plan.effort_areas.all()
        ],
    }
    if plan.other_activities:
        data["other_activities"] = plan.other_activities
    projects = list(plan.funding_projects.all())
    if plan.funding_total_dkk is not None or plan.funding_note or projects:
        data["supplementary_funding"] = _drop_empty(
            {
                "total_dkk": _number(plan.funding_total_dkk),
                "total_note": plan.funding_note,
                "projects": [
                    _drop_empty(
                        {
                            "name": p.name,
                            "funder": p.funder,
                            "amount_dkk": _number(p.amount_dkk),
                        },
                        keep=["name"],
                    )
                    for p in projects
                ],
            }
        )

    rows = [
        [
            o.indicator.slug,
            o.population.slug,
            o.period,
            _csv_number(o.value),
            _csv_number(o.numerator),
            _csv_number(o.denominator),
            o.note,
            ";".join(o.flags),
        ]
        for o in Observation.objects.filter(indicator__plan=plan)
        .select_related("indicator", "population")
        .order_by("indicator__order", "population__order", "period_end", "period_start")
    ]
    return data, rows


def _csv_number(value: Decimal | None) -> str:
    if value is None:
        return ""
    return decimal_text(Decimal(value))


def plan_dump_folder(*, plan: Plan, folder: Path) -> list[Path]:
    """Write ``plan`` as a plan folder; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    data, rows = plan_to_data(plan)
    plan_path = folder / PLAN_FILE
    plan_path.write_text(dump_yaml(data), encoding="utf-8")
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(OBSERVATION_COLUMNS)
    writer.writerows(rows)
    obs_path = folder / OBSERVATIONS_FILE
    obs_path.write_text(buffer.getvalue(), encoding="utf-8")
    return [plan_path, obs_path]
