"""Is a change real? Tests between two periods, the gap to the municipality,
and the seed's cases end to end.

Textbook values:

- Newcombe RG (1998b), "Interval estimation for the difference between
  independent proportions: comparison of eleven methods", Statistics in
  Medicine 17:873-890, Table II, method 10 (hybrid score interval), checked
  to four decimals.
- Campbell I (2007), Statistics in Medicine 26:3661-3675: the 'N − 1'
  chi-square statistic is K. Pearson's times (N − 1)/N, checked against
  SciPy's Pearson chi-square; the Fisher-Irwin p-value by Irwin's rule is
  checked against the hypergeometric probabilities summed by hand.
- The conditional binomial test of two Poisson counts (Przyborowski &
  Wilenski 1940) is checked against the binomial probabilities summed by
  hand, and its exact rate-ratio limits against their definition.

Rows named ``seed-...`` are the Randers Nordby 2017-21 final evaluation's
criteria that print both a count and a share (/work/shared/seed).
"""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from scipy import stats as scipy_stats

from fremdrift.core.change import (
    ChangeKind,
    Counted,
    change_between,
    proportion_change,
    rate_change,
    two_proportion_test,
)
from fremdrift.core.change_text import (
    change_details,
    change_explanation,
    change_sentence,
    p_value_text,
    persons_text,
)
from fremdrift.core.gaps import gap_change, gap_change_between, gap_change_sentence
from fremdrift.core.model import DataPoint, Flag, Unit
from fremdrift.core.periods import parse_period
from fremdrift.core.stats import Method, Uncomputable

D = Decimal


def pt(code, value, numerator=None, denominator=None, flags=()):
    return DataPoint(
        period=parse_period(code),
        value=None if value is None else D(value),
        numerator=None if numerator is None else D(numerator),
        denominator=None if denominator is None else D(denominator),
        flags=frozenset(flags),
    )


# ---------------------------------------------------------------- shares


@pytest.mark.parametrize(
    ("first", "second", "low", "high"),
    [
        pytest.param((48, 80), (56, 70), 0.0524, 0.3339, id="newcombe-II-a"),
        pytest.param((3, 10), (9, 10), 0.1705, 0.8090, id="newcombe-II-b"),
        pytest.param((2, 7), (6, 7), 0.0582, 0.8062, id="newcombe-II-c"),
        pytest.param((0, 29), (5, 56), -0.0381, 0.1926, id="newcombe-II-d"),
        pytest.param((0, 20), (0, 10), -0.1611, 0.2775, id="newcombe-II-e-zeros"),
        pytest.param((0, 20), (10, 10), 0.6791, 1.0000, id="newcombe-II-g-extreme"),
    ],
)
def test_difference_interval_matches_newcombe_table_II(first, second, low, high):
    # Newcombe's p1 - p2 is after - before here: the later period second.
    change = proportion_change(Counted.of(*first), Counted.of(*second))
    difference = change.difference
    assert difference.method is Method.NEWCOMBE
    assert (round(difference.low, 4), round(difference.high, 4)) == (low, high)


def test_n_minus_1_chi_square_is_pearsons_times_n_minus_1_over_n() -> None:
    table = [[48, 32], [56, 14]]
    pearson = scipy_stats.chi2_contingency(table, correction=False).statistic
    expected = scipy_stats.chi2.sf(pearson * 149 / 150, 1)
    p_value, test = two_proportion_test(48, 80, 56, 70)
    assert test is Method.N_MINUS_1_CHI_SQUARE
    assert p_value == pytest.approx(expected, rel=1e-12)


def test_small_expected_counts_use_the_fisher_irwin_test() -> None:
    # 0 of 5 against 2 of 20: the smallest expected count is 5·2/25 = 0,4.
    p_value, test = two_proportion_test(0, 5, 2, 20)
    assert test is Method.FISHER_IRWIN

    # Irwin's rule: the tables as likely as or less likely than the one
    # observed, summed (a = events in the first row, margins 5/20 and 2).
    def probability(a: int) -> float:
        return math.comb(5, a) * math.comb(20, 2 - a) / math.comb(25, 2)

    observed = probability(0)
    by_hand = sum(
        probability(a) for a in range(3) if probability(a) <= observed * (1 + 1e-7)
    )
    assert p_value == pytest.approx(by_hand)


def test_expected_count_of_exactly_1_uses_the_chi_square_test() -> None:
    # 10 against 10 persons with 2 events: every expected count is at least 1.
    assert two_proportion_test(0, 10, 2, 10)[1] is Method.N_MINUS_1_CHI_SQUARE


def test_identical_shares_are_not_beyond_chance() -> None:
    change = proportion_change(Counted.of(12, 140), Counted.of(12, 140))
    assert change.p_value == pytest.approx(1.0)
    assert change.beyond_chance is False
    assert change.persons == 0


def test_a_share_change_without_denominators_cannot_be_tested() -> None:
    change = proportion_change(Counted.of(10, None), Counted.of(15, 484))
    assert not change.computable
    assert change.reason is Uncomputable.DENOMINATOR_UNKNOWN
    assert change.beyond_chance is None
    assert change_sentence(change) == (
        "Usikkerheden kan ikke beregnes, fordi det ikke vides, hvor mange "
        "andelen er regnet ud af."
    )
    assert change_details(change) is None


# ---------------------------------------------------------------- the seed


SEED_SHARES = [
    pytest.param(
        pt("2020", "1.9", 10),
        pt("2021", "3.1", 15),
        (526, 484),
        False,
        "Stigningen fra 1,9 % til 3,1 % svarer til ca. 6 personer og ligger "
        "inden for den statistiske usikkerhed. Nævnerne er udledt af antal og "
        "andel (ca. 526 og ca. 484).",
        id="seed-charged-10-17-year-olds",
    ),
    pytest.param(
        pt("2016", "11", 28),
        pt("2020", "8.2", 24),
        (255, 293),
        False,
        "Faldet fra 11 % til 8,2 % svarer til ca. 8 personer og ligger inden "
        "for den statistiske usikkerhed. Nævnerne er udledt af antal og andel "
        "(ca. 255 og ca. 293).",
        id="seed-language-difficulties-area",
    ),
    pytest.param(
        pt("2016", "7", 14),
        pt("2021", "8.6", 12),
        (200, 140),
        False,
        "Stigningen fra 7 % til 8,6 % svarer til ca. 2 personer og ligger "
        "inden for den statistiske usikkerhed. Nævnerne er udledt af antal og "
        "andel (ca. 200 og ca. 140).",
        id="seed-language-difficulties-institutions",
    ),
    pytest.param(
        pt("2016", "15", 31),
        pt("2021", "2.1", 3),
        (207, 143),
        True,
        "Faldet fra 15 % til 2,1 % svarer til ca. 18 personer og er større end "
        "den statistiske usikkerhed. Nævnerne er udledt af antal og andel (ca. "
        "207 og ca. 143).",
        id="seed-social-difficulties",
    ),
]


@pytest.mark.parametrize(
    ("before", "after", "denominators", "beyond", "sentence"), SEED_SHARES
)
def test_seed_shares_end_to_end(before, after, denominators, beyond, sentence):
    change = change_between(before, after, Unit.PERCENT)
    assert change.kind is ChangeKind.PROPORTION
    assert tuple(d.value for d in change.derived) == denominators
    assert change.beyond_chance is beyond
    assert change_explanation(change) == sentence


@pytest.mark.parametrize(
    ("before", "after", "denominators", "beyond", "sentence"), SEED_SHARES
)
def test_seed_p_values_agree_with_pearsons_chi_square(
    before, after, denominators, beyond, sentence
):
    change = change_between(before, after, Unit.PERCENT)
    x1, x2 = int(before.numerator), int(after.numerator)
    n1, n2 = denominators
    table = [[x1, n1 - x1], [x2, n2 - x2]]
    pearson = scipy_stats.chi2_contingency(table, correction=False).statistic
    n = n1 + n2
    assert change.test is Method.N_MINUS_1_CHI_SQUARE
    assert change.p_value == pytest.approx(
        scipy_stats.chi2.sf(pearson * (n - 1) / n, 1)
    )


def test_seed_values_as_the_database_stores_them_derive_the_same() -> None:
    stored = change_between(
        pt("2016", "11.000000", "28.000000"),
        pt("2020", "8.200000", "24.000000"),
        Unit.PERCENT,
    )
    assert tuple(d.value for d in stored.derived) == (255, 293)
    assert tuple((d.low, d.high) for d in stored.derived) == ((244, 266), (291, 294))


def test_seed_charged_details() -> None:
    change = change_between(pt("2020", "1.9", 10), pt("2021", "3.1", 15), Unit.PERCENT)
    assert change_details(change) == (
        "Ændring +1,2 procentpoint (95 %-konfidensinterval -0,8 til +3,3), p = 0,22."
    )


def test_given_denominators_are_not_derived() -> None:
    change = change_between(
        pt("2020", "1.9", 10, 526), pt("2021", "3.1", 15, 484), Unit.PERCENT
    )
    assert change.derived == ()
    assert change_explanation(change) == (
        "Stigningen fra 1,9 % til 3,1 % svarer til ca. 6 personer og ligger "
        "inden for den statistiske usikkerhed."
    )


def test_a_share_without_its_count_cannot_be_tested() -> None:
    change = change_between(pt("2020", "1.9"), pt("2021", "3.1"), Unit.PERCENT)
    assert change.reason is Uncomputable.NUMERATOR_UNKNOWN


def test_a_suppressed_point_has_nothing_to_derive_from() -> None:
    change = change_between(
        pt("2020", "1.9", 10, flags=[Flag.SUPPRESSED]),
        pt("2021", "3.1", 15),
        Unit.PERCENT,
    )
    assert change.reason is Uncomputable.DENOMINATOR_UNKNOWN


# ---------------------------------------------------------------- rates


def test_seed_rate_without_population_says_it_needs_one() -> None:
    # Vangdalen, persons charged per 1000 residents, 2020 and 2021.
    change = change_between(pt("2020", "22.2"), pt("2021", "35.9"), Unit.PER_1000)
    assert change.reason is Uncomputable.POPULATION_UNKNOWN
    assert change_explanation(change, counted="sigtede") == (
        "Usikkerheden kan ikke beregnes uden områdets befolkningstal."
    )


def test_seed_rate_with_a_recorded_population() -> None:
    change = change_between(
        pt("2020", "22.2"),
        pt("2021", "35.9"),
        Unit.PER_1000,
        populations=(360, 362),
    )
    assert change.kind is ChangeKind.RATE
    assert change.test is Method.CONDITIONAL_BINOMIAL
    assert change.beyond_chance is False
    assert change_sentence(change, counted="sigtede") == (
        "Stigningen fra 22,2 til 35,9 sigtede pr. 1.000 beboere svarer til ca. "
        "5 personer og ligger inden for den statistiske usikkerhed."
    )
    assert change_explanation(change, counted="sigtede").endswith(
        "Antallene er udledt af raterne og befolkningstallene (ca. 8 og ca. 13)."
    )


def test_population_recorded_as_the_points_denominator() -> None:
    change = change_between(
        pt("2020", "22.2", denominator=360),
        pt("2021", "35.9", denominator=362),
        Unit.PER_1000,
    )
    assert change.computable


def test_a_large_population_makes_a_small_rate_change_beyond_chance() -> None:
    # Randers Kommune, persons charged per 1000 residents, 2020 and 2021.
    change = change_between(
        pt("2020", "14.3"),
        pt("2021", "12.2"),
        Unit.PER_1000,
        populations=(98000, 98500),
    )
    assert change.beyond_chance is True
    assert change_sentence(change, counted="sigtede") == (
        "Faldet fra 14,3 til 12,2 sigtede pr. 1.000 beboere svarer til ca. 206 "
        "personer og er større end den statistiske usikkerhed."
    )


def test_conditional_binomial_test_by_hand() -> None:
    # 8 of 360 against 13 of 362: under equal rates the later count is
    # binomial(21, 362/722); two-sided by summing the outcomes no more likely.
    change = rate_change(Counted.of(8, 360), Counted.of(13, 362))
    share = 362 / 722
    probabilities = [
        math.comb(21, k) * share**k * (1 - share) ** (21 - k) for k in range(22)
    ]
    observed = probabilities[13]
    by_hand = sum(p for p in probabilities if p <= observed * (1 + 1e-7))
    assert change.p_value == pytest.approx(by_hand)


def test_exact_rate_ratio_limits_meet_their_definition() -> None:
    change = rate_change(Counted.of(8, 360), Counted.of(13, 362))
    ratio = change.ratio
    assert ratio is not None and ratio.computable
    assert ratio.estimate == pytest.approx((13 / 362) / (8 / 360))

    # Back to the binomial probability: π = RR·N2 / (N1 + RR·N2); the tail
    # beyond each limit is 2,5 %.
    def share(rr: float) -> float:
        return rr * 362 / (360 + rr * 362)

    assert scipy_stats.binom.sf(12, 21, share(ratio.low)) == pytest.approx(0.025)
    assert scipy_stats.binom.cdf(13, 21, share(ratio.high)) == pytest.approx(0.025)


def test_identical_rates_are_not_beyond_chance() -> None:
    change = rate_change(Counted.of(7, 500), Counted.of(7, 500))
    assert change.p_value == pytest.approx(1.0)
    assert change.beyond_chance is False


def test_no_events_in_either_period() -> None:
    change = rate_change(Counted.of(0, 500), Counted.of(0, 480))
    assert change.p_value == 1.0
    assert change.ratio is not None
    assert change.ratio.reason is Uncomputable.NO_EVENTS
    assert change_sentence(change) == (
        "Tallet er det samme i begge perioder (0 pr. 1.000 beboere), så der er "
        "ingen ændring at vurdere."
    )


def test_no_events_before_gives_an_unbounded_ratio() -> None:
    change = rate_change(Counted.of(0, 500), Counted.of(6, 500))
    assert change.ratio is not None
    assert change.ratio.estimate == math.inf and change.ratio.high == math.inf


def test_a_count_with_populations_is_compared_as_a_rate() -> None:
    change = change_between(
        pt("2020", "10"), pt("2021", "15"), Unit.COUNT, populations=(526, 484)
    )
    assert change.kind is ChangeKind.RATE
    assert change_sentence(change, counted="sigtede") == (
        "Stigningen fra 10 til 15 sigtede svarer til ca. 6 personer og ligger "
        "inden for den statistiske usikkerhed."
    )


def test_a_mean_cannot_be_tested_without_its_spread() -> None:
    change = change_between(pt("2019/20", "14.3"), pt("2020/21", "13.8"), Unit.MEAN)
    assert change.reason is Uncomputable.SPREAD_UNKNOWN
    assert change_sentence(change).startswith("Usikkerheden kan ikke beregnes uden")


# ---------------------------------------------------------------- texts


@pytest.mark.parametrize(
    ("persons", "text"),
    [
        (5.8, "ca. 6 personer"),
        (-18.4, "ca. 18 personer"),
        (1.2, "ca. 1 person"),
        (0.49, "under én person"),
        (1234.0, "ca. 1.234 personer"),
    ],
)
def test_persons_text(persons, text) -> None:
    assert persons_text(persons) == text


@pytest.mark.parametrize(
    ("p", "text"),
    [
        (0.2211, "p = 0,22"),
        (0.1, "p = 0,10"),
        (0.0321, "p = 0,032"),
        (0.001, "p = 0,001"),
        (0.00099, "p < 0,001"),
        (1.0, "p = 1,00"),
    ],
)
def test_p_value_text(p, text) -> None:
    assert p_value_text(p) == text


# ---------------------------------------------------------------- gaps


def test_seed_gap_to_the_municipality_with_derived_denominators() -> None:
    # Charged 10-17-year-olds: Nordby 10 = 1,9 % and 15 = 3,1 %; Randers
    # Kommune 78 = 0,8 % and 70 = 0,7 %.
    gap = gap_change_between(
        (pt("2020", "1.9", 10), pt("2021", "3.1", 15)),
        (pt("2020", "0.8", 78), pt("2021", "0.7", 70)),
        Unit.PERCENT,
    )
    assert gap is not None
    assert (gap.gap_before, gap.gap_after, gap.change) == (D("1.1"), D("2.4"), D("1.3"))
    assert gap.interval.method is Method.DIFFERENCE_IN_DIFFERENCES
    assert gap.interval.contains(0) and gap.beyond_chance is False
    assert [d.value for d in gap.interval.derived] == [526, 484, 9750, 10000]
    assert gap_change_sentence(gap, comparison="Randers Kommune") == (
        "Forskellen til Randers Kommune er gået fra 1,1 til 2,4 procentpoint, en "
        "ændring på +1,3 procentpoint, som ligger inden for den statistiske "
        "usikkerhed."
    )


def test_gap_interval_is_the_area_change_less_the_comparison_change() -> None:
    area = (Counted.of(31, 207), Counted.of(3, 143))
    comparison = (Counted.of(500, 10000), Counted.of(480, 10000))
    gap = gap_change(
        area=(D("15"), D("2.1")),
        comparison=(D("5"), D("4.8")),
        unit=Unit.PERCENT,
        area_counts=area,
        comparison_counts=comparison,
    )
    area_change = proportion_change(*area).difference
    comparison_change = proportion_change(*comparison).difference
    assert gap.interval.estimate == pytest.approx(
        100 * (area_change.estimate - comparison_change.estimate)
    )
    # Square-and-add: wider than either change's own interval.
    assert gap.interval.high - gap.interval.low > 100 * (
        area_change.high - area_change.low
    )
    assert gap.beyond_chance is True
    assert gap_change_sentence(gap, comparison="Randers Kommune").endswith(
        "som er større end den statistiske usikkerhed."
    )


def test_seed_crime_rate_gaps_without_populations() -> None:
    # Vangdalen against Randers, persons charged per 1000 residents.
    gap = gap_change_between(
        (pt("2020", "22.2"), pt("2021", "35.9")),
        (pt("2020", "14.3"), pt("2021", "12.2")),
        Unit.PER_1000,
    )
    assert gap is not None
    assert gap.interval.reason is Uncomputable.POPULATION_UNKNOWN
    assert gap.beyond_chance is None
    assert gap_change_sentence(gap, comparison="Randers Kommune") == (
        "Forskellen til Randers Kommune er gået fra 7,9 til 23,7 pr. 1.000 "
        "beboere, en ændring på +15,8 pr. 1.000 beboere. Usikkerheden på "
        "ændringen kan ikke beregnes uden befolkningstal for både området og "
        "Randers Kommune."
    )


def test_seed_crime_rate_gaps_with_recorded_populations() -> None:
    gap = gap_change_between(
        (pt("2020", "22.2"), pt("2021", "35.9")),
        (pt("2020", "14.3"), pt("2021", "12.2")),
        Unit.PER_1000,
        area_populations=(360, 362),
        comparison_populations=(98000, 98500),
    )
    assert gap is not None and gap.interval.computable
    assert gap.beyond_chance is False


def test_gap_without_counts_for_shares_says_what_is_missing() -> None:
    gap = gap_change(
        area=(D("11"), D("8.2")), comparison=(D("5.2"), D("5.0")), unit=Unit.PERCENT
    )
    assert gap.interval.reason is Uncomputable.DENOMINATOR_UNKNOWN
    assert gap_change_sentence(gap, comparison="Randers Kommune ekskl. Nordbyen") == (
        "Forskellen til Randers Kommune ekskl. Nordbyen er gået fra 5,8 til 3,2 "
        "procentpoint, en ændring på -2,6 procentpoint. Usikkerheden på "
        "ændringen kan ikke beregnes uden antal og nævnere for både området og "
        "Randers Kommune ekskl. Nordbyen."
    )


def test_a_missing_value_gives_no_gap() -> None:
    gap = gap_change_between(
        (pt("2020", None), pt("2021", "3.1", 15)),
        (pt("2020", "0.8", 78), pt("2021", "0.7", 70)),
        Unit.PERCENT,
    )
    assert gap is None


def test_gap_reason_names_the_areas_missing_number_first() -> None:
    gap = gap_change(
        area=(D("11"), D("8.2")),
        comparison=(D("5.2"), D("5.0")),
        unit=Unit.PERCENT,
        area_counts=(Counted.of(28, None), Counted.of(24, 293)),
        comparison_counts=(Counted.of(None, 2300), Counted.of(115, 2300)),
    )
    assert gap.interval.reason is Uncomputable.DENOMINATOR_UNKNOWN


def test_gap_of_a_mean_says_the_spread_is_missing() -> None:
    gap = gap_change(
        area=(D("14.3"), D("13.8")), comparison=(D("9.1"), D("9.5")), unit=Unit.MEAN
    )
    assert gap.interval.reason is Uncomputable.SPREAD_UNKNOWN
    assert gap_change_sentence(
        gap, comparison="Randers Kommune", population="dage"
    ) == (
        "Forskellen til Randers Kommune er gået fra 5,2 til 4,3 dage, en ændring "
        "på -0,9 dage. Usikkerheden på ændringen kan ikke beregnes uden "
        "spredningen på målingerne."
    )
