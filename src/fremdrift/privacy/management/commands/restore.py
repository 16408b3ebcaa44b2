from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from fremdrift.base.commands import FremdriftCommand
from fremdrift.privacy.backups import BackupError, restore_read


class Command(FremdriftCommand):
    help = (
        "Restore a backup made by `fremdrift backup` into an empty database "
        "(--force replaces a database that is not empty)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the backup file to restore")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace everything in a database that is not empty",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = restore_read(path=Path(options["file"]), force=options["force"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"restored {summary.describe()}")
        self.stdout.write(
            "note: participants erased after this backup was made are in it; "
            "erase them again (docs/privacy.md)"
        )
