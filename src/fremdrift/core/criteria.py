"""Judging a success criterion (succeskriterie) against its values.

``judge`` takes a criterion's spec, the values inside the window the caller
selected, and the date of judgement, and returns a ``Verdict`` with one Danish
sentence that states the numbers. The kinds and their targets are those of
``docs/plan-format.md`` ("Kinds and their targets").

Arithmetic is exact: values and targets are turned into ``Fraction``s, so a
threshold such as "reduced by a third" from 2,19 is exactly 1,46 and a value
of exactly 1,46 meets it. Numbers are rounded only for display (at most two
decimals, half up) and ``Verdict`` carries ``Decimal``s of 28 significant
digits.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Context, Decimal
from fractions import Fraction

from fremdrift.core.forecast import Forecast
from fremdrift.core.i18n import _, gettext_noop, ngettext
from fremdrift.core.model import (
    NO_VALUE_FLAGS,
    Aggregation,
    Better,
    CriterionKind,
    CriterionSpec,
    DataPoint,
    EveryPeriodTarget,
    HoldBaselineTarget,
    IncreaseByTarget,
    JudgementContext,
    NoTarget,
    NumberTarget,
    Outcome,
    Pace,
    Period,
    RangeTarget,
    ReduceByTarget,
    Unit,
    Verdict,
)
from fremdrift.core.periods import period_sort_key, span_of
from fremdrift.core.targets import TARGET_TYPES
from fremdrift.core.text_da import (
    format_date,
    format_number,
    format_period,
    format_value,
    outcome_label,
    pace_label,
    period_phrase,
)

# Danish message ids, translated where a verdict is made.
NO_DATA = gettext_noop("Kan ikke måles: Der er ingen data at bedømme kriteriet på.")
NO_BASELINE = gettext_noop(
    "Kan ikke måles: Kriteriet sammenlignes med en baseline, men der er ingen "
    "baselineværdi."
)
NO_RECORDED_VERDICT = gettext_noop(
    "Kan ikke måles: Teamet har ikke registreret en vurdering af kriteriet."
)

# Kinds that compare with ``spec.baseline`` and cannot be judged without it.
BASELINE_KINDS = frozenset(
    {
        CriterionKind.REDUCE_BY,
        CriterionKind.INCREASE_BY,
        CriterionKind.REDUCE_TO,
        CriterionKind.INCREASE_TO,
        CriterionKind.BELOW_BASELINE,
        CriterionKind.ABOVE_BASELINE,
        CriterionKind.HOLD_BASELINE,
    }
)

# A count that only grows: once it reaches its target during the plan it
# cannot fall back, so it is achieved before the plan ends.
_CUMULATIVE_KINDS = frozenset({CriterionKind.AT_LEAST, CriterionKind.RANGE})

_ONE_THIRD = Fraction(1, 3)
# A relative target within this distance of 1/3 is taken as "a third":
# reports print 0,333 or 33,33 % for it, and only the exact third gives the
# printed threshold back (2,19 reduced by a third is 1,46, not 1,46073).
_ONE_THIRD_SLACK = Fraction(1, 2000)
_EVIDENCE_EXCERPT_CHARS = 120
# Enough digits that converting an exact Fraction back to Decimal loses
# nothing a report could print.
_DECIMAL_CONTEXT = Context(prec=28)


class CriterionSpecError(ValueError):
    """A criterion spec whose target does not fit its kind."""


def _to_decimal(number: Fraction) -> Decimal:
    """``number`` as a Decimal: exact when it has a finite decimal expansion
    within 28 significant digits, else rounded to 28 digits."""
    return _DECIMAL_CONTEXT.divide(
        Decimal(number.numerator), Decimal(number.denominator)
    )


def _for_display(number: Fraction) -> Decimal:
    """``number`` rounded half up to at most two decimals, for a sentence."""
    return _to_decimal(number).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _fmt(number: Fraction, unit: Unit, label: str = "") -> str:
    """A number with its unit, at most two decimals, trailing zeros dropped."""
    return format_value(_for_display(number), unit, label)


def _num(number: Fraction) -> str:
    """A bare number, at most two decimals, trailing zeros dropped."""
    return format_number(_for_display(number))


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _point_fraction(point: DataPoint, unit: Unit) -> Fraction | None:
    """The exact value of ``point``, or None when it has no usable number."""
    if point.flags & NO_VALUE_FLAGS:
        return None
    if point.value is not None:
        return Fraction(point.value) if point.value.is_finite() else None
    if (
        unit is Unit.PERCENT
        and point.numerator is not None
        and point.denominator is not None
        and point.numerator.is_finite()
        and point.denominator.is_finite()
        and not point.denominator.is_zero()
    ):
        return 100 * Fraction(point.numerator) / Fraction(point.denominator)
    return None


def point_value(point: DataPoint, unit: Unit) -> Decimal | None:
    """The number a criterion judges ``point`` on, in ``unit``.

    None when the point is flagged ``missing``, ``unreadable`` or
    ``suppressed`` (``NO_VALUE_FLAGS``), or has no value. A share (unit
    ``percent``) without a value but with numerator and denominator is
    100 x numerator / denominator percent; a zero denominator gives None.
    Non-finite values (NaN, infinity) count as no value.
    """
    number = _point_fraction(point, unit)
    return None if number is None else _to_decimal(number)


def _relative(relative: Decimal | Fraction) -> Fraction:
    """A relative target as an exact fraction, snapping "a third"."""
    exact = Fraction(relative)
    if abs(exact - _ONE_THIRD) <= _ONE_THIRD_SLACK:
        return _ONE_THIRD
    return exact


def relative_text(relative: Fraction) -> str:
    """A relative change in words: 1/3 is ``en tredjedel``, 1/2
    ``halvdelen``, anything else a percentage such as ``10 %``."""
    if relative == _ONE_THIRD:
        return _("en tredjedel")
    if relative == Fraction(1, 2):
        return _("halvdelen")
    return _fmt(100 * relative, Unit.PERCENT)


def elapsed_fraction(start: date, end: date, as_of: date) -> Fraction:
    """How much of ``[start, end]`` has passed at ``as_of``, from 0 to 1.

    Formula: (as_of - start) / (end - start) in days, clamped to [0, 1]: 0 on
    the start day, 1 on the end day and after. A period of one day (start
    equal to end) is 0 before it and 1 from it on.
    """
    total = (end - start).days
    if total <= 0:
        return Fraction(0) if as_of < start else Fraction(1)
    return min(Fraction(1), max(Fraction(0), Fraction((as_of - start).days, total)))


@dataclass(frozen=True, slots=True)
class _Rule:
    """How one value is held against the target.

    ``clause(value_text, value)`` is the sentence after the outcome label;
    ``each_text`` the predicate for "2 af 3 perioder ..."; ``remarks`` extra
    sentences for a value (a range's maximum exceeded).
    """

    meets: Callable[[Fraction], bool]
    threshold: Fraction
    better: Better
    clause: Callable[[str, Fraction], str]
    each_text: str
    remarks: Callable[[Fraction], tuple[str, ...]] = lambda _value: ()
    printed_remarks: tuple[str, ...] = ()
    range_text: str = ""


def _exact(number: Decimal, kind: CriterionKind, field: str) -> Fraction:
    if not number.is_finite():
        raise CriterionSpecError(f"target.{field} of a {kind} criterion is {number}")
    return Fraction(number)


def _baseline_text(spec: CriterionSpec, baseline: Fraction, unit: Unit) -> str:
    """``11 % i 2016``; the period is left out when the baseline's period code
    is empty (a baseline the report gives without a period)."""
    shown = _fmt(baseline, unit)
    assert spec.baseline is not None
    if not spec.baseline.period.code:
        return shown
    return _with_period(shown, period_phrase(spec.baseline.period))


def _with_period(value: str, period: str) -> str:
    """A value followed by its period phrase: ``11 % i 2016``."""
    # Translators: a value and the phrase that dates it ("11 % i 2016").
    return _("{value} {period}").format(value=value, period=period)


def _amount_text(amount: Fraction, unit: Unit, label: str) -> str:
    """An absolute change: percentage points for shares, else the unit."""
    if unit is Unit.PERCENT:
        return _("{number} procentpoint").format(number=_num(amount))
    return _fmt(amount, unit, label)


def _bound_text(at_least: bool, value: str) -> str:
    """``mindst 80`` or ``højst 10 %``."""
    if at_least:
        return _("mindst {value}").format(value=value)
    return _("højst {value}").format(value=value)


def _reaches_text(at_least: bool, target: str) -> str:
    """What each period must do: ``når mindst 80`` or ``er på højst 10``."""
    if at_least:
        return _("når {target}").format(target=target)
    return _("er på {target}").format(target=target)


def _goal_rule(op: str, number: Fraction, unit: Unit, baseline: str = "") -> _Rule:
    """A fixed target: ``mod et mål på mindst 80`` (op ``>=``) or ``højst``;
    ``baseline``, when given, is named after it."""
    at_least = op == ">="
    target = _bound_text(at_least, _fmt(number, unit))

    def clause(text: str, _value: Fraction) -> str:
        if baseline:
            return _("{value} mod et mål på {target} (baseline {baseline})").format(
                value=text, target=target, baseline=baseline
            )
        return _("{value} mod et mål på {target}").format(value=text, target=target)

    return _Rule(
        meets=(lambda v: v >= number) if at_least else (lambda v: v <= number),
        threshold=number,
        better=Better.HIGHER if at_least else Better.LOWER,
        clause=clause,
        each_text=_reaches_text(at_least, target),
    )


def _derived_rule(op: str, threshold: Fraction, unit: Unit, description: str) -> _Rule:
    """A threshold derived from the baseline, with how it was derived:
    ``mod højst 9,9 % (baseline 11 % i 2016 reduceret med 10 %)``."""
    at_least = op == ">="
    # Translators: a target and how it was derived, "højst 9,9 % (baseline
    # 11 % i 2016 reduceret med 10 %)".
    target = _("{target} ({description})").format(
        target=_bound_text(at_least, _fmt(threshold, unit)), description=description
    )

    def meets(value: Fraction) -> bool:
        return value >= threshold if at_least else value <= threshold

    def clause(text: str, value: Fraction) -> str:
        if meets(value):
            return _("{value} mod {target}").format(value=text, target=target)
        if at_least:
            return _("{value} er under målet på {target}").format(
                value=text, target=target
            )
        return _("{value} er over målet på {target}").format(value=text, target=target)

    return _Rule(
        meets=meets,
        threshold=threshold,
        better=Better.HIGHER if at_least else Better.LOWER,
        clause=clause,
        each_text=_reaches_text(at_least, target),
    )


def _baseline_compare_rule(above: bool, baseline: Fraction, shown: str) -> _Rule:
    """Strictly below or above the baseline:
    ``er under baseline 57 i 2014``."""

    def meets(value: Fraction) -> bool:
        return value > baseline if above else value < baseline

    def clause(text: str, value: Fraction) -> str:
        if above and meets(value):
            template = _("{value} er over baseline {baseline}")
        elif above:
            template = _("{value} er ikke over baseline {baseline}")
        elif meets(value):
            template = _("{value} er under baseline {baseline}")
        else:
            template = _("{value} er ikke under baseline {baseline}")
        return template.format(value=text, baseline=shown)

    if above:
        each_text = _("er over baseline {baseline}").format(baseline=shown)
    else:
        each_text = _("er under baseline {baseline}").format(baseline=shown)
    return _Rule(
        meets=meets,
        threshold=baseline,
        better=Better.HIGHER if above else Better.LOWER,
        clause=clause,
        each_text=each_text,
    )


def _range_rule(minimum: Fraction, maximum: Fraction, spec: CriterionSpec) -> _Rule:
    """Reaching the minimum is success; above the maximum is noted only."""
    unit = spec.unit
    interval = f"{_num(minimum)}-{_fmt(maximum, unit)}"

    def clause(text: str, value: Fraction) -> str:
        if value < minimum:
            template = _("{value} er under det forventede interval {interval}")
        elif value > maximum:
            template = _("{value} er over det forventede interval {interval}")
        else:
            template = _("{value} ligger i intervallet {interval}")
        return template.format(value=text, interval=interval)

    def remarks(value: Fraction) -> tuple[str, ...]:
        if value <= maximum:
            return ()
        return (
            _(
                "Resultatet {value} ligger over det forventede interval "
                "{interval}; det tæller som opnået, fordi minimum er nået."
            ).format(value=_fmt(value, unit, spec.unit_label), interval=interval),
        )

    return _Rule(
        meets=lambda v: v >= minimum,
        threshold=minimum,
        better=Better.HIGHER,
        clause=clause,
        each_text=_("når mindst {minimum} (interval {interval})").format(
            minimum=_fmt(minimum, unit), interval=interval
        ),
        remarks=remarks,
        range_text=interval,
    )


def _hold_rule(
    spec: CriterionSpec, target: HoldBaselineTarget, baseline: Fraction, shown: str
) -> _Rule:
    """Hold the baseline within a tolerance, in the direction ``spec.better``.

    lower: value <= baseline + tol; higher: value >= baseline - tol; none:
    |value - baseline| <= tol. tol is ``target.tolerance`` (in the unit) or
    ``target.relative_tolerance`` x |baseline|; the absolute one wins when
    both are given; without either the tolerance is 0.
    """
    unit = spec.unit
    if target.tolerance is not None:
        tolerance = _exact(target.tolerance, spec.kind, "tolerance")
        tolerance_text = _amount_text(tolerance, unit, "")
    elif target.relative_tolerance is not None:
        relative = _exact(target.relative_tolerance, spec.kind, "relative_tolerance")
        tolerance = relative * abs(baseline)
        tolerance_text = relative_text(relative)
    else:
        tolerance, tolerance_text = Fraction(0), ""
    if tolerance < 0:
        raise CriterionSpecError("a hold_baseline tolerance cannot be negative")
    if spec.better is Better.NONE and tolerance == 0:
        # An interval "7-7" reads as a typo; without a tolerance the value
        # simply has to equal the baseline.
        def equal_clause(text: str, value: Fraction) -> str:
            if value == baseline:
                template = _("{value} er lig med baseline {baseline}")
            else:
                template = _("{value} er ikke lig med baseline {baseline}")
            return template.format(value=text, baseline=shown)

        return _Rule(
            meets=lambda v: v == baseline,
            threshold=baseline,
            better=Better.NONE,
            clause=equal_clause,
            each_text=_("er lig med baseline {baseline}").format(baseline=shown),
        )
    if spec.better is Better.NONE:
        low, high = baseline - tolerance, baseline + tolerance
        band = f"{_num(low)}-{_fmt(high, unit)}"
        if tolerance_text:
            description = _("baseline {baseline} ± {tolerance}").format(
                baseline=shown, tolerance=tolerance_text
            )
        else:
            description = _("baseline {baseline}").format(baseline=shown)

        def clause(text: str, value: Fraction) -> str:
            if low <= value <= high:
                template = _(
                    "{value} ligger inden for intervallet {band} ({description})"
                )
            else:
                template = _(
                    "{value} ligger uden for intervallet {band} ({description})"
                )
            return template.format(value=text, band=band, description=description)

        return _Rule(
            meets=lambda v: low <= v <= high,
            threshold=baseline,
            better=Better.NONE,
            clause=clause,
            each_text=_("ligger inden for {band} ({description})").format(
                band=band, description=description
            ),
        )
    lower = spec.better is Better.LOWER
    if tolerance_text and lower:
        description = _("baseline {baseline} plus en tolerance på {tolerance}")
    elif tolerance_text:
        description = _("baseline {baseline} minus en tolerance på {tolerance}")
    else:
        description = _("baseline {baseline}")
    description = description.format(baseline=shown, tolerance=tolerance_text)
    if lower:
        return _derived_rule("<=", baseline + tolerance, unit, description)
    return _derived_rule(">=", baseline - tolerance, unit, description)


def _printed_threshold_remarks(
    printed: Decimal | None, computed: Fraction, unit: Unit
) -> tuple[str, ...]:
    """A remark when the printed threshold, compared at its own precision,
    differs from the computed one (1,46 printed, 2,19 x 2/3 computed)."""
    if printed is None or not printed.is_finite():
        return ()
    exponent = printed.as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    rounded = _to_decimal(computed).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    if rounded == printed:
        return ()
    return (
        _(
            "Den trykte tærskel {printed} stemmer ikke med den beregnede "
            "{computed}; kriteriet er bedømt mod den beregnede."
        ).format(printed=format_value(printed, unit), computed=_fmt(computed, unit)),
    )


def _rule(spec: CriterionSpec, baseline: Fraction | None) -> _Rule:
    """The rule for ``spec``; ``baseline`` is given for ``BASELINE_KINDS``.
    Raises ``CriterionSpecError`` when the target's type is not the one the
    kind takes (``targets.TARGET_TYPES``) or its numbers do not fit."""
    kind, target, unit = spec.kind, spec.target, spec.unit
    expected = TARGET_TYPES[kind]
    if not isinstance(target, expected):
        raise CriterionSpecError(
            f"a {kind} criterion takes a {expected.__name__}, "
            f"not a {type(target).__name__}"
        )
    if kind not in BASELINE_KINDS:
        return _fixed_rule(spec, unit)
    assert baseline is not None
    shown = _baseline_text(spec, baseline, unit)
    match target:
        case NumberTarget(number):  # reduce_to, increase_to
            op = ">=" if kind is CriterionKind.INCREASE_TO else "<="
            return _goal_rule(op, _exact(number, kind, "number"), unit, shown)
        case ReduceByTarget(relative, printed):
            change = _relative(_exact(relative, kind, "relative"))
            threshold = baseline * (1 - change)
            description = _("baseline {baseline} reduceret med {change}").format(
                baseline=shown, change=relative_text(change)
            )
            rule = _derived_rule("<=", threshold, unit, description)
            remarks = _printed_threshold_remarks(printed, threshold, unit)
            return _with_printed(rule, remarks)
        case IncreaseByTarget():
            return _increase_rule(spec, target, baseline, shown)
        case NoTarget():  # below_baseline, above_baseline
            above = kind is CriterionKind.ABOVE_BASELINE
            return _baseline_compare_rule(above, baseline, shown)
        case HoldBaselineTarget():
            return _hold_rule(spec, target, baseline, shown)
    raise CriterionSpecError(f"no rule for criterion kind {kind!r}")


def _fixed_rule(spec: CriterionSpec, unit: Unit) -> _Rule:
    """The rule of a kind with a fixed target: at_least, at_most,
    share_at_least (in percent), range, every_period."""
    kind, target = spec.kind, spec.target
    match target:
        case NumberTarget(number):
            op = "<=" if kind is CriterionKind.AT_MOST else ">="
            if kind is CriterionKind.SHARE_AT_LEAST:
                unit = Unit.PERCENT
            return _goal_rule(op, _exact(number, kind, "number"), unit)
        case RangeTarget(low, high):
            minimum = _exact(low, kind, "minimum")
            maximum = _exact(high, kind, "maximum")
            if maximum < minimum:
                raise CriterionSpecError("a range's maximum is below its minimum")
            return _range_rule(minimum, maximum, spec)
        case EveryPeriodTarget(every_op, number):
            if every_op not in ("at_least", "at_most"):
                raise CriterionSpecError(
                    "an every_period criterion needs target.op "
                    f"'at_least' or 'at_most', not {every_op!r}"
                )
            op = ">=" if every_op == "at_least" else "<="
            return _goal_rule(op, _exact(number, kind, "number"), unit)
    raise CriterionSpecError(f"no rule for criterion kind {kind!r}")


def _increase_rule(
    spec: CriterionSpec, target: IncreaseByTarget, baseline: Fraction, shown: str
) -> _Rule:
    """increase_by: v >= b(1 + r) or v >= b + a, exactly one of them."""
    kind, unit = spec.kind, spec.unit
    if (target.relative is None) == (target.absolute is None):
        raise CriterionSpecError(
            "an increase_by criterion needs exactly one of target.relative "
            "and target.absolute"
        )
    if target.relative is not None:
        relative = _relative(_exact(target.relative, kind, "relative"))
        threshold = baseline * (1 + relative)
        description = _("baseline {baseline} øget med {change}").format(
            baseline=shown, change=relative_text(relative)
        )
    else:
        assert target.absolute is not None
        absolute = _exact(target.absolute, kind, "absolute")
        threshold = baseline + absolute
        description = _("baseline {baseline} plus {change}").format(
            baseline=shown, change=_amount_text(absolute, unit, "")
        )
    rule = _derived_rule(">=", threshold, unit, description)
    remarks = _printed_threshold_remarks(target.threshold, threshold, unit)
    return _with_printed(rule, remarks)


def _with_printed(rule: _Rule, remarks: tuple[str, ...]) -> _Rule:
    return _Rule(
        meets=rule.meets,
        threshold=rule.threshold,
        better=rule.better,
        clause=rule.clause,
        each_text=rule.each_text,
        remarks=rule.remarks,
        printed_remarks=remarks,
        range_text=rule.range_text,
    )


def _evidence_excerpt(evidence: str) -> str:
    """The evidence on one line, cut at a word near 120 characters."""
    text = " ".join(evidence.split())
    if len(text) > _EVIDENCE_EXCERPT_CHARS:
        cut = text[:_EVIDENCE_EXCERPT_CHARS].rsplit(" ", 1)[0]
        text = cut.rstrip(" ,;:.") + " …"
    return text.rstrip(" .")


def _judge_qualitative(spec: CriterionSpec) -> Verdict:
    outcome = spec.recorded_outcome
    if outcome is None:
        return Verdict(Outcome.NOT_MEASURABLE, None, None, _(NO_RECORDED_VERDICT))
    label = _capitalised(outcome_label(outcome))
    excerpt = _evidence_excerpt(spec.evidence)
    if excerpt:
        sentence = _(
            "{outcome}: vurderingen er registreret af teamet på grundlag af "
            "»{evidence}«."
        ).format(outcome=label, evidence=excerpt)
    else:
        sentence = _("{outcome}: vurderingen er registreret af teamet.").format(
            outcome=label
        )
    return Verdict(outcome, None, None, sentence)


def _value_text(
    spec: CriterionSpec, points: Sequence[tuple[Period, Fraction]], value: Fraction
) -> str:
    """The judged value as prose: ``111 unge``, ``8,2 % i 2020``,
    ``gennemsnittet 2,2 % for 2017-2021``, ``111 unge i alt for 2017-2021``."""
    unit = Unit.PERCENT if spec.kind is CriterionKind.SHARE_AT_LEAST else spec.unit
    shown = _fmt(value, unit, spec.unit_label)
    periods = [period for period, _value in points]
    if spec.aggregation is Aggregation.MEAN:
        return _("gennemsnittet {value} for {period}").format(
            value=shown, period=format_period(span_of(periods))
        )
    if spec.aggregation is Aggregation.SUM:
        if len(points) > 1:
            return _("{value} i alt for {period}").format(
                value=shown, period=format_period(span_of(periods))
            )
        latest = periods[0]
    else:
        latest = max(periods, key=period_sort_key)
    # The period is named when there is a baseline period to set it against,
    # or when the latest of several values was taken.
    if spec.kind in BASELINE_KINDS or len(points) > 1:
        return _with_period(shown, period_phrase(latest))
    return shown


def _explained(outcome: Outcome, body: str) -> str:
    """``Opnået: 111 unge mod et mål på mindst 80.``"""
    # Translators: an outcome ("Opnået") and the sentence that explains it.
    return _("{outcome}: {explanation}.").format(
        outcome=_capitalised(outcome_label(outcome)), explanation=body
    )


def _aggregate(
    aggregation: Aggregation, points: Sequence[tuple[Period, Fraction]]
) -> Fraction:
    """latest: the value of the period with the latest end (then latest
    start; the last given on a tie); sum; mean: arithmetic mean."""
    if aggregation is Aggregation.SUM:
        return sum((value for _period, value in points), Fraction(0))
    if aggregation is Aggregation.MEAN:
        return sum((value for _period, value in points), Fraction(0)) / len(points)
    ordered = sorted(points, key=lambda point: period_sort_key(point[0]))
    return ordered[-1][1]


def _judge_each(
    spec: CriterionSpec,
    rule: _Rule,
    points: Sequence[tuple[Period, Fraction]],
    context: JudgementContext,
    forecast: Forecast | None = None,
) -> Verdict:
    """Judge every period on its own: all meet -> achieved, some -> partly,
    none -> not achieved; while the plan runs: pending, on track when all
    periods so far meet, or with a forecast (of the current period's
    count), the forecast's outlook."""
    unit = Unit.PERCENT if spec.kind is CriterionKind.SHARE_AT_LEAST else spec.unit
    ordered = sorted(points, key=lambda point: period_sort_key(point[0]))
    met = [rule.meets(value) for _period, value in ordered]
    count = sum(met)
    if count == len(met):
        outcome = Outcome.ACHIEVED
    elif count:
        outcome = Outcome.PARTLY_ACHIEVED
    else:
        outcome = Outcome.NOT_ACHIEVED
    listing = ", ".join(
        f"{format_period(period)}: {_fmt(value, unit)}" for period, value in ordered
    )
    body = ngettext(
        "{count} af {total} periode {predicate} ({values})",
        "{count} af {total} perioder {predicate} ({values})",
        len(met),
    ).format(count=count, total=len(met), predicate=rule.each_text, values=listing)
    pace = None
    if context.as_of < context.plan_end:
        outcome = Outcome.PENDING
        pace = _forecast_pace(forecast) or (
            Pace.ON_TRACK if count == len(met) else Pace.OFF_TRACK
        )
        body = _("{explanation}; {pace} pr. {date}").format(
            explanation=body, pace=pace_label(pace), date=format_date(context.as_of)
        )
    remarks = rule.printed_remarks + tuple(
        remark for _period, value in ordered for remark in rule.remarks(value)
    )
    return Verdict(
        outcome=outcome,
        judged_value=_to_decimal(ordered[-1][1]),
        threshold=_to_decimal(rule.threshold),
        explanation=_explained(outcome, body),
        pace=pace,
        period_outcomes=tuple(
            (period.code, Outcome.ACHIEVED if ok else Outcome.NOT_ACHIEVED)
            for (period, _value), ok in zip(ordered, met, strict=True)
        ),
        remarks=remarks,
    )


def _is_cumulative(spec: CriterionSpec) -> bool:
    return spec.kind in _CUMULATIVE_KINDS and (
        spec.aggregation is Aggregation.SUM or spec.unit is Unit.COUNT
    )


def judge(
    spec: CriterionSpec,
    series: Sequence[DataPoint],
    context: JudgementContext,
    *,
    forecast: Forecast | None = None,
) -> Verdict:
    """Judge one criterion on the values of its window.

    The caller has selected the window; every point given is used. Points
    flagged ``missing``/``unreadable``/``suppressed`` or without a value are
    skipped (a share's value may come from numerator/denominator, see
    ``point_value``). The judged value is, by ``spec.aggregation``: latest,
    the value of the period with the latest end; sum; mean, the arithmetic
    mean of the period values; each, every period judged on its own
    (``every_period`` always judges each period).

    Kinds (value v, target from ``spec.target``, baseline b):
    at_least v >= N; at_most v <= N; range v >= min (above max is achieved
    with a remark); share_at_least v >= p %; reduce_by v <= b(1 - r);
    increase_by v >= b(1 + r) or v >= b + a; reduce_to v <= N; increase_to
    v >= N; below_baseline v < b; above_baseline v > b; hold_baseline by
    ``spec.better`` (see ``_hold_rule``); every_period each v >= N (or <= N);
    qualitative the outcome the team recorded. Thresholds are exact;
    exactly at the threshold meets it (except the strict baseline kinds).

    No usable value: not measurable. A baseline kind without a baseline
    value: not measurable. While the plan runs (``as_of < plan_end``): a
    cumulative count (at_least/range summed or on a count unit) that has
    reached its target is achieved; otherwise the outcome is pending with a
    pace. For a cumulative count the expected value is target x elapsed
    fraction of the plan (``elapsed_fraction``), on track when v >= expected;
    for every other kind on track when the current value already meets the
    threshold. A count's expected value is rounded half up to whole units
    before it is compared, so the pace agrees with the number printed.

    With ``forecast`` (the criterion's forecast to the end of its period,
    ``fremdrift.core.forecast``), a pending count takes its pace from the
    forecast's outlook instead (on track, at risk, off track), and its
    expected value from the forecast's own pace (``Forecast.expected_now``),
    so that the verdict, its sentence and the forecast say the same.

    Raises ``CriterionSpecError`` when the target does not fit the kind.
    """
    if spec.kind is CriterionKind.QUALITATIVE:
        return _judge_qualitative(spec)
    points = [
        (point.period, value)
        for point in series
        if (value := _point_fraction(point, spec.unit)) is not None
    ]
    if not points:
        return Verdict(Outcome.NOT_MEASURABLE, None, None, _(NO_DATA))
    baseline = None
    if spec.kind in BASELINE_KINDS:
        if spec.baseline is not None:
            baseline = _point_fraction(spec.baseline, spec.unit)
        if baseline is None:
            return Verdict(Outcome.NOT_MEASURABLE, None, None, _(NO_BASELINE))
    rule = _rule(spec, baseline)
    if spec.kind is CriterionKind.EVERY_PERIOD or spec.aggregation is Aggregation.EACH:
        return _judge_each(spec, rule, points, context, forecast)
    return _judge_value(spec, rule, points, context, forecast)


def _judge_value(
    spec: CriterionSpec,
    rule: _Rule,
    points: Sequence[tuple[Period, Fraction]],
    context: JudgementContext,
    forecast: Forecast | None = None,
) -> Verdict:
    """Judge the value aggregated from ``points``: final once the plan has
    ended, or while it runs when a cumulative count has met its target;
    otherwise pending, with a pace (``_judge_pace``)."""
    value = _aggregate(spec.aggregation, points)
    met = rule.meets(value)
    text = _value_text(spec, points, value)
    remarks = rule.printed_remarks + rule.remarks(value)
    running = context.as_of < context.plan_end
    if not running or (_is_cumulative(spec) and met):
        outcome = Outcome.ACHIEVED if met else Outcome.NOT_ACHIEVED
        return Verdict(
            outcome=outcome,
            judged_value=_to_decimal(value),
            threshold=_to_decimal(rule.threshold),
            explanation=_explained(outcome, rule.clause(text, value)),
            remarks=remarks,
        )
    if _is_cumulative(spec):
        return _judge_pace(spec, rule, value, remarks, context, forecast)
    pace = Pace.ON_TRACK if met else Pace.OFF_TRACK
    return Verdict(
        outcome=Outcome.PENDING,
        judged_value=_to_decimal(value),
        threshold=_to_decimal(rule.threshold),
        explanation=_("I gang: {explanation}; {pace} pr. {date}.").format(
            explanation=rule.clause(text, value),
            pace=pace_label(pace),
            date=format_date(context.as_of),
        ),
        pace=pace,
        remarks=remarks,
    )


def _judge_pace(
    spec: CriterionSpec,
    rule: _Rule,
    value: Fraction,
    remarks: tuple[str, ...],
    context: JudgementContext,
    forecast: Forecast | None = None,
) -> Verdict:
    """A running cumulative count that has not met its target: pending, on
    track when ``value`` >= target x the elapsed fraction of the plan
    (``expected_value``); with a forecast, its outlook is the pace."""
    goal = rule.range_text or _num(rule.threshold)
    goal_text = f"{goal} {spec.unit_label}".rstrip()
    forecast_pace = _forecast_pace(forecast)
    if forecast is not None and forecast_pace is not None:
        pace = forecast_pace
        share = forecast.passed_share
        expected = (
            None
            if share is None
            else expected_value(spec, rule.threshold, Fraction(share))
        )
        explanation = _(
            "I gang: {value} af {target} pr. {date}; prognosen for periodens "
            "slutning: {pace}."
        ).format(
            value=_num(value),
            target=goal_text,
            date=format_date(context.as_of),
            pace=pace_label(pace),
        )
        return Verdict(
            outcome=Outcome.PENDING,
            judged_value=_to_decimal(value),
            threshold=_to_decimal(rule.threshold),
            explanation=explanation,
            pace=pace,
            remarks=remarks,
            expected=None if expected is None else _to_decimal(expected),
        )
    fraction = elapsed_fraction(context.plan_start, context.plan_end, context.as_of)
    expected = expected_value(spec, rule.threshold, fraction)
    pace = Pace.ON_TRACK if value >= expected else Pace.OFF_TRACK
    explanation = _(
        "I gang: {value} af {target}; {pace} mod {expected} forventet pr. {date}."
    ).format(
        value=_num(value),
        target=goal_text,
        pace=pace_label(pace),
        expected=_num(expected),
        date=format_date(context.as_of),
    )
    return Verdict(
        outcome=Outcome.PENDING,
        judged_value=_to_decimal(value),
        threshold=_to_decimal(rule.threshold),
        explanation=explanation,
        pace=pace,
        remarks=remarks,
        expected=_to_decimal(expected),
    )


def expected_value(
    spec: CriterionSpec, threshold: Fraction, fraction: Fraction
) -> Fraction:
    """What a running cumulative criterion should have reached by now:
    ``threshold`` x ``fraction`` (the share of its period passed, 0 to 1).
    A count (``Unit.COUNT``: persons, courses, sessions, contacts) is a
    whole number, so its expected value is rounded half up to whole units
    (43,46 children -> 43, 6,99 courses -> 7); any other unit is kept
    exact and rounded only for display."""
    expected = threshold * fraction
    if spec.unit is not Unit.COUNT:
        return expected
    whole = Decimal(expected.numerator) / Decimal(expected.denominator)
    return Fraction(int(whole.quantize(Decimal(1), rounding=ROUND_HALF_UP)))


def _forecast_pace(forecast: Forecast | None) -> Pace | None:
    """The forecast's outlook as the criterion's pace; None without a
    forecast or when it has no outlook (no target, or nothing to project)."""
    if forecast is None or forecast.outlook is None or forecast.finished:
        return None
    return Pace(forecast.outlook)
