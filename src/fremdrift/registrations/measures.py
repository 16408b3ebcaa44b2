"""Measures computed from registrations by SQL aggregates.

Each function counts one measure for one activity (with its sub-activities)
over a window of days and a filter, in a fixed number of queries whatever
the number of rows; ``period_counts`` counts a report's period figures for
every activity of a plan at once. Definitions are in fremdrift.core.measures
and in docs/measures.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal

from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, ExtractMonth

from fremdrift.core.measures import (
    SATISFIED_LIKERT,
    MeasureFilter,
    MeasureKind,
    share_point,
)
from fremdrift.core.model import DataPoint, Period
from fremdrift.plans.models import Activity

from .models import (
    Answer,
    Attendance,
    Contact,
    Course,
    Enrolment,
    FollowUp,
    Participant,
    QuestionnaireItem,
    Response,
    Session,
)


def activity_ids(activity: Activity) -> list[int]:
    """The activity and its sub-activities: a parent's measure counts what
    its sub-activities registered. Without a query when the sub-activities
    were prefetched, as they are for a plan's measured criteria
    (``evaluation.selectors.criterion_inputs``)."""
    if "sub_activities" in getattr(activity, "_prefetched_objects_cache", {}):
        return [activity.pk, *(s.pk for s in activity.sub_activities.all())]
    return [activity.pk, *activity.sub_activities.values_list("pk", flat=True)]


def _participants(
    ids: list[int], period: Period, measure_filter: MeasureFilter
) -> QuerySet[Participant]:
    """Participants present at a session of the activity in the window,
    narrowed by the filter."""
    present = Attendance.objects.filter(
        session__activity_id__in=ids,
        session__date__gte=period.start,
        session__date__lte=period.end,
    ).values("participant_id")
    participants = Participant.objects.filter(pk__in=present)
    return _narrow(participants, ids, period, measure_filter)


def _narrow(
    participants: QuerySet[Participant],
    ids: list[int],
    period: Period,
    measure_filter: MeasureFilter,
) -> QuerySet[Participant]:
    earliest, latest = measure_filter.birth_years(period.end)
    if earliest is not None:
        participants = participants.filter(birth_year__gte=earliest)
    if latest is not None:
        participants = participants.filter(birth_year__lte=latest)
    if measure_filter.area:
        participants = participants.filter(area__slug=measure_filter.area)
    if measure_filter.role:
        # A semi-join, not a join: a participant enrolled twice in the role
        # is still one row, so no DISTINCT over the whole row is needed.
        participants = participants.filter(
            pk__in=Enrolment.objects.filter(
                course__activity_id__in=ids, role=measure_filter.role
            ).values("participant_id")
        )
    return participants


def unique_participants(
    ids: list[int], period: Period, measure_filter: MeasureFilter
) -> DataPoint:
    count = _participants(ids, period, measure_filter).count()
    return DataPoint(period=period, value=Decimal(count))


def new_participants(
    ids: list[int], period: Period, measure_filter: MeasureFilter
) -> DataPoint:
    """Participants present in the window who had never been present at
    the activity before it: the newcomers of a tertial."""
    count = _newcomers(ids, period, measure_filter).count()
    return DataPoint(period=period, value=Decimal(count))


def _newcomers(
    ids: list[int], period: Period, measure_filter: MeasureFilter
) -> QuerySet[Participant]:
    """The participants present in the window who were never present at
    the activity before it."""
    # NOT EXISTS, not NOT IN: PostgreSQL turns NOT IN (subquery) into a
    # filter on every participant of every plan (it must allow for NULLs),
    # NOT EXISTS into an anti-join from the few present in the window.
    earlier = Attendance.objects.filter(
        participant_id=OuterRef("pk"),
        session__activity_id__in=ids,
        session__date__lt=period.start,
    )
    return _participants(ids, period, measure_filter).filter(~Exists(earlier))


def unique_households(
    ids: list[int], period: Period, measure_filter: MeasureFilter
) -> DataPoint:
    """Households of the participants, each counted once; a participant
    without a household is a household of one."""
    participants = _participants(ids, period, measure_filter)
    households = (
        participants.exclude(household=None).values("household_id").distinct().count()
    )
    alone = participants.filter(household=None).count()
    return DataPoint(
        period=period,
        value=Decimal(households + alone),
        note=f"{alone} deltager(e) uden husstand tælles hver for sig" if alone else "",
    )


def sessions_held(
    ids: list[int], period: Period, measure_filter: MeasureFilter
) -> DataPoint:
    count = Session.objects.filter(
        activity_id__in=ids,
        date__gte=period.start,
        date__lte=period.end,
        cancelled=False,
    ).count()
    return DataPoint(period=period, value=Decimal(count))


def _held() -> Count:
    """A course's sessions that were held: a cancelled one (aflyst) was
    planned, not held."""
    return Count("sessions", filter=Q(sessions__cancelled=False))


def _courses_ended(ids: list[int], period: Period) -> QuerySet[Course]:
    """A course counts in the window it ends in, so it is counted once
    across periods."""
    return Course.objects.filter(
        activity_id__in=ids, end__gte=period.start, end__lte=period.end
    )


def courses_held(
    ids: list[int], period: Period, measure_filter: MeasureFilter
) -> DataPoint:
    """Courses that ended in the window, with at least ``min_sessions``
    sessions held when the filter says so."""
    courses = _courses_ended(ids, period).annotate(held=_held())
    if measure_filter.min_sessions:
        courses = courses.filter(held__gte=measure_filter.min_sessions)
    return DataPoint(period=period, value=Decimal(courses.count()))


def _enrolments(
    ids: list[int], period: Period, measure_filter: MeasureFilter
) -> QuerySet[Enrolment]:
    enrolments = Enrolment.objects.filter(
        course__in=_courses_ended(ids, period)
    ).exclude(outcome=Enrolment.Outcome.MOVED_AWAY)
    if measure_filter.role:
        enrolments = enrolments.filter(role=measure_filter.role)
    narrowed = _narrow(
        Participant.objects.all(),
        ids,
        period,
        MeasureFilter(
            age_min=measure_filter.age_min,
            age_max=measure_filter.age_max,
            area=measure_filter.area,
        ),
    )
    if measure_filter.age_min or measure_filter.age_max or measure_filter.area:
        enrolments = enrolments.filter(participant__in=narrowed)
    return enrolments


def completion_rate(
    ids: list[int], period: Period, measure_filter: MeasureFilter
) -> DataPoint:
    """Share of the enrolments in courses that ended in the window that
    completed by the course's rule. Sessions held count from the enrolment's
    start to its end (or the course's end); "at most 25 % absence" is met
    when absent x 100 <= 25 x held. An enrolment marked dropped out has not
    completed; one marked moved away is left out of both counts."""
    # One grouped join instead of a subquery per enrolment: the sessions of
    # the course inside the enrolment's span, and the participant's
    # attendance at exactly those sessions (unique per session and person,
    # so the counts need no DISTINCT).
    enrolments = (
        _enrolments(ids, period, measure_filter)
        .annotate(
            span=FilteredRelation(
                "course__sessions",
                condition=Q(course__sessions__date__gte=F("start"))
                & Q(course__sessions__date__lte=Coalesce(F("end"), F("course__end")))
                & Q(course__sessions__cancelled=False),
            )
        )
        .annotate(
            present=FilteredRelation(
                "span__attendance",
                condition=Q(span__attendance__participant=F("participant")),
            )
        )
        .annotate(held=Count("span"), attended=Count("present"))
    )
    # "At most N % absence" in whole numbers, so the boundary is exact:
    # attended x 100 >= held x (100 - N).
    enrolments = enrolments.annotate(
        attended_x100=F("attended") * Value(100),
        needed_x100=F("held") * (Value(100) - F("course__completion_value")),
    )
    by_absence = (
        Q(course__completion_rule=Course.CompletionRule.MAX_ABSENCE)
        & Q(held__gt=0)
        & Q(attended_x100__gte=F("needed_x100"))
    )
    by_sessions = Q(course__completion_rule=Course.CompletionRule.MIN_SESSIONS) & Q(
        attended__gte=F("course__completion_value")
    )
    counts = enrolments.aggregate(
        total=Count("pk"),
        completed=Count(
            "pk",
            filter=(by_absence | by_sessions)
            & ~Q(outcome=Enrolment.Outcome.DROPPED_OUT),
        ),
    )
    return share_point(period, counts["completed"], counts["total"])


def goal_reached_share(
    ids: list[int], period: Period, measure_filter: MeasureFilter
) -> DataPoint:
    counts = (
        _enrolments(ids, period, measure_filter)
        .filter(goal_set=True)
        .aggregate(total=Count("pk"), reached=Count("pk", filter=Q(goal_reached=True)))
    )
    return share_point(period, counts["reached"], counts["total"])


def improved_share(
    ids: list[int], period: Period, measure_filter: MeasureFilter
) -> DataPoint:
    """Share of enrolments with both a before and an after answer to the
    activity's change items whose mean answer rose.

    One grouped query gives every enrolment's mean per phase (a correlated
    subquery per enrolment took seconds on a national database)."""
    means: dict[int, dict[str, object]] = defaultdict(dict)
    for enrolment_id, phase, mean in (
        Answer.objects.filter(
            response__enrolment__in=_enrolments(ids, period, measure_filter),
            response__phase__in=(Response.Phase.PRE, Response.Phase.POST),
            item__purpose=QuestionnaireItem.Purpose.CHANGE,
        )
        .order_by()
        .values("response__enrolment_id", "response__phase")
        .annotate(mean=Avg("value"))
        .values_list("response__enrolment_id", "response__phase", "mean")
    ):
        means[enrolment_id][phase] = mean
    pairs = [
        (m[Response.Phase.PRE], m[Response.Phase.POST])
        for m in means.values()
        if m.get(Response.Phase.PRE) is not None
        and m.get(Response.Phase.POST) is not None
    ]
    improved = sum(post > pre for pre, post in pairs)  # type: ignore[operator]
    return share_point(period, improved, len(pairs))


def satisfied_share(
    ids: list[int], period: Period, measure_filter: MeasureFilter
) -> DataPoint:
    """Share of after-responses in the window whose mean satisfaction answer
    is "tilfreds" or better (4 of 5; yes on a yes/no item)."""
    responses = (
        Response.objects.filter(
            questionnaire__activity_id__in=ids,
            phase=Response.Phase.POST,
            date__gte=period.start,
            date__lte=period.end,
        )
        .annotate(
            likert=Avg(
                "answers__value",
                filter=Q(
                    answers__item__purpose=QuestionnaireItem.Purpose.SATISFACTION,
                    answers__item__scale=QuestionnaireItem.Scale.LIKERT5,
                ),
            ),
            yes_no=Avg(
                "answers__value",
                filter=Q(
                    answers__item__purpose=QuestionnaireItem.Purpose.SATISFACTION,
                    answers__item__scale=QuestionnaireItem.Scale.YES_NO,
                ),
            ),
        )
        .filter(Q(likert__isnull=False) | Q(yes_no__isnull=False))
    )
    if measure_filter.role:
        responses = responses.filter(enrolment__role=measure_filter.role)
    counts = responses.aggregate(
        total=Count("pk"),
        satisfied=Count(
            "pk",
            filter=Q(likert__gte=SATISFIED_LIKERT) | Q(yes_no__gte=0.5),
        ),
    )
    return share_point(period, counts["satisfied"], counts["total"])


def follow_up_rate(
    ids: list[int], period: Period, measure_filter: MeasureFilter
) -> DataPoint:
    """Share of follow-ups due in the window and carried out whose outcome
    held ("still in the job after 3 months")."""
    follow_ups = FollowUp.objects.filter(
        enrolment__course__activity_id__in=ids,
        due__gte=period.start,
        due__lte=period.end,
        done__isnull=False,
    )
    if measure_filter.role:
        follow_ups = follow_ups.filter(enrolment__role=measure_filter.role)
    counts = follow_ups.aggregate(
        total=Count("pk"), held=Count("pk", filter=Q(positive=True))
    )
    return share_point(period, counts["held"], counts["total"])


def _contacts(ids: list[int], period: Period, kind: str) -> QuerySet[Contact]:
    return Contact.objects.filter(
        activity_id__in=ids, kind=kind, date__gte=period.start, date__lte=period.end
    )


def contacts(
    ids: list[int], period: Period, measure_filter: MeasureFilter
) -> DataPoint:
    """Unique persons contacted, plus the anonymous head counts (which
    cannot be told apart, so each is counted as given)."""
    named = _narrow(
        Participant.objects.filter(
            pk__in=_contacts(ids, period, Contact.Kind.CONTACT).values("participant_id")
        ),
        ids,
        period,
        measure_filter,
    ).count()
    anonymous = (
        _contacts(ids, period, Contact.Kind.CONTACT).aggregate(
            n=Sum("anonymous_count")
        )["n"]
        or 0
    )
    return DataPoint(
        period=period,
        value=Decimal(named + anonymous),
        note=f"heraf {anonymous} uden navn" if anonymous else "",
    )


def bridge_buildings(
    ids: list[int], period: Period, measure_filter: MeasureFilter
) -> DataPoint:
    rows = _contacts(ids, period, Contact.Kind.BRIDGE).aggregate(
        named=Count("pk", filter=Q(participant__isnull=False)),
        anonymous=Sum("anonymous_count"),
    )
    return DataPoint(
        period=period, value=Decimal(rows["named"] + (rows["anonymous"] or 0))
    )


def mean_attendance(
    ids: list[int], period: Period, measure_filter: MeasureFilter
) -> DataPoint:
    """Mean number present per session (registered names plus head count)."""
    present = (
        Attendance.objects.filter(session=OuterRef("pk"))
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    sessions = Session.objects.filter(
        activity_id__in=ids,
        date__gte=period.start,
        date__lte=period.end,
        cancelled=False,
    ).annotate(
        present=Coalesce(Subquery(present, output_field=IntegerField()), Value(0))
        + Coalesce(F("headcount"), Value(0))
    )
    rows = sessions.aggregate(n=Count("pk"), total=Sum("present"))
    if not rows["n"]:
        return DataPoint(period=period, value=None, note="ingen mødegange")
    mean = Decimal(rows["total"] or 0) / Decimal(rows["n"])
    return DataPoint(
        period=period,
        value=mean.quantize(Decimal("0.1")),
        numerator=Decimal(rows["total"] or 0),
        denominator=Decimal(rows["n"]),
    )


MEASURES: dict[MeasureKind, Callable[[list[int], Period, MeasureFilter], DataPoint]] = {
    MeasureKind.UNIQUE_PARTICIPANTS: unique_participants,
    MeasureKind.NEW_PARTICIPANTS: new_participants,
    MeasureKind.UNIQUE_HOUSEHOLDS: unique_households,
    MeasureKind.SESSIONS_HELD: sessions_held,
    MeasureKind.COURSES_HELD: courses_held,
    MeasureKind.COMPLETION_RATE: completion_rate,
    MeasureKind.GOAL_REACHED_SHARE: goal_reached_share,
    MeasureKind.IMPROVED_SHARE: improved_share,
    MeasureKind.SATISFIED_SHARE: satisfied_share,
    MeasureKind.FOLLOW_UP_RATE: follow_up_rate,
    MeasureKind.CONTACTS: contacts,
    MeasureKind.BRIDGE_BUILDINGS: bridge_buildings,
    MeasureKind.MEAN_ATTENDANCE: mean_attendance,
}


def measure(
    kind: MeasureKind,
    activity: Activity,
    start: date,
    end: date,
    measure_filter: MeasureFilter | None = None,
    period: Period | None = None,
) -> DataPoint:
    """One measure for ``activity`` over [start, end]."""
    window = period or Period(f"{start.isoformat()}..{end.isoformat()}", start, end)
    return MEASURES[kind](
        activity_ids(activity), window, measure_filter or MeasureFilter()
    )


# The key of the head counts in ``period_counts``: persons counted at open
# sessions without names (``Session.headcount``), summed over the sessions.
HEADCOUNT = "headcount"


def period_counts(
    groups: Mapping[int, Sequence[int]], period: Period
) -> dict[int, dict[str, DataPoint]]:
    """What each group of activity ids (by the group's key: an activity and
    its sub-activities, as ``activity_ids`` gives them) registered in
    ``period``, unfiltered, in four queries whatever the number of groups:
    sessions held, unique participants and new participants (the values
    ``sessions_held``, ``unique_participants`` and ``new_participants``
    give one group at a time), contacts and bridge-buildings (as
    ``contacts`` and ``bridge_buildings`` count them: named persons once,
    anonymous head counts as given), and under ``HEADCOUNT`` the head
    counts of open sessions (the sum of ``Session.headcount``, persons
    counted without names, so they are not among the participants).

    The participants are gathered as (activity, participant) pairs, those
    present in the window and those of them present before it, so that a
    participant of two activities in one group counts once; so are the
    persons contacted."""
    every = {pk for ids in groups.values() for pk in ids}
    held, headcounts = _sessions_held(every, period)
    contacted, anonymous, bridges_named = _outreach(every, period)
    present, earlier = _present_and_earlier(every, period)
    result: dict[int, dict[str, DataPoint]] = {}
    for key, ids in groups.items():
        seen = set().union(*(present[pk] for pk in ids))
        before = set().union(*(earlier[pk] for pk in ids))
        persons = set().union(*(contacted[pk] for pk in ids))
        unnamed = sum(anonymous[(pk, Contact.Kind.CONTACT)] for pk in ids)
        bridges = sum(
            bridges_named[pk] + anonymous[(pk, Contact.Kind.BRIDGE)] for pk in ids
        )
        values = {
            MeasureKind.SESSIONS_HELD: sum(held.get(pk, 0) for pk in ids),
            MeasureKind.UNIQUE_PARTICIPANTS: len(seen),
            MeasureKind.NEW_PARTICIPANTS: len(seen - before),
            MeasureKind.CONTACTS: len(persons) + unnamed,
            MeasureKind.BRIDGE_BUILDINGS: bridges,
            HEADCOUNT: sum(headcounts.get(pk, 0) for pk in ids),
        }
        result[key] = {
            name: DataPoint(period=period, value=Decimal(value))
            for name, value in values.items()
        }
    return result


def _sessions_held(
    every: set[int], period: Period
) -> tuple[dict[int, int], dict[int, int]]:
    """Sessions held and their summed head counts, by activity, in one
    query."""
    held: dict[int, int] = {}
    headcounts: dict[int, int] = {}
    for activity_id, n, heads in (
        Session.objects.filter(
            activity_id__in=every,
            date__gte=period.start,
            date__lte=period.end,
            cancelled=False,
        )
        .order_by()
        .values("activity_id")
        .annotate(n=Count("pk"), heads=Sum("headcount"))
        .values_list("activity_id", "n", "heads")
    ):
        held[activity_id] = n
        headcounts[activity_id] = heads or 0
    return held, headcounts


def _outreach(
    every: set[int], period: Period
) -> tuple[dict[int, set[int]], dict[tuple[int, str], int], dict[int, int]]:
    """The persons contacted, the anonymous head counts by kind and the
    named bridge-buildings, by activity, in one query."""
    outreach = Contact.objects.filter(
        activity_id__in=every, date__gte=period.start, date__lte=period.end
    ).order_by()
    # One row per (activity, kind, person), the anonymous rows as one group
    # with no person: the persons contacted once each, the bridge-buildings
    # counted row by row, the head counts summed.
    contacted: dict[int, set[int]] = defaultdict(set)
    anonymous: dict[tuple[int, str], int] = defaultdict(int)
    bridges_named: dict[int, int] = defaultdict(int)
    for activity_id, kind, person, rows, unnamed in (
        outreach.values("activity_id", "kind", "participant_id")
        .annotate(rows=Count("pk"), unnamed=Sum("anonymous_count"))
        .values_list("activity_id", "kind", "participant_id", "rows", "unnamed")
    ):
        anonymous[(activity_id, kind)] += unnamed or 0
        if person is None:
            continue
        if kind == Contact.Kind.CONTACT:
            contacted[activity_id].add(person)
        else:
            bridges_named[activity_id] += rows
    return contacted, anonymous, bridges_named


def _present_and_earlier(
    every: set[int], period: Period
) -> tuple[dict[int, set[int]], dict[int, set[int]]]:
    """The participants present in ``period`` by activity, and those of them
    present before it, in two queries."""
    in_window = Attendance.objects.filter(
        session__activity_id__in=every,
        session__date__gte=period.start,
        session__date__lte=period.end,
    ).order_by()
    present: dict[int, set[int]] = defaultdict(set)
    for activity_id, person in in_window.values_list(
        "session__activity_id", "participant_id"
    ).distinct():
        present[activity_id].add(person)
    earlier: dict[int, set[int]] = defaultdict(set)
    for activity_id, person in (
        Attendance.objects.filter(
            session__activity_id__in=every,
            session__date__lt=period.start,
            participant_id__in=in_window.values("participant_id"),
        )
        .order_by()
        .values_list("session__activity_id", "participant_id")
        .distinct()
    ):
        earlier[activity_id].add(person)
    return present, earlier


# ---------------------------------------------------------------- event dates
#
# A count measure's value is a number of units (participants, households,
# sessions, courses, persons contacted); its forecast needs the day each
# unit was counted. Each function below returns one date per unit for the
# window, in one query, so that len(dates) equals the measure's value for
# the same window and filter.


def _attendance_in(
    ids: list[int], period: Period, participants: QuerySet[Participant]
) -> QuerySet[Attendance]:
    return Attendance.objects.filter(
        session__activity_id__in=ids,
        session__date__gte=period.start,
        session__date__lte=period.end,
        participant__in=participants,
    ).order_by()


def _first_days(rows: Iterable[tuple[Hashable, date]]) -> list[date]:
    """The earliest day per key."""
    first: dict[Hashable, date] = {}
    for key, day in rows:
        if key not in first or day < first[key]:
            first[key] = day
    return sorted(first.values())


def unique_participant_dates(
    ids: list[int], period: Period, measure_filter: MeasureFilter
) -> list[date]:
    """Each participant's first day present in the window."""
    rows = (
        _attendance_in(ids, period, _participants(ids, period, measure_filter))
        .values("participant_id")
        .annotate(first=Min("session__date"))
        .values_list("first", flat=True)
    )
    return sorted(rows)


def new_participant_dates(
    ids: list[int], period: Period, measure_filter: MeasureFilter
) -> list[date]:
    """Each newcomer's first day present (never present before the
    window)."""
    rows = (
        _attendance_in(ids, period, _newcomers(ids, period, measure_filter))
        .values("participant_id")
        .annotate(first=Min("session__date"))
        .values_list("first", flat=True)
    )
    return sorted(rows)


def unique_household_dates(
    ids: list[int], period: Period, measure_filter: MeasureFilter
) -> list[date]:
    """Each household's first day present (a participant without a
    household is a household of one)."""
    rows = (
        _attendance_in(ids, period, _participants(ids, period, measure_filter))
        .values("participant_id", "participant__household_id")
        .annotate(first=Min("session__date"))
        .values_list("participant_id", "participant__household_id", "first")
    )
    return _first_days(
        (("household", household) if household is not None else ("alone", person), day)
        for person, household, day in rows
    )


def session_dates(
    ids: list[int], period: Period, measure_filter: MeasureFilter
) -> list[date]:
    return sorted(
        Session.objects.filter(
            activity_id__in=ids,
            date__gte=period.start,
            date__lte=period.end,
            cancelled=False,
        )
        .order_by()
        .values_list("date", flat=True)
    )


def course_end_dates(
    ids: list[int], period: Period, measure_filter: MeasureFilter
) -> list[date]:
    """The end of each course counted by ``courses_held``."""
    courses = _courses_ended(ids, period).annotate(held=_held())
    if measure_filter.min_sessions:
        courses = courses.filter(held__gte=measure_filter.min_sessions)
    return sorted(courses.order_by().values_list("end", flat=True))


def contact_dates(
    ids: list[int], period: Period, measure_filter: MeasureFilter
) -> list[date]:
    """Each person's first contact in the window (among those the filter
    keeps), and each anonymous head count's day once per person counted."""
    kept = _narrow(
        Participant.objects.filter(pk=OuterRef("participant_id")),
        ids,
        period,
        measure_filter,
    )
    rows = (
        _contacts(ids, period, Contact.Kind.CONTACT)
        .annotate(kept=Exists(kept))
        .order_by()
        .values_list("participant_id", "date", "anonymous_count", "kept")
    )
    named: list[tuple[Hashable, date]] = []
    anonymous: list[date] = []
    for person, day, count, is_kept in rows:
        if person is not None and is_kept:
            named.append((person, day))
        anonymous.extend([day] * (count or 0))
    return sorted([*_first_days(named), *anonymous])


def bridge_building_dates(
    ids: list[int], period: Period, measure_filter: MeasureFilter
) -> list[date]:
    """The day of each bridge-building, once per person (named, or each of
    an anonymous head count)."""
    rows = (
        _contacts(ids, period, Contact.Kind.BRIDGE)
        .order_by()
        .values_list("date", "participant_id", "anonymous_count")
    )
    days: list[date] = []
    for day, person, count in rows:
        days.extend([day] * ((1 if person is not None else 0) + (count or 0)))
    return sorted(days)


EVENT_DATES: dict[
    MeasureKind, Callable[[list[int], Period, MeasureFilter], list[date]]
] = {
    MeasureKind.UNIQUE_PARTICIPANTS: unique_participant_dates,
    MeasureKind.NEW_PARTICIPANTS: new_participant_dates,
    MeasureKind.UNIQUE_HOUSEHOLDS: unique_household_dates,
    MeasureKind.SESSIONS_HELD: session_dates,
    MeasureKind.COURSES_HELD: course_end_dates,
    MeasureKind.CONTACTS: contact_dates,
    MeasureKind.BRIDGE_BUILDINGS: bridge_building_dates,
}


def event_dates(
    kind: MeasureKind,
    activity: Activity,
    start: date,
    end: date,
    measure_filter: MeasureFilter | None = None,
) -> list[date]:
    """One date per unit the count measure ``kind`` counts for ``activity``
    over [start, end], sorted: a participant's (or household's) first day
    present, a session's day, a course's last day, a person's first
    contact. The same units as ``measure`` (len equals its value), for a
    forecast of the count (``fremdrift.core.forecast``). Raises
    ``ValueError`` for a measure that is not a count (a share, a mean)."""
    if kind not in EVENT_DATES:
        raise ValueError(f"{kind} is not a count measure: it has no event dates")
    window = Period(f"{start.isoformat()}..{end.isoformat()}", start, end)
    return EVENT_DATES[kind](
        activity_ids(activity), window, measure_filter or MeasureFilter()
    )


def session_months(activities: Iterable[int], until: date) -> dict[int, frozenset[int]]:
    """The calendar months (1-12) in which each activity held sessions up
    to ``until``, in one query; an activity without sessions is left out.
    A parent's months are not merged with its sub-activities' here."""
    months: dict[int, set[int]] = {}
    rows = (
        Session.objects.filter(
            activity_id__in=list(activities), date__lte=until, cancelled=False
        )
        .annotate(month=ExtractMonth("date"))
        .order_by()
        .values_list("activity_id", "month")
        .distinct()
    )
    for activity, month in rows:
        months.setdefault(activity, set()).add(month)
    return {activity: frozenset(found) for activity, found in months.items()}
