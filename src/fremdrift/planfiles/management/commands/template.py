from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from fremdrift.plans.commands import PlanCommand
from fremdrift.registrations.bulk_import import registrations_template
from fremdrift.statistics.template_file import observations_template

TEMPLATES = {
    "registrations": registrations_template,
    "observations": observations_template,
}


class Command(PlanCommand):
    help = (
        "Write an empty import template for a plan (an XLSX workbook): "
        "registrations, or observations (area statistics)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(TEMPLATES))
        parser.add_argument("plan_slug")
        parser.add_argument("--out", required=True, help="the .xlsx file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        plan = self.get_plan(options["plan_slug"])
        out = Path(options["out"])
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(TEMPLATES[options["kind"]](plan=plan))
        self.stdout.write(f"wrote {out}")
