"""Statistical discretion (diskretionshensyn): small counts of persons are
hidden from readers outside the plan team.

Primary suppression hides every count of persons from 1 up to (not
including) the threshold. Secondary suppression then hides whatever would
give a hidden count back: where a total is the sum of its parts and exactly
one of them is hidden in a period, the smallest other part is hidden too,
repeated until no hidden count can be found by subtraction. A zero is not
hidden (it discloses no person); derived cells such as a change between two
periods disappear with the value they are derived from.
"""

from __future__ import annotations

import enum
from dataclasses import replace
from decimal import Decimal

from .i18n import _, gettext_noop
from .model import NO_VALUE_FLAGS, DataPoint, Flag
from .plan_model import JudgedCriterion
from .report_model import IndicatorSeries
from .text_da import outcome_label

DEFAULT_THRESHOLD = 5


class Audience(enum.StrEnum):
    """Who a report is for; decides what discretion applies."""

    INTERNAL = "internal"
    BOARD = "board"
    PUBLIC = "public"


# A message id: translate it (``i18n.gettext``) where it is printed.
INTERNAL_MARKING = gettext_noop("Fortroligt – indeholder små tal")


def suppressed_text(threshold: int) -> str:
    """How a hidden count is shown: "<5"."""
    return f"<{threshold}"


def discretion_note(threshold: int) -> str:
    return _(
        "Antal personer under {threshold} er skjult af diskretionshensyn "
        "(vist som {shown}); tal, som de skjulte tal kunne regnes ud fra, er "
        "også skjult."
    ).format(threshold=threshold, shown=suppressed_text(threshold))


def _hide(point: DataPoint, threshold: int) -> DataPoint:
    return replace(
        point,
        value=None,
        numerator=None,
        denominator=None,
        flags=point.flags | {Flag.SUPPRESSED},
        note=suppressed_text(threshold),
    )


def suppress_point(point: DataPoint, threshold: int) -> DataPoint:
    """A count of persons, hidden when it is small."""
    return _hide(point, threshold) if is_small(point.value, threshold) else point


def _shown(point: DataPoint) -> bool:
    return point.value is not None and not point.flags & NO_VALUE_FLAGS


def is_small(value: Decimal | None, threshold: int) -> bool:
    return value is not None and 0 < value < threshold


def suppress_series(series: IndicatorSeries, threshold: int) -> IndicatorSeries:
    """``series`` with small counts of persons hidden (primary and
    secondary suppression). Indicators that are not counts of persons
    (rates, shares) are returned unchanged: they are published that way
    because they do not single anyone out."""
    if not series.counts_persons:
        return series
    table: dict[str, dict[str, DataPoint]] = {
        name: {p.period.code: p for p in points} for name, points in series.populations
    }
    for points in table.values():
        for code, point in points.items():
            if is_small(point.value, threshold) or is_small(point.numerator, threshold):
                points[code] = _hide(point, threshold)

    if series.additive:
        changed = True
        while changed:
            changed = False
            for total, parts in series.totals:
                members = [total, *parts]
                codes = {c for m in members for c in table.get(m, {})}
                for code in codes:
                    cells = {m: table.get(m, {}).get(code) for m in members}
                    hidden = [
                        m
                        for m, p in cells.items()
                        if p is not None and Flag.SUPPRESSED in p.flags
                    ]
                    shown = [
                        (p.value or Decimal(0), m)
                        for m in parts
                        if (p := cells[m]) is not None and _shown(p)
                    ]
                    if len(hidden) == 1 and shown:
                        _value, smallest = min(shown)
                        table[smallest][code] = _hide(table[smallest][code], threshold)
                        changed = True
    return replace(
        series,
        populations=tuple(
            (
                name,
                tuple(
                    sorted(
                        table[name].values(),
                        key=lambda p: (p.period.end, p.period.start),
                    )
                ),
            )
            for name, _points in series.populations
        ),
        notes=(*series.notes, discretion_note(threshold)),
    )


def suppress_judged(item: JudgedCriterion, threshold: int) -> JudgedCriterion:
    """A criterion on a number of persons, with small numbers hidden: the
    verdict stays (it discloses no person), the number and the sentence
    that states it do not."""
    criterion, verdict = item.criterion, item.verdict
    if not criterion.counts_persons or not is_small(verdict.judged_value, threshold):
        if not criterion.counts_persons:
            return item
        series = tuple(
            _hide(p, threshold) if is_small(p.value, threshold) else p
            for p in criterion.series
        )
        return replace(item, criterion=replace(criterion, series=series))
    hidden = suppressed_text(threshold)
    return JudgedCriterion(
        criterion=replace(
            criterion,
            series=tuple(
                _hide(p, threshold) if is_small(p.value, threshold) else p
                for p in criterion.series
            ),
        ),
        verdict=replace(
            verdict,
            judged_value=None,
            explanation=_(
                "{outcome}: tallet er under {threshold} personer og vises som "
                "{shown} af diskretionshensyn."
            ).format(
                outcome=outcome_label(verdict.outcome).capitalize(),
                threshold=threshold,
                shown=hidden,
            ),
            remarks=(),
        ),
    )
