"""XLSX: the report's numbers as a workbook, built with openpyxl.

Sheets: "Forside" (title, plan, period, facts, generated on, marking and a
list of the other sheets), "Succeskriterier" (every criterion of the
report, at any depth, one row each) and one sheet per table in report
order, named after its caption (at most 31 characters, unique, without the
characters Excel forbids).

Layout of a table sheet: row 1 is the header, frozen with the row labels
in column A (``freeze_panes = "B2"``), so the sheet reads as a plain table
that filters, pivots and ``pandas.read_excel`` take as it is. The caption,
source and notes follow under the table after a blank row; the full
caption is also on the Forside, as a sheet name is cut at 31 characters.

Numbers are stored as numbers (``Cell.value``), never as text, with a
number format that shows them as the report does: as many decimals as the
report's text, a space before the unit.

- Percent values are stored as the percent number, 58.3 for 58,3 %, with
  the format ``0.0" %"``, not as the fraction 0.583 with ``0.0%``: the
  stored number is then the one printed in the report and the plan files,
  and a formula over it needs no factor 100. The same holds for a change
  in percentage points (``+4,6 pct.-point`` is 4.6).
- Per 1,000 residents: ``0.0``; counts and means: ``#,##0`` (Excel shows
  the reader's own thousands and decimal separators).
- A change printed with a sign ("+4,6") keeps the sign in the format.
- A cell without a value keeps its text ("–", "mangler", "skjult af
  diskretionshensyn"). A cell with flags or a note gets a comment with the
  flags in words and the note, and a light yellow fill as in the HTML
  report.

Sheet names, headers and labels are in the document's language
(``doc.lang``); the names above are the Danish ones.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal

from django.utils.translation import gettext, gettext_noop, pgettext
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from fremdrift.base.spreadsheets import guard_workbook
from fremdrift.core.i18n import get_language
from fremdrift.core.model import Outcome, Unit
from fremdrift.core.report_blocks import points_unit
from fremdrift.core.report_model import (
    Cell,
    CriterionRow,
    ReportDocument,
    Section,
    Table,
    flag_label,
)
from fremdrift.core.text_da import number_separators

from .language import in_document_language

# Message ids: the Danish names, translated when a workbook is written.
# The criteria sheet's columns are keyed by them.
COVER_SHEET = gettext_noop("Forside")
CRITERIA_SHEET = gettext_noop("Succeskriterier")
CRITERIA_COLUMNS = (
    gettext_noop("Afsnit"),
    gettext_noop("Id"),
    gettext_noop("Succeskriterie"),
    gettext_noop("Baseline"),
    gettext_noop("Forventet"),
    gettext_noop("Opnået"),
    gettext_noop("Vurdering"),
    gettext_noop("Forklaring"),
)
PERIOD_VALUES = gettext_noop("Værdier pr. periode")
NOTES = gettext_noop("Noter")
PACE = gettext_noop("Tempo")
CHANGE = gettext_noop("Siden sidst")
REPORTED = gettext_noop("Den trykte rapport")
TARGET_CHANGES = gettext_noop("Ændringer af målet")
# Excel's number format between a percent number and its sign.
PERCENT_SUFFIXES = {"da": '" %"', "en": '"%"'}
# Widths in characters; the long texts wrap.
CRITERIA_WIDTHS = (34, 26, 50, 18, 24, 16, 15, 70)
SHEET_NAME_MAX = 31
PATH_SEPARATOR = " › "

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=16)
MUTED = Font(color="5A5A5A", size=9)
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
FLAGGED_FILL = PatternFill("solid", fgColor="FFF6D6")
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
OUTCOME_FONTS = {
    Outcome.ACHIEVED: Font(bold=True, color="1A7F37"),
    Outcome.NOT_ACHIEVED: Font(bold=True, color="B3261E"),
    Outcome.PARTLY_ACHIEVED: Font(bold=True, color="8A5A00"),
    Outcome.NOT_MEASURABLE: Font(bold=True, color="5A5A5A"),
    Outcome.PENDING: Font(bold=True, color="5A5A5A"),
}

_FORBIDDEN_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


def _text(text: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def _put(ws: Worksheet, row: int, column: int, text: str) -> None:
    """A text cell that stays text: openpyxl would take a string starting
    with "=" for a formula (and Excel would run it)."""
    cell = ws.cell(row=row, column=column, value=_text(text))
    if cell.data_type == "f":
        cell.data_type = "s"


def _capfirst(text: str) -> str:
    return text[:1].upper() + text[1:]


# ---------------------------------------------------------------- names


def _sheet_names(captions: list[str], reserved: set[str]) -> list[str]:
    """Excel's rules: 1-31 characters, none of []:*?/\\, not starting or
    ending with an apostrophe, unique without regard to case ("History" is
    Excel's own). A cut name ends with "…"; a repeated one gets " (2)"."""
    taken = {name.casefold() for name in reserved} | {"history"}
    names = []
    for caption in captions:
        base = " ".join(_FORBIDDEN_IN_SHEET_NAME.sub(" ", _text(caption)).split())
        base = base.strip("'") or pgettext("caption", "Tabel")
        if len(base) > SHEET_NAME_MAX:
            base = base[: SHEET_NAME_MAX - 1].rstrip() + "…"
        name, n = base, 1
        while name.casefold() in taken:
            n += 1
            suffix = f" ({n})"
            name = base[: SHEET_NAME_MAX - len(suffix)].rstrip() + suffix
        taken.add(name.casefold())
        names.append(name)
    return names


# ---------------------------------------------------------------- walking


def _tables(
    sections: tuple[Section, ...], path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], Table]]:
    for section in sections:
        here = (*path, section.title)
        for table in section.tables:
            yield here, table
        yield from _tables(section.subsections, here)


def _criteria(
    sections: tuple[Section, ...], path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], CriterionRow]]:
    for section in sections:
        here = (*path, section.title)
        for row in section.criteria:
            yield here, row
        yield from _criteria(section.subsections, here)


# ---------------------------------------------------------------- numbers


def _decimals(cell: Cell) -> int:
    """The decimals the report prints ("58,3 %" -> 1, "1.713" -> 0; English
    "58.3%" -> 1, "1,713" -> 0), or the value's own when the text shows no
    number."""
    thousands, decimal = number_separators()
    pattern = rf"\d(?:[\d{re.escape(thousands)}]*){re.escape(decimal)}(\d+)"
    match = re.search(pattern, cell.text)
    if match:
        return len(match.group(1))
    if any(c.isdigit() for c in cell.text):
        return 0
    assert cell.value is not None
    exponent = cell.value.normalize().as_tuple().exponent
    return min(-exponent, 4) if isinstance(exponent, int) and exponent < 0 else 0


def number_format(cell: Cell) -> str:
    """The Excel number format that shows ``cell.value`` as the report shows
    ``cell.text``."""
    decimals = _decimals(cell)
    fraction = "." + "0" * decimals if decimals else ""
    points = points_unit()
    if cell.unit is Unit.PERCENT:
        suffix = PERCENT_SUFFIXES.get(get_language(), '" %"')
        body, grouped = f"0{fraction}", False
    elif cell.unit is None and cell.text.endswith(f" {points}"):
        body, suffix, grouped = f"0{fraction}", f'" {points}"', False
    elif cell.unit is Unit.PER_1000:
        body, suffix, grouped = f"0{fraction}", "", False
    else:
        body, suffix, grouped = f"0{fraction}", "", True
    if grouped:
        body = "#,##" + body
    if cell.text.lstrip().startswith("+"):
        return f"+{body}{suffix};-{body}{suffix};{body}{suffix}"
    return body + suffix


def _number(value: Decimal) -> int | float:
    # Excel holds doubles; an integral count stays an int so it reads 12,
    # not 12.0, in any tool that reads the file back.
    return int(value) if value == value.to_integral_value() else float(value)


def _comment(cell: Cell) -> str:
    parts = [_capfirst(flag_label(f)) + "." for f in sorted(cell.flags)]
    if cell.note:
        parts.append(cell.note)
    return _text(" ".join(parts))


# ---------------------------------------------------------------- sheets


def _table_sheet(ws: Worksheet, table: Table, path: tuple[str, ...]) -> None:
    for column, name in enumerate(table.columns, start=1):
        _put(ws, 1, column, name)
        header = ws.cell(row=1, column=column)
        header.font = BOLD
        header.fill = HEADER_FILL
        header.alignment = Alignment(
            horizontal="right" if column > 1 else "left",
            vertical="top",
            wrap_text=True,
        )
    widths = [len(name) for name in table.columns]
    for r, cells in enumerate(table.rows, start=2):
        for c, data in enumerate(cells, start=1):
            if data.value is not None:
                target = ws.cell(row=r, column=c, value=_number(data.value))
                target.number_format = number_format(data)
            else:
                _put(ws, r, c, data.text)
                target = ws.cell(row=r, column=c)
                if c > 1:
                    target.alignment = Alignment(horizontal="right")
            if c == 1:
                target.font = BOLD
            if data.flags or data.note:
                target.comment = Comment(_comment(data), "fremdrift", 120, 320)
            if data.flags and c > 1:
                target.fill = FLAGGED_FILL
            widths[c - 1] = max(widths[c - 1], len(data.text))
    for c, width in enumerate(widths, start=1):
        # Headers wrap, so a long header does not make its column wide.
        cap = 40 if c == 1 else 18
        ws.column_dimensions[get_column_letter(c)].width = min(width, cap) + 2
    ws.freeze_panes = "B2"

    row = len(table.rows) + 3
    _put(ws, row, 1, table.caption)
    ws.cell(row=row, column=1).font = BOLD
    row += 1
    _put(ws, row, 1, gettext("Afsnit: {path}").format(path=PATH_SEPARATOR.join(path)))
    ws.cell(row=row, column=1).font = MUTED
    if table.source:
        row += 1
        _put(ws, row, 1, gettext("Kilde: {source}").format(source=table.source))
        ws.cell(row=row, column=1).font = MUTED
    for note in table.notes:
        row += 1
        _put(ws, row, 1, note)
        ws.cell(row=row, column=1).font = MUTED


def _criteria_sheet(ws: Worksheet, doc: ReportDocument) -> None:
    rows = list(_criteria(doc.sections))
    columns = list(CRITERIA_COLUMNS)
    widths = list(CRITERIA_WIDTHS)
    if doc.audience != "internal":
        # The ids are the team's handles on its plan file, not the reader's.
        del widths[columns.index("Id")]
        columns.remove("Id")
    # Optional columns, only when some criterion has something to show.
    extras: list[tuple[str, int]] = [
        (TARGET_CHANGES, 60),
        (PERIOD_VALUES, 40),
        (NOTES, 60),
        (PACE, 12),
        (CHANGE, 40),
        (REPORTED, 18),
    ]
    present = {
        TARGET_CHANGES: any(r.target_changes for _p, r in rows),
        PERIOD_VALUES: any(r.period_values for _p, r in rows),
        NOTES: any(r.notes for _p, r in rows),
        PACE: any(r.pace for _p, r in rows),
        CHANGE: any(r.change for _p, r in rows),
        REPORTED: any(r.reported_label for _p, r in rows),
    }
    for name, width in extras:
        if present[name]:
            columns.append(name)
            widths.append(width)
    for c, (name, width) in enumerate(zip(columns, widths, strict=True), start=1):
        _put(ws, 1, c, gettext(name))
        header = ws.cell(row=1, column=c)
        header.font = BOLD
        header.fill = HEADER_FILL
        ws.column_dimensions[get_column_letter(c)].width = width
    for r, (path, row) in enumerate(rows, start=2):
        explanation = " ".join(t for t in (row.explanation, *row.remarks) if t)
        if row.agrees_with_report is False:
            explanation += " " + gettext(
                "Den trykte rapport angiver: {verdict}."
            ).format(verdict=row.reported_label)
        text = row.text
        if row.own_defined:
            text += " " + gettext("(eget defineret)")
        values = {
            "Afsnit": PATH_SEPARATOR.join(path),
            "Id": row.ident,
            "Succeskriterie": text,
            "Baseline": row.baseline or "–",
            "Forventet": row.target,
            "Opnået": row.achieved,
            "Vurdering": _capfirst(row.outcome_label),
            "Forklaring": explanation.strip(),
            TARGET_CHANGES: "\n".join(row.target_changes),
            PERIOD_VALUES: "; ".join(f"{p}: {v}" for p, v in row.period_values),
            NOTES: "\n".join(row.notes),
            PACE: _capfirst(row.pace),
            CHANGE: row.change,
            REPORTED: _capfirst(row.reported_label),
        }
        for c, name in enumerate(columns, start=1):
            _put(ws, r, c, values[name])
            ws.cell(row=r, column=c).alignment = WRAP_TOP
        verdict = ws.cell(row=r, column=columns.index("Vurdering") + 1)
        verdict.font = OUTCOME_FONTS.get(row.outcome, BOLD)
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"


def _cover_sheet(
    ws: Worksheet, doc: ReportDocument, contents: list[tuple[str, str, str]]
) -> None:
    _put(ws, 1, 1, doc.title)
    ws.cell(row=1, column=1).font = TITLE
    _put(ws, 2, 1, doc.subtitle)
    ws.cell(row=2, column=1).font = Font(bold=True, size=13)
    _put(ws, 3, 1, doc.period_text)
    row = 3
    if doc.marking:
        row += 1
        _put(ws, row, 1, doc.marking)
        ws.cell(row=row, column=1).font = Font(bold=True, color="B3261E")
    row += 1
    for label, value in (
        *doc.facts,
        (gettext("Dannet"), doc.generated_on),
        *(((gettext("Mærkning"), doc.marking),) if doc.marking else ()),
    ):
        row += 1
        _put(ws, row, 1, label)
        _put(ws, row, 2, value)
        ws.cell(row=row, column=1).font = BOLD
        ws.cell(row=row, column=2).alignment = WRAP_TOP
    row += 1
    _put(
        ws,
        row + 1,
        1,
        gettext(
            # "% er" is Danish, not a format: xgettext:no-python-format
            "Alle tal og vurderinger er hentet fra og beregnet ud fra de "
            "registrerede data. Procenter står som procenttal (58,3 % er 58,3)."
        ),
    )
    ws.cell(row=row + 1, column=1).font = MUTED
    row += 3
    for c, name in enumerate(
        (gettext("Ark"), gettext("Indhold"), gettext("Afsnit")), start=1
    ):
        _put(ws, row, c, name)
        ws.cell(row=row, column=c).font = BOLD
    for sheet, caption, path in contents:
        row += 1
        _put(ws, row, 1, sheet)
        link = ws.cell(row=row, column=1)
        link.hyperlink = Hyperlink(
            ref=link.coordinate, location=f"{quote_sheetname(sheet)}!A1"
        )
        link.style = "Hyperlink"
        _put(ws, row, 2, caption)
        _put(ws, row, 3, path)
        ws.cell(row=row, column=2).alignment = WRAP_TOP
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 90
    ws.column_dimensions["C"].width = 60


def _print_setup(ws: Worksheet, doc: ReportDocument, title_rows: str) -> None:
    """On paper: A4 landscape, the header row on every page, the plan name
    and the marking in the page header, "Side X af Y" in the footer."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddHeader.left.text = _text(doc.plan_name).replace("&", "&&")
    if doc.marking:
        ws.oddHeader.right.text = _text(doc.marking).replace("&", "&&")
    ws.oddFooter.right.text = gettext("Side {page} af {pages}").format(
        page="&P", pages="&N"
    )


@in_document_language
def render(doc: ReportDocument) -> bytes:
    tables = list(_tables(doc.sections))
    cover_name, criteria_name = gettext(COVER_SHEET), gettext(CRITERIA_SHEET)
    names = _sheet_names(
        [table.caption for _path, table in tables], {cover_name, criteria_name}
    )
    workbook = Workbook()
    cover = workbook.active
    assert cover is not None
    cover.title = cover_name
    criteria = workbook.create_sheet(criteria_name)
    _criteria_sheet(criteria, doc)
    contents = [
        (
            criteria_name,
            gettext("Alle succeskriterier med vurdering og forklaring"),
            "",
        )
    ]
    for name, (path, table) in zip(names, tables, strict=True):
        ws = workbook.create_sheet(name)
        _table_sheet(ws, table, path)
        _print_setup(ws, doc, "1:1")
        contents.append((name, table.caption, PATH_SEPARATOR.join(path)))
    _cover_sheet(cover, doc, contents)
    _print_setup(cover, doc, "")
    _print_setup(criteria, doc, "1:1")

    props = workbook.properties
    props.title = f"{doc.title} – {doc.plan_name}"
    props.subject = doc.plan_name
    props.creator = props.lastModifiedBy = "fremdrift"
    props.language = {"da": "da-DK", "en": "en-GB"}.get(doc.lang, "da-DK")
    props.description = gettext("Dannet af fremdrift den {date}.").format(
        date=doc.generated_on
    )
    props.category = doc.kind
    now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    props.created = props.modified = now
    out = io.BytesIO()
    guard_workbook(workbook)
    workbook.save(out)
    return out.getvalue()
