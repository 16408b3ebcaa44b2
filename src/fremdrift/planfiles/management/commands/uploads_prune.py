"""fremdrift uploads_prune: delete the uploads that waited longer than
FREMDRIFT_PENDING_UPLOAD_HOURS for their confirmation."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings

from fremdrift.base.commands import FremdriftCommand
from fremdrift.base.pending import stale_files_prune
from fremdrift.planfiles.archive import pending_zip_folder
from fremdrift.statistics.uploads import pending_folder


class Command(FremdriftCommand):
    help = (
        "Delete uploaded statistics files and plan folders that were "
        "previewed but never confirmed, once older than "
        "FREMDRIFT_PENDING_UPLOAD_HOURS (default 24). Run it each night "
        "(docs/deployment.md)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        older_than = datetime.timedelta(hours=settings.PENDING_UPLOAD_HOURS)
        statistics = stale_files_prune(pending_folder(), older_than=older_than)
        plan_folders = stale_files_prune(pending_zip_folder(), older_than=older_than)
        self.stdout.write(
            f"deleted {statistics} statistics upload(s) and {plan_folders} plan "
            f"folder upload(s) older than {settings.PENDING_UPLOAD_HOURS} h"
        )
