"""What every fremdrift command shares: one-line errors (a plan's commands
add its look-up: ``fremdrift.plans.commands``)."""

from __future__ import annotations

from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from .history import recorded_as


class _OneLineParser(CommandParser):
    def error(self, message: str) -> NoReturn:
        # A tool that calls fremdrift reads one line, not a usage screen.
        if self.called_from_command_line:
            self.exit(2, f"CommandError: {self.prog}: {message}\n")
        raise CommandError(f"{self.prog}: {message}")


class FremdriftCommand(BaseCommand):
    """Base for fremdrift's commands: argument errors are one line and exit
    non-zero, like every other error. What a command changes is recorded
    in the change history with no user and the command as the reason."""

    def create_parser(
        self, prog_name: str, subcommand: str, **kwargs: Any
    ) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.__class__ = _OneLineParser
        return parser

    def execute(self, *args: Any, **options: Any) -> str | None:
        name = type(self).__module__.rsplit(".", 1)[-1]
        try:
            with recorded_as(reason=f"fremdrift {name}"):
                return super().execute(*args, **options)
        except DatabaseError as error:
            message = missing_schema_message(error)
            if message is None:
                raise
            raise CommandError(message) from None


def missing_schema_message(error: BaseException) -> str | None:
    """The one line to print for a database error that says the schema is
    missing (a fresh database that was never migrated), or None for any
    other error: SQLite says "no such table", PostgreSQL "relation ... does
    not exist"."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    if "no such table" in text or ("relation" in text and "does not exist" in text):
        return f"the database has no tables yet ({text}): run `fremdrift migrate` first"
    return None
