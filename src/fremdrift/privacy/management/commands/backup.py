from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from fremdrift.base.commands import FremdriftCommand
from fremdrift.privacy.backups import BackupError, backup_write


class Command(FremdriftCommand):
    help = (
        "Back up the whole database to one file: SQLite's online backup, or "
        "pg_dump's custom format for PostgreSQL."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the backup file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = backup_write(path=Path(options["file"]))
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(summary.describe())
