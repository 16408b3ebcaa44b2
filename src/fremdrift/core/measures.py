"""Measures a criterion can be bound to: what is counted from the staff's
registrations, in which unit, and how a measure's value becomes a data
point. The counting itself is SQL (fremdrift.registrations.measures); this
module holds the definitions every caller shares.

Every measure is computed for a window [start, end] of days, never by
adding up per-session or per-period figures: a child who comes in March and
in October is one unique child in the year, not two.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .model import DataPoint, Period, Unit


class MeasureKind(enum.StrEnum):
    UNIQUE_PARTICIPANTS = "unique_participants"
    NEW_PARTICIPANTS = "new_participants"
    UNIQUE_HOUSEHOLDS = "unique_households"
    SESSIONS_HELD = "sessions_held"
    COURSES_HELD = "courses_held"
    COMPLETION_RATE = "completion_rate"
    GOAL_REACHED_SHARE = "goal_reached_share"
    IMPROVED_SHARE = "improved_share"
    SATISFIED_SHARE = "satisfied_share"
    FOLLOW_UP_RATE = "follow_up_rate"
    CONTACTS = "contacts"
    BRIDGE_BUILDINGS = "bridge_buildings"
    MEAN_ATTENDANCE = "mean_attendance"


MEASURE_UNITS: dict[MeasureKind, Unit] = {
    MeasureKind.UNIQUE_PARTICIPANTS: Unit.COUNT,
    MeasureKind.NEW_PARTICIPANTS: Unit.COUNT,
    MeasureKind.UNIQUE_HOUSEHOLDS: Unit.COUNT,
    MeasureKind.SESSIONS_HELD: Unit.COUNT,
    MeasureKind.COURSES_HELD: Unit.COUNT,
    MeasureKind.COMPLETION_RATE: Unit.PERCENT,
    MeasureKind.GOAL_REACHED_SHARE: Unit.PERCENT,
    MeasureKind.IMPROVED_SHARE: Unit.PERCENT,
    MeasureKind.SATISFIED_SHARE: Unit.PERCENT,
    MeasureKind.FOLLOW_UP_RATE: Unit.PERCENT,
    MeasureKind.CONTACTS: Unit.COUNT,
    MeasureKind.BRIDGE_BUILDINGS: Unit.COUNT,
    MeasureKind.MEAN_ATTENDANCE: Unit.MEAN,
}

# Measures that count persons: small values are hidden from board and
# public readers.
PERSON_MEASURES = frozenset(
    {
        MeasureKind.UNIQUE_PARTICIPANTS,
        MeasureKind.NEW_PARTICIPANTS,
        MeasureKind.UNIQUE_HOUSEHOLDS,
        MeasureKind.CONTACTS,
    }
)

# A Likert answer at or above this counts as satisfied (4 = "tilfreds",
# 5 = "meget tilfreds"); a yes/no item counts yes (1).
SATISFIED_LIKERT = 4


@dataclass(frozen=True, slots=True)
class MeasureFilter:
    """Which registrations a measure counts.

    ``role``: only participants enrolled in one of the activity's courses in
    this role; ``age_min``/``age_max``: age in whole years at the end of the
    window, from the birth year (participants without a birth year are left
    out when an age band is given); ``area``: the area's slug;
    ``min_sessions``: courses_held counts only courses with at least this
    many sessions held.
    """

    role: str | None = None
    age_min: int | None = None
    age_max: int | None = None
    area: str | None = None
    min_sessions: int | None = None

    def birth_years(self, end: date) -> tuple[int | None, int | None]:
        """The birth years an age band at ``end`` covers (earliest, latest)."""
        earliest = end.year - self.age_max if self.age_max is not None else None
        latest = end.year - self.age_min if self.age_min is not None else None
        return earliest, latest


def share_point(
    period: Period, numerator: int, denominator: int, note: str = ""
) -> DataPoint:
    """A share in percent with its numerator and denominator; no value when
    nothing was counted (0 of 0 is not 0 %)."""
    if denominator == 0:
        return DataPoint(
            period=period,
            value=None,
            numerator=Decimal(0),
            denominator=Decimal(0),
            note=note or "ingen at beregne andelen af",
        )
    value = Decimal(numerator) * 100 / Decimal(denominator)
    return DataPoint(
        period=period,
        value=value.quantize(Decimal("0.1")),
        numerator=Decimal(numerator),
        denominator=Decimal(denominator),
        note=note,
    )


def window_periods(start: date, end: date, each_year: bool) -> list[Period]:
    """The windows a criterion is measured over: the whole stretch, or one
    per calendar year (clipped to the stretch) when judged per period."""
    if not each_year:
        return [Period(f"{start.isoformat()}..{end.isoformat()}", start, end)]
    periods = []
    for year in range(start.year, end.year + 1):
        first = max(start, date(year, 1, 1))
        last = min(end, date(year, 12, 31))
        periods.append(Period(str(year), first, last))
    return periods
