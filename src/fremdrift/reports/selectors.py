"""Reads of issued reports for the plan page."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from fremdrift.core.snapshot import snapshot_changes
from fremdrift.evaluation.discretion import hides_small_counts

from .models import IssuedReport
from .services import issued_report_changes, plan_snapshot


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
    # Keyed by the audience too: what a snapshot holds may differ by it.
    today: dict[tuple[int, datetime.date, str], dict[str, dict[str, object]]] = {}
    summaries = []
    for report in reports:
        if hides_small_counts(report.audience):
            # Both sides under the report's discretion, as its page shows
            # them (and an old snapshot with exact numbers put under it).
            changed = len(issued_report_changes(report))
        else:
            key = (report.plan_id, report.as_of, report.audience)
            if key not in today:
                today[key] = plan_snapshot(plan=report.plan, as_of=report.as_of)
            changed = len(snapshot_changes(report.snapshot, today[key]))
        summaries.append(IssuedSummary(report=report, changed=changed))
    return summaries
