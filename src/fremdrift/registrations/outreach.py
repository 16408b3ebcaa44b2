"""Outreach work registered by the staff: contacts and bridge-buildings
(``Contact``), named (a participant of the plan) or anonymous (a number of
people), with the area, age group and kind of contact.

The staff pages, the API and the bulk import all write through
``contact_create``; like ``services``, each function takes the acting
``user``, checks that they may register for the activity, and logs a
change that names a participant in the access log. An edit or a delete
claims the contact's version first, so a form opened before another save
is refused with ``VersionConflict``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from fremdrift.base.versioning import version_claim
from fremdrift.plans.models import Activity, Area

from .models import Contact, Participant
from .services import Action, User, _check, _log

MAX_ANONYMOUS = 10_000


@dataclass(frozen=True, slots=True)
class ContactFields:
    """What a contact says: when, which kind, who (a participant, or an
    anonymous number of people), where, which age group and how."""

    date: datetime.date
    kind: str
    participant: Participant | None = None
    anonymous_count: int = 0
    area: Area | None = None
    age_group: str = ""
    channel: str = ""


def contact_problems(activity: Activity, fields: ContactFields) -> dict[str, str]:
    """What is wrong with ``fields`` for a contact of ``activity``, by field
    name (empty when nothing is): the codes the forms, the API and the
    import turn into their own messages."""
    problems: dict[str, str] = {}
    if fields.kind not in Contact.Kind.values:
        problems["kind"] = "invalid_choice"
    if fields.age_group and fields.age_group not in Contact.AgeGroup.values:
        problems["age_group"] = "invalid_choice"
    if fields.channel and fields.channel not in Contact.Channel.values:
        problems["channel"] = "invalid_choice"
    named = fields.participant is not None
    if named and fields.anonymous_count:
        problems["anonymous_count"] = "named_and_anonymous"
    elif not named and not 1 <= fields.anonymous_count <= MAX_ANONYMOUS:
        problems["anonymous_count"] = "nobody"
    if named and fields.participant.plan_id != activity.plan_id:  # type: ignore[union-attr]
        problems["participant"] = "other_plan"
    if fields.area is not None and fields.area.plan_id != activity.plan_id:
        problems["area"] = "other_plan"
    plan = activity.plan
    if not activity.period_start(plan) <= fields.date <= activity.period_end(plan):
        problems["date"] = "outside_activity"
    return problems


def _checked(activity: Activity, fields: ContactFields) -> None:
    problems = contact_problems(activity, fields)
    if problems:
        raise ValidationError(
            {name: ValidationError(code, code=code) for name, code in problems.items()}
        )


def _people(contact: Contact) -> list[Participant]:
    return [contact.participant] if contact.participant is not None else []


@transaction.atomic
def contact_create(*, activity: Activity, user: User, fields: ContactFields) -> Contact:
    """A contact or bridge-building of ``activity``; ``ValidationError``
    (by field) when ``contact_problems`` finds anything."""
    _check(user, activity)
    _checked(activity, fields)
    contact = Contact.objects.create(
        activity=activity,
        date=fields.date,
        kind=fields.kind,
        participant=fields.participant,
        anonymous_count=fields.anonymous_count,
        area=fields.area,
        age_group=fields.age_group,
        channel=fields.channel,
    )
    if contact.participant is not None:
        _log(
            user, activity.plan, Action.CREATE, "contact", contact.pk, _people(contact)
        )
    return contact


@transaction.atomic
def contact_update(
    *, contact: Contact, user: User, version: int, fields: ContactFields
) -> Contact:
    """``contact`` as ``fields`` say, if nobody changed it after
    ``version`` (else ``VersionConflict``, nothing written)."""
    activity = contact.activity
    _check(user, activity)
    _checked(activity, fields)
    before = _people(contact)
    contact.version, contact.changed_at = version_claim(
        Contact, pk=contact.pk, version=version
    )
    contact.date = fields.date
    contact.kind = fields.kind
    contact.participant = fields.participant
    contact.anonymous_count = fields.anonymous_count
    contact.area = fields.area
    contact.age_group = fields.age_group
    contact.channel = fields.channel
    contact.save()
    people = {p.pk: p for p in [*before, *_people(contact)]}
    if people:
        _log(user, activity.plan, Action.CHANGE, "contact", contact.pk, people.values())
    return contact


@transaction.atomic
def contact_delete(*, contact: Contact, user: User, version: int) -> None:
    """Delete ``contact``, if nobody changed it after ``version``."""
    activity = contact.activity
    _check(user, activity)
    version_claim(Contact, pk=contact.pk, version=version)
    people = _people(contact)
    contact_id = contact.pk
    contact.delete()
    if people:
        _log(user, activity.plan, Action.DELETE, "contact", contact_id, people)
