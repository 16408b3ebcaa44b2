"""Writing the access log and the reviews of it.

``access_log`` is the one way in: the registration views and services, the
GDPR operations, the auditor pages and the API call it wherever a
participant's data is viewed, searched, registered, changed, exported or
erased. It runs inside the caller's transaction, so a change that is
rolled back leaves no entry claiming it happened.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Protocol

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from fremdrift.accounts.policy import may_read_access_log
from fremdrift.plans.models import Plan

from .context import Origin, current_origin
from .models import AccessLogEntry, AccessLogReview
from .refs import participant_ref

Action = AccessLogEntry.Action
Purpose = AccessLogEntry.Purpose

# Purposes a member of staff picks from when they look someone up.
LOOKUP_PURPOSES = (
    Purpose.ENROL,
    Purpose.ATTENDANCE,
    Purpose.FOLLOW_UP,
    Purpose.INQUIRY,
    Purpose.CORRECTION,
    Purpose.OTHER,
)
# Purposes an auditor picks from when they open a participant's extract.
AUDIT_PURPOSES = (Purpose.ACCESS_REQUEST, Purpose.AUDIT)


class ParticipantLike(Protocol):
    pk: int
    code: str
    plan_id: int


def _who(user: User | AnonymousUser | None, username: str) -> str:
    if username:
        return username[:150]
    if user is None or not user.is_authenticated:
        raise ValueError("an access log entry needs a logged-in user or a username")
    return user.get_username()[:150]


@transaction.atomic
def access_log(
    *,
    user: User | AnonymousUser | None,
    plan: Plan,
    action: str,
    participants: Iterable[ParticipantLike] = (),
    object_type: str = "",
    object_id: object = "",
    purpose: str = "",
    purpose_note: str = "",
    username: str = "",
    origin: Origin | None = None,
    at: datetime.datetime | None = None,
) -> list[AccessLogEntry]:
    """Record one access: one entry per participant concerned (in one
    insert), or a single entry without a participant when none is (a list
    page, an evidence file, an empty search result).

    ``username`` names who acted when there is no logged-in user (a
    command: "cli:<login>"). ``purpose`` is required for a search, and a
    purpose of "other" needs ``purpose_note``. The request's path and
    address come from ``origin`` or the view's context
    (``context.logged_origin``).
    """
    who = _who(user, username)
    action = Action(action)
    if purpose:
        purpose = Purpose(purpose)
    if action == Action.SEARCH and purpose not in LOOKUP_PURPOSES:
        raise ValueError("a search needs one of the look-up purposes")
    if purpose == Purpose.OTHER and not purpose_note.strip():
        raise ValueError("the purpose 'other' needs a note")
    where = origin or current_origin()
    when = at or timezone.now()
    user_id = user.pk if user is not None and user.is_authenticated else None
    people: Sequence[ParticipantLike | None] = list(participants) or [None]
    entries = []
    for person in people:
        if person is not None and person.plan_id != plan.pk:
            raise ValueError("the participant belongs to another plan")
        entries.append(
            AccessLogEntry(
                at=when,
                user_id=user_id,
                username=who,
                plan=plan,
                plan_slug=plan.slug,
                participant_id=person.pk if person is not None else None,
                participant_ref=participant_ref(plan_id=plan.pk, code=person.code)
                if person is not None
                else "",
                action=action,
                object_type=object_type,
                object_id=str(object_id or ""),
                purpose=purpose,
                purpose_note=purpose_note.strip()[:200],
                path=where.path,
                ip=where.ip,
            )
        )
    return AccessLogEntry.objects.bulk_create(entries)


@transaction.atomic
def review_record(
    *,
    entry: AccessLogEntry,
    reviewer: User | AnonymousUser,
    outcome: str,
    note: str = "",
) -> AccessLogReview:
    """An auditor's review of ``entry`` from a spot check; refused for
    anyone who may not read the plan's log."""
    if not may_read_access_log(reviewer, entry.plan):
        raise PermissionDenied("Du kan ikke gennemgå denne helhedsplans adgangslog.")
    return AccessLogReview.objects.create(
        entry=entry,
        reviewer_id=reviewer.pk,
        reviewer_name=reviewer.get_username(),
        outcome=AccessLogReview.Outcome(outcome),
        note=note.strip()[:300],
    )
