"""Reads of the plan's own structure."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Plan


def plan_queryset() -> QuerySet[Plan]:
    return Plan.objects.select_related("organisation")
