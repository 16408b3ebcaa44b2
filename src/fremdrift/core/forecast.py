"""Pace and forecast for a running plan: a count criterion's cumulative value
projected to the end of its period from dated registrations, with an
interval, and whether the target is in reach (on track / at risk / off
track).

The registrations are taken as a Poisson process: events arrive at a
steady rate per day (linear), or at a rate per day that follows a season
profile by calendar month (seasonal: fewer in July and December for an
activity that follows the school year). The rate is estimated from what is
registered so far, with an exact Poisson interval, and carried to the end
of the period.

The interval is for the expected final value, given the rate: it covers
the uncertainty in the pace so far, not the chance variation of the
registrations still to come nor a change of pace (a new course starting).
It is therefore narrower than a prediction interval, and the docs say so.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from fremdrift.core.i18n import _
from fremdrift.core.model import Pace, Unit
from fremdrift.core.stats import (
    DEFAULT_LEVEL,
    Interval,
    Method,
    Uncomputable,
    check_level,
    garwood_bounds,
    level_text,
    round_half_up,
    uncomputable_text,
)
from fremdrift.core.text_da import (
    format_date,
    format_number,
    format_value,
    pace_label,
)

_MONTHS = 12


# Is a running count criterion's target in reach by the period's end?
# on_track: the interval's low end reaches the target; off_track: its high
# end does not; at_risk: the target lies inside the interval. The outlook
# is the criterion's pace (``judge`` takes it from the forecast), so both
# are one enum and one label.
Outlook = Pace


def outlook_label(outlook: Outlook) -> str:
    """``i rute``, ``i risiko`` or ``bagud``; English from the catalogue."""
    return pace_label(outlook)


@dataclass(frozen=True, slots=True)
class SeasonProfile:
    """How busy an activity is in each calendar month, relative to the
    others: ``weights[0]`` is January. A weight of 1 is a usual month, 0.2
    a month with a fifth of the usual registrations per day, 0 a month
    with none. Only the ratios matter."""

    weights: tuple[float, ...]

    def __post_init__(self) -> None:
        if len(self.weights) != _MONTHS:
            raise ValueError("a season profile has one weight per month (12)")
        if any(not math.isfinite(w) or w < 0 for w in self.weights):
            raise ValueError("season weights must be finite and not negative")
        if not any(self.weights):
            raise ValueError("a season profile needs at least one month above 0")

    @classmethod
    def from_months(cls, weights: Mapping[int, float]) -> SeasonProfile:
        """A profile with the given months (1-12) weighted and every other
        month at 1: ``from_months({7: 0.2, 12: 0.5})``."""
        if any(not 1 <= month <= _MONTHS for month in weights):
            raise ValueError("months are numbered 1 to 12")
        return cls(tuple(weights.get(m, 1.0) for m in range(1, _MONTHS + 1)))

    def weight(self, day: date) -> float:
        return self.weights[day.month - 1]

    def exposure(self, first: date, last: date) -> float:
        """The weighted number of days from ``first`` to ``last``, both
        included: the sum of each day's month weight; 0 when ``last`` is
        before ``first``."""
        total = 0.0
        day = first
        while day <= last:
            next_month = date(day.year + day.month // 12, day.month % 12 + 1, 1)
            segment_end = min(next_month - timedelta(days=1), last)
            total += self.weight(day) * ((segment_end - day).days + 1)
            day = segment_end + timedelta(days=1)
        return total


# Every month alike: the linear forecast.
FLAT_SEASON = SeasonProfile((1.0,) * _MONTHS)

# An example for activities that follow the school year: July (summer
# holiday) at a fifth of a usual month and December (Christmas) at half. A
# plan team sets the profile that fits its activity.
SCHOOL_YEAR_SEASON = SeasonProfile.from_months({7: 0.2, 12: 0.5})


@dataclass(frozen=True, slots=True)
class Forecast:
    """A count projected to the end of its period.

    ``observed``: registrations from ``start`` to ``as_of`` (both
    included); ``rate``: registrations per (season-weighted) day with its
    exact interval; ``projected``: the value expected at ``end`` with its
    interval, or the reason there is none; ``outlook``: against
    ``target`` (None without a target or a forecast); ``seasonal``: a
    season profile was used; ``passed_share``: the (season-weighted) share
    of the period passed by ``as_of``, from 0 to 1 (None without a
    forecast).
    """

    observed: int
    rate: Interval
    projected: Interval
    target: Decimal | None
    outlook: Outlook | None
    start: date
    as_of: date
    end: date
    seasonal: bool
    passed_share: float | None = None

    @property
    def finished(self) -> bool:
        """True when ``as_of`` is at or after the period's end."""
        return self.as_of >= self.end

    @property
    def expected_now(self) -> float | None:
        """What the target asks for by ``as_of`` at the forecast's own
        pace: target x ``passed_share`` (season-weighted days for the
        seasonal forecast, days for the linear one). None without a target
        or a forecast."""
        if self.target is None or self.passed_share is None:
            return None
        return float(self.target) * self.passed_share


def outlook_of(projected: Interval, target: Decimal | int | None) -> Outlook | None:
    """on_track when the low end reaches ``target`` (low >= target),
    off_track when the high end does not (high < target), at_risk
    otherwise; None without a target or an interval."""
    if target is None or projected.low is None or projected.high is None:
        return None
    goal = float(target)
    if projected.low >= goal:
        return Outlook.ON_TRACK
    if projected.high < goal:
        return Outlook.OFF_TRACK
    return Outlook.AT_RISK


def forecast_count(
    registrations: Iterable[date],
    *,
    start: date,
    end: date,
    as_of: date,
    target: Decimal | int | None = None,
    season: SeasonProfile | None = None,
    level: float = DEFAULT_LEVEL,
) -> Forecast:
    """Project a cumulative count to the end of its period.

    ``registrations``: one date per counted unit (a new participant's first
    day, a session held); those before ``start`` or after ``as_of`` are
    left out. Formula, with X the registrations so far, E₀ the exposure so
    far and E₁ the exposure still to come (days, or season-weighted days;
    ``as_of`` counts as passed): rate λ = X/E₀ per day; projected value
    X + λ · E₁; interval X + E₁ · [L, U]/E₀, [L, U] being the exact
    Poisson (Garwood) limits of X. Units: the criterion's count. The low
    end is never below X (what is registered stays registered).
    Boundaries: on or after ``end`` the projection is X with no width;
    before ``start`` there is nothing to project (``NOT_STARTED``); a
    season profile with no weight on the days passed gives ``NO_EXPOSURE``.
    No registrations so far gives a projection of 0 with a high end from
    the Poisson limit of 0 (3,69 events in the days passed, at 95 %).
    Outlook against ``target``: see ``outlook_of``.
    Reference: Garwood (1936) for the limits; docs/statistics.md.
    """
    check_level(level)
    if end < start:
        raise ValueError("a period cannot end before it starts")
    seasonal = season is not None
    profile = season or FLAT_SEASON
    method = Method.FORECAST_SEASONAL if seasonal else Method.FORECAST_LINEAR
    goal = None if target is None else Decimal(target)
    last_day = min(as_of, end)
    if as_of < start:
        nothing = Interval(None, None, None, level, method, Uncomputable.NOT_STARTED)
        return Forecast(0, nothing, nothing, goal, None, start, as_of, end, seasonal)
    observed = sum(1 for day in registrations if start <= day <= last_day)
    passed = profile.exposure(start, last_day)
    to_come = profile.exposure(last_day + timedelta(days=1), end)
    if passed == 0:
        nothing = Interval(None, None, None, level, method, Uncomputable.NO_EXPOSURE)
        return Forecast(
            observed, nothing, nothing, goal, None, start, as_of, end, seasonal
        )
    low, high = garwood_bounds(observed, level)
    rate = Interval(observed / passed, low / passed, high / passed, level, method)
    projected = Interval(
        observed + observed / passed * to_come,
        observed + low / passed * to_come,
        observed + high / passed * to_come,
        level,
        method,
    )
    return Forecast(
        observed,
        rate,
        projected,
        goal,
        outlook_of(projected, goal),
        start,
        as_of,
        end,
        seasonal,
        passed / (passed + to_come),
    )


def forecast_sentence(forecast: Forecast, *, unit_label: str = "") -> str:
    """The forecast in Danish, with its outlook when there is a target:

    ``Med det hidtidige tempo bliver resultatet ca. 48 deltagere ved
    periodens slutning den 31. december 2029 (95 %-konfidensinterval 39
    til 58). Målet på 50 ligger inden for intervallet: i risiko.``
    The seasonal forecast says it is corrected for season; a finished
    period states its result; without a forecast, why not.
    """
    projected = forecast.projected
    if not projected.computable:
        return uncomputable_text(projected.reason or Uncomputable.NOT_STARTED)
    assert projected.estimate is not None
    assert projected.low is not None and projected.high is not None

    def count(number: float) -> str:
        return format_value(round_half_up(number), Unit.COUNT, unit_label)

    if forecast.finished:
        first = _("Perioden er slut, og resultatet blev {observed}.").format(
            observed=count(forecast.observed)
        )
    else:
        if forecast.seasonal:
            template = _(
                "Med det hidtidige tempo, korrigeret for sæsonudsving, bliver "
                "resultatet ca. {projected} ved periodens slutning den {end} "
                "({level} %-konfidensinterval {low} til {high})."
            )
        else:
            template = _(
                "Med det hidtidige tempo bliver resultatet ca. {projected} ved "
                "periodens slutning den {end} ({level} %-konfidensinterval {low} "
                "til {high})."
            )
        first = template.format(
            projected=count(projected.estimate),
            end=format_date(forecast.end),
            level=level_text(projected.level),
            low=format_number(round_half_up(projected.low)),
            high=format_number(round_half_up(projected.high)),
        )
    if forecast.outlook is None or forecast.target is None or forecast.finished:
        return first
    outlook_templates = {
        Outlook.ON_TRACK: _(
            "Selv den lave ende af intervallet når målet på {target}: i rute."
        ),
        Outlook.AT_RISK: _("Målet på {target} ligger inden for intervallet: i risiko."),
        Outlook.OFF_TRACK: _(
            "Selv den høje ende af intervallet når ikke målet på {target}: bagud."
        ),
    }
    second = outlook_templates[forecast.outlook].format(
        target=format_number(forecast.target)
    )
    return f"{first} {second}"
