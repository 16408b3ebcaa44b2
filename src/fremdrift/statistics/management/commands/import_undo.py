from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from fremdrift.plans.commands import PlanCommand
from fremdrift.statistics.models import ImportBatch
from fremdrift.statistics.services import UndoRefused, import_batch_undo


class Command(PlanCommand):
    help = (
        "Undo one import of area statistics as a whole: changed values go "
        "back, created ones are removed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan_slug")
        parser.add_argument("batch_id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        plan = self.get_plan(options["plan_slug"])
        try:
            batch = ImportBatch.objects.get(plan=plan, pk=options["batch_id"])
        except ImportBatch.DoesNotExist:
            raise CommandError(
                f"plan {plan.slug} has no import #{options['batch_id']} "
                f"(see: fremdrift imports {plan.slug})"
            ) from None
        try:
            touched = import_batch_undo(batch=batch)
        except UndoRefused as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"import #{batch.pk} ({batch.file_name}) undone: {touched} "
            "observations restored or removed"
        )
