from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import translation

from fremdrift.plans.commands import PlanCommand
from fremdrift.registrations.bulk_import import (
    RegistrationImportError,
    registrations_import,
)


class Command(PlanCommand):
    help = (
        "Import registrations (participants, courses, enrolments, sessions, "
        "attendance) from an XLSX workbook or a folder of CSV files."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan_slug")
        parser.add_argument("path", help="an .xlsx workbook or a folder of CSV files")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="show what would be created or changed; write nothing",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # The importers' problems are Danish texts with an English
        # catalogue; the command line prints them in English, like every
        # other command's errors.
        with translation.override("en"):
            self._handle(**options)

    def _handle(self, **options: Any) -> None:
        plan = self.get_plan(options["plan_slug"])
        try:
            summary = registrations_import(
                plan=plan, path=Path(options["path"]), dry_run=options["dry_run"]
            )
        except RegistrationImportError as error:
            count = len(error.problems)
            lines = [
                f"{count} problem{'s' if count != 1 else ''}; nothing was imported"
            ]
            lines += [f"  {problem}" for problem in error.problems]
            raise CommandError("\n".join(lines)) from None
        prefix = "Dry run: " if options["dry_run"] else ""
        self.stdout.write(f"{prefix}{summary.describe()}")
