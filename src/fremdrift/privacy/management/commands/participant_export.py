from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from fremdrift.plans.commands import PlanCommand
from fremdrift.privacy.gdpr import (
    ParticipantNotFound,
    command_actor,
    participant_export,
)


class Command(PlanCommand):
    help = (
        "Write everything stored about one participant as JSON (a request of "
        "access); the export is written in the access log."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan_slug")
        parser.add_argument("code", help="the participant's code, e.g. D-7KQ2MA")
        parser.add_argument("--out", required=True, help="the JSON file to write")
        parser.add_argument(
            "--reason", default="", help="a note for the access log (no names)"
        )
        parser.add_argument(
            "--by", help="the fremdrift user doing it (default: your login)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        plan = self.get_plan(options["plan_slug"])
        try:
            record = participant_export(
                plan=plan,
                code=options["code"],
                actor=command_actor(options["by"]),
                note=options["reason"],
            )
        except ParticipantNotFound as error:
            raise CommandError(str(error)) from None
        out = Path(options["out"])
        # Personal data: readable by the owner only.
        descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            json.dump(record, file, ensure_ascii=False, indent=2)
            file.write("\n")
        self.stdout.write(
            f"{out}: {record['participant']['code']}: "
            f"{len(record['enrolments'])} enrolments, "
            f"{len(record['attendance'])} attendance, "
            f"{len(record['contacts'])} contacts, "
            f"{len(record['evidence'])} evidence files, "
            f"{len(record['access_log'])} access-log entries"
        )
