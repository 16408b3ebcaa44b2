"""The per-activity generators of the demo registrations: courses term
by term (attendance, drop-outs, goals, questionnaires, follow-ups), the
family course, the communal dinners and the outreach, drafted for the whole
plan period before anything is cut at ``until``."""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from fremdrift.registrations.models import Contact, Course, Enrolment

from .calendar import DAY, MON, THU, TUE, WEEK, _add_months, _Term, _weekly
from .offers import CHANGE, TEMPLATES, THEMES, YES_NO, _Offer, _Template
from .people import _Household, _Person, _Residents

# --- what is generated, before it is cut at ``until`` ---------------------


@dataclass(eq=False)
class _Enrolment:
    person: _Person
    role: str
    first: int  # index of the first session enrolled for
    end: datetime.date | None = None
    outcome: str = ""
    goal_set: bool = False
    goal_reached: bool | None = None
    attended: list[int] = field(default_factory=list)
    pre: tuple[datetime.date, list[int]] | None = None
    post: tuple[datetime.date, list[int]] | None = None
    follow_up: tuple[datetime.date, datetime.date | None, str, bool | None] | None = (
        None
    )


@dataclass(eq=False)
class _Course:
    activity: str
    name: str
    dates: list[datetime.date]
    rule: str
    rule_value: int
    duration: int
    themes: Sequence[str]
    enrolments: list[_Enrolment] = field(default_factory=list)


@dataclass(frozen=True)
class _OpenSession:
    activity: str
    date: datetime.date
    duration: int
    theme: str
    headcount: int


@dataclass(frozen=True, eq=False)
class _Contact:
    activity: str
    date: datetime.date
    kind: str
    person: _Person | None
    anonymous: int = 0


class _Generator(_Residents):
    """Draws the whole plan period's registrations from one random
    generator, in a fixed order, so that the result depends only on the
    seed and the plan."""

    def __init__(self, rng: random.Random, areas: list[str]) -> None:
        super().__init__(rng, areas)
        self.courses: list[_Course] = []
        self.open_sessions: list[_OpenSession] = []
        self.contacts: list[_Contact] = []

    # -- courses ---------------------------------------------------------------

    def _course(
        self,
        activity: str,
        name: str,
        first: datetime.date,
        weekday: int,
        sessions: int,
        last: datetime.date,
        rule: tuple[str, int],
        duration: int,
    ) -> _Course:
        course = _Course(
            activity=activity,
            name=name,
            dates=_weekly(first, weekday, sessions, last),
            rule=rule[0],
            rule_value=rule[1],
            duration=duration,
            themes=THEMES[activity],
        )
        self.courses.append(course)
        return course

    def _attendance_share(self) -> float:
        """Most come to 75-95 % of the sessions; a few far less."""
        if self.rng.random() < 0.8:
            return self.rng.uniform(0.75, 0.97)
        return self.rng.uniform(0.4, 0.75)

    def _run(
        self,
        course: _Course,
        units: list[list[_Enrolment]],
        *,
        goal_set: float = 0.0,
        goal_reached: float = 0.0,
        respondents: str | None = None,
        follow_up: bool = False,
    ) -> None:
        """Attendance, drop-outs, moves, goals, questionnaires and
        follow-ups for the course's enrolments; a unit is a family (or one
        person) that comes or stays away together. The activity's
        questionnaire, if it has one, goes to the enrolments in the role
        ``respondents`` (default: everyone)."""
        rng = self.rng
        dates = course.dates
        n = len(dates)
        drop_rate = rng.uniform(0.10, 0.25)
        template = TEMPLATES.get(course.activity)
        for unit in units:
            moved_on = unit[0].person.moved_on
            if moved_on is not None and moved_on <= dates[unit[0].first]:
                # Moved before joining late: joined at the start instead.
                for enrolment in unit:
                    enrolment.first = 0
            first = unit[0].first
            share = self._attendance_share()
            stop, outcome, end = n, Enrolment.Outcome.COMPLETED.value, dates[-1]
            if moved_on is not None and moved_on <= dates[-1]:
                stop = next(i for i, day in enumerate(dates) if day >= moved_on)
                outcome, end = Enrolment.Outcome.MOVED_AWAY.value, moved_on
            elif rng.random() < drop_rate and n - first > 3:
                stop = rng.randint(first + 1, n - 2)
                outcome, end = Enrolment.Outcome.DROPPED_OUT.value, dates[stop - 1]
                share *= 0.8
            stop = max(stop, first)
            present = [i for i in range(first, stop) if rng.random() < share]
            for enrolment in unit:
                enrolment.end, enrolment.outcome = end, outcome
                # A child now and then stays home when the parent comes.
                enrolment.attended = [
                    i
                    for i in present
                    if enrolment.role != "child"
                    or len(unit) == 1
                    or rng.random() < 0.95
                ]
                if rng.random() < goal_set:
                    enrolment.goal_set = True
                    if outcome == Enrolment.Outcome.COMPLETED:
                        enrolment.goal_reached = rng.random() < goal_reached
                    elif outcome == Enrolment.Outcome.DROPPED_OUT:
                        enrolment.goal_reached = rng.random() < goal_reached / 5
                if template is not None and respondents in (None, enrolment.role):
                    self._questionnaire(course, enrolment, template)
                if (
                    follow_up
                    and enrolment.goal_reached
                    and outcome == Enrolment.Outcome.COMPLETED
                ):
                    due = _add_months(end, 3)
                    done = due + DAY * rng.randint(0, 14)
                    held = rng.random() < 0.75
                    enrolment.follow_up = (
                        due,
                        done if rng.random() < 0.9 else None,
                        "Stadig i fritidsjob" if held else "Stoppet i fritidsjobbet",
                        held,
                    )

    def _questionnaire(
        self, course: _Course, enrolment: _Enrolment, template: _Template
    ) -> None:
        rng = self.rng
        change = template.purposes(CHANGE)
        pre: list[int] = []
        if change and rng.random() < 0.95:
            pre = [rng.choices((1, 2, 3, 4, 5), (8, 27, 38, 22, 5))[0] for _ in change]
            enrolment.pre = (course.dates[enrolment.first], pre)
        if enrolment.outcome != Enrolment.Outcome.COMPLETED or rng.random() >= 0.9:
            return
        answers = []
        for n, (_, scale, purpose) in enumerate(template.items):
            if purpose == CHANGE:
                before = pre[change.index(n)] if pre else 3
                step = rng.choices((-1, 0, 1, 2), (8, 27, 45, 20))[0]
                answers.append(min(5, max(1, before + step)))
            elif scale == YES_NO:
                answers.append(1 if rng.random() < 0.9 else 0)
            else:
                answers.append(rng.choices((1, 2, 3, 4, 5), (2, 4, 12, 40, 42))[0])
        enrolment.post = (course.dates[-1], answers)

    def offer(self, offer: _Offer, terms: list[_Term]) -> None:
        """The offer's groups, term by term: each a small group picked from
        the residents of the age band (the more engaged more likely), some
        of whom completed the same group the term before."""
        last: dict[str, list[_Person]] = {}
        for n, term in enumerate(terms):
            if n and offer.autumn_only and not term.name.startswith("efterår"):
                continue
            taken: set[_Person] = set()
            for group, week, weekday, age_min, age_max in offer.groups:
                course = self._course(
                    offer.slug,
                    ", ".join(
                        filter(None, (f"{offer.label} {group}".strip(), term.name))
                    ),
                    term.at(week),
                    weekday,
                    offer.sessions,
                    term.last - WEEK,
                    offer.rule,
                    offer.minutes,
                )
                people = self._people(
                    course.dates[0],
                    age_min,
                    age_max,
                    self.rng.randint(*offer.size),
                    taken,
                    last.get(group, []),
                    offer.comes_back,
                    parents=offer.parents,
                )
                units = []
                for person in people:
                    late = self.rng.random() < offer.late
                    first = self.rng.randint(1, 5) if late else 0
                    units.append([_Enrolment(person, offer.role, first)])
                course.enrolments = [e for unit in units for e in unit]
                self._run(
                    course,
                    units,
                    goal_set=offer.goal_set,
                    goal_reached=offer.goal_reached,
                    follow_up=offer.follow_up,
                )
                last[group] = [
                    e.person
                    for e in course.enrolments
                    if e.outcome == Enrolment.Outcome.COMPLETED
                ]

    def familiekursus(self, terms: list[_Term]) -> None:
        """Two 12-week courses a term for families: a parent (sometimes
        both) with a child (sometimes two) aged 6-12."""
        done: set[_Household] = set()
        for term in terms:
            for team, start, weekday in (("hold A", 2, MON), ("hold B", 4, THU)):
                course = self._course(
                    "familiekursus",
                    f"Familiekursus {term.name}, {team}",
                    term.at(start),
                    weekday,
                    12,
                    term.last,
                    (Course.CompletionRule.MAX_ABSENCE.value, 25),
                    120,
                )
                first_day = course.dates[0]
                soon = first_day + 3 * WEEK
                families = {
                    f.parents[0]: f
                    for f in self.families
                    if f.household not in done
                    and f.parents[0].here_on(soon)
                    and any(6 <= c.age(first_day) <= 12 for c in f.children)
                }
                units: list[list[_Enrolment]] = []
                size = 0
                for parent in self._pick(list(families), self.rng.randint(3, 7)):
                    family = families[parent]
                    kids = [c for c in family.children if 6 <= c.age(first_day) <= 12]
                    people = [("parent", parent)]
                    if len(family.parents) > 1 and self.rng.random() < 0.15:
                        people.append(("parent", family.parents[1]))
                    people += [("child", c) for c in kids[: self.rng.choice((1, 1, 2))]]
                    if size + len(people) > 14:
                        continue
                    size += len(people)
                    done.add(family.household)
                    units.append([_Enrolment(p, role, 0) for role, p in people])
                course.enrolments = [e for unit in units for e in unit]
                self._run(
                    course,
                    units,
                    goal_set=0.9,
                    goal_reached=0.75,
                    respondents="parent",
                )

    # -- open activities ---------------------------------------------------

    def faellesspisning(self, start: datetime.date, end: datetime.date) -> None:
        """A communal dinner every other Thursday, counted by head (15-40),
        more in winter and at Christmas, none in July or at Christmas."""
        rng = self.rng
        themes = THEMES["faellesspisning"]
        day = start + DAY * ((THU - start.weekday()) % 7)
        n = 0
        while day <= end:
            if (
                day.isocalendar().week % 2 == 0
                and day.month != 7
                and not (day.month == 12 and day.day >= 21)
            ):
                december = day.month == 12 and day.day >= 7
                if december:
                    headcount, theme = rng.randint(34, 40), "Julespisning"
                else:
                    mean = 27 if day.month in (1, 2, 3, 10, 11, 12) else 22
                    headcount = round(rng.gauss(mean, 5))
                    theme = themes[n % len(themes)]
                self.open_sessions.append(
                    _OpenSession(
                        "faellesspisning", day, 150, theme, min(40, max(15, headcount))
                    )
                )
                n += 1
            day += WEEK

    def gadeplan(self, start: datetime.date, end: datetime.date) -> None:
        """Outreach two evenings a week: named contacts with young people
        (many of them regulars), anonymous head counts of groups, and
        bridge-buildings to a club, a job, FGU or the job centre."""
        rng = self.rng
        regulars: list[_Person] = []
        day = start
        while day <= end:
            if day.weekday() in (TUE, THU) and not (
                (day.month == 12 and day.day >= 21) or (day.month == 1 and day.day <= 2)
            ):
                met: list[_Person] = []
                for _ in range(rng.choices((0, 1, 2, 3), (25, 35, 28, 12))[0]):
                    if regulars and rng.random() < 0.75:
                        person = rng.choice(regulars)
                    else:
                        pool = [
                            p
                            for p in self.people
                            if 13 <= p.age(day) <= 24 and p.here_on(day)
                        ]
                        person = self._pick(pool, 1)[0]
                        regulars.append(person)
                        if len(regulars) > 30:
                            regulars.pop(0)
                    if person.here_on(day) and person not in met:
                        met.append(person)
                self.contacts.extend(
                    _Contact("gadeplan", day, Contact.Kind.CONTACT.value, p)
                    for p in met
                )
                if rng.random() < 0.55:
                    self.contacts.append(
                        _Contact(
                            "gadeplan",
                            day,
                            Contact.Kind.CONTACT.value,
                            None,
                            rng.randint(1, 6),
                        )
                    )
                if met and rng.random() < 0.2:
                    self.contacts.append(
                        _Contact(
                            "gadeplan", day, Contact.Kind.BRIDGE.value, rng.choice(met)
                        )
                    )
                if rng.random() < 0.03:
                    self.contacts.append(
                        _Contact(
                            "gadeplan",
                            day,
                            Contact.Kind.BRIDGE.value,
                            None,
                            rng.randint(2, 4),
                        )
                    )
            day += DAY
