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
