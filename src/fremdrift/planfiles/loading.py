"""Loading a validated plan folder into the database: every row matched on
its slug or id, updated in place, and stale rows deleted last."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from fremdrift.base.versioning import versions_bump
from fremdrift.core.measures import MEASURE_UNITS
from fremdrift.core.model import Target
from fremdrift.core.periods import parse_period
from fremdrift.core.targets import target_to_json
from fremdrift.plans.models import (
    Activity,
    Area,
    Commentary,
    Criterion,
    Decision,
    EffortArea,
    FundingProject,
    Goal,
    Organisation,
    Plan,
    Population,
    ReportedValue,
    SizeRecord,
)
from fremdrift.statistics.models import Indicator, Observation

from .reader import (
    PlanFolder,
)
from .schema import (
    ActivitySpec,
    CriterionSpecFile,
    PlanFile,
    SizeSpec,
)


@dataclass
class LoadSummary:
    """What a load changed, per model: created, updated, deleted rows."""

    plan_slug: str
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    deleted: Counter[str] = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(
            sum(self.created.values())
            + sum(self.updated.values())
            + sum(self.deleted.values())
        )

    def describe(self) -> str:
        if not self.changed:
            return f"Plan {self.plan_slug}: nothing changed."
        parts = []
        for label, counter in (
            ("created", self.created),
            ("updated", self.updated),
            ("deleted", self.deleted),
        ):
            total = sum(counter.values())
            if total:
                detail = ", ".join(
                    f"{n} {name}" for name, n in sorted(counter.items()) if n
                )
                parts.append(f"{label} {total} ({detail})")
        return f"Plan {self.plan_slug}: " + "; ".join(parts) + "."


def _target_json(target: Target) -> dict[str, str]:
    """The criterion's target as the database stores it."""
    return target_to_json(target)


class _Syncer:
    """Brings the rows of one model in line with the desired rows, matched
    on a natural key; remembers stale rows so they can be deleted last,
    after every row that might still point at them has been updated."""

    def __init__(self, summary: LoadSummary) -> None:
        self.summary = summary
        self.stale: list[tuple[str, list[models.Model]]] = []
        # Rows this load created: later link updates on them are part of
        # their creation, not changes.
        self.created: set[tuple[type[models.Model], int]] = set()
        # Every row created, updated or deleted, in that order.
        self.changed: list[models.Model] = []

    def sync(
        self,
        queryset: models.QuerySet[Any],
        key: Callable[[Any], Hashable],
        desired: dict[Hashable, dict[str, Any]],
        label: str,
    ) -> dict[Hashable, Any]:
        model = queryset.model
        existing = {key(obj): obj for obj in queryset}
        result: dict[Hashable, Any] = {}
        to_create = []
        for item_key, values in desired.items():
            obj = existing.pop(item_key, None)
            if obj is None:
                obj = model(**values)
                to_create.append(obj)
            else:
                changed = [
                    name
                    for name, value in values.items()
                    if getattr(obj, name) != value
                ]
                if changed:
                    for name in changed:
                        setattr(obj, name, values[name])
                    obj.save(update_fields=changed)
                    self.summary.updated[label] += 1
                    self.changed.append(obj)
            result[item_key] = obj
        if to_create:
            for obj in to_create:
                # One by one so that primary keys are set on every backend;
                # plans are small, observations go through bulk_create below.
                obj.save()
                self.created.add((model, obj.pk))
                self.changed.append(obj)
            self.summary.created[label] += len(to_create)
        if existing:
            self.stale.append((label, list(existing.values())))
        return result

    def delete_stale(self) -> None:
        for label, objects in reversed(self.stale):
            for obj in objects:
                self.changed.append(obj)
                obj.delete()
            self.summary.deleted[label] += len(objects)


def _size_values(size: SizeSpec) -> dict[str, Any]:
    return {
        "as_of": size.as_of,
        "source": size.source,
        "housing_organisations": size.housing_organisations,
        "department_boards": size.department_boards,
        "leases": size.leases,
        "residents": size.residents,
    }


def _flatten_activities(
    activities: Iterable[ActivitySpec], parent: ActivitySpec | None = None
) -> Iterable[tuple[ActivitySpec, ActivitySpec | None]]:
    for activity in activities:
        yield activity, parent
        yield from _flatten_activities(activity.sub_activities, activity)


def write_plan(parsed: PlanFolder) -> LoadSummary:
    spec: PlanFile = parsed.plan
    summary = LoadSummary(plan_slug=spec.plan.slug)
    syncer = _Syncer(summary)

    organisation, created = Organisation.objects.get_or_create(
        name=spec.plan.organisation
    )
    if created:
        summary.created["organisations"] += 1
    funding = spec.supplementary_funding
    plan_values = {
        "organisation_id": organisation.pk,
        "name": spec.plan.name,
        "short_name": spec.plan.short_name,
        "start": spec.plan.start,
        "end": spec.plan.end,
        "vision": spec.plan.vision,
        "municipality": spec.plan.municipality,
        "predecessor": spec.plan.predecessor or "",
        "successor": spec.plan.successor or "",
        "introduction": spec.plan.introduction,
        "method": spec.plan.method,
        "summary": spec.plan.summary,
        "other_activities": spec.other_activities,
        "funding_total_dkk": funding.total_dkk if funding else None,
        "funding_note": funding.total_note if funding else "",
        "notes": list(spec.plan.notes),
    }
    plan = syncer.sync(
        Plan.objects.filter(slug=spec.plan.slug),
        key=lambda p: p.slug,
        desired={spec.plan.slug: {"slug": spec.plan.slug, **plan_values}},
        label="plans",
    )[spec.plan.slug]

    areas = syncer.sync(
        Area.objects.filter(plan=plan),
        key=lambda a: a.slug,
        desired={
            area.slug: {
                "plan_id": plan.pk,
                "slug": area.slug,
                "name": area.name,
                "aliases": list(area.aliases),
                "housing_organisations": list(area.housing_organisations),
                "order": i,
            }
            for i, area in enumerate(spec.areas)
        },
        label="areas",
    )
    sizes: dict[Hashable, dict[str, Any]] = {}
    if spec.plan.size:
        sizes[None] = {
            "plan_id": plan.pk,
            "area_id": None,
            **_size_values(spec.plan.size),
        }
    for area in spec.areas:
        if area.size:
            sizes[area.slug] = {
                "plan_id": plan.pk,
                "area_id": areas[area.slug].pk,
                **_size_values(area.size),
            }
    syncer.sync(
        SizeRecord.objects.filter(plan=plan).select_related("area"),
        key=lambda s: s.area.slug if s.area else None,
        desired=sizes,
        label="sizes",
    )

    population_values: dict[Hashable, dict[str, Any]] = {}
    for i, area in enumerate(spec.areas):
        population_values[area.slug] = {
            "plan_id": plan.pk,
            "area_id": areas[area.slug].pk,
            "slug": area.slug,
            "name": area.name,
            "kind": Population.Kind.AREA,
            "aliases": list(area.aliases),
            "order": i,
        }
    for j, population in enumerate(spec.populations, start=len(spec.areas)):
        population_values[population.slug] = {
            "plan_id": plan.pk,
            "area_id": None,
            "slug": population.slug,
            "name": population.name,
            "kind": population.kind,
            "aliases": list(population.aliases),
            "order": j,
        }
    populations = syncer.sync(
        Population.objects.filter(plan=plan),
        key=lambda p: p.slug,
        desired=population_values,
        label="populations",
    )

    for population_spec in spec.populations:
        population = populations[population_spec.slug]
        wanted = {populations[part].pk for part in population_spec.parts}
        current = set(population.parts.values_list("pk", flat=True))
        if wanted != current:
            population.parts.set(wanted)
            if (Population, population.pk) not in syncer.created:
                summary.updated["population parts"] += 1

    indicators = syncer.sync(
        Indicator.objects.filter(plan=plan),
        key=lambda i: i.slug,
        desired={
            ind.slug: {
                "plan_id": plan.pk,
                "slug": ind.slug,
                "name": ind.name,
                "short_name": ind.short_name,
                "unit": ind.unit.value,
                "unit_label": ind.unit_label or "",
                "better": ind.better.value,
                "definition": ind.definition,
                "source": ind.source,
                "measured": ind.measured or "",
                "counts_persons": ind.counts_persons,
                "additive": ind.additive,
                "change": ind.change,
                "notes": list(ind.notes),
                "order": i,
            }
            for i, ind in enumerate(spec.indicators)
        },
        label="indicators",
    )
    # A rate's denominator indicator is set once every indicator exists.
    for ind in spec.indicators:
        row = indicators[ind.slug]
        wanted = (
            indicators[ind.denominator_indicator].pk
            if ind.denominator_indicator
            else None
        )
        if row.denominator_indicator_id != wanted:
            row.denominator_indicator_id = wanted
            row.save(update_fields=["denominator_indicator"])
            if (Indicator, row.pk) not in syncer.created:
                summary.updated["indicators"] += 1

    goals = syncer.sync(
        Goal.objects.filter(plan=plan),
        key=lambda g: g.slug,
        desired={
            goal.slug: {
                "plan_id": plan.pk,
                "slug": goal.slug,
                "name": goal.name,
                "description": goal.description,
                "order": i,
            }
            for i, goal in enumerate(spec.goals)
        },
        label="goals",
    )
    for goal_spec in spec.goals:
        goal = goals[goal_spec.slug]
        wanted = {indicators[slug].pk for slug in goal_spec.indicators}
        current = set(goal.indicators.values_list("pk", flat=True))
        if wanted != current:
            goal.indicators.set(wanted)
            if (Goal, goal.pk) not in syncer.created:
                summary.updated["goal indicators"] += 1

    effort_areas = syncer.sync(
        EffortArea.objects.filter(plan=plan),
        key=lambda e: e.slug,
        desired={
            ea.slug: {
                "plan_id": plan.pk,
                "slug": ea.slug,
                "name": ea.name,
                "description": ea.description,
                "order": i,
            }
            for i, ea in enumerate(spec.effort_areas)
        },
        label="effort areas",
    )

    activity_rows: dict[Hashable, dict[str, Any]] = {}
    parents: dict[str, str | None] = {}
    activity_specs: dict[str, ActivitySpec] = {}
    order = 0
    for ea in spec.effort_areas:
        for activity, parent in _flatten_activities(ea.activities):
            parents[activity.slug] = parent.slug if parent else None
            activity_specs[activity.slug] = activity
            activity_rows[activity.slug] = {
                "plan_id": plan.pk,
                "effort_area_id": effort_areas[ea.slug].pk,
                "slug": activity.slug,
                "name": activity.name,
                "description": activity.description,
                "target_group": activity.target_group or "",
                "partners": list(activity.partners),
                "start": activity.start,
                "end": activity.end,
                "extended_to": activity.extended_to,
                "notes": list(activity.notes),
                "order": order,
            }
            order += 1
    activities = syncer.sync(
        Activity.objects.filter(plan=plan),
        key=lambda a: a.slug,
        desired=activity_rows,
        label="activities",
    )
    # The parent link is set once every activity exists, so a sub-activity
    # may name a parent that this load creates.
    for slug, activity in activities.items():
        parent_slug = parents[str(slug)]
        parent_id = activities[parent_slug].pk if parent_slug else None
        if activity.parent_id != parent_id:
            activity.parent_id = parent_id
            activity.save(update_fields=["parent_id"])
            if (Activity, activity.pk) not in syncer.created:
                summary.updated["activities"] += 1

    syncer.sync(
        Decision.objects.filter(activity__plan=plan).select_related("activity"),
        key=lambda d: (d.activity.slug, d.order),
        desired={
            (slug, i): {
                "activity_id": activities[slug].pk,
                "date": decision.date,
                "text": decision.text,
                "order": i,
            }
            for slug, activity in activity_specs.items()
            for i, decision in enumerate(activity.decisions)
        },
        label="decisions",
    )

    syncer.sync(
        Commentary.objects.filter(activity__plan=plan).select_related("activity"),
        key=lambda c: (c.activity.slug, c.period),
        desired={
            (slug, commentary.period or ""): {
                "activity_id": activities[slug].pk,
                "period": commentary.period or "",
                "text": commentary.text,
                "author": commentary.author,
            }
            for slug, activity in activity_specs.items()
            for commentary in activity.commentary
        },
        label="commentaries",
    )

    criterion_rows: dict[Hashable, dict[str, Any]] = {}
    criterion_specs: dict[str, CriterionSpecFile] = {}
    owners: list[tuple[dict[str, Any], list[CriterionSpecFile]]] = []
    for goal_spec in spec.goals:
        owners.append(({"goal_id": goals[goal_spec.slug].pk}, goal_spec.criteria))
    for ea in spec.effort_areas:
        owners.append(({"effort_area_id": effort_areas[ea.slug].pk}, ea.criteria))
        for activity, _parent in _flatten_activities(ea.activities):
            owners.append(
                ({"activity_id": activities[activity.slug].pk}, activity.criteria)
            )
    order = 0
    for owner, criteria in owners:
        for criterion in criteria:
            criterion_specs[criterion.id] = criterion
            unit = criterion.unit
            if unit is None and criterion.indicator:
                unit_value = indicators[criterion.indicator].unit
            elif unit is None and criterion.measure:
                unit_value = MEASURE_UNITS[criterion.measure.kind].value
            else:
                unit_value = unit.value if unit else "count"
            baseline = criterion.baseline
            criterion_rows[criterion.id] = {
                "plan_id": plan.pk,
                "goal_id": None,
                "effort_area_id": None,
                "activity_id": None,
                **owner,
                "ident": criterion.id,
                "text": criterion.text,
                "own_defined": criterion.own_defined,
                "counts_persons": criterion.counts_persons,
                "kind": criterion.kind.value,
                "unit": unit_value,
                "unit_label": criterion.unit_label or "",
                "better": criterion.better.value if criterion.better else "",
                "target": _target_json(criterion.target),
                "aggregation": criterion.aggregation.value,
                "baseline_value": baseline.value if baseline else None,
                "baseline_numerator": baseline.numerator if baseline else None,
                "baseline_denominator": baseline.denominator if baseline else None,
                "baseline_period": (baseline.period or "") if baseline else "",
                "baseline_note": baseline.note if baseline else "",
                "baseline_flags": [f.value for f in baseline.flags] if baseline else [],
                "indicator_id": (
                    indicators[criterion.indicator].pk if criterion.indicator else None
                ),
                "population_id": (
                    populations[criterion.population].pk
                    if criterion.population
                    else None
                ),
                "period": criterion.period or "",
                "measure": criterion.measure.model_dump(mode="json", exclude_none=True)
                if criterion.measure
                else {},
                "reported_verdict": (
                    criterion.reported_verdict.value
                    if criterion.reported_verdict
                    else ""
                ),
                "evidence": criterion.evidence or "",
                "recorded_verdict": criterion.verdict.value
                if criterion.verdict
                else "",
                "notes": list(criterion.notes),
                "order": order,
            }
            order += 1
    criteria_by_id = syncer.sync(
        Criterion.objects.filter(plan=plan),
        key=lambda c: c.ident,
        desired=criterion_rows,
        label="criteria",
    )

    value_rows: dict[Hashable, dict[str, Any]] = {}
    for ident, criterion in criterion_specs.items():
        for i, value in enumerate(criterion.values):
            period = parse_period(value.period)
            value_rows[(ident, value.period)] = {
                "criterion_id": criteria_by_id[ident].pk,
                "period": value.period,
                "period_start": period.start,
                "period_end": period.end,
                "value": value.value,
                "numerator": value.numerator,
                "denominator": value.denominator,
                "source": value.source,
                "note": value.note,
                "flags": [f.value for f in value.flags],
                "order": i,
            }
    syncer.sync(
        ReportedValue.objects.filter(criterion__plan=plan).select_related("criterion"),
        key=lambda v: (v.criterion.ident, v.period),
        desired=value_rows,
        label="reported values",
    )

    syncer.sync(
        FundingProject.objects.filter(plan=plan),
        key=lambda f: f.order,
        desired={
            i: {
                "plan_id": plan.pk,
                "name": project.name,
                "funder": project.funder or "",
                "amount_dkk": project.amount_dkk,
                "order": i,
            }
            for i, project in enumerate(funding.projects if funding else [])
        },
        label="funding projects",
    )

    _sync_observations(plan, parsed, indicators, populations, summary, syncer)
    syncer.delete_stale()
    # A criterion form opened in the admin before this load is refused
    # instead of undoing what the load changed (fremdrift.base.versioning).
    changed_criteria = {
        obj.pk if isinstance(obj, Criterion) else obj.criterion_id
        for obj in syncer.changed
        if isinstance(obj, Criterion | ReportedValue)
    }
    created = {pk for model, pk in syncer.created if model is Criterion}
    versions_bump(Criterion.objects.filter(pk__in=changed_criteria - created))
    return summary


def _sync_observations(
    plan: Plan,
    parsed: PlanFolder,
    indicators: dict[Hashable, Indicator],
    populations: dict[Hashable, Population],
    summary: LoadSummary,
    syncer: _Syncer,
) -> None:
    """Observations can be many; they are created and updated in bulk."""
    existing = {
        (o.indicator_id, o.population_id, o.period): o
        for o in Observation.objects.filter(indicator__plan=plan)
    }
    fields = [
        "period_start",
        "period_end",
        "value",
        "numerator",
        "denominator",
        "note",
        "flags",
    ]
    to_create: list[Observation] = []
    to_update: list[Observation] = []
    for row in parsed.observations:
        indicator = indicators[row.indicator]
        population = populations[row.population]
        values = {
            "period_start": row.period.start,
            "period_end": row.period.end,
            "value": row.value,
            "numerator": row.numerator,
            "denominator": row.denominator,
            "note": row.note,
            "flags": list(row.flags),
        }
        key = (indicator.pk, population.pk, row.period.code)
        current = existing.pop(key, None)
        if current is None:
            to_create.append(
                Observation(
                    indicator=indicator,
                    population=population,
                    period=row.period.code,
                    **values,
                )
            )
        elif any(getattr(current, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(current, name, value)
            to_update.append(current)
    Observation.objects.bulk_create(to_create, batch_size=1000)
    Observation.objects.bulk_update(to_update, fields, batch_size=1000)
    summary.created["observations"] += len(to_create)
    summary.updated["observations"] += len(to_update)
    # Observations that an import brought in belong to that import (it can
    # be undone); the plan folder deletes only what it brought itself.
    stale = [o.pk for o in existing.values() if o.batch_id is None]
    if stale:
        Observation.objects.filter(pk__in=stale).delete()
        summary.deleted["observations"] += len(stale)
