"""A running count's badge, sentence, expected value and forecast come
from one pace value (issue 15, "Running plans tell one story").

The worked example of tests/core/test_forecast.py: a period of 20 days
judged after 10 with 10 registrations projects 20 with the interval
14,8 to 28,4, so a target of 14 is on track, 15 at risk and 29 off track,
while the plain linear pace would call 10 of 15 on track (7,5 expected).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest

from fremdrift.core.criteria import expected_value, judge
from fremdrift.core.forecast import forecast_count, forecast_sentence
from fremdrift.core.model import (
    Aggregation,
    Better,
    CriterionKind,
    CriterionSpec,
    DataPoint,
    JudgementContext,
    NumberTarget,
    Outcome,
    Pace,
    Period,
    Unit,
)
from fremdrift.core.stat_methods import method_note, pace_paragraph
from fremdrift.core.stats import Method
from fremdrift.core.text_da import pace_label
from fremdrift.core.uncertainty import UncertaintySettings, criterion_statistics

START, AS_OF, END = date(2025, 1, 1), date(2025, 1, 10), date(2025, 1, 20)
TEN_DAYS = [START + timedelta(days=i) for i in range(10)]
CONTEXT = JudgementContext(plan_start=START, plan_end=END, as_of=AS_OF)
SERIES = [DataPoint(Period("2025-01-01..2025-01-10", START, AS_OF), Decimal(10))]


def _spec(target: int, unit: Unit = Unit.COUNT) -> CriterionSpec:
    return CriterionSpec(
        kind=CriterionKind.AT_LEAST,
        target=NumberTarget(Decimal(target)),
        unit=unit,
        aggregation=Aggregation.LATEST,
        better=Better.HIGHER,
        unit_label="børn",
    )


def test_the_forecast_knows_the_share_of_its_period_passed() -> None:
    forecast = forecast_count(TEN_DAYS, start=START, end=END, as_of=AS_OF, target=15)
    assert forecast.passed_share == 0.5
    assert forecast.expected_now == 7.5


@pytest.mark.parametrize(
    ("target", "pace"),
    [
        pytest.param(14, Pace.ON_TRACK, id="low-end-reaches-the-target"),
        pytest.param(15, Pace.AT_RISK, id="target-inside-the-interval"),
        pytest.param(29, Pace.OFF_TRACK, id="high-end-falls-short"),
    ],
)
def test_a_forecast_decides_the_pace_its_sentence_and_expected_value(
    target: int, pace: Pace
) -> None:
    forecast = forecast_count(
        TEN_DAYS, start=START, end=END, as_of=AS_OF, target=target
    )
    verdict = judge(_spec(target), SERIES, CONTEXT, forecast=forecast)
    assert verdict.outcome is Outcome.PENDING
    assert verdict.pace is pace
    label = pace_label(pace)
    assert verdict.explanation == (
        f"I gang: 10 af {target} børn pr. 10. januar 2025; prognosen for "
        f"periodens slutning: {label}."
    )
    assert forecast_sentence(forecast, unit_label="børn").endswith(f": {label}.")
    # Half of the period has passed: half the target, in whole children.
    assert verdict.expected == Decimal(round(target / 2 + 0.001))


def test_without_a_forecast_the_linear_pace_stays() -> None:
    verdict = judge(_spec(15), SERIES, CONTEXT)
    assert verdict.pace is Pace.ON_TRACK
    assert verdict.explanation == (
        "I gang: 10 af 15 børn; i rute mod 7 forventet pr. 10. januar 2025."
    )


def test_badge_sentence_and_forecast_agree_after_the_statistics() -> None:
    """``criterion_statistics`` judges a pending count again with its
    forecast: the linear pace said on track, the forecast at risk, and the
    verdict now says at risk everywhere."""
    spec = _spec(15)
    plain = judge(spec, SERIES, CONTEXT)
    assert plain.pace is Pace.ON_TRACK
    verdict, statistics = criterion_statistics(
        spec,
        SERIES,
        plain,
        CONTEXT,
        registrations=TEN_DAYS,
        window=(START, END),
    )
    assert verdict.pace is Pace.AT_RISK
    assert statistics.forecast is not None
    assert statistics.forecast.outlook is verdict.pace
    assert verdict.explanation.endswith(": i risiko.")
    assert verdict.remarks[-1].endswith(": i risiko.")
    assert statistics.pace_method is Method.FORECAST_LINEAR


def test_the_pace_comes_from_the_forecast_even_where_it_is_hidden() -> None:
    """A small count of persons hides its forecast from the public; the
    pace it decided is the same for every reader."""
    series = [DataPoint(Period("2025-01-01..2025-01-10", START, AS_OF), Decimal(3))]
    spec = _spec(6)
    public = UncertaintySettings(discretion=5)
    verdict, statistics = criterion_statistics(
        spec,
        series,
        judge(spec, series, CONTEXT),
        CONTEXT,
        registrations=TEN_DAYS[:3],
        window=(START, END),
        counts_persons=True,
        settings=public,
    )
    assert statistics.forecast is None
    assert verdict.pace is Pace.AT_RISK
    assert statistics.pace_method is Method.FORECAST_LINEAR


@pytest.mark.parametrize(
    ("threshold", "fraction", "unit", "expected"),
    [
        pytest.param(90, Fraction(4346, 9000), Unit.COUNT, 43, id="43,46-is-43"),
        pytest.param(14, Fraction(699, 1400), Unit.COUNT, 7, id="6,99-is-7"),
        pytest.param(15, Fraction(1, 2), Unit.COUNT, 8, id="half-rounds-up"),
        pytest.param(
            90, Fraction(4346, 9000), Unit.MEAN, Fraction(4346, 100), id="mean-kept"
        ),
    ],
)
def test_an_expected_count_is_a_whole_number(
    threshold: int, fraction: Fraction, unit: Unit, expected: Fraction
) -> None:
    assert expected_value(_spec(threshold, unit), Fraction(threshold), fraction) == (
        expected
    )


def test_the_linear_pace_is_decided_on_the_whole_expected_count() -> None:
    """35 of 75 with 35,4 expected: the sentence prints 35, so 35 is on
    track."""
    context = JudgementContext(
        plan_start=date(2025, 1, 1), plan_end=date(2025, 1, 1) + timedelta(750),
        as_of=date(2025, 1, 1) + timedelta(354),
    )  # fmt: skip
    series = [
        DataPoint(Period("2025", date(2025, 1, 1), date(2025, 12, 31)), Decimal(35))
    ]
    verdict = judge(_spec(75), series, context)
    assert verdict.expected == Decimal(35)
    assert verdict.pace is Pace.ON_TRACK
    assert "i rute mod 35 forventet" in verdict.explanation


@pytest.mark.parametrize(
    ("methods", "present", "absent"),
    [
        pytest.param(
            [Method.FORECAST_LINEAR],
            ["følger sin prognose", "lineært frem"],
            ["sæsonudsving", "Andre kriterier"],
            id="linear-only",
        ),
        pytest.param(
            [Method.FORECAST_SEASONAL, None],
            ["følger sin prognose", "korrigeret for sæsonudsving, fordi", "Andre"],
            ["lineært"],
            id="seasonal-and-plain",
        ),
        pytest.param(
            [Method.FORECAST_LINEAR, Method.FORECAST_SEASONAL],
            ["lineært, eller korrigeret for sæsonudsving"],
            ["Andre kriterier"],
            id="both-forecasts",
        ),
        pytest.param(
            [None],
            ["Et kriterie, der endnu ikke kan afgøres, er i rute"],
            ["prognose"],
            id="plain-only",
        ),
    ],
)
def test_the_pace_paragraph_names_the_methods_used(
    methods: list[Method | None], present: list[str], absent: list[str]
) -> None:
    text = pace_paragraph(methods)
    for words in present:
        assert words in text
    for words in absent:
        assert words not in text


def test_no_pace_no_paragraph() -> None:
    assert pace_paragraph([]) == ""


def test_the_forecast_method_notes_name_linear_and_season_corrected() -> None:
    assert method_note(Method.FORECAST_LINEAR).startswith("Lineære fremskrivninger")
    assert method_note(Method.FORECAST_SEASONAL).startswith(
        "Sæsonkorrigerede fremskrivninger"
    )
