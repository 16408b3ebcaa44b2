"""The core's words and formats in English, Danish staying the default."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal

import pytest

from fremdrift.core.criteria import judge
from fremdrift.core.i18n import (
    LOCALE_DIR,
    get_language,
    gettext,
    ngettext,
    pgettext,
    use_language,
)
from fremdrift.core.model import (
    CriterionKind,
    CriterionSpec,
    DataPoint,
    EveryPeriodTarget,
    JudgementContext,
    Outcome,
    Pace,
    Unit,
)
from fremdrift.core.periods import parse_period
from fremdrift.core.targets import target_from_json
from fremdrift.core.text_da import (
    format_date,
    format_number,
    format_period,
    format_value,
    outcome_label,
    pace_label,
    period_phrase,
)

ENDED = JudgementContext(
    plan_start=date(2017, 6, 1), plan_end=date(2021, 6, 30), as_of=date(2022, 3, 1)
)
RUNNING = JudgementContext(
    plan_start=date(2019, 1, 1), plan_end=date(2019, 4, 11), as_of=date(2019, 2, 8)
)


def pt(code: str, value: str) -> DataPoint:
    return DataPoint(period=parse_period(code), value=Decimal(value))


def test_the_english_catalogue_is_committed() -> None:
    assert (LOCALE_DIR / "en" / "LC_MESSAGES" / "django.mo").is_file()


def test_danish_is_the_default_and_use_language_restores_it() -> None:
    assert get_language() == "da"
    with use_language("en"):
        assert get_language() == "en"
        with use_language("da"):
            assert gettext("opnået") == "opnået"
        assert gettext("opnået") == "achieved"
    assert get_language() == "da"


@pytest.mark.parametrize("lang", ["en-GB", "en_US", "EN"])
def test_a_regional_variant_means_the_language(lang: str) -> None:
    with use_language(lang):
        assert get_language() == "en"


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown language 'de'"), use_language("de"):
        pass


def test_the_language_does_not_leak_into_another_thread() -> None:
    seen: list[str] = []
    with use_language("en"):
        thread = threading.Thread(
            target=lambda: seen.append(outcome_label(Outcome.ACHIEVED))
        )
        thread.start()
        thread.join()
    assert seen == ["opnået"]


def test_plural_and_context_helpers_translate() -> None:
    with use_language("en"):
        assert pgettext("month", "maj") == "May"
        assert ngettext("{count} beboere", "{count} beboere", 1) == "{count} resident"
        assert ngettext("{count} beboere", "{count} beboere", 2) == "{count} residents"


@pytest.mark.parametrize(
    ("lang", "value", "decimals", "expected"),
    [
        pytest.param("da", 1713, None, "1.713", id="da-thousands"),
        pytest.param("en", 1713, None, "1,713", id="en-thousands"),
        pytest.param("da", Decimal("8.2"), None, "8,2", id="da-decimal"),
        pytest.param("en", Decimal("8.2"), None, "8.2", id="en-decimal"),
        pytest.param("en", Decimal("1234567.891"), 2, "1,234,567.89", id="en-both"),
        pytest.param("en", Decimal("-0.04"), 1, "0.0", id="en-no-negative-zero"),
    ],
)
def test_numbers_follow_the_language(
    lang: str, value: Decimal | int, decimals: int | None, expected: str
) -> None:
    with use_language(lang):
        assert format_number(value, decimals) == expected


@pytest.mark.parametrize(
    ("lang", "unit", "label", "expected"),
    [
        pytest.param("da", Unit.PERCENT, "", "8,2 %", id="da-percent"),
        pytest.param("en", Unit.PERCENT, "", "8.2%", id="en-percent"),
        pytest.param("da", Unit.PER_1000, "", "8,2 pr. 1.000 beboere", id="da-rate"),
        pytest.param("en", Unit.PER_1000, "", "8.2 per 1,000 residents", id="en-rate"),
        # The unit label is the plan's own word and stays as entered.
        pytest.param("en", Unit.COUNT, "unge", "8.2 unge", id="en-count-label"),
    ],
)
def test_values_follow_the_language(
    lang: str, unit: Unit, label: str, expected: str
) -> None:
    with use_language(lang):
        assert format_value(Decimal("8.2"), unit, label) == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("da", "30. juni 2021"), ("en", "30 June 2021")],
)
def test_dates_follow_the_language(lang: str, expected: str) -> None:
    with use_language(lang):
        assert format_date(date(2021, 6, 30)) == expected


@pytest.mark.parametrize(
    ("code", "period", "phrase"),
    [
        ("2020", "2020", "in 2020"),
        ("2020/21", "school year 2020/21", "in school year 2020/21"),
        ("2021K3", "Q3 2021", "in Q3 2021"),
        ("2021M08", "August 2021", "in August 2021"),
        ("2021T1", "T1 2021", "in T1 2021"),
        ("2017-06-01", "1 June 2017", "as of 1 June 2017"),
    ],
)
def test_periods_in_english(code: str, period: str, phrase: str) -> None:
    with use_language("en"):
        assert format_period(parse_period(code)) == period
        assert period_phrase(parse_period(code)) == phrase


def test_labels_in_english() -> None:
    with use_language("en"):
        assert [outcome_label(o) for o in Outcome] == [
            "achieved",
            "not achieved",
            "partly achieved",
            "not measurable",
            "in progress",
        ]
        assert [pace_label(p) for p in Pace] == ["on track", "at risk", "off track"]


def spec(kind: CriterionKind, unit: Unit = Unit.COUNT, **target: str) -> CriterionSpec:
    """A spec with its target given by its plan.yaml keys."""
    return CriterionSpec(
        kind=kind,
        target=target_from_json(kind, target),
        unit=unit,
    )


@pytest.mark.parametrize(
    ("criterion", "series", "context", "danish", "english"),
    [
        pytest.param(
            spec(CriterionKind.AT_LEAST, number="80"),
            [pt("2017-2021", "111")],
            ENDED,
            "Opnået: 111 mod et mål på mindst 80.",
            "Achieved: 111 against a target of at least 80.",
            id="at-least",
        ),
        pytest.param(
            spec(CriterionKind.SHARE_AT_LEAST, Unit.PERCENT, number="10"),
            [pt("2020", "8.2")],
            ENDED,
            "Ikke opnået: 8,2 % mod et mål på mindst 10 %.",
            "Not achieved: 8.2% against a target of at least 10%.",
            id="share-at-least",
        ),
        pytest.param(
            spec(CriterionKind.RANGE, min="24", max="40"),
            [pt("2017-2021", "1713")],
            ENDED,
            "Opnået: 1.713 er over det forventede interval 24-40.",
            "Achieved: 1,713 is above the expected range 24-40.",
            id="range-above-maximum",
        ),
        pytest.param(
            spec(CriterionKind.AT_LEAST, number="100"),
            [pt("2019M01", "20")],
            RUNNING,
            "I gang: 20 af 100; bagud mod 38 forventet pr. 8. februar 2019.",
            "In progress: 20 of 100; off track against 38 expected as of "
            "8 February 2019.",
            id="running-count-pace",
        ),
        pytest.param(
            spec(CriterionKind.AT_LEAST, number="80"),
            [],
            ENDED,
            "Kan ikke måles: Der er ingen data at bedømme kriteriet på.",
            "Not measurable: there are no data to judge the criterion on.",
            id="no-data",
        ),
    ],
)
def test_verdict_sentences_follow_the_language(
    criterion: CriterionSpec,
    series: list[DataPoint],
    context: JudgementContext,
    danish: str,
    english: str,
) -> None:
    assert judge(criterion, series, context).explanation == danish
    with use_language("en"):
        assert judge(criterion, series, context).explanation == english


def test_every_period_uses_the_plural_of_the_language() -> None:
    criterion = CriterionSpec(
        kind=CriterionKind.EVERY_PERIOD,
        target=EveryPeriodTarget("at_least", Decimal(5)),
        unit=Unit.COUNT,
    )
    with use_language("en"):
        one = judge(criterion, [pt("2018", "6")], ENDED).explanation
        two = judge(criterion, [pt("2018", "6"), pt("2019", "4")], ENDED).explanation
    assert one == "Achieved: 1 of 1 period reaching at least 5 (2018: 6)."
    assert two == (
        "Partly achieved: 1 of 2 periods reaching at least 5 (2018: 6, 2019: 4)."
    )
