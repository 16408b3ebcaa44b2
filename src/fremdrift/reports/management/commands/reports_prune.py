from __future__ import annotations

from typing import Any

from django.conf import settings

from fremdrift.base.commands import FremdriftCommand
from fremdrift.reports.issuing import issue_requests_prune
from fremdrift.reports.queue import rendered_reports_prune


class Command(FremdriftCommand):
    help = (
        "Prune the report files the task workers made: files of data since "
        "changed and failed ones older than FREMDRIFT_REPORT_FILE_RETENTION_HOURS "
        "are deleted, files whose job was lost are queued again, slots whose "
        "lease ran out are freed; finished issue requests older than "
        "FREMDRIFT_ISSUE_REQUEST_RETENTION_DAYS are deleted and lost ones "
        "queued again or marked failed. Run it each night "
        "(docs/deployment.md)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        done = rendered_reports_prune()
        self.stdout.write(
            f"deleted {done.stale_deleted} stale and {done.failed_deleted} failed "
            f"report file(s) older than {settings.REPORT_FILE_RETENTION_HOURS} h; "
            f"of pending files whose job was lost: {done.pending_requeued} queued "
            f"again, {done.pending_failed} marked failed, {done.pending_deleted} "
            f"stale deleted; freed {done.slots_freed} typesetting slot(s)"
        )
        issued = issue_requests_prune()
        self.stdout.write(
            f"deleted {issued.finished_deleted} finished issue request(s) older "
            f"than {settings.ISSUE_REQUEST_RETENTION_DAYS} days; of pending "
            f"requests whose job was lost: {issued.pending_requeued} queued "
            f"again, {issued.pending_failed} marked failed"
        )
