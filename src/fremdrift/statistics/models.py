"""Indicators and their observations: the area statistics a plan's goals and
criteria are followed with."""

from __future__ import annotations

from django.db import models

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
    notes = models.JSONField(default=list, blank=True)
    order = models.PositiveIntegerField(default=0)

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
