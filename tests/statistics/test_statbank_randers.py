"""The Randers Nordby observations, imported from a StatBank file, give the
plan the same observations and verdicts as its tidy observations.csv.

examples/randers-nordby-2017-21/statbank/ holds the plan's observations as
a StatBank CSV/BULK file (constructed by make_statbank_file.py: every
observation whose period StatBank can express, that is 180 of 187) and its
mapping. A StatBank table carries indicator, population, period and value;
notes, numerators and the flags other than ``suppressed`` stay behind.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from fremdrift.planfiles.services import plan_load
from fremdrift.plans.models import Plan
from fremdrift.statistics.models import Observation
from fremdrift.statistics.services import observations_import

ROOT = Path(__file__).resolve().parents[2]
RANDERS = ROOT / "examples" / "randers-nordby-2017-21"
STATBANK = RANDERS / "statbank"
DATA = STATBANK / "NORDBY17.csv"
MAPPING = STATBANK / "mapping.yaml"
SLUG = "randers-nordby-2017-21"
AS_OF = "2022-06-30"
# The periods a StatBank time variable has: years, quarters, months.
STATBANK_PERIOD = re.compile(r"^\d{4}$|^\d{4}K[1-4]$|^\d{4}M(0[1-9]|1[0-2])$")

Key = tuple[str, str, str]


def _tidy_rows() -> list[dict[str, str]]:
    with (RANDERS / "observations.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _covered(row: dict[str, str]) -> bool:
    return bool(STATBANK_PERIOD.match(row["period"]))


def _plan_copy(tmp_path: Path, keep_rows: list[dict[str, str]]) -> Path:
    """A copy of the plan folder whose observations.csv holds ``keep_rows``."""
    folder = tmp_path / "randers"
    folder.mkdir()
    shutil.copy(RANDERS / "plan.yaml", folder / "plan.yaml")
    fields = list(_tidy_rows()[0])
    with (folder / "observations.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(keep_rows)
    return folder


def _import_statbank(plan: Plan) -> Any:
    result = observations_import(
        plan=plan, path=DATA, source="statbank", mapping=MAPPING
    )
    assert [str(p) for p in result.problems] == []
    return result


def _observations(plan: Plan) -> dict[Key, tuple[Decimal | None, bool]]:
    return {
        (o.indicator.slug, o.population.slug, o.period): (
            o.value,
            "suppressed" in o.flags,
        )
        for o in Observation.objects.filter(indicator__plan=plan).select_related(
            "indicator", "population"
        )
    }


def _verdicts() -> list[dict[str, Any]]:
    out = io.StringIO()
    call_command("verdicts", SLUG, format="json", as_of=AS_OF, stdout=out)
    records: list[dict[str, Any]] = json.loads(out.getvalue())
    return records


def test_the_committed_statbank_files_are_what_the_generator_writes(
    tmp_path: Path,
) -> None:
    subprocess.run(
        [sys.executable, str(STATBANK / "make_statbank_file.py"), str(tmp_path)],
        check=True,
        capture_output=True,
    )
    assert (tmp_path / DATA.name).read_bytes() == DATA.read_bytes()
    assert (tmp_path / MAPPING.name).read_bytes() == MAPPING.read_bytes()


@pytest.mark.django_db
def test_the_statbank_file_gives_the_tidy_observations_it_covers(
    tmp_path: Path,
) -> None:
    plan_load(folder=_plan_copy(tmp_path, []))
    plan = Plan.objects.get(slug=SLUG)
    result = _import_statbank(plan)

    covered = [row for row in _tidy_rows() if _covered(row)]
    assert len(covered) == 180
    assert result.created == len(covered)
    expected = {
        (row["indicator"], row["population"], row["period"]): (
            None if "suppressed" in row["flags"] else Decimal(row["value"]),
            "suppressed" in row["flags"],
        )
        for row in covered
    }
    assert _observations(plan) == expected


@pytest.mark.django_db
def test_verdicts_after_the_statbank_import_equal_those_of_the_tidy_file(
    tmp_path: Path,
) -> None:
    plan_load(folder=RANDERS)
    from_tidy = _verdicts()
    Plan.objects.filter(slug=SLUG).delete()

    # The seven observations StatBank cannot carry (school years, spans of
    # years, a span of days) stay in the plan folder; the rest come from
    # the StatBank file.
    plan_load(folder=_plan_copy(tmp_path, [r for r in _tidy_rows() if not _covered(r)]))
    before_import = _verdicts()
    _import_statbank(Plan.objects.get(slug=SLUG))
    from_statbank = _verdicts()

    # The comparison means something: without the StatBank rows these
    # criteria are judged otherwise.
    decided = [
        tidy["id"]
        for tidy, before in zip(from_tidy, before_import, strict=True)
        if tidy != before
    ]
    assert len(decided) >= 15  # 19 when written
    assert from_statbank == from_tidy


@pytest.mark.django_db
def test_importing_the_statbank_file_over_the_tidy_file_changes_nothing(
    tmp_path: Path,
) -> None:
    plan_load(folder=RANDERS)
    plan = Plan.objects.get(slug=SLUG)
    before = {
        (o.indicator.slug, o.population.slug, o.period): (o.value, o.note, o.flags)
        for o in Observation.objects.filter(indicator__plan=plan).select_related(
            "indicator", "population"
        )
    }
    result = _import_statbank(plan)
    assert (result.created, result.changed, result.unchanged) == (0, 0, 180)
    after = {
        (o.indicator.slug, o.population.slug, o.period): (o.value, o.note, o.flags)
        for o in Observation.objects.filter(indicator__plan=plan).select_related(
            "indicator", "population"
        )
    }
    # Notes and flags the team wrote are kept: a StatBank file has none.
    assert after == before
