from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone

from fremdrift.plans.commands import PlanCommand
from fremdrift.plans.models import Plan
from fremdrift.privacy.gdpr import (
    KINDS,
    RetentionReview,
    command_actor,
    retention_apply,
    retention_review,
)


def _counts(counts: Any) -> str:
    shown = [f"{k.replace('_', ' ')}: {counts[k]}" for k in KINDS if counts[k]]
    return ", ".join(shown) or "nothing"


class Command(PlanCommand):
    help = (
        "Delete personal data whose retention period has run out: the "
        "registrations of activities, and the participants of plans, ended "
        "more than the plan's retention months ago. Dry run by default."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--dry-run",
            action="store_true",
            help="show what would be deleted (the default)",
        )
        mode.add_argument("--apply", action="store_true", help="delete it")
        parser.add_argument("--plan", help="one plan's slug (default: every plan)")
        parser.add_argument(
            "--as-of", help="judge the deadlines as of this day (default today)"
        )
        parser.add_argument(
            "--by", help="the fremdrift user doing it (default: your login)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options["as_of"]:
            try:
                today = datetime.date.fromisoformat(options["as_of"])
            except ValueError:
                raise CommandError(
                    f"--as-of: {options['as_of']!r} is not a date (YYYY-MM-DD)"
                ) from None
        plans = (
            [self.get_plan(options["plan"])]
            if options["plan"]
            else list(Plan.objects.order_by("slug"))
        )
        actor = command_actor(options["by"])
        for plan in plans:
            if options["apply"]:
                review = retention_apply(plan=plan, today=today, actor=actor)
            else:
                review = retention_review(plan=plan, today=today)
            self._print(review)
        if not options["apply"]:
            self.stdout.write("dry run: nothing was deleted")

    def _print(self, review: RetentionReview) -> None:
        verb = "deleted" if review.applied else "to delete"
        state = "past its time" if review.due else "running or kept"
        self.stdout.write(
            f"{review.plan.slug}: keep {review.months} months; plan kept until "
            f"{review.keep_until.isoformat()} ({state})"
        )
        for item in review.activities:
            counts = review.by_activity.get(item.activity.pk)
            if counts is None or not sum(counts.values()):
                continue
            self.stdout.write(
                f"  {item.activity.slug}: ended {item.ended.isoformat()}, kept "
                f"until {item.keep_until.isoformat()}: {_counts(counts)}"
            )
        if review.frozen:
            frozen = "frozen" if review.applied else "to freeze"
            self.stdout.write(
                f"  criteria {frozen} as reported values: {', '.join(review.frozen)}"
            )
        self.stdout.write(f"  {verb}: {_counts(review.counts)}")
