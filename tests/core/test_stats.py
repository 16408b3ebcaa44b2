"""Intervals, derived figures and thin-data warnings against published values.

Textbook values, each checked to four decimals:

- Wilson score interval: Newcombe RG (1998a), "Two-sided confidence intervals
  for the single proportion: comparison of seven methods", Statistics in
  Medicine 17:857-872, Table I, method 3 (score interval without continuity
  correction).
- Exact Poisson interval: Garwood F (1936), Biometrika 28:437-442, by the
  chi-square formula of Ulm K (1990), American Journal of Epidemiology
  131:373-375. The limits are also checked against their definition with the
  Poisson distribution function (the tail beyond each limit is exactly 2,5 %),
  independently of the chi-square quantiles the code uses.
- t-interval: Student (1908); t(0,975; 9) = 2,2622 in every printed t-table.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from scipy import stats as scipy_stats

from fremdrift.core.derivation import (
    derive_count,
    derive_denominator,
    derived_note,
    printed_decimals,
    printed_rate_interval,
)
from fremdrift.core.stat_methods import METHOD_NOTES, method_note, methods_used
from fremdrift.core.stats import (
    DerivedKind,
    Method,
    Uncomputable,
    interval_text,
    level_text,
    mean_interval,
    poisson_interval,
    rate_interval,
    thin_data,
    thin_data_note,
    thin_data_text,
    uncomputable_text,
    wilson_interval,
)

D = Decimal
DOCS = Path(__file__).resolve().parents[2] / "docs" / "statistics.md"


def rounded(number: float | None) -> float:
    assert number is not None
    return round(number, 4)


# ---------------------------------------------------------------- Wilson


@pytest.mark.parametrize(
    ("count", "n", "low", "high"),
    [
        pytest.param(81, 263, 0.2553, 0.3662, id="newcombe-1998a-table-I-a"),
        pytest.param(15, 148, 0.0624, 0.1605, id="newcombe-1998a-table-I-b"),
        pytest.param(0, 20, 0.0000, 0.1611, id="newcombe-1998a-table-I-c-zero"),
        pytest.param(1, 29, 0.0061, 0.1718, id="newcombe-1998a-table-I-d"),
    ],
)
def test_wilson_interval_matches_newcombe_table_I(count, n, low, high) -> None:
    interval = wilson_interval(count, n)
    assert (rounded(interval.low), rounded(interval.high)) == (low, high)
    assert interval.estimate == count / n
    assert interval.method is Method.WILSON
    assert interval.computable


def test_wilson_interval_is_exactly_0_and_1_at_the_ends() -> None:
    assert wilson_interval(0, 7).low == 0.0
    assert wilson_interval(7, 7).high == 1.0


def test_wilson_interval_at_another_level_is_narrower_at_90() -> None:
    wide, narrow = wilson_interval(81, 263), wilson_interval(81, 263, level=0.9)
    assert narrow.low > wide.low and narrow.high < wide.high
    assert narrow.level == 0.9


def test_wilson_interval_accepts_whole_decimals_as_the_model_carries_them() -> None:
    assert wilson_interval(D("81.000000"), D("263")) == wilson_interval(81, 263)


@pytest.mark.parametrize(
    ("count", "n", "reason"),
    [
        pytest.param(10, None, Uncomputable.DENOMINATOR_UNKNOWN, id="no-denominator"),
        pytest.param(None, 100, Uncomputable.NUMERATOR_UNKNOWN, id="no-count"),
        pytest.param(0, 0, Uncomputable.ZERO_DENOMINATOR, id="zero-of-zero"),
    ],
)
def test_wilson_interval_says_why_it_cannot_be_computed(count, n, reason) -> None:
    interval = wilson_interval(count, n)
    assert not interval.computable
    assert interval.reason is reason
    assert interval.low is None and interval.high is None


@pytest.mark.parametrize(
    ("count", "n"), [(11, 10), (-1, 10), (D("2.5"), 10), (1, D("9.5"))]
)
def test_wilson_interval_refuses_impossible_counts(count, n) -> None:
    with pytest.raises(ValueError):
        wilson_interval(count, n)


@pytest.mark.parametrize("level", [0, 1, 1.5, -0.1])
def test_a_level_outside_0_and_1_is_refused(level) -> None:
    with pytest.raises(ValueError):
        wilson_interval(1, 10, level=level)


# ---------------------------------------------------------------- Poisson


@pytest.mark.parametrize(
    ("count", "low", "high"),
    [
        pytest.param(0, 0.0, 3.6889, id="zero"),
        pytest.param(1, 0.0253, 5.5716, id="one"),
        pytest.param(5, 1.6235, 11.6683, id="five"),
        pytest.param(10, 4.7954, 18.3904, id="ten"),
        pytest.param(20, 12.2165, 30.8884, id="twenty"),
    ],
)
def test_exact_poisson_interval_matches_garwood(count, low, high) -> None:
    interval = poisson_interval(count)
    assert (rounded(interval.low), rounded(interval.high)) == (low, high)
    assert interval.estimate == count
    assert interval.method is Method.POISSON_EXACT


@pytest.mark.parametrize("count", [0, 1, 3, 10, 57])
def test_exact_poisson_limits_leave_2_5_percent_in_each_tail(count) -> None:
    interval = poisson_interval(count)
    # P(X <= x | high) = 0,025 and P(X >= x | low) = 0,025 (Garwood 1936).
    assert scipy_stats.poisson.cdf(count, interval.high) == pytest.approx(0.025)
    if count:
        assert scipy_stats.poisson.sf(count - 1, interval.low) == pytest.approx(0.025)


def test_rate_interval_is_the_count_interval_per_1000_of_the_population() -> None:
    interval = rate_interval(10, 2000)
    assert interval.estimate == 5.0
    assert rounded(interval.low) == round(4.7954 / 2, 4)
    assert rounded(interval.high) == round(18.3904 / 2, 4)


def test_rate_interval_without_a_population_is_not_computable() -> None:
    interval = rate_interval(10, None)
    assert interval.reason is Uncomputable.POPULATION_UNKNOWN
    assert uncomputable_text(interval.reason) == (
        "Usikkerheden kan ikke beregnes uden områdets befolkningstal."
    )


def test_printed_rate_without_population_keeps_its_estimate_and_says_why() -> None:
    interval = printed_rate_interval(D("22.2"), None)
    assert interval.estimate == 22.2
    assert interval.reason is Uncomputable.POPULATION_UNKNOWN
    assert interval_text(interval) == (
        "Usikkerheden kan ikke beregnes uden områdets befolkningstal."
    )


def test_printed_rate_is_computed_once_a_population_is_recorded() -> None:
    interval = printed_rate_interval(D("22.2"), 360)
    assert interval.computable
    assert interval.derived[0].kind is DerivedKind.COUNT_FROM_RATE_AND_POPULATION
    assert interval.derived[0].value == 8
    assert interval.estimate == pytest.approx(8 / 360 * 1000)
    assert interval_text(interval, unit_text=" pr. 1.000 beboere") == (
        "Den statistiske usikkerhed (95 %-konfidensinterval) går fra 9,6 til "
        "43,8 pr. 1.000 beboere."
    )


# ---------------------------------------------------------------- t


def test_t_interval_matches_the_t_table() -> None:
    # mean 10, sd 2, n 10: 10 ± 2,2622 · 2/√10.
    interval = mean_interval(10, 2, 10)
    assert (rounded(interval.low), rounded(interval.high)) == (8.5693, 11.4307)
    assert interval.method is Method.T


@pytest.mark.parametrize(
    ("sd", "n", "reason"),
    [
        pytest.param(None, 30, Uncomputable.SPREAD_UNKNOWN, id="no-spread"),
        pytest.param(2, None, Uncomputable.N_UNKNOWN, id="no-n"),
        pytest.param(2, 1, Uncomputable.TOO_FEW, id="one-measurement"),
    ],
)
def test_t_interval_says_why_it_cannot_be_computed(sd, n, reason) -> None:
    interval = mean_interval(D("14.3"), sd, n)
    assert interval.estimate == 14.3
    assert interval.reason is reason
    assert not interval.computable


def test_t_interval_without_spread_reads_cannot_be_computed() -> None:
    assert interval_text(mean_interval(14.3, None, 40)) == (
        "Usikkerheden kan ikke beregnes uden spredningen (standardafvigelsen) "
        "på målingerne."
    )


def test_t_interval_of_identical_measurements_has_no_width() -> None:
    interval = mean_interval(5, 0, 8)
    assert interval.low == interval.high == 5


def test_a_negative_standard_deviation_is_refused() -> None:
    with pytest.raises(ValueError):
        mean_interval(5, -1, 8)


# ---------------------------------------------------------------- sentences


def test_interval_text_for_a_share_in_percent() -> None:
    assert interval_text(wilson_interval(81, 263), factor=100, unit_text=" %") == (
        "Den statistiske usikkerhed (95 %-konfidensinterval) går fra 25,5 til 36,6 %."
    )


@pytest.mark.parametrize(
    ("level", "text"), [(0.95, "95"), (0.9, "90"), (0.995, "99,5")]
)
def test_level_text(level, text) -> None:
    assert level_text(level) == text


# ---------------------------------------------------------------- thin data


@pytest.mark.parametrize(
    ("n", "threshold", "thin"),
    [
        pytest.param(12, 20, True, id="seed-twelve"),
        pytest.param(19, 20, True, id="one-below-the-threshold"),
        pytest.param(20, 20, False, id="exactly-at-the-threshold"),
        pytest.param(500, 20, False, id="plenty"),
        pytest.param(0, 20, True, id="nobody"),
        pytest.param(D("12"), 20, True, id="decimal"),
        pytest.param(None, 20, False, id="unknown-n"),
        pytest.param(40, 50, True, id="configured-threshold"),
    ],
)
def test_thin_data(n, threshold, thin) -> None:
    assert thin_data(n, threshold) is thin


def test_thin_data_wording() -> None:
    assert thin_data_text(12) == "spinkelt datagrundlag (n = 12)"
    assert thin_data_note(12) == "spinkelt datagrundlag (n = 12)"
    assert thin_data_note(20) is None
    assert thin_data_note(None) is None


# ---------------------------------------------------------------- derivation


@pytest.mark.parametrize(
    ("count", "share", "value", "low", "high"),
    [
        pytest.param(10, "1.9", 526, 513, 540, id="seed-charged-2020"),
        pytest.param(15, "3.1", 484, 477, 491, id="seed-charged-2021"),
        pytest.param(28, "11", 255, 244, 266, id="seed-language-2016"),
        pytest.param(24, "8.2", 293, 291, 294, id="seed-language-2020"),
        pytest.param(14, "7", 200, 187, 215, id="seed-institutions-2016"),
        pytest.param(12, "8.6", 140, 139, 140, id="seed-institutions-2021"),
        pytest.param(31, "15", 207, 200, 213, id="seed-social-2016"),
        pytest.param(3, "2.1", 143, 140, 146, id="seed-social-2021"),
        pytest.param(5, "100", 5, 5, 5, id="everybody"),
    ],
)
def test_derive_denominator_from_the_seed(count, share, value, low, high) -> None:
    derived = derive_denominator(count, D(share))
    assert derived is not None
    assert (derived.value, derived.low, derived.high) == (value, low, high)
    assert derived.kind is DerivedKind.DENOMINATOR_FROM_COUNT_AND_SHARE
    assert derived.consistent


def test_every_denominator_in_the_range_reproduces_the_printed_share() -> None:
    derived = derive_denominator(10, D("1.9"))
    assert derived is not None and derived.low is not None and derived.high
    # 1,9 % stands for any share from 1,85 % to 1,95 %, both included.
    for n in range(derived.low, derived.high + 1):
        assert abs(Decimal(1000) / n - D("1.9")) <= D("0.05")
    for n in (derived.low - 1, derived.high + 1):
        assert abs(Decimal(1000) / n - D("1.9")) > D("0.05")


def test_a_padded_stored_share_derives_as_its_printed_form() -> None:
    assert derive_denominator(10, D("1.900000")) == derive_denominator(10, D("1.9"))
    assert printed_decimals(D("11.000000")) == 0
    assert printed_decimals(D("11.000000"), decimals=1) == 1


def test_no_denominator_follows_from_a_count_of_zero() -> None:
    assert derive_denominator(0, D("0")) is None


def test_printed_figures_that_no_whole_denominator_fits_are_marked() -> None:
    # 1 of 2 is 50 %, 1 of 3 is 33,3 %: nothing prints as 40,0 %.
    derived = derive_denominator(1, D("40.0"), decimals=1)
    assert derived is not None
    assert not derived.consistent
    assert derived.low is None and derived.high is None


@pytest.mark.parametrize("share", ["-1", "100.1", "NaN"])
def test_a_share_that_is_no_percent_is_refused(share) -> None:
    with pytest.raises(ValueError):
        derive_denominator(3, D(share))


def test_derive_count_from_a_rate_and_a_population() -> None:
    derived = derive_count(D("22.2"), 360)
    assert (derived.value, derived.low, derived.high) == (8, 8, 8)
    assert derived.kind is DerivedKind.COUNT_FROM_RATE_AND_POPULATION
    # 22,2 of 365 is 8,1: no whole count gives 22,2 exactly (8 is 21,9).
    assert not derive_count(D("22.2"), 365).consistent
    assert derive_count(D("22.2"), 365).value == 8


def test_derived_notes() -> None:
    first, second = derive_denominator(10, D("1.9")), derive_denominator(15, D("3.1"))
    assert first is not None and second is not None
    assert derived_note([first]) == "Nævneren er udledt af antal og andel (ca. 526)."
    assert derived_note([first, second]) == (
        "Nævnerne er udledt af antal og andel (ca. 526 og ca. 484)."
    )
    assert derived_note([derive_count(D("22.2"), 360)]) == (
        "Antallet er udledt af raten og befolkningstallet (ca. 8)."
    )
    assert derived_note([]) is None


# ---------------------------------------------------------------- methods


@pytest.mark.parametrize("method", list(Method))
def test_every_method_has_a_note_with_references(method) -> None:
    note = method_note(method)
    assert note.endswith(").") and METHOD_NOTES[method][1] in note


@pytest.mark.parametrize("method", list(Method))
def test_every_method_is_documented(method) -> None:
    assert f"`{method.value}`" in DOCS.read_text(encoding="utf-8")


@pytest.mark.parametrize("reason", list(Uncomputable))
def test_every_reason_is_documented_and_has_a_sentence(reason) -> None:
    assert f"`{reason.value}`" in DOCS.read_text(encoding="utf-8")
    assert uncomputable_text(reason).endswith(".")


def test_methods_used_names_only_what_produced_a_number() -> None:
    used = methods_used([wilson_interval(1, 10), rate_interval(3, None)])
    assert used == (Method.WILSON,)
