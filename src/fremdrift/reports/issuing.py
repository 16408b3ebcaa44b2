"""Issuing a report from the web, off the request path when it must be.

A report issued as HTML (or a small plan's DOCX or XLSX) is made in the
request, as the download makes it. A PDF is typeset by a task worker
(reports/queue.py says why): ``issue_request_create`` keeps what the team
asked for as an ``IssueRequest`` and queues ``report_issue_task``, which
takes a typesetting slot like the download's job and calls the one
service that issues (``report_issue``). When a file of the same report of
the same data is already typeset (a ready ``RenderedReport`` of the same
key, made for a download or a preview), it is issued at once from that
file: the key carries the plan's data token, so the file and the snapshot
kept with it are of the same data.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskContext, task

from fremdrift.core.report_checks import ReportCheckError
from fremdrift.plans.models import Plan

from .assembly import ReportRequestError, report_as_of
from .models import IssuedReport, IssueRequest, RenderedReport
from .queue import (
    FAULT,
    SLOT_RETRY_SECONDS,
    TOO_LARGE,
    is_queued,
    job_lost,
    rendered_report_key,
    typesetting_slot_release,
    typesetting_slot_take,
)
from .services import report_issue
from .typesetting import TypesettingError

logger = logging.getLogger(__name__)


def _ready_file(request: IssueRequest) -> bytes | None:
    """The file of the same report of the plan's data as they are now, when
    one is typeset and stored already."""
    day = report_as_of(
        plan=request.plan,
        kind=request.kind,
        year=request.year,
        tertial=request.tertial,
    )
    key, _token = rendered_report_key(
        plan=request.plan,
        kind=request.kind,
        year=request.year,
        tertial=request.tertial,
        audience=request.audience,
        fmt=request.format,
        lang=request.lang,
        as_of=day,
    )
    found = RenderedReport.objects.filter(
        key=key, status=RenderedReport.Status.READY
    ).first()
    return None if found is None else bytes(found.content)


def _issue(request: IssueRequest, content: bytes | None = None) -> IssuedReport:
    """Issue what ``request`` asks for and mark it issued."""
    with transaction.atomic():
        issued = report_issue(
            plan=request.plan,
            kind=request.kind,
            fmt=request.format,
            recipient=request.recipient,
            issued_by=request.issued_by,
            year=request.year,
            tertial=request.tertial,
            audience=request.audience,
            lang=request.lang,
            note=request.note,
            content=content,
        )
        IssueRequest.objects.filter(pk=request.pk).update(
            status=IssueRequest.Status.ISSUED, issued=issued
        )
    request.refresh_from_db()
    return issued


@transaction.atomic
def issue_request_create(
    *,
    plan: Plan,
    kind: str,
    year: int | None,
    tertial: int | None,
    audience: str,
    fmt: str,
    lang: str,
    recipient: str,
    issued_by: str,
    note: str = "",
) -> IssueRequest:
    """Ask for a report to be issued: issued at once when it can be made in
    the request (a format not typeset by the workers, or a file of the same
    data already typeset), else queued for a task worker. Raises
    ``ReportRequestError`` or ``ReportCheckError`` (nothing is kept) when
    a report made in the request cannot be made."""
    if not recipient.strip() or not issued_by.strip():
        raise ValueError("an issued report needs a recipient and who issued it")
    request = IssueRequest.objects.create(
        plan=plan,
        kind=kind,
        year=year,
        tertial=tertial,
        audience=audience,
        format=fmt,
        lang=lang,
        recipient=recipient.strip(),
        issued_by=issued_by.strip(),
        note=note.strip(),
    )
    if not is_queued(plan=plan, fmt=fmt):
        _issue(request)
        return request
    content = _ready_file(request)
    if content is not None:
        _issue(request, content)
        return request
    result = report_issue_task.enqueue(request.pk)
    request.task_id = str(result.id)
    request.save(update_fields=["task_id"])
    return request


def issue_request_make(*, request_id: int, holder: str) -> str:
    """Issue ``request_id`` if a typesetting slot is free and say "issued"
    (or "failed", with the reason kept for the page); else put the job back
    in the queue and say "deferred". "gone" or "done" when there is
    nothing left to do."""
    request = IssueRequest.objects.filter(pk=request_id).first()
    if request is None:
        return "gone"
    if request.status != IssueRequest.Status.PENDING:
        return "done"
    content = _ready_file(request)
    if content is not None:
        _issue(request, content)
        return "issued"
    lease = datetime.timedelta(seconds=settings.PDF_TIMEOUT_SECONDS + 60)
    slot = typesetting_slot_take(
        holder=holder, limit=settings.TYPESETTING_CONCURRENCY, lease=lease
    )
    if slot is None:
        later = timezone.now() + datetime.timedelta(seconds=SLOT_RETRY_SECONDS)
        result = report_issue_task.using(run_after=later).enqueue(request_id)
        IssueRequest.objects.filter(pk=request_id).update(task_id=str(result.id))
        return "deferred"
    try:
        _issue(request)
    except (ReportRequestError, ReportCheckError, TypesettingError) as error:
        logger.error("%s of %s not issued: %s", request.format, request.plan, error)
        reason = TOO_LARGE if isinstance(error, TypesettingError) else str(error)
        _fail(request_id, reason)
        return "failed"
    except Exception:
        # A fault of the code: the page says it failed (instead of waiting
        # for ever) and the job records the traceback.
        _fail(request_id, FAULT)
        raise
    finally:
        typesetting_slot_release(number=slot, holder=holder)
    return "issued"


def _fail(request_id: int, reason: str) -> None:
    IssueRequest.objects.filter(pk=request_id).update(
        status=IssueRequest.Status.FAILED, error=reason
    )


@task(takes_context=True)
def report_issue_task(context: TaskContext, request_id: int) -> str:
    """The worker's job: typeset and issue ``request_id``."""
    return issue_request_make(request_id=request_id, holder=str(context.task_result.id))


@dataclass(frozen=True, slots=True)
class IssuePruneSummary:
    """What ``issue_requests_prune`` did."""

    finished_deleted: int = 0
    pending_requeued: int = 0
    pending_failed: int = 0


def issue_requests_prune(*, now: datetime.datetime | None = None) -> IssuePruneSummary:
    """Remove or requeue the issue requests that outlived their use, as of
    ``now`` (default: now):

    - issued and failed requests asked for longer than
      ``ISSUE_REQUEST_RETENTION_DAYS`` ago: deleted (the issued report
      itself is kept; the request only said how its typesetting went);
    - pending requests whose job is lost (``job_lost``): marked failed
      when asked for longer than ``REPORT_FILE_RETENTION_HOURS`` ago, so
      that the page stops waiting and the team may ask again, else queued
      again.
    """
    now = now or timezone.now()
    kept_from = now - datetime.timedelta(days=settings.ISSUE_REQUEST_RETENTION_DAYS)
    finished_deleted, _kinds = (
        IssueRequest.objects.exclude(status=IssueRequest.Status.PENDING)
        .filter(requested_at__lt=kept_from)
        .delete()
    )
    before = now - datetime.timedelta(hours=settings.REPORT_FILE_RETENTION_HOURS)
    requeued = failed = 0
    pending = IssueRequest.objects.filter(status=IssueRequest.Status.PENDING)
    for request in pending.only("pk", "task_id", "requested_at"):
        if not job_lost(request.task_id, now, report_issue_task):
            continue
        if request.requested_at < before:
            _fail(request.pk, FAULT)
            failed += 1
        else:
            result = report_issue_task.enqueue(request.pk)
            IssueRequest.objects.filter(pk=request.pk).update(task_id=str(result.id))
            requeued += 1
    return IssuePruneSummary(finished_deleted, requeued, failed)
