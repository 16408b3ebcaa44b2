from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import translation

from fremdrift.plans.commands import PlanCommand
from fremdrift.statistics.importers import SOURCES
from fremdrift.statistics.importers.base import ImportFileError
from fremdrift.statistics.services import ImportResult, observations_import


class Command(PlanCommand):
    help = (
        "Import a file of area statistics (observations) into a plan: our "
        "tidy template (CSV/XLSX), a StatBank CSV/BULK file or a "
        "Landsbyggefonden Excel table. All or nothing; --dry-run writes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan_slug")
        parser.add_argument("file")
        parser.add_argument("--source", choices=SOURCES, default="tidy")
        parser.add_argument(
            "--mapping", help="mapping file (StatBank) or name/file (Landsbyggefonden)"
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check and count what would change; write nothing",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # The importers' problems are Danish texts with an English
        # catalogue; the command line prints them in English, like every
        # other command's errors.
        with translation.override("en"):
            self._handle(**options)

    def _handle(self, **options: Any) -> None:
        plan = self.get_plan(options["plan_slug"])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        mapping = Path(options["mapping"]) if options["mapping"] else None
        try:
            result = observations_import(
                plan=plan,
                path=path,
                source=options["source"],
                mapping=mapping,
                dry_run=options["dry_run"],
                display_name=str(path),
            )
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        if result.problems:
            count = len(result.problems)
            for problem in result.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{path}: refused, nothing was written "
                f"({count} problem{'s' if count != 1 else ''} listed above)"
            )
        self.stdout.write(self._summary(result))

    def _summary(self, result: ImportResult) -> str:
        lines = [
            f"{result.file_name}: {result.rows} rows: {result.created} new, "
            f"{result.changed} changed, {result.unchanged} unchanged"
        ]
        for change in result.changes:
            lines.append(
                f"  line {change.line}: {change.indicator}/{change.population}/"
                f"{change.period}: {change.old} -> {change.new}"
            )
        if result.changed > len(result.changes):
            lines.append(f"  ... and {result.changed - len(result.changes)} more")
        if result.dry_run:
            lines.append("dry run: nothing was written")
        elif result.nothing_changed:
            lines.append("nothing changed")
        elif result.batch is not None:
            lines.append(f"written as import #{result.batch.pk}")
        return "\n".join(lines)
