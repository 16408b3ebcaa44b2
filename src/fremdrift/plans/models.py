"""The plan as data: a plan, its areas, goals, effort areas, activities and
success criteria, as the plan team describes them."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from fremdrift.base.history import ModelHistory
from fremdrift.core.model import Aggregation, Better, CriterionKind, Outcome, Unit

DECIMAL = {"max_digits": 20, "decimal_places": 6}


class Organisation(models.Model):
    """The team that runs plans day to day (e.g. Bysekretariatet)."""

    name = models.CharField(max_length=200, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Plan(models.Model):
    """A boligsocial helhedsplan: a programme of social activities in one or
    more housing areas over a fixed period, with a vision and goals."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="plans"
    )
    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=300)
    short_name = models.CharField(max_length=120, blank=True)
    start = models.DateField()
    end = models.DateField()
    vision = models.TextField(blank=True)
    municipality = models.CharField(max_length=120, blank=True)
    predecessor = models.CharField(max_length=300, blank=True)
    successor = models.CharField(max_length=300, blank=True)
    introduction = models.TextField(blank=True)
    method = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    other_activities = models.TextField(blank=True)
    funding_total_dkk = models.DecimalField(null=True, blank=True, **DECIMAL)
    funding_note = models.TextField(blank=True)
    notes = models.JSONField(default=list, blank=True)
    # Notes for the team (transcription decisions, readings of the source):
    # shown in the internal version only; ``notes`` are for every reader.
    working_notes = models.JSONField(default=list, blank=True)

    history = ModelHistory()

    class Meta:
        ordering = ["-start", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")),
                name="plan_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    def get_absolute_url(self) -> str:
        return reverse("web:plan-detail", kwargs={"slug": self.slug})


class Area(models.Model):
    """A housing area (boligområde) covered by the plan."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="areas")
    slug = models.SlugField(max_length=100)
    name = models.CharField(max_length=200)
    aliases = models.JSONField(default=list, blank=True)
    housing_organisations = models.JSONField(default=list, blank=True)
    order = models.PositiveIntegerField(default=0)

    history = ModelHistory()

    class Meta:
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "slug"], name="area_slug_per_plan")
        ]

    def __str__(self) -> str:
        return self.name


class SizeRecord(models.Model):
    """The size of a plan (area null) or of one area as of a date, with its
    source: housing organisations, department boards, leases, residents."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sizes")
    area = models.OneToOneField(
        Area, on_delete=models.CASCADE, null=True, blank=True, related_name="size"
    )
    as_of = models.DateField()
    source = models.CharField(max_length=300, blank=True)
    housing_organisations = models.PositiveIntegerField(null=True, blank=True)
    department_boards = models.PositiveIntegerField(null=True, blank=True)
    leases = models.PositiveIntegerField(null=True, blank=True)
    residents = models.PositiveIntegerField(null=True, blank=True)

    history = ModelHistory()

    class Meta:
        ordering = ["plan", "area", "as_of"]

    def __str__(self) -> str:
        return f"{self.area or self.plan} pr. {self.as_of}"


class Population(models.Model):
    """A population that statistics are reported for: one of the plan's areas,
    or a comparison population such as the municipality."""

    class Kind(models.TextChoices):
        AREA = "area", "Boligområde"
        PLAN_TOTAL = "plan_total", "Helhedsplanens områder i alt"
        MUNICIPALITY = "municipality", "Kommunen"
        MUNICIPALITY_EXCL_PLAN = (
            "municipality_excl_plan",
            "Kommunen ekskl. helhedsplanens områder",
        )
        OTHER = "other", "Andet"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="populations")
    area = models.OneToOneField(
        Area, on_delete=models.CASCADE, null=True, blank=True, related_name="population"
    )
    slug = models.SlugField(max_length=100)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    aliases = models.JSONField(default=list, blank=True)
    # For additive indicators this population is the sum of its parts (the
    # plan's areas add up to the plan total); reports check it and keep
    # suppressed counts from being recovered by subtraction.
    parts = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="part_of"
    )
    order = models.PositiveIntegerField(default=0)

    history = ModelHistory()

    class Meta:
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "slug"], name="population_slug_per_plan"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Goal(models.Model):
    """An overall (strategic) goal, followed with official statistics."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    slug = models.SlugField(max_length=100)
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    indicators = models.ManyToManyField(
        "statistics.Indicator", blank=True, related_name="goals"
    )
    order = models.PositiveIntegerField(default=0)

    history = ModelHistory()

    class Meta:
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "slug"], name="goal_slug_per_plan")
        ]

    def __str__(self) -> str:
        return self.name


class EffortArea(models.Model):
    """An effort area (indsatsområde): one of the plan's themes, in priority
    order, with its own success criteria and activities."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="effort_areas"
    )
    slug = models.SlugField(max_length=100)
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)

    history = ModelHistory()

    class Meta:
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "slug"], name="effort_area_slug_per_plan"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Activity(models.Model):
    """An activity (aktivitet) or, with a parent, a sub-activity
    (delaktivitet), run by the plan's staff and partners."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="activities")
    effort_area = models.ForeignKey(
        EffortArea, on_delete=models.CASCADE, related_name="activities"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sub_activities",
    )
    slug = models.SlugField(max_length=100)
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    target_group = models.TextField(blank=True)
    partners = models.JSONField(default=list, blank=True)
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)
    extended_to = models.DateField(null=True, blank=True)
    notes = models.JSONField(default=list, blank=True)
    # Notes for the team (transcription decisions, readings of the source):
    # shown in the internal version only; ``notes`` are for every reader.
    working_notes = models.JSONField(default=list, blank=True)
    order = models.PositiveIntegerField(default=0)

    history = ModelHistory()

    class Meta:
        ordering = ["plan", "effort_area__order", "order"]
        verbose_name_plural = "activities"
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "slug"], name="activity_slug_per_plan"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "web:activity-detail",
            kwargs={"slug": self.plan.slug, "activity_slug": self.slug},
        )

    def period_start(self, plan: Plan) -> datetime.date:
        return self.start or plan.start

    def period_end(self, plan: Plan) -> datetime.date:
        """The last day the activity ran: its extension, else its own end,
        else the plan's end."""
        return self.extended_to or self.end or plan.end


class Decision(models.Model):
    """A logged decision about an activity ("fortsættes i 2021-25",
    "DUA videreføres ikke")."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="decisions"
    )
    date = models.DateField(null=True, blank=True)
    text = models.TextField()
    order = models.PositiveIntegerField(default=0)

    history = ModelHistory()

    class Meta:
        ordering = ["activity", "order"]

    def __str__(self) -> str:
        return self.text[:80]


class Commentary(models.Model):
    """The team's own commentary (teamets kommentar) for a period (a
    tertial, a year, or blank for the whole plan period) on the plan as a
    whole, on one effort area or on one activity, printed in the reports
    where that level is described. With neither an effort area nor an
    activity it is the plan's own."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="commentaries"
    )
    effort_area = models.ForeignKey(
        EffortArea,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="commentaries",
    )
    activity = models.ForeignKey(
        Activity,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="commentaries",
    )
    period = models.CharField(
        max_length=40, blank=True, help_text="Period code; blank: the whole plan"
    )
    text = models.TextField()
    author = models.CharField(max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = ModelHistory(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["plan", "effort_area", "activity", "period"]
        verbose_name_plural = "commentaries"
        constraints = [
            # Conditional rather than over nullable columns: NULLs never
            # collide in a unique constraint, on SQLite and PostgreSQL.
            models.UniqueConstraint(
                fields=["activity", "period"],
                condition=models.Q(activity__isnull=False),
                name="commentary_once_per_period",
            ),
            models.UniqueConstraint(
                fields=["effort_area", "period"],
                condition=models.Q(effort_area__isnull=False),
                name="effort_area_commentary_once_per_period",
            ),
            models.UniqueConstraint(
                fields=["plan", "period"],
                condition=models.Q(effort_area__isnull=True, activity__isnull=True),
                name="plan_commentary_once_per_period",
            ),
            models.CheckConstraint(
                condition=models.Q(effort_area__isnull=True)
                | models.Q(activity__isnull=True),
                name="commentary_on_one_level",
            ),
        ]

    def __str__(self) -> str:
        owner = self.activity or self.effort_area or self.plan
        return f"{owner} {self.period or 'hele perioden'}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The plan follows from the activity or effort area commented on
        # (the admin's inline on an activity names only the activity).
        owner = self.activity or self.effort_area
        if self.plan_id is None and owner is not None:
            self.plan_id = owner.plan_id
        super().save(*args, **kwargs)


class Criterion(models.Model):
    """A success criterion (succeskriterie) on a goal, an effort area or an
    activity, judged from observations or from reported values."""

    class Level(models.TextChoices):
        GOAL = "goal", "Overordnet mål"
        EFFORT_AREA = "effort_area", "Indsatsområde"
        ACTIVITY = "activity", "Aktivitet"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="criteria")
    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, null=True, blank=True, related_name="criteria"
    )
    effort_area = models.ForeignKey(
        EffortArea,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="criteria",
    )
    activity = models.ForeignKey(
        Activity,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="criteria",
    )
    ident = models.SlugField(max_length=100, help_text="Stable id within the plan")
    text = models.TextField()
    own_defined = models.BooleanField(default=False)
    counts_persons = models.BooleanField(
        default=False, help_text="The value is a number of persons (discretion)"
    )
    kind = models.CharField(
        max_length=30, choices=[(k.value, k.value) for k in CriterionKind]
    )
    unit = models.CharField(max_length=20, choices=[(u.value, u.value) for u in Unit])
    unit_label = models.CharField(max_length=100, blank=True)
    better = models.CharField(
        max_length=10,
        blank=True,
        choices=[(b.value, b.value) for b in Better],
        help_text="Blank: the indicator's direction, else the kind's",
    )
    target = models.JSONField(default=dict, blank=True)
    aggregation = models.CharField(
        max_length=20,
        choices=[(a.value, a.value) for a in Aggregation],
        default=Aggregation.LATEST.value,
    )
    baseline_value = models.DecimalField(null=True, blank=True, **DECIMAL)
    baseline_numerator = models.DecimalField(null=True, blank=True, **DECIMAL)
    baseline_denominator = models.DecimalField(null=True, blank=True, **DECIMAL)
    baseline_period = models.CharField(max_length=40, blank=True)
    baseline_note = models.TextField(blank=True)
    baseline_flags = models.JSONField(default=list, blank=True)
    # RESTRICT, not PROTECT: an indicator in use cannot be deleted on its
    # own, but deleting the whole plan takes its criteria along.
    indicator = models.ForeignKey(
        "statistics.Indicator",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="criteria",
    )
    population = models.ForeignKey(
        Population,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="criteria",
    )
    period = models.CharField(max_length=40, blank=True)
    # Judged on a measure of the activity's registrations instead of
    # reported values: {"kind": "unique_participants", "role": "child", ...}.
    measure = models.JSONField(default=dict, blank=True)
    reported_verdict = models.CharField(
        max_length=20, blank=True, choices=[(o.value, o.value) for o in Outcome]
    )
    evidence = models.TextField(blank=True)
    recorded_verdict = models.CharField(
        max_length=20, blank=True, choices=[(o.value, o.value) for o in Outcome]
    )
    notes = models.JSONField(default=list, blank=True)
    # Notes for the team (transcription decisions, readings of the source):
    # shown in the internal version only; ``notes`` are for every reader.
    working_notes = models.JSONField(default=list, blank=True)
    order = models.PositiveIntegerField(default=0)
    # Raised by every change of the criterion or its reported values, so
    # that a form opened before it is refused (fremdrift.base.versioning).
    version = models.PositiveIntegerField(default=0, editable=False)
    changed_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = ModelHistory(excluded_fields=["version", "changed_at"])

    class Meta:
        ordering = ["plan", "order"]
        verbose_name_plural = "criteria"
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "ident"], name="criterion_ident_per_plan"
            ),
            models.CheckConstraint(
                name="criterion_has_exactly_one_owner",
                condition=(
                    models.Q(
                        goal__isnull=False,
                        effort_area__isnull=True,
                        activity__isnull=True,
                    )
                    | models.Q(
                        goal__isnull=True,
                        effort_area__isnull=False,
                        activity__isnull=True,
                    )
                    | models.Q(
                        goal__isnull=True,
                        effort_area__isnull=True,
                        activity__isnull=False,
                    )
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ident}: {self.text[:60]}"

    @property
    def level(self) -> str:
        if self.goal_id:
            return self.Level.GOAL
        if self.effort_area_id:
            return self.Level.EFFORT_AREA
        return self.Level.ACTIVITY


class TargetRevision(models.Model):
    """A revised target (justeret mål): the team changed the criterion's
    target during the plan, as Landsbyggefonden allows. The target it
    replaced is kept here, never overridden, with the day the new one is
    in force from and the reason; a judgement made before that day uses
    the old target. Both targets are held as the criterion holds its own
    (``core.targets.target_to_json``)."""

    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="target_revisions"
    )
    previous_target = models.JSONField(default=dict, blank=True)
    target = models.JSONField(default=dict, blank=True)
    in_force_from = models.DateField()
    reason = models.TextField()
    # Who made the revision on the web (null for one read from plan.yaml,
    # or when the user was erased); when it was recorded.
    revised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    history = ModelHistory()

    class Meta:
        ordering = ["criterion", "in_force_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["criterion", "in_force_from"],
                name="target_revision_once_per_day",
            ),
            models.CheckConstraint(
                condition=~models.Q(reason=""), name="target_revision_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.ident} fra {self.in_force_from}"


class ReportedValue(models.Model):
    """A value the team reports for an activity or effort-area criterion
    (per period where the report gives periods), with source and note."""

    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="reported_values"
    )
    period = models.CharField(max_length=40)
    period_start = models.DateField()
    period_end = models.DateField()
    value = models.DecimalField(null=True, blank=True, **DECIMAL)
    numerator = models.DecimalField(null=True, blank=True, **DECIMAL)
    denominator = models.DecimalField(null=True, blank=True, **DECIMAL)
    source = models.CharField(max_length=300, blank=True)
    note = models.TextField(blank=True)
    flags = models.JSONField(default=list, blank=True)
    order = models.PositiveIntegerField(default=0)

    history = ModelHistory()

    class Meta:
        ordering = ["criterion", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["criterion", "period"], name="reported_value_period_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion.ident} {self.period}: {self.value}"


class FundingProject(models.Model):
    """A project paid by supplementary funding raised beside the plan."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="funding_projects"
    )
    name = models.CharField(max_length=300)
    funder = models.CharField(max_length=300, blank=True)
    amount_dkk = models.DecimalField(null=True, blank=True, **DECIMAL)
    order = models.PositiveIntegerField(default=0)

    history = ModelHistory()

    class Meta:
        ordering = ["plan", "order"]

    def __str__(self) -> str:
        return self.name
