"""What the statistics add to verdicts and report blocks, without a
database: the change a criterion is judged on, thin data, forecasts, the
gap to the comparison population, the method note, and discretion.

The seed's rows are the Randers Nordby 2017-21 final evaluation's criteria
that print a count and a share (tests/core/test_change.py has the same
numbers at the level of the statistics core).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from fremdrift.core.forecast import SCHOOL_YEAR_SEASON
from fremdrift.core.model import (
    NO_TARGET,
    Aggregation,
    CriterionKind,
    CriterionSpec,
    DataPoint,
    Flag,
    JudgementContext,
    NumberTarget,
    Outcome,
    ReduceByTarget,
    Unit,
)
from fremdrift.core.periods import parse_period
from fremdrift.core.plan_model import CriterionInput, judge_all, verdict_record
from fremdrift.core.report_checks import check_chart_axes
from fremdrift.core.report_indicators import (
    comparable,
    goal_section,
    indicator_statistics,
    last_two,
    method_paragraphs,
    report_results,
)
from fremdrift.core.report_model import GoalInput, IndicatorSeries
from fremdrift.core.stats import Method
from fremdrift.core.uncertainty import (
    HIDDEN_UNCERTAINTY,
    TEAM_SETTINGS,
    UncertaintySettings,
    change_text,
    criterion_statistics,
    follows_school_year,
    persons_behind,
)
from fremdrift.reports.charts import check_chart, render_svg

D = Decimal
FINISHED = JudgementContext(date(2017, 6, 1), date(2021, 6, 30), date(2022, 6, 1))
BOARD = UncertaintySettings(discretion=5)


def pt(code, value, numerator=None, denominator=None, flags=()):  # type: ignore[no-untyped-def]
    return DataPoint(
        period=parse_period(code),
        value=None if value is None else D(value),
        numerator=None if numerator is None else D(numerator),
        denominator=None if denominator is None else D(denominator),
        flags=frozenset(flags),
    )


def reduce_by_tenth(baseline: DataPoint, unit: Unit = Unit.PERCENT) -> CriterionSpec:
    return CriterionSpec(
        kind=CriterionKind.REDUCE_BY,
        target=ReduceByTarget(D("0.1")),
        unit=unit,
        baseline=baseline,
    )


def judged(spec, series, context=FINISHED, settings=TEAM_SETTINGS, **more):  # type: ignore[no-untyped-def]
    item = CriterionInput(
        ident="c", level="effort_area", text="", spec=spec, series=tuple(series),
        context=context, **more,
    )  # fmt: skip
    return judge_all([item], settings)[0]


# ---------------------------------------------------------------- changes

SEED_CRITERIA = [
    pytest.param(
        pt("2016", "11", 28),
        pt("2020", "8.2", 24),
        Outcome.ACHIEVED,
        True,
        "Faldet fra 11 % til 8,2 % svarer til ca. 8 personer og ligger inden "
        "for den statistiske usikkerhed. Nævnerne er udledt af antal og andel "
        "(ca. 255 og ca. 293).",
        id="fp-language-2-5",
    ),
    pytest.param(
        pt("2016", "7", 14),
        pt("2021", "8.6", 12),
        Outcome.NOT_ACHIEVED,
        True,
        "Stigningen fra 7 % til 8,6 % svarer til ca. 2 personer og ligger "
        "inden for den statistiske usikkerhed. Nævnerne er udledt af antal og "
        "andel (ca. 200 og ca. 140).",
        id="fp-nussa-language",
    ),
    pytest.param(
        pt("2016", "15", 31),
        pt("2021", "2.1", 3),
        Outcome.ACHIEVED,
        False,
        "Faldet fra 15 % til 2,1 % svarer til ca. 18 personer og er større end "
        "den statistiske usikkerhed. Nævnerne er udledt af antal og andel (ca. "
        "207 og ca. 143).",
        id="fp-nussa-social",
    ),
]


@pytest.mark.parametrize(
    ("baseline", "latest", "outcome", "within", "sentence"), SEED_CRITERIA
)
def test_a_verdict_on_a_change_says_whether_chance_explains_it(  # type: ignore[no-untyped-def]
    baseline, latest, outcome, within, sentence
) -> None:
    item = judged(reduce_by_tenth(baseline), [latest])
    verdict = item.verdict
    assert verdict.outcome is outcome
    assert verdict.within_chance is within
    assert verdict.remarks[0] == sentence
    marked = "Vurderingen er usikker, fordi tilfældigheder kan forklare ændringen."
    assert (marked in verdict.remarks) is within
    record = verdict_record(item)
    assert record["within_chance"] is within
    change = record["change"]
    assert isinstance(change, dict)
    assert change["beyond_chance"] is (not within)
    assert change["test"] == "n_minus_1_chi_square"
    assert change["from"] == baseline.period.code
    assert change["to"] == latest.period.code
    assert len(change["derived_denominators"]) == 2
    assert change["sentence"] == sentence


def test_a_share_criterion_without_counts_gets_no_change_remark() -> None:
    item = judged(reduce_by_tenth(pt("2016", "11")), [pt("2020", "8.2")])
    assert item.verdict.remarks == ()
    assert item.verdict.within_chance is None
    assert verdict_record(item)["change"] is None


def test_a_rate_criterion_without_population_says_it_needs_one() -> None:
    spec = CriterionSpec(
        kind=CriterionKind.BELOW_BASELINE,
        target=NO_TARGET,
        unit=Unit.PER_1000,
        baseline=pt("2017", "21.0"),
    )
    item = judged(spec, [pt("2020", "22.2"), pt("2021", "35.9")])
    assert item.verdict.remarks == (
        "Usikkerheden kan ikke beregnes uden områdets befolkningstal.",
    )
    assert item.verdict.within_chance is None


def test_a_rate_criterion_with_a_recorded_population_is_tested() -> None:
    spec = CriterionSpec(
        kind=CriterionKind.BELOW_BASELINE,
        target=NO_TARGET,
        unit=Unit.PER_1000,
        baseline=pt("2020", "22.2", denominator=360),
    )
    item = judged(spec, [pt("2021", "35.9", denominator=362)])
    assert item.verdict.remarks[0] == (
        "Stigningen fra 22,2 til 35,9 pr. 1.000 beboere svarer til ca. 5 "
        "personer og ligger inden for den statistiske usikkerhed. Antallene er "
        "udledt af raterne og befolkningstallene (ca. 8 og ca. 13)."
    )
    assert item.verdict.within_chance is True
    change = verdict_record(item)["change"]
    assert isinstance(change, dict)
    assert change["derived_counts"] == [8, 13]
    assert change["test"] == "conditional_binomial"


def test_a_qualitative_or_unmeasurable_criterion_gets_nothing() -> None:
    item = judged(reduce_by_tenth(pt("2016", "11", 28)), [])
    assert item.verdict.outcome is Outcome.NOT_MEASURABLE
    assert item.verdict.remarks == ()


# ---------------------------------------------------------------- discretion


def test_a_board_reader_gets_no_small_count_back_from_a_change() -> None:
    item = judged(
        reduce_by_tenth(pt("2016", "15", 31)), [pt("2021", "2.1", 3)], settings=BOARD
    )
    assert item.verdict.remarks[0] == (
        "Faldet fra 15 % til 2,1 % er større end den statistiske usikkerhed. "
        "Antal personer og nævnere vises ikke af diskretionshensyn, fordi "
        "tallene er små."
    )
    assert item.verdict.within_chance is False
    assert "ca." not in " ".join(item.verdict.remarks)


def test_a_board_reader_gets_no_small_derived_count_from_a_rate() -> None:
    # 18,8 and 1,3 per 1000 of 400 residents: about 8 and 1 persons.
    points = (pt("2020", "18.8", denominator=400), pt("2021", "1.3", denominator=400))
    from fremdrift.core.change import change_between

    change = change_between(*points, Unit.PER_1000)
    team = change_text(change, points)
    board = change_text(change, points, settings=BOARD)
    assert "ca. 1" in team
    assert board == (
        "Faldet fra 18,8 til 1,3 pr. 1.000 beboere er større end den "
        "statistiske usikkerhed. Antal personer og nævnere vises ikke af "
        "diskretionshensyn, fordi tallene er små."
    )


def test_a_hidden_value_hides_the_uncertainty_too() -> None:
    points = (pt("2020", "10"), pt("2021", None, flags=[Flag.SUPPRESSED]))
    from fremdrift.core.change import change_between

    change = change_between(*points, Unit.PER_1000)
    assert change_text(change, points, settings=BOARD) == (
        "Den statistiske usikkerhed vises ikke af diskretionshensyn, fordi "
        "tallene er små."
    )
    assert HIDDEN_UNCERTAINTY.startswith("Den statistiske usikkerhed vises ikke")


def test_large_counts_keep_their_persons_for_the_board() -> None:
    item = judged(
        reduce_by_tenth(pt("2016", "11", 28)), [pt("2020", "8.2", 24)], settings=BOARD
    )
    assert item.verdict.remarks[0].startswith(
        "Faldet fra 11 % til 8,2 % svarer til ca. 8 personer"
    )


def test_a_small_change_in_persons_is_not_printed_for_the_board() -> None:
    """7 of 100 and 9 of 105 residents each count over the threshold, but
    the change between them is about 2 persons: a count of persons below
    it, which the team reads and the board does not."""
    points = (
        pt("2016", "7", numerator=7, denominator=100),
        pt("2021", "8.6", numerator=9, denominator=105),
    )
    from fremdrift.core.change import change_between

    change = change_between(*points, Unit.PERCENT)
    assert "svarer til ca. 2 personer" in change_text(change, points)
    board = change_text(change, points, settings=BOARD)
    assert board.startswith("Stigningen fra 7 % til 8,6 %")
    assert "svarer til" not in board
    assert board.endswith(
        "Antal personer og nævnere vises ikke af diskretionshensyn, fordi "
        "tallene er små."
    )


# ---------------------------------------------------------------- thin data


def share_at_least(number: str = "70") -> CriterionSpec:
    return CriterionSpec(
        kind=CriterionKind.SHARE_AT_LEAST, target=NumberTarget(D(number)),
        unit=Unit.PERCENT,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("numerator", "denominator", "mark"),
    [
        pytest.param(10, 12, "Spinkelt datagrundlag (n = 12).", id="thin"),
        pytest.param(15, 19, "Spinkelt datagrundlag (n = 19).", id="one-below"),
        pytest.param(15, 20, None, id="exactly-at-the-threshold-is-not-thin"),
        pytest.param(30, 40, None, id="plenty"),
    ],
)
def test_a_verdict_on_few_persons_is_marked_thin(numerator, denominator, mark) -> None:  # type: ignore[no-untyped-def]
    value = D(numerator * 100) / D(denominator)
    item = judged(share_at_least(), [pt("2021", value, numerator, denominator)])
    assert (mark in item.verdict.remarks) if mark else not item.statistics.thin
    record = verdict_record(item)
    if mark:
        assert record["thin_data"] == {
            "n": denominator,
            "text": f"spinkelt datagrundlag (n = {denominator})",
        }
    else:
        assert record["thin_data"] is None
    assert record["persons"] == denominator


def test_the_thin_threshold_is_configurable() -> None:
    point = pt("2021", "75", 30, 40)
    assert not judged(share_at_least(), [point]).statistics.thin
    item = judged(share_at_least(), [point], settings=UncertaintySettings(50))
    assert "Spinkelt datagrundlag (n = 40)." in item.verdict.remarks


def test_a_thin_mark_never_shows_a_small_count_to_the_board() -> None:
    item = judged(share_at_least(), [pt("2021", "66.7", 2, 3)], settings=BOARD)
    assert "Spinkelt datagrundlag (n < 5)." in item.verdict.remarks


def test_a_plain_count_is_not_an_estimate_and_never_thin() -> None:
    spec = CriterionSpec(
        kind=CriterionKind.AT_LEAST, target=NumberTarget(D(20)), unit=Unit.COUNT
    )
    assert persons_behind(pt("2021", "12"), Unit.COUNT) is None
    assert not judged(spec, [pt("2021", "12")]).statistics.thin


def test_a_derived_denominator_counts_as_the_persons_behind_a_share() -> None:
    assert persons_behind(pt("2021", "2.1", 3), Unit.PERCENT) == 143


# ---------------------------------------------------------------- forecasts


RUNNING = JudgementContext(date(2025, 1, 1), date(2028, 12, 31), date(2026, 8, 31))


def weekly(first: date, last: date, skip_july: bool = True) -> tuple[date, ...]:
    days = []
    day = first
    while day <= last:
        if not (skip_july and day.month == 7):
            days.append(day)
        day += timedelta(weeks=1)
    return tuple(days)


def at_least(target: int) -> CriterionSpec:
    return CriterionSpec(
        kind=CriterionKind.AT_LEAST, target=NumberTarget(D(target)),
        unit=Unit.COUNT, unit_label="børn",
    )  # fmt: skip


def running_count(target: int, months: frozenset[int] | None, **more):  # type: ignore[no-untyped-def]
    registrations = weekly(date(2025, 1, 6), RUNNING.as_of)
    return judged(
        at_least(target),
        [pt("2025-01-01..2026-08-31", str(len(registrations)))],
        context=RUNNING,
        registrations=registrations,
        forecast_window=(RUNNING.plan_start, RUNNING.plan_end),
        session_months=months,
        **more,
    )


def test_a_running_count_gets_a_forecast_with_an_interval() -> None:
    item = running_count(300, frozenset({1, 2, 3, 4, 5, 6, 8}))
    forecast = item.statistics.forecast
    assert forecast is not None
    assert forecast.seasonal
    assert forecast.projected.method is Method.FORECAST_SEASONAL
    assert (
        forecast.projected.low < forecast.projected.estimate < forecast.projected.high
    )
    remark = item.verdict.remarks[-1]
    assert remark.startswith(
        "Med det hidtidige tempo, korrigeret for sæsonudsving, bliver resultatet ca. "
    )
    assert "95 %-konfidensinterval" in remark
    assert "31. december 2028" in remark
    record = verdict_record(item)["forecast"]
    assert isinstance(record, dict)
    assert record["method"] == "forecast_seasonal"
    assert record["outlook"] in {"on_track", "at_risk", "off_track"}
    assert record["low"] < record["projected"] < record["high"]


def test_an_activity_held_in_july_gets_a_linear_forecast() -> None:
    item = running_count(300, frozenset(range(1, 13)))
    assert item.statistics.forecast is not None
    assert not item.statistics.forecast.seasonal
    assert item.verdict.remarks[-1].startswith(
        "Med det hidtidige tempo bliver resultatet ca. "
    )


def test_a_reached_target_needs_no_forecast() -> None:
    item = running_count(10, frozenset({8}))
    assert item.verdict.outcome is Outcome.ACHIEVED
    assert item.statistics.forecast is None


def test_a_small_count_of_persons_gets_no_forecast_for_the_board() -> None:
    registrations = (date(2025, 2, 3), date(2025, 3, 3), date(2025, 4, 7))
    item = judged(
        at_least(100),
        [pt("2025-01-01..2026-08-31", "3")],
        context=RUNNING,
        registrations=registrations,
        forecast_window=(RUNNING.plan_start, RUNNING.plan_end),
        counts_persons=True,
        settings=BOARD,
    )
    assert item.statistics.forecast is None


@pytest.mark.parametrize(
    ("months", "start", "as_of", "seasonal"),
    [
        pytest.param(frozenset({1, 2, 8}), date(2025, 1, 1), date(2025, 8, 31), True,
                     id="a-july-without-sessions"),
        pytest.param(frozenset({1, 2, 7, 8}), date(2025, 1, 1), date(2025, 8, 31),
                     False, id="sessions-in-july"),
        pytest.param(frozenset({1, 2, 3}), date(2025, 1, 1), date(2025, 7, 30), False,
                     id="july-not-yet-over"),
        pytest.param(frozenset({8, 9}), date(2025, 7, 2), date(2025, 9, 30), False,
                     id="started-in-july"),
        pytest.param(None, date(2025, 1, 1), date(2026, 8, 31), False,
                     id="no-sessions-at-all"),
    ],
)  # fmt: skip
def test_the_school_year_rule(months, start, as_of, seasonal) -> None:  # type: ignore[no-untyped-def]
    assert follows_school_year(months, start, as_of) is seasonal
    assert SCHOOL_YEAR_SEASON.weight(date(2025, 7, 1)) < 1


def test_statistics_leave_the_verdict_itself_alone() -> None:
    spec = reduce_by_tenth(pt("2016", "11", 28))
    series = [pt("2020", "8.2", 24)]
    from fremdrift.core.criteria import judge

    plain = judge(spec, series, FINISHED)
    verdict, _stats = criterion_statistics(spec, series, plain, FINISHED)
    assert (verdict.outcome, verdict.judged_value, verdict.explanation) == (
        plain.outcome,
        plain.judged_value,
        plain.explanation,
    )


# ---------------------------------------------------------------- indicators


def test_periods_are_compared_like_with_like() -> None:
    assert comparable(parse_period("2020"), parse_period("2021"))
    assert not comparable(parse_period("2017-2021"), parse_period("2021"))
    assert not comparable(parse_period("2016M10"), parse_period("2017"))
    pair = last_two([pt("2020", "1.9"), pt("2017-2021", "2.2"), pt("2021", "3.1")])
    assert pair is not None
    assert [p.period.code for p in pair] == ["2020", "2021"]


def charged_10_17(**more) -> IndicatorSeries:  # type: ignore[no-untyped-def]
    return IndicatorSeries(
        slug="charged-10-17",
        name="Andel 10-17-årige sigtet",
        unit=Unit.PERCENT,
        unit_label="",
        source="Danmarks Statistik",
        measured="",
        notes=(),
        populations=(
            ("Randers Kommune", (pt("2020", "0.8", 78), pt("2021", "0.7", 70))),
            ("Randers Nordby", (pt("2020", "1.9", 10), pt("2021", "3.1", 15))),
        ),
        comparison_names=frozenset({"Randers Kommune"}),
        **more,
    )


def test_an_indicator_says_whether_each_areas_change_is_beyond_chance() -> None:
    statistics = indicator_statistics(charged_10_17())
    assert (
        "Randers Nordby, ændringen fra 2020 til 2021: Stigningen fra 1,9 % til "
        "3,1 % svarer til ca. 6 personer og ligger inden for den statistiske "
        "usikkerhed. Nævnerne er udledt af antal og andel (ca. 526 og ca. 484)."
    ) in statistics.notes
    note = statistics.cell_notes[("Randers Nordby", "2021")]
    assert note.startswith(
        "Den statistiske usikkerhed (95 %-konfidensinterval) går fra"
    )
    assert "Nævneren er udledt af antal og andel (ca. 484)." in note


def test_the_gap_to_the_municipality_is_a_table_and_a_chart() -> None:
    statistics = indicator_statistics(charged_10_17())
    table = statistics.gap_table
    assert table is not None
    assert table.columns == (
        "Område",
        "Forskel 2020",
        "Forskel 2021",
        "Ændring af forskellen",
        "Større end den statistiske usikkerhed",
    )
    assert [c.text for c in table.rows[0]] == [
        "Randers Nordby",
        "+1,1 pct.-point",
        "+2,4 pct.-point",
        "+1,3 pct.-point",
        "nej",
    ]
    assert any(
        n.startswith(
            "Randers Nordby: Forskellen til Randers Kommune er gået fra 1,1 til "
            "2,4 procentpoint, en ændring på +1,3 procentpoint, som ligger inden "
            "for den statistiske usikkerhed."
        )
        for n in table.notes
    )
    chart = statistics.gap_chart
    assert chart is not None
    assert chart.kind == "line"
    assert chart.x_labels == ("2020", "2021")
    assert chart.series[0].values == (D("1.1"), D("2.4"))
    check_chart(chart)
    check_chart_axes([chart])
    assert "<svg" in render_svg(chart)


def test_the_excluding_comparison_is_preferred() -> None:
    series = charged_10_17()
    two = IndicatorSeries(
        **{
            **{f: getattr(series, f) for f in series.__slots__},
            "populations": (
                *series.populations,
                ("Randers ekskl.", (pt("2020", "0.7", 68), pt("2021", "0.6", 55))),
            ),
            "comparison_names": frozenset({"Randers Kommune", "Randers ekskl."}),
            "excluding_comparison_names": frozenset({"Randers ekskl."}),
        }
    )
    table = indicator_statistics(two).gap_table
    assert table is not None
    assert table.caption.startswith("Forskel til Randers ekskl.:")


def test_a_rate_without_population_says_so_once_for_all_areas() -> None:
    series = IndicatorSeries(
        slug="charged-per-1000", name="Sigtede pr. 1000", unit=Unit.PER_1000,
        unit_label="", source="", measured="", notes=(),
        populations=(
            ("Vangdalen", (pt("2020", "22.2"), pt("2021", "35.9"))),
            ("Glarbjergvej", (pt("2020", "19.6"), pt("2021", "24.3"))),
            ("Randers Kommune", (pt("2020", "14.3"), pt("2021", "12.2"))),
        ),
        comparison_names=frozenset({"Randers Kommune"}),
    )  # fmt: skip
    statistics = indicator_statistics(series)
    assert statistics.notes == (
        "Ændringen fra 2020 til 2021: Usikkerheden kan ikke beregnes uden "
        "områdets befolkningstal.",
    )
    assert statistics.gap_table is not None
    assert [row[4].text for row in statistics.gap_table.rows] == [
        "kan ikke beregnes",
        "kan ikke beregnes",
    ]


def test_a_thin_indicator_value_is_marked_in_its_cell_and_under_the_table() -> None:
    series = IndicatorSeries(
        slug="s", name="Andel", unit=Unit.PERCENT, unit_label="", source="",
        measured="", notes=(),
        populations=(("Valmuegården", (pt("2024", "25", 3, 12),)),),
    )  # fmt: skip
    statistics = indicator_statistics(series)
    assert "Valmuegården, 2024: spinkelt datagrundlag (n = 12)" in statistics.notes
    assert (
        "Spinkelt datagrundlag (n = 12)."
        in statistics.cell_notes[("Valmuegården", "2024")]
    )
    board = indicator_statistics(series, BOARD)
    # 3 of 12: the interval and the share would give the 3 back.
    assert "konfidensinterval" not in board.cell_notes[("Valmuegården", "2024")]


def test_the_goal_section_carries_the_gap_table_and_chart() -> None:
    goal = GoalInput(name="Tryghed", description="", indicators=(charged_10_17(),),
                     criteria=())  # fmt: skip
    section = goal_section(goal)
    assert [t.caption for t in section.tables] == [
        "Andel 10-17-årige sigtet",
        "Forskel til Randers Kommune: Andel 10-17-årige sigtet",
    ]
    assert [c.key for c in section.charts] == [
        "charged-10-17",
        "charged-10-17-forskel",
    ]
    check_chart_axes(section.charts)


def test_the_method_note_lists_the_methods_used_with_references() -> None:
    goal = GoalInput(name="Tryghed", description="", indicators=(charged_10_17(),),
                     criteria=())  # fmt: skip
    texts = method_paragraphs(report_results([goal], []))
    assert texts[0].startswith("Statistisk usikkerhed: ")
    assert "færre end 20 personer" in texts[0]
    assert (
        "Usikkerheden på en andel er Wilsons scoreinterval (Wilson 1927; Newcombe 1998a)."
        in texts
    )
    assert any("Campbell 2007" in t for t in texts)
    assert any("Wing, Simon & Bello-Gomez 2018" in t for t in texts)
    assert method_paragraphs([]) == ()


def test_aggregated_verdicts_are_not_tested_as_a_change() -> None:
    spec = CriterionSpec(
        kind=CriterionKind.REDUCE_BY, target=ReduceByTarget(D("0.1")),
        unit=Unit.PERCENT, aggregation=Aggregation.MEAN,
        baseline=pt("2016", "11", 28),
    )  # fmt: skip
    item = judged(spec, [pt("2019", "9", 20), pt("2020", "8.2", 24)])
    assert item.statistics.change is None
