"""The shape of ``plan.yaml`` (format ``fremdrift-plan/1``) as pydantic
models. Field-level checks live here, and whether a criterion's target
fits its kind; checks across the file (references, periods) live in
``reader``."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from fremdrift.core.measures import MeasureKind
from fremdrift.core.model import (
    NO_TARGET,
    Aggregation,
    Better,
    CriterionKind,
    EveryPeriodTarget,
    Flag,
    HoldBaselineTarget,
    IncreaseByTarget,
    NoTarget,
    NumberTarget,
    Outcome,
    RangeTarget,
    ReduceByTarget,
    Target,
    Unit,
)
from fremdrift.core.targets import TARGET_TYPES, target_from_fields

FORMAT = "fremdrift-plan/1"

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
PeriodCode = Annotated[str, StringConstraints(min_length=4, max_length=40)]
# An optional text: null in the file means the same as "".
OptText = Annotated[str, BeforeValidator(lambda value: "" if value is None else value)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SizeSpec(_Strict):
    as_of: datetime.date
    source: OptText = ""
    housing_organisations: int | None = Field(default=None, ge=0)
    department_boards: int | None = Field(default=None, ge=0)
    leases: int | None = Field(default=None, ge=0)
    residents: int | None = Field(default=None, ge=0)


class CommentarySpec(_Strict):
    period: PeriodCode | None = None
    text: str = Field(min_length=1)
    author: OptText = ""


class PlanSpec(_Strict):
    slug: Slug
    name: str = Field(min_length=1)
    short_name: OptText = ""
    start: datetime.date
    end: datetime.date
    vision: OptText = ""
    organisation: str = Field(min_length=1)
    municipality: OptText = ""
    predecessor: OptText = ""
    successor: OptText = ""
    introduction: OptText = ""
    method: OptText = ""
    summary: OptText = ""
    size: SizeSpec | None = None
    commentary: list[CommentarySpec] = []
    notes: list[str] = []
    working_notes: list[str] = []


class AreaSpec(_Strict):
    slug: Slug
    name: str = Field(min_length=1)
    aliases: list[str] = []
    housing_organisations: list[str] = []
    size: SizeSpec | None = None


class PopulationSpec(_Strict):
    slug: Slug
    name: str = Field(min_length=1)
    kind: Literal["municipality", "municipality_excl_plan", "plan_total", "other"]
    aliases: list[str] = []
    parts: list[Slug] = []


class IndicatorSpec(_Strict):
    slug: Slug
    name: str = Field(min_length=1)
    short_name: OptText = ""
    unit: Unit
    unit_label: OptText = ""
    better: Better
    definition: OptText = ""
    source: OptText = ""
    measured: OptText = ""
    counts_persons: bool = False
    additive: bool = False
    change: bool = False
    denominator_indicator: Slug | None = None
    notes: list[str] = []
    working_notes: list[str] = []


class ValueSpec(_Strict):
    period: PeriodCode
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    source: OptText = ""
    note: OptText = ""
    flags: list[Flag] = []


class BaselineSpec(_Strict):
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    period: PeriodCode | None = None
    note: OptText = ""
    flags: list[Flag] = []


# --- targets ----------------------------------------------------------------
# One model per target shape. The kind is the criterion's, not the target's,
# so ``CriterionSpecFile`` picks the model by its kind (``TARGET_FILES``),
# validates the target with it and keeps the core value
# (``fremdrift.core.targets`` maps the keys). A pydantic union would report
# every alternative that did not match; this reports what the kind needs.


def _fraction(value: Decimal) -> Decimal:
    if not Decimal(0) < value < Decimal(10):
        raise PydanticCustomError(
            "target", "a relative change is a fraction (0.1 for 10 %)"
        )
    return value


Relative = Annotated[Decimal, AfterValidator(_fraction)]


def _target_problem(message: str) -> PydanticCustomError:
    return PydanticCustomError("target", message)


class _TargetFile(_Strict):
    # How the target is written, for "needs ..." messages.
    shape: ClassVar[str]


class NumberTargetFile(_TargetFile):
    """at_least, at_most, share_at_least, reduce_to, increase_to: a bare
    number (``target: 80``)."""

    shape = "a number"
    number: Decimal


class RangeTargetFile(_TargetFile):
    """range: ``{min: 24, max: 40}``."""

    shape = "{min: ..., max: ...}"
    min: Decimal
    max: Decimal

    @model_validator(mode="after")
    def _ordered(self) -> RangeTargetFile:
        if self.min > self.max:
            raise _target_problem("a range's min is above its max")
        return self


class ReduceByTargetFile(_TargetFile):
    """reduce_by: ``{relative: 0.1}``, optionally the printed threshold."""

    shape = "{relative: ...}"
    relative: Relative
    threshold: Decimal | None = None


class IncreaseByTargetFile(_TargetFile):
    """increase_by: ``{relative: 0.1}`` or ``{absolute: 5}``, optionally the
    printed threshold."""

    shape = "{relative: r} or {absolute: a}"
    relative: Relative | None = None
    absolute: Decimal | None = None
    threshold: Decimal | None = None

    @model_validator(mode="after")
    def _one_change(self) -> IncreaseByTargetFile:
        if (self.relative is None) == (self.absolute is None):
            raise _target_problem(
                "an increase_by criterion needs exactly one of {relative: r} "
                "or {absolute: a}"
            )
        return self


class HoldBaselineTargetFile(_TargetFile):
    """hold_baseline: ``{tolerance: 1.0}`` or ``{relative_tolerance: 0.1}``;
    no target holds the baseline exactly."""

    shape = "{tolerance: t} or {relative_tolerance: r}"
    tolerance: Decimal | None = None
    relative_tolerance: Decimal | None = None

    @model_validator(mode="after")
    def _one_tolerance(self) -> HoldBaselineTargetFile:
        if (self.tolerance is None) == (self.relative_tolerance is None):
            raise _target_problem(
                "a hold_baseline criterion needs exactly one of "
                "{tolerance: t} or {relative_tolerance: r}"
            )
        return self


class EveryPeriodTargetFile(_TargetFile):
    """every_period: ``{at_least: 3}`` or ``{at_most: 3}``."""

    shape = "{at_least: n} or {at_most: n}"
    at_least: Decimal | None = None
    at_most: Decimal | None = None

    @model_validator(mode="after")
    def _one_bound(self) -> EveryPeriodTargetFile:
        if (self.at_least is None) == (self.at_most is None):
            raise _target_problem(
                "an every_period criterion needs exactly one of "
                "{at_least: n} or {at_most: n}"
            )
        return self


class NoTargetFile(_TargetFile):
    """below_baseline, above_baseline, qualitative: no target (or ``{}``)."""

    shape = "no target"


_TARGET_FILE_OF: dict[type[Target], type[_TargetFile]] = {
    NumberTarget: NumberTargetFile,
    RangeTarget: RangeTargetFile,
    ReduceByTarget: ReduceByTargetFile,
    IncreaseByTarget: IncreaseByTargetFile,
    HoldBaselineTarget: HoldBaselineTargetFile,
    EveryPeriodTarget: EveryPeriodTargetFile,
    NoTarget: NoTargetFile,
}
# The model that validates each kind's target.
TARGET_FILES: dict[CriterionKind, type[_TargetFile]] = {
    kind: _TARGET_FILE_OF[target_type] for kind, target_type in TARGET_TYPES.items()
}
# Kinds whose target may be left out.
_OPTIONAL_TARGET = {NoTargetFile, HoldBaselineTargetFile}


def _a(kind: CriterionKind) -> str:
    """``a range criterion``, ``an at_least criterion``."""
    article = "an" if kind.value[0] in "aeiou" else "a"
    return f"{article} {kind.value} criterion"


def target_of_kind(kind: CriterionKind, value: object) -> Target:
    """Validate ``value``, the target of a ``kind`` criterion as plan.yaml
    writes it, with the kind's model and return it as the core value.
    Raises ``ValidationError`` with one error per problem, located at the
    target or at the key at fault."""
    model = TARGET_FILES[kind]
    if value is None:
        if model in _OPTIONAL_TARGET:
            return target_from_fields(kind, {})
        raise _target_errors([((), f"{_a(kind)} needs {model.shape}")], value)
    if model is NoTargetFile:
        if value != {}:
            raise _target_errors([((), f"{_a(kind)} takes no target")], value)
        return target_from_fields(kind, {})
    bare = model is NumberTargetFile and not isinstance(value, dict)
    if not bare and not isinstance(value, dict):
        raise _target_errors([((), f"{_a(kind)} needs {model.shape}")], value)
    try:
        validated = model.model_validate({"number": value} if bare else value)
    except ValidationError as error:
        raise _target_errors(_kind_problems(kind, model, error, bare), value) from None
    fields = validated.model_dump(exclude_none=True)
    return target_from_fields(kind, fields)


def _kind_problems(
    kind: CriterionKind, model: type[_TargetFile], error: ValidationError, bare: bool
) -> list[tuple[tuple[str | int, ...], str]]:
    """pydantic's errors, in the words of the kind: the keys it needs as one
    problem at the target, a key it does not take at that key."""
    allowed = ", ".join(model.model_fields)
    missing = [
        str(item["loc"][0]) for item in error.errors() if item["type"] == "missing"
    ]
    problems: list[tuple[tuple[str | int, ...], str]] = []
    if missing:
        needs = (
            model.shape
            if model is NumberTargetFile
            else "{" + ", ".join(f"{key}: ..." for key in missing) + "}"
        )
        problems.append(((), f"{_a(kind)} needs {needs}"))
    for item in error.errors():
        loc = tuple(item["loc"][1:] if bare else item["loc"])
        if item["type"] == "missing":
            continue
        if item["type"] == "extra_forbidden":
            message = (
                f"{item['loc'][0]} is not a target of {_a(kind)} (allowed: {allowed})"
            )
        else:
            message = str(item["msg"])
        problems.append((loc, message))
    return problems


def _target_errors(
    problems: list[tuple[tuple[str | int, ...], str]], value: object
) -> ValidationError:
    return ValidationError.from_exception_data(
        "target",
        [
            InitErrorDetails(type=_target_problem(message), loc=loc, input=value)
            for loc, message in problems
        ],
    )


class MeasureSpec(_Strict):
    """A criterion judged on the activity's registrations."""

    kind: MeasureKind
    role: Literal["child", "parent", "young", "resident", "volunteer"] | None = None
    age_min: int | None = Field(default=None, ge=0, le=120)
    age_max: int | None = Field(default=None, ge=0, le=120)
    area: Slug | None = None
    min_sessions: int | None = Field(default=None, ge=1)


class TargetRevisionSpec(_Strict):
    """A revision of the criterion's target (``target_revisions``): from
    ``date`` on the target is no longer ``from`` but the next revision's
    ``from``, or, after the last revision, the criterion's ``target``.
    ``from`` is written as ``target`` is, and validated against the
    criterion's kind the same way."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    date: datetime.date
    previous: Target = Field(alias="from")
    reason: str = Field(min_length=1)

    @field_validator("previous", mode="plain")
    @classmethod
    def _is_target(cls, value: object) -> Target:
        # Validated against the kind before (``target_revisions_of_kind``).
        if not isinstance(value, tuple(_TARGET_FILE_OF)):
            raise _revision_problem("is not a target")
        return value  # type: ignore[return-value]

    @field_validator("reason", mode="before")
    @classmethod
    def _reason_has_words(cls, value: object) -> object:
        # A reason of spaces is no reason: "" fails min_length.
        return value.strip() if isinstance(value, str) else value


def _revision_problem(message: str) -> PydanticCustomError:
    return PydanticCustomError("target_revision", message)


def target_revisions_of_kind(
    kind: CriterionKind, value: object
) -> list[TargetRevisionSpec]:
    """Validate ``value``, the ``target_revisions`` of a ``kind``
    criterion: a list of {date, from, reason}, each ``from`` a target that
    fits the kind (``target_of_kind``). Raises ``ValidationError`` with one
    error per problem, located at the revision's field at fault."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise _revision_errors([((), "must be a list of {date, from, reason}")], value)
    revisions: list[TargetRevisionSpec] = []
    problems: list[tuple[tuple[str | int, ...], str]] = []
    for i, item in enumerate(value):
        if not isinstance(item, dict):
            problems.append(((i,), "must be a mapping with date, from and reason"))
            continue
        fields = dict(item)
        previous = fields.pop("from", None)
        if "from" not in item:
            problems.append(((i, "from"), "is required (the target it replaced)"))
        else:
            try:
                fields["from"] = target_of_kind(kind, previous)
            except ValidationError as error:
                problems += [
                    ((i, "from", *e["loc"]), str(e["msg"])) for e in error.errors()
                ]
        try:
            if "from" in fields:
                revisions.append(TargetRevisionSpec.model_validate(fields))
            else:
                TargetRevisionSpec.model_validate({**fields, "from": NO_TARGET})
        except ValidationError as error:
            problems += [((i, *e["loc"]), _revision_message(e)) for e in error.errors()]
    if problems:
        raise _revision_errors(problems, value)
    return revisions


def _revision_message(item: object) -> str:
    error = dict(item)  # type: ignore[call-overload]
    if error.get("type") == "missing":
        return "is required"
    if error.get("type") == "extra_forbidden":
        return "is not a field of a target revision (allowed: date, from, reason)"
    if error["loc"][-1] == "date":
        return f"{error.get('input')!r} is not a date (YYYY-MM-DD)"
    if error["loc"][-1] == "reason":
        return "needs the reason for the change"
    return str(error.get("msg", "is invalid"))


def _revision_errors(
    problems: list[tuple[tuple[str | int, ...], str]], value: object
) -> ValidationError:
    return ValidationError.from_exception_data(
        "target_revisions",
        [
            InitErrorDetails(type=_revision_problem(message), loc=loc, input=value)
            for loc, message in problems
        ],
    )


class CriterionSpecFile(_Strict):
    id: Slug
    text: str = Field(min_length=1)
    own_defined: bool = False
    counts_persons: bool = False
    kind: CriterionKind
    unit: Unit | None = None
    unit_label: OptText = ""
    better: Better | None = None
    # Held as the core value; ``target_of_kind`` validates the file's form,
    # also when it is left out (most kinds need one).
    target: Target = Field(default=None, validate_default=True)
    # Earlier targets, oldest first (``target_revisions_of_kind``).
    target_revisions: list[TargetRevisionSpec] = []
    aggregation: Aggregation = Aggregation.LATEST
    baseline: BaselineSpec | None = None
    indicator: Slug | None = None
    population: Slug | None = None
    values: list[ValueSpec] = []
    measure: MeasureSpec | None = None
    period: PeriodCode | None = None
    reported_verdict: Outcome | None = None
    evidence: OptText = ""
    verdict: Outcome | None = None
    notes: list[str] = []
    working_notes: list[str] = []

    @field_validator("target", mode="plain")
    @classmethod
    def _target_fits_kind(cls, value: object, info: ValidationInfo) -> Target:
        kind = info.data.get("kind")
        if kind is None:  # the kind itself is in error; that is reported
            return NO_TARGET
        return target_of_kind(kind, value)

    @field_validator("target_revisions", mode="plain")
    @classmethod
    def _revisions_fit_kind(
        cls, value: object, info: ValidationInfo
    ) -> list[TargetRevisionSpec]:
        kind = info.data.get("kind")
        if kind is None:  # the kind itself is in error; that is reported
            return []
        return target_revisions_of_kind(kind, value)


class DecisionSpec(_Strict):
    date: datetime.date | None = None
    text: str = Field(min_length=1)


class ActivitySpec(_Strict):
    slug: Slug
    name: str = Field(min_length=1)
    description: OptText = ""
    target_group: OptText = ""
    partners: list[str] = []
    start: datetime.date | None = None
    end: datetime.date | None = None
    extended_to: datetime.date | None = None
    decisions: list[DecisionSpec] = []
    commentary: list[CommentarySpec] = []
    notes: list[str] = []
    working_notes: list[str] = []
    criteria: list[CriterionSpecFile] = []
    sub_activities: list[ActivitySpec] = []


class GoalSpec(_Strict):
    slug: Slug
    name: str = Field(min_length=1)
    description: OptText = ""
    indicators: list[Slug] = []
    criteria: list[CriterionSpecFile] = []


class EffortAreaSpec(_Strict):
    slug: Slug
    name: str = Field(min_length=1)
    description: OptText = ""
    commentary: list[CommentarySpec] = []
    criteria: list[CriterionSpecFile] = []
    activities: list[ActivitySpec] = []


class FundingProjectSpec(_Strict):
    name: str = Field(min_length=1)
    funder: OptText = ""
    amount_dkk: Decimal | None = Field(default=None, ge=0)


class FundingSpec(_Strict):
    total_dkk: Decimal | None = Field(default=None, ge=0)
    total_note: OptText = ""
    projects: list[FundingProjectSpec] = []


LawFigureName = Literal[
    "residents",
    "non_western",
    "without_attachment",
    "convicted",
    "basic_schooling",
    "income",
    "population_18_64",
    "population_18_plus",
    "population_30_59",
]


class LawFigureSpec(_Strict):
    """A figure of the law derived from an indicator the plan already
    follows: ``per_1000`` reads a rate per 1,000 as a share in per cent,
    ``complement`` a share as 100 % less it (the share in work or
    education gives the share without attachment)."""

    indicator: Slug
    derive: Literal["per_1000", "complement"]

    def as_pair(self) -> tuple[str, str | None]:
        return self.indicator, self.derive


class LawStatusSpec(_Strict):
    """Which indicators give the figures of almenboligloven's criteria for
    the plan's areas (docs/area-status.md), and which populations are the
    nation and the region their thresholds are measured against. A
    figure is an indicator's slug, or an indicator it is derived from."""

    national: Slug | None = None
    region: Slug | None = None
    figures: dict[LawFigureName, Slug | LawFigureSpec] = {}


class PlanFile(_Strict):
    format: Literal["fremdrift-plan/1"]
    plan: PlanSpec
    areas: list[AreaSpec] = []
    populations: list[PopulationSpec] = []
    indicators: list[IndicatorSpec] = []
    goals: list[GoalSpec] = []
    effort_areas: list[EffortAreaSpec] = []
    other_activities: OptText = ""
    supplementary_funding: FundingSpec | None = None
    law_status: LawStatusSpec | None = None
