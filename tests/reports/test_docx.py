"""The DOCX renderer: open the document with python-docx and read it back."""

from __future__ import annotations

import io
import time
from decimal import Decimal

import pytest
from docx import Document
from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.table import Table as WordTable

from fremdrift.core.model import Flag, Outcome, Unit
from fremdrift.core.report_model import (
    Cell,
    ChartSeries,
    ChartSpec,
    CriterionRow,
    ReportDocument,
    Section,
    Table,
)
from fremdrift.reports.renderers import RENDERERS
from fremdrift.reports.renderers.docx import TOC_PLACEHOLDER, render

W_VAL = qn("w:val")


def criterion(ident: str, outcome: Outcome, label: str, **kwargs) -> CriterionRow:
    values = {
        "ident": ident,
        "text": f"Kriterie {ident}",
        "own_defined": False,
        "baseline": "40 % (2017)",
        "target": "mindst 50 %",
        "achieved": "52 %",
        "outcome": outcome,
        "outcome_label": label,
        "explanation": f"Forklaring på {ident}.",
        "remarks": (),
        "reported_label": label,
        "agrees_with_report": True,
        "notes": (),
        "period_values": (),
    }
    values.update(kwargs)
    return CriterionRow(**values)


SHARE = Table(
    caption="Andel unge i uddannelse",
    columns=("Andel i %", "2017", "2021", "Ændring 2017-2021"),
    rows=(
        (
            Cell("Nordby"),
            Cell("58,3 %", Decimal("58.3"), Unit.PERCENT),
            Cell("63,1 %*", Decimal("63.1"), Unit.PERCENT, frozenset({Flag.DERIVED})),
            Cell("+4,8 pct.-point", Decimal("4.8")),
        ),
        (
            Cell("Sydby"),
            Cell("mangler", None, Unit.PERCENT, frozenset({Flag.MISSING})),
            Cell("12 %", Decimal("12"), Unit.PERCENT),
            Cell("–"),
        ),
    ),
    source="Danmarks Statistik",
    notes=("Sydby, 2017: ikke opgjort",),
)

CHART = ChartSpec(
    key="unge",
    kind="grouped_bars",
    title="Andel unge i uddannelse",
    unit=Unit.PERCENT,
    axis_label="Andel i %",
    x_labels=("Nordby", "Sydby"),
    series=(
        ChartSeries("2017", (Decimal("58.3"), None)),
        ChartSeries("2021", (Decimal("63.1"), Decimal("12"))),
    ),
    caption="Andel unge i uddannelse",
    alt_text="Søjlediagram: andelen i Nordby er steget fra 58,3 % til 63,1 %.",
    source="Danmarks Statistik",
)


def sample(**overrides) -> ReportDocument:
    values = {
        "kind": "final",
        "title": "Resultatevaluering",
        "subtitle": "Helhedsplan for Eksempelby 2022-26",
        "plan_name": "Helhedsplan for Eksempelby 2022-26",
        "period_text": "1. januar 2022 - 31. december 2026",
        "generated_on": "1. marts 2027",
        "facts": (
            ("Periode", "1. januar 2022 - 31. december 2026"),
            ("Vision", "Et godt sted"),
        ),
        "sections": (
            Section(
                title="Indledning",
                anchor="indledning",
                paragraphs=("Første afsnit.", "Andet afsnit."),
            ),
            Section(
                title="Resultater på de overordnede mål",
                anchor="maal",
                subsections=(
                    Section(
                        title="Flere unge i uddannelse",
                        anchor="unge",
                        paragraphs=("Om målet.",),
                        tables=(SHARE,),
                        charts=(CHART,),
                        criteria=(
                            criterion(
                                "k1",
                                Outcome.ACHIEVED,
                                "opnået",
                                own_defined=True,
                                period_values=(("2017", "40 %"), ("2021", "52 %")),
                            ),
                            criterion(
                                "k2",
                                Outcome.NOT_ACHIEVED,
                                "ikke opnået",
                                remarks=("Tallet er usikkert.",),
                                reported_label="opnået",
                                agrees_with_report=False,
                                notes=("Note om k2",),
                                pace="bagud",
                                change="Fra 40 % til 45 %.",
                            ),
                        ),
                        commentary=(("2021", "Teamet er tilfreds."),),
                        subsections=(
                            Section(
                                title="Lektiecafé",
                                anchor="lektiecafe",
                                subsections=(
                                    Section(
                                        title="Lørdagshold",
                                        anchor="loerdag",
                                        paragraphs=("Dybt nede.",),
                                    ),
                                ),
                            ),
                        ),
                    ),
                ),
            ),
        ),
        "marking": "Fortroligt – indeholder små tal",
    }
    values.update(overrides)
    return ReportDocument(**values)


def open_docx(data: bytes) -> WordDocument:
    return Document(io.BytesIO(data))


def cell_texts(table: WordTable) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def body_text(document: WordDocument) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def headings(document: WordDocument) -> list[tuple[str, str]]:
    return [
        (p.style.name, p.text)
        for p in document.paragraphs
        if p.style.name.startswith("Heading")
    ]


def instructions(element) -> list[str]:
    return [" ".join(i.text.split()) for i in element.iter(qn("w:instrText"))]


@pytest.fixture(scope="module")
def document() -> WordDocument:
    return open_docx(render(sample()))


def test_docx_is_registered() -> None:
    assert RENDERERS["docx"] is render


def test_title_page_shows_title_plan_period_facts_and_date(document) -> None:
    paragraphs = document.paragraphs
    assert (paragraphs[0].style.name, paragraphs[0].text) == (
        "Subtitle",
        "Resultatevaluering",
    )
    assert (paragraphs[1].style.name, paragraphs[1].text) == (
        "Title",
        "Helhedsplan for Eksempelby 2022-26",
    )
    assert "1. januar 2022 - 31. december 2026" in body_text(document)
    assert cell_texts(document.tables[0]) == [
        ["Periode", "1. januar 2022 - 31. december 2026"],
        ["Vision", "Et godt sted"],
    ]
    assert "Dannet af fremdrift den 1. marts 2027." in body_text(document)
    page_breaks = document.element.body.findall(f".//{qn('w:br')}")
    assert any(br.get(qn("w:type")) == "page" for br in page_breaks)


def test_table_of_contents_is_a_toc_field_with_a_placeholder(document) -> None:
    assert 'TOC \\o "1-3" \\h \\z \\u' in instructions(document.element.body)
    assert TOC_PLACEHOLDER in body_text(document)


def test_headings_follow_the_section_depth(document) -> None:
    assert headings(document) == [
        ("Heading 1", "Indledning"),
        ("Heading 1", "Resultater på de overordnede mål"),
        ("Heading 2", "Flere unge i uddannelse"),
        ("Heading 3", "Lektiecafé"),
        ("Heading 4", "Lørdagshold"),
    ]


def test_top_sections_start_on_a_new_page(document) -> None:
    top = [p for p in document.paragraphs if p.style.name == "Heading 1"]
    assert all(p.paragraph_format.page_break_before for p in top)


def test_header_has_plan_name_and_marking_footer_has_page_x_of_y(document) -> None:
    section = document.sections[0]
    header = [p.text for p in section.header.paragraphs]
    assert header == [
        "Helhedsplan for Eksempelby 2022-26",
        "Fortroligt – indeholder små tal",
    ]
    footer = section.footer.paragraphs[0]
    assert instructions(section.footer._element) == ["PAGE", "NUMPAGES"]
    assert footer.text.startswith("Side ") and " af " in footer.text


def test_no_marking_no_marking_line() -> None:
    document = open_docx(render(sample(marking="")))
    assert [p.text for p in document.sections[0].header.paragraphs] == [
        "Helhedsplan for Eksempelby 2022-26"
    ]


def test_page_is_a4_with_two_centimetre_margins(document) -> None:
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (
        21.0,
        29.7,
    )
    margins = (
        section.left_margin,
        section.right_margin,
        section.top_margin,
        section.bottom_margin,
    )
    assert all(abs(m - Cm(2)) < Cm(0.01) for m in margins)


def test_core_properties(document) -> None:
    props = document.core_properties
    assert props.title == "Resultatevaluering"
    assert props.subject == "Helhedsplan for Eksempelby 2022-26"
    assert props.language == "da-DK"
    assert props.author == "fremdrift"


def test_data_table_has_repeating_header_numbers_right_aligned(document) -> None:
    table = document.tables[1]
    assert table.style.name == "Light Grid Accent 1"
    assert cell_texts(table) == [
        ["Andel i %", "2017", "2021", "Ændring 2017-2021"],
        ["Nordby", "58,3 %", "63,1 %*", "+4,8 pct.-point"],
        ["Sydby", "mangler", "12 %", "–"],
    ]
    header = table.rows[0]._tr.trPr.find(qn("w:tblHeader"))
    assert header is not None and header.get(W_VAL) == "true"
    assert table.rows[1]._tr.trPr.find(qn("w:tblHeader")) is None
    row = table.rows[1].cells
    assert row[0].paragraphs[0].alignment is None
    assert all(c.paragraphs[0].alignment == 2 for c in row[1:])  # RIGHT


def test_flagged_cell_is_shaded(document) -> None:
    flagged = document.tables[1].rows[1].cells[2]
    shading = flagged._tc.tcPr.find(qn("w:shd"))
    assert shading is not None and shading.get(qn("w:fill")) == "FFF6D6"


def test_caption_above_table_source_and_notes_below(document) -> None:
    body = list(document.element.body.iterchildren())
    table = document.tables[1]._tbl
    index = body.index(table)
    before = body[index - 1]
    caption = "".join(t.text for t in before.iter(qn("w:t")))
    assert caption == "Tabel 1: Andel unge i uddannelse"
    assert instructions(before) == ["SEQ Tabel \\* ARABIC"]
    after = [
        "".join(t.text for t in e.iter(qn("w:t"))) for e in body[index + 1 : index + 3]
    ]
    assert after == ["Kilde: Danmarks Statistik", "Sydby, 2017: ikke opgjort"]
    styles = {p.text: p.style.name for p in document.paragraphs}
    assert styles["Kilde: Danmarks Statistik"] == "Kildenote"


def test_criteria_table_rows_and_explanations(document) -> None:
    table = document.tables[2]
    rows = cell_texts(table)
    assert rows[0] == ["Succeskriterie", "Baseline", "Forventet", "Opnået", "Vurdering"]
    assert rows[1] == [
        "Kriterie k1 (eget defineret)\n2017: 40 %   2021: 52 %",
        "40 % (2017)",
        "mindst 50 %",
        "52 %",
        "Opnået",
    ]
    assert rows[2] == ["Forklaring på k1."] * 5  # one cell spanning all five
    assert rows[3][4] == "Ikke opnået\nBagud"
    explanation = table.rows[4].cells[0]
    assert [p.text for p in explanation.paragraphs] == [
        "Forklaring på k2. Tallet er usikkert.",
        "Den trykte rapport angiver: opnået.",
        "Siden sidst: Fra 40 % til 45 %.",
        "– Note om k2",
    ]
    assert explanation.paragraphs[0].runs[0].italic is True
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert table.rows[1].cells[4].paragraphs[0].runs[0].bold is True


def test_commentary_follows_the_tables(document) -> None:
    text = body_text(document)
    assert "Teamets kommentar" in text
    assert "2021: Teamet er tilfreds." in text


def test_chart_is_a_picture_with_alt_text_caption_and_source(document) -> None:
    assert len(document.inline_shapes) == 1
    shape = document.inline_shapes[0]
    assert abs(shape.width - Cm(15)) < Cm(0.01)
    doc_pr = shape._inline.docPr
    assert doc_pr.get("descr") == CHART.alt_text
    assert doc_pr.get("title") == CHART.title
    texts = [p.text for p in document.paragraphs]
    caption = texts.index("Figur 1: Andel unge i uddannelse")
    assert texts[caption + 1] == "Kilde: Danmarks Statistik"
    # The chart comes right before the table with the same numbers.
    assert texts[caption + 2] == "Tabel 1: Andel unge i uddannelse"


def test_control_characters_from_ocr_text_are_dropped() -> None:
    doc = sample(
        sections=(
            Section(title="Indled\x0cning", anchor="i", paragraphs=("Tekst\x01 her.",)),
        )
    )
    document = open_docx(render(doc))
    assert headings(document) == [("Heading 1", "Indledning")]
    assert "Tekst her." in body_text(document)


@pytest.mark.slow
def test_randers_final_report(randers) -> None:
    from fremdrift.reports.assembly import report_build

    doc = report_build(plan=randers, kind="final")
    started = time.perf_counter()
    data = render(doc)
    elapsed = time.perf_counter() - started
    print(f"\nRanders DOCX: {len(data) / 1024:.0f} KiB in {elapsed:.2f} s")
    document = open_docx(data)

    found = headings(document)
    for title in (
        "Indledning",
        "Resultater på de overordnede mål",
        "Resultater på indsatsområderne",
        "Resultater på aktivitetsniveau",
        "Opsummering",
    ):
        assert ("Heading 1", title) in found
    assert ("Heading 2", "Øget uddannelsesgrad blandt unge") in found
    assert ("Heading 3", "Boligsociale Mødregrupper") in found

    texts = {c for t in document.tables for row in cell_texts(t) for c in row}
    assert "58,3 %" in texts
    assert {"Opnået", "Ikke opnået"} <= {t.split("\n")[0] for t in texts}
    criteria = [t for t in document.tables if cell_texts(t)[0][0] == "Succeskriterie"]
    assert sum((len(t.rows) - 1) // 2 for t in criteria) == 77
    assert all(
        t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        for t in document.tables[1:]
    )
    assert "PAGE" in instructions(document.sections[0].footer._element)
    assert any(i.startswith("TOC ") for i in instructions(document.element.body))
    assert len(document.inline_shapes) == sum(
        1 for t in document.paragraphs if t.text.startswith("Figur ")
    )
    assert all(s._inline.docPr.get("descr") for s in document.inline_shapes)


def test_a_report_without_sections_still_renders() -> None:
    document = open_docx(render(sample(sections=(), facts=(), marking="")))
    assert headings(document) == []
    assert TOC_PLACEHOLDER in body_text(document)


def test_the_body_ends_with_a_paragraph_even_after_a_table() -> None:
    table = Table(caption="Sidst", columns=("A", "B"), rows=((Cell("x"), Cell("1")),))
    doc = sample(sections=(Section(title="Slut", anchor="s", tables=(table,)),))
    body = open_docx(render(doc)).element.body
    assert body[-2].tag == qn("w:p")  # body[-1] is the section properties
