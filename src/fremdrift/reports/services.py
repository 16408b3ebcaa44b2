"""Issuing reports and comparing issued reports with today's data."""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from fremdrift.core.discretion import DEFAULT_THRESHOLD, Audience
from fremdrift.core.i18n import DEFAULT_LANGUAGE
from fremdrift.core.snapshot import (
    DISCRETION_KEY,
    PersonIndicators,
    SnapshotChange,
    build_snapshot,
    fingerprint,
    legacy_snapshot_shown,
    observations_shown,
    person_criteria,
    snapshot_changes,
)
from fremdrift.evaluation.discretion import hides_small_counts, judged_for_audience
from fremdrift.evaluation.selectors import plan_judged_criteria
from fremdrift.plans.models import Plan, Population
from fremdrift.statistics.models import Indicator, Observation

from .assembly import report_as_of, report_build
from .models import IssuedReport
from .renderers import RENDERERS


def plan_snapshot(
    *,
    plan: Plan,
    as_of: datetime.date,
    audience: Audience | str = Audience.INTERNAL,
    threshold: int = DEFAULT_THRESHOLD,
) -> dict[str, dict[str, object]]:
    """The plan's numbers as a report of ``as_of`` for ``audience`` shows
    them: exact for the team; for any other reader the judged criteria as
    ``judged_for_audience`` gives them and the observations of persons
    suppressed as the report's tables are (``observations_shown``), a
    hidden count kept as "<5"."""
    observations = list(
        Observation.objects.filter(indicator__plan=plan, period_end__lte=as_of)
        .select_related("indicator", "population")
        .order_by("pk")
    )
    values = {
        _observation_key(o): None
        if o.value is None
        else format(o.value.normalize(), "f")
        for o in observations
    }
    if not hides_small_counts(audience):
        judged = plan_judged_criteria(plan=plan, as_of=as_of)
        return build_snapshot(judged, _records(values))
    judged = judged_for_audience(
        plan=plan, as_of=as_of, audience=audience, threshold=threshold
    )
    shown = observations_shown(
        values,
        person_indicators(plan=plan, observations=observations),
        threshold,
        numerators={
            _observation_key(o): o.numerator
            for o in observations
            if o.numerator is not None
        },
    )
    return build_snapshot(judged, _records(shown), discretion=threshold)


def _observation_key(o: Observation) -> str:
    return f"{o.indicator.slug}/{o.population.slug}/{o.period}"


def _records(
    values: dict[str, str | None],
) -> list[tuple[str, str, str, str | None]]:
    """Snapshot values by key as (indicator, population, period, value)."""
    records = []
    for key, value in values.items():
        indicator, population, period = key.split("/", 2)
        records.append((indicator, population, period, value))
    return records


def person_indicators(
    *, plan: Plan, observations: Iterable[Observation] | None = None
) -> PersonIndicators:
    """``plan``'s indicators that count persons (whether each is
    additive) and its total populations with their parts, by slug: what
    discretion needs to hide a snapshot's observations. The indicators
    are taken from ``observations`` (with their indicators selected) when
    given, else read; the totals in one query."""
    if observations is None:
        additive = dict(
            Indicator.objects.filter(plan=plan, counts_persons=True).values_list(
                "slug", "additive"
            )
        )
    else:
        additive = {
            o.indicator.slug: o.indicator.additive
            for o in observations
            if o.indicator.counts_persons
        }
    totals: dict[str, list[str]] = defaultdict(list)
    for total, part in (
        Population.parts.through.objects.filter(from_population__plan=plan)
        .order_by("from_population__order", "to_population__order")
        .values_list("from_population__slug", "to_population__slug")
    ):
        totals[total].append(part)
    return PersonIndicators(
        additive=additive,
        totals=tuple((total, tuple(parts)) for total, parts in totals.items()),
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
    snapshot = plan_snapshot(
        plan=plan, as_of=day, audience=document.audience, threshold=threshold
    )
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


def issued_report_changes(
    issued: IssuedReport,
    *,
    today: dict[tuple[object, ...], Any] | None = None,
) -> list[SnapshotChange]:
    """The numbers and verdicts that differ between an issued report and
    the same report built from today's data, as the issued report's
    audience may see them: exact for an internal report; for a board or
    public report both sides under its discretion (a snapshot stored
    before snapshots were, with exact numbers, is put under it first:
    ``legacy_snapshot_shown``), so the page lists no hidden count.

    ``today`` keeps what is read of today's data between calls (a list of
    issued reports asks for each plan, day, audience and threshold once)."""
    before = issued.snapshot
    marked = before.get(DISCRETION_KEY)
    threshold = (
        int(marked["threshold"]) if isinstance(marked, dict) else DEFAULT_THRESHOLD
    )
    hides = hides_small_counts(issued.audience)
    audience = issued.audience if hides else Audience.INTERNAL.value
    key = (issued.plan_id, issued.as_of, audience, threshold)
    cache: dict[tuple[object, ...], Any] = {} if today is None else today
    if ("now", *key) not in cache:
        cache[("now", *key)] = plan_snapshot(
            plan=issued.plan, as_of=issued.as_of, audience=audience, threshold=threshold
        )
    now = cache[("now", *key)]
    if not hides:
        return snapshot_changes(before, now)
    if marked is None:
        if ("legacy", *key) not in cache:
            judged = judged_for_audience(
                plan=issued.plan,
                as_of=issued.as_of,
                audience=issued.audience,
                threshold=threshold,
            )
            cache[("legacy", *key)] = (
                person_criteria(judged),
                person_indicators(plan=issued.plan),
            )
        criteria, persons = cache[("legacy", *key)]
        before = legacy_snapshot_shown(
            before, person_criteria=criteria, persons=persons, threshold=threshold
        )
    return snapshot_changes(before, now)


def issued_report_fingerprint(issued: IssuedReport) -> str:
    """The data fingerprint an issued report's page shows: the stored one,
    except for a board or public report whose snapshot holds exact numbers
    (stored before snapshots were made under discretion): its fingerprint
    is of the exact numbers, and trying the few small values a hidden
    count can take against it would give the count back."""
    if hides_small_counts(issued.audience) and DISCRETION_KEY not in issued.snapshot:
        return ""
    return issued.data_fingerprint
