"""Statistical discretion and the report's self-checks, on small plans
built for the purpose."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from fremdrift.core.discretion import INTERNAL_MARKING
from fremdrift.core.report_checks import ReportCheckError
from fremdrift.planfiles.services import plan_load
from fremdrift.plans.models import Plan
from fremdrift.reports.assembly import report_build

pytestmark = pytest.mark.django_db

SMALL_COUNTS = """\
indicator,population,period,value,numerator,denominator,note,flags
placed,nord,2022,3,,,,
placed,nord,2023,6,,,,
placed,syd,2022,7,,,,
placed,syd,2023,9,,,,
placed,begge,2022,10,,,,
placed,begge,2023,15,,,,
employment,nord,2022,40.5,,,,
employment,nord,2023,42.0,,,,
employment,syd,2022,44.1,,,,
"""


def _small_plan(folder: Path, observations: str = SMALL_COUNTS) -> Plan:
    plan_yaml = folder / "plan.yaml"
    text = plan_yaml.read_text(encoding="utf-8")
    text = text.replace(
        """populations:
  - slug: kommunen""",
        """populations:
  - slug: begge
    name: Nord og Syd
    kind: plan_total
    parts: [nord, syd]
  - slug: kommunen""",
    ).replace(
        """indicators:
""",
        """indicators:
  - slug: placed
    name: Personer med anbragte børn
    unit: count
    unit_label: personer
    better: lower
    counts_persons: true
    additive: true
""",
    )
    plan_yaml.write_text(text, encoding="utf-8")
    (folder / "observations.csv").write_text(observations, encoding="utf-8")
    plan_load(folder=folder)
    return Plan.objects.get(slug="eksempelby-2022-26")


def _table(doc, slug_name: str):  # type: ignore[no-untyped-def]
    def walk(sections):  # type: ignore[no-untyped-def]
        for section in sections:
            yield from section.tables
            yield from walk(section.subsections)

    return next(t for t in walk(doc.sections) if t.caption == slug_name)


def _cells(table) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    return {row[0].text: [cell.text for cell in row[1:]] for row in table.rows}


def _with_goal_indicator(folder: Path) -> None:
    plan_yaml = folder / "plan.yaml"
    plan_yaml.write_text(
        plan_yaml.read_text(encoding="utf-8").replace(
            "indicators: [employment]", "indicators: [employment, placed]"
        ),
        encoding="utf-8",
    )


def test_the_board_sees_small_counts_as_less_than_five(mini_folder: Path) -> None:
    _with_goal_indicator(mini_folder)
    plan = _small_plan(mini_folder)

    doc = report_build(plan=plan, kind="final", audience="board")

    table = _table(doc, "Personer med anbragte børn")
    cells = _cells(table)
    assert cells["Eksempelby Nord"][0] == "<5"
    # Nord's 3 could be recovered as 10 - 7: Syd's 7 is hidden as well.
    assert cells["Eksempelby Syd"][0] == "<5"
    assert cells["Nord og Syd"][0] == "10"
    # The change 2022-2023 is derived from a hidden count: hidden too.
    assert cells["Eksempelby Nord"][-1] == "–"
    assert any("under 5 er skjult af diskretionshensyn" in n for n in table.notes)
    assert doc.marking == ""


def test_the_team_sees_everything_and_the_report_says_it_is_confidential(
    mini_folder: Path,
) -> None:
    _with_goal_indicator(mini_folder)
    plan = _small_plan(mini_folder)

    doc = report_build(plan=plan, kind="final", audience="internal")

    cells = _cells(_table(doc, "Personer med anbragte børn"))
    assert cells["Eksempelby Nord"][0] == "3"
    assert doc.marking == INTERNAL_MARKING


def test_a_criterion_on_few_persons_keeps_its_verdict_but_hides_the_number(
    mini_folder: Path,
) -> None:
    plan_yaml = mini_folder / "plan.yaml"
    plan_yaml.write_text(
        plan_yaml.read_text(encoding="utf-8")
        .replace(
            "            text: 100 unikke børn deltager\n",
            "            text: 100 unikke børn deltager\n            counts_persons: true\n",
        )
        .replace(
            '              - {period: "2022", value: 40}\n              - {period: "2023", value: 70}',
            '              - {period: "2022", value: 1}\n              - {period: "2023", value: 2}',
        ),
        encoding="utf-8",
    )
    plan_load(folder=mini_folder)
    plan = Plan.objects.get()

    after = datetime.date(2027, 6, 1)
    board = report_build(plan=plan, kind="final", audience="public", as_of=after)
    internal = report_build(plan=plan, kind="final", as_of=after)

    def row(doc):  # type: ignore[no-untyped-def]
        def walk(sections):  # type: ignore[no-untyped-def]
            for s in sections:
                yield from s.criteria
                yield from walk(s.subsections)

        return next(r for r in walk(doc.sections) if r.ident == "bf-lektiecafe-boern")

    assert row(board).achieved == "<5"
    assert "vises som <5 af diskretionshensyn" in row(board).explanation
    assert row(board).outcome == row(internal).outcome
    assert "3 børn" in row(internal).explanation


def test_a_total_that_is_not_the_sum_of_its_parts_is_refused(mini_folder: Path) -> None:
    plan = _small_plan(
        mini_folder,
        SMALL_COUNTS.replace("placed,begge,2023,15", "placed,begge,2023,16"),
    )

    with pytest.raises(
        ReportCheckError, match=r"Nord og Syd is 16 but its parts .* add up to 15"
    ):
        report_build(plan=plan, kind="final")


def test_two_indicators_with_the_same_numbers_are_refused(mini_folder: Path) -> None:
    copied = SMALL_COUNTS + (
        "copied,nord,2022,40.5,,,,\ncopied,nord,2023,42.0,,,,\ncopied,syd,2022,44.1,,,,\n"
    )
    plan_yaml = mini_folder / "plan.yaml"
    plan_yaml.write_text(
        plan_yaml.read_text(encoding="utf-8").replace(
            "indicators:\n",
            "indicators:\n  - slug: copied\n    name: Kopi\n    unit: percent\n    better: higher\n",
            1,
        ),
        encoding="utf-8",
    )
    plan = _small_plan(mini_folder, copied)

    with pytest.raises(ReportCheckError, match="identical series"):
        report_build(plan=plan, kind="final")


def test_a_copy_flagged_contradictory_is_reported_not_refused(
    mini_folder: Path,
) -> None:
    copied = SMALL_COUNTS + (
        "copied,nord,2022,40.5,,,Gentager diagrammet,contradictory\n"
        "copied,nord,2023,42.0,,,Gentager diagrammet,contradictory\n"
        "copied,syd,2022,44.1,,,Gentager diagrammet,contradictory\n"
    )
    plan_yaml = mini_folder / "plan.yaml"
    plan_yaml.write_text(
        plan_yaml.read_text(encoding="utf-8").replace(
            "indicators:\n",
            "indicators:\n  - slug: copied\n    name: Kopi\n    unit: percent\n    better: higher\n",
            1,
        ),
        encoding="utf-8",
    )
    plan = _small_plan(mini_folder, copied)

    assert report_build(plan=plan, kind="final").title == "Resultatevaluering"


def test_a_chart_whose_axis_disagrees_with_its_unit_is_refused() -> None:
    from decimal import Decimal

    from fremdrift.core.model import Unit
    from fremdrift.core.report_checks import check_chart_axes
    from fremdrift.core.report_model import ChartSeries, ChartSpec

    chart = ChartSpec(
        key="charged",
        kind="grouped_bars",
        title="Sigtede",
        unit=Unit.PER_1000,
        axis_label="Andel i %",
        x_labels=("Vangdalen",),
        series=(ChartSeries("2021", (Decimal("35.9"),)),),
        caption="Sigtede",
        alt_text="",
        source="",
    )
    with pytest.raises(
        ReportCheckError, match="the axis says 'Andel i %' but the values are per_1000"
    ):
        check_chart_axes([chart])
