"""Reads of issued reports for the plan page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from fremdrift.core.snapshot import ChangeLine, describe_changes
from fremdrift.plans.models import Criterion, Population
from fremdrift.statistics.models import Indicator

from .models import IssuedReport
from .services import issued_report_changes


@dataclass(frozen=True, slots=True)
class IssuedSummary:
    """An issued report and how many of its figures and verdicts today's
    data give differently (0: the report still holds)."""

    report: IssuedReport
    changed: int


def issued_summaries(issued: QuerySet[IssuedReport]) -> list[IssuedSummary]:
    """Each of ``issued`` (newest first) with the number of its figures and
    verdicts that differ from the same report built from today's data
    (as ``issued_report_changes`` counts them). Today's numbers are taken
    once per plan and day judged as of, however many reports share them;
    the files themselves are not read."""
    reports = (
        issued.defer(None)
        .defer("content")
        .select_related("plan")
        .order_by("-issued_at")
    )
    today: dict[tuple[object, ...], Any] = {}
    return [
        IssuedSummary(
            report=report, changed=len(issued_report_changes(report, today=today))
        )
        for report in reports
    ]


def issued_report_change_lines(issued: IssuedReport) -> list[ChangeLine]:
    """What changed since ``issued`` was sent (``issued_report_changes``)
    in words: criteria by their text, observations by the names of their
    indicator and population, values formatted. The names are read only
    when something changed, in one query per kind of name."""
    changes = issued_report_changes(issued)
    if not changes:
        return []
    plan_id = issued.plan_id
    return describe_changes(
        changes,
        criteria=dict(
            Criterion.objects.filter(plan_id=plan_id).values_list("ident", "text")
        ),
        indicators={
            slug: short or name
            for slug, short, name in Indicator.objects.filter(
                plan_id=plan_id
            ).values_list("slug", "short_name", "name")
        },
        populations=dict(
            Population.objects.filter(plan_id=plan_id).values_list("slug", "name")
        ),
    )
