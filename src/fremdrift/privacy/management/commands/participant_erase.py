from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from fremdrift.plans.commands import PlanCommand
from fremdrift.privacy.gdpr import (
    KINDS,
    ParticipantNotFound,
    command_actor,
    participant_erase,
)


def describe(counts: Any) -> str:
    return ", ".join(f"{kind.replace('_', ' ')}: {counts[kind]}" for kind in KINDS)


class Command(PlanCommand):
    help = (
        "Erase one participant for real: their registrations, answers, "
        "household (when no one else is in it) and the named evidence files. "
        "Without --yes, only shows what would be erased."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan_slug")
        parser.add_argument("code", help="the participant's code, e.g. D-7KQ2MA")
        parser.add_argument(
            "--reason", required=True, help="why, for the access log (no names)"
        )
        parser.add_argument(
            "--evidence",
            type=int,
            action="append",
            default=[],
            metavar="ID",
            help="an evidence file that shows the participant (repeatable)",
        )
        parser.add_argument(
            "--yes", action="store_true", help="erase; without it nothing changes"
        )
        parser.add_argument(
            "--by", help="the fremdrift user doing it (default: your login)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        plan = self.get_plan(options["plan_slug"])
        try:
            summary = participant_erase(
                plan=plan,
                code=options["code"],
                reason=options["reason"],
                actor=command_actor(options["by"]),
                evidence_ids=options["evidence"],
                apply=options["yes"],
            )
        except (ParticipantNotFound, ValueError) as error:
            raise CommandError(str(error)) from None
        if not summary.applied:
            self.stdout.write(f"would erase {summary.code}: {describe(summary.counts)}")
            raise CommandError("nothing was erased: run again with --yes to erase")
        self.stdout.write(f"erased {summary.code}: {describe(summary.counts)}")
