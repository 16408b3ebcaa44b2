"""Plain values the computation core works on.

Data flows one way: database -> these dataclasses -> core -> result.
Numbers are ``Decimal`` because criteria are judged against thresholds
transcribed from reports ("43 %" against a result of "43 %"): binary floats
would make "exactly at the threshold" depend on rounding noise.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal, TypeAlias


class Unit(enum.StrEnum):
    """What an indicator or criterion value counts."""

    COUNT = "count"
    PERCENT = "percent"
    PER_1000 = "per_1000"
    MEAN = "mean"


class Better(enum.StrEnum):
    """Which direction of change is an improvement."""

    HIGHER = "higher"
    LOWER = "lower"
    NONE = "none"


class CriterionKind(enum.StrEnum):
    """The shape of a success criterion (succeskriterie)."""

    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    RANGE = "range"
    SHARE_AT_LEAST = "share_at_least"
    REDUCE_BY = "reduce_by"
    INCREASE_BY = "increase_by"
    REDUCE_TO = "reduce_to"
    INCREASE_TO = "increase_to"
    BELOW_BASELINE = "below_baseline"
    ABOVE_BASELINE = "above_baseline"
    HOLD_BASELINE = "hold_baseline"
    EVERY_PERIOD = "every_period"
    QUALITATIVE = "qualitative"


class Aggregation(enum.StrEnum):
    """How the judged value is taken from a series of period values."""

    LATEST = "latest"
    SUM = "sum"
    MEAN = "mean"
    EACH = "each"


class Outcome(enum.StrEnum):
    """A verdict's outcome."""

    ACHIEVED = "achieved"
    NOT_ACHIEVED = "not_achieved"
    PARTLY_ACHIEVED = "partly_achieved"
    NOT_MEASURABLE = "not_measurable"
    PENDING = "pending"


class Pace(enum.StrEnum):
    """For a plan still running: is the criterion on its pace?

    A running count with a forecast (``fremdrift.core.forecast``) takes
    the forecast's outlook, the one value its badge, sentence and table
    show: on_track when the forecast's interval reaches the target,
    at_risk when the target lies inside it, off_track when it does not
    reach it. Any other running criterion is on_track or off_track.
    """

    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"


class Flag(enum.StrEnum):
    """Marks on a value that a reader must know about."""

    METHOD_CHANGED = "method_changed"
    MISSING = "missing"
    UNREADABLE = "unreadable"
    DERIVED = "derived"
    SUPPRESSED = "suppressed"
    CONTRADICTORY = "contradictory"


# A value with any of these flags has no number to judge on.
NO_VALUE_FLAGS = frozenset({Flag.MISSING, Flag.UNREADABLE, Flag.SUPPRESSED})


@dataclass(frozen=True, slots=True)
class Period:
    """A stretch of time a value belongs to: ``code`` as written, inclusive
    ``start`` and ``end`` dates."""

    code: str
    start: date
    end: date


@dataclass(frozen=True, slots=True)
class DataPoint:
    """One value of a series for one period.

    ``value`` is None when the source has no usable number (see ``flags``).
    ``numerator``/``denominator`` are given when the source prints them.
    """

    period: Period
    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    note: str = ""
    flags: frozenset[Flag] = field(default_factory=frozenset)


# A criterion's target: one type per shape. ``targets.TARGET_TYPES`` says
# which kind takes which; ``targets`` maps them to plan.yaml and the JSON.

EveryPeriodOp = Literal["at_least", "at_most"]


@dataclass(frozen=True, slots=True)
class NumberTarget:
    """A fixed number N: at_least, at_most, share_at_least (N in percent),
    reduce_to, increase_to."""

    number: Decimal


@dataclass(frozen=True, slots=True)
class RangeTarget:
    """An expected interval: reaching ``minimum`` is success, above
    ``maximum`` is noted."""

    minimum: Decimal
    maximum: Decimal


@dataclass(frozen=True, slots=True)
class ReduceByTarget:
    """A reduction of the baseline by ``relative`` (0.1 = 10 %);
    ``threshold`` is the threshold the report prints, kept to cross-check
    the computed one."""

    relative: Decimal
    threshold: Decimal | None = None


@dataclass(frozen=True, slots=True)
class IncreaseByTarget:
    """An increase of the baseline by exactly one of ``relative`` (0.1 =
    10 %) or ``absolute`` (in the unit; percentage points for a share);
    ``threshold`` as for ``ReduceByTarget``."""

    relative: Decimal | None = None
    absolute: Decimal | None = None
    threshold: Decimal | None = None


@dataclass(frozen=True, slots=True)
class HoldBaselineTarget:
    """How far the value may move from the baseline: ``tolerance`` in the
    unit or ``relative_tolerance`` x |baseline|; neither means 0."""

    tolerance: Decimal | None = None
    relative_tolerance: Decimal | None = None


@dataclass(frozen=True, slots=True)
class EveryPeriodTarget:
    """Every period reaches at least (or at most) ``number``."""

    op: EveryPeriodOp
    number: Decimal


@dataclass(frozen=True, slots=True)
class NoTarget:
    """below_baseline, above_baseline (the baseline is the target) and
    qualitative (the team records the verdict)."""


NO_TARGET = NoTarget()

Target: TypeAlias = (
    NumberTarget
    | RangeTarget
    | ReduceByTarget
    | IncreaseByTarget
    | HoldBaselineTarget
    | EveryPeriodTarget
    | NoTarget
)


@dataclass(frozen=True, slots=True)
class TargetChange:
    """A revision of a criterion's target during the plan (Landsbyggefonden
    allows adjustments): from ``previous`` to ``target``, in force from
    ``in_force_from`` on, for the team's ``reason``. The target it replaced
    is kept, never overridden: a judgement made before ``in_force_from``
    is made on ``previous``."""

    in_force_from: date
    previous: Target
    target: Target
    reason: str


@dataclass(frozen=True, slots=True)
class CriterionSpec:
    """Everything needed to judge one criterion, without the database."""

    kind: CriterionKind
    target: Target
    unit: Unit
    aggregation: Aggregation = Aggregation.LATEST
    better: Better = Better.HIGHER
    baseline: DataPoint | None = None
    unit_label: str = ""
    # qualitative criteria: the verdict the team recorded, and its evidence
    recorded_outcome: Outcome | None = None
    evidence: str = ""


@dataclass(frozen=True, slots=True)
class JudgementContext:
    """When the judgement is made and over which stretch.

    ``plan_start``/``plan_end`` bound the plan (or activity) period;
    ``as_of`` is the day of the judgement. When ``as_of`` falls before
    ``plan_end`` the plan is still running and count criteria get a pace.
    """

    plan_start: date
    plan_end: date
    as_of: date


@dataclass(frozen=True, slots=True)
class Verdict:
    """The result of judging one criterion.

    ``judged_value`` is the number the verdict was decided on (None when
    nothing could be judged); ``threshold`` the number it was held against;
    ``explanation`` one Danish sentence with the numbers;
    ``period_outcomes`` the per-period outcomes for ``aggregation=each`` and
    ``every_period``; ``remarks`` extra Danish sentences (above a range's
    maximum, a printed threshold that disagrees with the computed one, ...).
    ``expected`` is, for a running plan's cumulative count, the value a
    linear pace from the plan's start would have reached by ``as_of``.
    ``within_chance`` is, for a criterion judged on a change from its
    baseline, True when chance explains that change (the test of no change
    is not rejected at the level used), False when the change is beyond
    chance, and None when the change was not tested (see
    ``fremdrift.core.uncertainty``).
    """

    outcome: Outcome
    judged_value: Decimal | None
    threshold: Decimal | None
    explanation: str
    pace: Pace | None = None
    period_outcomes: tuple[tuple[str, Outcome], ...] = ()
    remarks: tuple[str, ...] = ()
    expected: Decimal | None = None
    within_chance: bool | None = None
