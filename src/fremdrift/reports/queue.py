"""Report files made off the request path, by the task workers.

A PDF (and a large plan's DOCX or XLSX) takes seconds to minutes and
hundreds of MB to typeset; made inside a web request, three readers at once
stall the site. So the download form asks ``rendered_report_request``,
which answers at once with the stored file or with a row that a task
worker (``fremdrift db_worker``, django-tasks-db) fills in; the page polls
until it is ready.

A request names its file by a key: the report's parameters and the plan's
data token (base/freshness.py), so a file is only ever served for the data
it was made from, and two readers who ask for the same file while it is
being made share the one job (the key is unique). A change to the plan's
data gives the next request a new key; the plan's files made from the old
data are then deleted (the internal version's small numbers are not kept
past their use).

At most ``TYPESETTING_CONCURRENCY`` jobs typeset at once, however many
workers run on however many machines: a job first takes one of as many
``TypesettingSlot`` rows, by a conditional UPDATE (atomic on SQLite, which
locks the database for it, and on PostgreSQL, which re-checks the condition
on the locked row), and a job that finds none free is put back in the queue
a few seconds later, leaving its worker to other work. A slot is leased,
not held by a transaction: no long transaction locks SQLite, and a worker
that dies holding one loses it when the lease ends.

Rows that outlive their use are pruned (``rendered_reports_prune``): by the
workers themselves, at most every ``PRUNE_INTERVAL`` after a job, and by
``fremdrift reports_prune`` from a timer. Files made from older data go
once ``REPORT_FILE_RETENTION_HOURS`` have passed (a reader may still be
fetching one), as do failed rows; a pending row whose job is gone (a
worker that crashed, a job pruned from the queue) is queued again, or,
once older than the retention too, marked failed so that its reader may
ask again.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import TaskContext, TaskResultStatus, task
from django_tasks.base import Task
from django_tasks.exceptions import TaskResultDoesNotExist, TaskResultMismatch

from fremdrift.base.freshness import data_key
from fremdrift.core.report_checks import ReportCheckError
from fremdrift.plans.models import Plan

from .assembly import ReportRequestError, report_as_of, report_build
from .models import RenderedReport, TypesettingSlot
from .renderers import RENDERERS
from .services import report_filename
from .typesetting import TypesettingError

logger = logging.getLogger(__name__)

# Formats always made by the workers; DOCX and XLSX only for plans with more
# than QUEUE_LARGE_CRITERIA criteria (they take a second for most plans).
QUEUED_FORMATS = frozenset({"pdf"})
LARGE_PLAN_FORMATS = frozenset({"docx", "xlsx"})
# The reason kept for a file beyond the PDF's memory or time limit (the
# page says so in the reader's words).
TOO_LARGE = "typesetting"
# The reason kept when the job itself failed (the traceback is the job's).
FAULT = "fault"
# How long a job that found no free slot waits before it asks again.
SLOT_RETRY_SECONDS = 3
# The workers prune at most this often (the command prunes when it is run).
PRUNE_INTERVAL = datetime.timedelta(minutes=10)
PRUNE_CACHE_KEY = "fremdrift:reports:pruned"


def is_queued(*, plan: Plan, fmt: str) -> bool:
    """Whether the download of ``fmt`` for ``plan`` is made by a worker (the
    HTML stays in the request: it is the web preview, made in well under a
    second from the stored measures)."""
    if fmt in QUEUED_FORMATS:
        return True
    if fmt in LARGE_PLAN_FORMATS:
        return bool(plan.criteria.count() > settings.QUEUE_LARGE_CRITERIA)
    return False


def rendered_report_key(
    *,
    plan: Plan,
    kind: str,
    year: int | None,
    tertial: int | None,
    audience: str,
    fmt: str,
    lang: str,
    as_of: datetime.date,
) -> tuple[str, str]:
    """(key, data token) of the file these parameters ask for, of the
    plan's data as they are now."""
    token = data_key(plan.pk, "rendered-report")
    identity = "|".join(
        str(part)
        for part in (plan.pk, kind, year, tertial, audience, fmt, lang, as_of, token)
    )
    return hashlib.sha256(identity.encode()).hexdigest(), token


def rendered_report_request(
    *,
    plan: Plan,
    kind: str,
    year: int | None,
    tertial: int | None,
    audience: str,
    fmt: str,
    lang: str,
    as_of: datetime.date | None = None,
) -> RenderedReport:
    """The stored file for this request: ready (served from storage),
    pending (a job is making it; the same job for every reader who asks
    meanwhile) or failed (``error`` says why). A new request for a failed
    file tries again; when a new file is asked for, the plan's files made
    from older data, and this report's of other days, are deleted."""
    day = report_as_of(plan=plan, kind=kind, year=year, tertial=tertial, as_of=as_of)
    key, token = rendered_report_key(
        plan=plan,
        kind=kind,
        year=year,
        tertial=tertial,
        audience=audience,
        fmt=fmt,
        lang=lang,
        as_of=day,
    )
    found = RenderedReport.objects.filter(key=key).first()
    if found is not None and found.status != RenderedReport.Status.FAILED:
        return found
    with transaction.atomic():
        if found is None:
            try:
                with transaction.atomic():
                    found = RenderedReport.objects.create(
                        plan=plan,
                        key=key,
                        kind=kind,
                        year=year,
                        tertial=tertial,
                        audience=audience,
                        as_of=day,
                        format=fmt,
                        lang=lang,
                        data_token=token,
                        filename=report_filename(
                            plan=plan, kind=kind, year=year, tertial=tertial, fmt=fmt
                        ),
                    )
            except IntegrityError:
                # Another reader asked for it a moment before: theirs is
                # the job.
                return RenderedReport.objects.get(key=key)
            # Files of the plan made from older data are stale, and so is
            # this report of another day; one still being made is left to
            # finish for its reader.
            same_report = Q(
                kind=kind,
                year=year,
                tertial=tertial,
                audience=audience,
                format=fmt,
                lang=lang,
            )
            RenderedReport.objects.filter(
                same_report | ~Q(data_token=token), plan=plan
            ).exclude(key=key).exclude(status=RenderedReport.Status.PENDING).delete()
        else:
            found.status = RenderedReport.Status.PENDING
            found.error = ""
        result = rendered_report_task.enqueue(found.pk)
        found.task_id = str(result.id)
        found.save()
    return found


def typesetting_slot_take(
    *, holder: str, limit: int, lease: datetime.timedelta
) -> int | None:
    """The number of the slot ``holder`` now holds until ``lease`` from now,
    or None when all ``limit`` slots are held (by leases not yet run out)."""
    TypesettingSlot.objects.bulk_create(
        [TypesettingSlot(number=n) for n in range(1, limit + 1)],
        ignore_conflicts=True,
    )
    now = timezone.now()
    free = Q(holder="") | Q(held_until__lt=now)
    for number in range(1, limit + 1):
        taken = TypesettingSlot.objects.filter(free, number=number).update(
            holder=holder, held_until=now + lease
        )
        if taken:
            return number
    return None


def typesetting_slot_release(*, number: int, holder: str) -> None:
    TypesettingSlot.objects.filter(number=number, holder=holder).update(
        holder="", held_until=None
    )


def rendered_report_make(*, rendered_id: int, holder: str) -> str:
    """Typeset stored file ``rendered_id`` if a slot is free, store it and
    say "ready" (or "failed", with the reason kept for the reader); else put
    the job back in the queue and say "deferred". "gone" when the file was
    deleted meanwhile, "done" when another job made it first."""
    rendered = RenderedReport.objects.filter(pk=rendered_id).defer("content").first()
    if rendered is None:
        return "gone"
    if rendered.status != RenderedReport.Status.PENDING:
        return "done"
    slot = typesetting_slot_take(
        holder=holder, limit=settings.TYPESETTING_CONCURRENCY, lease=_lease()
    )
    if slot is None:
        later = timezone.now() + datetime.timedelta(seconds=SLOT_RETRY_SECONDS)
        result = rendered_report_task.using(run_after=later).enqueue(rendered_id)
        RenderedReport.objects.filter(pk=rendered_id).update(task_id=str(result.id))
        return "deferred"
    started = time.perf_counter()
    try:
        document = report_build(
            plan=rendered.plan,
            kind=rendered.kind,
            year=rendered.year,
            tertial=rendered.tertial,
            as_of=rendered.as_of,
            audience=rendered.audience,
            lang=rendered.lang,
        )
        content = RENDERERS[rendered.format](document)
    except (ReportRequestError, ReportCheckError, TypesettingError) as error:
        logger.error("%s of %s not made: %s", rendered.format, rendered.plan, error)
        RenderedReport.objects.filter(pk=rendered_id).update(
            status=RenderedReport.Status.FAILED,
            error=_reason(error),
            finished_at=timezone.now(),
        )
        return "failed"
    except Exception:
        # A fault of the code: the reader is told it failed (instead of a
        # page that waits for ever) and the job records the traceback.
        RenderedReport.objects.filter(pk=rendered_id).update(
            status=RenderedReport.Status.FAILED,
            error=FAULT,
            finished_at=timezone.now(),
        )
        raise
    finally:
        typesetting_slot_release(number=slot, holder=holder)
    RenderedReport.objects.filter(pk=rendered_id).update(
        status=RenderedReport.Status.READY,
        content=content,
        finished_at=timezone.now(),
        typeset_seconds=time.perf_counter() - started,
    )
    return "ready"


def _lease() -> datetime.timedelta:
    """How long a job may hold a slot: the PDF's time limit and a margin.
    A job running longer than this has lost its worker."""
    return datetime.timedelta(seconds=settings.PDF_TIMEOUT_SECONDS + 60)


def _reason(error: Exception) -> str:
    """What the reader is told; a PDF beyond the server's limits is named
    as such (the operators find the details in the log)."""
    if isinstance(error, TypesettingError):
        return TOO_LARGE
    return str(error)


@task(takes_context=True)
def rendered_report_task(context: TaskContext, rendered_id: int) -> str:
    """The worker's job: make stored report file ``rendered_id``; then,
    at most every ``PRUNE_INTERVAL`` across the workers that share the
    cache, prune the rows that outlived their use."""
    outcome = rendered_report_make(
        rendered_id=rendered_id, holder=str(context.task_result.id)
    )
    if outcome != "deferred" and cache.add(
        PRUNE_CACHE_KEY, True, timeout=PRUNE_INTERVAL.total_seconds()
    ):
        rendered_reports_prune()
    return outcome


@dataclass(frozen=True, slots=True)
class PruneSummary:
    """What ``rendered_reports_prune`` did, row by row."""

    stale_deleted: int = 0
    failed_deleted: int = 0
    pending_requeued: int = 0
    pending_failed: int = 0
    pending_deleted: int = 0
    slots_freed: int = 0


def rendered_reports_prune(*, now: datetime.datetime | None = None) -> PruneSummary:
    """Remove or requeue the stored report rows that outlived their use,
    as of ``now`` (default: now), with ``REPORT_FILE_RETENTION_HOURS`` as
    the retention:

    - files made from data the plan has since changed (their data token is
      not the plan's), finished longer than the retention ago: deleted;
    - failed rows finished longer than the retention ago: deleted;
    - pending rows whose job is gone, finished without filling them in, or
      running for longer than a slot's lease (its worker died): deleted
      when stale, marked failed when asked for longer than the retention
      ago (the reader may ask again), else queued again;
    - typesetting slots whose lease ran out: freed; slots beyond
      ``TYPESETTING_CONCURRENCY`` (after it was lowered), when free:
      deleted.
    """
    now = now or timezone.now()
    before = now - datetime.timedelta(hours=settings.REPORT_FILE_RETENTION_HOURS)
    tokens = _current_tokens()
    stale = Q()
    for plan_id, token in tokens.items():
        stale |= Q(plan_id=plan_id) & ~Q(data_token=token)
    finished = RenderedReport.objects.exclude(status=RenderedReport.Status.PENDING)
    stale_deleted = 0
    if tokens:
        stale_deleted, _kinds = (
            finished.filter(stale, status=RenderedReport.Status.READY)
            .filter(
                Q(finished_at__lt=before) | Q(finished_at=None, requested_at__lt=before)
            )
            .delete()
        )
    failed_deleted, _kinds = (
        finished.filter(status=RenderedReport.Status.FAILED)
        .filter(
            Q(finished_at__lt=before) | Q(finished_at=None, requested_at__lt=before)
        )
        .delete()
    )
    pending = _pending_prune(now=now, before=before, tokens=tokens)
    return PruneSummary(
        stale_deleted=stale_deleted,
        failed_deleted=failed_deleted,
        pending_requeued=pending["requeued"],
        pending_failed=pending["failed"],
        pending_deleted=pending["deleted"],
        slots_freed=_slots_prune(now=now),
    )


def _current_tokens() -> dict[int, str]:
    """The data token a file made now would carry, for every plan that has
    stored files (``rendered_report_key``)."""
    plan_ids = RenderedReport.objects.values_list("plan_id", flat=True).distinct()
    return {pk: data_key(pk, "rendered-report") for pk in plan_ids}


def job_lost(
    task_id: str, now: datetime.datetime, job: Task[..., str] | None = None
) -> bool:
    """Whether the job ``task_id`` (of ``job``, by default the report file
    task) behind a pending row will never fill it in: gone from the
    queue, finished (a worker that stopped between the two writes), or
    running for longer than a slot's lease (its worker died;
    django-tasks-db leaves such a job "running")."""
    if not task_id:
        return True
    try:
        result = (job or rendered_report_task).get_result(task_id)
    except (TaskResultDoesNotExist, TaskResultMismatch):
        return True
    if result.status in (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED):
        return True
    if result.status == TaskResultStatus.RUNNING:
        started = result.started_at or result.enqueued_at or now
        return started < now - _lease()
    return False


def _pending_prune(
    *, now: datetime.datetime, before: datetime.datetime, tokens: dict[int, str]
) -> dict[str, int]:
    counts = {"requeued": 0, "failed": 0, "deleted": 0}
    rows = RenderedReport.objects.filter(status=RenderedReport.Status.PENDING)
    for rendered in rows.defer("content"):
        if not job_lost(rendered.task_id, now):
            continue
        if rendered.data_token != tokens.get(rendered.plan_id):
            rendered.delete()
            counts["deleted"] += 1
        elif rendered.requested_at < before:
            RenderedReport.objects.filter(pk=rendered.pk).update(
                status=RenderedReport.Status.FAILED, error=FAULT, finished_at=now
            )
            counts["failed"] += 1
        else:
            result = rendered_report_task.enqueue(rendered.pk)
            RenderedReport.objects.filter(pk=rendered.pk).update(task_id=str(result.id))
            counts["requeued"] += 1
    return counts


def _slots_prune(*, now: datetime.datetime) -> int:
    freed = (
        TypesettingSlot.objects.filter(held_until__lt=now)
        .exclude(holder="")
        .update(holder="", held_until=None)
    )
    TypesettingSlot.objects.filter(
        number__gt=settings.TYPESETTING_CONCURRENCY, holder=""
    ).delete()
    return freed
