"""The base of commands that act on one plan, named by its slug."""

from __future__ import annotations

from django.core.management.base import CommandError

from fremdrift.base.commands import FremdriftCommand

from .models import Plan


class PlanCommand(FremdriftCommand):
    """A command whose first argument is a plan's slug; an unknown slug is
    one line naming the plans that are loaded."""

    def get_plan(self, slug: str) -> Plan:
        try:
            return Plan.objects.select_related("organisation").get(slug=slug)
        except Plan.DoesNotExist:
            known = ", ".join(Plan.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(
                f"unknown plan {slug!r} (loaded plans: {known})"
            ) from None
