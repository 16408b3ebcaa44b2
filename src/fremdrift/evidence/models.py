"""Evidence: photos and documents behind a session, an activity or a
qualitative criterion (the focus-group summary behind "oplevet
forandring"), with the basis on which people in them may be shown."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from fremdrift.plans.models import Activity, Criterion, Plan


def evidence_path(instance: Evidence, filename: str) -> str:
    # The stored name is the content's hash: an uploaded name can carry a
    # child's full name, and never reaches the disk.
    return f"evidence/{instance.plan_id}/{instance.sha256}.{instance.extension}"


class Evidence(models.Model):
    """A photo or document attached to an activity, a session or a
    qualitative criterion."""

    class Consent(models.TextChoices):
        NO_PERSONS = "no_persons", _("Ingen personer kan genkendes")
        WRITTEN = "written", _("Skriftligt samtykke fra de viste (forældre for børn)")
        PUBLIC_EVENT = "public_event", _("Offentlig begivenhed, ingen nærbilleder")
        DOCUMENT = "document", _("Dokument uden personoplysninger")

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="evidence_files"
    )
    activity = models.ForeignKey(
        Activity,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evidence_files",
    )
    session = models.ForeignKey(
        "registrations.Session",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evidence_files",
    )
    criterion = models.ForeignKey(
        Criterion,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evidence_files",
    )
    description = models.CharField(max_length=300)
    consent = models.CharField(max_length=20, choices=Consent.choices)
    file = models.FileField(upload_to=evidence_path)
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=10)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.CharField(max_length=200)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "-uploaded_at"]
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(
                name="evidence_is_attached_to_something",
                condition=models.Q(activity__isnull=False)
                | models.Q(session__isnull=False)
                | models.Q(criterion__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return self.description
