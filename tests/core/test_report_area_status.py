"""The report's section "Områdets status efter almenboligloven", built by
the core from an area's lists and the next list's outlook: the status
table's answers (ja, nej, ? and two answers where a
forebyggelsesområde's threshold applies too), the latest list's
criteria with their figures and thresholds, the outlook's sentences
with distances hidden under discretion, and one chart per figure with
the law's threshold as its own series."""

from __future__ import annotations

from decimal import Decimal

from fremdrift.core.area_forecast import next_list_outlook
from fremdrift.core.area_status import (
    AreaFigures,
    rule_versions,
    status_history,
    version_in_force,
)
from fremdrift.core.report_area_status import (
    AreaStatusInput,
    LawStatusInput,
    area_status_section,
)
from fremdrift.core.report_model import Section, Table
from fremdrift.core.uncertainty import UncertaintySettings

D = Decimal
VERSIONS = rule_versions()


def _series(first: int, values: list[str]) -> dict[int, Decimal]:
    return {first + i: D(v) for i, v in enumerate(values)}


def _area(
    attachment: list[str], *, residents: str = "1500", first: int = 2016
) -> AreaFigures:
    """An area whose share without attachment moves as given from
    ``first``, with other figures that meet the 2021 criterion for
    schooling, and for income only a forebyggelsesområde's, and a
    non-Western share of 40 % (never a parallelsamfund)."""
    years = len(attachment)
    return AreaFigures(
        values={
            "residents": _series(first, [residents] * (years + 1)),
            "non_western": _series(first, ["40"] * (years + 1)),
            "without_attachment": _series(first, attachment),
            "convicted": _series(first, ["1"] * years),
            "basic_schooling": _series(first, ["65"] * years),
            "income": _series(first, ["60"] * years),
            "population_18_64": _series(first, ["1000"] * years),
        },
        national={"convicted": _series(first, ["1"] * years)},
        region={"income": _series(first, ["100"] * years)},
    )


def _input(name: str, figures: AreaFigures, last: int) -> AreaStatusInput:
    history = tuple(status_history(VERSIONS, figures, range(2017, last + 1)))
    upcoming = version_in_force(VERSIONS, last + 1)
    assert upcoming is not None
    outlook = next_list_outlook(upcoming, figures, last + 1, history[-1])
    return AreaStatusInput(name, history, outlook)


def _table(section: Section, caption_start: str) -> Table:
    return next(
        t
        for sub in section.subsections
        for t in sub.tables
        if t.caption.startswith(caption_start)
    )


def _column(table: Table, name: str) -> list[str]:
    index = table.columns.index(name)
    return [row[index].text for row in table.rows]


def test_no_figures_of_the_law_no_section() -> None:
    assert area_status_section(None) is None
    assert (
        area_status_section(LawStatusInput((AreaStatusInput("Tomt", (), None),)))
        is None
    )


def test_the_status_table_answers_each_criterion_on_each_list() -> None:
    # 2016-2025: 45 % without attachment, then 41 %, 40 % exactly, 38 %.
    figures = _area(["45"] * 6 + ["41", "40", "40", "38"])
    section = area_status_section(
        LawStatusInput((_input("Nordparken", figures, 2025),))
    )
    assert section is not None
    assert section.title == "Områdets status efter almenboligloven"
    table = _table(section, "Status pr. 1. december, Nordparken")
    lists = _column(table, "Liste")
    assert lists[0] == "2017"
    # The rules changed on the lists of 2018 and 2021.
    assert "2018 *" in lists and "2021 *" in lists
    years = [label.split()[0] for label in lists]
    attachment = dict(zip(years, _column(table, "Uden tilknytning"), strict=True))
    # From 2021 the figure is also held against the forebyggelsesområde's
    # 30 %: two answers. The list of 2025 averages 2023 and 2024: 40 % and
    # 40 % do not exceed 40 %. The list of 2017 would need 2015.
    assert attachment["2017"] == "?"
    assert attachment["2018"] == "ja"
    assert attachment["2024"] == "ja/ja"
    assert attachment["2025"] == "nej/ja"
    status = dict(zip(years, _column(table, "Status"), strict=True))
    assert status["2024"] == "udsat boligområde (7. år i træk)"
    # A forebyggelsesområde on every list since the status came in 2021.
    assert status["2025"] == "forebyggelsesområde (5. år i træk)"
    assert table.text_columns == (table.columns.index("Status"),)


def test_a_list_that_cannot_be_decided_says_so() -> None:
    # The first list (2017) averages 2015 and 2016; only 2016 is there.
    figures = _area(["45", "45", "45"], first=2016)
    history = tuple(status_history(VERSIONS, figures, range(2017, 2019)))
    section = area_status_section(
        LawStatusInput((AreaStatusInput("Sydparken", history, None),))
    )
    assert section is not None
    table = _table(section, "Status pr. 1. december")
    first = dict(zip(table.columns, (c.text for c in table.rows[0]), strict=True))
    assert first["Uden tilknytning"] == "?"
    assert first["Dømte"] == "?"


def test_the_latest_list_gives_each_figure_its_threshold_and_the_residents() -> None:
    figures = _area(["45"] * 10)
    section = area_status_section(
        LawStatusInput((_input("Nordparken", figures, 2025),))
    )
    assert section is not None
    table = _table(section, "Kriterierne 1. december 2025, Nordparken")
    rows = {row[0].text: [c.text for c in row[1:]] for row in table.rows}
    assert rows["Beboere pr. 1. januar"] == ["1.500", "2025", "≥ 1.000", "opfyldt"]
    assert rows["Uden tilknytning"] == [
        "45,0 %",
        "gennemsnit 2023-2024",
        "> 40,0 %",
        "opfyldt",
    ]
    assert rows["Indkomst (forebyggelse)"][2] == "< 65 kr."
    assert rows["Ikke-vestlig baggrund"][3] == "ikke opfyldt"


def test_the_outlook_in_words_hides_a_small_distance_from_the_board() -> None:
    # Figures to 2023. The next list (2025) averages 2023, known (40.2 %),
    # and 2024, to come: 4 of 1,000 more in work in 2024 bring the mean
    # to 40 %, which does not exceed 40 %.
    figures = _area(["41", "40.6", "40.4", "40.3", "40.2", "40.2", "40.2", "40.2"])
    area = _input("Nordparken", figures, 2024)
    team = area_status_section(LawStatusInput((area,)))
    board = area_status_section(
        LawStatusInput((area,)), UncertaintySettings(discretion=5)
    )
    assert team is not None and board is not None
    team_text = " ".join(team.subsections[0].paragraphs)
    board_text = " ".join(board.subsections[0].paragraphs)
    assert "Næste liste 1. december 2025" in team_text
    distance = "18-64-årige i job eller uddannelse i 2024"
    assert f". 4 flere {distance}" in team_text
    assert f". Under 5 flere {distance}" in board_text
    assert f". 4 flere {distance}" not in board_text
    # A distance of 5 or more is no small count: the board sees it.
    assert f". 204 flere {distance}" in board_text
    outlook = _table(board, "Næste liste 1. december 2025")
    assert outlook.columns[-1] == "Chance for opfyldt"


def test_one_chart_per_figure_with_the_threshold_as_a_series() -> None:
    areas = [
        _input("Nordparken", _area(["45"] * 10), 2025),
        _input("Sydparken", _area(["35"] * 10), 2025),
    ]
    section = area_status_section(LawStatusInput(tuple(areas)))
    assert section is not None
    charts = {chart.key: chart for chart in section.charts}
    chart = charts["lovstatus-without_attachment"]
    names = [s.name for s in chart.series]
    assert names == [
        "Nordparken",
        "Sydparken",
        "Grænse for udsat boligområde",
        "Grænse for forebyggelsesområde",
    ]
    thresholds = {s.name: s for s in chart.series if s.role == "threshold"}
    years = list(chart.x_labels)
    # The forebyggelsesområde's threshold exists from the list of 2021.
    prevention = thresholds["Grænse for forebyggelsesområde"].values
    assert prevention[years.index("2020")] is None
    assert prevention[years.index("2021")] == D("30")
    assert thresholds["Grænse for udsat boligområde"].values[0] == D("40")
    assert chart.unit.value == "percent" and "%" in chart.axis_label
    assert charts["lovstatus-income"].axis_label == "Gennemsnit, kr."
