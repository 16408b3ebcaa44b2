"""Properties of intervals, tests, derivations and forecasts that must hold
for every input, not just the textbook rows."""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from fremdrift.core.change import Counted, proportion_change, rate_change
from fremdrift.core.derivation import derive_count, derive_denominator
from fremdrift.core.forecast import SCHOOL_YEAR_SEASON, forecast_count
from fremdrift.core.stats import (
    mean_interval,
    poisson_interval,
    rate_interval,
    wilson_interval,
)

levels = st.sampled_from([0.8, 0.9, 0.95, 0.99])


@st.composite
def shares(draw, max_n: int = 100_000) -> tuple[int, int]:
    n = draw(st.integers(min_value=1, max_value=max_n))
    return draw(st.integers(min_value=0, max_value=n)), n


@given(shares(), levels)
def test_wilson_interval_contains_its_estimate_within_0_and_1(share, level) -> None:
    interval = wilson_interval(*share, level=level)
    assert interval.estimate is not None
    assert 0 <= interval.low <= interval.estimate <= interval.high <= 1


@given(
    st.integers(min_value=0, max_value=50),
    st.integers(min_value=1, max_value=50),
    st.integers(min_value=1, max_value=20),
    st.integers(min_value=2, max_value=20),
)
def test_wilson_interval_narrows_as_n_grows_at_a_fixed_share(x, extra, k, growth):
    n = x + extra
    small = wilson_interval(k * x, k * n)
    large = wilson_interval(k * growth * x, k * growth * n)
    assert large.high - large.low < small.high - small.low


@given(st.integers(min_value=0, max_value=100_000), levels)
def test_poisson_interval_contains_its_count(count, level) -> None:
    interval = poisson_interval(count, level=level)
    assert 0 <= interval.low <= count <= interval.high


@given(
    st.integers(min_value=1, max_value=5_000), st.integers(min_value=2, max_value=10)
)
def test_rate_interval_narrows_as_the_population_grows(count, growth) -> None:
    small = rate_interval(count, 10 * count)
    large = rate_interval(growth * count, growth * 10 * count)
    assert small.estimate == pytest.approx(large.estimate)
    assert large.high - large.low < small.high - small.low


@given(
    st.floats(min_value=-1e6, max_value=1e6),
    st.floats(min_value=0, max_value=1e4),
    st.integers(min_value=2, max_value=10_000),
)
def test_t_interval_contains_its_mean(mean, sd, n) -> None:
    interval = mean_interval(mean, sd, n)
    assert interval.low <= mean <= interval.high


@given(shares(5_000), shares(5_000), levels)
def test_two_proportion_p_values_lie_in_0_to_1(first, second, level) -> None:
    change = proportion_change(Counted.of(*first), Counted.of(*second), level=level)
    assert change.p_value is not None and 0 <= change.p_value <= 1
    assert -1 <= change.difference.low <= change.difference.estimate
    assert change.difference.estimate <= change.difference.high <= 1


@given(shares(5_000))
def test_identical_shares_are_never_beyond_chance(share) -> None:
    change = proportion_change(Counted.of(*share), Counted.of(*share))
    assert change.beyond_chance is False


@given(shares(5_000), shares(5_000))
def test_rate_p_values_lie_in_0_to_1(first, second) -> None:
    change = rate_change(Counted.of(*first), Counted.of(*second))
    assert change.p_value is not None and 0 <= change.p_value <= 1
    assert change.difference.low <= change.difference.estimate
    assert change.difference.estimate <= change.difference.high


@given(shares(100_000))
def test_identical_rates_are_never_beyond_chance(rate) -> None:
    assert rate_change(Counted.of(*rate), Counted.of(*rate)).beyond_chance is False


@given(shares(20_000), st.integers(min_value=0, max_value=2))
def test_derived_denominator_range_holds_the_true_denominator(share, decimals):
    count, n = share
    assume(count > 0)
    quantum = Decimal(1).scaleb(-decimals)
    printed = (Decimal(100 * count) / n).quantize(quantum, ROUND_HALF_UP)
    assume(printed > 0)
    derived = derive_denominator(count, printed, decimals=decimals)
    assert derived is not None and derived.consistent
    assert derived.low <= n and (derived.high is None or n <= derived.high)


@given(shares(20_000), st.integers(min_value=0, max_value=2))
def test_derived_count_range_holds_the_true_count(share, decimals) -> None:
    count, population = share
    quantum = Decimal(1).scaleb(-decimals)
    printed = (Decimal(1000 * count) / population).quantize(quantum, ROUND_HALF_UP)
    derived = derive_count(printed, population, decimals=decimals)
    assert derived.consistent and derived.low <= count <= derived.high


@given(
    st.lists(st.integers(min_value=0, max_value=400), max_size=300),
    st.integers(min_value=0, max_value=400),
    st.booleans(),
)
def test_forecast_interval_holds_the_projection_and_never_loses_registrations(
    offsets, elapsed, seasonal
) -> None:
    start = date(2025, 1, 1)
    registrations = [start + timedelta(days=o) for o in offsets]
    forecast = forecast_count(
        registrations,
        start=start,
        end=start + timedelta(days=400),
        as_of=start + timedelta(days=elapsed),
        target=100,
        season=SCHOOL_YEAR_SEASON if seasonal else None,
    )
    projected = forecast.projected
    assert forecast.observed <= projected.low <= projected.estimate
    assert projected.estimate <= projected.high
    assert math.isfinite(projected.high)
