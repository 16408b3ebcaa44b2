"""Stored report files and typesetting slots that outlived their use are
pruned (reports/queue.py, ``rendered_reports_prune``): files of data since
changed and failed files after the retention, pending files whose job was
lost queued again (or failed, or deleted), slots of dead workers freed; by
the workers after a job and by ``fremdrift reports_prune``."""

from __future__ import annotations

import datetime
import io
import uuid

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from fremdrift.base.freshness import data_key
from fremdrift.reports.models import RenderedReport, TypesettingSlot
from fremdrift.reports.queue import (
    FAULT,
    PRUNE_CACHE_KEY,
    PruneSummary,
    rendered_report_task,
    rendered_reports_prune,
)

from .worker import run_worker

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
# The retention is 24 hours by default (FREMDRIFT_REPORT_FILE_RETENTION_HOURS).
OLD = datetime.timedelta(hours=25)
RECENT = datetime.timedelta(hours=2)
Status = RenderedReport.Status


def _row(plan, name: str, *, status: str, stale: bool = False, age=RECENT,  # type: ignore[no-untyped-def]
         task_id: str = "") -> RenderedReport:  # fmt: skip
    """A stored file asked for (and, unless pending, finished) ``age`` ago,
    made from the plan's current data or (``stale``) from older data."""
    token = "older-data" if stale else data_key(plan.pk, "rendered-report")
    rendered = RenderedReport.objects.create(
        plan=plan, key=name, kind="final", audience="board",
        as_of=datetime.date(2026, 12, 31), format="pdf", lang="da",
        data_token=token, status=status, task_id=task_id, filename=f"{name}.pdf",
        content=b"%PDF-" if status == Status.READY else b"",
    )  # fmt: skip
    when = timezone.now() - age
    finished = None if status == Status.PENDING else when
    RenderedReport.objects.filter(pk=rendered.pk).update(
        requested_at=when, finished_at=finished
    )
    return rendered


def _remaining() -> dict[str, str]:
    return dict(RenderedReport.objects.values_list("key", "status"))


def test_stale_files_go_after_the_retention_and_current_ones_stay(mini) -> None:  # type: ignore[no-untyped-def]
    _row(mini, "stale-old", status=Status.READY, stale=True, age=OLD)
    _row(mini, "stale-recent", status=Status.READY, stale=True)
    _row(mini, "current-old", status=Status.READY, age=OLD)

    done = rendered_reports_prune()

    assert done.stale_deleted == 1
    assert _remaining() == {"stale-recent": "ready", "current-old": "ready"}


def test_a_change_to_the_plans_data_makes_its_old_files_prunable(mini) -> None:  # type: ignore[no-untyped-def]
    _row(mini, "made-before", status=Status.READY, age=OLD)
    assert rendered_reports_prune().stale_deleted == 0

    mini.name = "Eksempelby Nord"
    mini.save()

    assert rendered_reports_prune().stale_deleted == 1
    assert _remaining() == {}


def test_failed_files_go_after_the_retention(mini) -> None:  # type: ignore[no-untyped-def]
    _row(mini, "failed-old", status=Status.FAILED, age=OLD)
    _row(mini, "failed-recent", status=Status.FAILED)

    done = rendered_reports_prune()

    assert done.failed_deleted == 1
    assert _remaining() == {"failed-recent": "failed"}


@override_settings(REPORT_FILE_RETENTION_HOURS=1)
def test_the_retention_is_a_setting(mini) -> None:  # type: ignore[no-untyped-def]
    _row(mini, "failed", status=Status.FAILED, age=RECENT)
    _row(mini, "stale", status=Status.READY, stale=True, age=RECENT)
    done = rendered_reports_prune()
    assert (done.failed_deleted, done.stale_deleted) == (1, 1)
    assert _remaining() == {}


def test_a_pending_file_whose_job_is_gone_is_queued_again(mini) -> None:  # type: ignore[no-untyped-def]
    lost = _row(mini, "lost", status=Status.PENDING, task_id=str(uuid.uuid4()))
    never = _row(mini, "never-queued", status=Status.PENDING)

    done = rendered_reports_prune()

    assert done.pending_requeued == 2
    for rendered in (lost, never):
        rendered.refresh_from_db()
        assert rendered.status == Status.PENDING
        job = DBTaskResult.objects.get(pk=rendered.task_id)
        assert job.status == TaskResultStatus.READY
        assert job.args_kwargs["args"] == [rendered.pk]
    # The worker then makes them.
    run_worker()
    lost.refresh_from_db()
    assert lost.status == Status.READY
    assert bytes(lost.content).startswith(b"%PDF-")


def test_a_pending_file_waiting_for_its_job_is_left_alone(mini) -> None:  # type: ignore[no-untyped-def]
    pending = _row(mini, "waiting", status=Status.PENDING, age=OLD)
    job = rendered_report_task.enqueue(pending.pk)
    RenderedReport.objects.filter(pk=pending.pk).update(task_id=str(job.id))

    assert rendered_reports_prune() == PruneSummary()
    pending.refresh_from_db()
    assert (pending.status, pending.task_id) == (Status.PENDING, str(job.id))


def test_a_job_running_past_the_time_limit_lost_its_worker(mini) -> None:  # type: ignore[no-untyped-def]
    # The PDF time limit (300 s) and a minute's margin: a job started an
    # hour ago has lost its worker; one started now is typesetting.
    jobs = {}
    for name, started in [("crashed", HOUR), ("busy", datetime.timedelta(0))]:
        rendered = _row(mini, name, status=Status.PENDING)
        job = rendered_report_task.enqueue(rendered.pk)
        DBTaskResult.objects.filter(pk=job.id).update(
            status=TaskResultStatus.RUNNING, started_at=timezone.now() - started
        )
        RenderedReport.objects.filter(pk=rendered.pk).update(task_id=str(job.id))
        jobs[name] = str(job.id)

    done = rendered_reports_prune()

    assert done.pending_requeued == 1
    task_ids = dict(RenderedReport.objects.values_list("key", "task_id"))
    assert task_ids["busy"] == jobs["busy"]
    assert task_ids["crashed"] != jobs["crashed"]
    requeued = DBTaskResult.objects.get(pk=task_ids["crashed"])
    assert requeued.status == TaskResultStatus.READY


def test_a_lost_job_of_a_finished_or_stale_or_old_file(mini) -> None:  # type: ignore[no-untyped-def]
    finished = _row(mini, "finished-job", status=Status.PENDING)
    job = rendered_report_task.enqueue(finished.pk)
    DBTaskResult.objects.filter(pk=job.id).update(status=TaskResultStatus.SUCCESSFUL)
    RenderedReport.objects.filter(pk=finished.pk).update(task_id=str(job.id))
    _row(mini, "stale-lost", status=Status.PENDING, stale=True)
    old = _row(mini, "old-lost", status=Status.PENDING, age=OLD)

    done = rendered_reports_prune()

    assert (done.pending_requeued, done.pending_deleted, done.pending_failed) == (
        1, 1, 1,
    )  # fmt: skip
    assert _remaining() == {"finished-job": "pending", "old-lost": "failed"}
    old.refresh_from_db()
    assert old.error == FAULT
    # The reader who asks again gets a new job (rendered_report_request
    # tries a failed file again).


@override_settings(TYPESETTING_CONCURRENCY=2)
def test_slots_of_dead_workers_are_freed_and_surplus_slots_removed(db) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    TypesettingSlot.objects.bulk_create([
        TypesettingSlot(number=1, holder="dead", held_until=now - HOUR),
        TypesettingSlot(number=2, holder="alive", held_until=now + HOUR),
        TypesettingSlot(number=3),
        TypesettingSlot(number=4, holder="alive", held_until=now + HOUR),
    ])  # fmt: skip

    assert rendered_reports_prune().slots_freed == 1

    assert dict(TypesettingSlot.objects.values_list("number", "holder")) == {
        1: "",
        2: "alive",
        4: "alive",
    }


def test_the_command_prunes_and_says_what_it_did(mini) -> None:  # type: ignore[no-untyped-def]
    _row(mini, "stale-old", status=Status.READY, stale=True, age=OLD)
    _row(mini, "failed-old", status=Status.FAILED, age=OLD)
    out = io.StringIO()
    call_command("reports_prune", stdout=out)
    assert _remaining() == {}
    assert out.getvalue().startswith(
        "deleted 1 stale and 1 failed report file(s) older than 24 h;"
    )


@override_settings(QUEUE_LARGE_CRITERIA=0)
def test_the_worker_prunes_after_a_job(mini) -> None:  # type: ignore[no-untyped-def]
    # A failed file of another report: the download below leaves it (it
    # deletes only the plan's stale files and this report's other days).
    _row(mini, "failed-old", status=Status.FAILED, age=OLD)
    cache.delete(PRUNE_CACHE_KEY)
    download = {"kind": "final", "format": "docx", "audience": "board"}
    assert (
        Client().get(f"/planer/{mini.slug}/rapport/hent/", download).status_code == 202
    )
    assert "failed-old" in _remaining()

    run_worker()

    assert list(RenderedReport.objects.values_list("format", "status")) == [
        ("docx", "ready")
    ]
    # At most once per interval: the next job leaves a new one for later.
    _row(mini, "failed-again", status=Status.FAILED, age=OLD)
    download["format"] = "xlsx"
    Client().get(f"/planer/{mini.slug}/rapport/hent/", download)
    run_worker()
    assert "failed-again" in _remaining()
    cache.delete(PRUNE_CACHE_KEY)
    download["audience"] = "public"
    Client().get(f"/planer/{mini.slug}/rapport/hent/", download)
    run_worker()
    assert "failed-again" not in _remaining()
