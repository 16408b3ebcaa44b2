"""Indicators and observations: read by the plan's members (small counts of
persons hidden outside the team), written by its coordinators through the
same checked import as a file (``observations_import``)."""

from __future__ import annotations

import csv
import io
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Query, Router

from fremdrift.accounts.policy import audience_for
from fremdrift.core.discretion import Audience
from fremdrift.core.model import DataPoint, Flag
from fremdrift.evaluation.discretion import hides_small_counts, series_for_audience
from fremdrift.plans.models import Plan
from fremdrift.reports.assembly import indicator_series
from fremdrift.statistics.importers.base import ImportFileError
from fremdrift.statistics.importers.tidy import OPTIONAL, REQUIRED
from fremdrift.statistics.models import Indicator, Observation
from fremdrift.statistics.services import ImportResult, observations_import

from .access import importer_plan_for, plan_for
from .errors import READ_ERRORS, WRITE_ERRORS, InvalidRequest
from .paging import page_of
from .schemas import (
    ImportOut,
    IndicatorOut,
    IndicatorPageOut,
    ObservationIn,
    ObservationPageOut,
    ObservationsIn,
    PageIn,
    Slug,
)

router = Router(tags=["statistics"])

# The import batch of rows written through the API is named so; its
# source is the tidy template (the rows are written as one).
API_FILE_NAME = "api"


def json_number(value: Decimal | None) -> int | float | None:
    """A stored Decimal as the JSON number a reader expects: 111, 8.2."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _indicator_record(indicator: Indicator) -> dict[str, Any]:
    denominator = indicator.denominator_indicator
    return {
        "slug": indicator.slug,
        "name": indicator.name,
        "short_name": indicator.short_name,
        "unit": indicator.unit,
        "unit_label": indicator.unit_label,
        "better": indicator.better,
        "definition": indicator.definition,
        "source": indicator.source,
        "measured": indicator.measured,
        "counts_persons": indicator.counts_persons,
        "additive": indicator.additive,
        "change": indicator.change,
        "denominator_indicator": denominator.slug if denominator else None,
    }


def _indicators(plan: Plan) -> QuerySet[Indicator]:
    return (
        Indicator.objects.filter(plan=plan)
        .select_related("denominator_indicator")
        .order_by("order", "slug")
    )


@router.get(
    "/plans/{slug}/indicators",
    response={200: IndicatorPageOut, **READ_ERRORS},
    summary="Indicators",
)
def indicator_list(
    request: HttpRequest, slug: Slug, paging: Query[PageIn]
) -> dict[str, Any]:
    plan = plan_for(request.user, slug)
    counts, indicators = page_of(_indicators(plan), paging)
    return {**counts, "items": [_indicator_record(i) for i in indicators]}


@router.get(
    "/plans/{slug}/indicators/{indicator}",
    response={200: IndicatorOut, **READ_ERRORS},
    summary="An indicator",
)
def indicator_detail(
    request: HttpRequest, slug: Slug, indicator: Slug
) -> dict[str, Any]:
    plan = plan_for(request.user, slug)
    found = _indicators(plan).filter(slug=indicator).first()
    if found is None:
        raise Http404
    return _indicator_record(found)


def _hidden_points(
    plan: Plan, rows: list[Observation], audience: Audience
) -> dict[tuple[int, str, str], DataPoint]:
    """The points of ``rows`` that discretion hides from ``audience``: each
    indicator of persons on the page is suppressed as a whole (small
    counts, and whatever would give one back by subtraction), as the
    reports do. None for the team."""
    wanted = {row.indicator_id for row in rows if row.indicator.counts_persons}
    if not wanted or not hides_small_counts(audience):
        return {}
    hidden: dict[tuple[int, str, str], DataPoint] = {}
    for indicator_id, series in indicator_series(plan).items():
        if indicator_id not in wanted:
            continue
        for population, points in series_for_audience(
            series, audience=audience
        ).populations:
            for point in points:
                if Flag.SUPPRESSED in point.flags:
                    hidden[(indicator_id, population, point.period.code)] = point
    return hidden


def _observation_record(
    row: Observation, hidden: dict[tuple[int, str, str], DataPoint]
) -> dict[str, Any]:
    point = hidden.get((row.indicator_id, row.population.name, row.period))
    if point is not None:
        value = numerator = denominator = None
        note, flags = point.note, sorted(point.flags)
    else:
        value, numerator, denominator = row.value, row.numerator, row.denominator
        note, flags = row.note, row.flags
    return {
        "indicator": row.indicator.slug,
        "population": row.population.slug,
        "period": row.period,
        "period_start": row.period_start,
        "period_end": row.period_end,
        "value": json_number(value),
        "numerator": json_number(numerator),
        "denominator": json_number(denominator),
        "note": note,
        "flags": flags,
    }


@router.get(
    "/plans/{slug}/observations",
    response={200: ObservationPageOut, **READ_ERRORS},
    summary="Observations",
)
def observation_list(
    request: HttpRequest,
    slug: Slug,
    paging: Query[PageIn],
    indicator: Slug | None = None,
    population: Slug | None = None,
) -> dict[str, Any]:
    """The plan's observations by indicator, population and period,
    optionally of one indicator or population. Outside the plan team small
    counts of persons come back hidden: no value, the flag ``suppressed``
    and the note "<5"."""
    plan = plan_for(request.user, slug)
    observations = (
        Observation.objects.filter(indicator__plan=plan)
        .select_related("indicator", "population")
        .order_by(
            "indicator__order",
            "indicator__slug",
            "population__order",
            "population__slug",
            "period_end",
            "period_start",
            "pk",
        )
    )
    if indicator is not None:
        observations = observations.filter(indicator__slug=indicator)
    if population is not None:
        observations = observations.filter(population__slug=population)
    counts, rows = page_of(observations, paging)
    audience = audience_for(request.user, plan)
    hidden = _hidden_points(plan, rows, audience)
    return {
        **counts,
        "audience": audience.value,
        "items": [_observation_record(row, hidden) for row in rows],
    }


def _cell(value: Decimal | str | list[Flag] | None) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, list):
        return ";".join(flag.value for flag in value)
    return value


def write_tidy(path: Path, rows: list[ObservationIn]) -> dict[int, int]:
    """``rows`` as a tidy CSV file; returns the line each row starts on ->
    its index, so that a problem on a line can name the row.

    An optional column is written only when some row gives it, so that
    leaving a field out keeps what the observations have (as a file
    without that column does)."""
    given = set().union(*(row.model_fields_set for row in rows))
    columns = [*REQUIRED, *(name for name in OPTIONAL if name in given)]
    starts: dict[int, int] = {}
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(_csv_record(columns))
        line = 2
        for index, row in enumerate(rows):
            text = _csv_record([_cell(getattr(row, name)) for name in columns])
            handle.write(text)
            starts[line] = index
            # A quoted note may span lines; the next row starts after them.
            line += _physical_lines(text)
    return starts


def _csv_record(cells: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(cells)
    return buffer.getvalue()


def _physical_lines(text: str) -> int:
    """Lines as the importer numbers them: Python's universal newlines
    (\\n, \\r and \\r\\n each end a line)."""
    return sum(1 for _ in io.StringIO(text, newline=None))


def _problems(result: ImportResult, starts: dict[int, int]) -> list[tuple[str, str]]:
    errors = []
    for problem in result.problems:
        where = problem.where
        index = starts.get(where.line) if where.line is not None else None
        if index is None:
            field = "rows"
        elif where.column and where.column in (*REQUIRED, *OPTIONAL):
            field = f"rows.{index}.{where.column}"
        else:
            field = f"rows.{index}"
        errors.append((field, problem.message))
    return errors


@router.post(
    "/plans/{slug}/observations",
    response={200: ImportOut, **WRITE_ERRORS},
    summary="Import observations",
)
def observation_import(
    request: HttpRequest, slug: Slug, payload: ObservationsIn
) -> dict[str, Any]:
    """Write observations (coordinators only) through the same checks as an
    imported file: all or nothing, every problem named by row and field,
    changed values kept in the history, one import batch (source ``tidy``,
    file ``api``, the caller as importer) that the web app can undo. The
    same rows again change nothing and leave no batch."""
    plan = importer_plan_for(request.user, slug)
    with tempfile.TemporaryDirectory(prefix="fremdrift-api-") as folder:
        path = Path(folder) / f"{API_FILE_NAME}.csv"
        starts = write_tidy(path, payload.rows)
        try:
            result = observations_import(
                plan=plan,
                path=path,
                source="tidy",
                user=request.user,
                dry_run=payload.dry_run,
                display_name=API_FILE_NAME,
            )
        except ImportFileError as error:
            raise InvalidRequest(
                ("rows", str(p.message)) for p in error.problems
            ) from None
    if not result.ok:
        raise InvalidRequest(_problems(result, starts))
    return {
        "dry_run": result.dry_run,
        "rows": result.rows,
        "created": result.created,
        "changed": result.changed,
        "unchanged": result.unchanged,
        "batch": result.batch.pk if result.batch is not None else None,
        "sha256": result.sha256,
        "changes": [
            {
                "indicator": c.indicator,
                "population": c.population,
                "period": c.period,
                "old": c.old,
                "new": c.new,
            }
            for c in result.changes
        ],
    }
