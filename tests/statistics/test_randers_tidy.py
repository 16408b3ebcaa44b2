"""The Randers Nordby observations, imported through the tidy template,
give exactly the plan folder's observations and verdicts."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

from django.core.management import call_command

from fremdrift.planfiles.services import plan_load
from fremdrift.plans.models import Plan
from fremdrift.statistics.models import Observation
from fremdrift.statistics.services import observations_import

ROOT = Path(__file__).resolve().parents[2]
RANDERS = ROOT / "examples" / "randers-nordby-2017-21"
SLUG = "randers-nordby-2017-21"


def _observations() -> list[tuple[object, ...]]:
    return sorted(
        (
            o.indicator.slug,
            o.population.slug,
            o.period,
            o.value,
            o.numerator,
            o.denominator,
            o.note,
            tuple(o.flags),
        )
        for o in Observation.objects.filter(indicator__plan__slug=SLUG).select_related(
            "indicator", "population"
        )
    )


def _verdicts() -> list[dict[str, object]]:
    out = io.StringIO()
    call_command(
        "verdicts", SLUG, "--format", "json", "--as-of", "2022-06-30", stdout=out
    )
    return json.loads(out.getvalue())


def test_randers_reimported_from_the_tidy_file_is_identical(db, tmp_path):
    plan_load(folder=RANDERS)
    expected_observations, expected_verdicts = _observations(), _verdicts()
    empty = tmp_path / "randers"
    empty.mkdir()
    shutil.copy(RANDERS / "plan.yaml", empty / "plan.yaml")
    header = (RANDERS / "observations.csv").read_text(encoding="utf-8").splitlines()[0]
    (empty / "observations.csv").write_text(header + "\n", encoding="utf-8")
    plan_load(folder=empty)
    assert _observations() == []
    result = observations_import(
        plan=Plan.objects.get(slug=SLUG), path=RANDERS / "observations.csv"
    )
    assert result.problems == []
    assert (result.created, result.changed, result.unchanged) == (187, 0, 0)
    assert _observations() == expected_observations
    assert _verdicts() == expected_verdicts
