"""Issue 7 on the Randers Nordby final report: every criterion and key
figure where the seed prints a count and a share says whether its change is
beyond chance, with the denominators it derived; the crime rates say that
their uncertainty needs the areas' populations, and compute it once a
population is recorded; the gap to the municipality is a table and a
chart; the method section lists the methods with their references; and a
board reader gets no small count back through any of it."""

from __future__ import annotations

import datetime
import io
import shutil
from pathlib import Path

import pytest
from django.test import Client
from docx import Document
from openpyxl import load_workbook

from fremdrift.core.report_model import ReportDocument, Section, walk_sections
from fremdrift.planfiles.services import plan_load
from fremdrift.plans.models import Plan
from fremdrift.reports.assembly import report_build
from fremdrift.reports.charts import check_chart
from fremdrift.reports.renderers import RENDERERS

from ..conftest import RANDERS

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2022, 6, 1)

LANGUAGE_2_5 = (
    "Faldet fra 11 % til 8,2 % svarer til ca. 8 personer og ligger inden for "
    "den statistiske usikkerhed. Nævnerne er udledt af antal og andel (ca. 255 "
    "og ca. 293)."
)
NUSSA_LANGUAGE = (
    "Stigningen fra 7 % til 8,6 % svarer til ca. 2 personer og ligger inden "
    "for den statistiske usikkerhed. Nævnerne er udledt af antal og andel (ca. "
    "200 og ca. 140)."
)
NUSSA_SOCIAL = (
    "Faldet fra 15 % til 2,1 % svarer til ca. 18 personer og er større end den "
    "statistiske usikkerhed. Nævnerne er udledt af antal og andel (ca. 207 og "
    "ca. 143)."
)
CHARGED_10_17 = (
    "Randers Nordby, ændringen fra 2020 til 2021: Stigningen fra 1,9 % til "
    "3,1 % svarer til ca. 6 personer og ligger inden for den statistiske "
    "usikkerhed. Nævnerne er udledt af antal og andel (ca. 526 og ca. 484)."
)
WITHIN_CHANCE = "Vurderingen er usikker, fordi tilfældigheder kan forklare ændringen."
NO_POPULATION = "Usikkerheden kan ikke beregnes uden områdets befolkningstal."


def _rows(doc: ReportDocument) -> dict[str, object]:
    return {row.ident: row for s in walk_sections(doc.sections) for row in s.criteria}


def _section(doc: ReportDocument, anchor: str) -> Section:
    return next(s for s in walk_sections(doc.sections) if s.anchor == anchor)


def _table_notes(section: Section, caption_start: str) -> tuple[str, ...]:
    return next(t for t in section.tables if t.caption.startswith(caption_start)).notes


@pytest.fixture
def final(randers) -> ReportDocument:  # type: ignore[no-untyped-def]
    return report_build(plan=randers, kind="final", as_of=AS_OF)


@pytest.mark.parametrize(
    ("ident", "sentence", "within"),
    [
        ("fp-language-2-5", LANGUAGE_2_5, True),
        ("fp-nussa-language", NUSSA_LANGUAGE, True),
        ("fp-nussa-social", NUSSA_SOCIAL, False),
    ],
)
def test_each_seed_criterion_with_count_and_share_says_whether_its_change_is_real(
    final, ident: str, sentence: str, within: bool
) -> None:  # type: ignore[no-untyped-def]
    row = _rows(final)[ident]
    assert row.remarks[0] == sentence
    assert row.within_chance is within
    assert (WITHIN_CHANCE in row.remarks) is within


def test_the_charged_10_17_year_olds_are_among_the_other_key_figures(final) -> None:  # type: ignore[no-untyped-def]
    others = _section(final, "andre-noegletal")
    assert [s.anchor for s in final.sections].index("andre-noegletal") == 3
    notes = _table_notes(others, "Andel 10-17-årige sigtet")
    assert CHARGED_10_17 in notes
    table = next(t for t in others.tables if t.caption.startswith("Andel 10-17"))
    nordby = next(row for row in table.rows if row[0].text == "Randers Nordby")
    shown = {cell.text: cell.note for cell in nordby}
    assert "Nævneren er udledt af antal og andel (ca. 526)." in shown["1,9 %"]
    assert shown["3,1 %"].startswith(
        "Den statistiske usikkerhed (95 %-konfidensinterval) går fra 1,9 til 5,0"
    )
    gap = next(
        t
        for t in others.tables
        if t.caption.startswith("Forskel til Randers Kommune: Andel 10-17")
    )
    assert [c.text for c in gap.rows[0]][-1] == "nej"
    # The goals' indicators and the residents behind rates are not repeated.
    assert not any(t.caption.startswith("Andel 18-29") for t in others.tables)


def test_the_crime_rates_say_their_uncertainty_needs_the_population(final) -> None:  # type: ignore[no-untyped-def]
    safety = _section(final, "maal-øget-tryghed-i-boligområderne")
    notes = _table_notes(safety, "Antal sigtede personer pr. 1000")
    assert f"Ændringen fra 2020 til 2021: {NO_POPULATION}" in notes
    rows = _rows(final)
    for ident in (
        "goal-safety-charged-vangdalen",
        "goal-safety-convictions-glarbjergvej",
    ):
        assert rows[ident].remarks == (NO_POPULATION,)
        assert rows[ident].within_chance is None


def test_the_gap_to_the_municipality_is_tabled_and_drawn(final) -> None:  # type: ignore[no-untyped-def]
    safety = _section(final, "maal-øget-tryghed-i-boligområderne")
    gap = next(
        t
        for t in safety.tables
        if t.caption == "Forskel til Randers Kommune: Antal sigtede personer pr. "
        "1000 indbyggere"
    )
    vangdalen = next(row for row in gap.rows if row[0].text == "Vangdalen")
    # 21,0 - 10,5 in 2017 and 35,9 - 12,2 in 2021.
    assert [c.text for c in vangdalen] == [
        "Vangdalen",
        "+10,5",
        "+23,7",
        "+13,2",
        "kan ikke beregnes",
    ]
    charts = {c.key: c for c in safety.charts}
    chart = charts["charged-per-1000-forskel"]
    assert chart.axis_label == "Forskel i personer pr. 1.000 beboere"
    assert chart.x_labels == ("2017", "2018", "2019", "2020", "2021")
    check_chart(chart)
    html = RENDERERS["html"](final).decode()
    assert 'id="diagram-charged-per-1000-forskel' in html
    assert "Ændring af forskellen" in html


def test_the_method_section_lists_the_statistical_methods_with_references(
    final,
) -> None:  # type: ignore[no-untyped-def]
    method = _section(final, "metode")
    texts = method.paragraphs
    start = next(
        i for i, t in enumerate(texts) if t.startswith("Statistisk usikkerhed")
    )
    notes = texts[start + 1 :]
    assert (
        "Usikkerheden på en andel er Wilsons scoreinterval (Wilson 1927; Newcombe 1998a)."
        in notes
    )
    assert any("(Campbell 2007)" in t for t in notes)
    assert any("(Newcombe 1998b)" in t for t in notes)
    assert any("Wing, Simon & Bello-Gomez 2018" in t for t in notes)


@pytest.mark.slow
def test_the_sentences_reach_every_format(final) -> None:  # type: ignore[no-untyped-def]
    html = RENDERERS["html"](final).decode()
    assert NUSSA_SOCIAL in html
    assert CHARGED_10_17 in html
    document = Document(io.BytesIO(RENDERERS["docx"](final)))
    text = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        c.text for t in document.tables for row in t.rows for c in row.cells
    )
    assert NUSSA_SOCIAL in text
    workbook = load_workbook(io.BytesIO(RENDERERS["xlsx"](final)))
    cells = {
        str(cell.value)
        for ws in workbook.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.value
    }
    assert any(NUSSA_SOCIAL in c for c in cells)
    assert CHARGED_10_17 in cells


# ---------------------------------------------------------------- populations


def _with_residents(folder: Path, rows: list[tuple[str, str, int]]) -> None:
    """A ``residents`` count indicator, recorded for ``rows`` (population,
    period, residents), as the denominator of both crime rates."""
    plan = folder / "plan.yaml"
    text = plan.read_text(encoding="utf-8")
    residents = (
        "- slug: residents\n"
        "  name: Beboere\n"
        "  unit: count\n"
        "  unit_label: beboere\n"
        "  better: none\n"
        "  source: Danmarks Statistik\n"
        "  notes: []\n"
    )
    for rate in ("convictions-per-1000", "charged-per-1000"):
        marker = f"- slug: {rate}\n"
        assert marker in text
        text = text.replace(marker, f"{marker}  denominator_indicator: residents\n")
    text = text.replace(
        "- slug: convictions-per-1000\n", residents + "- slug: convictions-per-1000\n"
    )
    plan.write_text(text, encoding="utf-8")
    with (folder / "observations.csv").open("a", encoding="utf-8") as out:
        for population, period, count in rows:
            out.write(f"residents,{population},{period},{count},,,,\n")


@pytest.fixture
def recorded(db, tmp_path: Path) -> Plan:  # type: ignore[no-untyped-def]
    folder = tmp_path / "randers"
    shutil.copytree(RANDERS, folder)
    _with_residents(
        folder,
        [
            ("vangdalen", "2017", 357),
            ("vangdalen", "2020", 360),
            ("vangdalen", "2021", 362),
            ("glarbjergvej", "2020", 400),
            ("glarbjergvej", "2021", 400),
        ],
    )
    plan_load(folder=folder)
    return Plan.objects.get(slug="randers-nordby-2017-21")


def test_a_recorded_population_gives_the_rates_their_uncertainty(recorded) -> None:  # type: ignore[no-untyped-def]
    doc = report_build(plan=recorded, kind="final", as_of=AS_OF)
    safety = _section(doc, "maal-øget-tryghed-i-boligområderne")
    notes = _table_notes(safety, "Antal sigtede personer pr. 1000")
    assert (
        "Vangdalen, ændringen fra 2020 til 2021: Stigningen fra 22,2 til 35,9 "
        "pr. 1.000 beboere svarer til ca. 5 personer og ligger inden for den "
        "statistiske usikkerhed. Antallene er udledt af raterne og "
        "befolkningstallene (ca. 8 og ca. 13)."
    ) in notes
    # The areas without a population still say what is missing.
    assert f"Gl. Jennumparken, ændringen fra 2020 til 2021: {NO_POPULATION}" in notes
    # The criterion judged from 2017 to 2021 is tested too.
    row = _rows(doc)["goal-safety-charged-vangdalen"]
    assert row.remarks[0].startswith(
        "Stigningen fra 21 til 35,9 pr. 1.000 beboere svarer til ca. "
    )
    assert (
        "Antallene er udledt af raterne og befolkningstallene (ca. 7 og ca. 13)."
        in row.remarks[0]
    )
    assert row.within_chance is not None
    # The residents are a denominator, not a key figure of their own.
    others = _section(doc, "andre-noegletal")
    assert not any(t.caption == "Beboere" for t in others.tables)


# ---------------------------------------------------------------- discretion


def test_a_board_report_gives_no_small_count_back(recorded) -> None:  # type: ignore[no-untyped-def]
    team = report_build(plan=recorded, kind="final", as_of=AS_OF)
    board = report_build(plan=recorded, kind="final", as_of=AS_OF, audience="board")

    social = _rows(board)["fp-nussa-social"]
    assert social.remarks[0] == (
        "Faldet fra 15 % til 2,1 % er større end den statistiske usikkerhed. "
        "Antal personer og nævnere vises ikke af diskretionshensyn, fordi "
        "tallene er små."
    )
    assert social.within_chance is False
    # 1,3 per 1000 of 400 residents is about one person convicted.
    caption = "Antal afgørelser, personer pr. 1000"
    team_notes = _table_notes(
        _section(team, "maal-øget-tryghed-i-boligområderne"), caption
    )
    board_notes = _table_notes(
        _section(board, "maal-øget-tryghed-i-boligområderne"), caption
    )
    assert any("ca. 8 og ca. 1)" in n for n in team_notes)
    glarbjergvej = next(
        n for n in board_notes if n.startswith("Glarbjergvej-området, ændringen")
    )
    assert glarbjergvej == (
        "Glarbjergvej-området, ændringen fra 2020 til 2021: Faldet fra 18,8 til "
        "1,3 pr. 1.000 beboere er større end den statistiske usikkerhed. Antal "
        "personer og nævnere vises ikke af diskretionshensyn, fordi tallene er "
        "små."
    )
    board_html = RENDERERS["html"](board).decode()
    assert "ca. 18 personer" not in board_html
    # The denominator behind 3 = 2,1 % would give the 3 back (143 x 2,1 %);
    # the one behind 31 = 15 % gives nothing small away.
    assert "ca. 143" in RENDERERS["html"](team).decode()
    assert "ca. 143" not in board_html
    assert "ca. 8 og ca. 1)" not in board_html


def test_the_plan_page_marks_verdicts_chance_explains(client: Client, randers) -> None:  # type: ignore[no-untyped-def]
    text = client.get(randers.get_absolute_url()).content.decode()
    assert "kan skyldes tilfældigheder" in text
    assert LANGUAGE_2_5 in text
    # An anonymous visitor reads the board's version.
    assert "Faldet fra 15 % til 2,1 % er større end den statistiske usikkerhed." in text
    assert "ca. 18 personer" not in text
