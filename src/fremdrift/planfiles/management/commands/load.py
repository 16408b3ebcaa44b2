from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from fremdrift.base.commands import FremdriftCommand
from fremdrift.planfiles.errors import PlanFileError
from fremdrift.planfiles.services import plan_load


class Command(FremdriftCommand):
    help = "Load a plan folder (plan.yaml + observations.csv); see docs/plan-format.md."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the plan folder")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = plan_load(folder=Path(options["path"]))
        except PlanFileError as error:
            # Every problem on its own line; the first line says how many.
            count = len(error.problems)
            lines = [f"{count} problem{'s' if count != 1 else ''}; nothing was loaded"]
            lines += [f"  {problem}" for problem in error.problems]
            raise CommandError("\n".join(lines)) from None
        self.stdout.write(summary.describe())
