"""Pace and forecast of a running count criterion, linear and by season.

A period of 20 days judged after 10 with 10 registrations is the worked
example: the rate is 1 a day, the projection 20, and the interval 10 plus
the exact Poisson limits of 10 (Garwood 1936: 4,7954 to 18,3904), each
carried over the 10 days to come.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from fremdrift.core.forecast import (
    SCHOOL_YEAR_SEASON,
    Outlook,
    SeasonProfile,
    forecast_count,
    forecast_sentence,
    outlook_label,
)
from fremdrift.core.stats import Method, Uncomputable

START, AS_OF, END = date(2025, 1, 1), date(2025, 1, 10), date(2025, 1, 20)
TEN_DAYS = [START + timedelta(days=i) for i in range(10)]


def test_linear_forecast_worked_example() -> None:
    forecast = forecast_count(TEN_DAYS, start=START, end=END, as_of=AS_OF)
    assert forecast.observed == 10
    assert forecast.projected.method is Method.FORECAST_LINEAR
    assert forecast.rate.estimate == 1.0
    assert forecast.projected.estimate == 20.0
    assert round(forecast.projected.low, 4) == 14.7954
    assert round(forecast.projected.high, 4) == 28.3904


@pytest.mark.parametrize(
    ("target", "outlook"),
    [
        pytest.param(14, Outlook.ON_TRACK, id="low-end-reaches-the-target"),
        pytest.param(15, Outlook.AT_RISK, id="target-inside-the-interval"),
        pytest.param(28, Outlook.AT_RISK, id="target-just-below-the-high-end"),
        pytest.param(29, Outlook.OFF_TRACK, id="high-end-falls-short"),
        pytest.param(None, None, id="no-target"),
    ],
)
def test_outlook_against_the_target(target, outlook) -> None:
    forecast = forecast_count(
        TEN_DAYS, start=START, end=END, as_of=AS_OF, target=target
    )
    assert forecast.outlook is outlook


def test_registrations_outside_the_window_are_left_out() -> None:
    outside = [date(2024, 12, 31), date(2025, 1, 11), date(2025, 3, 1)]
    forecast = forecast_count(TEN_DAYS + outside, start=START, end=END, as_of=AS_OF)
    assert forecast.observed == 10


def test_no_registrations_yet_projects_zero_with_an_upper_limit() -> None:
    forecast = forecast_count([], start=START, end=END, as_of=AS_OF, target=5)
    assert forecast.projected.estimate == 0 and forecast.projected.low == 0
    assert round(forecast.projected.high, 4) == 3.6889
    assert forecast.outlook is Outlook.OFF_TRACK


def test_a_finished_period_is_its_result_exactly_at_the_target() -> None:
    forecast = forecast_count(TEN_DAYS, start=START, end=AS_OF, as_of=AS_OF, target=10)
    assert forecast.finished
    assert forecast.projected.low == forecast.projected.high == 10
    assert forecast.outlook is Outlook.ON_TRACK
    assert forecast_sentence(forecast, unit_label="deltagere") == (
        "Perioden er slut, og resultatet blev 10 deltagere."
    )


def test_judged_after_the_end_counts_only_up_to_the_end() -> None:
    later = [date(2025, 1, 25)]
    forecast = forecast_count(
        TEN_DAYS + later, start=START, end=AS_OF, as_of=date(2025, 2, 1)
    )
    assert forecast.observed == 10 and forecast.finished


def test_before_the_period_starts_there_is_no_forecast() -> None:
    forecast = forecast_count(
        [], start=START, end=END, as_of=date(2024, 12, 1), target=10
    )
    assert forecast.projected.reason is Uncomputable.NOT_STARTED
    assert forecast.outlook is None
    assert forecast_sentence(forecast) == (
        "Der kan ikke laves en fremskrivning, før perioden er begyndt."
    )


def test_a_period_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError):
        forecast_count([], start=END, end=START, as_of=AS_OF)


# ---------------------------------------------------------------- seasons


def test_season_exposure_weights_each_day_by_its_month() -> None:
    # 25-30 June at 1 and 1-5 July at 0,2.
    assert SCHOOL_YEAR_SEASON.exposure(date(2025, 6, 25), date(2025, 7, 5)) == (
        pytest.approx(6 + 5 * 0.2)
    )
    assert SCHOOL_YEAR_SEASON.exposure(date(2025, 7, 5), date(2025, 7, 4)) == 0
    # A whole year: 10 usual months, July at 0,2 and December at 0,5.
    year = SCHOOL_YEAR_SEASON.exposure(date(2025, 1, 1), date(2025, 12, 31))
    assert year == pytest.approx(365 - 31 * 0.8 - 31 * 0.5)


def test_seasonal_forecast_expects_fewer_registrations_in_july() -> None:
    june = [date(2025, 6, 1) + timedelta(days=i) for i in range(30)]
    kwargs = {"start": date(2025, 6, 1), "end": date(2025, 7, 31)}
    as_of = date(2025, 6, 30)
    linear = forecast_count(june, as_of=as_of, **kwargs)
    seasonal = forecast_count(june, as_of=as_of, season=SCHOOL_YEAR_SEASON, **kwargs)
    assert linear.projected.estimate == pytest.approx(61)
    assert seasonal.projected.estimate == pytest.approx(30 + 31 * 0.2)
    assert seasonal.projected.method is Method.FORECAST_SEASONAL
    assert seasonal.seasonal and not linear.seasonal


def test_a_season_with_no_activity_so_far_gives_no_forecast() -> None:
    closed_in_july = SeasonProfile.from_months({7: 0})
    forecast = forecast_count(
        [],
        start=date(2025, 7, 1),
        end=date(2025, 12, 31),
        as_of=date(2025, 7, 20),
        season=closed_in_july,
    )
    assert forecast.projected.reason is Uncomputable.NO_EXPOSURE


@pytest.mark.parametrize("weights", [(1.0,) * 11, (1.0,) * 11 + (-1.0,), (0.0,) * 12])
def test_an_invalid_season_profile_is_refused(weights) -> None:
    with pytest.raises(ValueError):
        SeasonProfile(weights)


def test_a_month_outside_1_to_12_is_refused() -> None:
    with pytest.raises(ValueError):
        SeasonProfile.from_months({13: 0.5})


# ---------------------------------------------------------------- sentences


@pytest.mark.parametrize(
    ("target", "second"),
    [
        (14, "Selv den lave ende af intervallet når målet på 14: i rute."),
        (15, "Målet på 15 ligger inden for intervallet: i risiko."),
        (29, "Selv den høje ende af intervallet når ikke målet på 29: bagud."),
    ],
)
def test_forecast_sentence_with_outlook(target, second) -> None:
    forecast = forecast_count(
        TEN_DAYS, start=START, end=END, as_of=AS_OF, target=Decimal(target)
    )
    assert forecast_sentence(forecast, unit_label="deltagere") == (
        "Med det hidtidige tempo bliver resultatet ca. 20 deltagere ved "
        "periodens slutning den 20. januar 2025 (95 %-konfidensinterval 15 til "
        "28). " + second
    )


def test_seasonal_forecast_sentence_says_so() -> None:
    forecast = forecast_count(
        TEN_DAYS, start=START, end=END, as_of=AS_OF, season=SCHOOL_YEAR_SEASON
    )
    assert forecast_sentence(forecast).startswith(
        "Med det hidtidige tempo, korrigeret for sæsonudsving, bliver resultatet "
        "ca. 20 ved periodens slutning"
    )


def test_outlook_labels() -> None:
    assert [outlook_label(o) for o in Outlook] == ["i rute", "i risiko", "bagud"]
