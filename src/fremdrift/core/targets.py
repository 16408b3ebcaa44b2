"""The one mapping of a criterion's target between its core type
(``model.NumberTarget``, ``model.RangeTarget``, ...), the target as
``plan.yaml`` writes it and the JSON stored with the criterion.

The kind lives on the criterion, not in the target: ``TARGET_TYPES`` says
which target type each kind takes, ``default_better`` which direction of
change each kind counts as an improvement when neither the criterion nor
its indicator says.

The keys are those of ``plan.yaml`` (docs/plan-format.md) and of the
stored JSON alike: ``number``, ``min``, ``max``, ``relative``,
``absolute``, ``threshold``, ``tolerance``, ``relative_tolerance``,
``at_least``, ``at_most``. ``plan.yaml`` writes a number target as a bare
number; the JSON keeps the numbers as exact decimal text ("8.2") so that
nothing is lost to binary floats.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TypeAlias

from .model import (
    NO_TARGET,
    Better,
    CriterionKind,
    EveryPeriodOp,
    EveryPeriodTarget,
    HoldBaselineTarget,
    IncreaseByTarget,
    NoTarget,
    NumberTarget,
    RangeTarget,
    ReduceByTarget,
    Target,
    TargetChange,
)

# The target type each kind takes.
TARGET_TYPES: Mapping[CriterionKind, type[Target]] = {
    CriterionKind.AT_LEAST: NumberTarget,
    CriterionKind.AT_MOST: NumberTarget,
    CriterionKind.RANGE: RangeTarget,
    CriterionKind.SHARE_AT_LEAST: NumberTarget,
    CriterionKind.REDUCE_BY: ReduceByTarget,
    CriterionKind.INCREASE_BY: IncreaseByTarget,
    CriterionKind.REDUCE_TO: NumberTarget,
    CriterionKind.INCREASE_TO: NumberTarget,
    CriterionKind.BELOW_BASELINE: NoTarget,
    CriterionKind.ABOVE_BASELINE: NoTarget,
    CriterionKind.HOLD_BASELINE: HoldBaselineTarget,
    CriterionKind.EVERY_PERIOD: EveryPeriodTarget,
    CriterionKind.QUALITATIVE: NoTarget,
}

_LOWER_IS_BETTER = frozenset(
    {
        CriterionKind.AT_MOST,
        CriterionKind.REDUCE_BY,
        CriterionKind.REDUCE_TO,
        CriterionKind.BELOW_BASELINE,
    }
)

# The keys in the order plan.yaml and the record write them.
KEY_ORDER = (
    "number", "min", "max", "relative", "absolute", "threshold",
    "tolerance", "relative_tolerance", "at_least", "at_most",
)  # fmt: skip


class TargetError(ValueError):
    """A target whose keys do not fit its criterion's kind."""


def default_better(kind: CriterionKind) -> Better:
    """The direction of improvement a kind implies: lower for at_most,
    reduce_by, reduce_to and below_baseline; none for hold_baseline (either
    direction is a move away); higher for every other kind. A criterion's
    own ``better``, then its indicator's, come first."""
    if kind in _LOWER_IS_BETTER:
        return Better.LOWER
    if kind is CriterionKind.HOLD_BASELINE:
        return Better.NONE
    return Better.HIGHER


def target_fields(target: Target) -> dict[str, Decimal]:
    """The target's keys and numbers, in ``KEY_ORDER``, None left out:
    ``RangeTarget(24, 40)`` -> ``{"min": 24, "max": 40}``; ``NO_TARGET`` and
    a hold_baseline without a tolerance -> ``{}``."""
    match target:
        case NumberTarget(number):
            fields: dict[str, Decimal | None] = {"number": number}
        case RangeTarget(minimum, maximum):
            fields = {"min": minimum, "max": maximum}
        case ReduceByTarget(relative, threshold):
            fields = {"relative": relative, "threshold": threshold}
        case IncreaseByTarget(relative, absolute, threshold):
            fields = {
                "relative": relative,
                "absolute": absolute,
                "threshold": threshold,
            }
        case HoldBaselineTarget(tolerance, relative_tolerance):
            fields = {"tolerance": tolerance, "relative_tolerance": relative_tolerance}
        case EveryPeriodTarget(op, number):
            fields = {op: number}
        case NoTarget():
            fields = {}
    return {key: value for key, value in fields.items() if value is not None}


def target_from_fields(kind: CriterionKind, fields: Mapping[str, Decimal]) -> Target:
    """The target of a ``kind`` criterion from its keys (the inverse of
    ``target_fields``). Raises ``TargetError`` on a key the kind does not
    take or a required key that is missing; whether the numbers make sense
    together (min <= max, one of relative/absolute) is judged later, where
    the message can say why (``planfiles.schema``, ``criteria.judge``)."""
    target_type = TARGET_TYPES[kind]
    values = dict(fields)

    def take(key: str) -> Decimal | None:
        return values.pop(key, None)

    def need(key: str) -> Decimal:
        value = take(key)
        if value is None:
            raise TargetError(f"a {kind.value} criterion needs target.{key}")
        return value

    target: Target
    if target_type is NumberTarget:
        target = NumberTarget(need("number"))
    elif target_type is RangeTarget:
        target = RangeTarget(need("min"), need("max"))
    elif target_type is ReduceByTarget:
        target = ReduceByTarget(need("relative"), take("threshold"))
    elif target_type is IncreaseByTarget:
        target = IncreaseByTarget(take("relative"), take("absolute"), take("threshold"))
    elif target_type is HoldBaselineTarget:
        target = HoldBaselineTarget(take("tolerance"), take("relative_tolerance"))
    elif target_type is EveryPeriodTarget:
        ops = [op for op in ("at_least", "at_most") if op in values]
        if len(ops) != 1:
            raise TargetError(
                f"a {kind.value} criterion needs exactly one of target.at_least "
                "and target.at_most"
            )
        op: EveryPeriodOp = "at_least" if ops == ["at_least"] else "at_most"
        target = EveryPeriodTarget(op, need(op))
    else:
        target = NO_TARGET
    if values:
        names = ", ".join(sorted(values))
        raise TargetError(f"{names} is not a target of a {kind.value} criterion")
    return target


def target_to_file(target: Target) -> Decimal | dict[str, Decimal] | None:
    """The target as ``plan.yaml`` writes it: a bare number for a
    ``NumberTarget``, None when there is nothing to write, else the keys."""
    fields = target_fields(target)
    if isinstance(target, NumberTarget):
        return target.number
    return fields or None


def target_from_file(
    kind: CriterionKind, value: Decimal | Mapping[str, Decimal] | None
) -> Target:
    """The target of a ``kind`` criterion as ``plan.yaml`` writes it (a bare
    number stands for ``{number: N}``; None for no keys)."""
    if isinstance(value, Decimal):
        return target_from_fields(kind, {"number": value})
    return target_from_fields(kind, value or {})


def target_to_json(target: Target) -> dict[str, str]:
    """The JSON stored with the criterion: the keys with their numbers as
    plain decimal text without exponent or trailing zeros (8.2, 10)."""
    return {
        key: format(value.normalize(), "f")
        for key, value in target_fields(target).items()
    }


def target_from_json(kind: CriterionKind, data: Mapping[str, object]) -> Target:
    """The target of a ``kind`` criterion from its stored JSON. Raises
    ``TargetError`` on keys that do not fit the kind or a value that is not
    a number."""
    fields = {}
    for key, text in data.items():
        try:
            fields[key] = Decimal(str(text))
        except InvalidOperation:
            raise TargetError(f"target.{key} is not a number: {text!r}") from None
    return target_from_fields(kind, fields)


def _plain_number(value: Decimal) -> int | float:
    if value == value.to_integral_value():
        return int(value)
    return float(value)


# A target in ``fremdrift verdicts --format json`` and the API.
TargetRecord: TypeAlias = int | float | dict[str, int | float] | None


def target_record(target: Target) -> TargetRecord:
    """The target as JSON-ready numbers in its ``plan.yaml`` shape, for
    ``fremdrift verdicts --format json`` and the API: 80, ``{"min": 24,
    "max": 40}``, ``{"relative": 0.1}``, None."""
    shown = target_to_file(target)
    if shown is None:
        return None
    if isinstance(shown, Decimal):
        return _plain_number(shown)
    return {key: _plain_number(value) for key, value in shown.items()}


# -- revised targets -----------------------------------------------------------


def _in_date_order(revisions: Sequence[TargetChange]) -> list[TargetChange]:
    return sorted(revisions, key=lambda change: change.in_force_from)


def target_in_force(
    revisions: Sequence[TargetChange], as_of: date, *, current: Target
) -> Target:
    """The target in force on ``as_of``: the target of the latest revision
    in force from ``as_of`` or earlier (a revision is in force from its own
    day on, inclusive); before the first revision, the target that one
    replaced; without revisions, ``current`` (the criterion's target).

    The judging day is the caller's: for a final evaluation the end of the
    plan (or activity) period, for a progress or annual report the end of
    its period, for a running plan the day of the judgement
    (``judging_day``)."""
    ordered = _in_date_order(revisions)
    if not ordered:
        return current
    in_force = [change for change in ordered if change.in_force_from <= as_of]
    if not in_force:
        return ordered[0].previous
    return in_force[-1].target


def changes_in_force(
    revisions: Sequence[TargetChange], as_of: date
) -> tuple[TargetChange, ...]:
    """The revisions in force by ``as_of``, oldest first: those a report
    judged on ``as_of`` tells its reader about (a revision from a later
    day did not yet apply)."""
    return tuple(
        change for change in _in_date_order(revisions) if change.in_force_from <= as_of
    )


def judging_day(as_of: date, period_end: date) -> date:
    """The day a criterion's target is taken as of: the day of the
    judgement, but no later than the end of the criterion's period (a
    final evaluation made after the plan ended is judged on the target in
    force at its end)."""
    return min(as_of, period_end)
