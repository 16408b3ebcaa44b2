"""Indicators and their observations: the area statistics a plan's goals and
criteria are followed with."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from fremdrift.base.history import ModelHistory
from fremdrift.core.model import Better, Unit
from fremdrift.plans.models import DECIMAL, Plan, Population


class Indicator(models.Model):
    """A defined statistic (nøgletal): unit, better direction, definition,
    source and measurement convention."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="indicators")
    slug = models.SlugField(max_length=100)
    name = models.CharField(max_length=400)
    short_name = models.CharField(max_length=120, blank=True)
    unit = models.CharField(max_length=20, choices=[(u.value, u.value) for u in Unit])
    unit_label = models.CharField(max_length=100, blank=True)
    better = models.CharField(
        max_length=10, choices=[(b.value, b.value) for b in Better]
    )
    definition = models.TextField(blank=True)
    source = models.CharField(max_length=300, blank=True)
    measured = models.CharField(max_length=200, blank=True)
    counts_persons = models.BooleanField(
        default=False,
        help_text="Values are numbers of persons: small ones are suppressed",
    )
    additive = models.BooleanField(
        default=False, help_text="A total population's value is its parts' sum"
    )
    change = models.BooleanField(
        default=False,
        help_text="Values are changes, not levels: they may be negative and a "
        "percent may exceed 100",
    )
    denominator_indicator = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The indicator whose value for the same population and "
        "period is this one's denominator (the residents, for a rate per 1000)",
    )
    notes = models.JSONField(default=list, blank=True)
    # Notes for the team (transcription decisions, readings of the source):
    # shown in the internal version only; ``notes`` are for every reader.
    working_notes = models.JSONField(default=list, blank=True)
    order = models.PositiveIntegerField(default=0)

    history = ModelHistory()

    class Meta:
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "slug"], name="indicator_slug_per_plan"
            )
        ]

    def __str__(self) -> str:
        return self.short_name or self.name


class Observation(models.Model):
    """One value of an indicator for one population and period, with the
    numerator and denominator when known, a note and flags (missing,
    unreadable in the source, derived, method changed, ...)."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="observations"
    )
    population = models.ForeignKey(
        Population, on_delete=models.CASCADE, related_name="observations"
    )
    period = models.CharField(max_length=40)
    period_start = models.DateField()
    period_end = models.DateField()
    value = models.DecimalField(null=True, blank=True, **DECIMAL)
    numerator = models.DecimalField(null=True, blank=True, **DECIMAL)
    denominator = models.DecimalField(null=True, blank=True, **DECIMAL)
    note = models.TextField(blank=True)
    flags = models.JSONField(default=list, blank=True)
    batch = models.ForeignKey(
        "ImportBatch",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="observations",
        help_text="The import that set the current value; empty when the "
        "value came with the plan folder",
    )
    source_line = models.PositiveIntegerField(
        null=True, blank=True, help_text="Line or row of the value in its file"
    )

    history = ModelHistory()

    class Meta:
        ordering = ["indicator", "population", "period_end", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "population", "period"],
                name="observation_once_per_period",
            )
        ]
        indexes = [models.Index(fields=["population", "period_end"])]

    def __str__(self) -> str:
        return f"{self.indicator.slug} {self.population.slug} {self.period}"


class ImportBatch(models.Model):
    """One import of a file of area statistics into a plan: where the numbers
    came from (source, file, its SHA-256, the mapping used), who imported
    them and when, and what it did. A batch can be undone as a whole."""

    class Source(models.TextChoices):
        TIDY = "tidy", "fremdrift-skabelon"
        STATBANK = "statbank", "Danmarks Statistik (Statistikbanken)"
        LBF = "lbf", "Landsbyggefonden"

    class Status(models.TextChoices):
        APPLIED = "applied", "indlæst"
        UNDONE = "undone", "fortrudt"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="imports")
    source = models.CharField(max_length=20, choices=Source.choices)
    file_name = models.CharField(max_length=400)
    sha256 = models.CharField(max_length=64)
    size_bytes = models.PositiveBigIntegerField()
    stored_file = models.CharField(
        max_length=400,
        blank=True,
        help_text="The file as imported, under MEDIA_ROOT, named by its hash",
    )
    mapping_name = models.CharField(max_length=400, blank=True)
    mapping_text = models.TextField(blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    imported_by_name = models.CharField(
        max_length=200, help_text="User name, or the system user for the CLI"
    )
    imported_at = models.DateTimeField()
    created_count = models.PositiveIntegerField(default=0)
    changed_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.APPLIED
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["plan", "-imported_at", "-pk"]
        verbose_name_plural = "import batches"

    def __str__(self) -> str:
        return f"{self.file_name} ({self.imported_at:%Y-%m-%d %H:%M})"


class ObservationChange(models.Model):
    """The earlier value of an observation that an import changed: kept so
    that every number's history says who changed it, when, from which file,
    and so that the import can be undone."""

    batch = models.ForeignKey(
        ImportBatch, on_delete=models.CASCADE, related_name="changes"
    )
    observation = models.ForeignKey(
        Observation,
        null=True,
        on_delete=models.SET_NULL,
        # Not "history": that is the observation's change history.
        related_name="import_changes",
    )
    line = models.PositiveIntegerField(null=True)
    old_value = models.DecimalField(null=True, **DECIMAL)
    old_numerator = models.DecimalField(null=True, **DECIMAL)
    old_denominator = models.DecimalField(null=True, **DECIMAL)
    old_note = models.TextField(blank=True)
    old_flags = models.JSONField(default=list)
    old_batch = models.ForeignKey(
        ImportBatch, null=True, on_delete=models.PROTECT, related_name="+"
    )
    old_source_line = models.PositiveIntegerField(null=True)
    new_value = models.DecimalField(null=True, **DECIMAL)
    new_flags = models.JSONField(default=list)

    class Meta:
        ordering = ["batch", "pk"]

    def __str__(self) -> str:
        return f"{self.observation} {self.old_value} -> {self.new_value}"
