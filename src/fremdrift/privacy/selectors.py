"""Reading the access log: the filtered log, a participant's extract and a
spot-check sample."""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from fremdrift.audit.models import AccessLogEntry, AccessLogReview
from fremdrift.audit.refs import participant_refs
from fremdrift.plans.models import Plan
from fremdrift.registrations.models import Participant


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def participant_match(*, plan: Plan, code: str) -> Q:
    """Entries about the participant with ``code``: through their id while
    they exist, and through the hash of the code after they are erased."""
    code = code.strip().upper()
    ids = list(
        Participant.objects.filter(plan=plan, code=code).values_list("pk", flat=True)
    )
    match = Q(participant_ref__in=participant_refs(plan_id=plan.pk, code=code))
    if ids:
        match |= Q(participant_id__in=ids)
    return match


def log_entries(
    *,
    plan: Plan,
    username: str = "",
    code: str = "",
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> QuerySet[AccessLogEntry]:
    """The plan's log, newest first, narrowed by user name, participant
    code and the days ``start`` to ``end`` (inclusive, local time)."""
    entries = AccessLogEntry.objects.filter(plan=plan)
    if username.strip():
        entries = entries.filter(username__iexact=username.strip())
    if code.strip():
        entries = entries.filter(participant_match(plan=plan, code=code))
    if start is not None:
        entries = entries.filter(at__gte=_day_start(start))
    if end is not None:
        entries = entries.filter(at__lt=_day_start(end + datetime.timedelta(days=1)))
    return entries.order_by("-at", "-id")


@dataclass(frozen=True, slots=True)
class EntryRow:
    """A log entry as shown: with the participant's current code, or
    "erased" and the start of the hash once the participant is gone."""

    entry: AccessLogEntry
    participant_code: str
    erased: bool


def entry_rows(entries: Iterable[AccessLogEntry]) -> list[EntryRow]:
    """``entries`` with their participants' codes, in one more query."""
    entries = list(entries)
    ids = {e.participant_id for e in entries if e.participant_id is not None}
    codes = dict(
        Participant.objects.filter(pk__in=ids).values_list("pk", "code") if ids else []
    )
    rows = []
    for entry in entries:
        code = codes.get(entry.participant_id, "") if entry.participant_id else ""
        erased = entry.participant_id is not None and not code
        rows.append(EntryRow(entry=entry, participant_code=code, erased=erased))
    return rows


def participant_extract(*, plan: Plan, code: str) -> list[AccessLogEntry]:
    """Every logged access to the participant with ``code``, oldest first:
    what a resident asking for access is told (dates and purposes)."""
    return list(
        AccessLogEntry.objects.filter(plan=plan)
        .filter(participant_match(plan=plan, code=code))
        .order_by("at", "id")
    )


def spot_check_sample(
    *,
    plan: Plan,
    size: int,
    seed: int,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> list[AccessLogEntry]:
    """``size`` entries about participants drawn at random from the plan's
    log (the same ones for the same ``seed`` and log), oldest first, with
    their reviews. Entries already reviewed stay in the draw, so a sample
    reloads unchanged after each review."""
    candidates = log_entries(plan=plan, start=start, end=end).filter(
        participant_id__isnull=False
    )
    ids = sorted(candidates.values_list("pk", flat=True))
    chosen = random.Random(seed).sample(ids, min(size, len(ids)))
    return list(
        AccessLogEntry.objects.filter(pk__in=chosen)
        .prefetch_related(
            Prefetch("reviews", queryset=AccessLogReview.objects.order_by("at"))
        )
        .order_by("at", "id")
    )
