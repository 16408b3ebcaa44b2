"""The law's figures through the ordinary import: the CSV printed in
docs/area-status.md ("Importing the figures"), imported as it stands
with `fremdrift import` into Eksempelby without its own law figures,
gives `fremdrift status` its statuses; the import has its provenance
and its undo, and a figure hidden for discretion makes its criterion
"kan ikke afgøres"."""

from __future__ import annotations

import json
import re
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from fremdrift.planfiles.services import plan_load
from fremdrift.plans.models import Plan
from fremdrift.statistics.models import ImportBatch, Observation

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "area-status.md"
SLUG = "eksempelby-2025-29"


def documented_csv() -> str:
    """The one CSV block of the section "Importing the figures"."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Importing the figures", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```csv\n(.*?)```", section, flags=re.DOTALL)
    assert len(blocks) == 1, "one CSV example in the section"
    return blocks[0]


@pytest.fixture
def plan(tmp_path: Path) -> Plan:
    """Eksempelby with law_status but none of the law's observations."""
    folder = tmp_path / "plan"
    shutil.copytree(ROOT / "examples" / SLUG, folder)
    observations = folder / "observations.csv"
    lines = observations.read_text(encoding="utf-8").splitlines(keepends=True)
    observations.write_text(
        "".join(line for line in lines if not line.startswith("law-")),
        encoding="utf-8",
    )
    plan_load(folder=folder)
    return Plan.objects.get(slug=SLUG)


def _status() -> dict[str, dict[str, object]]:
    out = StringIO()
    call_command("status", SLUG, "--format", "json", stdout=out)
    return {area["area"]: area for area in json.loads(out.getvalue())}


def _import(path: Path) -> str:
    out = StringIO()
    call_command("import", SLUG, str(path), stdout=out)
    return out.getvalue()


def _lists(area: dict[str, object]) -> dict[int, dict[str, object]]:
    return {item["list_year"]: item for item in area["lists"]}  # type: ignore[attr-defined]


def _criteria(item: dict[str, object]) -> dict[str, object]:
    return {c["key"]: c["met"] for c in item["criteria"]}  # type: ignore[attr-defined]


def test_the_documented_layout_imports_and_gives_the_status(
    plan: Plan, tmp_path: Path
) -> None:
    assert all(not area["lists"] for area in _status().values())
    path = tmp_path / "lovens-tal.csv"
    path.write_text(documented_csv(), encoding="utf-8")
    output = _import(path)
    assert "27 rows: 27 new" in output
    lists = _lists(_status()["solsikkeparken"])
    assert sorted(lists) == [2023, 2024, 2025]
    # 2023 averages 2021, which the file does not have.
    assert lists[2023]["status"] is None
    assert lists[2023]["decided"] is False
    assert _criteria(lists[2023])["without_attachment"] is None
    for year in (2024, 2025):
        assert lists[year]["version"] == "2021"
        assert lists[year]["status_name"] == "parallelsamfund"
        met = _criteria(lists[year])
        assert (met["without_attachment"], met["convicted"]) == (True, True)
        assert (met["basic_schooling"], met["income"]) == (False, True)
        assert met["non_western"] is True
    assert lists[2025]["residents"] == "1520"
    # The base populations give the next list's distance in persons.
    upcoming = _status()["solsikkeparken"]["next"]
    assert upcoming["list_year"] == 2026  # type: ignore[index]
    attachment = next(
        c
        for c in upcoming["criteria"]  # type: ignore[index]
        if c["key"] == "without_attachment"
    )
    assert attachment["persons_to_cross"] > 0


def test_the_import_keeps_its_provenance_and_can_be_undone(
    plan: Plan, tmp_path: Path
) -> None:
    path = tmp_path / "lovens-tal.csv"
    path.write_text(documented_csv(), encoding="utf-8")
    _import(path)
    batch = ImportBatch.objects.get(plan=plan)
    residents = Observation.objects.get(
        indicator__slug="law-residents",
        population__slug="solsikkeparken",
        period="2025-01-01",
    )
    assert residents.batch_id == batch.pk
    assert residents.source_line == 4
    assert "nothing changed" in _import(path)
    call_command("import_undo", SLUG, str(batch.pk), stdout=StringIO())
    assert not _status()["solsikkeparken"]["lists"]


def test_a_figure_hidden_for_discretion_cannot_decide_its_criterion(
    plan: Plan, tmp_path: Path
) -> None:
    text = documented_csv().replace(
        "law-convicted,solsikkeparken,2023,1.15", "law-convicted,solsikkeparken,2023,.."
    )
    path = tmp_path / "lovens-tal.csv"
    path.write_text(text, encoding="utf-8")
    _import(path)
    hidden = Observation.objects.get(
        indicator__slug="law-convicted",
        population__slug="solsikkeparken",
        period="2023",
    )
    assert hidden.value is None and "suppressed" in hidden.flags
    lists = _lists(_status()["solsikkeparken"])
    for year in (2024, 2025):
        assert _criteria(lists[year])["convicted"] is None
        # Attachment and income are two of four: the status stands.
        assert lists[year]["status_name"] == "parallelsamfund"
