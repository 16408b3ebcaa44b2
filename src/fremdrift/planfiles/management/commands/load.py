from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from fremdrift.base.commands import FremdriftCommand
from fremdrift.planfiles.errors import PlanFileError
from fremdrift.planfiles.preview import describe_preview
from fremdrift.planfiles.services import plan_load, plan_preview


class Command(FremdriftCommand):
    help = "Load a plan folder (plan.yaml + observations.csv); see docs/plan-format.md."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the plan folder")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="print what loading would create, update and remove; write nothing",
        )
        parser.add_argument(
            "--replace-imported",
            action="store_true",
            help="overwrite observations that an import brought in with the "
            "folder's rows (by default they are kept, and the summary says so)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["path"])
        try:
            if options["dry_run"]:
                preview = plan_preview(folder=folder)
                self.stdout.write("\n".join(describe_preview(preview)))
                return
            summary = plan_load(
                folder=folder, replace_imported=options["replace_imported"]
            )
        except PlanFileError as error:
            # Every problem on its own line; the first line says how many.
            count = len(error.problems)
            lines = [f"{count} problem{'s' if count != 1 else ''}; nothing was loaded"]
            lines += [f"  {problem}" for problem in error.problems]
            raise CommandError("\n".join(lines)) from None
        self.stdout.write(summary.describe())
