"""What every fremdrift command shares: one-line errors (a plan's commands
add its look-up: ``fremdrift.plans.commands``)."""

from __future__ import annotations

from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandError, CommandParser

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

    def execute(self, *args: Any, **options: Any) -> str | None:
        name = type(self).__module__.rsplit(".", 1)[-1]
        with recorded_as(reason=f"fremdrift {name}"):
            return super().execute(*args, **options)

    def create_parser(
        self, prog_name: str, subcommand: str, **kwargs: Any
    ) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.__class__ = _OneLineParser
        return parser
