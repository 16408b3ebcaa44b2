from __future__ import annotations

import csv
from typing import Any

from django.core.management.base import CommandParser

from fremdrift.base.spreadsheets import csv_row
from fremdrift.planfiles.reader import OBSERVATION_COLUMNS
from fremdrift.planfiles.services import plan_to_data
from fremdrift.plans.commands import PlanCommand


class Command(PlanCommand):
    help = "Print a plan's observations (area statistics) as tidy CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan_slug")
        parser.add_argument("--format", choices=["csv"], default="csv")

    def handle(self, *args: Any, **options: Any) -> None:
        plan = self.get_plan(options["plan_slug"])
        _data, rows = plan_to_data(plan)
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(OBSERVATION_COLUMNS)
        writer.writerows(csv_row(row) for row in rows)
