"""DOCX: an editable Word document built with python-docx.

What Word needs to treat the report as its own: real heading styles
(Heading 1 for the top sections, one level deeper per subsection), a table
of contents as a TOC field, "Side X af Y" from PAGE and NUMPAGES fields,
captions numbered with SEQ fields, table header rows that repeat on every
page and pictures with alternative text. The fields carry placeholder
results; Word fills them in when the reader updates fields (F9), the way
Word's own "Insert table of contents" leaves them in a document it did not
lay out itself.

A4 with 2 cm margins; the plan name and the marking (when set) in the
header of every page. The fixed labels are in the document's language
(``doc.lang``), and so is Word's proofing language.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from datetime import UTC, datetime

from django.utils.translation import gettext, gettext_noop, pgettext
from docx import Document
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.table import Table as WordTable
from docx.table import _Cell, _Row
from docx.text.paragraph import Paragraph

from fremdrift.core.model import Outcome
from fremdrift.core.report_model import (
    ChartSpec,
    CriterionRow,
    ReportDocument,
    Section,
    Table,
    figures_in_order,
)

from .language import in_document_language

TOC_LEVELS = 3
TOC_INSTRUCTION = 'TOC \\o "1-3" \\h \\z \\u'
# Message ids, translated when a document is written.
TOC_PLACEHOLDER = gettext_noop(
    "Højreklik og vælg Opdater felt for at opdatere indholdsfortegnelsen"
)
CRITERIA_COLUMNS = (
    gettext_noop("Succeskriterie"),
    gettext_noop("Baseline"),
    gettext_noop("Forventet"),
    gettext_noop("Opnået"),
    gettext_noop("Vurdering"),
)
# Word's proofing language by report language.
WORD_LANGUAGES = {"da": "da-DK", "en": "en-GB"}
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
TABLE_STYLE = "Light Grid Accent 1"

PAGE_WIDTH = Cm(21.0)
PAGE_HEIGHT = Cm(29.7)
MARGIN = Cm(2)
TEXT_WIDTH_CM = 17.0
CHART_WIDTH = Cm(15)
CRITERIA_WIDTHS_CM = (6.3, 2.6, 2.7, 2.6, 2.8)

# The HTML report's colours (report.css), so the formats read alike.
MUTED = RGBColor(0x5A, 0x5A, 0x5A)
OUTCOME_COLOURS = {
    Outcome.ACHIEVED: RGBColor(0x1A, 0x7F, 0x37),
    Outcome.NOT_ACHIEVED: RGBColor(0xB3, 0x26, 0x1E),
    Outcome.PARTLY_ACHIEVED: RGBColor(0x8A, 0x5A, 0x00),
    Outcome.NOT_MEASURABLE: MUTED,
    Outcome.PENDING: MUTED,
}
DISAGREES_COLOUR = RGBColor(0xB3, 0x26, 0x1E)
FLAGGED_FILL = "FFF6D6"

# Paragraph style ids. The custom ones are named in Danish because Word
# shows the names; for them the id is the name.
TABLE_TEXT = "Tabeltekst"
SOURCE_NOTE = "Kildenote"

# XML 1.0 forbids most control characters; a stray form feed from an OCR'd
# plan text would otherwise make lxml refuse the whole document.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _XML_ILLEGAL.sub("", text)


def _paragraph(
    container: WordDocument | _Cell, text: str = "", style: str = ""
) -> Paragraph:
    """``container.add_paragraph`` with the style given by its id: python-docx
    looks a style name up among all styles on every call, which cost the
    Randers report more time than writing its 900 table cells."""
    paragraph = container.add_paragraph(text)
    if style:
        paragraph._p.style = style
    return paragraph


def _capfirst(text: str) -> str:
    return text[:1].upper() + text[1:]


# ---------------------------------------------------------------- fields


def _field_run(paragraph: Paragraph, kind: str) -> None:
    run = paragraph.add_run()
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    run._r.append(char)


def _add_field(paragraph: Paragraph, instruction: str, result: str) -> None:
    """A complex field (begin, instruction, separate, result, end): Word and
    LibreOffice both update these; ``result`` is shown until they do."""
    _field_run(paragraph, "begin")
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    _field_run(paragraph, "separate")
    paragraph.add_run(result)
    _field_run(paragraph, "end")


# ---------------------------------------------------------------- setup


def _set_language(document: WordDocument, language: str) -> None:
    """The proofing language of every run that does not say otherwise."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is None:
        return
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), language)


def _paragraph_style(
    document: WordDocument, name: str, *, size: float, colour: RGBColor | None = None
) -> ParagraphStyle:
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    style.quick_style = True
    style.font.size = Pt(size)
    if colour is not None:
        style.font.color.rgb = colour
    style.paragraph_format.space_before = Pt(0)
    style.paragraph_format.space_after = Pt(0)
    return style


def _setup(document: WordDocument, doc: ReportDocument) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)
    section.header_distance = section.footer_distance = Cm(1)

    language = WORD_LANGUAGES.get(doc.lang, "da-DK")
    _set_language(document, language)
    normal = document.styles["Normal"]
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = Pt(6)
    _paragraph_style(document, TABLE_TEXT, size=9)
    note = _paragraph_style(document, SOURCE_NOTE, size=8, colour=MUTED)
    note.paragraph_format.space_after = Pt(2)
    caption = document.styles["Caption"]
    caption.paragraph_format.space_before = Pt(10)
    caption.paragraph_format.space_after = Pt(4)
    caption.paragraph_format.keep_with_next = True

    props = document.core_properties
    props.title = doc.title
    props.subject = doc.plan_name
    props.language = language
    props.author = props.last_modified_by = "fremdrift"
    props.comments = gettext("Dannet af fremdrift den {date}.").format(
        date=doc.generated_on
    )
    props.keywords = gettext("helhedsplan; fremdrift")
    props.category = doc.kind
    props.revision = 1
    now = datetime.now(UTC).replace(microsecond=0)
    props.created = props.modified = now


def _header_footer(document: WordDocument, doc: ReportDocument) -> None:
    section = document.sections[0]
    header = section.header
    first = header.paragraphs[0]
    first.text = _clean(doc.plan_name)
    first.runs[0].font.color.rgb = MUTED
    if doc.marking:
        marking = header.add_paragraph()
        marking.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = marking.add_run(_clean(doc.marking))
        run.bold = True

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    # The translated sentence decides where the two fields go.
    fields = {"page": "PAGE", "pages": "NUMPAGES"}
    text = gettext("Side {page} af {pages}")
    for i, part in enumerate(_PLACEHOLDER.split(text)):
        if i % 2:
            _add_field(footer, fields[part], "1")
        elif part:
            footer.add_run(part)


# ---------------------------------------------------------------- tables


def _repeat_as_header(row: _Row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    tr_pr.append(element)


def _keep_row_whole(row: _Row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    element = OxmlElement("w:cantSplit")
    element.set(qn("w:val"), "true")
    tr_pr.append(element)


def _table_look(table: WordTable, *, first_column: bool, banded_rows: bool) -> None:
    tbl_pr = table._tbl.tblPr
    look = tbl_pr.find(qn("w:tblLook"))
    if look is None:
        look = OxmlElement("w:tblLook")
        tbl_pr.append(look)
    look.set(qn("w:firstRow"), "1")
    look.set(qn("w:lastRow"), "0")
    look.set(qn("w:firstColumn"), "1" if first_column else "0")
    look.set(qn("w:lastColumn"), "0")
    look.set(qn("w:noHBand"), "0" if banded_rows else "1")
    look.set(qn("w:noVBand"), "1")


def _set_widths(table: WordTable, widths_cm: Iterable[float]) -> None:
    """Fixed column widths; a merged cell gets the sum of the columns it
    spans (``row.cells`` would repeat it once per column instead)."""
    widths = [Cm(w) for w in widths_cm]
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for tr in table._tbl.tr_lst:
        start = 0
        for tc in tr.tc_lst:
            tc.width = Emu(sum(widths[start : start + tc.grid_span]))
            start += tc.grid_span


def _shade(cell: _Cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tc_pr.append(shading)


def _write_cell(
    cell: _Cell,
    text: str,
    *,
    align: WD_ALIGN_PARAGRAPH | None = None,
    bold: bool | None = None,
    italic: bool | None = None,
    colour: RGBColor | None = None,
) -> Paragraph:
    paragraph = cell.paragraphs[0]
    paragraph._p.style = TABLE_TEXT
    if align is not None:
        paragraph.alignment = align
    run = paragraph.add_run(_clean(text))
    run.bold = bold
    run.italic = italic
    if colour is not None:
        run.font.color.rgb = colour
    return paragraph


def _caption(document: WordDocument, label: str, number: int, text: str) -> None:
    """A Word caption: "Tabel 3: ..." with the number as a SEQ field, so a
    table of tables can be inserted and numbers follow edits."""
    paragraph = _paragraph(document, style="Caption")
    paragraph.add_run(f"{label} ")
    _add_field(paragraph, f"SEQ {label} \\* ARABIC", str(number))
    paragraph.add_run(f": {_clean(text)}")


def _source_and_notes(
    document: WordDocument, source: str, notes: Iterable[str]
) -> list[Paragraph]:
    added = []
    if source:
        text = gettext("Kilde: {source}").format(source=_clean(source))
        added.append(_paragraph(document, text, SOURCE_NOTE))
    added += [_paragraph(document, _clean(n), SOURCE_NOTE) for n in notes]
    if not added:
        # Spacing, and a paragraph between a table and whatever follows:
        # Word wants the body to end with a paragraph, not a table.
        added.append(_paragraph(document, "", SOURCE_NOTE))
    added[-1].paragraph_format.space_after = Pt(8)
    return added


class _Writer:
    """Walks the report and writes it into one Word document; keeps the
    caption counters Word's SEQ fields start from."""

    def __init__(self, document: WordDocument) -> None:
        self.document = document
        self.tables = 0
        self.figures = 0

    # -------------------------------------------------------- data tables

    def table(self, table: Table) -> None:
        document = self.document
        self.tables += 1
        _caption(document, pgettext("caption", "Tabel"), self.tables, table.caption)
        columns = len(table.columns)
        word = document.add_table(rows=1 + len(table.rows), cols=columns)
        word.style = TABLE_STYLE
        word.alignment = WD_TABLE_ALIGNMENT.CENTER
        _table_look(word, first_column=True, banded_rows=True)
        header = word.rows[0]
        _repeat_as_header(header)
        # Every column after the row label holds numbers (or a dash where
        # there is none), right-aligned as in the HTML report, but for the
        # table's text columns.
        aligns = [
            WD_ALIGN_PARAGRAPH.RIGHT if i and i not in table.text_columns else None
            for i in range(columns)
        ]
        for cell, name, align in zip(header.cells, table.columns, aligns, strict=True):
            _write_cell(cell, name, align=align)
        for row, cells in zip(word.rows[1:], table.rows, strict=True):
            _keep_row_whole(row)
            for i, (cell, data) in enumerate(zip(row.cells, cells, strict=True)):
                _write_cell(cell, data.text, align=aligns[i])
                if data.flags and i:
                    _shade(cell, FLAGGED_FILL)
        # Number columns share what the row labels leave, up to 3 cm each;
        # a table with few columns is then narrower than the page.
        rest = min(3.0, (TEXT_WIDTH_CM - 3.8) / (columns - 1)) if columns > 1 else 0
        first = min(7.0, TEXT_WIDTH_CM - rest * (columns - 1))
        _set_widths(word, [first] + [rest] * (columns - 1))
        _source_and_notes(document, table.source, table.notes)

    # ------------------------------------------------------------ criteria

    def criteria(self, rows: tuple[CriterionRow, ...]) -> None:
        document = self.document
        self.tables += 1
        _caption(
            document,
            pgettext("caption", "Tabel"),
            self.tables,
            gettext("Succeskriterier"),
        )
        word = document.add_table(rows=1, cols=len(CRITERIA_COLUMNS))
        word.style = TABLE_STYLE
        word.alignment = WD_TABLE_ALIGNMENT.CENTER
        # No banding: a criterion and its explanation row belong together.
        _table_look(word, first_column=False, banded_rows=False)
        header = word.rows[0]
        _repeat_as_header(header)
        for cell, name in zip(header.cells, CRITERIA_COLUMNS, strict=True):
            _write_cell(cell, gettext(name))
        for row in rows:
            self._criterion(word, row)
        _set_widths(word, CRITERIA_WIDTHS_CM)
        _source_and_notes(document, "", ())

    def _criterion(self, word: WordTable, row: CriterionRow) -> None:
        main = word.add_row()
        _keep_row_whole(main)
        text, baseline, target, achieved, verdict = main.cells
        paragraph = _write_cell(text, row.text)
        if row.own_defined:
            tag = paragraph.add_run(" " + gettext("(eget defineret)"))
            tag.italic = True
            tag.font.color.rgb = MUTED
        if row.period_values:
            periods = _paragraph(
                text,
                _clean("   ".join(f"{p}: {v}" for p, v in row.period_values)),
                SOURCE_NOTE,
            )
            periods.paragraph_format.space_before = Pt(2)
        _write_cell(baseline, row.baseline or "–")
        _write_cell(target, row.target)
        _write_cell(achieved, row.achieved)
        _write_cell(
            verdict,
            _capfirst(row.outcome_label),
            bold=True,
            colour=OUTCOME_COLOURS.get(row.outcome),
        )
        if row.pace:
            _paragraph(verdict, _capfirst(row.pace), TABLE_TEXT)
        for cell in main.cells:
            for p in cell.paragraphs:
                p.paragraph_format.keep_with_next = True

        explanation = word.add_row()
        _keep_row_whole(explanation)
        merged = explanation.cells[0].merge(explanation.cells[-1])
        sentence = " ".join(_clean(t) for t in (row.explanation, *row.remarks) if t)
        _write_cell(merged, sentence, italic=True)
        for change in row.target_changes:
            _paragraph(merged, _clean(change), TABLE_TEXT)
        if row.agrees_with_report is False:
            p = _paragraph(merged, style=TABLE_TEXT)
            run = p.add_run(
                _clean(
                    gettext("Den trykte rapport angiver: {verdict}.").format(
                        verdict=row.reported_label
                    )
                )
            )
            run.font.color.rgb = DISAGREES_COLOUR
        if row.change:
            changed = gettext("Siden sidst: {change}").format(change=row.change)
            _paragraph(merged, _clean(changed), TABLE_TEXT)
        for note in row.notes:
            _paragraph(merged, _clean(f"– {note}"), SOURCE_NOTE)

    # -------------------------------------------------------------- charts

    def chart(self, chart: ChartSpec) -> None:
        from fremdrift.reports.charts import render_png

        document = self.document
        self.figures += 1
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.keep_with_next = True
        shape = paragraph.add_run().add_picture(
            io.BytesIO(render_png(chart, dpi=200)), width=CHART_WIDTH
        )
        doc_pr = shape._inline.docPr
        figure = pgettext("caption", "Figur")
        doc_pr.set("name", _clean(f"{figure} {self.figures}"))
        doc_pr.set("descr", _clean(chart.alt_text))
        doc_pr.set("title", _clean(chart.title))
        _caption(document, figure, self.figures, chart.caption or chart.title)
        _source_and_notes(document, chart.source, ())

    # ------------------------------------------------------------ sections

    def section(self, section: Section, level: int) -> None:
        document = self.document
        heading = document.add_heading(_clean(section.title), level=min(level, 9))
        if level == 1:
            heading.paragraph_format.page_break_before = True
        for text in section.paragraphs:
            document.add_paragraph(_clean(text))
        # A chart goes right before the table with the same numbers.
        for figure in figures_in_order(section):
            if isinstance(figure, Table):
                self.table(figure)
            else:
                self.chart(figure)
        if section.commentary:
            label = _paragraph(document, style=TABLE_TEXT)
            label.add_run(gettext("Teamets kommentar")).bold = True
            label.paragraph_format.space_before = Pt(8)
            label.paragraph_format.keep_with_next = True
            for period, text in section.commentary:
                p = _paragraph(document, style="Quote")
                p.add_run(_clean(f"{period}: ")).bold = True
                p.add_run(_clean(text))
        if section.criteria:
            self.criteria(section.criteria)
        for sub in section.subsections:
            self.section(sub, level + 1)


def _title_page(document: WordDocument, doc: ReportDocument) -> None:
    kind = _paragraph(document, _clean(doc.title), "Subtitle")
    kind.paragraph_format.space_before = Pt(120)
    _paragraph(document, _clean(doc.subtitle), "Title")
    period = document.add_paragraph()
    period.add_run(_clean(doc.period_text)).font.size = Pt(14)
    if doc.marking:
        marking = document.add_paragraph()
        run = marking.add_run(_clean(doc.marking))
        run.bold = True
        run.font.color.rgb = DISAGREES_COLOUR
    if doc.facts:
        facts = document.add_table(rows=len(doc.facts), cols=2)
        facts.style = "Table Grid"
        _table_look(facts, first_column=True, banded_rows=False)
        for row, (label, value) in zip(facts.rows, doc.facts, strict=True):
            _keep_row_whole(row)
            _write_cell(row.cells[0], label, bold=True)
            _write_cell(row.cells[1], value)
        _set_widths(facts, (4.0, 13.0))
    generated = _paragraph(
        document,
        _clean(
            gettext(
                "Dannet af fremdrift den {date}. Alle tal og vurderinger er "
                "hentet fra og beregnet ud fra de registrerede data."
            ).format(date=doc.generated_on)
        ),
        SOURCE_NOTE,
    )
    generated.paragraph_format.space_before = Pt(12)
    generated.add_run().add_break(WD_BREAK.PAGE)


def toc_entries(sections: Iterable[Section], level: int = 1) -> list[tuple[int, str]]:
    """(level, title) of every heading the TOC field lists (levels 1-3),
    in document order."""
    entries: list[tuple[int, str]] = []
    for section in sections:
        entries.append((level, _clean(section.title)))
        if level < TOC_LEVELS:
            entries += toc_entries(section.subsections, level + 1)
    return entries


def _toc_style(document: WordDocument, level: int) -> str:
    """The style id of Word's built-in "toc N" style, added when the
    template lacks it (python-docx's default template does)."""
    name = f"toc {level}"
    if name not in [s.name for s in document.styles]:
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = document.styles["Normal"]
        style.paragraph_format.left_indent = Cm(0.6 * (level - 1))
        style.paragraph_format.space_after = Pt(2)
    return str(document.styles[name].style_id)


def _update_fields_on_open(document: WordDocument) -> None:
    """``w:updateFields`` in settings.xml: Word asks to update the fields
    when it opens the file, which adds the page numbers to the table of
    contents (python-docx cannot lay out pages to know them)."""
    settings = document.settings.element
    element = settings.find(qn("w:updateFields"))
    if element is None:
        element = OxmlElement("w:updateFields")
        settings.append(element)
    element.set(qn("w:val"), "true")


def _table_of_contents(document: WordDocument, doc: ReportDocument) -> None:
    """A TOC field whose result already lists the headings (one paragraph
    per entry, in Word's "toc N" styles), so the contents read right
    before any update; Word adds the page numbers when it updates the
    field on opening."""
    _paragraph(document, gettext("Indhold"), "TOCHeading")
    entries = toc_entries(doc.sections)
    first = document.add_paragraph()
    _field_run(first, "begin")
    run = first.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {TOC_INSTRUCTION} "
    run._r.append(instr)
    _field_run(first, "separate")
    if not entries:
        first.add_run(gettext(TOC_PLACEHOLDER))
        _field_run(first, "end")
        return
    last = first
    for index, (level, title) in enumerate(entries):
        paragraph = first if index == 0 else document.add_paragraph()
        paragraph._p.style = _toc_style(document, level)
        paragraph.add_run(title)
        last = paragraph
    _field_run(last, "end")
    _update_fields_on_open(document)


@in_document_language
def render(doc: ReportDocument) -> bytes:
    document = Document()
    _setup(document, doc)
    _header_footer(document, doc)
    _title_page(document, doc)
    _table_of_contents(document, doc)
    writer = _Writer(document)
    for section in doc.sections:
        writer.section(section, 1)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
