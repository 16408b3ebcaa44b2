"""What the API reads and writes, as pydantic types: the same types
validate a request, shape a response and generate the OpenAPI schema."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Strict,
    StringConstraints,
)

from fremdrift.base.versioning import MAX_VERSION
from fremdrift.core.model import (
    Aggregation,
    CriterionKind,
    Flag,
    Outcome,
    Pace,
    Unit,
)
from fremdrift.core.targets import TargetRecord

# The largest primary key the database holds (a signed 64-bit integer).
MAX_ID = 2**63 - 1


def _plain_text(value: str) -> str:
    # A NUL byte cannot be stored in PostgreSQL and a lone surrogate cannot
    # be written as UTF-8 at all: refuse both here, where the error can name
    # the field, instead of failing in the database.
    if "\x00" in value:
        raise ValueError("must not contain a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode text") from None
    return value


Slug = Annotated[
    str, StringConstraints(min_length=1, max_length=100, pattern=r"^[-a-zA-Z0-9_]+$")
]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# In a JSON body a number is a JSON number: ``true`` is not 1 and "5" is
# not 5 (pydantic's lax mode would take both).
BodyInt = Annotated[int, Strict()]
BodyId = Annotated[int, Strict(), Field(ge=1, le=MAX_ID)]
# The dates a plan's data can be about: pydantic would otherwise read a
# number as seconds since 1970 (``as_of=0`` is 1 January 1970).
MIN_DATE = datetime.date(2000, 1, 1)
MAX_DATE = datetime.date(2100, 12, 31)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _written_date(value: object) -> object:
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise ValueError("must be a date written YYYY-MM-DD")
    return value


Day = Annotated[
    datetime.date,
    BeforeValidator(_written_date),
    Field(ge=MIN_DATE, le=MAX_DATE),
]


def _text(max_length: int, *, min_length: int = 0) -> object:
    """A free-text field: stripped, limited, and storable."""
    return Annotated[
        str,
        StringConstraints(
            strip_whitespace=True, min_length=min_length, max_length=max_length
        ),
        AfterValidator(_plain_text),
    ]


PopulationRef = _text(100, min_length=1)
PeriodCode = _text(40, min_length=1)
Note = _text(10_000)
Theme = _text(200)


# --- errors -----------------------------------------------------------------


class ErrorOut(Schema):
    """Every error answer: one sentence saying what is wrong."""

    detail: str


class FieldErrorOut(Schema):
    field: str = Field(
        description="Where the problem is, as a dotted path into the request: "
        "'date', 'rows.3.value', 'page'"
    )
    message: str


class ValidationErrorOut(Schema):
    """A request that is well-formed but not valid: each problem with the
    field it is in."""

    detail: str
    errors: list[FieldErrorOut]


class ConflictOut(Schema):
    """A write that gave the version it was based on, when someone else
    has changed the object since: nothing was written."""

    detail: str
    version: int = Field(description="The object's version now")
    changed_at: datetime.datetime | None = Field(description="When it was last changed")


# --- paging -----------------------------------------------------------------


class PageIn(Schema):
    page: int = Field(1, ge=1, le=1_000_000, description="1-based page number")
    page_size: int = Field(50, ge=1, le=500, description="Items per page")


class PageOut(Schema):
    count: int = Field(description="Items on all pages together")
    page: int
    page_size: int


# --- who am I ---------------------------------------------------------------


class MembershipOut(Schema):
    plan: str
    role: str


class MeOut(Schema):
    username: str
    token_name: str
    token_expires_at: datetime.datetime | None
    superuser: bool
    memberships: list[MembershipOut]


# --- plans ------------------------------------------------------------------


class PlanOut(Schema):
    slug: str
    name: str
    short_name: str
    organisation: str
    municipality: str
    start: datetime.date
    end: datetime.date
    role: str | None = Field(
        description="The caller's role in the plan; null where they hold none"
    )
    audience: Literal["internal", "board"] = Field(
        description="'internal': small counts of persons are shown; 'board': "
        "they are hidden (statistical discretion)"
    )


class PlanPageOut(PageOut):
    items: list[PlanOut]


class PopulationOut(Schema):
    slug: str
    name: str
    kind: str


class ActivityOut(Schema):
    slug: str
    name: str
    effort_area: str
    parent: str | None
    start: datetime.date | None
    end: datetime.date | None
    may_register: bool = Field(
        description="Whether the caller registers sessions and attendance here"
    )


class PlanDetailOut(PlanOut):
    vision: str
    populations: list[PopulationOut]
    activities: list[ActivityOut]


# --- criteria and verdicts (the `fremdrift verdicts --format json` record) --

Number = int | float


class BaselineOut(Schema):
    value: Number | None
    period: str | None


class PeriodOutcomeOut(Schema):
    period: str
    verdict: Outcome


class ThinDataOut(Schema):
    n: int | None
    text: str


class VerdictOut(Schema):
    """One criterion and its verdict; the keys and values of
    ``fremdrift verdicts --format json`` (docs/cli.md). Keys the record
    gains later pass through before they are typed here."""

    model_config = ConfigDict(extra="allow")

    id: str
    level: Literal["goal", "effort_area", "activity"]
    goal: str | None
    effort_area: str | None
    activity: str | None
    parent_activity: str | None
    text: str
    own_defined: bool
    kind: CriterionKind
    unit: Unit
    aggregation: Aggregation
    baseline: BaselineOut | None
    target: TargetRecord
    threshold: Number | None
    achieved: Number | None
    verdict: Outcome
    pace: Pace | None
    within_chance: bool | None = None
    explanation: str
    remarks: list[str]
    period_outcomes: list[PeriodOutcomeOut]
    reported_verdict: Outcome | None
    agrees_with_report: bool | None
    change: dict[str, Any] | None = Field(
        None, description="The change since the baseline and its test"
    )
    persons: int | None = Field(
        None, description="How many persons the judged number rests on"
    )
    thin_data: ThinDataOut | None = None
    forecast: dict[str, Any] | None = Field(
        None, description="Where a running count is heading"
    )


class VerdictPageOut(PageOut):
    as_of: datetime.date
    audience: Literal["internal", "board"]
    items: list[VerdictOut]


# --- indicators and observations --------------------------------------------


class IndicatorOut(Schema):
    slug: str
    name: str
    short_name: str
    unit: Unit
    unit_label: str
    better: str
    definition: str
    source: str
    measured: str
    counts_persons: bool
    additive: bool
    change: bool
    denominator_indicator: str | None


class IndicatorPageOut(PageOut):
    items: list[IndicatorOut]


class ObservationOut(Schema):
    indicator: str
    population: str
    period: str
    period_start: datetime.date
    period_end: datetime.date
    value: Number | None
    numerator: Number | None
    denominator: Number | None
    note: str
    flags: list[Flag]


class ObservationPageOut(PageOut):
    audience: Literal["internal", "board"]
    items: list[ObservationOut]


class ObservationIn(Schema):
    """One row of the tidy template (docs/imports.md). ``value`` may be
    null with a flag saying why (``missing``, ``suppressed``, ...).
    ``numerator``, ``denominator``, ``note`` and ``flags`` are columns: left
    out of every row, the observations keep what they have; given in any
    row, a row without it clears it."""

    indicator: Slug
    population: PopulationRef  # type: ignore[valid-type]
    period: PeriodCode  # type: ignore[valid-type]
    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    note: Note = ""  # type: ignore[valid-type]
    flags: list[Flag] = Field(default_factory=list, max_length=len(Flag))


class ObservationsIn(Schema):
    rows: list[ObservationIn] = Field(min_length=1, max_length=10_000)
    dry_run: Annotated[bool, Strict()] = Field(
        False, description="Check and count, write nothing (the web preview)"
    )


class ChangeOut(Schema):
    indicator: str
    population: str
    period: str
    old: str
    new: str


class ImportOut(Schema):
    """What an import did (or, in a dry run, would do)."""

    dry_run: bool
    rows: int
    created: int
    changed: int
    unchanged: int
    batch: int | None = Field(
        description="The import batch (its history and undo are in the web "
        "app); null in a dry run or when nothing changed"
    )
    sha256: str
    changes: list[ChangeOut]


# --- courses, sessions and attendance ---------------------------------------


class CourseOut(Schema):
    id: int
    name: str
    start: datetime.date
    end: datetime.date
    planned_sessions: int | None
    enrolled: int
    held: int


class CoursePageOut(PageOut):
    items: list[CourseOut]


class SessionOut(Schema):
    id: int
    activity: str
    course: int | None
    date: datetime.date
    duration_minutes: int | None
    theme: str
    headcount: int | None
    cancelled: bool = Field(
        description="Cancelled (aflyst): planned but not held, not counted"
    )
    present: int = Field(description="Participants registered as present")
    version: int = Field(
        description="Raised by every change of the session or its attendance; "
        "send it with a change of the attendance to have it refused (409) if "
        "someone else changed it first"
    )


class SessionPageOut(PageOut):
    items: list[SessionOut]


class SessionIn(Schema):
    """A session of a course (``course`` given; its attendance is
    registered by name) or of the open activity (no course; a
    ``headcount`` may stand in for names)."""

    course: BodyId | None = None
    date: Day
    duration_minutes: BodyInt | None = Field(None, ge=1, le=1440)
    theme: Theme = ""  # type: ignore[valid-type]
    headcount: BodyInt | None = Field(None, ge=0, le=10_000)


class RosterRowOut(Schema):
    participant: int
    code: str
    initials: str
    present: bool
    enrolled: bool
    left: bool = Field(description="Dropped out or moved away")


class RosterPageOut(PageOut):
    session: SessionOut
    items: list[RosterRowOut]


class AttendanceIn(Schema):
    present: list[BodyId] = Field(
        max_length=5000,
        description="Exactly the participants present: those left out are "
        "removed, those already present stay once",
    )
    version: BodyInt | None = Field(
        None,
        ge=0,
        le=MAX_VERSION,
        description="The session's version the list was read at: if the "
        "session has been changed since, nothing is saved and the answer is "
        "409. Left out: no check, the last write wins",
    )


class AttendanceOut(Schema):
    added: int
    removed: int
    present: int


# --- outreach: contacts and bridge-buildings ---------------------------------

ContactKind = Literal["contact", "bridge"]
AgeGroup = Literal["", "0-5", "6-12", "13-17", "18-24", "25-64", "65+"]
Channel = Literal["", "street", "phone", "home_visit", "other"]


class ContactOut(Schema):
    id: int
    date: datetime.date
    kind: ContactKind = Field(description="contact (kontakt) or bridge (brobygning)")
    participant: int | None = Field(description="The participant met, if named")
    code: str | None = Field(description="The named participant's code")
    anonymous_count: int = Field(description="People met without names")
    area: str | None = Field(description="The area's slug")
    age_group: AgeGroup
    channel: Channel
    version: int


class ContactPageOut(PageOut):
    items: list[ContactOut]


class ContactIn(Schema):
    """A contact or bridge-building: with a named ``participant`` of the
    plan, or an ``anonymous_count`` of people met without names (one of
    the two), inside the activity's period."""

    date: Day
    kind: ContactKind
    participant: BodyId | None = None
    anonymous_count: BodyInt = Field(0, ge=0, le=10_000)
    area: Slug | None = None  # type: ignore[valid-type]
    age_group: AgeGroup = ""
    channel: Channel = ""
