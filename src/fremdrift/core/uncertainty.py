"""How sure a verdict is: whether the change a criterion is judged on is
beyond chance, whether its number rests on thin data, and where a running
count is heading (pace and forecast); the sentences the verdict carries for
each, and the rule that keeps them from giving a hidden small count back.

The statistics themselves are in ``stats``, ``derivation``, ``change`` and
``forecast``; this module decides which of them a criterion gets. See
docs/statistics.md ("In verdicts and reports").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from .change import Change, Counted, change_between, counted_from_point, point_number
from .change_text import change_explanation, change_sentence
from .criteria import BASELINE_KINDS, judge
from .forecast import SCHOOL_YEAR_SEASON, Forecast, forecast_count, forecast_sentence
from .i18n import _, gettext_noop
from .model import (
    NO_VALUE_FLAGS,
    Aggregation,
    CriterionKind,
    CriterionSpec,
    DataPoint,
    EveryPeriodTarget,
    Flag,
    JudgementContext,
    Outcome,
    Unit,
    Verdict,
)
from .periods import period_sort_key
from .stats import (
    DEFAULT_LEVEL,
    THIN_DATA_THRESHOLD,
    DerivedKind,
    Method,
    round_half_up,
    thin_data,
    thin_data_text,
    whole,
)
from .text_da import format_number, format_value

# Criteria judged on a change from their baseline: the verdict says whether
# chance explains the change.
CHANGE_KINDS = frozenset(
    {
        CriterionKind.REDUCE_BY,
        CriterionKind.INCREASE_BY,
        CriterionKind.BELOW_BASELINE,
        CriterionKind.ABOVE_BASELINE,
        CriterionKind.REDUCE_TO,
        CriterionKind.INCREASE_TO,
    }
)
# Units whose change can be tested: a share (persons out of a group) and a
# rate per 1000 (persons out of a population).
CHANGE_UNITS = frozenset({Unit.PERCENT, Unit.PER_1000})
# Count criteria whose target is a minimum to reach: a forecast says whether
# it is in reach by the end of the period.
FORECAST_KINDS = frozenset({CriterionKind.AT_LEAST, CriterionKind.RANGE})

_JULY = 7

# Message ids, translated where they are used.
WITHIN_CHANCE = gettext_noop(
    "Vurderingen er usikker, fordi tilfældigheder kan forklare ændringen."
)
HIDDEN_UNCERTAINTY = gettext_noop(
    "Den statistiske usikkerhed vises ikke af diskretionshensyn, fordi tallene er små."
)
HIDDEN_PERSONS = gettext_noop(
    "Antal personer og nævnere vises ikke af diskretionshensyn, fordi tallene er små."
)
_CHANGE_WITHOUT_PERSONS = {
    (True, True): gettext_noop(
        "Stigningen fra {before} til {after} er større end den statistiske usikkerhed."
    ),
    (True, False): gettext_noop(
        "Stigningen fra {before} til {after} ligger inden for den statistiske "
        "usikkerhed."
    ),
    (False, True): gettext_noop(
        "Faldet fra {before} til {after} er større end den statistiske usikkerhed."
    ),
    (False, False): gettext_noop(
        "Faldet fra {before} til {after} ligger inden for den statistiske usikkerhed."
    ),
}


@dataclass(frozen=True, slots=True)
class UncertaintySettings:
    """What a report or a verdict list asks of the uncertainty it shows.

    ``thin_threshold``: a number resting on fewer persons than this is
    marked "spinkelt datagrundlag" (20 by default). ``discretion``: for a
    reader outside the plan team, the discretion threshold (counts of
    persons from 1 up to, not including, it are hidden; see
    ``discretion``): no sentence then gives such a count back, given or
    derived. None for the plan team itself. ``level``: the confidence
    level of intervals and tests.
    """

    thin_threshold: int = THIN_DATA_THRESHOLD
    discretion: int | None = None
    level: float = DEFAULT_LEVEL


@dataclass(frozen=True, slots=True)
class CriterionStatistics:
    """What the statistics say about one judged criterion.

    ``change``: the test of the change from the baseline to the judged
    value (criteria judged on a change, shares and rates), between the
    periods ``change_periods``; ``change_text`` its sentence as the verdict
    carries it. ``persons``: how many persons the judged number rests on
    (its denominator, given or derived), None when unknown or when the
    number is a plain count; ``thin``: fewer than the threshold, with
    ``thin_text`` the mark shown. ``forecast``: a running count projected
    to the end of its period, with ``forecast_text`` (None where the
    reader may not see it); ``pace_method``: the forecast method that
    decided the verdict's pace (``forecast_linear`` or
    ``forecast_seasonal``), None when the pace is the plain one or there is
    none.
    """

    change: Change | None = None
    change_periods: tuple[str, str] | None = None
    change_text: str = ""
    persons: int | None = None
    thin: bool = False
    thin_text: str = ""
    forecast: Forecast | None = None
    forecast_text: str = ""
    pace_method: Method | None = None


NO_STATISTICS = CriterionStatistics()
# The plan team's own view: every number shown, 20 persons for thin data,
# 95 %.
TEAM_SETTINGS = UncertaintySettings()


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _is_small(number: int | None, threshold: int) -> bool:
    return number is not None and 0 < number < threshold


def counted(point: DataPoint, unit: Unit) -> Counted | None:
    """The count and denominator behind ``point`` (``counted_from_point``),
    or None when the printed figures cannot be read as a count out of a
    group (a share above 100 %, a count above its denominator)."""
    try:
        return counted_from_point(point, unit)
    except ValueError:
        return None


def persons_behind(point: DataPoint, unit: Unit) -> int | None:
    """How many persons ``point`` rests on: its denominator when known (the
    group a share is out of, the population of a rate, the measurements of
    a mean) and, for a share, else the denominator derived from its count
    and the printed share. None for a point without a usable value, and for
    a count without a denominator: a count is a count, not an estimate."""
    if point.flags & NO_VALUE_FLAGS or point_number(point) is None:
        return None
    try:
        if point.denominator is not None:
            return whole(point.denominator, "denominator")
    except ValueError:
        return None
    if unit is Unit.PERCENT:
        found = counted(point, unit)
        return None if found is None else found.denominator
    return None


def thin_text(persons: int, settings: UncertaintySettings) -> str:
    """The thin-data mark, ``spinkelt datagrundlag (n = 12)``; for a reader
    outside the team a number of persons below the discretion threshold is
    shown as ``n < 5``."""
    if settings.discretion is not None and _is_small(persons, settings.discretion):
        return _("spinkelt datagrundlag (n < {threshold})").format(
            threshold=format_number(settings.discretion)
        )
    return thin_data_text(persons)


def reveals_small_counts(
    points: Iterable[DataPoint], unit: Unit, discretion: int | None
) -> bool:
    """Whether a sentence built on ``points`` could give a reader outside
    the team a count of persons that discretion hides: a point was hidden
    (flagged suppressed), or a count or a denominator behind a point,
    printed or derived (from a share, or from a rate and a population), is
    from 1 up to the threshold. False for the team itself (``discretion``
    None)."""
    if discretion is None:
        return False
    for point in points:
        if Flag.SUPPRESSED in point.flags:
            return True
        found = counted(point, unit)
        if found is None:
            continue
        if _is_small(found.count, discretion) or _is_small(
            found.denominator, discretion
        ):
            return True
    return False


def _small_change_in_persons(change: Change, discretion: int | None) -> bool:
    """Whether the persons a change corresponds to (``ca. 2 personer``) are
    from 1 up to the threshold: a count of persons below it, for a reader
    outside the team, however large the points' own counts."""
    if discretion is None or change.persons is None:
        return False
    return _is_small(abs(round_half_up(change.persons)), discretion)


def _values_text(
    change: Change, before: Decimal, after: Decimal, population: str
) -> tuple[str, str]:
    if change.unit is Unit.PERCENT:
        return format_value(before, Unit.PERCENT), format_value(after, Unit.PERCENT)
    return format_number(before), format_value(after, change.unit, population)


def change_text(
    change: Change,
    points: Sequence[DataPoint],
    *,
    population: str = "",
    settings: UncertaintySettings = TEAM_SETTINGS,
) -> str:
    """The sentence on a change between ``points`` (earlier, later):
    ``change_explanation`` (whether chance explains it, the persons it
    corresponds to, and the note on derived denominators or counts).

    For a reader outside the team, when the points could give a hidden
    count back (``reveals_small_counts``): a hidden point gives
    ``Den statistiske usikkerhed vises ikke af diskretionshensyn, ...``;
    otherwise the sentence keeps whether the change is beyond chance and
    leaves out the persons and the derived figures (``Faldet fra 15 % til
    2,1 % er større end den statistiske usikkerhed. Antal personer og
    nævnere vises ikke af diskretionshensyn, fordi tallene er små.``).
    ``population`` names a rate's population (``beboere`` by default).
    """
    if not reveals_small_counts(
        points, change.unit, settings.discretion
    ) and not _small_change_in_persons(change, settings.discretion):
        return change_explanation(change, population=population)
    if any(Flag.SUPPRESSED in p.flags for p in points):
        return _(HIDDEN_UNCERTAINTY)
    printed = change.printed
    if printed is None or change.beyond_chance is None:
        return _(HIDDEN_UNCERTAINTY)
    if printed[0] == printed[1]:
        return change_sentence(change, population=population)
    before, after = _values_text(change, printed[0], printed[1], population)
    template = _CHANGE_WITHOUT_PERSONS[(printed[1] > printed[0], change.beyond_chance)]
    return " ".join((_(template).format(before=before, after=after), _(HIDDEN_PERSONS)))


def judged_point(spec: CriterionSpec, series: Sequence[DataPoint]) -> DataPoint | None:
    """The one data point a verdict was decided on: the latest usable point
    for ``aggregation: latest``, or the only one for a sum or a mean of a
    single period; None when the verdict rests on several periods (a sum, a
    mean, each period on its own) or on none."""
    usable = [p for p in series if point_number(p) is not None]
    if not usable:
        return None
    each = (
        spec.kind is CriterionKind.EVERY_PERIOD or spec.aggregation is Aggregation.EACH
    )
    if each:
        return None
    if spec.aggregation is Aggregation.LATEST:
        return max(usable, key=lambda p: period_sort_key(p.period))
    return usable[0] if len(usable) == 1 else None


def criterion_change(
    spec: CriterionSpec, series: Sequence[DataPoint], level: float = DEFAULT_LEVEL
) -> tuple[Change, DataPoint, DataPoint] | None:
    """The change from the baseline to the judged value of a criterion
    judged on a change (``CHANGE_KINDS``) of a share or a rate, with the two
    points; None for other criteria, when either point has no value, or
    when a share carries no count or denominator in either period (nothing
    to test: the sentence would only repeat that the counts are unknown).
    A rate without a population is returned untested, so the verdict says
    that the population is missing. Printed figures that contradict
    themselves (a count above its group) give None."""
    baseline = spec.baseline
    if spec.kind not in CHANGE_KINDS or spec.unit not in CHANGE_UNITS:
        return None
    point = judged_point(spec, series)
    if baseline is None or point is None or point_number(baseline) is None:
        return None
    if spec.unit is Unit.PERCENT and all(
        p.numerator is None and p.denominator is None for p in (baseline, point)
    ):
        return None
    try:
        change = change_between(baseline, point, spec.unit, level=level)
    except ValueError:
        return None
    return change, baseline, point


def criterion_persons(spec: CriterionSpec, series: Sequence[DataPoint]) -> int | None:
    """The fewest persons any number the verdict rests on has behind it
    (``persons_behind``): the judged point, or every usable point when
    several periods are judged, and the baseline of a criterion compared
    with one. None when none is known."""
    point = judged_point(spec, series)
    points = (
        [point]
        if point is not None
        else [p for p in series if point_number(p) is not None]
    )
    if spec.kind in BASELINE_KINDS and spec.baseline is not None:
        points.append(spec.baseline)
    known = [n for p in points if (n := persons_behind(p, spec.unit)) is not None]
    return min(known) if known else None


def follows_school_year(
    session_months: frozenset[int] | None, start: date, as_of: date
) -> bool:
    """The rule for a seasonal forecast: an activity follows the school year
    when it has held sessions, a whole July (the summer holiday) lies
    between its start and ``as_of``, and none of its sessions so far fell
    in July. Until a summer has passed there is nothing to tell it from an
    activity that runs all year, and an activity without sessions
    (outreach contacts) is taken to run all year."""
    if not session_months or _JULY in session_months:
        return False
    return any(
        date(year, _JULY, 1) >= start and date(year, _JULY, 31) <= as_of
        for year in range(start.year, as_of.year + 1)
    )


def criterion_forecast(
    spec: CriterionSpec,
    verdict: Verdict,
    *,
    registrations: Sequence[date] | None,
    window: tuple[date, date] | None,
    as_of: date,
    session_months: frozenset[int] | None = None,
    level: float = DEFAULT_LEVEL,
) -> Forecast | None:
    """The forecast of a running count criterion (at least N, or a range's
    minimum, counted from registrations) to the end of ``window``: linear,
    or by the school-year season when the activity follows the school year
    (``follows_school_year``). Only for a verdict still pending: a target
    reached stays reached. ``registrations`` holds one date per unit the
    measure counts; the target is the verdict's threshold (the per-period
    one when each period is judged on its own)."""
    if registrations is None or window is None or verdict.threshold is None:
        return None
    if verdict.outcome is not Outcome.PENDING or spec.unit is not Unit.COUNT:
        return None
    at_least_each = (
        isinstance(spec.target, EveryPeriodTarget) and spec.target.op == "at_least"
    )
    if spec.kind not in FORECAST_KINDS and not at_least_each:
        return None
    start, end = window
    if end < start:
        return None
    season = (
        SCHOOL_YEAR_SEASON
        if follows_school_year(session_months, start, as_of)
        else None
    )
    return forecast_count(
        registrations,
        start=start,
        end=end,
        as_of=as_of,
        target=verdict.threshold,
        season=season,
        level=level,
    )


def criterion_statistics(
    spec: CriterionSpec,
    series: Sequence[DataPoint],
    verdict: Verdict,
    context: JudgementContext,
    *,
    registrations: Sequence[date] | None = None,
    window: tuple[date, date] | None = None,
    session_months: frozenset[int] | None = None,
    counts_persons: bool = False,
    settings: UncertaintySettings = TEAM_SETTINGS,
) -> tuple[Verdict, CriterionStatistics]:
    """``verdict`` with what the statistics say about it, and those
    statistics.

    Remarks added, in this order: the change from the baseline and whether
    chance explains it (``criterion_change``, ``change_text``), and when it
    does, ``Vurderingen er usikker, fordi tilfældigheder kan forklare
    ændringen.`` (``within_chance`` set on the verdict); the thin-data mark
    (``Spinkelt datagrundlag (n = 12).``) when the verdict rests on fewer
    persons than ``settings.thin_threshold``; the forecast of a running
    count (``criterion_forecast``, ``forecast_sentence``). A qualitative
    criterion and a verdict that could not be measured get nothing. For a
    reader outside the team (``settings.discretion``) a criterion counting
    persons gets no forecast while its count is below the threshold.

    A pending count with a forecast is judged again with it (``judge``'s
    ``forecast``), so that its pace, its sentence and its expected value
    are the forecast's: one value for the badge, the sentence, the table
    and the forecast. The pace comes from the forecast even where the
    forecast itself is not shown, so every reader sees the same pace.
    """
    if (
        spec.kind is CriterionKind.QUALITATIVE
        or verdict.outcome is Outcome.NOT_MEASURABLE
    ):
        return verdict, NO_STATISTICS
    changed, within, remarks = _change_remarks(spec, series, settings)
    persons = criterion_persons(spec, series)
    thin = persons is not None and thin_data(persons, settings.thin_threshold)
    mark = thin_text(persons, settings) if thin and persons is not None else ""
    if mark:
        remarks.append(_capitalised(mark) + ".")
    raw_forecast = criterion_forecast(
        spec,
        verdict,
        registrations=registrations,
        window=window,
        as_of=context.as_of,
        session_months=session_months,
        level=settings.level,
    )
    pace_method = None
    if verdict.pace is not None and raw_forecast is not None:
        verdict = judge(spec, series, context, forecast=raw_forecast)
        if raw_forecast.outlook is not None and not raw_forecast.finished:
            pace_method = raw_forecast.projected.method
    forecast = _shown_forecast(
        raw_forecast, counts_persons=counts_persons, settings=settings
    )
    forecast_text = (
        forecast_sentence(forecast, unit_label=spec.unit_label) if forecast else ""
    )
    if forecast_text:
        remarks.append(forecast_text)
    statistics = replace(
        changed,
        persons=persons,
        thin=thin,
        thin_text=mark,
        forecast=forecast,
        forecast_text=forecast_text,
        pace_method=pace_method,
    )
    judged = replace(
        verdict, remarks=(*verdict.remarks, *remarks), within_chance=within
    )
    return judged, statistics


def _change_remarks(
    spec: CriterionSpec, series: Sequence[DataPoint], settings: UncertaintySettings
) -> tuple[CriterionStatistics, bool | None, list[str]]:
    """The change half of ``criterion_statistics``: the statistics of the
    change from the baseline, whether chance explains it (None when
    untested) and the remarks it adds, in the order the verdict shows
    them."""
    remarks: list[str] = []
    change = criterion_change(spec, series, settings.level)
    if change is None:
        return NO_STATISTICS, None, remarks
    tested, before, after = change
    sentence = change_text(
        tested,
        (before, after),
        population=spec.unit_label if spec.unit is Unit.PER_1000 else "",
        settings=settings,
    )
    remarks.append(sentence)
    within: bool | None = None
    if tested.beyond_chance is not None:
        within = not tested.beyond_chance
        if within:
            remarks.append(_(WITHIN_CHANCE))
    changed = CriterionStatistics(
        change=tested,
        change_periods=(before.period.code, after.period.code),
        change_text=sentence,
    )
    return changed, within, remarks


def _shown_forecast(
    forecast: Forecast | None,
    *,
    counts_persons: bool,
    settings: UncertaintySettings,
) -> Forecast | None:
    """The forecast of a running count, unless the reader may not see it."""
    if (
        forecast is not None
        and counts_persons
        and settings.discretion is not None
        and _is_small(forecast.observed, settings.discretion)
    ):
        # A count of persons below the discretion threshold would be
        # revealed by its own forecast, so a reader outside the team gets
        # none.
        return None
    return forecast


# ---------------------------------------------------------------- records


def _rounded(number: float | None, places: int) -> float | None:
    if number is None:
        return None
    return round(number, places)


def change_record(
    change: Change, periods: tuple[str, str] | None, sentence: str
) -> dict[str, object]:
    """A change as plain JSON-ready values (``fremdrift verdicts``): the
    periods, the test and its p-value, whether the change is beyond chance,
    the difference with its interval (percentage points for shares, per
    1000 for rates), the persons it corresponds to, and the denominators or
    counts derived from printed figures."""
    factor = 100 if change.unit is Unit.PERCENT else 1
    difference = change.difference
    return {
        "from": (periods[0] or None) if periods else None,
        "to": periods[1] if periods else None,
        "test": change.test.value if change.test else None,
        "p_value": _rounded(change.p_value, 4),
        "beyond_chance": change.beyond_chance,
        "difference": _rounded(
            None if difference.estimate is None else difference.estimate * factor, 2
        ),
        "difference_low": _rounded(
            None if difference.low is None else difference.low * factor, 2
        ),
        "difference_high": _rounded(
            None if difference.high is None else difference.high * factor, 2
        ),
        "level": change.level,
        "persons": _rounded(change.persons, 1),
        "derived_denominators": [
            d.value
            for d in change.derived
            if d.kind is DerivedKind.DENOMINATOR_FROM_COUNT_AND_SHARE
        ],
        "derived_counts": [
            d.value
            for d in change.derived
            if d.kind is DerivedKind.COUNT_FROM_RATE_AND_POPULATION
        ],
        "reason": change.reason.value if change.reason else None,
        "sentence": sentence,
    }


def forecast_record(forecast: Forecast, sentence: str) -> dict[str, object]:
    """A forecast as plain JSON-ready values (``fremdrift verdicts``)."""
    projected = forecast.projected
    return {
        "method": projected.method.value,
        "seasonal": forecast.seasonal,
        "start": forecast.start.isoformat(),
        "end": forecast.end.isoformat(),
        "as_of": forecast.as_of.isoformat(),
        "observed": forecast.observed,
        "projected": _rounded(projected.estimate, 1),
        "low": _rounded(projected.low, 1),
        "high": _rounded(projected.high, 1),
        "level": projected.level,
        "target": None if forecast.target is None else _plain(forecast.target),
        "outlook": forecast.outlook.value if forecast.outlook else None,
        "reason": projected.reason.value if projected.reason else None,
        "sentence": sentence,
    }


def _plain(number: Decimal) -> int | float:
    return int(number) if number == number.to_integral_value() else float(number)


def statistics_record(statistics: CriterionStatistics) -> dict[str, object]:
    """The ``change``, ``persons``, ``thin_data`` and ``forecast`` keys of a
    verdict's JSON record."""
    return {
        "change": None
        if statistics.change is None
        else change_record(
            statistics.change, statistics.change_periods, statistics.change_text
        ),
        "persons": statistics.persons,
        "thin_data": {"n": statistics.persons, "text": statistics.thin_text}
        if statistics.thin
        else None,
        "forecast": None
        if statistics.forecast is None
        else forecast_record(statistics.forecast, statistics.forecast_text),
    }
