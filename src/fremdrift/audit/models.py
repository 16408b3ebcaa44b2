"""The access log (adgangslog), its spot-check reviews, and each plan's
retention rule for personal data.

The log is append-only. The application cannot change or delete an entry:
``save`` refuses an update, ``delete`` and the queryset's ``update`` and
``delete`` refuse, the admin is read-only, and database triggers (migration
0002) refuse UPDATE and DELETE of the tables whatever the caller.

An entry names the participant by id and by ``participant_ref``, a keyed
one-way hash of the plan and the participant's code, never by the code or
initials themselves: the code is pseudonymous personal data, and an entry
that kept it could not be made anonymous when the participant is erased
without editing the log. While the participant exists, their code is found
through the id; once erased, only someone who already knows the code (and
the installation's secret key) can match it to the hash.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fremdrift.plans.models import Plan


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an append-only row."""


class AppendOnlyQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError(f"{self.model.__name__} rows cannot be changed")

    def delete(self) -> NoReturn:
        raise AppendOnlyError(f"{self.model.__name__} rows cannot be deleted")


class AppendOnly(models.Model):
    """A row that is written once and never changed or deleted."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"a {type(self).__name__} cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError(f"a {type(self).__name__} cannot be deleted")


class AccessLogEntry(AppendOnly):
    """One access to personal data: who viewed, searched, registered,
    changed, exported or erased something about a participant, when, from
    where, and why."""

    class Action(models.TextChoices):
        VIEW = "view", _("Set")
        SEARCH = "search", _("Søgning")
        CREATE = "create", _("Oprettet")
        CHANGE = "change", _("Ændret")
        DELETE = "delete", _("Fjernet")
        EXPORT = "export", _("Udtrukket")
        ERASE = "erase", _("Slettet efter anmodning")
        RETENTION = "retention", _("Slettet efter slettefrist")

    class Purpose(models.TextChoices):
        ACTIVITY = "activity", _("Arbejdet i aktiviteten")
        ENROL = "enrol", _("Skrive op på et forløb")
        ATTENDANCE = "attendance", _("Registrere fremmøde")
        FOLLOW_UP = "follow_up", _("Opfølgning eller resultat")
        INQUIRY = "inquiry", _("Henvendelse fra deltageren eller familien")
        CORRECTION = "correction", _("Rette en fejl")
        OTHER = "other", _("Andet")
        ACCESS_REQUEST = "access_request", _("Indsigtsanmodning")
        ERASURE = "erasure", _("Sletning efter anmodning")
        RETENTION = "retention", _("Slettefrist")
        AUDIT = "audit", _("Kontrol af adgangsloggen")

    at = models.DateTimeField(default=timezone.now, db_index=True)
    # Plain references, not foreign keys that a deletion would cascade to
    # (or be refused by): the log outlives users, plans and participants.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    username = models.CharField(max_length=150)
    plan = models.ForeignKey(
        Plan, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    plan_slug = models.CharField(max_length=100)
    participant_id = models.BigIntegerField(null=True, blank=True)
    participant_ref = models.CharField(max_length=64, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    purpose = models.CharField(max_length=20, choices=Purpose.choices, blank=True)
    purpose_note = models.CharField(max_length=200, blank=True)
    path = models.CharField(max_length=300, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("adgangslogpost")
        verbose_name_plural = _("adgangslog")
        indexes = [
            models.Index(fields=["plan", "at"]),
            models.Index(fields=["plan", "participant_id"]),
            models.Index(fields=["plan", "participant_ref"]),
            models.Index(fields=["plan", "username"]),
        ]
        constraints = [
            # A look-up across the plan needs a reason the staff gave.
            models.CheckConstraint(
                condition=~models.Q(action="search")
                | (~models.Q(purpose="") & ~models.Q(purpose="activity")),
                name="a_search_has_a_purpose",
            ),
            models.CheckConstraint(
                condition=~models.Q(username=""), name="an_entry_names_who"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action}"


class AccessLogReview(AppendOnly):
    """An auditor's review of one log entry drawn in a spot check: looked
    right, or needs following up. A later review of the same entry is a new
    row; nothing is overwritten."""

    class Outcome(models.TextChoices):
        OK = "ok", _("I orden")
        FOLLOW_UP = "follow_up", _("Skal følges op")

    entry = models.ForeignKey(
        AccessLogEntry, on_delete=models.PROTECT, related_name="reviews"
    )
    at = models.DateTimeField(default=timezone.now)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewer_name = models.CharField(max_length=150)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["entry", "at"]
        verbose_name = _("gennemgang af logpost")
        verbose_name_plural = _("gennemgange af logposter")

    def __str__(self) -> str:
        return f"{self.reviewer_name}: {self.get_outcome_display()}"


DEFAULT_RETENTION_MONTHS = 12


class RetentionRule(models.Model):
    """How long a plan keeps personal data after the plan, or one of its
    activities, has ended (slettefrist). Without a rule a plan keeps it
    for ``DEFAULT_RETENTION_MONTHS``."""

    plan = models.OneToOneField(
        Plan, on_delete=models.CASCADE, related_name="retention_rule"
    )
    months = models.PositiveSmallIntegerField(
        default=DEFAULT_RETENTION_MONTHS,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_(
            "Personoplysninger slettes så mange måneder efter, at aktiviteten "
            "eller helhedsplanen er slut."
        ),
    )
    decided_by = models.CharField(max_length=200, blank=True)
    decided_at = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("slettefrist")
        verbose_name_plural = _("slettefrister")

    def __str__(self) -> str:
        return f"{self.plan}: {self.months} md."
