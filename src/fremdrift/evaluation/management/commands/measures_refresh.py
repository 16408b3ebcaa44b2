from __future__ import annotations

import time
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone, translation

from fremdrift.base.commands import FremdriftCommand
from fremdrift.core.i18n import LANGUAGES, use_language
from fremdrift.evaluation.selectors import stored_criterion_inputs
from fremdrift.plans.models import Plan
from fremdrift.plans.selectors import plan_queryset


class Command(FremdriftCommand):
    help = (
        "Compute and store today's measures of every plan (or the named ones), "
        "so that the first page of the day, and the cross-plan overview, read "
        "stored values. Run it each night after midnight (docs/scaling.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan_slugs", nargs="*", help="default: every plan")

    def handle(self, *args: Any, **options: Any) -> None:
        plans = plan_queryset().order_by("slug")
        if options["plan_slugs"]:
            plans = plans.filter(slug__in=options["plan_slugs"])
            missing = set(options["plan_slugs"]) - set(
                plans.values_list("slug", flat=True)
            )
            if missing:
                raise CommandError(f"no plan {', '.join(sorted(missing))}")
        today = timezone.localdate()
        began = time.perf_counter()
        count = 0
        for plan in plans:
            self._refresh(plan, today)
            count += 1
        self.stdout.write(
            f"stored the measures of {count} plan(s) as of {today.isoformat()} "
            f"in {time.perf_counter() - began:.1f} s"
        )

    def _refresh(self, plan: Plan, today: Any) -> None:
        # Stored per language (their notes are words): pages in Danish and
        # English, and the reports' own language.
        for lang in LANGUAGES:
            with translation.override(lang), use_language(lang):
                stored_criterion_inputs(plan=plan, as_of=today)
