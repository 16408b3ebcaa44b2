"""Danish wording of numbers, values, dates, periods and labels."""

from datetime import date
from decimal import Decimal

import pytest

from fremdrift.core.model import Outcome, Pace, Period, Unit
from fremdrift.core.periods import parse_period
from fremdrift.core.text_da import (
    format_date,
    format_date_range,
    format_number,
    format_period,
    format_value,
    outcome_label,
    pace_label,
    period_phrase,
    working_note_text,
)


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        pytest.param(1713, None, "1.713", id="thousands-separator"),
        pytest.param(Decimal("84000000"), None, "84.000.000", id="large"),
        pytest.param(Decimal("8.2"), None, "8,2", id="decimal-comma"),
        pytest.param(Decimal("8.20"), None, "8,2", id="trailing-zero-dropped"),
        pytest.param(Decimal("-39.9"), None, "-39,9", id="negative"),
        pytest.param(Decimal("0.68"), None, "0,68", id="below-one"),
        pytest.param(Decimal("1E+3"), None, "1.000", id="no-exponent"),
        pytest.param(Decimal("1.5E-7"), None, "0,00000015", id="tiny-no-exponent"),
        pytest.param(Decimal("100.0"), None, "100", id="integral-decimal"),
        pytest.param(Decimal("-0"), None, "0", id="negative-zero"),
        pytest.param(Decimal("-0.04"), 1, "0,0", id="rounds-to-negative-zero"),
        pytest.param(Decimal("0.125"), 2, "0,13", id="half-up"),
        pytest.param(Decimal("-0.125"), 2, "-0,13", id="half-up-negative"),
        pytest.param(Decimal(8), 1, "8,0", id="fixed-decimals-keep-zeros"),
        pytest.param(Decimal("1234567.891"), 0, "1.234.568", id="fixed-none"),
        pytest.param(123, None, "123", id="no-separator-below-1000"),
    ],
)
def test_format_number(value, decimals, expected):
    assert format_number(value, decimals) == expected


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("Infinity")])
def test_format_number_refuses_non_finite_values(value):
    with pytest.raises(ValueError, match="cannot format"):
        format_number(value)


@pytest.mark.parametrize(
    ("value", "unit", "label", "expected"),
    [
        pytest.param(Decimal("8.2"), Unit.PERCENT, "", "8,2 %", id="percent"),
        pytest.param(
            Decimal("22.2"),
            Unit.PER_1000,
            "",
            "22,2 pr. 1.000 beboere",
            id="per-1000",
        ),
        pytest.param(
            Decimal("22.2"),
            Unit.PER_1000,
            "indbyggere",
            "22,2 pr. 1.000 indbyggere",
            id="per-1000-with-population-noun",
        ),
        pytest.param(111, Unit.COUNT, "", "111", id="count"),
        pytest.param(111, Unit.COUNT, "unge", "111 unge", id="count-with-label"),
        pytest.param(
            Decimal("14.3"),
            Unit.MEAN,
            "fraværsdage",
            "14,3 fraværsdage",
            id="mean-with-label",
        ),
    ],
)
def test_format_value(value, unit, label, expected):
    assert format_value(value, unit, label) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2017, 6, 1), "1. juni 2017"),
        (date(2021, 6, 30), "30. juni 2021"),
        (date(2019, 3, 1), "1. marts 2019"),
        (date(2020, 12, 24), "24. december 2020"),
    ],
)
def test_format_date(day, expected):
    assert format_date(day) == expected


@pytest.mark.parametrize(
    ("code", "expected", "phrase"),
    [
        ("2021", "2021", "i 2021"),
        ("2020/21", "skoleåret 2020/21", "i skoleåret 2020/21"),
        ("2017-2021", "2017–2021", "i 2017–2021"),
        ("2021K3", "3. kvartal 2021", "i 3. kvartal 2021"),
        ("2021M08", "august 2021", "i august 2021"),
        ("2021T1", "1. tertial 2021", "i 1. tertial 2021"),
        ("2017-06-01", "1. juni 2017", "pr. 1. juni 2017"),
        (
            "2020-07-01..2021-06-30",
            "1. juli 2020 – 30. juni 2021",
            "i perioden 1. juli 2020 – 30. juni 2021",
        ),
    ],
)
def test_format_period_and_phrase(code, expected, phrase):
    period = parse_period(code)
    assert format_period(period) == expected
    assert period_phrase(period) == phrase


def test_format_period_falls_back_to_dates_for_a_hand_made_code():
    period = Period(code="baseline", start=date(2016, 1, 1), end=date(2016, 6, 30))
    assert format_period(period) == "1. januar 2016 – 30. juni 2016"


@pytest.mark.parametrize(
    ("outcome", "expected"),
    [
        (Outcome.ACHIEVED, "opnået"),
        (Outcome.NOT_ACHIEVED, "ikke opnået"),
        (Outcome.PARTLY_ACHIEVED, "delvist opnået"),
        (Outcome.NOT_MEASURABLE, "kan ikke måles"),
        (Outcome.PENDING, "i gang"),
    ],
)
def test_outcome_label(outcome, expected):
    assert outcome_label(outcome) == expected


def test_pace_label():
    assert pace_label(Pace.ON_TRACK) == "i rute"
    assert pace_label(Pace.OFF_TRACK) == "bagud"


def test_format_date_range_writes_an_en_dash_with_spaces():
    assert (
        format_date_range(date(2020, 7, 1), date(2021, 6, 30))
        == "1. juli 2020 – 30. juni 2021"
    )


def test_working_note_text_marks_the_note_as_the_teams():
    assert working_note_text("Trykt '28*'") == "Arbejdsnote: Trykt '28*'"
