"""Each area's status under almenboligloven, list by list, with the next
list's outlook: read by the plan's members at their ``audience_for``, the
records of ``fremdrift status --format json`` (docs/area-status.md)."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from pydantic import ConfigDict

from fremdrift.accounts.policy import audience_for
from fremdrift.core.i18n import use_language
from fremdrift.evaluation.discretion import area_status_for_audience

from .access import plan_for
from .errors import READ_ERRORS
from .schemas import Slug

router = Router(tags=["area status"])

Number = int | float
# A figure as the command prints it: a decimal in a string ("41.5"),
# exact however many places it has.
Decimal = str


class _Record(Schema):
    # Keys the record gains later pass through before they are typed here.
    model_config = ConfigDict(extra="allow")


class ListCriterionOut(_Record):
    key: str
    figure: str
    comparison: Literal["exceeds", "at_least", "below"]
    value: Decimal | None = Field(description="The area's figure (mean of years)")
    threshold: Decimal | None
    years: list[int] = Field(description="The years of figures the list uses")
    missing: list[int] = Field(description="Those years without a figure")
    met: bool | None = Field(description="null: kan ikke afgøres")


class ListStatusOut(_Record):
    key: str
    name: str
    holds: bool | None
    years_in_a_row: int | None


class ListOut(_Record):
    """One list (1 December of ``list_year``) under the rules in force."""

    list_year: int
    version: str
    rules_changed: bool
    residents: Decimal | None = Field(
        description="Residents as of 1 January; null outside the team under 5"
    )
    large_enough: bool | None
    status: str | None = Field(description="The most severe status that holds")
    status_name: str | None
    decided: bool
    criteria: list[ListCriterionOut]
    statuses: list[ListStatusOut]


class OutlookCriterionOut(_Record):
    key: str
    years: list[int]
    projected_years: list[int]
    value: Number | None = Field(description="The projected mean")
    interval: list[Number] | None = Field(description="Its 80 % interval")
    threshold: Number | None
    chance: Number | None = Field(description="That the criterion is met")
    fixed: bool | None = Field(
        description="Met (true) or not (false) whatever is to come"
    )
    persons_to_cross: int | None = Field(
        description=(
            "Persons counted the other way that would cross the threshold; "
            "null outside the team under 5"
        )
    )
    distance: str = Field(description="The distance in words")


class OutlookStatusOut(_Record):
    key: str
    name: str
    chance: Number | None


class OutlookOut(_Record):
    list_year: int
    version: str
    likely_status: str | None
    likely_status_name: str | None
    criteria: list[OutlookCriterionOut]
    statuses: list[OutlookStatusOut]


class AreaOut(_Record):
    area: str = Field(description="The area's population slug")
    name: str
    lists: list[ListOut]
    next: OutlookOut | None = Field(description="The next list's outlook")


class AreaStatusOut(Schema):
    audience: Literal["internal", "board"]
    areas: list[AreaOut]


@router.get(
    "/plans/{slug}/area-status",
    response={200: AreaStatusOut, **READ_ERRORS},
    summary="Each area's status under almenboligloven",
)
def area_status(
    request: HttpRequest, slug: Slug, lang: Literal["da", "en"] = "da"
) -> dict[str, Any]:
    """Each area of the plan (in plan order) on every list its figures
    judge, under the rules in force each year, and the next list's
    outlook with the distance to each threshold in persons; labels in
    ``lang``. ``areas`` holds the records of ``fremdrift status --format
    json``; readers outside the plan team get the board's version, where
    a distance under 5 persons reads "under 5"."""
    plan = plan_for(request.user, slug)
    audience = audience_for(request.user, plan)
    with use_language(lang):
        areas = area_status_for_audience(plan=plan, audience=audience)
    return {"audience": audience.value, "areas": areas}
