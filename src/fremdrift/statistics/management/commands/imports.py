from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone

from fremdrift.plans.commands import PlanCommand
from fremdrift.statistics.models import ImportBatch


class Command(PlanCommand):
    help = "List a plan's imports of area statistics (newest first)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan_slug")

    def handle(self, *args: Any, **options: Any) -> None:
        plan = self.get_plan(options["plan_slug"])
        batches = ImportBatch.objects.filter(plan=plan)
        if not batches.exists():
            self.stdout.write("no imports")
            return
        for batch in batches:
            when = timezone.localtime(batch.imported_at).strftime("%Y-%m-%d %H:%M")
            status = "" if batch.status == ImportBatch.Status.APPLIED else " UNDONE"
            self.stdout.write(
                f"#{batch.pk} {when} {batch.source} {batch.file_name} "
                f"sha256:{batch.sha256[:12]} by {batch.imported_by_name}: "
                f"{batch.created_count} new, {batch.changed_count} changed, "
                f"{batch.unchanged_count} unchanged{status}"
            )
