"""The criteria as the staff see them on their activity pages: judged by
the evaluation, kept until the plan's data change."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import translation

from fremdrift.base.freshness import data_key, stored
from fremdrift.core.i18n import get_language as core_language
from fremdrift.core.model import Outcome
from fremdrift.core.plan_model import JudgedCriterion
from fremdrift.core.text_da import format_value, outcome_label, pace_label
from fremdrift.plans.models import Activity, Criterion, Plan

from .selectors import plan_judged_criteria


@dataclass(frozen=True, slots=True)
class CriterionStatus:
    """One criterion as the staff see it: its text, the value counted so
    far, the verdict and, while the plan runs, whether it is on pace."""

    ident: str
    text: str
    value: str
    outcome: str
    outcome_label: str
    pace: str
    pace_label: str
    expected: str
    explanation: str


def activity_criteria(
    *, activities: Iterable[Activity], as_of: datetime.date
) -> dict[int, list[CriterionStatus]]:
    """The criteria of each activity (by id), judged as of ``as_of``: one
    judgement per plan, however many of its activities are shown."""
    by_plan: dict[int, list[Activity]] = defaultdict(list)
    plans: dict[int, Plan] = {}
    for activity in activities:
        by_plan[activity.plan_id].append(activity)
        plans[activity.plan_id] = activity.plan
    result: dict[int, list[CriterionStatus]] = {
        a.pk: [] for group in by_plan.values() for a in group
    }
    for plan_id, plan in plans.items():
        statuses = stored_plan_statuses(plan=plan, as_of=as_of)
        for activity in by_plan[plan_id]:
            result[activity.pk] = list(statuses.get(activity.pk, ()))
    return result


def stored_plan_statuses(
    *, plan: Plan, as_of: datetime.date
) -> dict[int, tuple[CriterionStatus, ...]]:
    """Every criterion of ``plan`` as the staff see it, by the id of the
    activity it belongs to; kept in the cache until the plan's data change
    (base/freshness.py). The staff pages ask for a few activities' criteria
    on every visit, and judging the whole plan each time would cost more
    than the rest of the page."""
    key = data_key(
        plan.pk,
        "activity-statuses",
        as_of.isoformat(),
        translation.get_language(),
        core_language(),
    )
    return stored(key, lambda: _plan_statuses(plan=plan, as_of=as_of))


def _plan_statuses(
    *, plan: Plan, as_of: datetime.date
) -> dict[int, tuple[CriterionStatus, ...]]:
    # Idents are unique within a plan.
    owners = dict(
        Criterion.objects.filter(plan=plan, activity__isnull=False).values_list(
            "ident", "activity_id"
        )
    )
    statuses: dict[int, list[CriterionStatus]] = defaultdict(list)
    for judged in plan_judged_criteria(plan=plan, as_of=as_of):
        activity_id = owners.get(judged.criterion.ident)
        if activity_id is not None:
            statuses[activity_id].append(_status(judged))
    return {pk: tuple(rows) for pk, rows in statuses.items()}


def _status(judged: JudgedCriterion) -> CriterionStatus:
    criterion, verdict = judged.criterion, judged.verdict
    spec = criterion.spec
    value = (
        format_value(verdict.judged_value, spec.unit, spec.unit_label)
        if verdict.judged_value is not None
        else ""
    )
    expected = (
        format_value(verdict.expected, spec.unit, spec.unit_label, decimals=0)
        if verdict.expected is not None
        else ""
    )
    return CriterionStatus(
        ident=criterion.ident,
        text=criterion.text,
        value=value,
        outcome=verdict.outcome.value,
        outcome_label=outcome_label(Outcome(verdict.outcome)),
        pace=verdict.pace.value if verdict.pace else "",
        pace_label=pace_label(verdict.pace) if verdict.pace else "",
        expected=expected,
        explanation=verdict.explanation,
    )
