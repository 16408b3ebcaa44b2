from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from fremdrift.planfiles.services import plan_dump
from fremdrift.plans.commands import PlanCommand


class Command(PlanCommand):
    help = "Write a loaded plan back as a plan folder (plan.yaml + observations.csv)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan_slug")
        parser.add_argument("folder")

    def handle(self, *args: Any, **options: Any) -> None:
        plan = self.get_plan(options["plan_slug"])
        for path in plan_dump(plan=plan, folder=Path(options["folder"])):
            self.stdout.write(f"wrote {path}")
