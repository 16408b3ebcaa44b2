"""Is a change real? Tests of a share or a rate between two periods, and the
change of an area's gap to a comparison population (difference in
differences), with the Danish sentences that say so.

A change is "beyond chance" (større end den statistiske usikkerhed) when its
test's p-value is below 1 − level (0,05 at 95 %). The interval of the
difference is computed separately (Newcombe's hybrid score interval for
shares, the same square-and-add construction over exact Poisson limits for
rates); in rare borderline cases it can include 0 while the test rejects,
or the reverse, and the sentence then follows the test.

Scales as in ``fremdrift.core.stats``: proportions from 0 to 1, rates per
``per`` persons. ``persons`` is the change applied to the later period's
denominator: (p₂ − p₁) · n₂ for a share, (r₂ − r₁) · N₂ / per for a rate,
that is how many more (or fewer) persons the later period had than the
earlier share or rate would have given it. See docs/statistics.md.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass, replace
from decimal import Decimal

from scipy import stats as scipy_stats

from fremdrift.core.derivation import derive_count, derive_denominator
from fremdrift.core.model import NO_VALUE_FLAGS, DataPoint, Unit
from fremdrift.core.stats import (
    DEFAULT_LEVEL,
    PER_1000,
    Count,
    Derived,
    Interval,
    Method,
    Uncomputable,
    check_level,
    mean_interval,
    rate_interval,
    whole,
    wilson_interval,
)

# Campbell (2007): the 'N − 1' chi-square test when every expected cell
# count is at least this, else the Fisher-Irwin test.
_CAMPBELL_MIN_EXPECTED = 1.0
_P_LIMIT = Decimal("0.001")


class ChangeKind(enum.StrEnum):
    """What changed: a share of persons, a rate per population, a mean."""

    PROPORTION = "proportion"
    RATE = "rate"
    MEAN = "mean"


@dataclass(frozen=True, slots=True)
class Counted:
    """A count out of a denominator: persons out of a group for a share,
    events (persons charged) out of residents for a rate. Either may be
    unknown (None); ``derived`` holds whatever was worked out from printed
    figures."""

    count: int | None
    denominator: int | None
    derived: tuple[Derived, ...] = ()

    @classmethod
    def of(cls, count: Count | None, denominator: Count | None) -> Counted:
        """Known numbers, checked to be whole and not negative."""
        return cls(
            None if count is None else whole(count),
            None if denominator is None else whole(denominator, "denominator"),
        )

    @classmethod
    def from_share(
        cls,
        count: Count | None,
        share_percent: Decimal | None,
        *,
        denominator: Count | None = None,
        decimals: int | None = None,
    ) -> Counted:
        """A count with its denominator, derived from the printed share when
        the denominator is not given (``derive_denominator``: 10 = 1,9 % ->
        ca. 526, marked as derived). The denominator stays unknown when the
        count is, or when no denominator follows (a count or share of 0)."""
        if denominator is not None or count is None or share_percent is None:
            return cls.of(count, denominator)
        derived = derive_denominator(count, share_percent, decimals=decimals)
        if derived is None:
            return cls.of(count, None)
        return cls(whole(count), derived.value, (derived,))

    @classmethod
    def from_rate(
        cls,
        rate: Decimal | None,
        population: Count | None,
        *,
        count: Count | None = None,
        per: int = PER_1000,
        decimals: int | None = None,
    ) -> Counted:
        """A count of events with the population, the count derived from
        the printed rate when it is not given (``derive_count``: 22,2 pr.
        1.000 of 360 residents -> ca. 8, marked as derived). The count stays
        unknown without a population."""
        if count is not None or population is None or rate is None:
            return cls.of(count, population)
        derived = derive_count(rate, population, per=per, decimals=decimals)
        return cls(derived.value, whole(population, "population"), (derived,))


@dataclass(frozen=True, slots=True)
class Change:
    """A change between two periods and whether chance explains it.

    ``before``/``after``: each period's estimate and interval;
    ``difference``: after − before with its interval; ``ratio``: the rate
    ratio after/before with its exact interval (rates only); ``test`` and
    ``p_value``: the two-sided test of no change; ``persons``: the change
    in persons (see the module's docstring); ``reason``: why nothing could
    be tested. ``unit`` and ``printed`` (the two values as the source
    printed them) are what the sentence shows.
    """

    kind: ChangeKind
    unit: Unit
    level: float
    before: Interval
    after: Interval
    difference: Interval
    test: Method | None = None
    p_value: float | None = None
    ratio: Interval | None = None
    persons: float | None = None
    reason: Uncomputable | None = None
    printed: tuple[Decimal, Decimal] | None = None

    @property
    def computable(self) -> bool:
        return self.reason is None and self.p_value is not None

    @property
    def beyond_chance(self) -> bool | None:
        """True when the p-value is below 1 − level; None without a test."""
        if self.p_value is None:
            return None
        return self.p_value < 1 - self.level

    @property
    def derived(self) -> tuple[Derived, ...]:
        return self.before.derived + self.after.derived


def _difference_of(before: Interval, after: Interval) -> float | None:
    if before.estimate is None or after.estimate is None:
        return None
    return after.estimate - before.estimate


def mover_difference(
    before: Interval, after: Interval, method: Method, *, bounds: float | None = None
) -> Interval:
    """The interval for after − before from each estimate's own interval,
    by square-and-add (MOVER): with d = a − b,
    low = d − sqrt((a − a_low)² + (b_high − b)²),
    high = d + sqrt((a_high − a)² + (b − b_low)²).
    Both intervals must be computable and at the same level; ``bounds``
    clips the limits to [−bounds, bounds] (1 for proportions).
    Reference: Newcombe (1998b), method 10; Zou & Donner (2008).
    """
    if not (before.computable and after.computable):
        reason = before.reason or after.reason or Uncomputable.NUMERATOR_UNKNOWN
        return Interval(
            _difference_of(before, after), None, None, before.level, method, reason
        )
    assert before.estimate is not None and after.estimate is not None
    assert before.low is not None and before.high is not None
    assert after.low is not None and after.high is not None
    d = after.estimate - before.estimate
    low = d - math.hypot(after.estimate - after.low, before.high - before.estimate)
    high = d + math.hypot(after.high - after.estimate, before.estimate - before.low)
    if bounds is not None:
        low, high = max(-bounds, low), min(bounds, high)
    return Interval(d, low, high, before.level, method)


def two_proportion_test(
    count_before: int, n_before: int, count_after: int, n_after: int
) -> tuple[float, Method]:
    """The two-sided p-value of no difference between two shares, and the
    test used.

    Campbell's (2007) policy: the 'N − 1' chi-square test when every
    expected cell count of the 2 × 2 table is at least 1, else the
    Fisher-Irwin exact test, two-sided by Irwin's rule (the tables as
    likely as or less likely than the one observed). The 'N − 1' statistic
    is (ad − bc)² (N − 1) / (m₁ m₀ n₁ n₂) on one degree of freedom, K.
    Pearson's chi-square times (N − 1)/N. Both denominators must be above 0.
    """
    a, b = count_before, n_before - count_before
    c, d = count_after, n_after - count_after
    total = n_before + n_after
    events, non_events = a + c, b + d
    smallest_expected = min(n_before, n_after) * min(events, non_events) / total
    if smallest_expected >= _CAMPBELL_MIN_EXPECTED:
        statistic = (
            (a * d - b * c) ** 2
            * (total - 1)
            / (events * non_events * n_before * n_after)
        )
        p = float(scipy_stats.chi2.sf(statistic, 1))
        return min(1.0, max(0.0, p)), Method.N_MINUS_1_CHI_SQUARE
    result = scipy_stats.fisher_exact([[a, b], [c, d]], alternative="two-sided")
    return min(1.0, max(0.0, float(result.pvalue))), Method.FISHER_IRWIN


def proportion_change(
    before: Counted, after: Counted, *, level: float = DEFAULT_LEVEL
) -> Change:
    """The change of a share between two independent periods.

    Each period: Wilson interval (``wilson_interval``). Difference
    p₂ − p₁ with Newcombe's hybrid score interval (method 10): the MOVER
    combination of the two Wilson intervals, clipped to [−1, 1]. Test:
    ``two_proportion_test`` (Campbell 2007). Persons: (p₂ − p₁) · n₂.
    Units: proportions from 0 to 1 (``Interval.scaled(100)`` for percent).
    Missing data: an unknown count or denominator, or a denominator of 0,
    in either period gives no test; ``reason`` says which is missing (the
    earlier period's reason first). The periods are taken as independent
    samples; where the same persons are counted in both (the same children
    two years running) the periods are positively correlated and the test
    and interval are conservative (see docs/statistics.md).
    References: Wilson (1927); Newcombe (1998a, 1998b); Campbell (2007).
    """
    check_level(level)
    first = wilson_interval(
        before.count, before.denominator, level=level, derived=before.derived
    )
    second = wilson_interval(
        after.count, after.denominator, level=level, derived=after.derived
    )
    difference = mover_difference(first, second, Method.NEWCOMBE, bounds=1.0)
    if not (first.computable and second.computable):
        return Change(
            ChangeKind.PROPORTION,
            Unit.PERCENT,
            level,
            first,
            second,
            difference,
            reason=difference.reason,
        )
    assert before.count is not None and before.denominator is not None
    assert after.count is not None and after.denominator is not None
    p_value, test = two_proportion_test(
        before.count, before.denominator, after.count, after.denominator
    )
    assert difference.estimate is not None
    return Change(
        ChangeKind.PROPORTION,
        Unit.PERCENT,
        level,
        first,
        second,
        difference,
        test=test,
        p_value=p_value,
        persons=difference.estimate * after.denominator,
    )


def rate_change(
    before: Counted,
    after: Counted,
    *,
    per: int = PER_1000,
    level: float = DEFAULT_LEVEL,
) -> Change:
    """The change of a rate per ``per`` persons between two periods.

    Each period: exact Poisson interval (``rate_interval``). Test: the
    conditional binomial test: given x₁ + x₂ events, x₂ is binomial with
    probability N₂/(N₁ + N₂) when the rates are equal; two-sided p-value by
    ``scipy.stats.binomtest`` (the outcomes as likely as or less likely
    than the one observed). Rate ratio r₂/r₁ with the exact interval from
    the Clopper-Pearson interval (π_low, π_high) of that probability:
    π/(1 − π) · N₁/N₂. Difference r₂ − r₁ with the MOVER interval over the
    two exact Poisson intervals. Persons: (r₂ − r₁) · N₂ / per.
    Missing data: an unknown population in either period gives
    ``POPULATION_UNKNOWN`` and no test, an unknown count
    ``NUMERATOR_UNKNOWN``. Boundaries: no events in either period gives
    p = 1 and a ratio that cannot be computed (``NO_EVENTS``); no events
    in the earlier period only gives a ratio of ∞ with no upper limit.
    References: Przyborowski & Wilenski (1940); Breslow & Day (1987);
    Garwood (1936); Zou & Donner (2008).
    """
    check_level(level)
    first = rate_interval(
        before.count,
        before.denominator,
        per=per,
        level=level,
        derived=before.derived,
    )
    second = rate_interval(
        after.count, after.denominator, per=per, level=level, derived=after.derived
    )
    difference = mover_difference(first, second, Method.MOVER_POISSON)
    if not (first.computable and second.computable):
        return Change(
            ChangeKind.RATE,
            Unit.PER_1000,
            level,
            first,
            second,
            difference,
            reason=difference.reason,
        )
    assert before.count is not None and before.denominator is not None
    assert after.count is not None and after.denominator is not None
    x1, n1, x2, n2 = before.count, before.denominator, after.count, after.denominator
    p_value, ratio = _conditional_binomial(x1, n1, x2, n2, level)
    assert difference.estimate is not None
    return Change(
        ChangeKind.RATE,
        Unit.PER_1000,
        level,
        first,
        second,
        difference,
        test=Method.CONDITIONAL_BINOMIAL,
        p_value=p_value,
        ratio=ratio,
        persons=difference.estimate * n2 / per,
    )


def _conditional_binomial(
    x1: int, n1: int, x2: int, n2: int, level: float
) -> tuple[float, Interval]:
    """The p-value and exact rate ratio of ``rate_change``'s test.

    Given x₁ + x₂ events, x₂ is binomial with probability N₂/(N₁ + N₂)
    when the rates are equal; the ratio's limits come from the
    Clopper-Pearson interval of that probability, π/(1 − π) · N₁/N₂.
    """
    events = x1 + x2
    if events == 0:
        # Nothing to condition on: no evidence of a change, and no ratio.
        return 1.0, Interval(
            None, None, None, level, Method.RATE_RATIO_EXACT, Uncomputable.NO_EVENTS
        )
    result = scipy_stats.binomtest(x2, events, n2 / (n1 + n2))
    # scipy can return a p-value a rounding error outside [0, 1].
    p_value = min(1.0, max(0.0, float(result.pvalue)))
    ci = result.proportion_ci(confidence_level=level, method="exact")
    ratio = Interval(
        # No events before: the ratio is infinite, with no upper limit.
        (x2 / n2) / (x1 / n1) if x1 else math.inf,
        _odds(float(ci.low)) * n1 / n2,
        _odds(float(ci.high)) * n1 / n2,
        level,
        Method.RATE_RATIO_EXACT,
    )
    return p_value, ratio


def _odds(probability: float) -> float:
    return math.inf if probability >= 1 else probability / (1 - probability)


def point_number(point: DataPoint) -> Decimal | None:
    """The value of ``point``, or None when it is flagged missing,
    unreadable or suppressed, or has no finite value."""
    if point.flags & NO_VALUE_FLAGS or point.value is None:
        return None
    return point.value if point.value.is_finite() else None


def counted_from_point(
    point: DataPoint,
    unit: Unit,
    population: Count | None = None,
    *,
    per: int = PER_1000,
    decimals: int | None = None,
) -> Counted:
    """What a data point says about its count and denominator.

    percent: the numerator, and the denominator as given or else derived
    from the numerator and the printed share; per_1000: the numerator as
    given or else derived from the printed rate, out of the point's
    denominator or else ``population``; count: the value as the count, out
    of the point's denominator or else ``population``. A point flagged
    missing, unreadable or suppressed has no value to derive from.
    """
    value = point_number(point)
    if unit is Unit.PERCENT:
        return Counted.from_share(
            point.numerator, value, denominator=point.denominator, decimals=decimals
        )
    people = point.denominator if point.denominator is not None else population
    if unit is Unit.PER_1000:
        return Counted.from_rate(
            value, people, count=point.numerator, per=per, decimals=decimals
        )
    return Counted.of(value, people)


def change_between(
    before: DataPoint,
    after: DataPoint,
    unit: Unit,
    *,
    populations: tuple[Count | None, Count | None] = (None, None),
    per: int = PER_1000,
    decimals: int | None = None,
    level: float = DEFAULT_LEVEL,
) -> Change:
    """The change between two data points of one series, end to end.

    percent: ``proportion_change`` on the counts, deriving a missing
    denominator from the count and the printed share; per_1000 and count:
    ``rate_change``, the population being each point's denominator or else
    ``populations`` (and a rate's count derived from it); mean: never
    testable, since a data point carries no spread (``SPREAD_UNKNOWN``).
    ``decimals``: the printed values' decimals, for the derived ranges
    (see ``stats.printed_decimals``). The printed values are kept for the
    sentence.
    """
    first, second = point_number(before), point_number(after)
    printed = None if first is None or second is None else (first, second)
    if unit is Unit.MEAN:
        return _mean_change(first, second, level, printed)
    counted = [
        counted_from_point(p, unit, population, per=per, decimals=decimals)
        for p, population in zip((before, after), populations, strict=True)
    ]
    if unit is Unit.PERCENT:
        change = proportion_change(counted[0], counted[1], level=level)
    else:
        change = rate_change(counted[0], counted[1], per=per, level=level)
    return replace(change, unit=unit, printed=printed)


def _mean_change(
    first: Decimal | None,
    second: Decimal | None,
    level: float,
    printed: tuple[Decimal, Decimal] | None,
) -> Change:
    def interval(value: Decimal | None) -> Interval:
        if value is None:
            return Interval(
                None, None, None, level, Method.T, Uncomputable.NUMERATOR_UNKNOWN
            )
        return mean_interval(value, None, None, level=level)

    before, after = interval(first), interval(second)
    difference = mover_difference(before, after, Method.T)
    return Change(
        ChangeKind.MEAN,
        Unit.MEAN,
        level,
        before,
        after,
        difference,
        reason=Uncomputable.SPREAD_UNKNOWN,
        printed=printed,
    )
