"""Issued reports: a report as it was sent, kept unchanged."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.urls import reverse

from fremdrift.plans.models import Plan


class IssuedReport(models.Model):
    """A report sent to the board, the city council or Landsbyggefonden:
    who issued it, when, to whom, the file itself, a fingerprint of the data
    it was built from and a snapshot of its numbers. Later data changes
    never alter it; it cannot be edited once saved."""

    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="issued_reports"
    )
    kind = models.CharField(max_length=20)
    year = models.PositiveIntegerField(null=True, blank=True)
    tertial = models.PositiveSmallIntegerField(null=True, blank=True)
    audience = models.CharField(max_length=20)
    as_of = models.DateField(help_text="The day the numbers were judged as of")
    format = models.CharField(max_length=10)
    title = models.CharField(max_length=300)
    recipient = models.CharField(max_length=300)
    issued_by = models.CharField(max_length=200)
    issued_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=300)
    content = models.BinaryField()
    content_sha256 = models.CharField(max_length=64)
    data_fingerprint = models.CharField(max_length=64)
    snapshot = models.JSONField()

    class Meta:
        ordering = ["plan", "-issued_at"]

    def __str__(self) -> str:
        return f"{self.title} til {self.recipient} ({self.issued_at:%Y-%m-%d})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # An issued report is a record of what was sent: never rewritten.
        if self.pk is not None and IssuedReport.objects.filter(pk=self.pk).exists():
            raise ValueError("an issued report cannot be changed")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse(
            "web:issued-report", kwargs={"slug": self.plan.slug, "pk": self.pk}
        )
