"""Made-up registrations for a fictional demo plan.

``registrations_generate`` replaces the registrations of a plan marked
"(fiktiv)" with plausible generated ones, so that the registration screens,
the measures and the progress and annual reports have something to show.
Everything is drawn from one ``random.Random(seed)``: the same seed gives
the same people, codes, courses and attendance every time.

The whole plan period is generated first and then cut at ``until``, so a
later ``until`` shows the same history with more of it, as a running plan
would: courses under way have no outcomes yet, follow-ups not yet due are
open, and nothing is dated after ``until``.

The activities are recognised by their slugs in
``examples/eksempelby-2025-29/plan.yaml`` (``ACTIVITY_SLUGS``); a plan
without one of them simply gets nothing for it. See docs/demo.md.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from fremdrift.plans.models import Activity, Area, Plan

from .models import (
    CODE_ALPHABET,
    Answer,
    Attendance,
    Contact,
    Course,
    Enrolment,
    FollowUp,
    Household,
    Participant,
    Questionnaire,
    QuestionnaireItem,
    Response,
    Session,
)

DEFAULT_SEED = 2025
# Only a plan whose name carries this mark may have its registrations
# replaced: the generator deletes whatever is registered.
FICTIONAL_MARK = "(fiktiv)"

ACTIVITY_SLUGS = (
    "lektiecafe",
    "familiekursus",
    "madskole",
    "fritidsjob",
    "gadeplan",
    "foraeldrenetvaerk",
    "faellesspisning",
    "beboerambassadoerer",
)

D = datetime.date
DAY = datetime.timedelta(days=1)
WEEK = datetime.timedelta(weeks=1)
MON, TUE, WED, THU = 0, 1, 2, 3


class DemoPlanError(Exception):
    """The plan may not have its registrations replaced."""


@dataclass(frozen=True)
class GenerationSummary:
    """What one generation created (every earlier registration of the plan
    was deleted first)."""

    plan_slug: str
    seed: int
    until: datetime.date
    households: int = 0
    participants: int = 0
    courses: int = 0
    enrolments: int = 0
    sessions: int = 0
    attendance: int = 0
    contacts: int = 0
    follow_ups: int = 0
    responses: int = 0
    answers: int = 0

    def describe(self) -> str:
        return (
            f"Plan {self.plan_slug}: generated registrations up to "
            f"{self.until.isoformat()} (seed {self.seed}): "
            f"{self.participants} participants in {self.households} households, "
            f"{self.courses} courses, {self.enrolments} enrolments, "
            f"{self.sessions} sessions, {self.attendance} attendance rows, "
            f"{self.contacts} outreach contacts, {self.follow_ups} follow-ups, "
            f"{self.responses} questionnaire responses ({self.answers} answers)."
        )


# --- the calendar ------------------------------------------------------


def _easter(year: int) -> datetime.date:
    """Easter Sunday (the Meeus/Jones/Butcher Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (b - (b + 8) // 25 + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday) // 451
    month, day = divmod(h + weekday - 7 * m + 114, 31)
    return D(year, month, day + 1)


def school_holiday(day: datetime.date) -> bool:
    """Danish school holidays, roughly: July (the summer holiday), the
    winter holiday (week 7), the autumn holiday (week 42), Christmas
    (21 December to 2 January) and Easter (Palm Sunday to Easter Monday)."""
    if day.month == 7 or day.isocalendar().week in (7, 42):
        return True
    if (day.month == 12 and day.day >= 21) or (day.month == 1 and day.day <= 2):
        return True
    easter = _easter(day.year)
    return easter - WEEK <= day <= easter + DAY


def _weekly(
    first: datetime.date, weekday: int, count: int, last: datetime.date
) -> list[datetime.date]:
    """Up to ``count`` dates on ``weekday`` from ``first``, one a week,
    skipping school holidays, none after ``last``."""
    day = first + DAY * ((weekday - first.weekday()) % 7)
    dates: list[datetime.date] = []
    while len(dates) < count and day <= last:
        if not school_holiday(day):
            dates.append(day)
        day += WEEK
    return dates


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return D(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class _Term:
    """Half a school year: spring (January-June) or autumn (August-December)."""

    name: str
    first: datetime.date
    last: datetime.date

    def at(self, weeks: int) -> datetime.date:
        return self.first + WEEK * weeks


def _terms(start: datetime.date, end: datetime.date) -> list[_Term]:
    terms = []
    for year in range(start.year, end.year + 1):
        for name, first, last in (
            (f"forår {year}", D(year, 1, 6), D(year, 6, 24)),
            (f"efterår {year}", D(year, 8, 11), D(year, 12, 19)),
        ):
            if first >= start and last <= end:
                terms.append(_Term(name, first, last))
    return terms


# --- the people ----------------------------------------------------------


@dataclass(eq=False)
class _Household:
    code: str
    area: str | None
    moved_on: datetime.date | None


@dataclass(eq=False)
class _Person:
    code: str
    initials: str
    birth_year: int
    sex: str
    area: str | None
    household: _Household | None
    moved_on: datetime.date | None
    engagement: float
    adult: bool
    children: tuple[int, ...] = ()

    def age(self, day: datetime.date) -> int:
        return day.year - self.birth_year

    def here_on(self, day: datetime.date) -> bool:
        return self.moved_on is None or self.moved_on > day


@dataclass(eq=False)
class _Family:
    household: _Household
    parents: list[_Person]
    children: list[_Person]


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


@dataclass(frozen=True)
class _Template:
    """A questionnaire: change items asked before and after, satisfaction
    items after; (text, scale, purpose)."""

    name: str
    items: tuple[tuple[str, str, str], ...]

    def purposes(self, purpose: str) -> list[int]:
        return [i for i, item in enumerate(self.items) if item[2] == purpose]


CHANGE = QuestionnaireItem.Purpose.CHANGE.value
SATISFACTION = QuestionnaireItem.Purpose.SATISFACTION.value
LIKERT = QuestionnaireItem.Scale.LIKERT5.value
YES_NO = QuestionnaireItem.Scale.YES_NO.value

TEMPLATES = {
    "lektiecafe": _Template(
        "Lektiecafé: før og efter",
        (
            ("Jeg kan klare mine lektier", LIKERT, CHANGE),
            ("Jeg tør spørge om hjælp, når jeg går i stå", LIKERT, CHANGE),
            ("Jeg er glad for at gå i skole", LIKERT, CHANGE),
            ("Jeg er glad for lektiecaféen", LIKERT, SATISFACTION),
        ),
    ),
    "familiekursus": _Template(
        "Familiekursus: forældrenes selvevaluering",
        (
            ("Jeg ved, hvordan jeg kan støtte mit barns skolegang", LIKERT, CHANGE),
            ("Jeg har overskud til hverdagen med mine børn", LIKERT, CHANGE),
            ("Jeg kender andre forældre i området", LIKERT, CHANGE),
            ("Hvor tilfreds er du med kurset?", LIKERT, SATISFACTION),
            ("Har kurset levet op til dine forventninger?", LIKERT, SATISFACTION),
        ),
    ),
    "madskole": _Template(
        "Madskole: evaluering",
        (
            ("Hvor glad har du været for Madskolen?", LIKERT, SATISFACTION),
            ("Vil du anbefale Madskolen til en ven?", YES_NO, SATISFACTION),
        ),
    ),
    "fritidsjob": _Template(
        "Fritidsjob for unge: før og efter",
        (
            ("Jeg ved, hvordan jeg søger et job", LIKERT, CHANGE),
            ("Jeg tror på, at jeg kan få et fritidsjob", LIKERT, CHANGE),
            ("Hvor tilfreds er du med forløbet?", LIKERT, SATISFACTION),
        ),
    ),
    "foraeldrenetvaerk": _Template(
        "Forældrenetværk: evaluering",
        (
            ("Jeg har fået nogen at tale med om mine børn", LIKERT, CHANGE),
            ("Hvor tilfreds er du med netværksgruppen?", LIKERT, SATISFACTION),
        ),
    ),
}

THEMES = {
    "lektiecafe": ("Lektier og læsning", "Matematik", "Dansk", "Engelsk", "Projekt"),
    "familiekursus": (
        "Velkomst og forventninger",
        "Skolens hverdag",
        "Lektier derhjemme",
        "Sprog i familien",
        "Søvn og skærm",
        "Venskaber",
        "Grænser og kærlighed",
        "Samarbejde med skolen",
        "Fritidsliv",
        "Konflikter",
        "Familiens netværk",
        "Afslutning og fejring",
    ),
    "madskole": (
        "Grød og brød",
        "Grøntsager fra haven",
        "Suppe",
        "Fisk",
        "Mad fra hele verden",
        "Afslutningsfest",
    ),
    "fritidsjob": (
        "Hvad kan jeg?",
        "Mit CV",
        "Ansøgningen",
        "Jobsamtalen",
        "Besøg i Eksempelby Brugs",
        "Besøg i den lokale idrætsforening",
        "Rettigheder for unge i job",
        "Øvesamtaler",
        "Matchning med arbejdsgivere",
        "Afslutning",
    ),
    "foraeldrenetvaerk": (
        "Kom godt i gang",
        "Børn og skærm",
        "Pubertet",
        "Sprog",
        "Fritidsaktiviteter",
        "Trivsel",
        "Netværk i området",
        "Fejring",
    ),
    "beboerambassadoerer": (
        "Hvad er en beboerambassadør?",
        "Naboskab",
        "At byde nye beboere velkommen",
        "Guide til kommunens tilbud",
        "Planlæg et arrangement",
        "Konflikter i opgangen",
        "Frivillighed i praksis",
        "Afslutning",
    ),
    "faellesspisning": (
        "Lasagne",
        "Biryani",
        "Frikadeller og kartoffelsalat",
        "Tagine",
        "Suppe og brød",
        "Pizza fra ovnen",
        "Dolma",
        "Boller i karry",
    ),
}


@dataclass(frozen=True)
class _Offer:
    """How a course activity runs each term: its groups (name, week of the
    term it starts in, weekday, age band), sessions, completion rule, group
    size, role, how many of last term's group come back, individual goals
    (how many set one, how many of those who complete reach it) and
    follow-ups three months after the end."""

    slug: str
    label: str
    groups: tuple[tuple[str, int, int, int, int], ...]
    sessions: int
    rule: tuple[str, int]
    minutes: int
    size: tuple[int, int]
    role: str
    comes_back: float = 0.0
    late: float = 0.0
    goal_set: float = 0.0
    goal_reached: float = 0.0
    follow_up: bool = False
    parents: bool = False
    autumn_only: bool = False


MAX_ABSENCE = Course.CompletionRule.MAX_ABSENCE.value
MIN_SESSIONS = Course.CompletionRule.MIN_SESSIONS.value

OFFERS = {
    # Weekly all term, two groups; many children come back the next term,
    # and some join a few weeks in.
    "lektiecafe": _Offer(
        "lektiecafe",
        "Lektiecafé",
        (("0.-3. klasse", 1, TUE, 6, 9), ("4.-7. klasse", 1, WED, 10, 13)),
        30,
        (MIN_SESSIONS, 10),
        90,
        (9, 14),
        "child",
        comes_back=0.5,
        late=0.2,
    ),
    # Two six-week cooking courses a term for children aged 8-12.
    "madskole": _Offer(
        "madskole",
        "Madskole",
        (("hold 1", 2, WED, 8, 12), ("hold 2", 11, WED, 8, 12)),
        6,
        (MAX_ABSENCE, 25),
        150,
        (7, 12),
        "child",
        comes_back=0.15,
    ),
    # Ten weeks of job-readiness for 13-17-year-olds; the goal is a
    # leisure job, followed up three months later.
    "fritidsjob": _Offer(
        "fritidsjob",
        "Fritidsjob for unge",
        (("", 3, THU, 13, 17),),
        10,
        (MAX_ABSENCE, 25),
        90,
        (7, 12),
        "young",
        goal_set=1.0,
        goal_reached=0.65,
        follow_up=True,
    ),
    # Eight meetings a term for parents; completed with six.
    "foraeldrenetvaerk": _Offer(
        "foraeldrenetvaerk",
        "Forældrenetværk",
        (("", 4, TUE, 18, 70),),
        8,
        (MIN_SESSIONS, 6),
        120,
        (6, 12),
        "parent",
        comes_back=0.4,
        parents=True,
    ),
    # A course for volunteers each autumn (and one to start the plan);
    # each sets a goal, such as holding an event for the neighbours.
    "beboerambassadoerer": _Offer(
        "beboerambassadoerer",
        "Beboerambassadører",
        (("", 5, MON, 20, 75),),
        8,
        (MAX_ABSENCE, 25),
        150,
        (6, 11),
        "volunteer",
        comes_back=0.35,
        goal_set=1.0,
        goal_reached=0.7,
        autumn_only=True,
    ),
}


class _Generator:
    """Draws the whole plan period's registrations from one random
    generator, in a fixed order, so that the result depends only on the
    seed and the plan."""

    def __init__(self, rng: random.Random, areas: list[str]) -> None:
        self.rng = rng
        self.areas = areas
        self.codes: set[str] = set()
        self.people: list[_Person] = []
        self.families: list[_Family] = []
        self.courses: list[_Course] = []
        self.open_sessions: list[_OpenSession] = []
        self.contacts: list[_Contact] = []

    # -- people ------------------------------------------------------------

    def _code(self, prefix: str) -> str:
        while True:
            code = prefix + "-" + "".join(self.rng.choices(CODE_ALPHABET, k=6))
            if code not in self.codes:
                self.codes.add(code)
                return code

    def _initials(self) -> str:
        if self.rng.random() < 0.25:
            return ""
        letters = "ABDEFHIJKLMNORSTY"
        return f"{self.rng.choice(letters)}.{self.rng.choice(letters)}."

    def _area(self) -> str | None:
        if not self.areas:
            return None
        # The first area is the largest, the last the smallest.
        weights = [len(self.areas) - i for i in range(len(self.areas))]
        return self.rng.choices(self.areas, weights)[0]

    def _moved_on(
        self, start: datetime.date, end: datetime.date
    ) -> datetime.date | None:
        if self.rng.random() >= 0.25:
            return None
        return start + DAY * self.rng.randrange((end - start).days)

    def _person(
        self,
        birth_year: int,
        sex: str,
        household: _Household | None,
        area: str | None,
        moved_on: datetime.date | None,
        engagement: float,
        adult: bool,
    ) -> _Person:
        person = _Person(
            code=self._code("D"),
            initials=self._initials(),
            birth_year=birth_year,
            sex=sex if self.rng.random() > 0.03 else "",
            area=area,
            household=household,
            moved_on=moved_on,
            engagement=engagement,
            adult=adult,
        )
        self.people.append(person)
        return person

    def residents(self, start: datetime.date, end: datetime.date) -> None:
        """Families with one or two parents and one to four children, young
        people on their own and older residents; about one in four
        households moves away during the plan."""
        rng = self.rng
        for _ in range(260):
            household = _Household(self._code("H"), self._area(), None)
            household.moved_on = self._moved_on(start, end)
            engagement = rng.lognormvariate(0, 0.5)
            n_children = rng.choices((1, 2, 3, 4), (30, 35, 22, 13))[0]
            youngest = rng.randint(2009, 2022)
            births = sorted(
                {youngest - rng.randint(0, 2 * i) for i in range(n_children)}
            )
            parent_year = births[0] - rng.randint(20, 36)
            one_parent = rng.random() < 0.55
            parents = [
                self._person(
                    parent_year,
                    "f" if one_parent and rng.random() < 0.8 else "m",
                    household,
                    household.area,
                    household.moved_on,
                    engagement,
                    True,
                )
            ]
            if not one_parent:
                parents[0].sex = "m"
                parents.insert(
                    0,
                    self._person(
                        parent_year + rng.randint(-3, 3),
                        "f",
                        household,
                        household.area,
                        household.moved_on,
                        engagement,
                        True,
                    ),
                )
            children = [
                self._person(
                    year,
                    rng.choice("fm"),
                    household,
                    household.area,
                    household.moved_on,
                    engagement,
                    False,
                )
                for year in births
            ]
            for parent in parents:
                parent.children = tuple(births)
            self.families.append(_Family(household, parents, children))
        for _ in range(140):
            young = rng.random() < 0.5
            self._person(
                rng.randint(2002, 2008) if young else rng.randint(1946, 1990),
                rng.choice("fm"),
                None,
                self._area(),
                self._moved_on(start, end),
                rng.lognormvariate(0, 0.5),
                True,
            )

    def _pick(self, candidates: Sequence[_Person], k: int) -> list[_Person]:
        """``k`` of the candidates, the more engaged more likely (weighted
        sampling without replacement, Efraimidis-Spirakis)."""
        keyed = [
            (self.rng.random() ** (1.0 / person.engagement), n)
            for n, person in enumerate(candidates)
        ]
        keyed.sort(reverse=True)
        return [candidates[n] for _, n in keyed[:k]]

    def _people(
        self,
        day: datetime.date,
        age_min: int,
        age_max: int,
        k: int,
        taken: set[_Person],
        keep: Sequence[_Person] = (),
        keep_share: float = 0.0,
        *,
        parents: bool = False,
    ) -> list[_Person]:
        """``k`` residents of the age band on ``day``, still living in the
        area a few weeks on (with ``parents``: parents of a child under 16);
        about ``keep_share`` of ``keep`` (last term's group) come back
        first."""
        soon = day + 3 * WEEK

        def fits(person: _Person) -> bool:
            return (
                person not in taken
                and age_min <= person.age(day) <= age_max
                and person.here_on(soon)
                and (
                    not parents
                    or any(0 <= day.year - year <= 15 for year in person.children)
                )
            )

        chosen = [p for p in keep if fits(p) and self.rng.random() < keep_share][:k]
        taken.update(chosen)
        pool = [p for p in self.people if fits(p)]
        chosen += self._pick(pool, k - len(chosen))
        taken.update(chosen)
        return chosen

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


def _span(
    activities: dict[str, Activity], plan: Plan, slug: str
) -> tuple[datetime.date, datetime.date] | None:
    activity = activities.get(slug)
    if activity is None:
        return None
    return activity.period_start(plan), activity.period_end(plan)


def _generate(plan: Plan, seed: int, activities: dict[str, Activity]) -> _Generator:
    """Everything for the whole plan period, in a fixed order."""
    areas = list(Area.objects.filter(plan=plan).values_list("slug", flat=True))
    generator = _Generator(random.Random(seed), areas)
    generator.residents(plan.start, plan.end)
    for slug in ACTIVITY_SLUGS:
        span = _span(activities, plan, slug)
        if span is None:
            continue
        if slug in OFFERS:
            generator.offer(OFFERS[slug], _terms(*span))
        elif slug == "familiekursus":
            generator.familiekursus(_terms(*span))
        else:
            getattr(generator, slug)(*span)
    return generator


# --- persisting, cut at ``until`` ---------------------------------------


def _delete_registrations(plan: Plan) -> None:
    """Every registration of the plan, children before parents so that
    each delete is one statement."""
    Answer.objects.filter(response__questionnaire__activity__plan=plan).delete()
    Response.objects.filter(questionnaire__activity__plan=plan).delete()
    FollowUp.objects.filter(enrolment__course__activity__plan=plan).delete()
    Attendance.objects.filter(session__activity__plan=plan).delete()
    Contact.objects.filter(activity__plan=plan).delete()
    Enrolment.objects.filter(course__activity__plan=plan).delete()
    Session.objects.filter(activity__plan=plan).delete()
    Course.objects.filter(activity__plan=plan).delete()
    QuestionnaireItem.objects.filter(questionnaire__activity__plan=plan).delete()
    Questionnaire.objects.filter(activity__plan=plan).delete()
    Participant.objects.filter(plan=plan).delete()
    Household.objects.filter(plan=plan).delete()


def _persons_used(generator: _Generator, until: datetime.date) -> Iterator[_Person]:
    for course in generator.courses:
        for enrolment in course.enrolments:
            if course.dates and course.dates[enrolment.first] <= until:
                yield enrolment.person
    for contact in generator.contacts:
        if contact.person is not None and contact.date <= until:
            yield contact.person


class _Writer:
    """Saves what was generated, cut at ``until``, with bulk inserts (the
    primary keys come back on SQLite and PostgreSQL), counting the rows."""

    def __init__(
        self, plan: Plan, until: datetime.date, activities: dict[str, Activity]
    ) -> None:
        self.plan = plan
        self.until = until
        self.activities = activities
        self.areas = {a.slug: a for a in Area.objects.filter(plan=plan)}
        self.counts: Counter[str] = Counter()
        self.participants: dict[_Person, Participant] = {}
        self.templates: dict[str, tuple[Questionnaire, list[QuestionnaireItem]]] = {}

    def _area(self, slug: str | None, moved_on: datetime.date | None) -> Area | None:
        """The area lived in on ``until``: none after moving away."""
        if slug is None or (moved_on is not None and moved_on <= self.until):
            return None
        return self.areas.get(slug)

    def people(self, generator: _Generator) -> None:
        """Participants who had been registered by ``until``, in the order
        they were drawn, with their households."""
        used = set(_persons_used(generator, self.until))
        people = [p for p in generator.people if p in used]
        households: dict[_Household, Household] = {}
        for person in people:
            if person.household is not None and person.household not in households:
                households[person.household] = Household(
                    plan=self.plan,
                    code=person.household.code,
                    area=self._area(person.household.area, person.household.moved_on),
                )
        Household.objects.bulk_create(households.values())
        self.participants = {
            person: Participant(
                plan=self.plan,
                code=person.code,
                initials=person.initials,
                birth_year=person.birth_year,
                sex=person.sex,
                area=self._area(person.area, person.moved_on),
                household=households.get(person.household)
                if person.household is not None
                else None,
            )
            for person in people
        }
        Participant.objects.bulk_create(self.participants.values())
        self.counts["households"] = len(households)
        self.counts["participants"] = len(self.participants)

    def questionnaires(self) -> None:
        """The templates of the activities that use one."""
        for slug, template in TEMPLATES.items():
            if slug in self.activities:
                self.templates[slug] = (
                    Questionnaire(activity=self.activities[slug], name=template.name),
                    [],
                )
        Questionnaire.objects.bulk_create([q for q, _ in self.templates.values()])
        for slug, (questionnaire, items) in self.templates.items():
            items.extend(
                QuestionnaireItem(
                    questionnaire=questionnaire,
                    text=text,
                    scale=scale,
                    purpose=purpose,
                    order=n,
                )
                for n, (text, scale, purpose) in enumerate(TEMPLATES[slug].items)
            )
        QuestionnaireItem.objects.bulk_create(
            [item for _, items in self.templates.values() for item in items]
        )

    def courses(self, generator: _Generator) -> None:
        """Courses that had started by ``until`` with their sessions so far,
        enrolments (an outcome only once it was known), attendance,
        follow-ups and questionnaire responses; then the open sessions."""
        until = self.until
        courses = [c for c in generator.courses if c.dates and c.dates[0] <= until]
        rows = [
            Course(
                activity=self.activities[c.activity],
                name=c.name,
                start=c.dates[0],
                end=c.dates[-1],
                planned_sessions=len(c.dates),
                completion_rule=c.rule,
                completion_value=c.rule_value,
            )
            for c in courses
        ]
        Course.objects.bulk_create(rows)
        sessions: list[Session] = []
        enrolments: list[tuple[_Enrolment, Enrolment, _Course]] = []
        attendance: list[Attendance] = []
        for course, row in zip(courses, rows, strict=True):
            held = [
                Session(
                    activity=row.activity,
                    course=row,
                    date=day,
                    duration_minutes=course.duration,
                    theme=course.themes[n % len(course.themes)],
                )
                for n, day in enumerate(course.dates)
                if day <= until
            ]
            sessions.extend(held)
            for draft in course.enrolments:
                start = course.dates[draft.first]
                if start > until:
                    continue
                ended = draft.end is not None and draft.end <= until
                enrolment = Enrolment(
                    course=row,
                    participant=self.participants[draft.person],
                    role=draft.role,
                    start=start,
                    end=draft.end if ended else None,
                    outcome=draft.outcome if ended else "",
                    goal_set=draft.goal_set,
                    goal_reached=draft.goal_reached if ended else None,
                )
                enrolments.append((draft, enrolment, course))
                attendance.extend(
                    Attendance(session=held[i], participant=enrolment.participant)
                    for i in draft.attended
                    if i < len(held)
                )
        sessions.extend(
            Session(
                activity=self.activities[s.activity],
                date=s.date,
                duration_minutes=s.duration,
                theme=s.theme,
                headcount=s.headcount,
            )
            for s in generator.open_sessions
            if s.date <= until
        )
        Session.objects.bulk_create(sessions)
        Enrolment.objects.bulk_create([e for _, e, _ in enrolments])
        Attendance.objects.bulk_create(attendance, batch_size=2000)
        self.counts.update(
            courses=len(rows),
            sessions=len(sessions),
            enrolments=len(enrolments),
            attendance=len(attendance),
        )
        self._follow_ups(enrolments)
        self._responses(enrolments)

    def _follow_ups(
        self, enrolments: list[tuple[_Enrolment, Enrolment, _Course]]
    ) -> None:
        """Follow-ups of the enrolments that had ended; carried out only
        when that day had come."""
        rows = []
        for draft, enrolment, _ in enrolments:
            if draft.follow_up is None or enrolment.end is None:
                continue
            due, done, outcome, positive = draft.follow_up
            carried_out = done is not None and done <= self.until
            rows.append(
                FollowUp(
                    enrolment=enrolment,
                    due=due,
                    done=done if carried_out else None,
                    outcome=outcome if carried_out else "",
                    positive=positive if carried_out else None,
                )
            )
        FollowUp.objects.bulk_create(rows)
        self.counts["follow_ups"] = len(rows)

    def _responses(
        self, enrolments: list[tuple[_Enrolment, Enrolment, _Course]]
    ) -> None:
        """Before-responses (the change items) and after-responses (every
        item, in order) answered by ``until``."""
        responses: list[
            tuple[Response, _Template, list[QuestionnaireItem], list[int]]
        ] = []
        for draft, enrolment, course in enrolments:
            if course.activity not in self.templates:
                continue
            questionnaire, items = self.templates[course.activity]
            template = TEMPLATES[course.activity]
            for phase, answered in (
                (Response.Phase.PRE, draft.pre),
                (Response.Phase.POST, draft.post),
            ):
                if answered is None or answered[0] > self.until:
                    continue
                asked = (
                    [items[n] for n in template.purposes(CHANGE)]
                    if phase == Response.Phase.PRE
                    else items
                )
                response = Response(
                    questionnaire=questionnaire,
                    enrolment=enrolment,
                    phase=phase.value,
                    date=answered[0],
                )
                responses.append((response, template, asked, answered[1]))
        Response.objects.bulk_create([r for r, _, _, _ in responses])
        answers = [
            Answer(response=response, item=item, value=value)
            for response, _, asked, values in responses
            for item, value in zip(asked, values, strict=True)
        ]
        Answer.objects.bulk_create(answers, batch_size=2000)
        self.counts.update(responses=len(responses), answers=len(answers))

    def contacts(self, generator: _Generator) -> None:
        rows = [
            Contact(
                activity=self.activities[c.activity],
                date=c.date,
                kind=c.kind,
                participant=self.participants[c.person]
                if c.person is not None
                else None,
                anonymous_count=c.anonymous,
            )
            for c in generator.contacts
            if c.date <= self.until
        ]
        Contact.objects.bulk_create(rows)
        self.counts["contacts"] = len(rows)


@transaction.atomic
def registrations_generate(
    *, plan: Plan, seed: int = DEFAULT_SEED, until: datetime.date | None = None
) -> GenerationSummary:
    """Replace the registrations of a fictional plan with generated ones,
    dated up to ``until`` (default today, never after the plan's end).

    Deterministic: the same plan, seed and ``until`` give the same rows
    (codes included). Refuses a plan whose name is not marked "(fiktiv)":
    every registration of the plan is deleted first.
    """
    if FICTIONAL_MARK not in plan.name:
        raise DemoPlanError(
            f"plan {plan.slug!r} is not marked {FICTIONAL_MARK!r} in its name; "
            "demo registrations replace every registration of a plan, so only "
            "fictional plans may have them"
        )
    until = min(until or timezone.localdate(), plan.end)
    activities = {a.slug: a for a in Activity.objects.filter(plan=plan)}
    generator = _generate(plan, seed, activities)
    _delete_registrations(plan)
    writer = _Writer(plan, until, activities)
    writer.people(generator)
    writer.questionnaires()
    writer.courses(generator)
    writer.contacts(generator)
    return GenerationSummary(
        plan_slug=plan.slug, seed=seed, until=until, **writer.counts
    )
