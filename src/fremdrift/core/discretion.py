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
import re
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, TypeVar

from .i18n import _, gettext_noop
from .model import NO_VALUE_FLAGS, DataPoint, Flag, Outcome, Unit
from .plan_model import CriterionInput, JudgedCriterion
from .report_model import IndicatorSeries
from .text_da import outcome_label

if TYPE_CHECKING:
    from .uncertainty import CriterionStatistics

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
                for code in sorted(codes):
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
    raw = {
        name: {p.period.code: p for p in points} for name, points in series.populations
    }
    secret = _hidden_values(
        raw[name][code]
        for name, points in table.items()
        for code, point in points.items()
        if Flag.SUPPRESSED in point.flags and code in raw.get(name, {})
    )
    for points in table.values():
        for code, point in points.items():
            if (
                point.note
                and Flag.SUPPRESSED not in point.flags
                and discloses(point.note, threshold, secret)
            ):
                points[code] = replace(point, note="")
    notes = tuple(n for n in series.notes if not discloses(n, threshold, secret))
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
        notes=(*notes, discretion_note(threshold)),
    )


_Key = TypeVar("_Key", bound=Hashable)


def suppress_sums(
    values: Mapping[_Key, Decimal | None],
    sums: Sequence[tuple[_Key, Sequence[_Key]]],
    threshold: int,
) -> frozenset[_Key]:
    """Which of the printed counts of persons ``values`` to hide, primary
    and secondary, where each of ``sums`` says that a total (its key) is
    the sum of its parts' (an activity's participants and its
    sub-activities').

    Primary: every count from 1 up to (not including) ``threshold``. A
    total may also count what none of its parts does (the activity's own
    registrations): that remainder, total less the parts, is not printed,
    but a reader gets it by subtraction, so a remainder from 1 up to the
    threshold is a hidden count too; any other remainder (most often 0)
    is taken as known to the reader. Secondary, repeated until nothing
    changes: a sum whose only unknown (hidden, missing or a hidden
    remainder) is a hidden count would give it back, so its smallest
    shown part above 0 is hidden too, else its total, else a part of 0.
    A zero is never hidden by the primary rule (it discloses no person).
    Keys in ``sums`` but not in ``values`` count as missing."""
    hidden = {k for k, v in values.items() if is_small(v, threshold)}
    remainders = [_remainder(values, total, parts, threshold) for total, parts in sums]
    changed = True
    while changed:
        changed = False
        for (total, parts), small_remainder in zip(sums, remainders, strict=True):
            members = [total, *parts]
            unknown = [m for m in members if m in hidden or values.get(m) is None]
            secret = [m for m in unknown if m in hidden]
            if len(unknown) + small_remainder != 1 or not (secret or small_remainder):
                continue
            extra = _secondary(values, total, parts, hidden)
            if extra is not None:
                hidden.add(extra)
                changed = True
    return frozenset(hidden)


def _remainder(
    values: Mapping[_Key, Decimal | None],
    total: _Key,
    parts: Sequence[_Key],
    threshold: int,
) -> bool:
    """Whether the total less its parts is a small count of persons."""
    numbers = [values.get(m) for m in (total, *parts)]
    if any(n is None for n in numbers):
        return False
    whole, *rest = (n for n in numbers if n is not None)
    return is_small(whole - sum(rest, Decimal(0)), threshold)


def _secondary(
    values: Mapping[_Key, Decimal | None],
    total: _Key,
    parts: Sequence[_Key],
    hidden: set[_Key],
) -> _Key | None:
    """The next cell to hide in a sum: its smallest shown part above 0,
    else its total, else a shown part of 0; None when all are hidden."""
    shown = [
        (value, i, m)
        for i, m in enumerate(parts)
        if m not in hidden and (value := values.get(m)) is not None
    ]
    above_zero = [item for item in shown if item[0] > 0]
    if above_zero:
        return min(above_zero)[2]
    if total not in hidden and values.get(total) is not None:
        return total
    return min(shown)[2] if shown else None


def suppress_figures(
    points: Mapping[_Key, DataPoint],
    sums: Sequence[tuple[_Key, Sequence[_Key]]],
    threshold: int,
) -> dict[_Key, DataPoint]:
    """Counts of persons ``points`` (one per key) with what
    ``suppress_sums`` hides shown as "<5"."""
    hidden = suppress_sums({k: p.value for k, p in points.items()}, sums, threshold)
    return {k: _hide(p, threshold) if k in hidden else p for k, p in points.items()}


# Unit labels of counts that count persons (a criterion's ``unit_label``
# with unit "count"): such a criterion counts persons even when its plan
# does not say ``counts_persons``.
PERSON_UNIT_LABELS = frozenset(
    {
        "ambassadører",
        "beboere",
        "beboerambassadører",
        "borgere",
        "børn",
        "børn/unge",
        "børns forældre",
        "deltagere",
        "elever",
        "familier",
        "forældre",
        "husstande",
        "kvinder",
        "legeinstruktører",
        "mænd",
        "personer",
        "unge",
        "voksne",
    }
)

# An integer in running text: not part of a longer number, a decimal
# (``1,3``), a word or a period code (``2021K3``, ``2020/21``).
_INTEGER = re.compile(r"(?<![\w.,/])(\d+)(?![\w/]|[.,]\d)")


def _is_year(token: str) -> bool:
    return len(token) == 4 and 1900 <= int(token) <= 2100


def discloses(text: str, threshold: int, hidden: Iterable[Decimal] = ()) -> bool:
    """Whether free ``text`` about a count of persons gives a hidden count
    away: it states an integer from 1 up to (not including) ``threshold``,
    or one of the ``hidden`` values. Four-digit years (1900-2100) are not
    counts; decimals are not counts of persons."""
    values = {v for v in hidden if v == v.to_integral_value()}
    for match in _INTEGER.finditer(text):
        token = match.group(1)
        if _is_year(token):
            continue
        number = Decimal(token)
        if is_small(number, threshold) or number in values:
            return True
    return False


def criterion_counts_persons(criterion: CriterionInput) -> bool:
    """Whether ``criterion`` counts persons: said so by its plan (or its
    measure or indicator, ``counts_persons``), or a count whose unit label
    names persons (``PERSON_UNIT_LABELS``: "børn", "deltagere", ...)."""
    spec = criterion.spec
    return criterion.counts_persons or (
        spec.unit == Unit.COUNT
        and spec.unit_label.strip().lower() in PERSON_UNIT_LABELS
    )


def _hidden_values(points: Iterable[DataPoint | None]) -> list[Decimal]:
    return [
        v
        for p in points
        if p is not None
        for v in (p.value, p.numerator)
        if v is not None
    ]


def _without_numerator_notes(item: JudgedCriterion, threshold: int) -> JudgedCriterion:
    """``item`` without the notes of its values and baseline that state
    their small numerator ("3 børn" behind a share of 2,1 %): a numerator
    counts persons, whatever the criterion's unit."""

    def cleared(point: DataPoint) -> DataPoint:
        if (
            point.note
            and is_small(point.numerator, threshold)
            and discloses(point.note, threshold)
        ):
            return replace(point, note="")
        return point

    criterion = item.criterion
    baseline = criterion.spec.baseline
    return replace(
        item,
        criterion=replace(
            criterion,
            series=tuple(cleared(p) for p in criterion.series),
            spec=criterion.spec
            if baseline is None
            else replace(criterion.spec, baseline=cleared(baseline)),
        ),
    )


def suppress_judged(
    item: JudgedCriterion, threshold: int, hidden: frozenset[str] = frozenset()
) -> JudgedCriterion:
    """A criterion on a number of persons as a reader outside the team may
    see it; the verdict stays (it discloses no person).

    Primary: every value, numerator and baseline from 1 up to (not
    including) ``threshold`` is hidden, and the judged value when it is
    such a number. Secondary: the periods ``hidden`` (those its
    indicator's table hides for its population, ``suppress_series``) are
    hidden too; once any number is hidden, the judged value is shown only
    when it is a shown value itself (a sum, a change or a difference could
    give a hidden one back), and the explanation, the remarks, the change
    test, the threshold taken from a hidden baseline and the forecast go
    (their sentences state the numbers). Notes and remarks that state a
    small or hidden count (``discloses``) are withheld. Criteria that do
    not count persons (``criterion_counts_persons``) are unchanged."""
    item = _without_numerator_notes(item, threshold)
    if not criterion_counts_persons(item.criterion) and not hidden:
        return item
    secrets = _Secrets.of(item, threshold, hidden)
    criterion = _criterion_shown(item.criterion, threshold, secrets)
    verdict = item.verdict
    if not secrets.anything_hidden and not secrets.value_hidden:
        remarks = tuple(r for r in verdict.remarks if secrets.shown_text(r))
        return replace(
            item, criterion=criterion, verdict=replace(verdict, remarks=remarks)
        )
    value_hidden = secrets.value_hidden
    return JudgedCriterion(
        criterion=criterion,
        verdict=replace(
            verdict,
            judged_value=None if value_hidden else verdict.judged_value,
            threshold=None if secrets.baseline_hidden else verdict.threshold,
            expected=None
            if value_hidden or is_small(verdict.expected, threshold)
            else verdict.expected,
            explanation=_discretion_explanation(
                verdict.outcome, threshold, secrets.value_small
            ),
            remarks=(),
        ),
        statistics=_statistics_shown(item.statistics, threshold, secrets),
    )


@dataclass(frozen=True, slots=True)
class _Secrets:
    """What of one person-counting criterion an outside reader may not see:
    the periods and baseline to hide, whether the judged value goes, and
    the numbers no shown text may state."""

    threshold: int
    hidden: frozenset[str]
    baseline_hidden: bool
    value_small: bool
    anything_hidden: bool
    value_hidden: bool
    values: tuple[Decimal, ...]

    @classmethod
    def of(
        cls, item: JudgedCriterion, threshold: int, hidden: frozenset[str]
    ) -> _Secrets:
        criterion, verdict = item.criterion, item.verdict

        def secret(point: DataPoint) -> bool:
            return _is_secret(point, hidden, threshold)

        raw_baseline = criterion.spec.baseline
        secret_points = [p for p in criterion.series if secret(p)]
        baseline_hidden = raw_baseline is not None and secret(raw_baseline)
        values = _hidden_values(
            [*secret_points, raw_baseline if baseline_hidden else None]
        )
        shown_values = {
            p.value for p in criterion.series if not secret(p) and p.value is not None
        }
        value_small = is_small(verdict.judged_value, threshold)
        anything_hidden = bool(secret_points) or baseline_hidden or value_small
        # A sum, a change or a difference could give a hidden value back.
        value_hidden = value_small or (
            anything_hidden
            and verdict.judged_value is not None
            and verdict.judged_value not in shown_values
        )
        if value_hidden and verdict.judged_value is not None:
            values.append(verdict.judged_value)
        return cls(
            threshold=threshold,
            hidden=hidden,
            baseline_hidden=baseline_hidden,
            value_small=value_small,
            anything_hidden=anything_hidden,
            value_hidden=value_hidden,
            values=tuple(values),
        )

    def secret(self, point: DataPoint) -> bool:
        return _is_secret(point, self.hidden, self.threshold)

    def shown_text(self, text: str) -> bool:
        return not discloses(text, self.threshold, list(self.values))


def _is_secret(point: DataPoint, hidden: frozenset[str], threshold: int) -> bool:
    """A period the indicator's table hides, or a small count of persons."""
    return (
        point.period.code in hidden
        or is_small(point.value, threshold)
        or is_small(point.numerator, threshold)
    )


def _criterion_shown(
    criterion: CriterionInput, threshold: int, secrets: _Secrets
) -> CriterionInput:
    """The criterion's series, baseline and notes with what ``secrets``
    names hidden or withheld."""
    spec = criterion.spec
    if secrets.baseline_hidden and spec.baseline is not None:
        spec = replace(spec, baseline=_hide(spec.baseline, threshold))
    series = tuple(
        _hide(p, threshold) if secrets.secret(p) else p for p in criterion.series
    )
    series = tuple(
        p
        if not p.note or secrets.secret(p) or secrets.shown_text(p.note)
        else replace(p, note="")
        for p in series
    )
    notes = tuple(n for n in criterion.notes if secrets.shown_text(n))
    return replace(criterion, spec=spec, series=series, notes=notes)


def _discretion_explanation(outcome: Outcome, threshold: int, value_small: bool) -> str:
    label = outcome_label(outcome).capitalize()
    if value_small:
        return _(
            "{outcome}: tallet er under {threshold} personer og vises som "
            "{shown} af diskretionshensyn."
        ).format(outcome=label, threshold=threshold, shown=suppressed_text(threshold))
    return _(
        "{outcome}: tal under {threshold} personer, og tal som de kunne "
        "regnes ud fra, vises ikke af diskretionshensyn."
    ).format(outcome=label, threshold=threshold)


def _statistics_shown(
    statistics: CriterionStatistics, threshold: int, secrets: _Secrets
) -> CriterionStatistics:
    """The statistics once a number is hidden: no change test (its sentence
    states the numbers), no small count of persons, the forecast only when
    neither it nor its sentence gives a hidden number back."""
    forecast = statistics.forecast
    keep_forecast = (
        forecast is not None
        and not secrets.value_hidden
        and not is_small(Decimal(forecast.observed), threshold)
        and secrets.shown_text(statistics.forecast_text)
    )
    persons = statistics.persons
    thin_text = statistics.thin_text
    return replace(
        statistics,
        change=None,
        change_periods=None,
        change_text="",
        persons=None
        if persons is not None and is_small(Decimal(persons), threshold)
        else persons,
        thin_text=thin_text if secrets.shown_text(thin_text) else "",
        forecast=forecast if keep_forecast else None,
        forecast_text=statistics.forecast_text if keep_forecast else "",
    )
