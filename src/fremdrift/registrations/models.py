"""What the staff register day to day: participants (pseudonymous),
households, courses, enrolments, sessions, attendance, outreach contacts,
follow-ups and questionnaires. Success criteria are computed from these.

Minimum data: a participant is a generated code with optional initials or
first name, birth year, sex and area. No CPR number and no full birth date
are ever stored.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fremdrift.base.history import ModelHistory
from fremdrift.plans.models import Activity, Area, Plan

# Codes avoid letters and digits that read alike (0/O, 1/I/L).
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_code(prefix: str) -> str:
    return prefix + "-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


class Household(models.Model):
    """A family or household, so that "families" and "a child's parents"
    can be counted once however many members take part."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="households")
    code = models.CharField(max_length=20)
    area = models.ForeignKey(Area, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "code"], name="household_code_per_plan"
            )
        ]

    def __str__(self) -> str:
        return self.code

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.code:
            self.code = new_code("H")
        super().save(*args, **kwargs)


class Participant(models.Model):
    """A person taking part, known by a generated code (deltager)."""

    class Sex(models.TextChoices):
        FEMALE = "f", _("Kvinde")
        MALE = "m", _("Mand")
        OTHER = "x", _("Andet")

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="participants"
    )
    code = models.CharField(max_length=20)
    initials = models.CharField(
        max_length=30, blank=True, help_text="Initialer eller fornavn (valgfrit)"
    )
    birth_year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    sex = models.CharField(max_length=1, choices=Sex.choices, blank=True)
    area = models.ForeignKey(Area, on_delete=models.SET_NULL, null=True, blank=True)
    household = models.ForeignKey(
        Household,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = ModelHistory()

    class Meta:
        ordering = ["plan", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "code"], name="participant_code_per_plan"
            )
        ]
        indexes = [models.Index(fields=["plan", "birth_year"])]

    def __str__(self) -> str:
        return f"{self.code} {self.initials}".strip()

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.code:
            self.code = new_code("D")
        super().save(*args, **kwargs)


class Course(models.Model):
    """A run of sessions with enrolled participants (forløb), with the rule
    that decides who completed it."""

    class CompletionRule(models.TextChoices):
        # xgettext:no-python-format
        MAX_ABSENCE = "max_absence", _("Højst N % fravær")
        MIN_SESSIONS = "min_sessions", _("Mindst N mødegange")

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="courses"
    )
    name = models.CharField(max_length=200)
    start = models.DateField()
    end = models.DateField()
    planned_sessions = models.PositiveSmallIntegerField(null=True, blank=True)
    completion_rule = models.CharField(
        max_length=20,
        choices=CompletionRule.choices,
        default=CompletionRule.MAX_ABSENCE,
    )
    completion_value = models.PositiveSmallIntegerField(
        default=25, help_text="Procent fravær, eller antal mødegange"
    )

    history = ModelHistory()

    class Meta:
        ordering = ["activity", "start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")),
                name="course_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def completion_text(self) -> str:
        """The completion rule with its value filled in, as the team says
        it: "Højst 25 % fravær", "Mindst 10 mødegange"."""
        if self.completion_rule == self.CompletionRule.MIN_SESSIONS:
            return gettext("Mindst %(n)s mødegange") % {"n": self.completion_value}
        # xgettext:no-python-format
        return gettext("Højst %(n)s %% fravær") % {"n": self.completion_value}


class Enrolment(models.Model):
    """A participant in a course, in a role, with the outcome and the
    individual goal."""

    class Role(models.TextChoices):
        CHILD = "child", _("Barn")
        PARENT = "parent", _("Forælder")
        YOUNG = "young", _("Ung")
        RESIDENT = "resident", _("Beboer")
        VOLUNTEER = "volunteer", _("Frivillig")

    class Outcome(models.TextChoices):
        COMPLETED = "completed", _("Gennemført")
        DROPPED_OUT = "dropped_out", _("Stoppet")
        MOVED_AWAY = "moved_away", _("Fraflyttet")

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="enrolments"
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="enrolments"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    goal_set = models.BooleanField(default=False)
    goal_reached = models.BooleanField(null=True, blank=True)

    history = ModelHistory()

    class Meta:
        ordering = ["course", "participant"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "participant"], name="enrolled_once_per_course"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant} i {self.course}"


class Session(models.Model):
    """One meeting (mødegang) of a course or of an open activity; an open
    event without registered names may carry a head count instead."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="sessions"
    )
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, null=True, blank=True, related_name="sessions"
    )
    date = models.DateField()
    duration_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    theme = models.CharField(max_length=200, blank=True)
    headcount = models.PositiveIntegerField(
        null=True, blank=True, help_text="Antal fremmødte, når navnene ikke registreres"
    )
    # A cancelled session (aflyst) stays in the series so that the team
    # sees it was planned, but it was not held: the measures leave it out,
    # and it has no attendance (services.session_cancel).
    cancelled = models.BooleanField(default=False)
    # Raised by every change of the session or its attendance, so that an
    # attendance list opened before it is refused (fremdrift.base.versioning).
    version = models.PositiveIntegerField(default=0, editable=False)
    changed_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = ModelHistory(excluded_fields=["version", "changed_at"])

    class Meta:
        ordering = ["activity", "date"]
        indexes = [models.Index(fields=["activity", "date"])]

    def __str__(self) -> str:
        return f"{self.activity} {self.date}"


class Attendance(models.Model):
    """A participant present at a session."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="attendance"
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="attendance"
    )

    history = ModelHistory()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "participant"], name="attends_a_session_once"
            )
        ]
        indexes = [models.Index(fields=["participant", "session"])]

    def __str__(self) -> str:
        return f"{self.participant} @ {self.session}"


class Contact(models.Model):
    """Outreach work: a contact with a participant (or an anonymous number
    of people), or a bridge-building to another offer."""

    class Kind(models.TextChoices):
        CONTACT = "contact", _("Kontakt")
        BRIDGE = "bridge", _("Brobygning")

    class AgeGroup(models.TextChoices):
        UNDER_6 = "0-5", _("0-5 år")
        FROM_6 = "6-12", _("6-12 år")
        FROM_13 = "13-17", _("13-17 år")
        FROM_18 = "18-24", _("18-24 år")
        FROM_25 = "25-64", _("25-64 år")
        FROM_65 = "65+", _("65 år og ældre")

    class Channel(models.TextChoices):
        STREET = "street", _("Gadeplan/opsøgende")
        PHONE = "phone", _("Telefon")
        HOME_VISIT = "home_visit", _("Hjemmebesøg")
        OTHER = "other", _("Andet")

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="contacts"
    )
    date = models.DateField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contacts",
    )
    anonymous_count = models.PositiveIntegerField(default=0)
    area = models.ForeignKey(
        Area, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    age_group = models.CharField(max_length=10, choices=AgeGroup.choices, blank=True)
    channel = models.CharField(max_length=20, choices=Channel.choices, blank=True)
    # Raised by every change, so that an edit form opened before another
    # save is refused (fremdrift.base.versioning).
    version = models.PositiveIntegerField(default=0, editable=False)
    changed_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = ModelHistory(excluded_fields=["version", "changed_at"])

    class Meta:
        ordering = ["activity", "date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(participant__isnull=False)
                | models.Q(anonymous_count__gt=0),
                name="contact_has_someone",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"


class FollowUp(models.Model):
    """A later measurement of an enrolment's outcome ("still in the job
    after 3 months")."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="follow_ups"
    )
    due = models.DateField()
    done = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=200, blank=True)
    positive = models.BooleanField(null=True, blank=True, help_text="Fastholdt?")

    history = ModelHistory()

    class Meta:
        ordering = ["enrolment", "due"]

    def __str__(self) -> str:
        return f"Opfølgning {self.due} for {self.enrolment}"


class Questionnaire(models.Model):
    """A questionnaire template (spørgeskema) for an activity."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="questionnaires"
    )
    name = models.CharField(max_length=200)

    def __str__(self) -> str:
        return self.name


class QuestionnaireItem(models.Model):
    """One question: on a 1-5 Likert scale or yes/no; a change item is
    compared before and after, a satisfaction item is asked after."""

    class Scale(models.TextChoices):
        LIKERT5 = "likert5", "1-5"
        YES_NO = "yes_no", "Ja/nej"

    class Purpose(models.TextChoices):
        CHANGE = "change", "Forandring (før/efter)"
        SATISFACTION = "satisfaction", "Tilfredshed"

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="items"
    )
    text = models.CharField(max_length=300)
    scale = models.CharField(max_length=10, choices=Scale.choices)
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["questionnaire", "order"]

    def __str__(self) -> str:
        return self.text


class Response(models.Model):
    """A completed questionnaire for an enrolment, before or after."""

    class Phase(models.TextChoices):
        PRE = "pre", _("Før")
        POST = "post", _("Efter")

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="responses"
    )
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="responses"
    )
    phase = models.CharField(max_length=4, choices=Phase.choices)
    date = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "enrolment", "phase"],
                name="one_response_per_phase",
            )
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} ({self.get_phase_display()})"


class Answer(models.Model):
    """One item's answer: 1-5 on a Likert scale, 1 (yes) or 0 (no)."""

    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="answers"
    )
    item = models.ForeignKey(
        QuestionnaireItem, on_delete=models.CASCADE, related_name="answers"
    )
    value = models.PositiveSmallIntegerField(validators=[MaxValueValidator(5)])

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "item"], name="one_answer_per_item"
            )
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.value}"
