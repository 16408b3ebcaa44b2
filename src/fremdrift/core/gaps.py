"""An area against its comparison population: the gap in each period and
the change of that gap (difference in differences), so a rise the whole
municipality also saw is not credited to, or blamed on, the plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from fremdrift.core.change import (
    Counted,
    counted_from_point,
    mover_difference,
    point_number,
    proportion_change,
    rate_change,
)
from fremdrift.core.change_text import amount_text, rounded
from fremdrift.core.i18n import _
from fremdrift.core.model import DataPoint, Unit
from fremdrift.core.stats import (
    DEFAULT_LEVEL,
    PER_1000,
    Count,
    Interval,
    Method,
    Uncomputable,
    check_level,
)
from fremdrift.core.text_da import format_number


@dataclass(frozen=True, slots=True)
class GapChange:
    """An area's gap to a comparison population in two periods, and the
    change of that gap (difference in differences).

    ``gap_before``/``gap_after`` are area − comparison from the printed
    values, in the unit (percentage points for shares, per 1000 for
    rates); ``interval`` is the change of the gap with its interval in the
    same unit, or the reason it cannot be computed.
    """

    unit: Unit
    level: float
    gap_before: Decimal
    gap_after: Decimal
    interval: Interval

    @property
    def change(self) -> Decimal:
        return self.gap_after - self.gap_before

    @property
    def beyond_chance(self) -> bool | None:
        """True when the interval of the change excludes 0; None without
        one."""
        if not self.interval.computable:
            return None
        assert self.interval.low is not None and self.interval.high is not None
        return self.interval.low > 0 or self.interval.high < 0


def gap_change(
    *,
    area: tuple[Decimal, Decimal],
    comparison: tuple[Decimal, Decimal],
    unit: Unit,
    area_counts: tuple[Counted, Counted] | None = None,
    comparison_counts: tuple[Counted, Counted] | None = None,
    per: int = PER_1000,
    level: float = DEFAULT_LEVEL,
) -> GapChange:
    """The change of an area's gap to a comparison population.

    Formula: gap_t = area_t − comparison_t for each period t; change of the
    gap = gap₂ − gap₁ = (area₂ − area₁) − (comparison₂ − comparison₁), so a
    rise the whole comparison population also saw is not credited to, or
    blamed on, the plan. Units: those of the values (percentage points for
    percent, per 1000 for rates). Interval (shares and rates only, when
    counts and denominators are known for all four): MOVER over the
    area's change and the comparison's change, each with its own interval
    (``proportion_change``, ``rate_change``). The two changes are treated
    as independent; when the comparison population includes the area
    (the whole municipality) they are positively correlated and the
    interval is somewhat wider than it needs to be, i.e. conservative.
    Missing data: without counts the gaps are still given and the interval
    carries the reason (the area's first, then the comparison's).
    References: Wing, Simon & Bello-Gomez (2018); Zou & Donner (2008).
    """
    check_level(level)
    gap_before, gap_after = area[0] - comparison[0], area[1] - comparison[1]
    estimate = float(gap_after - gap_before)
    method = Method.DIFFERENCE_IN_DIFFERENCES
    missing = (
        Uncomputable.POPULATION_UNKNOWN
        if unit in (Unit.PER_1000, Unit.COUNT)
        else Uncomputable.DENOMINATOR_UNKNOWN
    )
    if unit is Unit.MEAN:
        missing = Uncomputable.SPREAD_UNKNOWN
    if area_counts is None or comparison_counts is None or unit is Unit.MEAN:
        interval = Interval(estimate, None, None, level, method, missing)
        return GapChange(unit, level, gap_before, gap_after, interval)
    changes = [
        proportion_change(*counts, level=level)
        if unit is Unit.PERCENT
        else rate_change(*counts, per=per, level=level)
        for counts in (area_counts, comparison_counts)
    ]
    factor = 100 if unit is Unit.PERCENT else 1
    combined = mover_difference(
        changes[1].difference.scaled(factor),
        changes[0].difference.scaled(factor),
        method,
    )
    derived = changes[0].derived + changes[1].derived
    reason = None if combined.computable else (changes[0].reason or changes[1].reason)
    interval = Interval(
        combined.estimate if combined.computable else estimate,
        combined.low,
        combined.high,
        level,
        method,
        reason or combined.reason,
        derived,
    )
    return GapChange(unit, level, gap_before, gap_after, interval)


def gap_change_between(
    area: tuple[DataPoint, DataPoint],
    comparison: tuple[DataPoint, DataPoint],
    unit: Unit,
    *,
    area_populations: tuple[Count | None, Count | None] = (None, None),
    comparison_populations: tuple[Count | None, Count | None] = (None, None),
    per: int = PER_1000,
    decimals: int | None = None,
    level: float = DEFAULT_LEVEL,
) -> GapChange | None:
    """``gap_change`` from data points, deriving denominators and counts as
    ``change_between`` does. None when any of the four values is missing
    (there is no gap to show)."""
    values = [point_number(p) for p in (*area, *comparison)]
    if any(v is None for v in values):
        return None

    def counts(
        points: tuple[DataPoint, DataPoint],
        populations: tuple[Count | None, Count | None],
    ) -> tuple[Counted, Counted]:
        first, second = (
            counted_from_point(p, unit, n, per=per, decimals=decimals)
            for p, n in zip(points, populations, strict=True)
        )
        return first, second

    known = [v for v in values if v is not None]
    return gap_change(
        area=(known[0], known[1]),
        comparison=(known[2], known[3]),
        unit=unit,
        area_counts=counts(area, area_populations),
        comparison_counts=counts(comparison, comparison_populations),
        per=per,
        level=level,
    )


def gap_change_sentence(
    gap: GapChange, *, comparison: str, population: str = ""
) -> str:
    """One Danish sentence on the change of the gap to ``comparison``:

    ``Forskellen til Randers Kommune er gået fra 1,1 til 2,4 procentpoint,
    en ændring på +1,3 procentpoint, som ligger inden for den statistiske
    usikkerhed.`` (or ``... som er større end ...``); without counts,
    ``... en ændring på +1,3 procentpoint. Usikkerheden på ændringen kan
    ikke beregnes uden antal og nævnere for både området og Randers
    Kommune.``
    """
    before = format_number(rounded(gap.gap_before), 1)
    after = amount_text(gap.gap_after, gap.unit, population, signed=False)
    change = amount_text(gap.change, gap.unit, population)
    values = {
        "comparison": comparison,
        "before": before,
        "after": after,
        "change": change,
    }
    if gap.beyond_chance is None:
        if gap.unit is Unit.MEAN:
            template = _(
                "Forskellen til {comparison} er gået fra {before} til {after}, en "
                "ændring på {change}. Usikkerheden på ændringen kan ikke beregnes "
                "uden spredningen på målingerne."
            )
        elif gap.unit in (Unit.PER_1000, Unit.COUNT):
            template = _(
                "Forskellen til {comparison} er gået fra {before} til {after}, en "
                "ændring på {change}. Usikkerheden på ændringen kan ikke beregnes "
                "uden befolkningstal for både området og {comparison}."
            )
        else:
            template = _(
                "Forskellen til {comparison} er gået fra {before} til {after}, en "
                "ændring på {change}. Usikkerheden på ændringen kan ikke beregnes "
                "uden antal og nævnere for både området og {comparison}."
            )
    elif gap.beyond_chance:
        template = _(
            "Forskellen til {comparison} er gået fra {before} til {after}, en "
            "ændring på {change}, som er større end den statistiske usikkerhed."
        )
    else:
        template = _(
            "Forskellen til {comparison} er gået fra {before} til {after}, en "
            "ændring på {change}, som ligger inden for den statistiske "
            "usikkerhed."
        )
    return template.format(**values)
