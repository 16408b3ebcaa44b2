"""The XLSX renderer: open the workbook with openpyxl and read it back."""

from __future__ import annotations

import io
import time
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from fremdrift.core.model import Flag, Outcome, Unit
from fremdrift.core.report_model import (
    Cell,
    CriterionRow,
    ReportDocument,
    Section,
    Table,
)
from fremdrift.reports.renderers import RENDERERS
from fremdrift.reports.renderers.xlsx import _sheet_names, number_format, render


def criterion(ident: str, outcome: Outcome, label: str, **kwargs) -> CriterionRow:
    values = {
        "ident": ident,
        "text": f"Kriterie {ident}",
        "own_defined": False,
        "baseline": "",
        "target": "mindst 50 %",
        "achieved": "52 %",
        "outcome": outcome,
        "outcome_label": label,
        "explanation": f"Forklaring på {ident}.",
        "remarks": (),
        "reported_label": "",
        "agrees_with_report": None,
        "notes": (),
        "period_values": (),
    }
    values.update(kwargs)
    return CriterionRow(**values)


SHARE = Table(
    caption="Andel unge i uddannelse: 18-29 år [alle områder]",
    columns=("Andel i %", "2017", "2021", "Ændring 2017-2021"),
    rows=(
        (
            Cell("Nordby"),
            Cell("58,3 %", Decimal("58.300000"), Unit.PERCENT),
            Cell(
                "63,1 %*",
                Decimal("63.1"),
                Unit.PERCENT,
                frozenset({Flag.DERIVED}),
                "Beregnet ud fra tælleren",
            ),
            Cell("+4,8 pct.-point", Decimal("4.8")),
        ),
        (
            Cell("Sydby"),
            Cell("mangler", None, Unit.PERCENT, frozenset({Flag.MISSING})),
            Cell("12 %", Decimal("12.000000"), Unit.PERCENT),
            Cell("–"),
        ),
    ),
    source="Danmarks Statistik",
    notes=("Sydby, 2017: ikke opgjort",),
)

COUNTS = Table(
    caption="Andel unge i uddannelse: 18-29 år [alle områder]",  # same caption
    columns=("Antal personer", "2021"),
    rows=(
        (Cell("Nordby"), Cell("1.713", Decimal("1713"), Unit.COUNT)),
        (Cell("Sydby"), Cell("22,2 pr. 1.000 beboere", Decimal("22.2"), Unit.PER_1000)),
    ),
)


def sample(**overrides) -> ReportDocument:
    values = {
        "kind": "final",
        "title": "Resultatevaluering",
        "subtitle": "Helhedsplan for Eksempelby 2022-26",
        "plan_name": "Helhedsplan for Eksempelby 2022-26",
        "period_text": "1. januar 2022 - 31. december 2026",
        "generated_on": "1. marts 2027",
        "facts": (("Periode", "1. januar 2022 - 31. december 2026"),),
        "sections": (
            Section(
                title="Resultater på de overordnede mål",
                anchor="maal",
                criteria=(criterion("k0", Outcome.PENDING, "i gang"),),
                subsections=(
                    Section(
                        title="Flere unge i uddannelse",
                        anchor="unge",
                        tables=(SHARE,),
                        criteria=(
                            criterion("k1", Outcome.ACHIEVED, "opnået"),
                            criterion(
                                "k2",
                                Outcome.NOT_ACHIEVED,
                                "ikke opnået",
                                text="=SUM(A1:A2) er ikke en formel",
                                remarks=("Tallet er usikkert.",),
                                reported_label="opnået",
                                agrees_with_report=False,
                                notes=("Note om k2",),
                            ),
                        ),
                        subsections=(
                            Section(title="Lektiecafé", anchor="l", tables=(COUNTS,)),
                        ),
                    ),
                ),
            ),
        ),
        "marking": "Fortroligt – indeholder små tal",
    }
    values.update(overrides)
    return ReportDocument(**values)


def open_xlsx(data: bytes) -> Workbook:
    return load_workbook(io.BytesIO(data))


@pytest.fixture(scope="module")
def workbook() -> Workbook:
    return open_xlsx(render(sample()))


def test_xlsx_is_registered() -> None:
    assert RENDERERS["xlsx"] is render


def test_sheets_cover_criteria_then_one_per_table(workbook) -> None:
    assert workbook.sheetnames == [
        "Forside",
        "Succeskriterier",
        "Andel unge i uddannelse 18-29…",
        "Andel unge i uddannelse 18- (2)",
    ]


@pytest.mark.parametrize(
    ("captions", "expected"),
    [
        (["Kort"], ["Kort"]),
        (["a/b\\c?d*e:f[g]"], ["a b c d e f g"]),
        (["x" * 40], ["x" * 30 + "…"]),
        (["Tabel", "tabel", "TABEL"], ["Tabel", "tabel (2)", "TABEL (3)"]),
        (["Forside"], ["Forside (2)"]),
        (["History"], ["History (2)"]),
        (["'citat'"], ["citat"]),
        (["[]"], ["Tabel"]),
        (["y" * 40, "y" * 40], ["y" * 30 + "…", "y" * 27 + " (2)"]),
    ],
)
def test_sheet_names_follow_excels_rules(captions, expected) -> None:
    names = _sheet_names(captions, {"Forside", "Succeskriterier"})
    assert names == expected
    assert all(len(n) <= 31 for n in names)


def test_numbers_are_numbers_with_danish_looking_formats(workbook) -> None:
    ws = workbook["Andel unge i uddannelse 18-29…"]
    assert [c.value for c in ws[1]] == [
        "Andel i %",
        "2017",
        "2021",
        "Ændring 2017-2021",
    ]
    nordby = ws[2]
    assert nordby[0].value == "Nordby"
    assert nordby[1].value == 58.3 and nordby[1].data_type == "n"
    assert nordby[1].number_format == '0.0" %"'
    assert nordby[3].value == 4.8
    assert (
        nordby[3].number_format
        == '+0.0" pct.-point";-0.0" pct.-point";0.0" pct.-point"'
    )
    sydby = ws[3]
    assert sydby[1].value == "mangler"
    assert sydby[2].value == 12 and sydby[2].number_format == '0" %"'
    assert sydby[3].value == "–"


def test_counts_and_rates(workbook) -> None:
    ws = workbook["Andel unge i uddannelse 18- (2)"]
    assert (ws["B2"].value, ws["B2"].number_format) == (1713, "#,##0")
    assert (ws["B3"].value, ws["B3"].number_format) == (22.2, "0.0")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (Cell("8,2 %", Decimal("8.2"), Unit.PERCENT), '0.0" %"'),
        (Cell("8 %", Decimal("8"), Unit.PERCENT), '0" %"'),
        (
            Cell("+12,35 %", Decimal("12.35"), Unit.PERCENT),
            '+0.00" %";-0.00" %";0.00" %"',
        ),
        (Cell("-39,9 %", Decimal("-39.9"), Unit.PERCENT), '0.0" %"'),
        (Cell("3.868", Decimal("3868"), Unit.COUNT), "#,##0"),
        (Cell("14,3 fraværsdage", Decimal("14.3"), Unit.MEAN), "#,##0.0"),
        (Cell("1,3 pr. 1.000 beboere", Decimal("1.3"), Unit.PER_1000), "0.0"),
        (Cell("-0,4 pct.-point", Decimal("-0.4")), '0.0" pct.-point"'),
    ],
)
def test_number_format_mirrors_the_printed_text(cell, expected) -> None:
    assert number_format(cell) == expected


def test_header_bold_and_frozen_source_and_notes_below(workbook) -> None:
    ws = workbook["Andel unge i uddannelse 18-29…"]
    assert ws.freeze_panes == "B2"
    assert all(c.font.bold for c in ws[1])
    below = [ws.cell(row=r, column=1).value for r in range(4, ws.max_row + 1)]
    assert below == [
        None,
        "Andel unge i uddannelse: 18-29 år [alle områder]",
        "Afsnit: Resultater på de overordnede mål › Flere unge i uddannelse",
        "Kilde: Danmarks Statistik",
        "Sydby, 2017: ikke opgjort",
    ]
    assert ws.column_dimensions["A"].width >= len("Andel i %")


def test_flags_and_notes_become_comments(workbook) -> None:
    ws = workbook["Andel unge i uddannelse 18-29…"]
    assert ws["C2"].comment.text == (
        "Beregnet ud fra andre trykte tal. Beregnet ud fra tælleren"
    )
    assert ws["B3"].comment.text == "Mangler."
    assert ws["B2"].comment is None


def test_criteria_sheet_lists_every_criterion_with_its_section(workbook) -> None:
    ws = workbook["Succeskriterier"]
    assert ws.freeze_panes == "A2"
    header = [c.value for c in ws[1]]
    assert header[:8] == [
        "Afsnit",
        "Id",
        "Succeskriterie",
        "Baseline",
        "Forventet",
        "Opnået",
        "Vurdering",
        "Forklaring",
    ]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert [r[1] for r in rows] == ["k0", "k1", "k2"]
    assert rows[0][0] == "Resultater på de overordnede mål"
    assert rows[2][0] == "Resultater på de overordnede mål › Flere unge i uddannelse"
    assert rows[2][2] == "=SUM(A1:A2) er ikke en formel"
    assert ws["C4"].data_type == "s"
    # Excel's quote prefix: the text stays text when the cell is edited.
    assert ws["C4"].quotePrefix
    assert rows[2][3:8] == [
        "–",
        "mindst 50 %",
        "52 %",
        "Ikke opnået",
        "Forklaring på k2. Tallet er usikkert. Den trykte rapport angiver: opnået.",
    ]
    assert dict(zip(header, rows[2], strict=True))["Noter"] == "Note om k2"


def test_cover_sheet(workbook) -> None:
    ws = workbook["Forside"]
    values = [[c.value for c in row if c.value is not None] for row in ws.iter_rows()]
    assert values[:3] == [
        ["Resultatevaluering"],
        ["Helhedsplan for Eksempelby 2022-26"],
        ["1. januar 2022 - 31. december 2026"],
    ]
    assert ["Fortroligt – indeholder små tal"] in values
    assert ["Periode", "1. januar 2022 - 31. december 2026"] in values
    assert ["Dannet", "1. marts 2027"] in values
    assert ["Mærkning", "Fortroligt – indeholder små tal"] in values
    links = {c.value: c.hyperlink.location for c in ws["A"] if c.hyperlink}
    assert links["Succeskriterier"] == "'Succeskriterier'!A1"
    assert (
        links["Andel unge i uddannelse 18- (2)"]
        == "'Andel unge i uddannelse 18- (2)'!A1"
    )


def test_workbook_properties_and_print_marking(workbook) -> None:
    props = workbook.properties
    assert props.creator == "fremdrift"
    assert props.title == "Resultatevaluering – Helhedsplan for Eksempelby 2022-26"
    ws = workbook["Succeskriterier"]
    assert ws.oddHeader.right.text == "Fortroligt – indeholder små tal"
    assert ws.print_title_rows == "$1:$1"


def test_randers_final_report(randers) -> None:
    from fremdrift.reports.assembly import report_build

    doc = report_build(plan=randers, kind="final")
    started = time.perf_counter()
    data = render(doc)
    elapsed = time.perf_counter() - started
    print(f"\nRanders XLSX: {len(data) / 1024:.0f} KiB in {elapsed:.2f} s")
    workbook = open_xlsx(data)

    names = workbook.sheetnames
    assert names[:2] == ["Forside", "Succeskriterier"]
    assert len(names) == len(set(names)) == 2 + 30
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)

    ws = workbook["Andel 18-29-årige, som har gen…"]
    assert ws.freeze_panes == "B2"
    glarbjergvej = {c.value: c for c in ws[2]}
    assert glarbjergvej["Glarbjergvej-området"].column == 1
    cell = ws["C2"]  # 2017
    assert ws["C1"].value == "2017"
    assert cell.value == 58.3 and isinstance(cell.value, float)
    assert cell.number_format == '0.0" %"'
    column_a = [c.value for c in ws["A"]]
    assert "Kilde: Danmarks Statistiks Boligstatistiske Nøgletal" in column_a
    assert any(v and v.startswith("Glarbjergvej-området, 2015:") for v in column_a)
    assert ws["B2"].comment is not None  # the 2015 value's note

    criteria = workbook["Succeskriterier"]
    assert criteria.freeze_panes == "A2"
    assert criteria.max_row - 1 == 77
    verdicts = {c.value for c in criteria["G"][1:]}
    assert {"Opnået", "Ikke opnået"} <= verdicts


def test_a_report_without_tables_or_criteria_still_renders() -> None:
    workbook = open_xlsx(render(sample(sections=(), marking="")))
    assert workbook.sheetnames == ["Forside", "Succeskriterier"]
    assert workbook["Succeskriterier"].max_row == 1
