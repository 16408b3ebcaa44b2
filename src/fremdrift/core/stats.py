"""How sure a number is: intervals for a share, a count, a rate and a mean;
denominators and counts worked out from printed figures; thin-data warnings.

Every result says how it was computed (``Method``) and, when it cannot be
computed, why (``Uncomputable``). A missing denominator or population is
never invented: the result says so, and its sentence tells the reader what
is missing. ``docs/statistics.md`` describes every method with its
references; ``stat_methods.method_note`` gives the same in one Danish
sentence each for a report's closing note. Related modules: ``derivation``
(denominators and counts worked out from printed figures), ``change`` and
``change_text`` (is a change real?), ``gaps`` (difference in differences
against a comparison population), ``forecast`` (pace and forecast).

Statistics are ``float``. The limits are quantiles of continuous
distributions, irrational numbers that SciPy computes in binary floating
point to about 15 digits, and they are shown rounded to one decimal, so a
``Decimal`` would claim an exactness the numbers do not have. Where the
printed figure itself matters (working out the denominator behind
"10 = 1,9 %") the arithmetic is exact, in ``Fraction``s over the
``Decimal``s as printed.

Scales: a proportion is a fraction from 0 to 1 (81 of 263 is 0.308), a count
is a count, a rate is per ``per`` persons (per 1000 unless told otherwise),
a mean is in the unit of its measurements. ``Interval.scaled(100)`` turns a
proportion into percent.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from scipy import stats as scipy_stats

from fremdrift.core.i18n import _, gettext_noop
from fremdrift.core.text_da import format_number

DEFAULT_LEVEL = 0.95
THIN_DATA_THRESHOLD = 20
PER_1000 = 1000

# A count or denominator as the model carries it: an int, or a Decimal
# holding a whole number.
Count = int | Decimal


class Method(enum.StrEnum):
    """How an interval, test or forecast was computed (see
    docs/statistics.md)."""

    WILSON = "wilson"
    POISSON_EXACT = "poisson_exact"
    T = "t"
    NEWCOMBE = "newcombe_hybrid_score"
    MOVER_POISSON = "mover_poisson"
    N_MINUS_1_CHI_SQUARE = "n_minus_1_chi_square"
    FISHER_IRWIN = "fisher_irwin"
    CONDITIONAL_BINOMIAL = "conditional_binomial"
    RATE_RATIO_EXACT = "rate_ratio_exact"
    DIFFERENCE_IN_DIFFERENCES = "difference_in_differences"
    FORECAST_LINEAR = "forecast_linear"
    FORECAST_SEASONAL = "forecast_seasonal"


class Uncomputable(enum.StrEnum):
    """Why an interval, test or forecast could not be computed."""

    DENOMINATOR_UNKNOWN = "denominator_unknown"
    NUMERATOR_UNKNOWN = "numerator_unknown"
    ZERO_DENOMINATOR = "zero_denominator"
    POPULATION_UNKNOWN = "population_unknown"
    SPREAD_UNKNOWN = "spread_unknown"
    N_UNKNOWN = "n_unknown"
    TOO_FEW = "too_few"
    NO_EVENTS = "no_events"
    NOT_STARTED = "not_started"
    NO_EXPOSURE = "no_exposure"


UNCOMPUTABLE_TEXTS = {
    Uncomputable.DENOMINATOR_UNKNOWN: gettext_noop(
        "Usikkerheden kan ikke beregnes, fordi det ikke vides, hvor mange "
        "andelen er regnet ud af."
    ),
    Uncomputable.NUMERATOR_UNKNOWN: gettext_noop(
        "Usikkerheden kan ikke beregnes, fordi antallet bag tallet ikke er kendt."
    ),
    Uncomputable.ZERO_DENOMINATOR: gettext_noop(
        "Usikkerheden kan ikke beregnes, fordi der ikke er nogen at regne "
        "andelen ud af."
    ),
    Uncomputable.POPULATION_UNKNOWN: gettext_noop(
        "Usikkerheden kan ikke beregnes uden områdets befolkningstal."
    ),
    Uncomputable.SPREAD_UNKNOWN: gettext_noop(
        "Usikkerheden kan ikke beregnes uden spredningen (standardafvigelsen) "
        "på målingerne."
    ),
    Uncomputable.N_UNKNOWN: gettext_noop(
        "Usikkerheden kan ikke beregnes uden antallet af målinger."
    ),
    Uncomputable.TOO_FEW: gettext_noop(
        "Usikkerheden kan ikke beregnes på færre end to målinger."
    ),
    Uncomputable.NO_EVENTS: gettext_noop(
        "Forholdet mellem de to perioder kan ikke beregnes, fordi der ikke er "
        "nogen hændelser i nogen af dem."
    ),
    Uncomputable.NOT_STARTED: gettext_noop(
        "Der kan ikke laves en fremskrivning, før perioden er begyndt."
    ),
    Uncomputable.NO_EXPOSURE: gettext_noop(
        "Der kan ikke laves en fremskrivning, fordi sæsonprofilen ikke "
        "forventer aktivitet i den del af perioden, der er gået."
    ),
}


def uncomputable_text(reason: Uncomputable) -> str:
    """Why the uncertainty cannot be computed, as one Danish sentence:
    ``Usikkerheden kan ikke beregnes uden områdets befolkningstal.``"""
    return _(UNCOMPUTABLE_TEXTS[reason])


class DerivedKind(enum.StrEnum):
    """What a ``Derived`` number was worked out from."""

    DENOMINATOR_FROM_COUNT_AND_SHARE = "denominator_from_count_and_share"
    COUNT_FROM_RATE_AND_POPULATION = "count_from_rate_and_population"


@dataclass(frozen=True, slots=True)
class Derived:
    """A whole number worked out from printed figures, not read from a source.

    ``kind`` says what was derived from what; ``value`` is the nearest whole
    number; ``low``/``high`` are the smallest and largest whole numbers that
    reproduce the printed figure at its rounding (``high`` is None when
    there is no upper bound). When no whole number reproduces it, the
    printed figures disagree with each other: ``consistent`` is False and
    ``low``/``high`` are None. ``known`` is the count (or population) it
    was derived from, ``printed`` the share (or rate) as printed and
    ``decimals`` how many decimals that figure was taken to have.
    """

    kind: DerivedKind
    value: int
    low: int | None
    high: int | None
    known: Decimal
    printed: Decimal
    decimals: int

    @property
    def consistent(self) -> bool:
        return self.low is not None


@dataclass(frozen=True, slots=True)
class Interval:
    """An estimate and its interval at ``level`` (0.95 for 95 %).

    ``estimate`` is the point estimate (None when even that is unknown);
    ``low``/``high`` the limits, None when the interval cannot be computed,
    and then ``reason`` says why. A limit may be ``math.inf`` where there
    is no upper bound (a rate ratio over a period with no events).
    ``derived`` holds the denominators or counts worked out from printed
    figures that the interval rests on.
    """

    estimate: float | None
    low: float | None
    high: float | None
    level: float
    method: Method
    reason: Uncomputable | None = None
    derived: tuple[Derived, ...] = ()

    @property
    def computable(self) -> bool:
        return self.reason is None and self.low is not None and self.high is not None

    def contains(self, value: float) -> bool:
        """True when ``value`` lies inside the interval (ends included);
        False when there is no interval."""
        if self.low is None or self.high is None:
            return False
        return self.low <= value <= self.high

    def scaled(self, factor: float) -> Interval:
        """The same interval with every number multiplied by ``factor``
        (100 turns a proportion into percent)."""
        return Interval(
            estimate=_times(self.estimate, factor),
            low=_times(self.low, factor),
            high=_times(self.high, factor),
            level=self.level,
            method=self.method,
            reason=self.reason,
            derived=self.derived,
        )


def _times(number: float | None, factor: float) -> float | None:
    return None if number is None else number * factor


def check_level(level: float) -> float:
    """``level`` itself; raises ``ValueError`` unless 0 < level < 1."""
    if not 0 < level < 1:
        raise ValueError(f"a confidence level must lie between 0 and 1, not {level}")
    return level


def normal_quantile(level: float) -> float:
    """z such that a standard normal lies within ±z with probability
    ``level``: 1,96 for 0.95."""
    alpha = 1 - check_level(level)
    return float(scipy_stats.norm.ppf(1 - alpha / 2))


def whole(number: Count, what: str = "count") -> int:
    """``number`` as an int; raises ``ValueError`` when it is negative or not
    a whole number (a count of persons has no decimals)."""
    if isinstance(number, Decimal):
        if not number.is_finite() or number != number.to_integral_value():
            raise ValueError(f"the {what} {number} is not a whole number")
        number = int(number)
    if number < 0:
        raise ValueError(f"the {what} {number} is negative")
    return number


def _uncomputable(
    method: Method,
    reason: Uncomputable,
    level: float,
    estimate: float | None = None,
    derived: tuple[Derived, ...] = (),
) -> Interval:
    return Interval(estimate, None, None, level, method, reason, derived)


def wilson_bounds(count: int, denominator: int, level: float) -> tuple[float, float]:
    """The Wilson score limits for ``count`` of ``denominator`` (> 0)."""
    z = normal_quantile(level)
    n, x = denominator, count
    centre = (x + z * z / 2) / (n + z * z)
    half = z / (n + z * z) * math.sqrt(x * (n - x) / n + z * z / 4)
    # At 0 and n the limits are exactly 0 and 1; rounding noise must not
    # push them outside [0, 1] or past the estimate.
    low = 0.0 if x == 0 else max(0.0, min(centre - half, x / n))
    high = 1.0 if x == n else min(1.0, max(centre + half, x / n))
    return low, high


def wilson_interval(
    count: Count | None,
    denominator: Count | None,
    *,
    level: float = DEFAULT_LEVEL,
    derived: tuple[Derived, ...] = (),
) -> Interval:
    """The Wilson score interval for a proportion ``count``/``denominator``.

    Formula, with p = x/n and z the normal quantile for ``level``:
    (x + z²/2)/(n + z²) ± z/(n + z²) · sqrt(x(n − x)/n + z²/4).
    Units: a proportion from 0 to 1. Boundaries: x = 0 gives a low limit of
    exactly 0 and x = n a high limit of exactly 1; the limits never leave
    [0, 1] and always contain x/n. Missing data: an unknown count or
    denominator gives no interval (``NUMERATOR_UNKNOWN``,
    ``DENOMINATOR_UNKNOWN``), a denominator of 0 gives ``ZERO_DENOMINATOR``
    (0 of 0 is no share). A count above the denominator raises
    ``ValueError``.
    Reference: Wilson (1927); Newcombe (1998a), method 3, Table I:
    81/263 -> 0,2553 to 0,3662.
    """
    check_level(level)
    if count is None:
        return _uncomputable(
            Method.WILSON, Uncomputable.NUMERATOR_UNKNOWN, level, derived=derived
        )
    x = whole(count)
    if denominator is None:
        return _uncomputable(
            Method.WILSON, Uncomputable.DENOMINATOR_UNKNOWN, level, derived=derived
        )
    n = whole(denominator, "denominator")
    if n == 0:
        return _uncomputable(
            Method.WILSON, Uncomputable.ZERO_DENOMINATOR, level, derived=derived
        )
    if x > n:
        raise ValueError(f"a count of {x} cannot be a share of {n}")
    low, high = wilson_bounds(x, n, level)
    return Interval(x / n, low, high, level, Method.WILSON, derived=derived)


def garwood_bounds(count: int, level: float) -> tuple[float, float]:
    """The exact Poisson limits for an observed ``count``."""
    alpha = 1 - check_level(level)
    low = 0.0 if count == 0 else float(scipy_stats.chi2.ppf(alpha / 2, 2 * count)) / 2
    high = float(scipy_stats.chi2.ppf(1 - alpha / 2, 2 * count + 2)) / 2
    return low, high


def poisson_interval(count: Count | None, *, level: float = DEFAULT_LEVEL) -> Interval:
    """The exact (Garwood) interval for the mean of a Poisson count.

    Formula, with α = 1 − level: low = χ²(α/2; 2x)/2, high =
    χ²(1 − α/2; 2x + 2)/2, χ²(p; k) being the p quantile of the chi-square
    distribution with k degrees of freedom (equivalently gamma quantiles
    with shapes x and x + 1). Units: a count. Boundaries: x = 0 gives a low
    limit of exactly 0 (high 3,6889 at 95 %). Missing data: an unknown
    count gives no interval (``NUMERATOR_UNKNOWN``).
    Reference: Garwood (1936); Ulm (1990). x = 10 -> 4,7954 to 18,3904.
    """
    check_level(level)
    if count is None:
        return _uncomputable(
            Method.POISSON_EXACT, Uncomputable.NUMERATOR_UNKNOWN, level
        )
    x = whole(count)
    low, high = garwood_bounds(x, level)
    return Interval(float(x), low, high, level, Method.POISSON_EXACT)


def rate_interval(
    count: Count | None,
    population: Count | None,
    *,
    per: int = PER_1000,
    level: float = DEFAULT_LEVEL,
    derived: tuple[Derived, ...] = (),
) -> Interval:
    """The exact Poisson interval for a rate per ``per`` persons.

    Formula: the Garwood limits of the count (``poisson_interval``), each
    multiplied by per/N, N being the population; the estimate is
    x · per/N. Units: per ``per`` persons (per 1000 residents by default).
    The population is taken as fixed and known: its own error is ignored,
    which is right for a register count of residents. Missing data: an
    unknown population gives ``POPULATION_UNKNOWN`` (a rate cannot be
    judged without it), an unknown count ``NUMERATOR_UNKNOWN``; a
    population of 0 gives ``ZERO_DENOMINATOR``.
    Reference: Garwood (1936); Ulm (1990); Breslow & Day (1987).
    """
    check_level(level)
    if population is None:
        return _uncomputable(
            Method.POISSON_EXACT,
            Uncomputable.POPULATION_UNKNOWN,
            level,
            derived=derived,
        )
    people = whole(population, "population")
    if count is None:
        return _uncomputable(
            Method.POISSON_EXACT, Uncomputable.NUMERATOR_UNKNOWN, level, derived=derived
        )
    x = whole(count)
    if people == 0:
        return _uncomputable(
            Method.POISSON_EXACT, Uncomputable.ZERO_DENOMINATOR, level, derived=derived
        )
    low, high = garwood_bounds(x, level)
    return Interval(
        x * per / people,
        low * per / people,
        high * per / people,
        level,
        Method.POISSON_EXACT,
        derived=derived,
    )


def mean_interval(
    mean: float | Decimal,
    sd: float | Decimal | None,
    n: Count | None,
    *,
    level: float = DEFAULT_LEVEL,
) -> Interval:
    """The t-interval for a mean of ``n`` measurements with standard
    deviation ``sd``.

    Formula: mean ± t(1 − α/2; n − 1) · sd/√n, t being the quantile of
    Student's t distribution with n − 1 degrees of freedom. Units: those of
    the measurements (days of absence, ...). Missing data: the estimate is
    always the mean; without the standard deviation the reason is
    ``SPREAD_UNKNOWN`` and without n ``N_UNKNOWN``; with fewer than two
    measurements ``TOO_FEW`` (there is no spread to estimate). A standard
    deviation of 0 gives an interval of width 0. A negative standard
    deviation raises ``ValueError``.
    Reference: Student (1908). For mean 10, sd 2, n 10 the t quantile is
    2,2622 and the interval 8,5693 to 11,4307.
    """
    check_level(level)
    estimate = float(mean)
    if sd is None:
        return _uncomputable(Method.T, Uncomputable.SPREAD_UNKNOWN, level, estimate)
    spread = float(sd)
    if spread < 0 or not math.isfinite(spread):
        raise ValueError(f"a standard deviation cannot be {sd}")
    if n is None:
        return _uncomputable(Method.T, Uncomputable.N_UNKNOWN, level, estimate)
    size = whole(n, "number of measurements")
    if size < 2:
        return _uncomputable(Method.T, Uncomputable.TOO_FEW, level, estimate)
    alpha = 1 - level
    half = float(scipy_stats.t.ppf(1 - alpha / 2, size - 1)) * spread / math.sqrt(size)
    return Interval(estimate, estimate - half, estimate + half, level, Method.T)


def thin_data(n: Count | None, threshold: int = THIN_DATA_THRESHOLD) -> bool:
    """True when a number rests on fewer than ``threshold`` persons.

    Boundary: exactly ``threshold`` persons is not thin. Missing data: an
    unknown n is not called thin (there is nothing to show); its
    uncertainty is reported as not computable instead. Raises
    ``ValueError`` for a negative or fractional n.
    """
    if n is None:
        return False
    return whole(n, "number of persons") < threshold


def thin_data_text(n: Count) -> str:
    """The warning shown next to a thin number: ``spinkelt datagrundlag
    (n = 12)``."""
    return _("spinkelt datagrundlag (n = {n})").format(
        n=format_number(whole(n, "number of persons"))
    )


def thin_data_note(n: Count | None, threshold: int = THIN_DATA_THRESHOLD) -> str | None:
    """``thin_data_text(n)`` when ``thin_data(n, threshold)``, else None."""
    if n is None or not thin_data(n, threshold):
        return None
    return thin_data_text(n)


def level_text(level: float) -> str:
    """A level as a percent number without the sign: 0.95 -> ``95``,
    0.9 -> ``90``, 0.995 -> ``99,5``."""
    percent = Decimal(str(round(check_level(level) * 100, 6)))
    return format_number(percent)


def interval_text(
    interval: Interval, *, factor: float = 1, decimals: int = 1, unit_text: str = ""
) -> str:
    """One Danish sentence that states an interval or why there is none:
    ``Den statistiske usikkerhed (95 %-konfidensinterval) går fra 25,5 til
    36,6 %.`` ``factor`` scales the numbers first (100 for a proportion
    shown in percent); ``unit_text`` follows the high limit (`` %``,
    `` pr. 1.000 beboere``)."""
    if not interval.computable:
        return uncomputable_text(interval.reason or Uncomputable.NUMERATOR_UNKNOWN)
    assert interval.low is not None and interval.high is not None
    return _(
        "Den statistiske usikkerhed ({level} %-konfidensinterval) går fra "
        "{low} til {high}."
    ).format(
        level=level_text(interval.level),
        low=display(interval.low * factor, decimals),
        high=display(interval.high * factor, decimals) + unit_text,
    )


def display(number: float, decimals: int = 1) -> str:
    """A statistic for a reader: rounded half up to ``decimals``, in the
    current language's notation; ``math.inf`` is ``∞``."""
    if math.isinf(number):
        return "∞" if number > 0 else "-∞"
    return format_number(Decimal(repr(number)), decimals)


def round_half_up(number: float | Fraction) -> int:
    """The nearest whole number, halves away from zero (2,5 -> 3)."""
    exact = Fraction(number)
    sign = 1 if exact >= 0 else -1
    return sign * math.floor(abs(exact) + Fraction(1, 2))
