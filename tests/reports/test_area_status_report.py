"""Each area's status under the law in the reports and on the plan page:
the section "Områdets status efter almenboligloven" in the annual and
final reports in all four formats, cut at an annual report's year, not
in a progress report nor in a plan that follows none of the law's
figures, and shown on the plan page."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from fremdrift.areastatus.selectors import plan_area_statuses
from fremdrift.planfiles.services import plan_load
from fremdrift.plans.models import Plan
from fremdrift.reports.assembly import report_build
from fremdrift.reports.renderers import RENDERERS

from .test_no_small_counts_leak import _text

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
TITLE = "Områdets status efter almenboligloven"


@pytest.fixture
def eksempelby() -> Plan:
    plan_load(folder=ROOT / "examples" / "eksempelby-2025-29")
    return Plan.objects.get(slug="eksempelby-2025-29")


def _section_titles(plan: Plan, **request: object) -> list[str]:
    document = report_build(plan=plan, **request)  # type: ignore[arg-type]
    return [section.title for section in document.sections]


@pytest.mark.slow
@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_the_annual_report_shows_each_areas_status_in_every_format(
    eksempelby: Plan, fmt: str
) -> None:
    document = report_build(plan=eksempelby, kind="annual", year=2025, audience="board")
    text = " ".join(_text(fmt, RENDERERS[fmt](document)).split())
    assert TITLE in text
    for area in ("Solsikkeparken", "Kløvervangen", "Valmuegården"):
        assert f"Status pr. 1. december, {area}" in text
        assert f"Næste liste 1. december 2026, {area}" in text
    # The status table's last list, in every format.
    assert "2025 | nej/ja" in text if fmt == "xlsx" else "2025 nej/ja" in text
    assert "forebyggelsesområde (5. år i træk)" in text
    if fmt != "xlsx":  # a workbook holds the tables, not the text
        assert "1. december 2025 var Solsikkeparken forebyggelsesområde" in text
        # The board reads no distance of 1-4 persons.
        assert "Under 5 færre dømte beboere i 2025" in text


def test_the_section_follows_the_overall_goals_in_annual_and_final_reports(
    eksempelby: Plan,
) -> None:
    for request in ({"kind": "annual", "year": 2025}, {"kind": "final"}):
        titles = _section_titles(eksempelby, **request)
        goals = titles.index("Resultater på de overordnede mål")
        assert titles[goals + 1] == TITLE
    progress = _section_titles(eksempelby, kind="progress", year=2026, tertial=1)
    assert TITLE not in progress


def test_an_annual_report_reads_only_the_figures_of_its_year_and_before(
    eksempelby: Plan,
) -> None:
    document = report_build(plan=eksempelby, kind="annual", year=2025)
    section = next(s for s in document.sections if s.title == TITLE)
    area = section.subsections[0]
    assert area.tables[0].rows[-1][0].text == "2025"
    assert area.tables[-1].caption.startswith("Næste liste 1. december 2026")
    # Cut at 2022, the figures judge the lists up to 2022's, and the
    # outlook is for 2023's, projected from the figures known then.
    cut = plan_area_statuses(plan=eksempelby, last_year=2022)
    full = plan_area_statuses(plan=eksempelby)
    for before, after in zip(cut, full, strict=True):
        assert before.history[-1].list_year == 2022
        assert before.history == after.history[: len(before.history)]
        assert before.outlook is not None and before.outlook.list_year == 2023


def test_a_plan_without_the_laws_figures_has_no_such_section() -> None:
    plan_load(folder=ROOT / "examples" / "randers-nordby-2017-21")
    plan = Plan.objects.get(slug="randers-nordby-2017-21")
    assert TITLE not in _section_titles(plan, kind="final")
    assert TITLE not in _section_titles(plan, kind="annual", year=2019)


def test_the_plan_page_shows_each_areas_status(eksempelby: Plan) -> None:
    # A visitor who is not signed in reads the board's version.
    page = Client().get(f"/planer/{eksempelby.slug}/").content.decode()
    assert f"<h2>{TITLE}</h2>" in page
    assert "Status pr. 1. december, Kløvervangen" in page
    # The goal tree above lists goals and effort areas, not the areas.
    tree = page[page.index("Målhierarki") : page.index(TITLE)]
    assert f"<strong>{TITLE}</strong>" not in tree
    assert "Under 5 færre dømte beboere" in page
