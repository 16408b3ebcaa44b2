"""The data-protection operations on registrations: export everything about
one participant, erase one participant, and delete a plan's personal data
when its retention period has run out.

Erasure and retention delete for real: the rows go, the evidence files go
from the disk once the transaction commits, the admin's change history
about those rows goes with them, and the rest of that history no longer
names the people deleted. What stays: sessions, courses and
questionnaires (no one in them), anonymous head counts, the access log
(which names a participant only by a keyed hash of their code, see
fremdrift.audit.models) and issued reports, whose numbers are snapshots of
what was sent. Before retention deletes an activity's registrations, the
criteria counted from them are frozen into reported values, so that the
plan's verdicts stay as they were.
"""

from __future__ import annotations

import datetime
import getpass
import json
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone
from simple_history.utils import (
    bulk_create_with_history,
    get_history_model_for_model,
)

from fremdrift.audit.models import (
    DEFAULT_RETENTION_MONTHS,
    AccessLogEntry,
    RetentionRule,
)
from fremdrift.audit.services import access_log
from fremdrift.base.history import acting_user, change_reason
from fremdrift.base.versioning import versions_bump
from fremdrift.core.measures import PERSON_MEASURES, MeasureKind
from fremdrift.evaluation.selectors import criterion_inputs
from fremdrift.evidence.models import Evidence
from fremdrift.plans.models import Activity, Criterion, Plan, ReportedValue
from fremdrift.privacy.selectors import participant_extract
from fremdrift.registrations.models import (
    Answer,
    Attendance,
    Contact,
    Course,
    Enrolment,
    FollowUp,
    Household,
    Participant,
    Response,
    Session,
)

Action = AccessLogEntry.Action
Purpose = AccessLogEntry.Purpose

# The kinds of rows counted in summaries, in the order they are printed.
KINDS = (
    "participants",
    "households",
    "enrolments",
    "attendance",
    "contacts",
    "follow_ups",
    "responses",
    "answers",
    "evidence_files",
)


class ParticipantNotFound(LookupError):
    pass


@dataclass(frozen=True, slots=True)
class Actor:
    """Who runs an operation: a logged-in user, or a command's name for
    its operator ("cli:<login>")."""

    username: str
    user: User | None = None


def command_actor(name: str | None = None) -> Actor:
    """Who runs a command: the fremdrift user named by ``--by``, or else
    the operating-system login, marked "cli:"."""
    from django.contrib.auth import get_user_model

    if name:
        user = get_user_model().objects.filter(username=name).first()
        if user is not None:
            return Actor(username=user.get_username(), user=user)
        return Actor(username=f"cli:{name}")
    try:
        login = getpass.getuser()
    except (KeyError, OSError):
        login = "unknown"
    return Actor(username=f"cli:{login}")


def participant_get(*, plan: Plan, code: str) -> Participant:
    try:
        return Participant.objects.select_related("area", "household").get(
            plan=plan, code=code.strip().upper()
        )
    except Participant.DoesNotExist:
        raise ParticipantNotFound(
            f"no participant with code {code!r} in {plan.slug}"
        ) from None


def _date(value: datetime.date | datetime.datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value.isoformat()


# ---------------------------------------------------------------- export


def _evidence_record(evidence: Evidence, why: str) -> dict[str, Any]:
    return {
        "id": evidence.pk,
        "description": evidence.description,
        "consent": evidence.consent,
        "content_type": evidence.content_type,
        "size": evidence.size,
        "sha256": evidence.sha256,
        "uploaded_at": _date(evidence.uploaded_at),
        "activity": evidence.activity.name if evidence.activity else None,
        "session_date": _date(evidence.session.date) if evidence.session else None,
        "why": why,
    }


def participant_record(*, plan: Plan, participant: Participant) -> dict[str, Any]:
    """Everything stored about ``participant``, as plain JSON values. Other
    members of the household are counted, not named: they are other
    people's data."""
    person = participant
    household = person.household
    answers = _answers_by_response(person)
    attendance = (
        Attendance.objects.filter(participant=person)
        .select_related("session__activity", "session__course")
        .order_by("session__date", "pk")
    )
    # Evidence is the participant's only through the sessions they
    # attended; reading the attendance here also fills the queryset's
    # cache for the "attendance" list below.
    attended_sessions = [a.session_id for a in attendance]
    evidence = (
        Evidence.objects.filter(plan=plan, session_id__in=attended_sessions)
        .select_related("activity", "session")
        .order_by("uploaded_at", "pk")
    )
    # The values are built in the order the keys are written, which is also
    # the order of the queries behind them.
    return {
        "format": "fremdrift-participant-export/1",
        "exported_at": _date(timezone.now()),
        "plan": {"slug": plan.slug, "name": plan.name},
        "participant": _person_record(person),
        "household": _household_record(household, person) if household else None,
        "enrolments": _enrolment_records(person, answers),
        "attendance": [
            {
                "activity": a.session.activity.name,
                "course": a.session.course.name if a.session.course else None,
                "date": _date(a.session.date),
                "theme": a.session.theme,
            }
            for a in attendance
        ],
        "contacts": [
            {"activity": c.activity.name, "date": _date(c.date), "kind": c.kind}
            for c in Contact.objects.filter(participant=person)
            .select_related("activity")
            .order_by("date", "pk")
        ],
        "evidence": [
            _evidence_record(item, "a session the participant attended")
            for item in evidence
        ],
        "access_log": _access_log_records(plan, person),
    }


def _person_record(person: Participant) -> dict[str, Any]:
    return {
        "code": person.code,
        "initials": person.initials,
        "birth_year": person.birth_year,
        "sex": person.sex or None,
        "area": person.area.name if person.area else None,
        "created_at": _date(person.created_at),
    }


def _household_record(household: Household, person: Participant) -> dict[str, Any]:
    """The participant's household; the other members only as a number."""
    return {
        "code": household.code,
        "area": household.area.name if household.area else None,
        "other_members": household.members.exclude(pk=person.pk).count(),
    }


def _access_log_records(plan: Plan, person: Participant) -> list[dict[str, Any]]:
    """Who read the participant's data, when and why: the access log
    entries about them, which a data subject has a right to see."""
    return [
        {
            "at": _date(entry.at),
            "action": entry.action,
            "purpose": entry.purpose or None,
            "purpose_note": entry.purpose_note,
        }
        for entry in participant_extract(plan=plan, code=person.code)
    ]


def _answers_by_response(person: Participant) -> dict[int, list[Answer]]:
    """The participant's questionnaire answers grouped by response, in the
    questionnaire's order: one query for all of them rather than one per
    response."""
    answers: dict[int, list[Answer]] = {}
    for answer in (
        Answer.objects.filter(response__enrolment__participant=person)
        .select_related("item")
        .order_by("item__order", "pk")
    ):
        answers.setdefault(answer.response_id, []).append(answer)
    return answers


def _enrolment_records(
    person: Participant, answers: dict[int, list[Answer]]
) -> list[dict[str, Any]]:
    """Each of the participant's enrolments with its follow-ups and its
    questionnaire responses (their answers from ``answers``)."""
    enrolments = (
        Enrolment.objects.filter(participant=person)
        .select_related("course__activity")
        .prefetch_related("follow_ups", "responses__questionnaire")
        .order_by("start", "pk")
    )
    return [
        {
            "activity": e.course.activity.name,
            "course": e.course.name,
            "role": e.role,
            "start": _date(e.start),
            "end": _date(e.end),
            "outcome": e.outcome or None,
            "goal_set": e.goal_set,
            "goal_reached": e.goal_reached,
            # Sorted in Python: an order_by here would query again instead
            # of using the prefetched rows.
            "follow_ups": [
                {
                    "due": _date(f.due),
                    "done": _date(f.done),
                    "outcome": f.outcome,
                    "positive": f.positive,
                }
                for f in sorted(e.follow_ups.all(), key=lambda f: f.due)
            ],
            "responses": [
                {
                    "questionnaire": r.questionnaire.name,
                    "phase": r.phase,
                    "date": _date(r.date),
                    "answers": [
                        {"question": a.item.text, "value": a.value}
                        for a in answers.get(r.pk, [])
                    ],
                }
                for r in sorted(e.responses.all(), key=lambda r: (r.date, r.pk))
            ],
        }
        for e in enrolments
    ]


@transaction.atomic
def participant_export(
    *, plan: Plan, code: str, actor: Actor, note: str = ""
) -> dict[str, Any]:
    """Everything about the participant with ``code``, for a request of
    access (or to move the data); the export is logged."""
    person = participant_get(plan=plan, code=code)
    record = participant_record(plan=plan, participant=person)
    access_log(
        user=actor.user,
        username=actor.username,
        plan=plan,
        action=Action.EXPORT,
        participants=[person],
        object_type="participant",
        object_id=person.pk,
        purpose=Purpose.ACCESS_REQUEST,
        purpose_note=note,
    )
    return record


# ---------------------------------------------------------------- deleting


def _files_delete_on_commit(names: Collection[str]) -> None:
    """Remove files from the storage once the deletion of their rows has
    committed (a rolled-back erasure keeps them), unless another row still
    refers to the same file."""

    def remove() -> None:
        still_used = set(
            Evidence.objects.filter(file__in=names).values_list("file", flat=True)
        )
        for name in sorted(set(names) - still_used):
            default_storage.delete(name)

    if names:
        transaction.on_commit(remove)


# What the admin's history says instead of a deleted person's name.
ERASED_TEXT = "slettet efter anmodning"
RETAINED_TEXT = "slettet efter opbevaringsfristen"


def _history_delete(deleted: dict[type[models.Model], Collection[int]]) -> int:
    """The admin's change history about the deleted rows: its entries name
    them (``object_repr`` is e.g. "D-7KQ2MA Ali")."""
    removed = 0
    for model, ids in deleted.items():
        if not ids:
            continue
        content_type = ContentType.objects.get_for_model(model)
        removed += LogEntry.objects.filter(
            content_type=content_type, object_id__in=[str(pk) for pk in ids]
        ).delete()[0]
    return removed


def _historical(model: type[models.Model]) -> models.QuerySet[Any]:
    """All historical rows of ``model`` (its change history)."""
    return get_history_model_for_model(model).objects.all()


def _history_ids(model: type[models.Model], **where: Any) -> set[int]:
    """The ids of rows of ``model`` that match ``where`` now or did once."""
    return set(_historical(model).filter(**where).values_list("id", flat=True))


def _names_of(deleted: dict[type[models.Model], Collection[int]]) -> set[str]:
    """What names the deleted people in other rows' history: every
    participant's code and initials together ("D-7KQ2MA Ali", the form in
    which the admin writes them, also inside an enrolment's or an
    attendance's name), each code alone, and each household's code."""
    names: set[str] = set()
    people = deleted.get(Participant) or ()
    for code, initials in Participant.objects.filter(pk__in=people).values_list(
        "code", "initials"
    ):
        names.add(code)
        if initials:
            names.add(f"{code} {initials}".strip())
    households = deleted.get(Household) or ()
    names |= set(
        Household.objects.filter(pk__in=households).values_list("code", flat=True)
    )
    return {name for name in names if name.strip()}


def _message_scrub(message: str, names: Collection[str], text: str) -> str:
    """``message`` (the admin's change message: a JSON list such as
    ``[{"added": {"name": "attendance", "object": "D-7KQ2MA Ali @ …"}}]``,
    or an older free text) with every object that names someone in
    ``names`` replaced by ``text``; a message that still names someone
    after that becomes ``text`` as a whole."""

    def names_someone(value: str) -> bool:
        folded = value.casefold()
        return any(name.casefold() in folded for name in names)

    try:
        parsed = json.loads(message)
    except ValueError:
        parsed = None
    if isinstance(parsed, list):
        for item in parsed:
            if not isinstance(item, dict):
                continue
            for detail in item.values():
                if (
                    isinstance(detail, dict)
                    and isinstance(detail.get("object"), str)
                    and names_someone(detail["object"])
                ):
                    detail["object"] = text
        message = json.dumps(parsed)
    return text if names_someone(message) else message


def _history_scrub(names: Collection[str], text: str) -> int:
    """The other rows' history that names a deleted person (a session's
    attendance saved in the admin, an enrolment added with a course, an
    entry left from when participants were in the admin): the name
    becomes ``text``. Returns how many entries were rewritten."""
    if not names:
        return 0
    found: dict[int, LogEntry] = {}
    ordered = sorted(names)
    for start in range(0, len(ordered), 100):
        query = models.Q()
        for name in ordered[start : start + 100]:
            query |= models.Q(object_repr__icontains=name)
            query |= models.Q(change_message__icontains=name)
        for entry in LogEntry.objects.filter(query).only(
            "pk", "object_repr", "change_message"
        ):
            found[entry.pk] = entry
    for entry in found.values():
        folded = entry.object_repr.casefold()
        if any(name.casefold() in folded for name in names):
            entry.object_repr = text
        entry.change_message = _message_scrub(entry.change_message, names, text)
    LogEntry.objects.bulk_update(
        list(found.values()), ["object_repr", "change_message"], batch_size=500
    )
    return len(found)


def _ids(queryset: models.QuerySet[Any]) -> list[int]:
    return list(queryset.values_list("pk", flat=True))


@dataclass
class Deletion:
    """The rows one erasure or one retention run deletes, by kind."""

    ids: dict[type[models.Model], set[int]] = field(default_factory=dict)
    files: set[str] = field(default_factory=set)
    # Activities whose registrations all go (retention): their history too.
    activities: set[int] = field(default_factory=set)
    # Plans whose participants all go (retention at the plan's end): every
    # participant they ever had, in the history too.
    plans: set[int] = field(default_factory=set)

    def counts(self) -> Counter[str]:
        names = {
            Participant: "participants",
            Household: "households",
            Enrolment: "enrolments",
            Attendance: "attendance",
            Contact: "contacts",
            FollowUp: "follow_ups",
            Response: "responses",
            Answer: "answers",
            Evidence: "evidence_files",
        }
        return Counter({names[m]: len(ids) for m, ids in self.ids.items()})

    def add(self, model: type[models.Model], ids: Iterable[int]) -> None:
        self.ids.setdefault(model, set()).update(ids)

    def merge(self, other: Deletion) -> None:
        for model, ids in other.ids.items():
            self.add(model, ids)
        self.files |= other.files
        self.activities |= other.activities
        self.plans |= other.plans

    def add_registrations(
        self,
        *,
        enrolments: models.QuerySet[Enrolment],
        attendance: models.QuerySet[Attendance],
        contacts: models.QuerySet[Contact],
    ) -> None:
        enrolment_ids = _ids(enrolments)
        self.add(Enrolment, enrolment_ids)
        self.add(
            FollowUp, _ids(FollowUp.objects.filter(enrolment_id__in=enrolment_ids))
        )
        response_ids = _ids(Response.objects.filter(enrolment_id__in=enrolment_ids))
        self.add(Response, response_ids)
        self.add(Answer, _ids(Answer.objects.filter(response_id__in=response_ids)))
        self.add(Attendance, _ids(attendance))
        self.add(Contact, _ids(contacts))

    def add_evidence(self, evidence: models.QuerySet[Evidence]) -> None:
        rows = list(evidence.values_list("pk", "file"))
        self.add(Evidence, [pk for pk, _name in rows])
        self.files |= {name for _pk, name in rows if name}

    def apply(self, *, history_text: str) -> None:
        """Delete the rows (children first; the cascades would too) and
        their admin history, and put ``history_text`` where the rest of
        the admin's history names a deleted person; files go after the
        commit."""
        names = _names_of(self.ids)
        order = (
            Answer,
            Response,
            FollowUp,
            Attendance,
            Contact,
            Enrolment,
            Evidence,
            Participant,
            Household,
        )
        for model in order:
            ids = self.ids.get(model)
            if ids:
                model._default_manager.filter(pk__in=ids).delete()
        _history_delete(self.ids)
        self.change_history_delete()
        _history_scrub(names, history_text)
        _files_delete_on_commit(self.files)

    def change_history_delete(self) -> int:
        """Every historical row (the change history) of the deleted rows,
        the rows their deletion just recorded included, and of what they
        were before: attendance, enrolments and contacts of a deleted
        participant that had been removed earlier are in the history only,
        under their participant; their follow-ups under those enrolments;
        an activity's earlier attendance, enrolments and contacts under its
        sessions, courses and the activity itself."""
        people = self.ids.get(Participant, set()) | _history_ids(
            Participant, plan_id__in=self.plans
        )
        activities = self.activities
        enrolments = _historical(Enrolment).filter(
            models.Q(id__in=self.ids.get(Enrolment, set()))
            | models.Q(participant_id__in=people)
            | models.Q(course_id__in=_history_ids(Course, activity_id__in=activities))
        )
        enrolment_ids = set(enrolments.values_list("id", flat=True))
        purges: list[models.QuerySet[Any]] = [
            _historical(FollowUp).filter(
                models.Q(id__in=self.ids.get(FollowUp, set()))
                | models.Q(enrolment_id__in=enrolment_ids)
            ),
            _historical(Attendance).filter(
                models.Q(id__in=self.ids.get(Attendance, set()))
                | models.Q(participant_id__in=people)
                | models.Q(
                    session_id__in=_history_ids(Session, activity_id__in=activities)
                )
            ),
            _historical(Contact).filter(
                models.Q(id__in=self.ids.get(Contact, set()))
                | models.Q(participant_id__in=people)
                | models.Q(activity_id__in=activities, participant_id__isnull=False)
            ),
            enrolments,
            _historical(Participant).filter(id__in=people),
        ]
        removed = 0
        for query in purges:
            # Historical rows have no signals and nothing refers to them:
            # one DELETE each.
            removed += query.delete()[0]
        return removed


# ---------------------------------------------------------------- erasure


@dataclass(frozen=True, slots=True)
class ErasureSummary:
    """What erasing one participant deletes (or, unapplied, would)."""

    code: str
    counts: Counter[str]
    applied: bool


def _erasure(
    plan: Plan, person: Participant, evidence_ids: Collection[int]
) -> Deletion:
    deletion = Deletion()
    deletion.add(Participant, [person.pk])
    deletion.add_registrations(
        enrolments=Enrolment.objects.filter(participant=person),
        attendance=Attendance.objects.filter(participant=person),
        contacts=Contact.objects.filter(participant=person),
    )
    household = person.household
    if household is not None and not household.members.exclude(pk=person.pk).exists():
        deletion.add(Household, [household.pk])
    if evidence_ids:
        named = Evidence.objects.filter(plan=plan, pk__in=evidence_ids)
        missing = set(evidence_ids) - set(named.values_list("pk", flat=True))
        if missing:
            raise ValueError(f"no evidence {sorted(missing)} in {plan.slug}")
        # Every copy of the same file goes too.
        copies = Evidence.objects.filter(
            plan=plan, sha256__in=named.values_list("sha256", flat=True)
        )
        deletion.add_evidence(copies)
    return deletion


@transaction.atomic
def participant_erase(
    *,
    plan: Plan,
    code: str,
    reason: str,
    actor: Actor,
    evidence_ids: Collection[int] = (),
    apply: bool = True,
) -> ErasureSummary:
    """Erase the participant with ``code``: their row, their enrolments,
    attendance, contacts, follow-ups, questionnaire answers, their
    household when no one else is in it, the named evidence files (photos
    that show them; the system cannot tell which do) with every copy of
    them, and the admin's history about all of these. The erasure is
    logged with who and why. Counts in issued reports are snapshots and do
    not change; live counts drop by the erased participant.

    With ``apply=False`` nothing is deleted: the summary says what would
    be.
    """
    if not reason.strip():
        raise ValueError("an erasure needs a reason")
    person = participant_get(plan=plan, code=code)
    deletion = _erasure(plan, person, evidence_ids)
    if apply:
        access_log(
            user=actor.user,
            username=actor.username,
            plan=plan,
            action=Action.ERASE,
            participants=[person],
            object_type="participant",
            object_id=person.pk,
            purpose=Purpose.ERASURE,
            purpose_note=reason,
        )
        deletion.apply(history_text=ERASED_TEXT)
    return ErasureSummary(code=person.code, counts=deletion.counts(), applied=apply)


# ---------------------------------------------------------------- retention


def months_after(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, or that month's last day."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def retention_months(plan: Plan) -> int:
    rule = RetentionRule.objects.filter(plan=plan).first()
    return rule.months if rule is not None else DEFAULT_RETENTION_MONTHS


@dataclass(frozen=True, slots=True)
class ActivityRetention:
    """One activity's retention: when it ended (a sub-activity ends no
    earlier than its parent, whose counts include it), the last day its
    registrations are kept, and whether that day has passed."""

    activity: Activity
    ended: datetime.date
    keep_until: datetime.date
    due: bool


@dataclass
class RetentionReview:
    """What retention deletes in one plan as of ``today`` (or, applied,
    deleted)."""

    plan: Plan
    months: int
    today: datetime.date
    keep_until: datetime.date
    due: bool
    activities: list[ActivityRetention]
    counts: Counter[str]
    by_activity: dict[int, Counter[str]]
    frozen: list[str]
    applied: bool = False


def _activity_retention(
    plan: Plan, months: int, today: datetime.date
) -> list[ActivityRetention]:
    activities = list(
        Activity.objects.filter(plan=plan).select_related("parent").order_by("pk")
    )
    result = []
    for activity in activities:
        ended = activity.period_end(plan)
        if activity.parent is not None:
            ended = max(ended, activity.parent.period_end(plan))
        keep_until = months_after(ended, months)
        result.append(
            ActivityRetention(
                activity=activity,
                ended=ended,
                keep_until=keep_until,
                due=today > keep_until,
            )
        )
    return result


def _activity_deletion(activity: Activity) -> Deletion:
    deletion = Deletion(activities={activity.pk})
    deletion.add_registrations(
        enrolments=Enrolment.objects.filter(course__activity=activity),
        attendance=Attendance.objects.filter(session__activity=activity),
        contacts=Contact.objects.filter(activity=activity, participant__isnull=False),
    )
    deletion.add_evidence(
        Evidence.objects.filter(
            models.Q(activity=activity)
            | models.Q(session__activity=activity)
            | models.Q(criterion__activity=activity)
        )
    )
    return deletion


def _linked_activities(plan: Plan) -> dict[int, set[int]]:
    """Each participant of ``plan`` and the activities they are registered
    in (enrolled, present or contacted)."""
    links: dict[int, set[int]] = {}
    for query, path in (
        (Enrolment.objects.filter(participant__plan=plan), "course__activity_id"),
        (Attendance.objects.filter(participant__plan=plan), "session__activity_id"),
        (Contact.objects.filter(participant__plan=plan), "activity_id"),
    ):
        for person, activity in query.values_list("participant_id", path):
            links.setdefault(person, set()).add(activity)
    return links


def _retention(plan: Plan, today: datetime.date) -> tuple[RetentionReview, Deletion]:
    months = retention_months(plan)
    activities = _activity_retention(plan, months, today)
    last_end = max([plan.end, *(a.ended for a in activities)])
    keep_until = months_after(last_end, months)
    plan_due = today > keep_until
    due_ids = {a.activity.pk for a in activities if a.due or plan_due}

    total = Deletion()
    by_activity: dict[int, Counter[str]] = {}
    for item in activities:
        if item.activity.pk in due_ids:
            step = _activity_deletion(item.activity)
            by_activity[item.activity.pk] = step.counts()
            total.merge(step)

    if plan_due:
        people = _ids(Participant.objects.filter(plan=plan))
        total.plans.add(plan.pk)
        total.add(Household, _ids(Household.objects.filter(plan=plan)))
        total.add_evidence(Evidence.objects.filter(plan=plan))
        total.add_registrations(
            enrolments=Enrolment.objects.filter(participant__plan=plan),
            attendance=Attendance.objects.filter(participant__plan=plan),
            contacts=Contact.objects.filter(participant__plan=plan),
        )
    else:
        # Someone registered only in activities past their time goes; a
        # participant not (yet) registered anywhere stays with the plan.
        links = _linked_activities(plan)
        people = [
            person for person, linked in sorted(links.items()) if linked <= due_ids
        ]
        leaving = set(people)
        households = (
            Household.objects.filter(plan=plan, members__pk__in=leaving)
            .distinct()
            .prefetch_related("members")
        )
        total.add(
            Household,
            [h.pk for h in households if {m.pk for m in h.members.all()} <= leaving],
        )
    total.add(Participant, people)

    frozen = [
        c.ident
        for c in Criterion.objects.filter(plan=plan, activity_id__in=due_ids)
        .exclude(measure={})
        .order_by("order")
    ]
    review = RetentionReview(
        plan=plan,
        months=months,
        today=today,
        keep_until=keep_until,
        due=plan_due,
        activities=activities,
        counts=total.counts(),
        by_activity=by_activity,
        frozen=frozen,
    )
    return review, total


def retention_review(*, plan: Plan, today: datetime.date) -> RetentionReview:
    """What the plan's retention rule deletes as of ``today``: the
    registrations of every activity whose end lies more than the rule's
    months back; each participant registered only in such activities (with
    their household once no member is left); and, once the plan itself
    (its last activity included) is that long over, every participant,
    household and evidence file of the plan. Nothing is deleted."""
    return _retention(plan, today)[0]


def _criteria_freeze(plan: Plan, idents: Collection[str], today: datetime.date) -> None:
    """Turn criteria counted from registrations into reported values with
    the same numbers, before the registrations go: the verdicts, and the
    discretion of counts of persons, stay as they were. (Reported values a
    measured criterion carried were not used, and are replaced.)"""
    if not idents:
        return
    series = {
        item.ident: item.series for item in criterion_inputs(plan=plan, as_of=today)
    }
    for criterion in Criterion.objects.filter(plan=plan, ident__in=idents):
        kind = MeasureKind(criterion.measure["kind"])
        criterion.reported_values.all().delete()
        bulk_create_with_history(
            [
                ReportedValue(
                    criterion=criterion,
                    period=point.period.code,
                    period_start=point.period.start,
                    period_end=point.period.end,
                    value=point.value,
                    numerator=point.numerator,
                    denominator=point.denominator,
                    note=point.note,
                    flags=sorted(flag.value for flag in point.flags),
                    source="Optalt fra registreringerne før sletning",
                    order=order,
                )
                for order, point in enumerate(series.get(criterion.ident, ()))
            ],
            ReportedValue,
            default_user=acting_user(),
            default_change_reason=change_reason() or "retention",
        )
        criterion.counts_persons = criterion.counts_persons or kind in PERSON_MEASURES
        criterion.measure = {}
        criterion.save(update_fields=["measure", "counts_persons"])
    # A criterion form opened before this is refused instead of putting the
    # measure back (fremdrift.base.versioning).
    versions_bump(Criterion.objects.filter(plan=plan, ident__in=idents))


@transaction.atomic
def retention_apply(
    *, plan: Plan, today: datetime.date, actor: Actor
) -> RetentionReview:
    """Delete what ``retention_review`` finds, after freezing the criteria
    counted from it; log each activity whose registrations went and each
    participant deleted."""
    review, deletion = _retention(plan, today)
    review.applied = True
    if not sum(review.counts.values()) and not review.frozen:
        return review
    _criteria_freeze(plan, review.frozen, today)
    note = f"{review.months} md. efter slut"
    for item in review.activities:
        if sum(review.by_activity.get(item.activity.pk, Counter()).values()):
            access_log(
                user=actor.user,
                username=actor.username,
                plan=plan,
                action=Action.RETENTION,
                object_type="activity",
                object_id=item.activity.pk,
                purpose=Purpose.RETENTION,
                purpose_note=note,
            )
    people = Participant.objects.filter(
        pk__in=deletion.ids.get(Participant, set())
    ).only("pk", "code", "plan_id")
    if people:
        access_log(
            user=actor.user,
            username=actor.username,
            plan=plan,
            action=Action.RETENTION,
            participants=list(people),
            object_type="participant",
            purpose=Purpose.RETENTION,
            purpose_note=note,
        )
    deletion.apply(history_text=RETAINED_TEXT)
    if review.due:
        _orphan_files_delete(plan)
    return review


def _orphan_files_delete(plan: Plan) -> None:
    """Once the whole plan is past its time: any file left in the plan's
    evidence folder that no row refers to (a deletion whose file removal
    failed) goes too."""
    folder = f"evidence/{plan.pk}"

    def sweep() -> None:
        try:
            _dirs, files = default_storage.listdir(folder)
        except FileNotFoundError:
            return
        used = set(Evidence.objects.filter(plan=plan).values_list("file", flat=True))
        for name in files:
            path = f"{folder}/{name}"
            if path not in used:
                default_storage.delete(path)

    transaction.on_commit(sweep)
