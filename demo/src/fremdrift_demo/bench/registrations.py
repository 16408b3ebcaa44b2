"""One generated activity's registrations, by the way it works (see
``catalogue.Archetype``): courses term by term with small groups, weekly
sessions that skip school holidays (so fewer in July and around
Christmas), late joiners, drop-outs and moves, goals, questionnaires
before and after and follow-ups; open club evenings with regulars who come
and go; communal dinners with a head count; outreach contacts.

Everything after ``until`` is left out, as a running plan would have it:
a course under way has no outcomes yet and no after-questionnaires.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field

from fremdrift.registrations.models import (
    Answer,
    Attendance,
    Contact,
    Course,
    Enrolment,
    FollowUp,
    Questionnaire,
    QuestionnaireItem,
    Response,
    Session,
)
from fremdrift_demo.eksempelby import school_holiday
from fremdrift_demo.eksempelby.offers import CHANGE, TEMPLATES, YES_NO

from .catalogue import Archetype
from .people import Person, Residents
from .writer import BulkWriter

D = datetime.date
DAY = datetime.timedelta(days=1)
WEEK = datetime.timedelta(weeks=1)
# Share of an enrolment's sessions a participant comes to, on average,
# used to size the groups from the attendance budget.
MEAN_PRESENCE = 0.6


@dataclass
class Drawn:
    """What an activity's generation produced, for scaling its criteria's
    targets to it (a target of "at least 60 children" fits a café that
    reached 55 or 70, not one that reached 600)."""

    unique: set[int] = field(default_factory=set)
    households: set[int] = field(default_factory=set)
    courses: int = 0
    sessions_year: Counter[int] = field(default_factory=Counter)
    unique_year: dict[int, set[int]] = field(default_factory=dict)
    new_year: Counter[int] = field(default_factory=Counter)
    contacts: int = 0
    bridges: int = 0

    def count(self, of: str) -> int:
        """The expected size behind a target (per year: the smallest full
        year's)."""
        years = {
            "sessions_year": self.sessions_year,
            "unique_year": Counter({y: len(s) for y, s in self.unique_year.items()}),
            "new_year": self.new_year,
        }
        if of in years:
            values = list(years[of].values())
            return min(values[1:-1] or values or [0])
        return {
            "unique": len(self.unique),
            "households": len(self.households),
            "courses": self.courses,
            "contacts": self.contacts,
            "bridges": self.bridges,
        }[of]


def terms(start: D, end: D) -> list[tuple[str, D, D]]:
    """Half school years (spring January-June, autumn August-December)
    overlapping [start, end], clipped to it."""
    result = []
    for year in range(start.year, end.year + 1):
        for name, first, last in (
            (f"forår {year}", D(year, 1, 6), D(year, 6, 24)),
            (f"efterår {year}", D(year, 8, 11), D(year, 12, 19)),
        ):
            first, last = max(first, start), min(last, end)
            if (last - first).days >= 28:
                result.append((name, first, last))
    return result


def weekly(first: D, count: int, last: D) -> list[D]:
    """Up to ``count`` weekly dates from ``first`` to ``last``, skipping
    school holidays."""
    dates: list[D] = []
    day = first
    while len(dates) < count and day <= last:
        if not school_holiday(day):
            dates.append(day)
        day += WEEK
    return dates


def season(day: D) -> float:
    """Fewer come in December and just before the summer holiday."""
    if day.month == 12:
        return 0.82
    if day.month == 6:
        return 0.9
    return 1.0


class ActivityGenerator:
    """Writes one activity's registrations through ``writer``."""

    def __init__(
        self,
        rng: random.Random,
        writer: BulkWriter,
        residents: Residents,
        until: D,
    ) -> None:
        self.rng = rng
        self.writer = writer
        self.residents = residents
        self.until = until
        self.attendance = writer.table(
            Attendance, ("id", "session_id", "participant_id")
        )
        self.answers = writer.table(Answer, ("id", "response_id", "item_id", "value"))

    def run(
        self, archetype: Archetype, activity: int, start: D, end: D, budget: int
    ) -> Drawn:
        drawn = Drawn()
        end = min(end, self.until)
        if end <= start:
            return drawn
        if archetype.mode in ("course", "family"):
            self._courses(archetype, activity, start, end, budget, drawn)
        elif archetype.mode == "club":
            self._club(archetype, activity, start, end, budget, drawn)
        elif archetype.mode == "dining":
            self._dining(activity, start, end, drawn)
        else:
            self._outreach(archetype, activity, start, end, drawn)
        return drawn

    # -- courses ------------------------------------------------------------

    def _questionnaire(self, archetype: Archetype, activity: int) -> tuple[int, list]:  # type: ignore[type-arg]
        if archetype.questionnaire is None:
            return 0, []
        template = TEMPLATES[archetype.questionnaire]
        pk = self.writer.add(Questionnaire, activity_id=activity, name=template.name)
        items = [
            (
                self.writer.add(
                    QuestionnaireItem,
                    questionnaire_id=pk,
                    text=text,
                    scale=scale,
                    purpose=purpose,
                    order=n,
                ),
                scale,
                purpose,
            )
            for n, (text, scale, purpose) in enumerate(template.items)
        ]
        return pk, items

    def _courses(
        self,
        archetype: Archetype,
        activity: int,
        start: D,
        end: D,
        budget: int,
        drawn: Drawn,
    ) -> None:
        rng = self.rng
        # The last term may run past ``until``: plan it whole, cut later.
        plan_end = end if end < self.until else end + 26 * WEEK
        spans = terms(start, plan_end)
        if not spans:
            return
        low, high = archetype.group
        per_group = (low + high) / 2 * (3.1 if archetype.mode == "family" else 1)
        groups = max(
            1,
            round(
                budget / (len(spans) * archetype.sessions * per_group * MEAN_PRESENCE)
            ),
        )
        questionnaire, items = self._questionnaire(archetype, activity)
        last: dict[int, list[Person]] = {}
        for term, first, term_end in spans:
            taken: set[Person] = set()
            for g in range(groups):
                offset = DAY * rng.randint(0, 4) + WEEK * (g % 3)
                dates = weekly(first + offset, archetype.sessions, term_end)
                if len(dates) < 3 or dates[0] > self.until:
                    continue
                name = f"{archetype.name} hold {g + 1}, {term}"
                size = rng.randint(low, high)
                if archetype.mode == "family":
                    families = self.residents.families_with_children(
                        dates[0].year, archetype.ages, size, taken
                    )
                    units = [
                        [(p, "parent") for p in f.parents]
                        + [(c, "child") for c in f.children[:2]]
                        for f in families
                    ]
                else:
                    people = self.residents.pick(
                        dates[0].year,
                        archetype.ages,
                        size,
                        taken,
                        last.get(g, ()),
                        0.45,
                    )
                    last[g] = people
                    units = [[(p, archetype.role)] for p in people]
                if units:
                    self._course(
                        archetype, activity, name, dates, units, questionnaire, items,
                        drawn,
                    )  # fmt: skip

    def _course(
        self,
        archetype: Archetype,
        activity: int,
        name: str,
        dates: list[D],
        units: list[list[tuple[Person, str]]],
        questionnaire: int,
        items: list,  # type: ignore[type-arg]
        drawn: Drawn,
    ) -> None:
        rng, writer, until = self.rng, self.writer, self.until
        course = writer.add(
            Course,
            activity_id=activity,
            name=name,
            start=dates[0],
            end=dates[-1],
            planned_sessions=len(dates),
            completion_rule=archetype.rule[0],
            completion_value=archetype.rule[1],
        )
        drawn.courses += 1
        sessions = []
        for day in dates:
            if day > until:
                break
            sessions.append(
                writer.add(
                    Session,
                    activity_id=activity,
                    course_id=course,
                    date=day,
                    duration_minutes=90,
                    theme="",
                )
            )
            drawn.sessions_year[day.year] += 1
        n, held = len(dates), len(sessions)
        ended = dates[-1] <= until
        drop_rate = rng.uniform(0.08, 0.22)
        mood = [season(day) * rng.uniform(0.88, 1.0) for day in dates]
        for unit in units:
            first = rng.randint(1, min(4, n - 2)) if rng.random() < 0.1 else 0
            share = (
                rng.uniform(0.72, 0.97) if rng.random() < 0.8 else rng.uniform(0.3, 0.7)
            )
            stop, outcome, left = n, Enrolment.Outcome.COMPLETED.value, None
            fate = rng.random()
            if fate < 0.03 and n - first > 3:
                stop = rng.randint(first + 1, n - 1)
                outcome, left = Enrolment.Outcome.MOVED_AWAY.value, dates[stop - 1]
            elif fate < 0.03 + drop_rate and n - first > 3:
                stop = rng.randint(first + 1, n - 2)
                outcome, left = Enrolment.Outcome.DROPPED_OUT.value, dates[stop - 1]
                share *= 0.8
            present = [
                i
                for i in range(first, min(stop, held))
                if rng.random() < share * mood[i]
            ]
            known = (left is not None and left <= until) or ended
            for person, role in unit:
                if dates[first] > until:
                    continue
                goal_set = rng.random() < archetype.goal_set
                reached = None
                if goal_set and known:
                    chance = archetype.goal_reached * (
                        1 if outcome == Enrolment.Outcome.COMPLETED else 0.2
                    )
                    reached = rng.random() < chance
                enrolment = writer.add(
                    Enrolment,
                    course_id=course,
                    participant_id=person.pk,
                    role=role,
                    start=dates[first],
                    end=left if known and left is not None else None,
                    outcome=outcome if known else "",
                    goal_set=goal_set,
                    goal_reached=reached,
                )
                attended = (
                    present
                    if role != "child" or len(unit) == 1
                    else [i for i in present if rng.random() < 0.95]
                )
                rows = self.attendance.rows
                for i in attended:
                    rows.append((writer.new_id(Attendance), sessions[i], person.pk))
                if attended:
                    drawn.unique.add(person.pk)
                    if person.family is not None:
                        drawn.households.add(person.family.household)
                    else:
                        drawn.households.add(-person.pk)
                completed = known and outcome == Enrolment.Outcome.COMPLETED
                if questionnaire and (role != "child" or archetype.mode != "family"):
                    self._responses(
                        questionnaire, items, enrolment, dates[first],
                        dates[-1] if completed else None,
                    )  # fmt: skip
                if archetype.follow_up and completed and reached:
                    self._follow_up(enrolment, dates[-1])

    def _responses(
        self,
        questionnaire: int,
        items: list,  # type: ignore[type-arg]
        enrolment: int,
        started: D,
        finished: D | None,
    ) -> None:
        rng, writer = self.rng, self.writer
        change = [item for item in items if item[2] == CHANGE]
        before: list[int] = []
        if change and rng.random() < 0.78:
            response = writer.add(
                Response,
                questionnaire_id=questionnaire,
                enrolment_id=enrolment,
                phase=Response.Phase.PRE.value,
                date=started,
            )
            for pk, _scale, _purpose in change:
                value = rng.choices((1, 2, 3, 4, 5), (8, 27, 38, 22, 5))[0]
                before.append(value)
                self.answers.rows.append((writer.new_id(Answer), response, pk, value))
        if finished is None or finished > self.until or rng.random() >= 0.75:
            return
        response = writer.add(
            Response,
            questionnaire_id=questionnaire,
            enrolment_id=enrolment,
            phase=Response.Phase.POST.value,
            date=finished,
        )
        n = 0
        for pk, scale, purpose in items:
            if purpose == CHANGE:
                base = before[n] if before else 3
                n += 1
                step = rng.choices((-1, 0, 1, 2), (8, 27, 45, 20))[0]
                value = min(5, max(1, base + step))
            elif scale == YES_NO:
                value = 1 if rng.random() < 0.9 else 0
            else:
                value = rng.choices((1, 2, 3, 4, 5), (2, 4, 12, 40, 42))[0]
            self.answers.rows.append((writer.new_id(Answer), response, pk, value))

    def _follow_up(self, enrolment: int, ended: D) -> None:
        rng = self.rng
        due = ended + 13 * WEEK
        if due > self.until + 26 * WEEK:
            return
        done = due + DAY * rng.randint(0, 14)
        carried_out = done <= self.until and rng.random() < 0.9
        held = rng.random() < 0.7
        self.writer.add(
            FollowUp,
            enrolment_id=enrolment,
            due=due,
            done=done if carried_out else None,
            outcome=("Stadig i job" if held else "Stoppet") if carried_out else "",
            positive=held if carried_out else None,
        )

    # -- open activities --------------------------------------------------

    def _club(
        self,
        archetype: Archetype,
        activity: int,
        start: D,
        end: D,
        budget: int,
        drawn: Drawn,
    ) -> None:
        """A weekly club without enrolments: members come most weeks and
        leave after a while; newcomers join along the way."""
        rng, writer = self.rng, self.writer
        days = []
        day = start + DAY * ((2 - start.weekday()) % 7)
        while day <= end:
            if not school_holiday(day):
                days.append(day)
            day += WEEK
        if not days:
            return
        low, _high = archetype.group
        members = max(low, round(budget / (len(days) * 0.5)))
        taken: set[Person] = set()
        active = self.residents.pick(days[0].year, archetype.ages, members, taken)
        seen: set[int] = set()
        chance = {p.pk: rng.uniform(0.3, 0.75) for p in active}
        for day in days:
            if rng.random() < 0.04:
                # Now and then a member stops and someone new comes along.
                gone = rng.choice(active) if active else None
                newcomers = self.residents.pick(day.year, archetype.ages, 1, taken)
                if gone is not None and newcomers:
                    active.remove(gone)
                for person in newcomers:
                    active.append(person)
                    chance[person.pk] = rng.uniform(0.3, 0.75)
            session = writer.add(
                Session,
                activity_id=activity,
                course_id=None,
                date=day,
                duration_minutes=120,
                theme="",
            )
            drawn.sessions_year[day.year] += 1
            mood = season(day)
            year_set = drawn.unique_year.setdefault(day.year, set())
            for person in active:
                if rng.random() < chance[person.pk] * mood:
                    self.attendance.rows.append(
                        (writer.new_id(Attendance), session, person.pk)
                    )
                    if person.pk not in seen:
                        seen.add(person.pk)
                        drawn.new_year[day.year] += 1
                    year_set.add(person.pk)
                    drawn.unique.add(person.pk)

    def _dining(self, activity: int, start: D, end: D, drawn: Drawn) -> None:
        """Every other week, except in July and over Christmas; the number
        who came is counted at the door."""
        rng = self.rng
        day = start + DAY * ((4 - start.weekday()) % 7)
        while day <= end:
            christmas = (day.month == 12 and day.day > 15) or (
                day.month == 1 and day.day < 6
            )
            if day.month != 7 and not christmas:
                self.writer.add(
                    Session,
                    activity_id=activity,
                    course_id=None,
                    date=day,
                    duration_minutes=150,
                    theme="Fællesspisning",
                    headcount=max(4, round(rng.gauss(38, 10) * season(day))),
                )
                drawn.sessions_year[day.year] += 1
            day += 2 * WEEK

    def _outreach(
        self, archetype: Archetype, activity: int, start: D, end: D, drawn: Drawn
    ) -> None:
        """Two evening rounds a week: contacts with young people (known by
        name after a while, or counted), and bridge-buildings to clubs,
        schools and jobs now and then."""
        rng, writer = self.rng, self.writer
        known = self.residents.pick(start.year, archetype.ages, 60, set())
        day = start
        while day <= end:
            for _ in range(rng.randint(1, 2)):
                round_day = day + DAY * rng.randint(0, 6)
                if round_day > end:
                    continue
                for _ in range(rng.randint(2, 7)):
                    named = known and rng.random() < 0.6
                    writer.add(
                        Contact,
                        activity_id=activity,
                        date=round_day,
                        kind=Contact.Kind.CONTACT.value,
                        participant_id=rng.choice(known).pk if named else None,
                        anonymous_count=0 if named else rng.randint(1, 6),
                    )
                    drawn.contacts += 1 if named else 3
                if rng.random() < 0.2:
                    named = known and rng.random() < 0.8
                    writer.add(
                        Contact,
                        activity_id=activity,
                        date=round_day,
                        kind=Contact.Kind.BRIDGE.value,
                        participant_id=rng.choice(known).pk if named else None,
                        anonymous_count=0 if named else 1,
                    )
                    drawn.bridges += 1
            day += WEEK
