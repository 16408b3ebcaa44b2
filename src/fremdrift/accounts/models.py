"""Who may do what in which plan.

A user has one role per plan (``PlanMembership``). Staff register for the
activities they are assigned to (``ActivityAssignment``); coordinators and
plan administrators register for every activity of their plans; board
members and auditors read but do not register. Superusers may do
everything (they are the installation's administrators).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from fremdrift.plans.models import Activity, Plan


class PlanMembership(models.Model):
    """A user's role in one plan (rolle i helhedsplanen)."""

    class Role(models.TextChoices):
        PLAN_ADMIN = "plan_admin", "Planadministrator"
        COORDINATOR = "coordinator", "Koordinator"
        STAFF = "staff", "Medarbejder"
        BOARD = "board", "Bestyrelse og styregruppe"
        AUDITOR = "auditor", "Revisor"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="plan_memberships",
    )
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)

    class Meta:
        ordering = ["plan", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "plan"], name="one_role_per_user_and_plan"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} i {self.plan}"


# Roles that register participants, sessions and attendance.
REGISTERING_ROLES = frozenset(
    {
        PlanMembership.Role.PLAN_ADMIN,
        PlanMembership.Role.COORDINATOR,
        PlanMembership.Role.STAFF,
    }
)
# Roles that register for every activity of the plan, not only assigned ones.
PLAN_WIDE_ROLES = frozenset(
    {PlanMembership.Role.PLAN_ADMIN, PlanMembership.Role.COORDINATOR}
)


class ActivityAssignment(models.Model):
    """A staff member assigned to an activity: they register its courses,
    sessions and attendance (and those of its sub-activities)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="activity_assignments",
    )
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="assignments"
    )

    class Meta:
        ordering = ["activity", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "activity"], name="assigned_once_per_activity"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.activity}"


class PlanSecurity(models.Model):
    """What a plan's administrator asks of everyone in the plan when they
    log in (sikkerhed i helhedsplanen): with ``two_factor_required``, every
    member, whatever their role, confirms a one-time code from an
    authenticator app after the password (``selectors.two_factor_required``).
    A plan without a row asks only what the roles ask."""

    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="security")
    two_factor_required = models.BooleanField(
        "Kræv godkendelsesapp af alle i planen",
        default=False,
        help_text=(
            "Alle med en rolle i planen skal bekræfte en engangskode fra en "
            "godkendelsesapp efter adgangskoden."
        ),
    )
    changed_at = models.DateTimeField(auto_now=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "planens sikkerhed"
        verbose_name_plural = "planernes sikkerhed"

    def __str__(self) -> str:
        return f"Sikkerhed i {self.plan}"
