"""Layout a reader expects: no page holds only a heading, empty sections
are left out, charts draw their targets, a running count gets its
cumulative chart, the summary counts running criteria by pace."""

from __future__ import annotations

import datetime
import subprocess
from decimal import Decimal

import pytest

from fremdrift.core.model import Unit
from fremdrift.core.report_model import (
    ChartBand,
    ChartSeries,
    ChartSpec,
    ReferenceLine,
    ReportDocument,
    Section,
    Table,
    figures_in_order,
    walk_sections,
    without_empty,
)
from fremdrift.planfiles.services import plan_load
from fremdrift.plans.models import Plan
from fremdrift.reports.assembly import report_build
from fremdrift.reports.charts import ChartError, render_svg
from fremdrift.reports.renderers import RENDERERS
from fremdrift_demo.eksempelby import registrations_generate

from ..conftest import ROOT

EKSEMPELBY = ROOT / "examples" / "eksempelby-2025-29"


def _chart(**kwargs: object) -> ChartSpec:
    fields: dict[str, object] = {
        "key": "k",
        "kind": "grouped_bars",
        "title": "Beskæftigede",
        "unit": Unit.PERCENT,
        "axis_label": "Andel i %",
        "x_labels": ("Nord", "Syd"),
        "series": (ChartSeries("2021", (Decimal(40), Decimal(50))),),
        "caption": "Beskæftigede",
        "alt_text": "Søjlediagram",
        "source": "",
    }
    fields.update(kwargs)
    return ChartSpec(**fields)  # type: ignore[arg-type]


# ---------------------------------------------------------------- model


def test_empty_sections_are_left_out_at_any_depth() -> None:
    sections = (
        Section(title="Indledning", anchor="indledning"),
        Section(
            title="Indsatsområder",
            anchor="indsats",
            subsections=(
                Section(title="Tom", anchor="tom"),
                Section(title="Med tekst", anchor="tekst", paragraphs=("Tekst.",)),
            ),
        ),
        Section(
            title="Kun tomme",
            anchor="kun-tomme",
            subsections=(Section(title="Tom", anchor="tom"),),
        ),
    )
    kept = without_empty(sections)
    assert [s.title for s in kept] == ["Indsatsområder"]
    assert [s.title for s in kept[0].subsections] == ["Med tekst"]


def test_an_activity_section_is_kept_even_without_text() -> None:
    activity = Section(title="Tællecafé", anchor="taellecafe", key="taellecafe")
    area = Section(title="Børn", anchor="boern", subsections=(activity,))
    assert without_empty((area,)) == (area,)


def test_a_chart_comes_right_before_the_table_with_its_numbers() -> None:
    first = Table(caption="Beskæftigede", columns=("Område",), rows=())
    second = Table(caption="Forskel", columns=("Område",), rows=())
    chart = _chart(caption="Beskæftigede")
    other = _chart(key="o", caption="Noget andet")
    section = Section(
        title="Mål", anchor="maal", tables=(first, second), charts=(other, chart)
    )
    assert figures_in_order(section) == (chart, first, second, other)


# ---------------------------------------------------------------- charts


def test_a_chart_draws_its_target_and_baseline_as_labelled_lines() -> None:
    spec = _chart(
        reference_lines=(
            ReferenceLine("target", Decimal(45), "Mål for Nord: 45 %", "Nord"),
            ReferenceLine("baseline", Decimal(38), "Baseline for Nord: 38 %", "Nord"),
        )
    )
    svg = render_svg(spec)
    assert "Mål for Nord: 45 %" in svg
    assert "Baseline for Nord: 38 %" in svg
    # The target's colour (a solid red line) is drawn; without the lines it
    # is not.
    assert "#b3261e" in svg
    assert "#b3261e" not in render_svg(_chart())


def test_a_reference_line_of_an_unknown_kind_is_refused() -> None:
    spec = _chart(reference_lines=(ReferenceLine("goal", Decimal(1), "Mål"),))
    with pytest.raises(ChartError, match="unknown reference line kind"):
        render_svg(spec)


def test_a_band_needs_a_value_per_x_label() -> None:
    spec = _chart(
        kind="cumulative",
        unit=Unit.COUNT,
        axis_label="Antal børn",
        bands=(ChartBand("Prognose", (None,), (None,)),),
    )
    with pytest.raises(ChartError, match="band"):
        render_svg(spec)


# ---------------------------------------------------------------- reports


@pytest.mark.django_db
def test_the_final_reports_goal_charts_carry_their_criteria_targets(randers) -> None:  # type: ignore[no-untyped-def]
    doc = report_build(plan=randers, kind="final", as_of=datetime.date(2022, 6, 1))
    lines = [
        line
        for section in walk_sections(doc.sections)
        for chart in section.charts
        for line in chart.reference_lines
    ]
    targets = [line for line in lines if line.kind == "target"]
    assert len(targets) >= 5
    assert all(t.label.startswith(f"Mål for {t.x_label}: ") for t in targets)
    # A baseline that is the target itself (below_baseline) is drawn once.
    pairs = {(line.x_label, line.value, line.kind) for line in lines}
    assert not any((x, v, "target") in pairs for x, v, k in pairs if k == "baseline")


@pytest.mark.django_db
def test_the_public_report_draws_no_line_that_gives_a_hidden_count(randers) -> None:  # type: ignore[no-untyped-def]
    internal = report_build(plan=randers, kind="final", as_of=datetime.date(2022, 6, 1))
    public = report_build(
        plan=randers,
        kind="final",
        as_of=datetime.date(2022, 6, 1),
        audience="public",
    )

    def labels(doc: ReportDocument) -> set[str]:
        return {
            line.label
            for section in walk_sections(doc.sections)
            for chart in section.charts
            for line in chart.reference_lines
        }

    assert labels(public) <= labels(internal)
    for label in labels(public):
        number = label.rsplit(": ", 1)[1].split()[0]
        if "personer" in label and "," not in number:
            assert int(number.replace(".", "")) >= 5


@pytest.mark.django_db
def test_a_plan_without_an_introduction_gets_no_introduction_section(mini) -> None:  # type: ignore[no-untyped-def]
    Plan.objects.filter(pk=mini.pk).update(introduction="")
    doc = report_build(plan=mini, kind="final", as_of=datetime.date(2027, 3, 1))
    assert "indledning" not in [s.anchor for s in doc.sections]
    assert all(
        s.paragraphs or s.tables or s.charts or s.criteria or s.subsections
        for s in walk_sections(doc.sections)
    )


@pytest.fixture
def eksempelby(db) -> Plan:  # type: ignore[no-untyped-def]
    plan_load(folder=EKSEMPELBY)
    plan = Plan.objects.get(slug="eksempelby-2025-29")
    registrations_generate(plan=plan, until=datetime.date(2026, 11, 1))
    return plan


@pytest.mark.slow
@pytest.mark.django_db
def test_the_progress_report_charts_each_running_count_against_its_pace(
    eksempelby: Plan,
) -> None:
    doc = report_build(plan=eksempelby, kind="progress", year=2026, tertial=2)
    charts = [
        chart
        for section in walk_sections(doc.sections)
        for chart in section.charts
        if chart.kind == "cumulative"
    ]
    assert charts
    chart = charts[0]
    registered, pace = chart.series
    assert pace.role == "pace"
    # Counted up: never falls, and stops at the day of judgement.
    shown = [v for v in registered.values if v is not None]
    assert shown == sorted(shown)
    assert registered.values[-1] is None
    # The pace runs from near zero to the target at the end.
    (target,) = chart.reference_lines
    assert pace.values[-1] == target.value
    assert pace.values[0] is not None and pace.values[0] < target.value / 10
    # The forecast band starts where the registrations stop.
    (band,) = chart.bands
    first = next(i for i, v in enumerate(band.low) if v is not None)
    assert registered.values[first] is not None
    assert registered.values[first + 1] is None
    assert all(
        lo <= hi
        for lo, hi in zip(band.low, band.high, strict=True)
        if lo is not None and hi is not None
    )
    assert "<svg" in RENDERERS["html"](doc).decode("utf-8")


@pytest.mark.slow
@pytest.mark.django_db
def test_the_summary_counts_the_running_criteria_by_pace(eksempelby: Plan) -> None:
    doc = report_build(plan=eksempelby, kind="progress", year=2026, tertial=2)
    counts = {value: n for value, _label, n in doc.pace_counts}
    assert set(counts) == {"on_track", "at_risk", "off_track"}
    # Every criterion still in progress has a pace, and no other has one.
    outcomes = {value: n for value, _label, n in doc.outcome_counts}
    assert sum(counts.values()) == outcomes["pending"] > 0
    assert all(counts.values())
    summary = next(s for s in doc.sections if s.anchor == "opsummering")
    table = next(t for t in summary.tables if t.columns[0] == "Fremdrift")
    assert [row[0].text for row in table.rows] == [
        "I rute",
        "I risiko",
        "Bagud",
        "I alt",
    ]
    assert table.rows[-1][1].value == sum(counts.values())


# ---------------------------------------------------------------- PDF


def _page_texts(pdf: bytes, tmp_path) -> list[str]:  # type: ignore[no-untyped-def]
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(
        ["pdfinfo", str(path)], capture_output=True, text=True, check=True
    ).stdout
    pages = int(
        next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1]
    )
    return [
        subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for n in range(1, pages + 1)
    ]


# The running header (plan name) and footer ("Side N af M") are on every
# page; a page that holds only a heading has a handful of words besides.
FEWEST_WORDS = 25


@pytest.mark.slow
@pytest.mark.django_db
def test_no_page_of_the_randers_final_pdf_holds_only_a_heading(
    randers, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    doc = report_build(
        plan=randers,
        kind="final",
        as_of=datetime.date(2022, 6, 1),
        audience="board",
    )
    headings = {s.title for s in walk_sections(doc.sections)} | {"Succeskriterier"}
    # "Side N af M"
    furniture = len(doc.plan_name.split()) + 4
    texts = _page_texts(RENDERERS["pdf"](doc), tmp_path)
    assert len(texts) > 20
    thin = [
        (number, text.split())
        for number, text in enumerate(texts, start=1)
        if len(text.split()) - furniture < FEWEST_WORDS
    ]
    # The last page may end a section with a few lines; no page may be a
    # heading alone.
    for number, words in thin:
        body = " ".join(words)
        assert not any(
            heading in body and len(words) - furniture <= len(heading.split()) + 2
            for heading in headings
        ), f"page {number} holds only a heading: {body!r}"
