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
    note = models.TextField(blank=True, help_text="Sent with the report")
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


class IssueRequest(models.Model):
    """A report the team asked, on the web, to issue: kept while a task
    worker typesets it (a PDF is never made inside a web request), then
    pointing at the issued report, or saying why it could not be made."""

    class Status(models.TextChoices):
        PENDING = "pending"
        ISSUED = "issued"
        FAILED = "failed"

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="issue_requests"
    )
    kind = models.CharField(max_length=20)
    year = models.PositiveIntegerField(null=True, blank=True)
    tertial = models.PositiveSmallIntegerField(null=True, blank=True)
    audience = models.CharField(max_length=20)
    format = models.CharField(max_length=10)
    lang = models.CharField(max_length=5)
    recipient = models.CharField(max_length=300)
    note = models.TextField(blank=True)
    issued_by = models.CharField(max_length=200)
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING
    )
    task_id = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)
    issued = models.OneToOneField(
        IssuedReport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="request",
    )

    class Meta:
        ordering = ["plan", "-requested_at"]

    def __str__(self) -> str:
        return f"{self.kind} til {self.recipient} ({self.status})"


class RenderedReport(models.Model):
    """A report file made for the download form (a PDF, or a large plan's
    DOCX or XLSX), kept so that the next reader who asks for the same
    report of the same data gets the same file at once. ``key`` names the
    request and the plan's data token (base/freshness.py): a change to the
    plan's data gives the next request a new key, and the old file is
    replaced. The file lives in the database, as issued reports do, so
    that every app server and worker sees it without a shared disk."""

    class Status(models.TextChoices):
        PENDING = "pending"
        READY = "ready"
        FAILED = "failed"

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="rendered_reports"
    )
    key = models.CharField(max_length=64, unique=True)
    kind = models.CharField(max_length=20)
    year = models.PositiveIntegerField(null=True, blank=True)
    tertial = models.PositiveSmallIntegerField(null=True, blank=True)
    audience = models.CharField(max_length=20)
    as_of = models.DateField()
    format = models.CharField(max_length=10)
    lang = models.CharField(max_length=5)
    data_token = models.CharField(max_length=200)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING
    )
    task_id = models.CharField(max_length=64, blank=True)
    filename = models.CharField(max_length=300)
    content = models.BinaryField(default=b"")
    error = models.TextField(blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    typeset_seconds = models.FloatField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["plan", "kind", "format"])]

    def __str__(self) -> str:
        return f"{self.filename} ({self.audience}, {self.status})"


class TypesettingSlot(models.Model):
    """One of the FREMDRIFT_TYPESETTING_CONCURRENCY places a task worker
    must hold while it typesets a report: held by a worker's job until it
    finishes, or until ``held_until`` when the worker died holding it."""

    number = models.PositiveSmallIntegerField(primary_key=True)
    holder = models.CharField(max_length=64, blank=True)
    held_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"slot {self.number}: {self.holder or 'free'}"
