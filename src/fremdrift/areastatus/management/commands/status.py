"""fremdrift status PLAN: each area's status under the law, list by
list, and the next list's outlook."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandParser

from fremdrift.areastatus.selectors import (
    AreaHistory,
    area_record,
    plan_area_statuses,
)
from fremdrift.core.area_forecast import distance_sentence
from fremdrift.core.area_status import answer_label
from fremdrift.core.i18n import DEFAULT_LANGUAGE, LANGUAGES, _, use_language
from fremdrift.core.text_da import format_number
from fremdrift.plans.commands import PlanCommand


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{format_number(round(value * 100))} %"


class Command(PlanCommand):
    help = (
        "Print each area's status under almenboligloven § 61 a and § 61 b, "
        "list by list, with the next list's outlook."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan_slug")
        parser.add_argument("--format", choices=["json", "table"], default="table")
        parser.add_argument(
            "--lang",
            choices=LANGUAGES,
            default=DEFAULT_LANGUAGE,
            help="the language of labels: da (default) or en",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        plan = self.get_plan(options["plan_slug"])
        with use_language(options["lang"]):
            areas = plan_area_statuses(plan=plan)
            if options["format"] == "json":
                self.stdout.write(
                    json.dumps(
                        [area_record(area) for area in areas],
                        ensure_ascii=False,
                        indent=2,
                    )
                )
                return
            if not areas:
                self.stdout.write(
                    _(
                        "Planen har ingen tal for lovens kriterier (law_status "
                        "i plan.yaml)."
                    )
                )
            for area in areas:
                self._table(area)

    def _table(self, area: AreaHistory) -> None:
        self.stdout.write(area.population.name)
        for status in area.history:
            headline = status.headline
            name = headline.rule.name if headline is not None else _("ingen status")
            if status.undecided:
                name += " ({open}: {answer})".format(
                    open=", ".join(s.rule.name for s in status.undecided),
                    answer=_("kan ikke afgøres"),
                )
            met = ", ".join(
                f"{c.rule.key}={answer_label(c.met)}" for c in status.criteria
            )
            changed = (
                f"  [{_('nye regler')} {status.version.key}]" * status.rules_changed
            )
            self.stdout.write(f"  {status.list_year}  {name:<22} {met}{changed}")
        outlook = area.outlook
        if outlook is None:
            return
        likely = outlook.likely
        self.stdout.write(
            "  "
            + _("Næste liste {year}: sandsynligvis {status}").format(
                year=outlook.list_year,
                status=likely.rule.name if likely else _("ingen status"),
            )
        )
        for status in outlook.statuses:
            self.stdout.write(f"    {status.rule.name:<22} {_percent(status.chance)}")
        for criterion in outlook.criteria:
            sentence = distance_sentence(criterion)
            if sentence:
                self.stdout.write(f"    {sentence}")
