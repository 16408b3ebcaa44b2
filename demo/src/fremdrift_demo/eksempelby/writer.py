"""Persisting the demo registrations: deleting a plan's registrations
and saving what was generated, cut at ``until``, with bulk inserts,
counting the rows for the summary."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterator

from fremdrift.plans.models import Activity, Area, Plan
from fremdrift.registrations.models import (
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

from .activities import _Course, _Enrolment, _Generator
from .offers import CHANGE, TEMPLATES, _Template
from .people import _Household, _Person

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
