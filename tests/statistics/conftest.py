"""Fixtures shared by the tests of area statistics."""

from __future__ import annotations

import pytest

from fremdrift.planfiles.services import plan_load

# Indicators added to the small test plan so that every unit check has an
# indicator to fail on: a count of persons, a rate per 1000 and a change.
EXTRA_INDICATORS = """
  - slug: charged-persons
    name: Antal sigtede personer
    unit: count
    better: lower
    counts_persons: true
  - slug: charged-per-1000
    name: Sigtede pr. 1000 beboere
    unit: per_1000
    better: lower
  - slug: employment-change
    name: Ændring i beskæftigelse
    unit: percent
    better: higher
    change: true
"""


@pytest.fixture
def plan(db, mini_folder):  # type: ignore[no-untyped-def]
    """The small test plan with a count, a rate and a change indicator."""
    from fremdrift.plans.models import Plan

    plan_yaml = mini_folder / "plan.yaml"
    text = plan_yaml.read_text(encoding="utf-8")
    text = text.replace(
        "    source: Fiktiv kilde\ngoals:",
        "    source: Fiktiv kilde\n" + EXTRA_INDICATORS.lstrip("\n") + "goals:",
        1,
    )
    plan_yaml.write_text(text, encoding="utf-8")
    plan_load(folder=mini_folder)
    return Plan.objects.get(slug="eksempelby-2022-26")


@pytest.fixture
def english():  # type: ignore[no-untyped-def]
    """The importers' problems in English, as the import command prints
    them (they are Danish texts with an English catalogue)."""
    from django.utils import translation

    with translation.override("en"):
        yield
