"""The side-by-side table of the cross-plan overview, without a database."""

from __future__ import annotations

from decimal import Decimal

import pytest

from fremdrift.core.cross_plan import ComparisonColumn, comparison_table
from fremdrift.core.discretion import suppress_series
from fremdrift.core.model import DataPoint, Flag, Period, Unit
from fremdrift.core.periods import parse_period
from fremdrift.core.report_model import IndicatorSeries


def point(
    code: str, value: str | None, flags: frozenset[Flag] = frozenset()
) -> DataPoint:
    period = parse_period(code)
    return DataPoint(
        period=Period(code, period.start, period.end),
        value=None if value is None else Decimal(value),
        flags=flags,
    )


def series(
    unit: Unit = Unit.PERCENT, **populations: tuple[DataPoint, ...]
) -> IndicatorSeries:
    return IndicatorSeries(
        slug="employment", name="Beskæftigelse", unit=unit, unit_label="",
        source="Fiktiv", measured="", notes=(),
        populations=tuple(populations.items()),
    )  # fmt: skip


A = series(nord=(point("2021", "40.5"), point("2023", "42")))
B = series(
    syd=(point("2022", "44.1"), point("2020/21", "39")),
    kommune=(point("2022", None, frozenset({Flag.MISSING})),),
)


def test_a_row_per_period_by_its_end_and_a_dash_where_a_column_lacks_it() -> None:
    table = comparison_table(
        [
            ComparisonColumn("A", "nord", A),
            ComparisonColumn("B", "syd", B),
            ComparisonColumn("B", "kommune", B, comparison=True),
        ]
    )
    assert table.columns == ("Andel i %", "nord (A)", "syd (B)", "kommune (B)")
    assert [[c.text for c in row] for row in table.rows] == [
        ["skoleåret 2020/21", "–", "39 %", "–"],
        ["2021", "40,5 %", "–", "–"],
        ["2022", "–", "44,1 %", "mangler"],
        ["2023", "42 %", "–", "–"],
    ]


@pytest.mark.parametrize(
    ("first", "last", "shown"),
    [
        (None, None, ["skoleåret 2020/21", "2021", "2022", "2023"]),
        # A school year counts as the year it ends in.
        (2021, 2021, ["skoleåret 2020/21", "2021"]),
        (2022, None, ["2022", "2023"]),
        (None, 2020, []),
    ],
)
def test_the_years_are_those_the_periods_end_in(
    first: int | None, last: int | None, shown: list[str]
) -> None:
    table = comparison_table(
        [ComparisonColumn("A", "nord", A), ComparisonColumn("B", "syd", B)],
        first_year=first,
        last_year=last,
    )
    assert [row[0].text for row in table.rows] == shown


def test_columns_of_different_units_name_their_own() -> None:
    counts = series(Unit.COUNT, nord=(point("2022", "12"),))
    table = comparison_table(
        [ComparisonColumn("A", "nord", A), ComparisonColumn("C", "nord", counts)]
    )
    assert table.columns == ("Periode", "nord (A): Andel i %", "nord (C): Antal")


def test_a_hidden_count_is_printed_as_the_reports_print_it() -> None:
    persons = IndicatorSeries(
        slug="placements", name="Anbragte", unit=Unit.COUNT, unit_label="",
        source="", measured="", notes=(), counts_persons=True,
        populations=(("nord", (point("2023", "3"),)), ("syd", (point("2023", "0"),))),
    )  # fmt: skip
    hidden = suppress_series(persons, 5)
    table = comparison_table(
        [ComparisonColumn("A", "nord", hidden), ComparisonColumn("A", "syd", hidden)]
    )
    assert [c.text for c in table.rows[0]] == ["2023", "<5", "0"]
    assert table.rows[0][1].value is None
    assert any("diskretionshensyn" in note for note in table.notes)


def test_no_columns_give_an_empty_table() -> None:
    table = comparison_table([], notes=["B følger ikke dette nøgletal."])
    assert table.rows == ()
    assert table.notes == ("B følger ikke dette nøgletal.",)


def test_a_period_is_one_row_across_plans() -> None:
    same = series(syd=(point("2021", "50"),))
    table = comparison_table(
        [ComparisonColumn("A", "nord", A), ComparisonColumn("B", "syd", same)],
        first_year=2021,
        last_year=2021,
    )
    assert [[c.text for c in row] for row in table.rows] == [["2021", "40,5 %", "50 %"]]
