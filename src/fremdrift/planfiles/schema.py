"""The shape of ``plan.yaml`` (format ``fremdrift-plan/1``) as pydantic
models. Field-level checks live here; checks across the file (references,
periods, kind and target agreeing) live in ``validation``."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from fremdrift.core.measures import MeasureKind
from fremdrift.core.model import Aggregation, Better, CriterionKind, Flag, Outcome, Unit

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
    notes: list[str] = []


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


# The target's shape depends on the criterion kind; ``validation`` checks
# that it fits, with a message per kind (a pydantic union would report
# every alternative that did not match).
TargetSpec = Decimal | dict[str, Decimal]


class MeasureSpec(_Strict):
    """A criterion judged on the activity's registrations."""

    kind: MeasureKind
    role: Literal["child", "parent", "young", "resident", "volunteer"] | None = None
    age_min: int | None = Field(default=None, ge=0, le=120)
    age_max: int | None = Field(default=None, ge=0, le=120)
    area: Slug | None = None
    min_sessions: int | None = Field(default=None, ge=1)


class CriterionSpecFile(_Strict):
    id: Slug
    text: str = Field(min_length=1)
    own_defined: bool = False
    counts_persons: bool = False
    kind: CriterionKind
    unit: Unit | None = None
    unit_label: OptText = ""
    better: Better | None = None
    target: TargetSpec | None = None
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


class DecisionSpec(_Strict):
    date: datetime.date | None = None
    text: str = Field(min_length=1)


class CommentarySpec(_Strict):
    period: PeriodCode | None = None
    text: str = Field(min_length=1)
    author: OptText = ""


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
