"""Numbers worked out from printed figures: the denominator behind a count
and its share ("10 = 1,9 %" -> ca. 526), the count behind a rate and a
population ("22,2 pr. 1.000" of 360 residents -> ca. 8), and the note that
says so wherever they are used.

The printed figure is taken at its word and no more: "1,9 %" stands for
any share from 1,85 % to 1,95 %, so the derivation gives the nearest whole
number and the range of whole numbers the printed rounding allows. The
arithmetic is exact (``Fraction``s over the printed ``Decimal``s): whether a
denominator reproduces a printed share must not depend on binary rounding.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from fremdrift.core.i18n import _
from fremdrift.core.stats import (
    DEFAULT_LEVEL,
    PER_1000,
    Count,
    Derived,
    DerivedKind,
    Interval,
    Method,
    Uncomputable,
    check_level,
    rate_interval,
    round_half_up,
    whole,
)
from fremdrift.core.text_da import format_number


def printed_rate_interval(
    rate: Decimal,
    population: Count | None,
    *,
    per: int = PER_1000,
    decimals: int | None = None,
    level: float = DEFAULT_LEVEL,
) -> Interval:
    """The exact Poisson interval for a rate printed without its count.

    The count is derived from the printed rate and the population
    (``derive_count``) and the interval is ``rate_interval`` on it, marked
    with the derivation; its estimate is derived count · per/N, which can
    differ from the printed rate in the last decimal. Missing data: without
    a population the estimate is the printed rate and the reason is
    ``POPULATION_UNKNOWN`` ("Usikkerheden kan ikke beregnes uden områdets
    befolkningstal.").
    """
    check_level(level)
    if population is None:
        return Interval(
            float(rate),
            None,
            None,
            level,
            Method.POISSON_EXACT,
            Uncomputable.POPULATION_UNKNOWN,
        )
    derived = derive_count(rate, population, per=per, decimals=decimals)
    return rate_interval(
        derived.value, population, per=per, level=level, derived=(derived,)
    )


def printed_decimals(printed: Decimal, decimals: int | None = None) -> int:
    """How many decimals a printed figure has: ``decimals`` when given, else
    those of ``printed`` without trailing zeros (``Decimal("8.200000")``,
    as the database keeps it, is taken as ``8,2``: one decimal). Trailing
    zeros are dropped because storage pads them; a figure printed as
    ``7,0`` is then taken as ``7``, which widens the derived range and
    errs on the safe side."""
    if decimals is not None:
        if decimals < 0:
            raise ValueError("decimals must be zero or more")
        return decimals
    exponent = printed.normalize().as_tuple().exponent
    assert isinstance(exponent, int), "printed figures are finite"
    return max(0, -exponent)


def _half_unit(decimals: int) -> Fraction:
    return Fraction(1, 2 * 10**decimals)


def derive_denominator(
    count: Count, share_percent: Decimal, *, decimals: int | None = None
) -> Derived | None:
    """The denominator behind a count and its share as printed:
    10 = 1,9 % -> ca. 526.

    Formula: n = 100 · x / s, s being the share in percent, rounded half up
    to a whole number. The printed share stands for any true share within
    half a unit of its last decimal, [s − h, s + h] with h = 0,5 · 10^−d,
    so the denominators consistent with it are the whole numbers from
    ceil(100x/(s + h)) to floor(100x/(s − h)); both ends are included, so
    the range holds whether the source rounded half up or half to even
    (10 = 1,9 % -> 513 to 540; 28 = 11 % -> 244 to 266). No denominator is
    below the count. Missing data and boundaries: a count of 0, or a share
    that rounds to 0, gives None (any denominator fits); a share whose low
    end s − h is 0 or less has no upper bound (``high`` None). Raises
    ``ValueError`` for a share outside 0-100 or a count that is not a whole
    number. ``decimals``: see ``printed_decimals``.
    """
    x = whole(count)
    if not share_percent.is_finite() or not 0 <= share_percent <= 100:
        raise ValueError(f"a share of {share_percent} % is not a percent")
    places = printed_decimals(share_percent, decimals)
    share = Fraction(share_percent)
    if x == 0 or share == 0:
        return None
    half = _half_unit(places)
    value = max(x, round_half_up(100 * x / share))
    low = max(x, math.ceil(100 * x / (share + half)))
    high = math.floor(100 * x / (share - half)) if share > half else None
    if high is not None and low > high:
        return Derived(
            DerivedKind.DENOMINATOR_FROM_COUNT_AND_SHARE,
            value,
            None,
            None,
            Decimal(x),
            share_percent,
            places,
        )
    return Derived(
        DerivedKind.DENOMINATOR_FROM_COUNT_AND_SHARE,
        value,
        low,
        high,
        Decimal(x),
        share_percent,
        places,
    )


def derive_count(
    rate: Decimal,
    population: Count,
    *,
    per: int = PER_1000,
    decimals: int | None = None,
) -> Derived:
    """The count behind a rate per ``per`` persons and a population:
    22,2 pr. 1.000 of 365 residents -> ca. 8.

    Formula: x = r · N / per, rounded half up. The printed rate stands for
    any rate within [r − h, r + h] (h half a unit of its last decimal), so
    the consistent counts are the whole numbers from ceil(N(r − h)/per) to
    floor(N(r + h)/per), never below 0 nor above N. A rate computed on a
    different population (mid-year against 1 January) can fit no whole
    count: then ``consistent`` is False. Raises ``ValueError`` for a
    negative rate or population. ``decimals``: see ``printed_decimals``.
    """
    people = whole(population, "population")
    if not rate.is_finite() or rate < 0:
        raise ValueError(f"a rate of {rate} per {per} is not a rate")
    places = printed_decimals(rate, decimals)
    exact, half = Fraction(rate), _half_unit(places)
    value = min(people, round_half_up(exact * people / per))
    low = max(0, math.ceil((exact - half) * people / per))
    high = min(people, math.floor((exact + half) * people / per))
    if low > high:
        return Derived(
            DerivedKind.COUNT_FROM_RATE_AND_POPULATION,
            value,
            None,
            None,
            Decimal(people),
            rate,
            places,
        )
    return Derived(
        DerivedKind.COUNT_FROM_RATE_AND_POPULATION,
        value,
        low,
        high,
        Decimal(people),
        rate,
        places,
    )


def _listed(values: Sequence[str]) -> str:
    """``a``, ``a og b``, ``a, b og c``."""
    if len(values) == 1:
        return values[0]
    # Translators: the end of a list, "526, 484 og 255".
    return _("{items} og {last}").format(items=", ".join(values[:-1]), last=values[-1])


def derived_note(derived: Sequence[Derived]) -> str | None:
    """The note a number carries when it rests on derived figures:
    ``Nævnerne er udledt af antal og andel (ca. 526 og ca. 484).`` and, for
    counts derived from a rate, ``Antallet er udledt af raten og
    befolkningstallet (ca. 8).`` None when nothing was derived."""
    sentences = []
    denominators = [
        _("ca. {number}").format(number=format_number(d.value))
        for d in derived
        if d.kind is DerivedKind.DENOMINATOR_FROM_COUNT_AND_SHARE
    ]
    counts = [
        _("ca. {number}").format(number=format_number(d.value))
        for d in derived
        if d.kind is DerivedKind.COUNT_FROM_RATE_AND_POPULATION
    ]
    if len(denominators) == 1:
        sentences.append(
            _("Nævneren er udledt af antal og andel ({values}).").format(
                values=denominators[0]
            )
        )
    elif denominators:
        sentences.append(
            _("Nævnerne er udledt af antal og andel ({values}).").format(
                values=_listed(denominators)
            )
        )
    if len(counts) == 1:
        sentences.append(
            _("Antallet er udledt af raten og befolkningstallet ({values}).").format(
                values=counts[0]
            )
        )
    elif counts:
        sentences.append(
            _(
                "Antallene er udledt af raterne og befolkningstallene ({values})."
            ).format(values=_listed(counts))
        )
    return " ".join(sentences) or None
