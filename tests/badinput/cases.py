"""The bad-input corpus, generated in code: each case is a file (or a
folder of files) with one thing wrong, where it must be reported, and a
fragment of what must be said.

The cases start from one valid input per importer (``*_VALID``), which the
tests import first to show that the corpus refuses what it refuses for its
one fault and not for a fault of the base. Files are generated here rather
than committed, so a case is read in one line.
"""

from __future__ import annotations

import io
import sqlite3
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

FIVE_MB = "x" * (5 * 1024 * 1024)
CPR_DASH = "010190-1234"
CPR_PLAIN = "0101901234"
TWENTY_DIGITS = "12345678901234567890"


@dataclass(frozen=True)
class Case:
    """One malformed input: ``files`` by name (relative to the folder the
    test writes them into), where the one problem is (``where``, a
    fragment of the printed location) and what it says (``says``)."""

    name: str
    files: dict[str, bytes]
    where: str
    says: str
    extra: dict[str, str] = field(default_factory=dict)

    def write(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in self.files.items():
            (folder / name).write_bytes(data)
        return folder


# ------------------------------------------------- registrations (CSV folder)

REGISTRATIONS_VALID: dict[str, str] = {
    "deltagere": (
        "kode,initialer,fødselsår,køn,område,husstand\n"
        "P-001,AB,2014,f,nord,H-1\n"
        "P-002,CD,2015,m,nord,H-1\n"
    ),
    "forløb": (
        "aktivitet,navn,start,slut,planlagte mødegange,gennemførelsesregel,"
        "regelværdi\n"
        "lektiecafe,Forår 2023,2023-02-01,2023-04-30,8,max_absence,25\n"
    ),
    "tilmeldinger": (
        "aktivitet,forløb,deltager,rolle,start,slut,udfald,mål sat,mål nået\n"
        "lektiecafe,Forår 2023,P-001,child,,,,ja,ja\n"
    ),
    "mødegange": (
        "aktivitet,forløb,dato,varighed (minutter),tema,fremmødte uden navn\n"
        "lektiecafe,Forår 2023,2023-02-06,90,Matematik,\n"
    ),
    "fremmøde": (
        "aktivitet,forløb,dato,deltager\nlektiecafe,Forår 2023,2023-02-06,P-001\n"
    ),
    "kontakter": (
        "aktivitet,dato,type,deltager,antal uden navn,område,aldersgruppe,"
        "kontaktform\n"
        "lektiecafe,2023-03-01,contact,,3,nord,,street\n"
    ),
}


def registrations_folder(**replace: str | bytes) -> dict[str, bytes]:
    """The valid folder with some files' text replaced (by table name)."""
    files: dict[str, bytes] = {}
    for table, text in REGISTRATIONS_VALID.items():
        given = replace.get(table, text)
        files[f"{table}.csv"] = given if isinstance(given, bytes) else given.encode()
    return files


def _row(table: str, row: str, *, keep: bool = True) -> dict[str, bytes]:
    """The valid folder with ``row`` added to ``table`` (after its valid
    rows when ``keep``, else in their place)."""
    header, *rows = REGISTRATIONS_VALID[table].splitlines(keepends=True)
    body = "".join(rows) if keep else ""
    return registrations_folder(**{table: header + body + row + "\n"})


def _participant(**cells: str) -> str:
    values = {
        "kode": "P-009",
        "initialer": "EF",
        "fødselsår": "2016",
        "køn": "f",
        "område": "nord",
        "husstand": "",
    }
    values.update(cells)
    return ",".join(values.values())


def _course(**cells: str) -> str:
    values = {
        "aktivitet": "lektiecafe",
        "navn": "Efterår 2023",
        "start": "2023-09-01",
        "slut": "2023-11-30",
        "planlagte": "8",
        "regel": "max_absence",
        "regelværdi": "25",
    }
    values.update(cells)
    return ",".join(values.values())


def _session(**cells: str) -> str:
    values = {
        "aktivitet": "lektiecafe",
        "forløb": "Forår 2023",
        "dato": "2023-02-13",
        "varighed": "90",
        "tema": "Dansk",
        "antal": "",
    }
    values.update(cells)
    return ",".join(values.values())


def _contact(**cells: str) -> str:
    values = {
        "aktivitet": "lektiecafe",
        "dato": "2023-03-02",
        "type": "contact",
        "deltager": "",
        "antal": "2",
        "område": "nord",
        "aldersgruppe": "",
        "kontaktform": "street",
    }
    values.update(cells)
    return ",".join(values.values())


def _enrolment(**cells: str) -> str:
    values = {
        "aktivitet": "lektiecafe",
        "forløb": "Forår 2023",
        "deltager": "P-002",
        "rolle": "child",
        "start": "",
        "slut": "",
        "udfald": "",
        "mål sat": "ja",
        "mål nået": "",
    }
    values.update(cells)
    return ",".join(values.values())


def registration_csv_cases() -> list[Case]:
    d, f, t, m = "[deltagere]:4", "[forløb]:3", "[tilmeldinger]:3", "[mødegange]:3"
    k = "[kontakter]:3"
    cpr = "looks like a CPR number"
    cases = [
        Case(
            "cpr-as-initials",
            _row("deltagere", _participant(initialer=CPR_DASH)),
            f"{d}: initialer",
            cpr,
        ),
        Case(
            "cpr-as-initials-no-dash",
            _row("deltagere", _participant(initialer=CPR_PLAIN)),
            f"{d}: initialer",
            cpr,
        ),
        Case(
            "cpr-inside-initials",
            _row("deltagere", _participant(initialer="AB 311299-4321")),
            f"{d}: initialer",
            cpr,
        ),
        Case(
            "cpr-as-code",
            _row("deltagere", _participant(kode=CPR_DASH)),
            f"{d}: kode",
            cpr,
        ),
        Case(
            "cpr-as-code-no-dash",
            _row("deltagere", _participant(kode=CPR_PLAIN)),
            f"{d}: kode",
            cpr,
        ),
        Case(
            "cpr-as-household",
            _row("deltagere", _participant(husstand="290200-1234")),
            f"{d}: husstand",
            cpr,
        ),
        Case(
            "cpr-as-enrolment-participant",
            _row("tilmeldinger", _enrolment(deltager=CPR_DASH)),
            f"{t}: deltager",
            cpr,
        ),
        Case(
            "cpr-as-attendance-participant",
            _row("fremmøde", f"lektiecafe,Forår 2023,2023-02-06,{CPR_PLAIN}"),
            "[fremmøde]:3: deltager",
            cpr,
        ),
        Case(
            "cpr-as-contact-participant",
            _row("kontakter", _contact(deltager=CPR_DASH, antal="")),
            f"{k}: deltager",
            cpr,
        ),
        Case(
            "code-60-characters",
            _row("deltagere", _participant(kode="P" * 60)),
            f"{d}: kode",
            "at most 20 fit",
        ),
        Case(
            "initials-31-characters",
            _row("deltagere", _participant(initialer="A" * 31)),
            f"{d}: initialer",
            "at most 30 fit",
        ),
        Case(
            "household-25-characters",
            _row("deltagere", _participant(husstand="H" * 25)),
            f"{d}: husstand",
            "at most 20 fit",
        ),
        Case(
            "course-name-201-characters",
            _row("forløb", _course(navn="N" * 201)),
            f"{f}: navn",
            "at most 200 fit",
        ),
        Case(
            "birth-year-nan",
            _row("deltagere", _participant(fødselsår="nan")),
            f"{d}: fødselsår",
            "'nan' is not a whole number",
        ),
        Case(
            "birth-year-inf",
            _row("deltagere", _participant(fødselsår="inf")),
            f"{d}: fødselsår",
            "'inf' is not a whole number",
        ),
        Case(
            "birth-year-minus-inf",
            _row("deltagere", _participant(fødselsår="-inf")),
            f"{d}: fødselsår",
            "is not a whole number",
        ),
        Case(
            "birth-year-20-digits",
            _row("deltagere", _participant(fødselsår=TWENTY_DIGITS)),
            f"{d}: fødselsår",
            "is too large",
        ),
        Case(
            "birth-year-fraction",
            _row("deltagere", _participant(fødselsår="2014.5")),
            f"{d}: fødselsår",
            "is not a whole number",
        ),
        Case(
            "birth-year-implausible",
            _row("deltagere", _participant(fødselsår="1800")),
            f"{d}: fødselsår",
            "not a plausible birth year",
        ),
        Case(
            "sex-unknown",
            _row("deltagere", _participant(køn="q")),
            f"{d}: køn",
            "is not one of",
        ),
        Case(
            "participant-twice",
            _row("deltagere", _participant(kode="P-001")),
            f"{d}: kode",
            "is given twice",
        ),
        Case(
            "area-unknown",
            _row("deltagere", _participant(område="nordd")),
            f"{d}: område",
            "unknown area",
        ),
        Case(
            "initials-formula",
            _row("deltagere", _participant(initialer="=1+1")),
            f"{d}: initialer",
            "is a formula",
        ),
        Case(
            "code-empty",
            _row("deltagere", _participant(kode="")),
            f"{d}: kode",
            "is required",
        ),
        Case(
            "unclosed-quote-in-initials",
            _row(
                "deltagere",
                _participant(initialer='"AB') + "\n" + _participant(kode="P-010"),
            ),
            "deltagere.csv[deltagere]:4",
            'quote (") that is never closed',
        ),
        Case(
            "text-after-closing-quote",
            _row("deltagere", _participant(initialer='"AB"x')),
            "deltagere.csv[deltagere]:4",
            "text after the closing quote",
        ),
        Case(
            "extra-cell",
            _row("deltagere", _participant() + ",ekstra"),
            "deltagere.csv[deltagere]:4",
            "has 7 cells, the header has 6",
        ),
        Case(
            "cell-of-5-mb",
            _row("deltagere", _participant(initialer=FIVE_MB)),
            "deltagere.csv[deltagere]:4",
            "holds a cell larger than 128 KB",
        ),
        Case(
            "cell-of-200-kb",
            _row("deltagere", _participant(initialer="y" * 200_000)),
            "deltagere.csv[deltagere]:4",
            "holds a cell larger than 128 KB",
        ),
        Case(
            "nul-byte",
            registrations_folder(
                deltagere=REGISTRATIONS_VALID["deltagere"].encode()
                + b"P-009,E\x00F,2016,f,nord,\n"
            ),
            "deltagere.csv[deltagere]:4",
            "NUL byte",
        ),
        Case(
            "not-text",
            registrations_folder(
                deltagere=REGISTRATIONS_VALID["deltagere"].encode()
                + b"P-009,\x81\x8d,2016,f,nord,\n"
            ),
            "deltagere.csv[deltagere]:4",
            "neither UTF-8 nor Windows-1252",
        ),
        Case(
            "zero-bytes",
            registrations_folder(deltagere=b""),
            "deltagere.csv[deltagere]",
            "is empty (0 bytes)",
        ),
        Case(
            "missing-required-column",
            registrations_folder(deltagere="initialer,fødselsår\nAB,2014\n"),
            "[deltagere]:1: kode",
            "column is missing",
        ),
        Case(
            "unknown-column",
            registrations_folder(deltagere="kode,initialer,cpr\nP-001,AB,x\n"),
            "[deltagere]:1: cpr",
            "unknown column",
        ),
        Case(
            "course-impossible-start",
            _row("forløb", _course(start="2025-02-30")),
            f"{f}: start",
            "'2025-02-30' is not a date",
        ),
        Case(
            "course-impossible-end",
            _row("forløb", _course(slut="2023-13-01")),
            f"{f}: slut",
            "is not a date",
        ),
        Case(
            "course-end-before-start",
            _row("forløb", _course(slut="2023-08-01")),
            f"{f}: slut",
            "ends before it starts",
        ),
        Case(
            "planned-sessions-negative",
            _row("forløb", _course(planlagte="-3")),
            f"{f}: planlagte mødegange",
            "-3 is negative",
        ),
        Case(
            "planned-sessions-nan",
            _row("forløb", _course(planlagte="nan")),
            f"{f}: planlagte mødegange",
            "is not a whole number",
        ),
        Case(
            "planned-sessions-inf",
            _row("forløb", _course(planlagte="inf")),
            f"{f}: planlagte mødegange",
            "is not a whole number",
        ),
        Case(
            "planned-sessions-20-digits",
            _row("forløb", _course(planlagte=TWENTY_DIGITS)),
            f"{f}: planlagte mødegange",
            "is too large",
        ),
        Case(
            "planned-sessions-over-64-bit",
            _row("forløb", _course(planlagte=str(2**63))),
            f"{f}: planlagte mødegange",
            "is too large",
        ),
        Case(
            "planned-sessions-exponent",
            _row("forløb", _course(planlagte="1e400")),
            f"{f}: planlagte mødegange",
            "is not a whole number",
        ),
        Case(
            "planned-sessions-fraction",
            _row("forløb", _course(planlagte="2.5")),
            f"{f}: planlagte mødegange",
            "is not a whole number",
        ),
        Case(
            "rule-value-negative",
            _row("forløb", _course(regelværdi="-1")),
            f"{f}: regelværdi",
            "-1 is negative",
        ),
        Case(
            "rule-unknown",
            _row("forløb", _course(regel="some_absence")),
            f"{f}: gennemførelsesregel",
            "is not one of",
        ),
        Case(
            "course-twice",
            _row("forløb", _course(navn="Forår 2023")),
            f"{f}: navn",
            "is given twice (lines 2 and 3)",
        ),
        Case(
            "course-unknown-activity",
            _row("forløb", _course(aktivitet="lektiecaf")),
            f"{f}: aktivitet",
            "unknown activity",
        ),
        Case(
            "enrolment-twice",
            _row("tilmeldinger", _enrolment(deltager="P-001")),
            f"{t}: deltager",
            "is given twice (lines 2 and 3)",
        ),
        Case(
            "enrolment-role-unknown",
            _row("tilmeldinger", _enrolment(rolle="chef")),
            f"{t}: rolle",
            "is not one of",
        ),
        Case(
            "enrolment-goal-maybe",
            _row("tilmeldinger", _enrolment(**{"mål sat": "måske"})),
            f"{t}: mål sat",
            "is not ja or nej",
        ),
        Case(
            "enrolment-unknown-participant",
            _row("tilmeldinger", _enrolment(deltager="P-404")),
            f"{t}: deltager",
            "unknown participant",
        ),
        Case(
            "enrolment-unknown-course",
            _row("tilmeldinger", _enrolment(forløb="Vinter")),
            f"{t}: forløb",
            "unknown course",
        ),
        Case(
            "enrolment-not-a-leap-day",
            _row("tilmeldinger", _enrolment(start="2023-02-29")),
            f"{t}: start",
            "is not a date",
        ),
        Case(
            "session-twice",
            _row("mødegange", _session(dato="2023-02-06")),
            f"{m}: dato",
            "is given twice (lines 2 and 3)",
        ),
        Case(
            "session-twice-other-date-format",
            _row("mødegange", _session(dato="06-02-2023")),
            f"{m}: dato",
            "is given twice (lines 2 and 3)",
        ),
        Case(
            "session-duration-negative",
            _row("mødegange", _session(varighed="-90")),
            f"{m}: varighed (minutter)",
            "-90 is negative",
        ),
        Case(
            "session-duration-over-a-day",
            _row("mødegange", _session(varighed="100000")),
            f"{m}: varighed (minutter)",
            "is too large",
        ),
        Case(
            "session-headcount-nan",
            _row("mødegange", _session(antal="NaN")),
            f"{m}: fremmødte uden navn",
            "is not a whole number",
        ),
        Case(
            "session-headcount-negative",
            _row("mødegange", _session(antal="-5")),
            f"{m}: fremmødte uden navn",
            "-5 is negative",
        ),
        Case(
            "session-impossible-date",
            _row("mødegange", _session(dato="30.02.2023")),
            f"{m}: dato",
            "is not a date",
        ),
        Case(
            "attendance-without-session",
            _row("fremmøde", "lektiecafe,Forår 2023,2023-02-20,P-001"),
            "[fremmøde]:3: dato",
            "no session of",
        ),
        Case(
            "attendance-impossible-date",
            _row("fremmøde", "lektiecafe,Forår 2023,2023-04-31,P-001"),
            "[fremmøde]:3: dato",
            "is not a date",
        ),
        Case(
            "contact-count-negative",
            _row("kontakter", _contact(antal="-212")),
            f"{k}: antal uden navn",
            "-212 is negative",
        ),
        Case(
            "contact-count-inf",
            _row("kontakter", _contact(antal="inf")),
            f"{k}: antal uden navn",
            "is not a whole number",
        ),
        Case(
            "contact-count-20-digits",
            _row("kontakter", _contact(antal=TWENTY_DIGITS)),
            f"{k}: antal uden navn",
            "is too large",
        ),
        Case(
            "contact-kind-unknown",
            _row("kontakter", _contact(type="visit")),
            f"{k}: type",
            "is not one of",
        ),
        Case(
            "contact-nobody",
            _row("kontakter", _contact(antal="")),
            f"{k}: antal uden navn",
            "give a participant or a number",
        ),
    ]
    return cases


# ---------------------------------------------- registrations (XLSX workbook)


def registrations_workbook(rows: dict[str, list[list[object]]] | None = None) -> bytes:
    """A workbook in the import layout with the valid rows, plus ``rows``."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for table, text in REGISTRATIONS_VALID.items():
        sheet = book.create_sheet(table)
        for line in text.splitlines():
            sheet.append([cell or None for cell in line.split(",")])
        for row in (rows or {}).get(table, []):
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _participant_cells(**cells: object) -> list[object]:
    values: dict[str, object] = {
        "kode": "P-009",
        "initialer": "EF",
        "fødselsår": 2016,
        "køn": "f",
        "område": "nord",
        "husstand": None,
    }
    values.update(cells)
    return list(values.values())


def _course_cells(**cells: object) -> list[object]:
    values: dict[str, object] = {
        "aktivitet": "lektiecafe",
        "navn": "Efterår 2023",
        "start": "2023-09-01",
        "slut": "2023-11-30",
        "planlagte": 8,
        "regel": "max_absence",
        "regelværdi": 25,
    }
    values.update(cells)
    return list(values.values())


def grown_cell(workbook: bytes, marker: str, text: str) -> bytes:
    """``workbook`` with the cell text ``marker`` replaced by ``text`` in its
    XML: openpyxl cuts a cell it writes at Excel's 32,767 characters, a
    workbook made by another program need not."""
    source = zipfile.ZipFile(io.BytesIO(workbook))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.endswith(".xml"):
                data = data.replace(marker.encode(), text.encode())
            target.writestr(info.filename, data)
    return buffer.getvalue()


def cut_sheet(workbook: bytes, member: str = "xl/worksheets/sheet1.xml") -> bytes:
    """``workbook`` with one sheet's XML cut off halfway, the zip itself
    intact: openpyxl opens it and fails while reading the rows."""
    source = zipfile.ZipFile(io.BytesIO(workbook))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == member:
                data = data[: len(data) // 2]
            target.writestr(info.filename, data)
    return buffer.getvalue()


def registration_xlsx_cases() -> list[Case]:
    name = "registreringer.xlsx"
    valid = registrations_workbook()

    def book(**rows: list[list[object]]) -> dict[str, bytes]:
        return {name: registrations_workbook(rows)}

    d = f"{name}[deltagere]:4"
    f = f"{name}[forløb]:3"
    return [
        Case(
            "xlsx-sheet-cut-in-half",
            {name: cut_sheet(valid)},
            f"{name}[deltagere]",
            "is damaged: the sheet ends halfway",
        ),
        Case(
            "xlsx-second-sheet-cut-in-half",
            {name: cut_sheet(valid, "xl/worksheets/sheet3.xml")},
            f"{name}[tilmeldinger]",
            "is damaged",
        ),
        Case(
            "xlsx-file-cut-in-half",
            {name: valid[: len(valid) // 2]},
            name,
            "cannot be opened as an XLSX workbook",
        ),
        Case(
            "xlsx-not-a-zip",
            {name: b"PK\x03\x04 this is no workbook"},
            name,
            "cannot be opened as an XLSX workbook",
        ),
        Case(
            "xlsx-zero-bytes", {name: b""}, name, "cannot be opened as an XLSX workbook"
        ),
        Case(
            "xlsx-cpr-as-initials",
            book(deltagere=[_participant_cells(initialer=CPR_DASH)]),
            f"{d}: initialer",
            "looks like a CPR number",
        ),
        Case(
            "xlsx-cpr-as-code",
            book(deltagere=[_participant_cells(kode=CPR_PLAIN)]),
            f"{d}: kode",
            "looks like a CPR number",
        ),
        Case(
            "xlsx-cpr-as-number-code",
            book(deltagere=[_participant_cells(kode=101901234)]),
            f"{d}: kode",
            "looks like a CPR number",
        ),
        Case(
            "xlsx-birth-year-nan",
            book(deltagere=[_participant_cells(fødselsår="NaN")]),
            f"{d}: fødselsår",
            "is not a whole number",
        ),
        Case(
            "xlsx-planned-inf",
            book(forløb=[_course_cells(planlagte="#NUM!")]),
            f"{f}: planlagte mødegange",
            "is not a whole number",
        ),
        Case(
            "xlsx-planned-20-digits",
            book(forløb=[_course_cells(planlagte=10**20)]),
            f"{f}: planlagte mødegange",
            "is too large",
        ),
        Case(
            "xlsx-planned-negative",
            book(forløb=[_course_cells(planlagte=-4)]),
            f"{f}: planlagte mødegange",
            "-4 is negative",
        ),
        Case(
            "xlsx-impossible-date",
            book(forløb=[_course_cells(start="2025-02-30")]),
            f"{f}: start",
            "is not a date",
        ),
        Case(
            "xlsx-code-60-characters",
            book(deltagere=[_participant_cells(kode="K" * 60)]),
            f"{d}: kode",
            "at most 20 fit",
        ),
        Case(
            "xlsx-extra-cell",
            book(deltagere=[[*_participant_cells(), "ekstra"]]),
            f"{d}",
            "has 7 cells, the header has 6",
        ),
        Case(
            "xlsx-cell-of-5-mb",
            book(deltagere=[_participant_cells(initialer=FIVE_MB)]),
            f"{d}: initialer",
            "at most 30 fit",
        ),
        Case(
            "xlsx-course-twice",
            book(forløb=[_course_cells(navn="Forår 2023")]),
            f"{f}: navn",
            "is given twice (lines 2 and 3)",
        ),
        Case(
            "xlsx-formula",
            book(deltagere=[_participant_cells(initialer="=A1")]),
            f"{d}: initialer",
            "is a formula",
        ),
    ]


# ------------------------------------------------ plan folder: observations.csv

OBSERVATIONS_HEADER = (
    "indicator,population,period,value,numerator,denominator,note,flags\n"
)
OBSERVATIONS_VALID = OBSERVATIONS_HEADER + "employment,nord,2022,40.5,,,,\n"


def _observations(row: str | bytes) -> dict[str, bytes]:
    data = row if isinstance(row, bytes) else row.encode()
    return {"observations.csv": OBSERVATIONS_VALID.encode() + data + b"\n"}


def observation_cases() -> list[Case]:
    o = "observations.csv:3"
    return [
        Case(
            "share-negative",
            _observations("employment,nord,2023,-47.3,,,,"),
            f"{o}: value",
            "-47.3 is not a percent",
        ),
        Case(
            "share-over-100",
            _observations("employment,nord,2023,250,,,,"),
            f"{o}: value",
            "250 is not a percent",
        ),
        Case(
            "share-exponent",
            _observations("employment,nord,2023,1e5,,,,"),
            f"{o}: value",
            "is not a percent",
        ),
        Case(
            "persons-negative",
            _observations("charged-persons,nord,2023,-212,,,,"),
            f"{o}: value",
            "-212 is a negative count",
        ),
        Case(
            "persons-not-whole",
            _observations("charged-persons,nord,2023,12.5,,,,"),
            f"{o}: value",
            "is not a whole number of persons",
        ),
        Case(
            "rate-over-1000",
            _observations("charged-per-1000,nord,2023,1500,,,,"),
            f"{o}: value",
            "is not a rate per 1000",
        ),
        Case(
            "value-nan",
            _observations("employment,nord,2023,nan,,,,"),
            f"{o}: value",
            "is not a number",
        ),
        Case(
            "value-inf",
            _observations("employment,nord,2023,inf,,,,"),
            f"{o}: value",
            "is not a number",
        ),
        Case(
            "value-minus-infinity",
            _observations("employment,nord,2023,-Infinity,,,,"),
            f"{o}: value",
            "is not a number",
        ),
        Case(
            "value-20-digits",
            _observations(f"charged-persons,nord,2023,{TWENTY_DIGITS},,,,"),
            f"{o}: value",
            "is too large",
        ),
        Case(
            "value-decimal-comma",
            _observations('employment,nord,2023,"40,5",,,,'),
            f"{o}: value",
            "use a decimal point",
        ),
        Case(
            "value-words",
            _observations("employment,nord,2023,fyrre,,,,"),
            f"{o}: value",
            "'fyrre' is not a number",
        ),
        Case(
            "value-empty-no-flag",
            _observations("employment,nord,2023,,,,,"),
            f"{o}: value",
            "is empty",
        ),
        Case(
            "value-with-missing-flag",
            _observations("employment,nord,2023,40,,,,missing"),
            f"{o}: value",
            "has a number but is flagged missing",
        ),
        Case(
            "flag-unknown",
            _observations("employment,nord,2023,40,,,,guessed"),
            f"{o}: flags",
            "unknown flag 'guessed'",
        ),
        Case(
            "numerator-negative",
            _observations("employment,nord,2023,40,-4,10,,"),
            f"{o}: numerator",
            "numerator -4 is negative",
        ),
        Case(
            "denominator-zero",
            _observations("employment,nord,2023,40,4,0,,"),
            f"{o}: denominator",
            "must be greater than zero",
        ),
        Case(
            "numerator-nan",
            _observations("employment,nord,2023,40,nan,10,,"),
            f"{o}: numerator",
            "is not a number",
        ),
        Case(
            "period-impossible-quarter",
            _observations("employment,nord,2023K5,40,,,,"),
            f"{o}: period",
            "2023K5",
        ),
        Case(
            "period-impossible-date",
            _observations("employment,nord,2023-02-30,40,,,,"),
            f"{o}: period",
            "2023-02-30",
        ),
        Case(
            "indicator-unknown",
            _observations("employmnt,nord,2023,40,,,,"),
            f"{o}: indicator",
            "unknown indicator",
        ),
        Case(
            "population-unknown",
            _observations("employment,nordd,2023,40,,,,"),
            f"{o}: population",
            "unknown population",
        ),
        Case(
            "row-twice",
            _observations("employment,nord,2022,41,,,,"),
            f"{o}: period",
            "is given twice (first on line 2)",
        ),
        Case(
            "unclosed-quote",
            _observations(
                'employment,nord,2023,40,,,"note that never ends,\nemployment,syd,2023,41,,,,'
            ),
            o,
            'quote (") that is never closed',
        ),
        Case(
            "text-after-quote",
            _observations('employment,nord,2023,40,,,"note"x,'),
            o,
            "text after the closing quote",
        ),
        Case(
            "nul-byte", _observations(b"employment,nord,2023,4\x000,,,,"), o, "NUL byte"
        ),
        Case(
            "cell-of-5-mb",
            _observations(f"employment,nord,2023,40,,,{FIVE_MB},"),
            o,
            "holds a cell larger than 128 KB",
        ),
        Case(
            "extra-field",
            _observations("employment,nord,2023,40,,,,,extra"),
            o,
            "has 9 fields, expected 8",
        ),
        Case(
            "missing-fields",
            _observations("employment,nord,2023,40"),
            o,
            "has 4 fields, expected 8",
        ),
        Case(
            "not-text",
            _observations(b"employment,nord,2023,40,,,\x81,"),
            o,
            "neither UTF-8 nor Windows-1252",
        ),
        Case(
            "header-semicolons",
            {"observations.csv": OBSERVATIONS_VALID.replace(",", ";").encode()},
            "observations.csv:1: header",
            "semicolon-separated",
        ),
        Case(
            "zero-bytes",
            {"observations.csv": b""},
            "observations.csv",
            "is empty (0 bytes)",
        ),
    ]


# -------------------------------------------------------- plan folder: plan.yaml


def plan_yaml_cases(valid: str) -> list[Case]:
    """Cases made from the valid plan.yaml text ``valid``."""

    def swap(old: str, new: str) -> dict[str, bytes]:
        assert old in valid, old
        return {"plan.yaml": valid.replace(old, new, 1).encode()}

    p = "plan.yaml:"
    return [
        Case(
            "start-impossible-date",
            swap("start: 2022-01-01", "start: 2025-02-30"),
            f"{p}5",
            "plan.start: Input should be a valid date or datetime, day value is outside",
        ),
        Case(
            "end-impossible-month",
            swap("end: 2026-12-31", "end: 2026-13-31"),
            f"{p}6",
            "plan.end: Input should be a valid date or datetime, month value is outside",
        ),
        Case(
            "size-date-not-a-leap-day",
            swap("as_of: 2021-04-01", "as_of: 2021-02-29"),
            f"{p}10",
            "plan.size.as_of: Input should be a valid date or datetime, day value",
        ),
        Case(
            "value-nan",
            swap('{period: "2023", value: 8.5}', '{period: "2023", value: .nan}'),
            p,
            "is not a usable number",
        ),
        Case(
            "value-inf",
            swap('{period: "2023", value: 8.5}', '{period: "2023", value: .inf}'),
            p,
            "is not a usable number",
        ),
        Case("leases-negative", swap("leases: 800", "leases: -800"), f"{p}12", ""),
        Case(
            "residents-words", swap("residents: 1900", "residents: mange"), f"{p}13", ""
        ),
        Case(
            "unit-unknown",
            swap(
                "unit: percent\n    better: higher", "unit: procent\n    better: higher"
            ),
            f"{p}26",
            "",
        ),
        Case(
            "not-utf8",
            {
                "plan.yaml": valid.encode("utf-8").replace(
                    "Børn".encode(), b"B\xf8rn", 1
                )
            },
            p,
            "is not UTF-8",
        ),
        Case(
            "nul-byte",
            {"plan.yaml": valid.encode().replace(b"vision:", b"vis\x00ion:", 1)},
            p,
            "",
        ),
        Case(
            "tab-indentation",
            swap("  slug: eksempelby-2022-26", "\tslug: eksempelby-2022-26"),
            p,
            "not valid YAML",
        ),
        Case(
            "a-list-at-the-top",
            {"plan.yaml": b"- one\n- two\n"},
            p,
            "must be a mapping",
        ),
        Case("empty", {"plan.yaml": b""}, p, "must be a mapping"),
        Case("slug-twice", swap("  - slug: syd", "  - slug: nord"), p, "twice"),
    ]


# ------------------------------------------------------------ tidy statistics

TIDY_HEADER = "indicator,population,period,value,note\n"
TIDY_VALID = TIDY_HEADER + "employment,nord,2024,44.1,\n"


def _tidy(row: str | bytes, name: str = "tal.csv") -> dict[str, bytes]:
    data = row if isinstance(row, bytes) else row.encode()
    return {name: TIDY_VALID.encode() + data + b"\n"}


def tidy_workbook(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Observationer"
    sheet.append(["indicator", "population", "period", "value", "note"])
    sheet.append(["employment", "nord", "2024", 44.1, None])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def tidy_cases() -> list[Case]:
    t = "tal.csv:3"
    x = "tal.xlsx [Observationer]:3"
    return [
        Case(
            "tidy-share-negative",
            _tidy("employment,nord,2025,-47.3,"),
            f"{t}: value",
            "is not a percent",
        ),
        Case(
            "tidy-share-250",
            _tidy("employment,nord,2025,250,"),
            f"{t}: value",
            "is not a percent",
        ),
        Case(
            "tidy-persons-negative",
            _tidy("charged-persons,nord,2025,-212,"),
            f"{t}: value",
            "is a negative count",
        ),
        Case(
            "tidy-nan",
            _tidy("employment,nord,2025,nan,"),
            f"{t}: value",
            "is not a number",
        ),
        Case(
            "tidy-inf",
            _tidy("employment,nord,2025,inf,"),
            f"{t}: value",
            "is not a number",
        ),
        Case(
            "tidy-20-digits",
            _tidy(f"charged-persons,nord,2025,{TWENTY_DIGITS},"),
            f"{t}: value",
            "is too large",
        ),
        Case(
            "tidy-cell-of-5-mb",
            _tidy(f"employment,nord,2025,40,{FIVE_MB}"),
            t,
            "holds a cell larger than 128 KB",
        ),
        Case(
            "tidy-unclosed-quote",
            _tidy('employment,nord,2025,40,"never closed\nemployment,syd,2025,41,'),
            t,
            "never closed",
        ),
        Case("tidy-nul-byte", _tidy(b"employment,nord,2025,4\x000,"), t, "NUL byte"),
        Case(
            "tidy-impossible-date",
            _tidy("employment,nord,2025-02-30,40,"),
            f"{t}: period",
            "2025-02-30",
        ),
        Case(
            "tidy-extra-cell",
            _tidy("employment,nord,2025,40,,extra"),
            t,
            "has 6 fields, the header has 5",
        ),
        Case(
            "tidy-xlsx-sheet-cut",
            {"tal.xlsx": cut_sheet(tidy_workbook([]))},
            "tal.xlsx [Observationer]",
            "is damaged",
        ),
        Case(
            "tidy-xlsx-cell-of-5-mb",
            {
                "tal.xlsx": grown_cell(
                    tidy_workbook([["employment", "nord", "2025", 40, "HUGE"]]),
                    "HUGE",
                    FIVE_MB,
                )
            },
            x,
            "holds a cell larger than",
        ),
        Case(
            "tidy-xlsx-nan",
            {
                "tal.xlsx": tidy_workbook(
                    [["employment", "nord", "2025", float("nan"), None]]
                )
            },
            # openpyxl writes NaN as an empty number: read back, it is empty.
            f"{x}: D",
            "is empty",
        ),
        Case(
            "tidy-xlsx-share-250",
            {"tal.xlsx": tidy_workbook([["employment", "nord", "2025", 250, None]])},
            f"{x}: D",
            "is not a percent",
        ),
    ]


# ------------------------------------------------------------------- backups


def _sqlite_file(path: Path, *, migrations: list[tuple[str, str]] | None) -> bytes:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE filler (id INTEGER PRIMARY KEY, text TEXT)")
    db.executemany(
        "INSERT INTO filler (text) VALUES (?)", [("x" * 500,) for _ in range(200)]
    )
    if migrations is not None:
        db.execute(
            "CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, app TEXT, "
            "name TEXT, applied TEXT)"
        )
        db.executemany(
            "INSERT INTO django_migrations (app, name, applied) VALUES (?, ?, '')",
            migrations,
        )
    db.commit()
    db.close()
    return path.read_bytes()


def backup_cases(scratch: Path) -> list[Case]:
    """Broken backups; ``scratch`` is a folder to build SQLite files in."""
    scratch.mkdir(parents=True, exist_ok=True)
    good = _sqlite_file(
        scratch / "good.sqlite3", migrations=[("plans", "0001_initial")]
    )
    bare = _sqlite_file(scratch / "bare.sqlite3", migrations=None)
    future = _sqlite_file(
        scratch / "future.sqlite3", migrations=[("plans", "9999_from_the_future")]
    )
    damaged = bytearray(good)
    damaged[4096 * 2 : 4096 * 2 + 512] = b"\xff" * 512
    name = "backup.sqlite3"
    return [
        Case("backup-cut-in-half", {name: good[: len(good) // 2]}, name, ""),
        Case("backup-header-only", {name: good[:100]}, name, ""),
        Case("backup-damaged-page", {name: bytes(damaged)}, name, ""),
        Case("backup-without-schema-version", {name: bare}, name, "no schema version"),
        Case(
            "backup-from-a-newer-version", {name: future}, name, "from a newer version"
        ),
        Case("backup-zero-bytes", {name: b""}, name, "is not a fremdrift backup"),
        Case(
            "backup-junk",
            {name: b"no database at all" * 10},
            name,
            "is not a fremdrift backup",
        ),
        Case(
            "backup-a-zip",
            {name: b"PK\x03\x04" + b"\x00" * 60},
            name,
            "is not a fremdrift backup",
        ),
        Case(
            "backup-postgresql-dump",
            {name: b"PGDMP" + b"\x00" * 60},
            name,
            "is a postgresql backup",
        ),
    ]


# ------------------------------------------------------- StatBank statistics

STATBANK_MAPPING = """\
format: fremdrift-statbank/1
table: BOLNGL1
lang: da
time: TID
indicator:
  variable: NØGLETAL
  values:
    Beskæftigelse: employment
    Sigtede personer: charged-persons
population:
  variable: OMRÅDE
  values:
    Nord: nord
    Syd: syd
"""
STATBANK_VALID = "OMRÅDE;NØGLETAL;TID;INDHOLD\r\nNord;Beskæftigelse;2024;44,1\r\n"


def _statbank(row: str | bytes) -> dict[str, bytes]:
    data = row if isinstance(row, bytes) else row.encode()
    return {
        "data.csv": STATBANK_VALID.encode() + data + b"\r\n",
        "mapping.yaml": STATBANK_MAPPING.encode(),
    }


def statbank_cases() -> list[Case]:
    s = "data.csv:3"
    return [
        Case(
            "statbank-share-negative",
            _statbank("Nord;Beskæftigelse;2025;-47,3"),
            s,
            "is not a percent",
        ),
        Case(
            "statbank-share-250",
            _statbank("Nord;Beskæftigelse;2025;250"),
            s,
            "is not a percent",
        ),
        Case(
            "statbank-persons-negative",
            _statbank("Nord;Sigtede personer;2025;-212"),
            s,
            "is a negative count",
        ),
        Case("statbank-nan", _statbank("Nord;Beskæftigelse;2025;nan"), s, "number"),
        Case(
            "statbank-20-digits",
            _statbank(f"Nord;Sigtede personer;2025;{TWENTY_DIGITS}"),
            s,
            "is too large",
        ),
        Case(
            "statbank-impossible-quarter",
            _statbank("Nord;Beskæftigelse;2025K5;40"),
            s,
            "2025K5",
        ),
        Case(
            "statbank-unmapped-area",
            _statbank("Øst;Beskæftigelse;2025;40"),
            s,
            "Øst",
        ),
        Case(
            "statbank-unclosed-quote",
            _statbank('Nord;"Beskæftigelse;2025;40\r\nSyd;Beskæftigelse;2025;41'),
            s,
            "never closed",
        ),
        Case(
            "statbank-nul-byte",
            _statbank(b"Nord;Besk\x00;2025;40"),
            s,
            "NUL byte",
        ),
        Case(
            "statbank-cell-of-5-mb",
            _statbank(f"Nord;{FIVE_MB};2025;40"),
            s,
            "larger than 128 KB",
        ),
        Case(
            "statbank-extra-field",
            _statbank("Nord;Beskæftigelse;2025;40;41"),
            s,
            "fields",
        ),
        Case(
            "statbank-row-twice",
            _statbank("Nord;Beskæftigelse;2024;45,0"),
            s,
            "line 2",
        ),
    ]


# ------------------------------------------------- Landsbyggefonden statistics

LBF_MAPPING = """\
format: fremdrift-lbf-mapping/1
extends: lbf-wide
population:
  values:
    Eksempelby Nord: nord
    Eksempelby Syd: syd
indicator:
  values:
    Andel 18-64-årige i beskæftigelse: employment
    Sigtede personer: charged-persons
"""
LBF_EMPLOYMENT = "Andel 18-64-årige i beskæftigelse"


def lbf_workbook(rows: list[list[object]], header: list[object] | None = None) -> bytes:
    """A table in the lbf-wide layout: title rows, the header in row 4, a
    valid row 5 and ``rows`` from row 6."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Nøgletal"
    sheet["A1"] = "Boligsociale data – nøgletal pr. område"
    sheet.append([])
    sheet.append([])
    sheet.append(header or ["Område", "Nøgletal", 2023, 2024])
    sheet.append(["Eksempelby Nord", LBF_EMPLOYMENT, 44.1, 45.0])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _lbf(book: bytes) -> dict[str, bytes]:
    return {"tabel.xlsx": book, "mapping.yaml": LBF_MAPPING.encode()}


def lbf_cases() -> list[Case]:
    x = "tabel.xlsx [Nøgletal]:6"
    return [
        Case(
            "lbf-share-250",
            _lbf(lbf_workbook([["Eksempelby Syd", LBF_EMPLOYMENT, 250, 40]])),
            f"{x}: C",
            "is not a percent",
        ),
        Case(
            "lbf-share-negative",
            _lbf(lbf_workbook([["Eksempelby Syd", LBF_EMPLOYMENT, 40, -47.3]])),
            f"{x}: D",
            "is not a percent",
        ),
        Case(
            "lbf-persons-negative",
            _lbf(lbf_workbook([["Eksempelby Syd", "Sigtede personer", -212, 3]])),
            f"{x}: C",
            "is a negative count",
        ),
        Case(
            "lbf-text-nan",
            _lbf(lbf_workbook([["Eksempelby Syd", LBF_EMPLOYMENT, "nan", 40]])),
            f"{x}: C",
            "number",
        ),
        Case(
            "lbf-formula",
            _lbf(lbf_workbook([["Eksempelby Syd", LBF_EMPLOYMENT, "=1+1", 40]])),
            f"{x}: C",
            "formula",
        ),
        Case(
            "lbf-unknown-area",
            _lbf(lbf_workbook([["Eksempelby Øst", LBF_EMPLOYMENT, 40, 41]])),
            x,
            "Eksempelby Øst",
        ),
        Case(
            "lbf-unknown-figure",
            _lbf(lbf_workbook([["Eksempelby Syd", "Andel med hund", 40, 41]])),
            x,
            "Andel med hund",
        ),
        Case(
            "lbf-header-changed",
            _lbf(lbf_workbook([], header=["Boligområde", "Nøgletal", 2023, 2024])),
            "tabel.xlsx [Nøgletal]:4",
            "Område",
        ),
        Case(
            "lbf-sheet-cut",
            _lbf(cut_sheet(lbf_workbook([]))),
            "tabel.xlsx [Nøgletal]",
            "cannot be read from here on",
        ),
        Case(
            "lbf-cell-of-5-mb",
            _lbf(
                grown_cell(
                    lbf_workbook([["Eksempelby Syd", "HUGE", 40, 41]]), "HUGE", FIVE_MB
                )
            ),
            x,
            "larger than 128 KB",
        ),
        Case(
            "lbf-not-a-workbook",
            _lbf(b"PK\x03\x04" + b"\x00" * 200),
            "tabel.xlsx",
            "is not a readable XLSX file",
        ),
    ]
