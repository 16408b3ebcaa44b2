from __future__ import annotations

import datetime
import time
from typing import Any

from django.core.management.base import CommandError, CommandParser

from fremdrift.plans.commands import PlanCommand
from fremdrift_demo.eksempelby import (
    DEFAULT_SEED,
    DemoPlanError,
    registrations_generate,
)


class Command(PlanCommand):
    help = (
        "Replace a fictional plan's registrations with generated ones "
        "(deterministic for a seed), up to a day."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan_slug")
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="the random seed"
        )
        parser.add_argument(
            "--until", help="generate registrations up to this day (default today)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        plan = self.get_plan(options["plan_slug"])
        until = None
        if options["until"]:
            try:
                until = datetime.date.fromisoformat(options["until"])
            except ValueError:
                raise CommandError(
                    f"--until: {options['until']!r} is not a date (YYYY-MM-DD)"
                ) from None
        started = time.perf_counter()
        try:
            summary = registrations_generate(
                plan=plan, seed=options["seed"], until=until
            )
        except DemoPlanError as error:
            raise CommandError(str(error)) from None
        elapsed = time.perf_counter() - started
        self.stdout.write(f"{summary.describe()} ({elapsed:.1f} s)")
