"""Self-checks a report runs before it renders: the mistakes a hand-made
report makes (the seed prints its education chart a second time as the
employment chart) are refused with a clear error instead of printed."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from .model import NO_VALUE_FLAGS, Flag, Unit
from .report_model import ChartSpec, IndicatorSeries
from .text_da import format_number, format_period

# A series this short can repeat by chance (two indicators at 0 % twice).
MIN_VALUES_FOR_DUPLICATE = 3


class ReportCheckError(ValueError):
    """The report's content contradicts itself; the message says where."""


def _values(series: IndicatorSeries) -> dict[tuple[str, str], Decimal]:
    return {
        (name, p.period.code): p.value
        for name, points in series.populations
        for p in points
        if p.value is not None and not p.flags & NO_VALUE_FLAGS
    }


def _acknowledged(series: IndicatorSeries) -> bool:
    """Every value is flagged contradictory: the data steward has recorded
    that the source repeats numbers, and the report footnotes it."""
    points = [p for _n, ps in series.populations for p in ps]
    return bool(points) and all(Flag.CONTRADICTORY in p.flags for p in points)


def check_no_duplicate_series(indicators: Sequence[IndicatorSeries]) -> None:
    """Two different indicators must not show the same numbers for the same
    populations and periods, unless one of them is flagged as a known
    contradiction of the source."""
    seen: dict[tuple[tuple[tuple[str, str], Decimal], ...], IndicatorSeries] = {}
    for series in indicators:
        values = _values(series)
        if len(values) < MIN_VALUES_FOR_DUPLICATE or _acknowledged(series):
            continue
        key = tuple(sorted(values.items()))
        other = seen.get(key)
        if other is not None and other.slug != series.slug:
            raise ReportCheckError(
                f"indicators {other.slug!r} and {series.slug!r} show identical "
                f"series ({len(values)} values): one of them is probably copied "
                "from the other; correct the data or flag the copy contradictory"
            )
        seen[key] = series


def axis_matches_unit(unit: Unit, axis_label: str) -> bool:
    """A percent axis says so; a rate per 1000 names the 1.000 (English
    1,000); a count or a mean never carries a % sign."""
    label = axis_label.lower()
    if unit == Unit.PERCENT:
        return any(word in label for word in ("%", "andel", "pct", "procent", "share"))
    if unit == Unit.PER_1000:
        return any(n in label for n in ("1.000", "1,000", "1000")) and "%" not in label
    return "%" not in label


def check_chart_axes(charts: Iterable[ChartSpec]) -> None:
    for chart in charts:
        if not axis_matches_unit(chart.unit, chart.axis_label):
            raise ReportCheckError(
                f"chart {chart.key!r}: the axis says {chart.axis_label!r} but the "
                f"values are {chart.unit.value}"
            )


def check_totals(indicators: Sequence[IndicatorSeries]) -> None:
    """For an additive indicator, a total population's value equals the
    sum of its parts in every period where all of them have a value."""
    for series in indicators:
        if not series.additive:
            continue
        values = _values(series)
        for total, parts in series.totals:
            codes = {code for (name, code) in values if name == total}
            for code in sorted(codes):
                if not all((part, code) in values for part in parts):
                    continue
                expected = sum((values[(part, code)] for part in parts), Decimal(0))
                if values[(total, code)] != expected:
                    period = next(
                        p.period
                        for name, ps in series.populations
                        if name == total
                        for p in ps
                        if p.period.code == code
                    )
                    raise ReportCheckError(
                        f"indicator {series.slug!r}, {format_period(period)}: "
                        f"{total} is {format_number(values[(total, code)])} but "
                        f"its parts ({', '.join(parts)}) add up to "
                        f"{format_number(expected)}"
                    )


def run_checks(
    indicators: Sequence[IndicatorSeries], charts: Iterable[ChartSpec]
) -> None:
    """Every self-check; raises ReportCheckError on the first failure."""
    check_no_duplicate_series(indicators)
    check_totals(indicators)
    check_chart_axes(charts)
