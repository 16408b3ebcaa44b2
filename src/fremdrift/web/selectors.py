"""Reads for the plan's pages that the report document does not carry."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import Q

from fremdrift.core.discretion import Audience
from fremdrift.core.model import NoTarget
from fremdrift.core.targets import TARGET_TYPES
from fremdrift.plans.models import Activity, Criterion, Plan
from fremdrift.statistics.models import Indicator


@dataclass(frozen=True, slots=True)
class TeamNotes:
    """A plan's working notes (transcription decisions, readings of the
    source) for its pages: the plan's own, by criterion ident, by activity
    slug, and (indicator name, notes) in the plan's order. Empty for every
    reader outside the team."""

    plan: tuple[str, ...] = ()
    criteria: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    activities: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    indicators: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.plan or self.criteria or self.activities or self.indicators)


def team_notes(*, plan: Plan, audience: Audience | str) -> TeamNotes:
    """``plan``'s working notes for a reader at ``audience``: all of them
    for the team (``Audience.INTERNAL``, as ``audience_for`` answers for
    staff, coordinators and plan administrators), none for anyone else, so
    that a board member or a visitor never reads them. Three queries, only
    for the team."""
    if audience != Audience.INTERNAL:
        return TeamNotes()
    criteria = plan.criteria.exclude(working_notes=[]).values_list(
        "ident", "working_notes"
    )
    activities = plan.activities.exclude(working_notes=[]).values_list(
        "slug", "working_notes"
    )
    indicators = (
        Indicator.objects.filter(plan=plan)
        .exclude(working_notes=[])
        .order_by("order", "pk")
        .values_list("name", "working_notes")
    )
    return TeamNotes(
        plan=tuple(plan.working_notes),
        criteria={ident: tuple(notes) for ident, notes in criteria},
        activities={slug: tuple(notes) for slug, notes in activities},
        indicators=tuple((name, tuple(notes)) for name, notes in indicators),
    )


def activity_team_notes(
    *, activity: Activity, audience: Audience | str
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(name, working notes) of ``activity`` and of its sub-activities that
    have any, for the activity's page: for the team only (as
    ``team_notes``). Its criteria's working notes are in the internal
    report's criteria table the page shows."""
    if audience != Audience.INTERNAL:
        return ()
    rows = Activity.objects.filter(Q(pk=activity.pk) | Q(parent=activity)).exclude(
        working_notes=[]
    )
    ordered = sorted(rows, key=lambda row: (row.pk != activity.pk, row.order, row.pk))
    return tuple((row.name, tuple(row.working_notes)) for row in ordered)


def revisable_criteria(*, plan: Plan) -> frozenset[str]:
    """The idents of ``plan``'s criteria that have a target to revise
    (web/targets.py): every kind but those judged on the baseline alone and
    the qualitative."""
    no_target = [
        kind.value for kind, target in TARGET_TYPES.items() if target is NoTarget
    ]
    return frozenset(
        Criterion.objects.filter(plan=plan)
        .exclude(kind__in=no_target)
        .values_list("ident", flat=True)
    )
