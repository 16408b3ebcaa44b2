"""Who may see and do what in a plan: the one policy that the web pages,
the staff pages, the downloads, the audit pages and the API all ask.

Everything follows from the roles a user holds per plan
(``PlanMembership``), and superusers may do everything. Anonymous and
deactivated users hold no role. Two kinds of answers:

- a check (``may_*``, ``is_plan_member``): may this user do this, here;
- a visibility queryset (``plans_visible_to``, ``plans_for``,
  ``activities_for``, ``plans_audited_by``): everything the user may see
  of a kind, as one query, for lists and for ``get_object_or_404``;

and, for numbers, the audience (``audience_for``): how much of a plan's
numbers the user sees. The team sees small counts of persons; everyone
else gets the board's version with them hidden. What the audience hides is
applied in ``fremdrift.evaluation.discretion``, not here.

The callers turn a refusal into their own answer (404 for what the user
may not know exists, 403 for a member without the role; the API's
``api/access.py`` does so for the API).

Not django-rules: its predicates answer yes or no for one object under a
permission name, while most of this policy is querysets (the plans and
activities a user sees, in one query for a list) and a three-valued
audience. Registering string names for the yes-or-no checks would add a
dependency and an indirection without removing a single query; plain
functions over the roles per plan say the same thing and grep well.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as Account
from django.db.models import Q, QuerySet

from fremdrift.core.discretion import Audience
from fremdrift.plans.models import Activity, Organisation, Plan

if TYPE_CHECKING:
    from typing_extensions import TypeIs  # typing.TypeIs from Python 3.13

from .models import (
    PLAN_WIDE_ROLES,
    REGISTERING_ROLES,
    ActivityAssignment,
    PlanMembership,
)

User = Account | AnonymousUser

# Roles that read a plan's access log: its auditors and its administrators.
LOG_READING_ROLES = frozenset(
    {PlanMembership.Role.AUDITOR, PlanMembership.Role.PLAN_ADMIN}
)


def _holds_roles(user: User) -> TypeIs[Account]:
    """An active, logged-in account: only such a user's roles count. (A
    False answer narrows ``user`` to AnonymousUser for the type checker,
    though a deactivated account answers False too: every caller returns
    at once on False, so that branch's type is never used.)"""
    return user.is_authenticated and user.is_active


# Plans -------------------------------------------------------------------


def plans_visible_to(user: User) -> QuerySet[Plan]:
    """The plans whose pages ``user`` may read, as one query: every plan,
    for anyone, anonymous visitors and members of other plans included. A
    plan's pages, reports and numbers in the board's version are public
    (docs/privacy.md); ``audience_for`` says whether ``user`` sees more.
    The web's plan list and plan pages and the API's plan list and plan
    reads all ask this, so the two agree on what a non-member sees (the
    API only asks for a token first). What only members reach (the staff
    pages, imports, the API's registrations) asks ``is_plan_member`` or a
    ``may_*`` check instead, and answers 404 to everyone else."""
    del user  # the same plans for everyone, by the rule above
    return Plan.objects.select_related("organisation")


def plans_for(user: User) -> QuerySet[Plan]:
    """The plans ``user`` holds a role in (any role), as one query; every
    plan for a superuser, none for anonymous or deactivated users. The
    cross-plan overview and the API's plan list show these and no
    others."""
    plans = Plan.objects.select_related("organisation")
    if not _holds_roles(user):
        return plans.none()
    if user.is_superuser:
        return plans.all()
    return plans.filter(memberships__user=user).distinct()


def is_plan_member(user: User, plan: Plan) -> bool:
    """Any role in the plan (or a superuser)."""
    if not _holds_roles(user):
        return False
    return user.is_superuser or plan.memberships.filter(user=user).exists()


# How much of a plan's numbers --------------------------------------------


def audience_for(user: User, plan: Plan) -> Audience:
    """How much of a plan's numbers ``user`` may see: the team (plan
    administrators, coordinators, staff) and superusers see small counts
    (``INTERNAL``); everyone else, anonymous visitors included, sees the
    board's version with small counts of persons hidden (``BOARD``)."""
    if not _holds_roles(user):
        return Audience.BOARD
    if user.is_superuser:
        return Audience.INTERNAL
    team = plan.memberships.filter(user=user, role__in=REGISTERING_ROLES).exists()
    return Audience.INTERNAL if team else Audience.BOARD


def audiences_for(user: User, plans: Iterable[Plan]) -> dict[int, Audience]:
    """``audience_for`` of each of ``plans``, by plan id, in one query
    whatever the number of plans."""
    ids = [plan.pk for plan in plans]
    if not _holds_roles(user):
        return dict.fromkeys(ids, Audience.BOARD)
    if user.is_superuser:
        return dict.fromkeys(ids, Audience.INTERNAL)
    team = set(
        PlanMembership.objects.filter(
            user=user, plan_id__in=ids, role__in=REGISTERING_ROLES
        ).values_list("plan_id", flat=True)
    )
    return {i: Audience.INTERNAL if i in team else Audience.BOARD for i in ids}


def sees_version(reader: Audience, version: Audience | str) -> bool:
    """Whether a reader at audience ``reader`` may see a report made for
    ``version``: the internal version (with small counts) is for the
    internal audience only; the board's and the public version are for
    everyone."""
    return version != Audience.INTERNAL or reader == Audience.INTERNAL


def may_download(user: User, plan: Plan, audience: Audience | str) -> bool:
    """Whether ``user`` may download ``plan``'s report made for
    ``audience`` (``sees_version`` at the user's ``audience_for``)."""
    return sees_version(audience_for(user, plan), audience)


def issued_reports_filter(reader: Audience) -> Q:
    """The filter on a plan's issued reports (``IssuedReport``) that a
    reader at audience ``reader`` may see: ``sees_version`` as a query.
    The caller passes ``audience_for`` of the user, which it usually has
    at hand for the rest of the page."""
    if reader == Audience.INTERNAL:
        return Q()
    return ~Q(audience=Audience.INTERNAL)


def _runs_plan(user: User, plan: Plan) -> bool:
    """A coordinator or plan administrator of ``plan``, or a superuser."""
    if not _holds_roles(user):
        return False
    if user.is_superuser:
        return True
    return plan.memberships.filter(user=user, role__in=PLAN_WIDE_ROLES).exists()


def may_issue_reports(user: User, plan: Plan) -> bool:
    """Coordinators and plan administrators of ``plan`` (and superusers)
    issue its reports to the board, the city council and Landsbyggefonden;
    nobody else, staff, board members and auditors included."""
    return _runs_plan(user, plan)


def may_write_plan_commentary(user: User, plan: Plan) -> bool:
    """Coordinators and plan administrators of ``plan`` (and superusers)
    write the team's commentary on the plan and on its effort areas; staff
    write it on their own activities only (``may_register``)."""
    return _runs_plan(user, plan)


# Registering -------------------------------------------------------------


def activities_for(user: User) -> QuerySet[Activity]:
    """The activities ``user`` may register for, as one query.

    Staff: the activities they are assigned to and their sub-activities, in
    plans where they still hold a registering role. Coordinators and plan
    administrators: every activity of their plans. Board members, auditors
    and anonymous users: none. Superusers: every activity.
    """
    if not _holds_roles(user):
        return Activity.objects.none()
    if user.is_superuser:
        return Activity.objects.all()
    registering = Q(
        plan__memberships__user=user,
        plan__memberships__role__in=REGISTERING_ROLES,
    )
    assigned = ActivityAssignment.objects.filter(user=user).values("activity_id")
    plan_wide = Activity.objects.filter(
        plan__memberships__user=user,
        plan__memberships__role__in=PLAN_WIDE_ROLES,
    ).values("pk")
    return Activity.objects.filter(
        registering
        & (Q(pk__in=assigned) | Q(parent_id__in=assigned) | Q(pk__in=plan_wide))
    ).distinct()


def may_register(user: User, activity: Activity) -> bool:
    """Whether ``user`` registers for ``activity`` (``activities_for``)."""
    return activities_for(user).filter(pk=activity.pk).exists()


def may_register_in_plan(user: User, plan: Plan) -> bool:
    """Whether ``user`` registers for at least one activity of ``plan``:
    what a plan-wide registration (a household, a participant of no
    activity yet) needs."""
    return activities_for(user).filter(plan=plan).exists()


# The plan's structure -------------------------------------------------------


def may_edit_plan(user: User, plan: Plan) -> bool:
    """Coordinators and plan administrators of ``plan`` (and superusers)
    change its structure: its plan folder downloaded, changed and loaded
    again. Staff, board members and auditors do not."""
    if not _holds_roles(user):
        return False
    if user.is_superuser:
        return True
    return plan.memberships.filter(user=user, role__in=PLAN_WIDE_ROLES).exists()


def organisations_for_new_plans(user: User) -> QuerySet[Organisation]:
    """The organisations ``user`` may create a plan for: those of the plans
    where the user is a coordinator or plan administrator (a secretariat
    starts its next plan), every organisation for a superuser, none for
    anyone else."""
    if not _holds_roles(user):
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(
        plans__memberships__user=user,
        plans__memberships__role__in=PLAN_WIDE_ROLES,
    ).distinct()


def may_create_plan(user: User, organisation: Organisation | None = None) -> bool:
    """Whether ``user`` may create a plan (for ``organisation``, when
    given): coordinators and plan administrators, for the organisations of
    their plans (``organisations_for_new_plans``), and superusers, for any
    organisation, a new one included. Staff, board members, auditors and
    anonymous users may not."""
    if not _holds_roles(user):
        return False
    if user.is_superuser:
        return True
    organisations = organisations_for_new_plans(user)
    if organisation is None:
        return organisations.exists()
    return organisations.filter(pk=organisation.pk).exists()


# Area statistics ---------------------------------------------------------


def may_import_statistics(user: User, plan: Plan) -> bool:
    """Coordinators import (and undo imports of) a plan's area statistics;
    superusers may too. Nobody else, plan administrators included: an
    import changes the numbers every goal is judged on."""
    if not _holds_roles(user):
        return False
    if user.is_superuser:
        return True
    return plan.memberships.filter(
        user=user, role=PlanMembership.Role.COORDINATOR
    ).exists()


# The access log ----------------------------------------------------------


def may_read_access_log(user: User, plan: Plan) -> bool:
    """Auditors and plan administrators of ``plan`` (and superusers) read
    its access log; nobody else, coordinators and staff included."""
    if not _holds_roles(user):
        return False
    if user.is_superuser:
        return True
    return PlanMembership.objects.filter(
        user=user, plan=plan, role__in=LOG_READING_ROLES
    ).exists()


def plans_audited_by(user: User) -> QuerySet[Plan]:
    """The plans whose log ``user`` reads (``may_read_access_log``), for
    the link on their home page."""
    if not _holds_roles(user):
        return Plan.objects.none()
    if user.is_superuser:
        return Plan.objects.all()
    return Plan.objects.filter(
        memberships__user=user, memberships__role__in=LOG_READING_ROLES
    ).distinct()


# The admin ---------------------------------------------------------------


def plans_administered_by(user: User) -> QuerySet[Plan]:
    """The plans whose rows ``user`` lists and changes in the admin: those
    they are plan administrator of (every plan for a superuser, none for
    anyone else). The admin's permissions say what kind of row; this says
    whose (``accounts.admin_scoping``)."""
    if not _holds_roles(user):
        return Plan.objects.none()
    if user.is_superuser:
        return Plan.objects.all()
    return Plan.objects.filter(
        memberships__user=user, memberships__role=PlanMembership.Role.PLAN_ADMIN
    ).distinct()


# The change history ---------------------------------------------------------

# Roles that read the whole change history of a plan: those who run it and
# its auditors.
HISTORY_READING_ROLES = PLAN_WIDE_ROLES | {PlanMembership.Role.AUDITOR}


def may_read_history(user: User, plan: Plan) -> bool:
    """Coordinators, plan administrators and auditors of ``plan`` (and
    superusers) read the change history of everything in it: its criteria
    and reported values, activities, observations, commentary, courses and
    sessions. Board members do not; staff read only their own activities'
    (``may_read_activity_history``)."""
    if not _holds_roles(user):
        return False
    if user.is_superuser:
        return True
    return PlanMembership.objects.filter(
        user=user, plan=plan, role__in=HISTORY_READING_ROLES
    ).exists()


def may_read_activity_history(user: User, activity: Activity) -> bool:
    """The change history of ``activity`` and of its registrations (its
    courses with their enrolments, its sessions with their attendance, its
    commentary): ``may_read_history`` of its plan, or staff who register
    for it (``may_register``)."""
    return may_read_history(user, activity.plan) or may_register(user, activity)


# One plan page's questions --------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlanAbilities:
    """What ``user`` may do on one plan's page: the answers of
    ``may_edit_plan``, ``may_import_statistics``, ``may_issue_reports``,
    ``may_write_plan_commentary``, ``may_read_history`` and
    ``may_set_plan_security``."""

    edit_plan: bool = False
    import_statistics: bool = False
    issue_reports: bool = False
    write_plan_commentary: bool = False
    read_history: bool = False
    set_plan_security: bool = False


def plan_abilities(user: User, plan: Plan) -> PlanAbilities:
    """``PlanAbilities`` of ``user`` in ``plan`` from one query of their
    roles (the plan page asks all six; one query each would grow with
    every new question)."""
    if not _holds_roles(user):
        return PlanAbilities()
    if user.is_superuser:
        return PlanAbilities(True, True, True, True, True, True)
    roles = set(plan.memberships.filter(user=user).values_list("role", flat=True))
    runs = bool(roles & PLAN_WIDE_ROLES)
    return PlanAbilities(
        edit_plan=runs,
        import_statistics=PlanMembership.Role.COORDINATOR in roles,
        issue_reports=runs,
        write_plan_commentary=runs,
        read_history=bool(roles & HISTORY_READING_ROLES),
        set_plan_security=PlanMembership.Role.PLAN_ADMIN in roles,
    )


def may_set_plan_security(user: User, plan: Plan) -> bool:
    """The plan's administrators (and superusers) say what the plan asks
    of its members when they log in (``PlanSecurity``: a one-time code from
    an authenticator app for everyone); nobody else, coordinators
    included."""
    if not _holds_roles(user):
        return False
    if user.is_superuser:
        return True
    return plan.memberships.filter(
        user=user, role=PlanMembership.Role.PLAN_ADMIN
    ).exists()
