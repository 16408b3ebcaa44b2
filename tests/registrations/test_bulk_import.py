"""Bulk import of registrations from a workbook or CSV files."""

from __future__ import annotations

import datetime
from io import BytesIO, StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from fremdrift.core.measures import MeasureKind
from fremdrift.registrations.bulk_import import (
    RegistrationImportError,
    registrations_import,
    registrations_template,
)
from fremdrift.registrations.measures import measure
from fremdrift.registrations.models import (
    Attendance,
    Course,
    Enrolment,
    Participant,
    Session,
)

pytestmark = pytest.mark.django_db


def _workbook(plan, tmp_path: Path, rows: dict[str, list[list[object]]]) -> Path:  # type: ignore[no-untyped-def]
    """The plan's template, filled with ``rows`` per sheet."""
    book = load_workbook(BytesIO(registrations_template(plan=plan)))
    for sheet, values in rows.items():
        for row in values:
            book[sheet].append(row)
    path = tmp_path / "registreringer.xlsx"
    book.save(path)
    return path


ROWS = {
    "deltagere": [
        ["P-001", "AB", 2014, "f", "nord", "H-1"],
        ["P-002", "CD", 2015, "m", "nord", "H-1"],
        ["P-003", None, 1988, None, "syd", None],
    ],
    "forløb": [
        ["lektiecafe", "Forår 2023", "2023-02-01", "2023-04-30", 8, "max_absence", 25]
    ],
    "tilmeldinger": [
        ["lektiecafe", "Forår 2023", "P-001", "child", None, None, None, "ja", "ja"],
        [
            "lektiecafe",
            "Forår 2023",
            "P-002",
            "child",
            None,
            None,
            "dropped_out",
            "nej",
            None,
        ],
    ],
    "mødegange": [
        ["lektiecafe", "Forår 2023", "2023-02-06", 90, "Matematik", None],
        ["lektiecafe", "Forår 2023", "13-02-2023", 90, "Dansk", None],
        ["lektiecafe", None, "2023-03-01", None, "Fællesspisning", 25],
    ],
    "fremmøde": [
        ["lektiecafe", "Forår 2023", "2023-02-06", "P-001"],
        ["lektiecafe", "Forår 2023", "2023-02-06", "P-002"],
        ["lektiecafe", "Forår 2023", "2023-02-13", "P-001"],
        ["lektiecafe", None, "2023-03-01", "P-003"],
    ],
}


def test_an_import_creates_every_registration_and_the_measures_count_them(
    mini, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    summary = registrations_import(plan=mini, path=_workbook(mini, tmp_path, ROWS))

    assert summary.created["participants"] == 3
    assert summary.created["courses"] == 1
    assert summary.created["enrolments"] == 2
    assert summary.created["sessions"] == 3
    assert summary.created["attendance"] == 4
    assert Session.objects.get(theme="Dansk").date == datetime.date(2023, 2, 13)
    assert Enrolment.objects.get(participant__code="P-002").outcome == "dropped_out"
    cafe = mini.activities.get(slug="lektiecafe")
    assert (
        measure(
            MeasureKind.UNIQUE_PARTICIPANTS,
            cafe,
            datetime.date(2023, 1, 1),
            datetime.date(2023, 12, 31),
        ).value
        == 3
    )
    assert (
        measure(
            MeasureKind.UNIQUE_HOUSEHOLDS,
            cafe,
            datetime.date(2023, 1, 1),
            datetime.date(2023, 12, 31),
        ).value
        == 2
    )


def test_importing_the_same_file_twice_creates_nothing_new(mini, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = _workbook(mini, tmp_path, ROWS)
    registrations_import(plan=mini, path=path)
    counts = (
        Participant.objects.count(),
        Session.objects.count(),
        Attendance.objects.count(),
    )

    again = registrations_import(plan=mini, path=path)

    assert sum(again.created.values()) == 0
    assert sum(again.updated.values()) == 0
    assert (
        Participant.objects.count(),
        Session.objects.count(),
        Attendance.objects.count(),
    ) == counts


def test_a_dry_run_reports_and_writes_nothing(mini, tmp_path) -> None:  # type: ignore[no-untyped-def]
    summary = registrations_import(
        plan=mini, path=_workbook(mini, tmp_path, ROWS), dry_run=True
    )

    assert summary.created["participants"] == 3
    # 3 participants, 1 household, 1 course, 2 enrolments, 3 sessions, 4 attendances.
    assert summary.describe().startswith("would create 14")
    assert Participant.objects.count() == 0
    assert Course.objects.count() == 0


def test_a_changed_row_updates_in_place(mini, tmp_path) -> None:  # type: ignore[no-untyped-def]
    registrations_import(plan=mini, path=_workbook(mini, tmp_path, ROWS))
    changed = {
        **ROWS,
        "deltagere": [["P-001", "AB", 2013, "f", "syd", "H-1"], *ROWS["deltagere"][1:]],
    }

    summary = registrations_import(plan=mini, path=_workbook(mini, tmp_path, changed))

    assert summary.updated["participants"] == 1
    person = Participant.objects.get(code="P-001")
    assert (person.birth_year, person.area.slug) == (2013, "syd")


def test_every_problem_is_reported_with_sheet_line_and_column_and_nothing_is_written(
    mini, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    broken = {
        **ROWS,
        "deltagere": [
            *ROWS["deltagere"],
            ["P-004", None, "to tusind", "q", "vest", None],
        ],
        "fremmøde": [
            *ROWS["fremmøde"],
            ["lektiecafe", "Forår 2023", "2023-02-20", "P-001"],
        ],
    }
    path = _workbook(mini, tmp_path, broken)

    with pytest.raises(RegistrationImportError) as caught:
        registrations_import(plan=mini, path=path)

    messages = [str(p) for p in caught.value.problems]
    assert (
        f"{path}[deltagere]:5: fødselsår: 'to tusind' is not a whole number" in messages
    )
    assert f"{path}[deltagere]:5: køn: 'q' is not one of f, m, x" in messages
    assert Participant.objects.count() == 0


def test_references_to_unknown_rows_are_reported_and_roll_everything_back(
    mini, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    broken = {
        **ROWS,
        "fremmøde": [
            *ROWS["fremmøde"],
            ["lektiecafe", "Forår 2023", "2023-02-20", "P-001"],
            ["lektiecafe", None, "2023-03-01", "P-999"],
        ],
        "deltagere": [*ROWS["deltagere"], ["P-005", None, 2012, None, "vest", None]],
    }
    path = _workbook(mini, tmp_path, broken)

    with pytest.raises(RegistrationImportError) as caught:
        registrations_import(plan=mini, path=path)

    messages = [str(p) for p in caught.value.problems]
    assert f"{path}[deltagere]:5: område: unknown area 'vest'" in messages
    assert any(
        m.startswith(f"{path}[fremmøde]:6: dato: no session of 'lektiecafe'")
        for m in messages
    )
    assert f"{path}[fremmøde]:7: deltager: unknown participant 'P-999'" in messages
    assert Participant.objects.count() == 0
    assert Session.objects.count() == 0


def test_a_folder_of_danish_excel_csv_files_imports(mini, tmp_path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "deltagere.csv").write_bytes(
        "kode;initialer;fødselsår;køn;område;husstand\r\nP-010;Åse;2014;f;nord;\r\n".encode(
            "cp1252"
        )
    )
    (folder / "forløb.csv").write_text(
        "aktivitet;navn;start;slut\nlektiecafe;Efterår;01-09-2023;30-11-2023\n",
        encoding="utf-8-sig",
    )

    summary = registrations_import(plan=mini, path=folder)

    assert summary.created["participants"] == 1
    assert Participant.objects.get(code="P-010").initials == "Åse"
    assert Course.objects.get().start == datetime.date(2023, 9, 1)


def test_the_commands_write_a_template_and_import_with_a_dry_run(
    mini, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    template = tmp_path / "skabelon.xlsx"
    call_command(
        "template",
        "registrations",
        mini.slug,
        "--out",
        str(template),
        stdout=StringIO(),
    )
    book = load_workbook(template)
    assert book.sheetnames == [
        "vejledning",
        "deltagere",
        "forløb",
        "tilmeldinger",
        "mødegange",
        "fremmøde",
        "kontakter",
    ]
    assert [c.value for c in book["deltagere"][1]] == [
        "kode",
        "initialer",
        "fødselsår",
        "køn",
        "område",
        "husstand",
    ]

    out = StringIO()
    call_command(
        "import_registrations",
        mini.slug,
        str(_workbook(mini, tmp_path, ROWS)),
        "--dry-run",
        stdout=out,
    )
    assert out.getvalue().startswith("Dry run: would create")
    assert Participant.objects.count() == 0

    bad = tmp_path / "bad.txt"
    bad.write_text("x")
    with pytest.raises(CommandError, match="1 problem; nothing was imported"):
        call_command("import_registrations", mini.slug, str(bad))
