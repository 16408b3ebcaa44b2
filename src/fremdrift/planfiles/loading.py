"""Loading a validated plan folder into the database: every row matched on
its slug or id, updated in place, and stale rows deleted last."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from fremdrift.areastatus.models import LawFigure, LawReference
from fremdrift.base.freshness import plan_data_changed
from fremdrift.base.history import acting_user, change_reason
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
    TargetRevision,
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
    model_columns,
    model_values,
)
from .reader import (
    ObservationRow,
    PlanFolder,
)
from .schema import (
    ActivitySpec,
    AreaSpec,
    BaselineSpec,
    CommentarySpec,
    CriterionSpecFile,
    EffortAreaSpec,
    FundingSpec,
    PlanFile,
)


@dataclass
class LoadSummary:
    """What a load changed, per model: created, updated, deleted rows."""

    plan_slug: str
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    deleted: Counter[str] = field(default_factory=Counter)
    # Observations an import brought in whose row in observations.csv
    # differs: kept as imported unless the load was told to replace them.
    kept_imported: int = 0

    @property
    def changed(self) -> bool:
        return bool(
            sum(self.created.values())
            + sum(self.updated.values())
            + sum(self.deleted.values())
        )

    def describe(self) -> str:
        kept = (
            f" Kept {self.kept_imported} imported observation"
            f"{'s' if self.kept_imported != 1 else ''} that observations.csv "
            "gives otherwise (an import brought them in; --replace-imported "
            "overwrites them)."
            if self.kept_imported
            else ""
        )
        return self._describe_changes() + kept

    def _describe_changes(self) -> str:
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

    def sync_link(
        self, row: models.Model, field: str, wanted: int | None, label: str
    ) -> None:
        """Point ``row`` at another row of its model, which may exist only
        since this load synced the model's rows."""
        if getattr(row, field) != wanted:
            setattr(row, field, wanted)
            row.save(update_fields=[field])
            self._count_update(row, label)

    def sync_many(
        self, row: models.Model, related: Any, wanted: set[int], label: str
    ) -> None:
        """Bring a many-to-many link of ``row`` in line with ``wanted``."""
        current = set(related.values_list("pk", flat=True))
        if wanted != current:
            related.set(wanted)
            self._count_update(row, label)

    def _count_update(self, row: models.Model, label: str) -> None:
        if (type(row), row.pk) not in self.created:
            self.summary.updated[label] += 1


# The rows of one model that a load synced, by natural key.
_Rows = dict[Hashable, Any]


def _flatten_activities(
    activities: Iterable[ActivitySpec], parent: ActivitySpec | None = None
) -> Iterable[tuple[ActivitySpec, ActivitySpec | None]]:
    for activity in activities:
        yield activity, parent
        yield from _flatten_activities(activity.sub_activities, activity)


def _plan_activities(
    spec: PlanFile,
) -> Iterator[tuple[EffortAreaSpec, ActivitySpec, ActivitySpec | None]]:
    """Every activity of the plan, sub-activities after their parent."""
    for effort_area in spec.effort_areas:
        for activity, parent in _flatten_activities(effort_area.activities):
            yield effort_area, activity, parent


def write_plan(parsed: PlanFolder, *, replace_imported: bool = False) -> LoadSummary:
    spec: PlanFile = parsed.plan
    summary = LoadSummary(plan_slug=spec.plan.slug)
    syncer = _Syncer(summary)
    # Each step needs the rows of the steps before it; stale rows are
    # deleted only at the end, after nothing points at them any longer.
    plan = _load_plan(spec, syncer)
    areas = _load_areas(spec, plan, syncer)
    _load_sizes(spec, plan, areas, syncer)
    populations = _load_populations(spec, plan, areas, syncer)
    indicators = _load_indicators(spec, plan, syncer)
    goals = _load_goals(spec, plan, indicators, syncer)
    effort_areas = _load_effort_areas(spec, plan, syncer)
    activities = _load_activities(spec, plan, effort_areas, syncer)
    _load_decisions(spec, plan, activities, syncer)
    _load_commentary(spec, plan, effort_areas, activities, syncer)
    owners = _criterion_owners(spec, goals, effort_areas, activities)
    criteria = _load_criteria(owners, plan, indicators, populations, syncer)
    _load_reported_values(criteria, plan, syncer)
    _load_target_revisions(criteria, plan, syncer)
    _load_funding_projects(spec, plan, syncer)
    _load_law_status(spec, plan, indicators, populations, syncer)
    _sync_observations(plan, parsed, indicators, populations, summary, replace_imported)
    syncer.delete_stale()
    _bump_changed_criteria(syncer)
    return summary


def _load_law_status(
    spec: PlanFile, plan: Plan, indicators: _Rows, populations: _Rows, syncer: _Syncer
) -> None:
    """The indicators and populations the law's criteria are judged on."""
    law = spec.law_status
    syncer.sync(
        LawFigure.objects.filter(plan=plan),
        key=lambda f: f.figure,
        desired={
            figure: {
                "plan_id": plan.pk,
                "figure": figure,
                "indicator_id": indicators[slug].pk,
                "derivation": derive or "",
            }
            for figure, given in (law.figures.items() if law else ())
            for slug, derive in [
                (given, None) if isinstance(given, str) else given.as_pair()
            ]
        },
        label="law figures",
    )
    references = {scope: getattr(law, scope) for scope in ("national", "region") if law}
    syncer.sync(
        LawReference.objects.filter(plan=plan),
        key=lambda r: r.scope,
        desired={
            scope: {
                "plan_id": plan.pk,
                "scope": scope,
                "population_id": populations[slug].pk,
            }
            for scope, slug in references.items()
            if slug is not None
        },
        label="law references",
    )


def _load_plan(spec: PlanFile, syncer: _Syncer) -> Plan:
    organisation, created = Organisation.objects.get_or_create(
        name=spec.plan.organisation
    )
    if created:
        syncer.summary.created["organisations"] += 1
    values = {
        "organisation_id": organisation.pk,
        **model_values(PLAN_FIELDS, spec.plan),
        **model_values(PLAN_FILE_FIELDS, spec),
        **model_values(FUNDING_FIELDS, spec.supplementary_funding or FundingSpec()),
    }
    plan: Plan = syncer.sync(
        Plan.objects.filter(slug=spec.plan.slug),
        key=lambda p: p.slug,
        desired={spec.plan.slug: values},
        label="plans",
    )[spec.plan.slug]
    return plan


def _load_areas(spec: PlanFile, plan: Plan, syncer: _Syncer) -> _Rows:
    return syncer.sync(
        Area.objects.filter(plan=plan),
        key=lambda a: a.slug,
        desired={
            area.slug: {
                "plan_id": plan.pk,
                **model_values(AREA_FIELDS, area),
                "order": i,
            }
            for i, area in enumerate(spec.areas)
        },
        label="areas",
    )


def _load_sizes(spec: PlanFile, plan: Plan, areas: _Rows, syncer: _Syncer) -> None:
    # The plan's own size has no area; each area may have one more.
    sizes: dict[Hashable, dict[str, Any]] = {}
    if spec.plan.size:
        sizes[None] = {
            "plan_id": plan.pk,
            "area_id": None,
            **model_values(SIZE_FIELDS, spec.plan.size),
        }
    for area in spec.areas:
        if area.size:
            sizes[area.slug] = {
                "plan_id": plan.pk,
                "area_id": areas[area.slug].pk,
                **model_values(SIZE_FIELDS, area.size),
            }
    syncer.sync(
        SizeRecord.objects.filter(plan=plan).select_related("area"),
        key=lambda s: s.area.slug if s.area else None,
        desired=sizes,
        label="sizes",
    )


def _area_population(area: AreaSpec) -> dict[str, Any]:
    # Every area is a population of its own, so that observations and
    # criteria name areas and other populations alike.
    return {
        "slug": area.slug,
        "name": area.name,
        "kind": Population.Kind.AREA,
        "aliases": list(area.aliases),
    }


def _load_populations(
    spec: PlanFile, plan: Plan, areas: _Rows, syncer: _Syncer
) -> _Rows:
    desired: dict[Hashable, dict[str, Any]] = {}
    for i, area in enumerate(spec.areas):
        desired[area.slug] = {
            "plan_id": plan.pk,
            "area_id": areas[area.slug].pk,
            **_area_population(area),
            "order": i,
        }
    for j, population in enumerate(spec.populations, start=len(spec.areas)):
        desired[population.slug] = {
            "plan_id": plan.pk,
            "area_id": None,
            **model_values(POPULATION_FIELDS, population),
            "order": j,
        }
    populations = syncer.sync(
        Population.objects.filter(plan=plan),
        key=lambda p: p.slug,
        desired=desired,
        label="populations",
    )
    for population_spec in spec.populations:
        population = populations[population_spec.slug]
        wanted = {populations[part].pk for part in population_spec.parts}
        syncer.sync_many(population, population.parts, wanted, "population parts")
    return populations


def _load_indicators(spec: PlanFile, plan: Plan, syncer: _Syncer) -> _Rows:
    indicators = syncer.sync(
        Indicator.objects.filter(plan=plan),
        key=lambda i: i.slug,
        desired={
            ind.slug: {
                "plan_id": plan.pk,
                **model_values(INDICATOR_FIELDS, ind),
                "order": i,
            }
            for i, ind in enumerate(spec.indicators)
        },
        label="indicators",
    )
    # A rate's denominator indicator is set once every indicator exists.
    for ind in spec.indicators:
        other = ind.denominator_indicator
        wanted = indicators[other].pk if other else None
        syncer.sync_link(
            indicators[ind.slug], "denominator_indicator_id", wanted, "indicators"
        )
    return indicators


def _load_goals(
    spec: PlanFile, plan: Plan, indicators: _Rows, syncer: _Syncer
) -> _Rows:
    goals = syncer.sync(
        Goal.objects.filter(plan=plan),
        key=lambda g: g.slug,
        desired={
            goal.slug: {
                "plan_id": plan.pk,
                **model_values(GOAL_FIELDS, goal),
                "order": i,
            }
            for i, goal in enumerate(spec.goals)
        },
        label="goals",
    )
    for goal_spec in spec.goals:
        goal = goals[goal_spec.slug]
        wanted = {indicators[slug].pk for slug in goal_spec.indicators}
        syncer.sync_many(goal, goal.indicators, wanted, "goal indicators")
    return goals


def _load_effort_areas(spec: PlanFile, plan: Plan, syncer: _Syncer) -> _Rows:
    return syncer.sync(
        EffortArea.objects.filter(plan=plan),
        key=lambda e: e.slug,
        desired={
            ea.slug: {
                "plan_id": plan.pk,
                **model_values(EFFORT_AREA_FIELDS, ea),
                "order": i,
            }
            for i, ea in enumerate(spec.effort_areas)
        },
        label="effort areas",
    )


def _load_activities(
    spec: PlanFile, plan: Plan, effort_areas: _Rows, syncer: _Syncer
) -> _Rows:
    activities = syncer.sync(
        Activity.objects.filter(plan=plan),
        key=lambda a: a.slug,
        desired={
            activity.slug: {
                "plan_id": plan.pk,
                "effort_area_id": effort_areas[ea.slug].pk,
                **model_values(ACTIVITY_FIELDS, activity),
                "order": order,
            }
            for order, (ea, activity, _parent) in enumerate(_plan_activities(spec))
        },
        label="activities",
    )
    # The parent link is set once every activity exists, so a sub-activity
    # may name a parent that this load creates.
    for _ea, activity, parent in _plan_activities(spec):
        parent_id = activities[parent.slug].pk if parent else None
        syncer.sync_link(
            activities[activity.slug], "parent_id", parent_id, "activities"
        )
    return activities


def _load_decisions(
    spec: PlanFile, plan: Plan, activities: _Rows, syncer: _Syncer
) -> None:
    syncer.sync(
        Decision.objects.filter(activity__plan=plan).select_related("activity"),
        key=lambda d: (d.activity.slug, d.order),
        desired={
            (activity.slug, i): {
                "activity_id": activities[activity.slug].pk,
                **model_values(DECISION_FIELDS, decision),
                "order": i,
            }
            for _ea, activity, _parent in _plan_activities(spec)
            for i, decision in enumerate(activity.decisions)
        },
        label="decisions",
    )


def _load_commentary(
    spec: PlanFile,
    plan: Plan,
    effort_areas: _Rows,
    activities: _Rows,
    syncer: _Syncer,
) -> None:
    """The team's commentary on the plan, each effort area and each
    activity, one per owner and period: keyed by (level, slug, period)."""

    def key(c: Commentary) -> tuple[str, str, str]:
        if c.activity_id is not None:
            return ("activity", c.activity.slug, c.period)
        if c.effort_area_id is not None:
            return ("effort_area", c.effort_area.slug, c.period)
        return ("plan", "", c.period)

    def row(
        commentary: CommentarySpec,
        effort_area: int | None = None,
        activity: int | None = None,
    ) -> dict[str, Any]:
        return {
            "plan_id": plan.pk,
            "effort_area_id": effort_area,
            "activity_id": activity,
            **model_values(COMMENTARY_FIELDS, commentary),
        }

    desired = {("plan", "", c.period or ""): row(c) for c in spec.plan.commentary}
    for ea in spec.effort_areas:
        for c in ea.commentary:
            desired[("effort_area", ea.slug, c.period or "")] = row(
                c, effort_area=effort_areas[ea.slug].pk
            )
    for _ea, activity, _parent in _plan_activities(spec):
        for c in activity.commentary:
            desired[("activity", activity.slug, c.period or "")] = row(
                c, activity=activities[activity.slug].pk
            )
    syncer.sync(
        Commentary.objects.filter(plan=plan).select_related("effort_area", "activity"),
        key=key,
        desired=desired,
        label="commentaries",
    )


def _criterion_owners(
    spec: PlanFile, goals: _Rows, effort_areas: _Rows, activities: _Rows
) -> list[tuple[dict[str, Any], CriterionSpecFile]]:
    """Every criterion with the link to the one goal, effort area or
    activity it belongs to, in the plan file's order."""
    owned: list[tuple[dict[str, Any], list[CriterionSpecFile]]] = []
    for goal in spec.goals:
        owned.append(({"goal_id": goals[goal.slug].pk}, goal.criteria))
    for ea in spec.effort_areas:
        owned.append(({"effort_area_id": effort_areas[ea.slug].pk}, ea.criteria))
        for activity, _parent in _flatten_activities(ea.activities):
            owned.append(
                ({"activity_id": activities[activity.slug].pk}, activity.criteria)
            )
    return [(owner, criterion) for owner, criteria in owned for criterion in criteria]


def _criterion_unit(criterion: CriterionSpecFile, indicators: _Rows) -> Any:
    # A criterion on an indicator or a measure takes its unit unless it
    # names one itself.
    if criterion.unit is None and criterion.indicator:
        return indicators[criterion.indicator].unit
    if criterion.unit is None and criterion.measure:
        return MEASURE_UNITS[criterion.measure.kind].value
    return criterion.unit.value if criterion.unit else "count"


def _load_criteria(
    owners: list[tuple[dict[str, Any], CriterionSpecFile]],
    plan: Plan,
    indicators: _Rows,
    populations: _Rows,
    syncer: _Syncer,
) -> list[tuple[CriterionSpecFile, Criterion]]:
    desired: dict[Hashable, dict[str, Any]] = {}
    for order, (owner, criterion) in enumerate(owners):
        desired[criterion.id] = {
            "plan_id": plan.pk,
            "goal_id": None,
            "effort_area_id": None,
            "activity_id": None,
            **owner,
            **model_values(CRITERION_FIELDS, criterion),
            **model_values(BASELINE_FIELDS, criterion.baseline or BaselineSpec()),
            "unit": _criterion_unit(criterion, indicators),
            "target": _target_json(criterion.target),
            "indicator_id": (
                indicators[criterion.indicator].pk if criterion.indicator else None
            ),
            "population_id": (
                populations[criterion.population].pk if criterion.population else None
            ),
            "order": order,
        }
    rows = syncer.sync(
        Criterion.objects.filter(plan=plan),
        key=lambda c: c.ident,
        desired=desired,
        label="criteria",
    )
    return [(criterion, rows[criterion.id]) for _owner, criterion in owners]


def _load_reported_values(
    criteria: list[tuple[CriterionSpecFile, Criterion]], plan: Plan, syncer: _Syncer
) -> None:
    desired: dict[Hashable, dict[str, Any]] = {}
    for criterion, row in criteria:
        for i, value in enumerate(criterion.values):
            period = parse_period(value.period)
            desired[(criterion.id, value.period)] = {
                "criterion_id": row.pk,
                **model_values(VALUE_FIELDS, value),
                "period_start": period.start,
                "period_end": period.end,
                "order": i,
            }
    syncer.sync(
        ReportedValue.objects.filter(criterion__plan=plan).select_related("criterion"),
        key=lambda v: (v.criterion.ident, v.period),
        desired=desired,
        label="reported values",
    )


def _load_target_revisions(
    criteria: list[tuple[CriterionSpecFile, Criterion]], plan: Plan, syncer: _Syncer
) -> None:
    """Each revision of a target, matched on its criterion and day; the
    target it set is the next revision's ``from``, or the criterion's own
    target. Who recorded a revision on the web (and when) is not in the
    file and is kept."""
    desired: dict[Hashable, dict[str, Any]] = {}
    for criterion, row in criteria:
        revisions = criterion.target_revisions
        later = [r.previous for r in revisions[1:]] + [criterion.target]
        for revision, target in zip(revisions, later, strict=False):
            desired[(criterion.id, revision.date)] = {
                "criterion_id": row.pk,
                "in_force_from": revision.date,
                "previous_target": _target_json(revision.previous),
                "target": _target_json(target),
                "reason": revision.reason,
            }
    syncer.sync(
        TargetRevision.objects.filter(criterion__plan=plan).select_related("criterion"),
        key=lambda r: (r.criterion.ident, r.in_force_from),
        desired=desired,
        label="target revisions",
    )


def _load_funding_projects(spec: PlanFile, plan: Plan, syncer: _Syncer) -> None:
    funding = spec.supplementary_funding or FundingSpec()
    syncer.sync(
        FundingProject.objects.filter(plan=plan),
        key=lambda f: f.order,
        desired={
            i: {
                "plan_id": plan.pk,
                **model_values(FUNDING_PROJECT_FIELDS, project),
                "order": i,
            }
            for i, project in enumerate(funding.projects)
        },
        label="funding projects",
    )


def _bump_changed_criteria(syncer: _Syncer) -> None:
    # A criterion form opened in the admin before this load is refused
    # instead of undoing what the load changed (fremdrift.base.versioning).
    changed_criteria = {
        obj.pk if isinstance(obj, Criterion) else obj.criterion_id
        for obj in syncer.changed
        if isinstance(obj, Criterion | ReportedValue | TargetRevision)
    }
    created = {pk for model, pk in syncer.created if model is Criterion}
    versions_bump(Criterion.objects.filter(pk__in=changed_criteria - created))


# Every stored field of an observation that its plan-folder row gives.
_OBSERVATION_COLUMNS = [
    "period_start",
    "period_end",
    *model_columns(OBSERVATION_FIELDS),
]


def _observation_values(row: ObservationRow) -> dict[str, Any]:
    return {
        "period_start": row.period.start,
        "period_end": row.period.end,
        **model_values(OBSERVATION_FIELDS, row),
    }


def _sync_observations(
    plan: Plan,
    parsed: PlanFolder,
    indicators: _Rows,
    populations: _Rows,
    summary: LoadSummary,
    replace_imported: bool,
) -> None:
    """Observations can be many; they are created and updated in bulk.

    An observation an import brought in (its provenance, ``batch``, points
    at the import) is kept as it is when observations.csv gives it
    otherwise, and counted in ``summary.kept_imported``: re-loading an
    older plan folder must not silently revert what was imported since.
    With ``replace_imported`` the folder's row wins, and the observation
    becomes the folder's own (no batch)."""
    existing = {
        (o.indicator_id, o.population_id, o.period): o
        for o in Observation.objects.filter(indicator__plan=plan)
    }
    to_create: list[Observation] = []
    to_update: list[Observation] = []
    for row in parsed.observations:
        indicator = indicators[row.indicator]
        population = populations[row.population]
        values = _observation_values(row)
        current = existing.pop((indicator.pk, population.pk, row.period.code), None)
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
            if current.batch_id is not None and not replace_imported:
                summary.kept_imported += 1
                continue
            for name, value in values.items():
                setattr(current, name, value)
            current.batch = None
            to_update.append(current)
    # Bulk writes send no signals: their change history is written beside
    # them, in the load's transaction.
    who, why = acting_user(), change_reason() or "plan folder"
    bulk_create_with_history(
        to_create,
        Observation,
        batch_size=1000,
        default_user=who,
        default_change_reason=why,
    )
    bulk_update_with_history(
        to_update,
        Observation,
        [*_OBSERVATION_COLUMNS, "batch"],
        batch_size=1000,
        default_user=who,
        default_change_reason=why,
    )
    if to_create or to_update:
        # Bulk writes send no signals: a folder whose only change is in
        # observations.csv must still renew the plan's stored measures.
        plan_data_changed(plan.pk)
    summary.created["observations"] += len(to_create)
    summary.updated["observations"] += len(to_update)
    # Observations that an import brought in belong to that import (it can
    # be undone); the plan folder deletes only what it brought itself.
    stale = [o.pk for o in existing.values() if o.batch_id is None]
    if stale:
        Observation.objects.filter(pk__in=stale).delete()
        summary.deleted["observations"] += len(stale)
