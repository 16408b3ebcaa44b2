"""Importing the tidy template: counts, safety, history, undo, CLI."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fremdrift.planfiles.services import plan_load
from fremdrift.statistics import importing
from fremdrift.statistics.models import ImportBatch, Observation, ObservationChange
from fremdrift.statistics.services import (
    UndoRefused,
    import_batch_undo,
    observations_import,
)

# The importers' problems as the import command prints them.
pytestmark = pytest.mark.usefixtures("english")

HEADER = "indicator,population,period,value,numerator,denominator,note,flags\n"


def write(
    tmp_path: Path, text: str, name: str = "obs.csv", encoding: str = "utf-8"
) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def values(plan, indicator: str) -> dict[tuple[str, str], object]:  # type: ignore[no-untyped-def]
    return {
        (o.population.slug, o.period): (o.value, tuple(o.flags))
        for o in Observation.objects.filter(
            indicator__plan=plan, indicator__slug=indicator
        ).select_related("population")
    }


def test_the_plans_own_export_reimports_with_nothing_changed(plan, tmp_path):
    out = io.StringIO()
    call_command("observations", plan.slug, stdout=out)
    before = values(plan, "employment")
    result = observations_import(plan=plan, path=write(tmp_path, out.getvalue()))
    assert result.problems == []
    assert (result.created, result.changed, result.unchanged) == (0, 0, len(before))
    assert result.nothing_changed
    assert ImportBatch.objects.count() == 0
    assert values(plan, "employment") == before


def test_dry_run_counts_new_changed_unchanged_and_writes_nothing(plan, tmp_path):
    path = write(
        tmp_path,
        HEADER
        + "employment,nord,2022,40.5,,,,\n"  # unchanged
        + "employment,nord,2023,43.0,,,,\n"  # changed from 42.0
        + "employment,nord,2024,44.0,,,,\n",  # new
    )
    result = observations_import(plan=plan, path=path, dry_run=True)
    assert (result.created, result.changed, result.unchanged) == (1, 1, 1)
    assert [(c.period, c.old, c.new) for c in result.changes] == [("2023", "42", "43")]
    assert ImportBatch.objects.count() == 0
    assert values(plan, "employment")[("nord", "2023")] == (Decimal("42.0"), ())
    assert ("nord", "2024") not in values(plan, "employment")


def test_an_import_keeps_history_and_provenance_and_twice_changes_nothing(
    plan, tmp_path, django_user_model
):
    user = django_user_model.objects.create_user("koordinator", password="x" * 16)
    path = write(
        tmp_path,
        HEADER + "employment,nord,2023,43.0,,,,\nemployment,syd,2024,45.5,,,,\n",
        name="beskaeftigelse.csv",
    )
    result = observations_import(plan=plan, path=path, user=user)
    assert (result.created, result.changed) == (1, 1)
    batch = result.batch
    assert batch is not None
    assert batch.file_name == "beskaeftigelse.csv"
    assert len(batch.sha256) == 64
    assert batch.imported_by == user and batch.imported_by_name == "koordinator"
    changed = Observation.objects.get(
        indicator__slug="employment", population__slug="nord", period="2023"
    )
    assert changed.value == Decimal("43") and changed.batch == batch
    assert changed.source_line == 2
    (history,) = ObservationChange.objects.filter(observation=changed)
    assert history.old_value == Decimal("42") and history.new_value == Decimal("43")
    assert history.batch == batch and history.old_batch is None
    again = observations_import(plan=plan, path=path, user=user)
    assert again.nothing_changed
    assert ImportBatch.objects.count() == 1


def test_undo_restores_changed_values_and_removes_created_ones(plan, tmp_path):
    path = write(
        tmp_path,
        HEADER + "employment,nord,2023,43.0,,,,\nemployment,syd,2024,45.5,,,,\n",
    )
    before = values(plan, "employment")
    batch = observations_import(plan=plan, path=path).batch
    assert values(plan, "employment") != before
    assert import_batch_undo(batch=batch) == 2
    assert values(plan, "employment") == before
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.UNDONE
    with pytest.raises(UndoRefused, match="already undone"):
        import_batch_undo(batch=batch)


def test_undo_is_refused_while_a_later_import_changed_the_same_values(plan, tmp_path):
    first = observations_import(
        plan=plan,
        path=write(tmp_path, HEADER + "employment,nord,2023,43,,,,\n", "a.csv"),
    ).batch
    second = observations_import(
        plan=plan,
        path=write(tmp_path, HEADER + "employment,nord,2023,44,,,,\n", "b.csv"),
    ).batch
    with pytest.raises(UndoRefused, match=f"undo #{second.pk} first"):
        import_batch_undo(batch=first)
    import_batch_undo(batch=second)
    assert values(plan, "employment")[("nord", "2023")][0] == Decimal("43")
    import_batch_undo(batch=first)
    assert values(plan, "employment")[("nord", "2023")][0] == Decimal("42")


def test_every_problem_is_reported_at_once_with_line_and_column(plan, tmp_path):
    path = write(
        tmp_path,
        HEADER
        + "employmnt,nord,2023,40,,,,\n"  # 2 unknown indicator, close to employment
        + "employment,nordd,2023,40,,,,\n"  # 3 unknown population
        + "employment,nord,2023,fyrre,,,,\n"  # 4 not a number
        + "employment,syd,2023,140,,,,\n"  # 5 percent > 100
        + "charged-per-1000,nord,2023,1200,,,,\n"  # 6 rate > 1000
        + "charged-persons,nord,2023,12.5,,,,\n"  # 7 count of persons not whole
        + "employment,syd,2023Q1,40,,,,\n"  # 8 bad period
        + "employment,syd,1990,40,,,,\n"  # 9 outside the data range
        + "employment,syd,2024,41,,,,\n"  # 10 fine
        + "employment,syd,2024,41,,,,\n"  # 11 duplicate of 10
        + "employment,syd,2025,,,,,\n"  # 12 empty value
        + "employment,syd,2026,40,,,,bogus\n",  # 13 unknown flag
        name="bad.csv",
    )
    result = observations_import(plan=plan, path=path)
    text = [str(p) for p in result.problems]
    assert text == [
        "bad.csv:2: indicator: unknown indicator 'employmnt' (did you mean 'employment'?)",
        "bad.csv:3: population: unknown population 'nordd' (did you mean 'nord'?)",
        "bad.csv:4: value: 'fyrre' is not a number",
        "bad.csv:5: value: 140 is not a percent (it must lie between 0 and 100)",
        "bad.csv:6: value: 1200 is not a rate per 1000 (it must lie between 0 and 1000)",
        "bad.csv:7: value: 12.5 is not a whole number of persons",
        text[6],
        "bad.csv:9: period: period '1990' lies outside the plan's data range (2012-2031)",
        "bad.csv:11: period: employment/syd/2024 is given twice (first on line 10)",
        "bad.csv:12: value: is empty: give a number, a discretion marker such as '..', or flag it missing, unreadable or suppressed",
        text[10],
    ]
    assert text[6].startswith("bad.csv:8: period: invalid period '2023Q1'")
    assert text[10].startswith("bad.csv:13: flags: unknown flag 'bogus'")
    assert ImportBatch.objects.count() == 0
    assert ("syd", "2024") not in values(plan, "employment")


def test_a_duplicate_in_a_later_chunk_is_found_with_its_first_line(
    plan, tmp_path, monkeypatch
):
    monkeypatch.setattr(importing, "CHUNK_ROWS", 2)
    path = write(
        tmp_path,
        HEADER
        + "employment,syd,2024,41,,,,\n"  # 2 new
        + "employment,nord,2022,40.5,,,,\n"  # 3 unchanged
        + "employment,nord,2023,50,,,,\n"  # 4 changed
        + "employment,nord,2022,40.5,,,,\n"  # 5 duplicate of an unchanged row
        + "employment,syd,2024,41,,,,\n"  # 6 duplicate of a new row
        + "employment,nord,2023,50,,,,\n",  # 7 duplicate of a changed row
    )
    result = observations_import(plan=plan, path=path, dry_run=True)
    assert [str(p) for p in result.problems] == [
        "obs.csv:5: period: employment/nord/2022 is given twice (first on line 3)",
        "obs.csv:6: period: employment/syd/2024 is given twice (first on line 2)",
        "obs.csv:7: period: employment/nord/2023 is given twice (first on line 4)",
    ]


def test_discretion_markers_become_the_suppressed_flag_never_zero(plan, tmp_path):
    path = write(
        tmp_path,
        "indicator;population;period;value\n"
        "charged-persons;nord;2023;..\n"
        "charged-persons;syd;2023;<5\n"
        "charged-persons;kommunen;2023;1234\n"
        "charged-per-1000;nord;2023;22,2\n",
    )
    result = observations_import(plan=plan, path=path)
    assert result.problems == []
    charged = values(plan, "charged-persons")
    assert charged[("nord", "2023")] == (None, ("suppressed",))
    assert charged[("syd", "2023")] == (None, ("suppressed",))
    assert charged[("kommunen", "2023")] == (Decimal("1234"), ())
    assert values(plan, "charged-per-1000")[("nord", "2023")] == (Decimal("22.2"), ())


def test_a_danish_excel_csv_in_cp1252_is_read_with_its_letters(plan, tmp_path):
    path = write(
        tmp_path,
        "indikator;population;periode;værdi;nævner;bemærkning\r\n"
        "employment;syd;2024;45,5;1.234;Tal fra årsrapporten, ændret i år\r\n",
        encoding="cp1252",
    )
    result = observations_import(plan=plan, path=path)
    assert result.problems == []
    obs = Observation.objects.get(population__slug="syd", period="2024")
    assert obs.note == "Tal fra årsrapporten, ændret i år"
    assert obs.value == Decimal("45.5")


def test_a_utf8_file_with_bom_and_a_change_indicator_may_be_negative(plan, tmp_path):
    path = write(
        tmp_path,
        "\ufeffindicator,population,period,value\nemployment-change,syd,2024,-33.5\n",
    )
    assert observations_import(plan=plan, path=path).problems == []


def test_a_source_without_a_note_column_keeps_the_teams_note(plan, tmp_path):
    Observation.objects.filter(population__slug="nord", period="2022").update(
        note="Tallet er fra 1. januar"
    )
    path = write(
        tmp_path, "indicator,population,period,value\nemployment,nord,2022,41\n"
    )
    result = observations_import(plan=plan, path=path)
    assert result.changed == 1
    obs = Observation.objects.get(population__slug="nord", period="2022")
    assert (obs.value, obs.note) == (Decimal("41"), "Tallet er fra 1. januar")


def test_the_xlsx_template_round_trips_and_lists_the_plan(plan, tmp_path):
    template = tmp_path / "skabelon.xlsx"
    call_command("template", "observations", plan.slug, "--out", str(template))
    workbook = openpyxl.load_workbook(template)
    assert workbook.sheetnames == ["Observationer", "Indikatorer og populationer"]
    listed = [row[0] for row in workbook.worksheets[1].iter_rows(values_only=True)]
    assert {"employment", "charged-persons", "nord", "syd", "kommunen"} <= set(listed)
    sheet = workbook["Observationer"]
    sheet.append(
        ["charged-persons", "nord", "2023", 12, None, None, "fra politiet", None]
    )
    sheet.append(["charged-per-1000", "nord", 2023, 22.2, 12, 540, None, None])
    workbook.save(template)
    result = observations_import(plan=plan, path=template)
    assert result.problems == [] and result.created == 2
    rate = Observation.objects.get(indicator__slug="charged-per-1000")
    assert (rate.value, rate.numerator, rate.denominator) == (
        Decimal("22.2"),
        Decimal("12"),
        Decimal("540"),
    )


def test_a_formula_cell_is_refused_with_sheet_row_and_column(plan, tmp_path):
    template = tmp_path / "formler.xlsx"
    call_command("template", "observations", plan.slug, "--out", str(template))
    workbook = openpyxl.load_workbook(template)
    workbook["Observationer"].append(["employment", "nord", "2024", "=40+2"])
    workbook.save(template)
    result = observations_import(plan=plan, path=template)
    assert [str(p) for p in result.problems] == [
        "formler.xlsx [Observationer]:2: D: holds a formula (=40+2); save the values, not the formulas (Paste Special > Values)"
    ]


def test_loading_the_plan_folder_again_keeps_imported_observations(
    plan, tmp_path, mini_folder
):
    path = write(tmp_path, HEADER + "employment,syd,2024,45.5,,,,\n")
    observations_import(plan=plan, path=path)
    plan_load(folder=mini_folder)
    assert values(plan, "employment")[("syd", "2024")] == (Decimal("45.5"), ())


def test_the_import_command_prints_counts_and_refuses_bad_files(plan, tmp_path):
    good = write(tmp_path, HEADER + "employment,nord,2023,43,,,,\n", "good.csv")
    out = io.StringIO()
    call_command("import", plan.slug, str(good), "--dry-run", stdout=out)
    assert out.getvalue().splitlines() == [
        f"{good}: 1 rows: 0 new, 1 changed, 0 unchanged",
        "  line 2: employment/nord/2023: 42 -> 43",
        "dry run: nothing was written",
    ]
    bad = write(tmp_path, HEADER + "employment,nord,2023,x43,,,,\n", "bad.csv")
    err = io.StringIO()
    with pytest.raises(CommandError, match="refused, nothing was written"):
        call_command("import", plan.slug, str(bad), stderr=err)
    assert err.getvalue() == f"{bad}:2: value: 'x43' is not a number\n"
