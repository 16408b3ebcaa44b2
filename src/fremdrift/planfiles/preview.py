"""What loading a plan folder would change, before it is loaded: per kind of
object (the plan, its areas, criteria, observations ...) the objects that
would be created, updated (with each changed field, old -> new) and
removed, keyed by their slugs and ids.

The preview is the real load, run inside a savepoint that is rolled back:
the stored plan is read as a snapshot (every row the loader writes, its
foreign keys replaced by the natural keys of what they point at), the
folder is loaded, the snapshot is read again, and the two are compared by
``snapshot_diff``, a pure function. So the preview cannot drift from what
``fremdrift load`` does: it is what the loader did, undone. Rows that a
removal would delete with it (a removed activity's courses, sessions and
attendance) are counted with Django's deletion collector, which finds what
the delete would cascade to.

The snapshot's fingerprint is what applying a preview checks: a folder is
applied only while the stored plan still has the snapshot the preview was
made from, so what is applied is exactly what was shown.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from django.db import DEFAULT_DB_ALIAS, models, transaction
from django.db.models.deletion import Collector
from django.utils.translation import gettext_lazy

from fremdrift.base.yamlio import decimal_text
from fremdrift.core.model import CriterionKind
from fremdrift.core.targets import target_from_json, target_to_file
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

from .fieldmaps import BASELINE_FIELDS, CRITERION_FIELDS, FUNDING_FIELDS, FileField
from .loading import LoadSummary, write_plan
from .reader import PlanFolder

Action = Literal["created", "updated", "removed"]
# A row as the snapshot holds it: field name -> comparable value.
Row = dict[str, Any]
# kind -> natural key -> row.
Snapshot = dict[str, dict[str, Row]]

# Fields no plan folder sets: the loader's optimistic versions and the
# time a commentary was last saved; who recorded a revised target on the
# web, and when.
_NOT_COMPARED = frozenset(
    {"id", "version", "changed_at", "updated_at", "revised_by", "recorded_at"}
)


@dataclass(frozen=True)
class Kind:
    """One kind of object the loader writes: how to find a plan's rows of
    it, and the natural key the loader matches them on."""

    name: str
    title: Any  # the Danish (translatable) heading on the web page
    model: type[models.Model]
    rows: Callable[[str], models.QuerySet[Any]]
    key: Callable[[Any], str]
    # The fields of the plan file stored under another name (a criterion's
    # "ident" is its "id" in plan.yaml), for showing a change by the name
    # the folder gives it.
    file_names: dict[str, str] = field(default_factory=dict)
    # Values shown as the folder writes them rather than as stored.
    shown: dict[str, Callable[[Any], Any]] = field(default_factory=dict)


def _file_names(fields: Iterable[FileField], prefix: str = "") -> dict[str, str]:
    return {
        f.column: f"{prefix}{f.name}" for f in fields if prefix or f.column != f.name
    }


def _criterion_target(criterion: Criterion) -> Any:
    # {"number": "100"} in the database, 100 in plan.yaml.
    kind = CriterionKind(criterion.kind)
    return target_to_file(target_from_json(kind, criterion.target))


def _revision_target(field: str) -> Callable[[TargetRevision], Any]:
    # A revision's targets as plan.yaml writes them, as for the criterion.
    def shown(revision: TargetRevision) -> Any:
        kind = CriterionKind(revision.criterion.kind)
        return target_to_file(target_from_json(kind, getattr(revision, field)))

    return shown


def _period_key(owner: str, period: str) -> str:
    return f"{owner} {period}" if period else owner


# In the loader's order, so that a row's foreign keys point at kinds above.
KINDS: tuple[Kind, ...] = (
    Kind(
        "plan",
        gettext_lazy("Planen"),
        Plan,
        lambda slug: Plan.objects.filter(slug=slug).select_related("organisation"),
        lambda p: p.slug,
        _file_names(FUNDING_FIELDS, "supplementary_funding."),
    ),
    Kind(
        "areas",
        gettext_lazy("Boligområder"),
        Area,
        lambda slug: Area.objects.filter(plan__slug=slug),
        lambda a: a.slug,
    ),
    Kind(
        "sizes",
        gettext_lazy("Størrelser (lejemål og beboere)"),
        SizeRecord,
        lambda slug: SizeRecord.objects.filter(plan__slug=slug).select_related(
            "area", "plan"
        ),
        lambda s: s.area.slug if s.area else s.plan.slug,
    ),
    Kind(
        "populations",
        gettext_lazy("Sammenligningsgrundlag"),
        Population,
        lambda slug: Population.objects.filter(plan__slug=slug),
        lambda p: p.slug,
    ),
    Kind(
        "indicators",
        gettext_lazy("Indikatorer"),
        Indicator,
        lambda slug: Indicator.objects.filter(plan__slug=slug),
        lambda i: i.slug,
    ),
    Kind(
        "goals",
        gettext_lazy("Overordnede mål"),
        Goal,
        lambda slug: Goal.objects.filter(plan__slug=slug),
        lambda g: g.slug,
    ),
    Kind(
        "effort areas",
        gettext_lazy("Indsatsområder"),
        EffortArea,
        lambda slug: EffortArea.objects.filter(plan__slug=slug),
        lambda e: e.slug,
    ),
    Kind(
        "activities",
        gettext_lazy("Aktiviteter"),
        Activity,
        lambda slug: Activity.objects.filter(plan__slug=slug),
        lambda a: a.slug,
    ),
    Kind(
        "decisions",
        gettext_lazy("Beslutninger"),
        Decision,
        lambda slug: Decision.objects.filter(activity__plan__slug=slug).select_related(
            "activity"
        ),
        # The loader matches a decision on its place in the activity's list.
        lambda d: f"{d.activity.slug} #{d.order + 1}",
    ),
    Kind(
        "commentaries",
        gettext_lazy("Kommentarer"),
        Commentary,
        lambda slug: Commentary.objects.filter(
            activity__plan__slug=slug
        ).select_related("activity"),
        lambda c: _period_key(c.activity.slug, c.period),
    ),
    Kind(
        "criteria",
        gettext_lazy("Succeskriterier"),
        Criterion,
        lambda slug: Criterion.objects.filter(plan__slug=slug),
        lambda c: c.ident,
        {
            **_file_names(CRITERION_FIELDS),
            **_file_names(BASELINE_FIELDS, "baseline."),
        },
        {"target": _criterion_target},
    ),
    Kind(
        "reported values",
        gettext_lazy("Indberettede værdier"),
        ReportedValue,
        lambda slug: ReportedValue.objects.filter(
            criterion__plan__slug=slug
        ).select_related("criterion"),
        lambda v: _period_key(v.criterion.ident, v.period),
    ),
    Kind(
        "target revisions",
        gettext_lazy("Ændrede mål"),
        TargetRevision,
        lambda slug: TargetRevision.objects.filter(
            criterion__plan__slug=slug
        ).select_related("criterion"),
        lambda r: f"{r.criterion.ident} {r.in_force_from.isoformat()}",
        {"in_force_from": "date", "previous_target": "from"},
        {
            "previous_target": _revision_target("previous_target"),
            "target": _revision_target("target"),
        },
    ),
    Kind(
        "funding projects",
        gettext_lazy("Supplerende midler"),
        FundingProject,
        lambda slug: FundingProject.objects.filter(plan__slug=slug),
        lambda f: f"#{f.order + 1}",
    ),
    Kind(
        "observations",
        gettext_lazy("Observationer"),
        Observation,
        lambda slug: Observation.objects.filter(
            indicator__plan__slug=slug
        ).select_related("indicator", "population"),
        lambda o: f"{o.indicator.slug} {o.population.slug} {o.period}",
    ),
)
KINDS_BY_NAME = {kind.name: kind for kind in KINDS}
_KIND_OF_MODEL = {kind.model: kind for kind in KINDS}


@dataclass(frozen=True)
class FieldChange:
    """One field of an object, before and after."""

    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class ObjectChange:
    """One object that the load would create, update or remove."""

    kind: str
    key: str
    action: Action
    changes: tuple[FieldChange, ...] = ()
    # A created object's values (its name, text ...), for showing it.
    values: tuple[tuple[str, Any], ...] = ()

    @property
    def label(self) -> str:
        """The object's name or text beside its key, if it has one."""
        found = dict(self.values)
        for name in ("name", "text", "value", "reason"):
            if found.get(name) not in (None, ""):
                return value_text(found[name])
        return ""


@dataclass(frozen=True)
class Cascade:
    """Rows a removal deletes with it that no plan folder holds."""

    model: str  # app_label.model_name
    name: str  # the model's verbose plural name
    count: int


@dataclass(frozen=True)
class PlanPreview:
    """What loading a folder would change in the stored plan."""

    plan_slug: str
    fingerprint: str  # of the stored plan the preview was made from
    changes: tuple[ObjectChange, ...]
    cascades: tuple[Cascade, ...]
    summary: LoadSummary

    @property
    def changed(self) -> bool:
        return bool(self.changes)

    def by_kind(self) -> list[tuple[Kind, list[ObjectChange]]]:
        """The changes grouped by kind, in the loader's order."""
        return [
            (kind, found)
            for kind in KINDS
            if (found := [c for c in self.changes if c.kind == kind.name])
        ]

    def counts(self) -> Counter[str]:
        return Counter(change.action for change in self.changes)


# -- the snapshot -------------------------------------------------------------


def _comparable(value: Any) -> Any:
    # Stored decimals come back with the column's places ("40.000"); the
    # snapshot compares the numbers, not their notation.
    if isinstance(value, Decimal):
        return value.normalize()
    return value


def _compared_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in _NOT_COMPARED and not (f.is_relation and f.name == "plan")
    ]


def _related_key(
    field: models.Field[Any, Any], pk: Any, keys: dict[type[models.Model], dict]
) -> Any:
    if pk is None:
        return None
    target = field.related_model
    if target is Organisation:
        return Organisation.objects.filter(pk=pk).values_list("name", flat=True).get()
    found = keys.get(target)  # type: ignore[arg-type]
    return found.get(pk, pk) if found is not None else pk


def _row(obj: models.Model, keys: dict[type[models.Model], dict[Any, str]]) -> Row:
    row: Row = {}
    shown = _KIND_OF_MODEL[type(obj)].shown
    for f in _compared_fields(type(obj)):
        if f.name in shown:
            row[f.name] = _comparable(shown[f.name](obj))
            continue
        value = getattr(obj, f.attname)
        row[f.name] = (
            _related_key(f, value, keys) if f.is_relation else _comparable(value)
        )
    for f in type(obj)._meta.many_to_many:
        target_keys = keys.get(f.related_model, {})  # type: ignore[arg-type]
        pks = getattr(obj, f.name).values_list("pk", flat=True)
        row[f.name] = sorted(target_keys.get(pk, str(pk)) for pk in pks)
    return row


def plan_snapshot(*, slug: str) -> Snapshot:
    """Every row of plan ``slug`` that a plan folder's load writes, by kind
    and natural key; empty kinds when there is no such plan."""
    objects = {kind.name: list(kind.rows(slug)) for kind in KINDS}
    keys: dict[type[models.Model], dict[Any, str]] = {
        kind.model: {obj.pk: kind.key(obj) for obj in objects[kind.name]}
        for kind in KINDS
    }
    return {
        kind.name: {kind.key(obj): _row(obj, keys) for obj in objects[kind.name]}
        for kind in KINDS
    }


def _json_default(value: Any) -> str:
    if isinstance(value, datetime.date | Decimal):
        return str(value)
    raise TypeError(f"not in a snapshot: {value!r}")


def snapshot_fingerprint(snapshot: Snapshot) -> str:
    """A SHA-256 of the snapshot: equal exactly when the rows are."""
    text = json.dumps(snapshot, sort_keys=True, default=_json_default)
    return hashlib.sha256(text.encode()).hexdigest()


# -- comparing two snapshots --------------------------------------------------


def _field_changes(kind: Kind, old: Row, new: Row) -> tuple[FieldChange, ...]:
    return tuple(
        FieldChange(kind.file_names.get(name, name), old.get(name), new.get(name))
        for name in dict.fromkeys([*old, *new])
        if old.get(name) != new.get(name)
    )


def snapshot_diff(before: Snapshot, after: Snapshot) -> tuple[ObjectChange, ...]:
    """Every object created, updated or removed between two snapshots, in
    the loader's order of kinds and then by key (pure)."""
    changes: list[ObjectChange] = []
    for kind in KINDS:
        old = before.get(kind.name, {})
        new = after.get(kind.name, {})
        for key in sorted(set(old) | set(new)):
            if key not in old:
                values = tuple(
                    (kind.file_names.get(name, name), value)
                    for name, value in new[key].items()
                )
                changes.append(ObjectChange(kind.name, key, "created", values=values))
            elif key not in new:
                changes.append(ObjectChange(kind.name, key, "removed"))
            elif fields := _field_changes(kind, old[key], new[key]):
                changes.append(ObjectChange(kind.name, key, "updated", fields))
    return tuple(changes)


# -- the dry run ----------------------------------------------------------------


class _RollBack(Exception):
    """Raised to leave the dry run's savepoint without committing it."""


def _cascades(slug: str, removed: Iterable[ObjectChange]) -> tuple[Cascade, ...]:
    """The rows outside the plan folder that deleting ``removed`` would
    delete with them (courses, sessions, attendance, evidence ...)."""
    wanted: dict[str, set[str]] = {}
    for change in removed:
        wanted.setdefault(change.kind, set()).add(change.key)
    collector = Collector(using=DEFAULT_DB_ALIAS)
    for kind in KINDS:
        keys = wanted.get(kind.name)
        if keys and kind.model is not Observation:
            # One model at a time: the collector takes rows of one model.
            collector.collect([o for o in kind.rows(slug) if kind.key(o) in keys])
    counts: Counter[type[models.Model]] = Counter()
    for model, instances in collector.data.items():
        counts[model] += len(instances)
    for queryset in collector.fast_deletes:
        counts[queryset.model] += queryset.count()
    return tuple(
        Cascade(model._meta.label_lower, str(model._meta.verbose_name_plural), n)
        for model, n in sorted(counts.items(), key=lambda item: item[0]._meta.label)
        # Many-to-many links are fields of the rows they link (a goal's
        # indicators), shown among those rows' changes.
        if n and model not in _KIND_OF_MODEL and not model._meta.auto_created
    )


def folder_preview(parsed: PlanFolder) -> PlanPreview:
    """Load the validated folder ``parsed`` and undo it: what it changes.

    Writes nothing that outlasts the call (the load runs in a savepoint
    that is rolled back). May raise what the load raises on rows the
    database refuses."""
    slug = parsed.plan.plan.slug
    with transaction.atomic():
        before = plan_snapshot(slug=slug)
        try:
            with transaction.atomic():
                summary = write_plan(parsed)
                after = plan_snapshot(slug=slug)
                raise _RollBack
        except _RollBack:
            pass
        changes = snapshot_diff(before, after)
        cascades = _cascades(slug, (c for c in changes if c.action == "removed"))
    return PlanPreview(
        plan_slug=slug,
        fingerprint=snapshot_fingerprint(before),
        changes=changes,
        cascades=cascades,
        summary=summary,
    )


# -- as text ----------------------------------------------------------------


def value_text(value: Any, limit: int = 80) -> str:
    """A field's value on one line: numbers and dates as the file writes
    them, lists and mappings as JSON, long texts cut at ``limit``."""
    if value is None or value == "":
        text = "–"
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, Decimal):
        text = decimal_text(value)
    elif isinstance(value, datetime.date | int | float):
        text = str(value)
    elif isinstance(value, str):
        text = " ".join(value.split())
    elif isinstance(value, dict) and all(isinstance(k, str) for k in value):
        text = ", ".join(f"{k}: {value_text(v, limit)}" for k, v in value.items())
    else:
        text = json.dumps(value, ensure_ascii=False, default=_json_default)
    return text if len(text) <= limit else text[: limit - 1] + "…"


_SIGNS = {"created": "+", "updated": "~", "removed": "-"}


def describe_change(change: ObjectChange) -> str:
    """One line: sign, kind, key, and the changed fields (old -> new)."""
    line = f"{_SIGNS[change.action]} {change.kind} {change.key}"
    if change.action == "created" and change.label:
        return f"{line}: {change.label}"
    if change.changes:
        fields = "; ".join(
            f"{c.field}: {value_text(c.old, 40)} -> {value_text(c.new, 40)}"
            for c in change.changes
        )
        return f"{line}: {fields}"
    return line


def describe_preview(preview: PlanPreview) -> list[str]:
    """The preview as the command line prints it, one line per object."""
    counts = preview.counts()
    if not preview.changed:
        return [f"Plan {preview.plan_slug}: nothing would change."]
    lines = [
        f"Plan {preview.plan_slug}: would create {counts['created']}, update "
        f"{counts['updated']}, remove {counts['removed']} objects "
        "(dry run: nothing was written)."
    ]
    lines += [f"  {describe_change(change)}" for change in preview.changes]
    for cascade in preview.cascades:
        lines.append(f"  - also deleted with them: {cascade.count} {cascade.name}")
    return lines
