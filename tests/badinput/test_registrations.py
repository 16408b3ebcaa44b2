"""The corpus of the registration import (``fremdrift
import_registrations``), as a folder of CSV files and as a workbook: each
bad input is refused with one problem at its file, sheet, line and column,
no traceback, and no row of any table changed."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from fremdrift.registrations.models import Course, Participant, Session

from .cases import (
    Case,
    registration_csv_cases,
    registration_xlsx_cases,
    registrations_folder,
    registrations_workbook,
)
from .conftest import assert_one_problem, changed_tables, database_fingerprint, refused

CSV_CASES = registration_csv_cases()
XLSX_CASES = registration_xlsx_cases()


def test_the_valid_folder_and_workbook_the_cases_start_from_import(plan, tmp_path):
    folder = Case("valid", registrations_folder(), "", "").write(tmp_path / "csv")
    call_command("import_registrations", plan.slug, str(folder), "--dry-run")
    book = tmp_path / "valid.xlsx"
    book.write_bytes(registrations_workbook())
    call_command("import_registrations", plan.slug, str(book))
    assert Participant.objects.filter(plan=plan).count() == 2
    assert Course.objects.filter(activity__plan=plan).count() == 1
    assert Session.objects.filter(activity__plan=plan).count() == 1


@pytest.mark.parametrize("case", CSV_CASES, ids=[c.name for c in CSV_CASES])
def test_a_bad_csv_folder_is_refused_in_one_line_and_changes_nothing(
    plan, tmp_path: Path, case: Case
):
    folder = case.write(tmp_path / case.name)
    before = database_fingerprint()
    refusal = refused("import_registrations", plan.slug, str(folder))
    assert_one_problem(refusal, case.where, case.says, str(folder))
    assert changed_tables(before, database_fingerprint()) == []


@pytest.mark.parametrize("case", XLSX_CASES, ids=[c.name for c in XLSX_CASES])
def test_a_bad_workbook_is_refused_in_one_line_and_changes_nothing(
    plan, tmp_path: Path, case: Case
):
    folder = case.write(tmp_path / case.name)
    (path,) = (folder / name for name in case.files)
    before = database_fingerprint()
    refusal = refused("import_registrations", plan.slug, str(path))
    assert_one_problem(refusal, case.where, case.says, path.name)
    assert changed_tables(before, database_fingerprint()) == []
