"""Which of a plan's indicators and populations give the figures the
law's criteria are judged on (fremdrift.core.area_status.FIGURE_UNITS): an
indicator per figure, and the populations that are the nation and the
region, whose figures the thresholds that are a multiple of the national
average or a share of the region's are measured against."""

from __future__ import annotations

from django.db import models

from fremdrift.core.area_status import FIGURE_UNITS
from fremdrift.plans.models import Plan, Population
from fremdrift.statistics.models import Indicator

FIGURE_CHOICES = [(figure, figure) for figure in sorted(FIGURE_UNITS)]


class LawFigure(models.Model):
    """The indicator that gives one of the law's figures for the plan's
    areas (and the nation or region)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="law_figures")
    figure = models.CharField(max_length=40, choices=FIGURE_CHOICES)
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="law_figures"
    )
    # How the figure follows from the indicator, when the plan follows a
    # neighbouring indicator rather than the law's own (core.area_status
    # .derived_value): a rate per 1,000 read as a share, or 100 % less a
    # share. Blank: the indicator is the figure.
    derivation = models.CharField(
        max_length=20,
        blank=True,
        default="",
        choices=[("per_1000", "per_1000"), ("complement", "complement")],
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "figure"], name="law_figure_once_per_plan"
            )
        ]

    def __str__(self) -> str:
        return f"{self.figure}: {self.indicator.slug}"


class LawReference(models.Model):
    """The population whose figures are the nation's or the region's."""

    class Scope(models.TextChoices):
        NATIONAL = "national", "Hele landet"
        REGION = "region", "Regionen"

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="law_references"
    )
    scope = models.CharField(max_length=20, choices=Scope.choices)
    population = models.ForeignKey(
        Population, on_delete=models.CASCADE, related_name="law_references"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "scope"], name="law_reference_once_per_plan"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope}: {self.population.slug}"
