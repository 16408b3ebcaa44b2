"""Reads of issued reports for the plan page."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

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
    (``issued_report_changes``). The files themselves are not read."""
    # The snapshot is compared, the file is not read.
    reports = issued.defer(None).defer("content").order_by("-issued_at")
    return [
        IssuedSummary(report=report, changed=len(issued_report_changes(report)))
        for report in reports
    ]
