"""Workflows across the plan's models: loading a plan folder into the
database and writing it back out (the work is in ``planfiles``)."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from fremdrift.plans.models import Plan

from .dumping import plan_dump_folder, plan_to_data
from .loading import LoadSummary, write_plan
from .reader import read_plan_folder

__all__ = ["LoadSummary", "plan_dump", "plan_load", "plan_to_data"]


def plan_load(*, folder: Path) -> LoadSummary:
    """Load a plan folder (docs/plan-format.md) into the database.

    Validates everything first and raises ``PlanFileError`` with every
    problem before anything is written; then writes in one transaction.
    Rows are matched on their slugs/ids, so loading the same folder twice
    changes nothing and loading a changed folder updates in place.
    """
    parsed = read_plan_folder(Path(folder))
    with transaction.atomic():
        return write_plan(parsed)


def plan_dump(*, plan: Plan, folder: Path) -> list[Path]:
    """Write ``plan`` as a plan folder; returns the files written."""
    return plan_dump_folder(plan=plan, folder=Path(folder))
