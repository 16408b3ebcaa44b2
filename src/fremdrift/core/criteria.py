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

from fremdrift.core.model import (
    NO_VALUE_FLAGS,
    Aggregation,
    Better,
    CriterionKind,
    CriterionSpec,
    DataPoint,
    JudgementContext,
    Outcome,
    Pace,
    Period,
    Unit,
    Verdict,
)
from fremdrift.core.periods import period_sort_key, span_of
from fremdrift.core.text_da import (
    format_date,
    format_number,
    format_period,
    format_value,
    outcome_label,
    pace_label,
    period_phrase,
)

NO_DATA = "Kan ikke måles: Der er ingen data at bedømme kriteriet på."
NO_BASELINE = (
    "Kan ikke måles: Kriteriet sammenlignes med en baseline, men der er ingen "
    "baselineværdi."
)
NO_RECORDED_VERDICT = (
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


def _relative(relative: Decimal) -> Fraction:
    """A relative target as an exact fraction, snapping "a third"."""
    exact = Fraction(relative)
    if abs(exact - _ONE_THIRD) <= _ONE_THIRD_SLACK:
        return _ONE_THIRD
    return exact


def relative_text(relative: Fraction) -> str:
    """A relative change in Danish: 1/3 is ``en tredjedel``, 1/2
    ``halvdelen``, anything else a percentage such as ``10 %``."""
    if relative == _ONE_THIRD:
        return "en tredjedel"
    if relative == Fraction(1, 2):
        return "halvdelen"
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


def _required(number: Decimal | None, kind: CriterionKind, field: str) -> Fraction:
    if number is None:
        raise CriterionSpecError(f"a {kind} criterion needs target.{field}")
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
    return f"{shown} {period_phrase(spec.baseline.period)}"


def _amount_text(amount: Fraction, unit: Unit, label: str) -> str:
    """An absolute change: percentage points for shares, else the unit."""
    if unit is Unit.PERCENT:
        return f"{_num(amount)} procentpoint"
    return _fmt(amount, unit, label)


def _goal_rule(op: str, number: Fraction, unit: Unit, suffix: str = "") -> _Rule:
    """A fixed target: ``mod et mål på mindst 80`` (op ``>=``) or ``højst``."""
    at_least = op == ">="
    word = "mindst" if at_least else "højst"
    target = f"{word} {_fmt(number, unit)}"
    return _Rule(
        meets=(lambda v: v >= number) if at_least else (lambda v: v <= number),
        threshold=number,
        better=Better.HIGHER if at_least else Better.LOWER,
        clause=lambda text, _v: f"{text} mod et mål på {target}{suffix}",
        each_text=f"når {target}" if at_least else f"er på {target}",
    )


def _derived_rule(op: str, threshold: Fraction, unit: Unit, description: str) -> _Rule:
    """A threshold derived from the baseline, with how it was derived:
    ``mod højst 9,9 % (baseline 11 % i 2016 reduceret med 10 %)``."""
    at_least = op == ">="
    word = "mindst" if at_least else "højst"
    target = f"{word} {_fmt(threshold, unit)} ({description})"

    def meets(value: Fraction) -> bool:
        return value >= threshold if at_least else value <= threshold

    def clause(text: str, value: Fraction) -> str:
        if meets(value):
            return f"{text} mod {target}"
        side = "under" if at_least else "over"
        return f"{text} er {side} målet på {target}"

    return _Rule(
        meets=meets,
        threshold=threshold,
        better=Better.HIGHER if at_least else Better.LOWER,
        clause=clause,
        each_text=f"når {target}" if at_least else f"er på {target}",
    )


def _baseline_compare_rule(above: bool, baseline: Fraction, shown: str) -> _Rule:
    """Strictly below or above the baseline:
    ``er under baseline 57 i 2014``."""
    side = "over" if above else "under"

    def meets(value: Fraction) -> bool:
        return value > baseline if above else value < baseline

    def clause(text: str, value: Fraction) -> str:
        negation = "" if meets(value) else "ikke "
        return f"{text} er {negation}{side} baseline {shown}"

    return _Rule(
        meets=meets,
        threshold=baseline,
        better=Better.HIGHER if above else Better.LOWER,
        clause=clause,
        each_text=f"er {side} baseline {shown}",
    )


def _range_rule(minimum: Fraction, maximum: Fraction, spec: CriterionSpec) -> _Rule:
    """Reaching the minimum is success; above the maximum is noted only."""
    unit = spec.unit
    interval = f"{_num(minimum)}-{_fmt(maximum, unit)}"

    def clause(text: str, value: Fraction) -> str:
        if value < minimum:
            return f"{text} er under det forventede interval {interval}"
        if value > maximum:
            return f"{text} er over det forventede interval {interval}"
        return f"{text} ligger i intervallet {interval}"

    def remarks(value: Fraction) -> tuple[str, ...]:
        if value <= maximum:
            return ()
        return (
            f"Resultatet {_fmt(value, unit, spec.unit_label)} ligger over det "
            f"forventede interval {interval}; det tæller som opnået, fordi "
            "minimum er nået.",
        )

    return _Rule(
        meets=lambda v: v >= minimum,
        threshold=minimum,
        better=Better.HIGHER,
        clause=clause,
        each_text=f"når mindst {_fmt(minimum, unit)} (interval {interval})",
        remarks=remarks,
        range_text=interval,
    )


def _hold_rule(spec: CriterionSpec, baseline: Fraction, shown: str) -> _Rule:
    """Hold the baseline within a tolerance, in the direction ``spec.better``.

    lower: value <= baseline + tol; higher: value >= baseline - tol; none:
    |value - baseline| <= tol. tol is ``target.tolerance`` (in the unit) or
    ``target.relative_tolerance`` x |baseline|; the absolute one wins when
    both are given; without either the tolerance is 0.
    """
    target = spec.target
    unit = spec.unit
    if target.tolerance is not None:
        tolerance = _required(target.tolerance, spec.kind, "tolerance")
        tolerance_text = _amount_text(tolerance, unit, "")
    elif target.relative_tolerance is not None:
        relative = _required(target.relative_tolerance, spec.kind, "relative_tolerance")
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
            negation = "" if value == baseline else "ikke "
            return f"{text} er {negation}lig med baseline {shown}"

        return _Rule(
            meets=lambda v: v == baseline,
            threshold=baseline,
            better=Better.NONE,
            clause=equal_clause,
            each_text=f"er lig med baseline {shown}",
        )
    if spec.better is Better.NONE:
        low, high = baseline - tolerance, baseline + tolerance
        band = f"{_num(low)}-{_fmt(high, unit)}"
        description = f"baseline {shown}"
        if tolerance_text:
            description += f" ± {tolerance_text}"

        def clause(text: str, value: Fraction) -> str:
            side = "inden for" if low <= value <= high else "uden for"
            return f"{text} ligger {side} intervallet {band} ({description})"

        return _Rule(
            meets=lambda v: low <= v <= high,
            threshold=baseline,
            better=Better.NONE,
            clause=clause,
            each_text=f"ligger inden for {band} ({description})",
        )
    lower = spec.better is Better.LOWER
    description = f"baseline {shown}"
    if tolerance_text:
        sign = "plus" if lower else "minus"
        description += f" {sign} en tolerance på {tolerance_text}"
    if lower:
        return _derived_rule("<=", baseline + tolerance, unit, description)
    return _derived_rule(">=", baseline - tolerance, unit, description)


def _printed_threshold_remarks(
    spec: CriterionSpec, computed: Fraction, unit: Unit
) -> tuple[str, ...]:
    """A remark when the printed threshold, compared at its own precision,
    differs from the computed one (1,46 printed, 2,19 x 2/3 computed)."""
    printed = spec.target.threshold
    if printed is None or not printed.is_finite():
        return ()
    exponent = printed.as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    rounded = _to_decimal(computed).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    if rounded == printed:
        return ()
    return (
        f"Den trykte tærskel {format_value(printed, unit)} stemmer ikke med "
        f"den beregnede {_fmt(computed, unit)}; kriteriet er bedømt mod den "
        "beregnede.",
    )


def _rule(spec: CriterionSpec, baseline: Fraction | None) -> _Rule:
    """The rule for ``spec``; ``baseline`` is given for ``BASELINE_KINDS``."""
    kind, target, unit = spec.kind, spec.target, spec.unit
    if kind in (CriterionKind.AT_LEAST, CriterionKind.AT_MOST):
        op = ">=" if kind is CriterionKind.AT_LEAST else "<="
        return _goal_rule(op, _required(target.number, kind, "number"), unit)
    if kind is CriterionKind.SHARE_AT_LEAST:
        number = _required(target.number, kind, "number")
        return _goal_rule(">=", number, Unit.PERCENT)
    if kind is CriterionKind.RANGE:
        minimum = _required(target.minimum, kind, "minimum")
        maximum = _required(target.maximum, kind, "maximum")
        if maximum < minimum:
            raise CriterionSpecError("a range's maximum is below its minimum")
        return _range_rule(minimum, maximum, spec)
    if kind is CriterionKind.EVERY_PERIOD:
        if target.every_op not in ("at_least", "at_most"):
            raise CriterionSpecError(
                "an every_period criterion needs target.every_op "
                f"'at_least' or 'at_most', not {target.every_op!r}"
            )
        op = ">=" if target.every_op == "at_least" else "<="
        return _goal_rule(op, _required(target.number, kind, "number"), unit)
    assert baseline is not None
    shown = _baseline_text(spec, baseline, unit)
    if kind in (CriterionKind.REDUCE_TO, CriterionKind.INCREASE_TO):
        op = ">=" if kind is CriterionKind.INCREASE_TO else "<="
        number = _required(target.number, kind, "number")
        return _goal_rule(op, number, unit, f" (baseline {shown})")
    if kind is CriterionKind.REDUCE_BY:
        relative = _relative(_required(target.relative, kind, "relative"))
        threshold = baseline * (1 - relative)
        description = f"baseline {shown} reduceret med {relative_text(relative)}"
        rule = _derived_rule("<=", threshold, unit, description)
        return _with_printed(rule, _printed_threshold_remarks(spec, threshold, unit))
    if kind is CriterionKind.INCREASE_BY:
        if (target.relative is None) == (target.absolute is None):
            raise CriterionSpecError(
                "an increase_by criterion needs exactly one of target.relative "
                "and target.absolute"
            )
        if target.relative is not None:
            relative = _relative(_required(target.relative, kind, "relative"))
            threshold = baseline * (1 + relative)
            change = f"øget med {relative_text(relative)}"
        else:
            absolute = _required(target.absolute, kind, "absolute")
            threshold = baseline + absolute
            change = f"plus {_amount_text(absolute, unit, '')}"
        rule = _derived_rule(">=", threshold, unit, f"baseline {shown} {change}")
        return _with_printed(rule, _printed_threshold_remarks(spec, threshold, unit))
    if kind is CriterionKind.BELOW_BASELINE:
        return _baseline_compare_rule(False, baseline, shown)
    if kind is CriterionKind.ABOVE_BASELINE:
        return _baseline_compare_rule(True, baseline, shown)
    if kind is CriterionKind.HOLD_BASELINE:
        return _hold_rule(spec, baseline, shown)
    raise CriterionSpecError(f"no rule for criterion kind {kind!r}")


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
        return Verdict(Outcome.NOT_MEASURABLE, None, None, NO_RECORDED_VERDICT)
    sentence = (
        f"{_capitalised(outcome_label(outcome))}: vurderingen er registreret af teamet"
    )
    excerpt = _evidence_excerpt(spec.evidence)
    if excerpt:
        sentence += f" på grundlag af »{excerpt}«"
    return Verdict(outcome, None, None, sentence + ".")


def _value_text(
    spec: CriterionSpec, points: Sequence[tuple[Period, Fraction]], value: Fraction
) -> str:
    """The judged value as prose: ``111 unge``, ``8,2 % i 2020``,
    ``gennemsnittet 2,2 % for 2017-2021``, ``111 unge i alt for 2017-2021``."""
    unit = Unit.PERCENT if spec.kind is CriterionKind.SHARE_AT_LEAST else spec.unit
    shown = _fmt(value, unit, spec.unit_label)
    periods = [period for period, _value in points]
    if spec.aggregation is Aggregation.MEAN:
        return f"gennemsnittet {shown} for {format_period(span_of(periods))}"
    if spec.aggregation is Aggregation.SUM:
        if len(points) > 1:
            return f"{shown} i alt for {format_period(span_of(periods))}"
        latest = periods[0]
    else:
        latest = max(periods, key=period_sort_key)
    # The period is named when there is a baseline period to set it against,
    # or when the latest of several values was taken.
    if spec.kind in BASELINE_KINDS or len(points) > 1:
        return f"{shown} {period_phrase(latest)}"
    return shown


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
) -> Verdict:
    """Judge every period on its own: all meet -> achieved, some -> partly,
    none -> not achieved; while the plan runs: pending, on track when all
    periods so far meet."""
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
    noun = "periode" if len(met) == 1 else "perioder"
    body = f"{count} af {len(met)} {noun} {rule.each_text} ({listing})"
    pace = None
    if context.as_of < context.plan_end:
        outcome = Outcome.PENDING
        pace = Pace.ON_TRACK if count == len(met) else Pace.OFF_TRACK
        body += f"; {pace_label(pace)} pr. {format_date(context.as_of)}"
    remarks = rule.printed_remarks + tuple(
        remark for _period, value in ordered for remark in rule.remarks(value)
    )
    return Verdict(
        outcome=outcome,
        judged_value=_to_decimal(ordered[-1][1]),
        threshold=_to_decimal(rule.threshold),
        explanation=f"{_capitalised(outcome_label(outcome))}: {body}.",
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
    spec: CriterionSpec, series: Sequence[DataPoint], context: JudgementContext
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
    threshold.

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
        return Verdict(Outcome.NOT_MEASURABLE, None, None, NO_DATA)
    baseline = None
    if spec.kind in BASELINE_KINDS:
        if spec.baseline is not None:
            baseline = _point_fraction(spec.baseline, spec.unit)
        if baseline is None:
            return Verdict(Outcome.NOT_MEASURABLE, None, None, NO_BASELINE)
    rule = _rule(spec, baseline)
    if spec.kind is CriterionKind.EVERY_PERIOD or spec.aggregation is Aggregation.EACH:
        return _judge_each(spec, rule, points, context)

    value = _aggregate(spec.aggregation, points)
    met = rule.meets(value)
    text = _value_text(spec, points, value)
    remarks = rule.printed_remarks + rule.remarks(value)
    running = context.as_of < context.plan_end
    cumulative = _is_cumulative(spec)
    if not running or (cumulative and met):
        outcome = Outcome.ACHIEVED if met else Outcome.NOT_ACHIEVED
        return Verdict(
            outcome=outcome,
            judged_value=_to_decimal(value),
            threshold=_to_decimal(rule.threshold),
            explanation=f"{_capitalised(outcome_label(outcome))}: "
            f"{rule.clause(text, value)}.",
            remarks=remarks,
        )
    as_of = format_date(context.as_of)
    if cumulative:
        fraction = elapsed_fraction(context.plan_start, context.plan_end, context.as_of)
        expected = rule.threshold * fraction
        pace = Pace.ON_TRACK if value >= expected else Pace.OFF_TRACK
        goal = rule.range_text or _num(rule.threshold)
        goal_text = f"{goal} {spec.unit_label}".rstrip()
        explanation = (
            f"I gang: {_num(value)} af {goal_text}; {pace_label(pace)} mod "
            f"{_num(expected)} forventet pr. {as_of}."
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
    pace = Pace.ON_TRACK if met else Pace.OFF_TRACK
    return Verdict(
        outcome=Outcome.PENDING,
        judged_value=_to_decimal(value),
        threshold=_to_decimal(rule.threshold),
        explanation=f"I gang: {rule.clause(text, value)}; {pace_label(pace)} "
        f"pr. {as_of}.",
        pace=pace,
        remarks=remarks,
    )
