"""Write the bad-input corpus of the tidy importer.

Every file here shows one thing wrong with a tidy file (see
``manifest.yaml`` for what and where), except the controls, which must
import. The files are committed; this script is how they were made, and
``tests/statistics/test_corpus.py`` checks that it still makes exactly
them. Run it from the repository root after changing it:

    .venv/bin/python tests/statistics/corpus/make_corpus.py

The workbooks are written with fixed timestamps so that the same script
always writes the same bytes.
"""

from __future__ import annotations

import io
import sys
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import openpyxl
from openpyxl.xml.constants import ARC_CORE
from openpyxl.xml.functions import tostring

HERE = Path(__file__).resolve().parent
# openpyxl keeps document times as naive UTC.
FIXED_TIME = datetime(2024, 1, 1)  # noqa: DTZ001
HEADER4 = "indicator,population,period,value\n"
HEADER8 = "indicator,population,period,value,numerator,denominator,note,flags\n"
OK_ROW = "employment,syd,2024,45.5\n"


def _csv(text: str, encoding: str = "utf-8") -> bytes:
    return text.encode(encoding)


# One file per problem. Most hold a valid row beside the bad one, so that
# the test also shows the good row was not written.
CSV_FILES: dict[str, bytes] = {
    # Rows that name what the plan does not have.
    "unknown-indicator.csv": _csv(HEADER4 + OK_ROW + "employmnt,nord,2024,40\n"),
    "unknown-population.csv": _csv(HEADER4 + OK_ROW + "employment,nordd,2024,40\n"),
    "empty-indicator.csv": _csv(HEADER4 + OK_ROW + ",nord,2024,40\n"),
    # Values that are not numbers, or not numbers of the indicator's unit.
    "value-not-a-number.csv": _csv(HEADER4 + OK_ROW + "employment,nord,2024,fyrre\n"),
    "value-nan.csv": _csv(HEADER4 + OK_ROW + "employment,nord,2024,NaN\n"),
    "value-english-thousands.csv": _csv(
        "indicator;population;period;value\n"
        "charged-persons;nord;2024;1,234.5\n"
        "charged-persons;syd;2024;12\n"
    ),
    "value-too-many-digits.csv": _csv(
        HEADER4 + OK_ROW + "charged-persons,nord,2024,123456789012345\n"
    ),
    # Rounded to six decimals this has fifteen digits before the point.
    "value-rounds-too-large.csv": _csv(
        HEADER4 + OK_ROW + "employment-change,nord,2024,99999999999999.9999999\n"
    ),
    "percent-over-100.csv": _csv(HEADER4 + OK_ROW + "employment,nord,2024,100.5\n"),
    "percent-negative.csv": _csv(
        "indicator;population;period;value\n"
        "employment;syd;2024;45,5\n"
        "employment;nord;2024;-0,5\n"
    ),
    "rate-over-1000.csv": _csv(
        HEADER4 + OK_ROW + "charged-per-1000,nord,2024,1000.01\n"
    ),
    "count-not-whole.csv": _csv(HEADER4 + OK_ROW + "charged-persons,nord,2024,12.5\n"),
    "count-negative.csv": _csv(HEADER4 + OK_ROW + "charged-persons,nord,2024,-3\n"),
    # Periods.
    "period-unparseable.csv": _csv(HEADER4 + OK_ROW + "employment,nord,2023Q1,40\n"),
    "period-impossible-month.csv": _csv(
        HEADER4 + OK_ROW + "employment,nord,2024M13,40\n"
    ),
    "period-outside-range.csv": _csv(HEADER4 + OK_ROW + "employment,nord,1990,40\n"),
    # The same key twice, with another row between.
    "duplicate-key.csv": _csv(
        HEADER4 + "employment,nord,2024,40\n" + OK_ROW + "employment,nord,2024,41\n"
    ),
    # Flags, empty values, numerators and denominators.
    "empty-value-no-flag.csv": _csv(
        HEADER8 + "employment,syd,2024,45.5,,,,\n" + "employment,nord,2024,,,,,\n"
    ),
    "unknown-flag.csv": _csv(
        HEADER8 + "employment,syd,2024,45.5,,,,\n" + "employment,nord,2024,,,,,skjult\n"
    ),
    "number-and-suppressed-flag.csv": _csv(
        HEADER8
        + "employment,syd,2024,45.5,,,,\n"
        + "employment,nord,2024,40,,,,suppressed\n"
    ),
    "denominator-zero.csv": _csv(
        HEADER8
        + "employment,syd,2024,45.5,,,,\n"
        + "charged-per-1000,nord,2024,22,12,0,,\n"
    ),
    "numerator-negative.csv": _csv(
        HEADER8
        + "employment,syd,2024,45.5,,,,\n"
        + "charged-per-1000,nord,2024,22,-2,540,,\n"
    ),
    # Encodings: 0x81 is undefined in cp1252 and not UTF-8 on its own.
    "not-utf8-nor-cp1252.csv": (
        "indicator;population;period;value;note\r\n"
        "employment;syd;2024;45,5;\r\n".encode("cp1252")
        + b"employment;nord;2024;40;Tal fra \x81rsrapporten\r\n"
    ),
    # The shape of the file: separators, header, quotes, size of a cell.
    "pipe-separator.csv": _csv(
        "indicator|population|period|value\nemployment|syd|2024|45.5\n"
    ),
    "mixed-separators.csv": _csv(HEADER4 + "employment;syd;2024;45\n"),
    "missing-header.csv": _csv("employment,syd,2024,45.5\nemployment,nord,2024,40\n"),
    "header-only.csv": _csv(HEADER8),
    "whitespace-only.csv": _csv("  \r\n\t\r\n   \r\n"),
    "zero-bytes.csv": b"",
    "missing-column.csv": _csv(
        "indicator,population,value\nemployment,syd,45.5\nemployment,nord,40\n"
    ),
    "column-twice.csv": _csv(
        "indicator,population,period,value,værdi\nemployment,syd,2024,45.5,45.5\n"
    ),
    "unknown-column.csv": _csv(
        "indicator,population,period,value,kommentar\nemployment,syd,2024,45.5,ok\n"
    ),
    "row-too-wide.csv": _csv(HEADER4 + OK_ROW + "employment,nord,2024,40,5\n"),
    "huge-cell.csv": _csv(
        HEADER8
        + "employment,syd,2024,45.5,,,,\n"
        + "employment,nord,2024,40,,,"
        + "x" * (140 * 1024)
        + ",\n"
    ),
    "nul-byte.csv": _csv(
        HEADER8
        + "employment,syd,2024,45.5,,,,\n"
        + "employment,nord,2024,40,,,a\x00b,\n"
    ),
    "unclosed-quote.csv": _csv(
        HEADER8
        + "employment,syd,2024,45.5,,,,\n"
        + 'employment,nord,2024,40,,,"Tal fra årsrapporten,\n'
        + "employment,kommunen,2024,75,,,,\n"
    ),
    "text-after-closing-quote.csv": _csv(
        HEADER8
        + "employment,syd,2024,45.5,,,,\n"
        + 'employment,nord,2024,40,,,"Tal fra" årsrapporten,\n'
    ),
    # Controls: these must import.
    "control-cp1252.csv": _csv(
        "indikator;population;periode;værdi;nævner;bemærkning\r\n"
        "employment;syd;2024;45,5;1.234;Tal fra årsrapporten, ændret i år\r\n"
        "charged-persons;nord;2024;<5;;Skjult af hensyn til diskretion (ø, å)\r\n"
        "charged-per-1000;nord;2024;22,2;540;Æblegården\r\n",
        encoding="cp1252",
    ),
    "control-utf8-bom.csv": _csv(
        "\ufeff" + HEADER8 + "employment,syd,2024,45.5,,,Rødovre-tal,\n"
        "charged-persons,kommunen,2024,..,,,,\n"
    ),
}


def _workbook(rows: list[list[object]], title: str = "Observationer"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    return workbook


def _formula() -> openpyxl.Workbook:
    return _workbook(
        [
            ["indicator", "population", "period", "value"],
            ["employment", "syd", "2024", 45.5],
            ["employment", "nord", "2024", "=40+2"],
        ]
    )


def _percent_over_100() -> openpyxl.Workbook:
    return _workbook(
        [
            ["indicator", "population", "period", "value"],
            ["employment", "syd", "2024", 45.5],
            ["employment", "nord", 2024, 140],
        ]
    )


def _error_cell() -> openpyxl.Workbook:
    workbook = _workbook(
        [
            ["indicator", "population", "period", "value"],
            ["employment", "syd", "2024", 45.5],
            ["employment", "nord", "2024", None],
        ]
    )
    cell = workbook.active["D3"]
    cell.value = "#DIV/0!"
    cell.data_type = "e"
    return workbook


def _header_only() -> openpyxl.Workbook:
    return _workbook([["indicator", "population", "period", "value"]])


def _empty_first_sheet() -> openpyxl.Workbook:
    workbook = _workbook([], title="Ark1")
    data = workbook.create_sheet("Data")
    data.append(["indicator", "population", "period", "value"])
    data.append(["employment", "syd", "2024", 45.5])
    return workbook


def _control() -> openpyxl.Workbook:
    return _workbook(
        [
            ["indicator", "population", "period", "value", "note"],
            ["employment", "syd", "2024", 45.5, "Årsrapport"],
            ["charged-per-1000", "nord", 2024, 22.2, None],
        ]
    )


WORKBOOKS: dict[str, Callable[[], openpyxl.Workbook]] = {
    "formula.xlsx": _formula,
    "xlsx-percent-over-100.xlsx": _percent_over_100,
    "xlsx-error-cell.xlsx": _error_cell,
    "xlsx-header-only.xlsx": _header_only,
    "xlsx-empty-first-sheet.xlsx": _empty_first_sheet,
    "control-workbook.xlsx": _control,
}


def workbook_bytes(workbook: openpyxl.Workbook) -> bytes:
    """The workbook as XLSX bytes, the same every time: fixed document
    dates and fixed dates on the zip entries."""
    workbook.properties.created = FIXED_TIME
    raw = io.BytesIO()
    workbook.save(raw)
    # Saving stamps the time into docProps/core.xml; write it again fixed.
    workbook.properties.modified = FIXED_TIME
    core = tostring(workbook.properties.to_tree())
    fixed = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw.getvalue())) as source,
        zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            data = core if info.filename == ARC_CORE else source.read(info.filename)
            target.writestr(entry, data)
    return fixed.getvalue()


def corpus() -> dict[str, bytes]:
    """Every file of the corpus by name."""
    files = dict(CSV_FILES)
    for name, build in WORKBOOKS.items():
        files[name] = workbook_bytes(build())
    # A CSV file renamed to .xlsx, and a workbook cut off halfway.
    files["xlsx-not-a-zip.xlsx"] = CSV_FILES["unknown-indicator.csv"].replace(
        b"employmnt", b"employment"
    )
    whole = files["control-workbook.xlsx"]
    files["xlsx-truncated.xlsx"] = whole[: len(whole) // 2]
    return files


def write_corpus(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in sorted(corpus().items()):
        path = folder / name
        path.write_bytes(data)
        written.append(path)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    for path in write_corpus(target):
        print(f"{path.stat().st_size:>8}  {path.name}")
