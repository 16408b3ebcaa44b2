from __future__ import annotations

import datetime
import json
from typing import Any

from django.core.management.base import CommandError, CommandParser

from fremdrift.core.i18n import DEFAULT_LANGUAGE, LANGUAGES, use_language
from fremdrift.core.plan_model import verdict_record
from fremdrift.core.text_da import outcome_label
from fremdrift.evaluation.selectors import plan_judged_criteria
from fremdrift.plans.commands import PlanCommand


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--as-of: {value!r} is not a date (YYYY-MM-DD)") from None


class Command(PlanCommand):
    help = "Judge every criterion of a plan and print the verdicts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan_slug")
        parser.add_argument("--format", choices=["json", "table"], default="table")
        parser.add_argument(
            "--as-of", help="judge as of this day (YYYY-MM-DD; default today)"
        )
        parser.add_argument(
            "--lang",
            choices=LANGUAGES,
            default=DEFAULT_LANGUAGE,
            help="the language of explanations and labels: da (default) or en",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with use_language(options["lang"]):
            self._print_verdicts(**options)

    def _print_verdicts(self, **options: Any) -> None:
        plan = self.get_plan(options["plan_slug"])
        as_of = _date(options["as_of"]) if options["as_of"] else None
        judged = plan_judged_criteria(plan=plan, as_of=as_of)
        if options["format"] == "json":
            records = [verdict_record(item) for item in judged]
            self.stdout.write(json.dumps(records, ensure_ascii=False, indent=2))
            return
        for item in judged:
            record = verdict_record(item)
            where = record["activity"] or record["effort_area"] or record["goal"] or ""
            self.stdout.write(
                f"{record['id']:<28} {outcome_label(item.verdict.outcome):<16} "
                f"{where}: {item.verdict.explanation}"
            )
