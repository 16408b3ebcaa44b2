"""Issuing reports and comparing issued reports with today's data."""

from __future__ import annotations

import datetime
import hashlib

from django.db import transaction

from fremdrift.core.discretion import DEFAULT_THRESHOLD, Audience
from fremdrift.core.i18n import DEFAULT_LANGUAGE
from fremdrift.core.snapshot import (
    SnapshotChange,
    build_snapshot,
    fingerprint,
    snapshot_changes,
)
from fremdrift.evaluation.selectors import plan_judged_criteria
from fremdrift.plans.models import Plan
from fremdrift.statistics.models import Observation

from .assembly import report_as_of, report_build
from .models import IssuedReport
from .renderers import RENDERERS


def plan_snapshot(*, plan: Plan, as_of: datetime.date) -> dict[str, dict[str, object]]:
    """The plan's numbers as a report of ``as_of`` shows them."""
    observations = (
        Observation.objects.filter(indicator__plan=plan, period_end__lte=as_of)
        .select_related("indicator", "population")
        .order_by("pk")
    )
    return build_snapshot(
        plan_judged_criteria(plan=plan, as_of=as_of),
        (
            (
                o.indicator.slug,
                o.population.slug,
                o.period,
                None if o.value is None else format(o.value.normalize(), "f"),
            )
            for o in observations
        ),
    )


def report_filename(
    *, plan: Plan, kind: str, year: int | None, tertial: int | None, fmt: str
) -> str:
    parts = [
        plan.slug,
        {
            "final": "resultatevaluering",
            "annual": "aarsrapport",
            "progress": "fremdriftsrapport",
        }[kind],
    ]
    if year:
        parts.append(str(year))
    if tertial:
        parts.append(f"t{tertial}")
    return "-".join(parts) + f".{fmt}"


@transaction.atomic
def report_issue(
    *,
    plan: Plan,
    kind: str,
    fmt: str,
    recipient: str,
    issued_by: str,
    year: int | None = None,
    tertial: int | None = None,
    audience: str = Audience.BOARD.value,
    threshold: int = DEFAULT_THRESHOLD,
    as_of: datetime.date | None = None,
    lang: str = DEFAULT_LANGUAGE,
    note: str = "",
    content: bytes | None = None,
) -> IssuedReport:
    """Build the report, render it and keep it as issued, with a snapshot
    of its numbers and their fingerprint. ``content``: the file already
    typeset from the same data (a ready ``RenderedReport`` of the same
    key), kept instead of typesetting it again; ``note``: the words sent
    with it."""
    if not recipient.strip() or not issued_by.strip():
        raise ValueError("an issued report needs a recipient and who issued it")
    day = report_as_of(plan=plan, kind=kind, year=year, tertial=tertial, as_of=as_of)
    document = report_build(
        plan=plan,
        kind=kind,
        year=year,
        tertial=tertial,
        as_of=day,
        audience=audience,
        threshold=threshold,
        lang=lang,
    )
    if content is None:
        content = RENDERERS[fmt](document)
    snapshot = plan_snapshot(plan=plan, as_of=day)
    return IssuedReport.objects.create(
        plan=plan,
        kind=kind,
        year=year,
        tertial=tertial,
        audience=document.audience,
        as_of=day,
        format=fmt,
        title=document.title,
        recipient=recipient.strip(),
        note=note.strip(),
        issued_by=issued_by.strip(),
        filename=report_filename(
            plan=plan, kind=kind, year=year, tertial=tertial, fmt=fmt
        ),
        content=content,
        content_sha256=hashlib.sha256(content).hexdigest(),
        data_fingerprint=fingerprint(snapshot),
        snapshot=snapshot,
    )


def issued_report_changes(issued: IssuedReport) -> list[SnapshotChange]:
    """The numbers and verdicts that differ between an issued report and
    the same report built from today's data."""
    return snapshot_changes(
        issued.snapshot, plan_snapshot(plan=issued.plan, as_of=issued.as_of)
    )
