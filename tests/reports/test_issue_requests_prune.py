"""Requests to issue a report from the web that outlived their use are
pruned (reports/issuing.py, ``issue_requests_prune``, run by
``fremdrift reports_prune``): finished ones after the retention, with the
issued report kept; pending ones whose job was lost queued again, or
marked failed once old, so that their page stops waiting."""

from __future__ import annotations

import datetime
import io
import uuid

import pytest
from django.core.management import call_command
from django.utils import timezone

from fremdrift.reports.issuing import (
    IssuePruneSummary,
    issue_requests_prune,
    report_issue_task,
)
from fremdrift.reports.models import IssuedReport, IssueRequest
from fremdrift.reports.queue import FAULT
from fremdrift.reports.services import report_issue

pytestmark = pytest.mark.django_db

Status = IssueRequest.Status
DAY = datetime.timedelta(days=1)


def _request(plan, *, status: str, age: datetime.timedelta, task_id: str = "",  # type: ignore[no-untyped-def]
             issued: IssuedReport | None = None) -> IssueRequest:  # fmt: skip
    request = IssueRequest.objects.create(
        plan=plan, kind="final", audience="board", format="pdf", lang="da",
        recipient="Bestyrelsen", issued_by="Koordinator", status=status,
        task_id=task_id, issued=issued,
    )  # fmt: skip
    IssueRequest.objects.filter(pk=request.pk).update(requested_at=timezone.now() - age)
    return request


def test_finished_requests_go_after_the_retention_and_the_report_stays(mini) -> None:  # type: ignore[no-untyped-def]
    issued = report_issue(
        plan=mini, kind="final", fmt="html", recipient="Bestyrelsen",
        issued_by="Koordinator", audience="board",
    )  # fmt: skip
    old_issued = _request(mini, status=Status.ISSUED, age=31 * DAY, issued=issued)
    old_failed = _request(mini, status=Status.FAILED, age=31 * DAY)
    recent = _request(mini, status=Status.FAILED, age=29 * DAY)

    done = issue_requests_prune()

    assert done.finished_deleted == 2
    remaining = set(IssueRequest.objects.values_list("pk", flat=True))
    assert remaining == {recent.pk}
    assert old_issued.pk not in remaining and old_failed.pk not in remaining
    # The issued report is the public record: it stays.
    assert IssuedReport.objects.filter(pk=issued.pk).exists()


def test_a_lost_job_is_queued_again_or_failed_when_old(mini) -> None:  # type: ignore[no-untyped-def]
    lost_recent = _request(mini, status=Status.PENDING, age=datetime.timedelta(hours=2))
    lost_old = _request(
        mini, status=Status.PENDING, age=2 * DAY, task_id=str(uuid.uuid4())
    )
    waiting = report_issue_task.enqueue(0)
    queued = _request(mini, status=Status.PENDING, age=2 * DAY, task_id=str(waiting.id))

    done = issue_requests_prune()

    assert done == IssuePruneSummary(
        finished_deleted=0, pending_requeued=1, pending_failed=1
    )
    lost_recent.refresh_from_db()
    assert lost_recent.status == Status.PENDING and lost_recent.task_id
    lost_old.refresh_from_db()
    assert (lost_old.status, lost_old.error) == (Status.FAILED, FAULT)
    # A job still in the queue is left alone, however old its request.
    queued.refresh_from_db()
    assert (queued.status, queued.task_id) == (Status.PENDING, str(waiting.id))


def test_the_command_says_what_it_did_with_the_requests(mini) -> None:  # type: ignore[no-untyped-def]
    _request(mini, status=Status.FAILED, age=40 * DAY)
    out = io.StringIO()
    call_command("reports_prune", stdout=out)
    assert "deleted 1 finished issue request(s) older than 30 days" in out.getvalue()
    assert not IssueRequest.objects.exists()
