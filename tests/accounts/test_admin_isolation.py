"""The admin keeps to the plans its user administers (issue 17, hole 1): a
staff account with every admin permission, plan administrator of plan A
only, listed plan B's participants at
``/admin/registrations/participant/?plan__id__exact=<B>`` and changed one's
initials; it read plan B's access log, and wrote nothing in it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, Permission, User
from django.test import Client

from fremdrift.accounts.policy import plans_administered_by
from fremdrift.accounts.services import membership_grant
from fremdrift.audit.models import AccessLogEntry
from fremdrift.audit.services import access_log
from fremdrift.plans.models import Activity
from fremdrift.registrations.models import Attendance, Participant, Session

from ..registrations import personas
from ..registrations.factories import participant
from .verified import log_in_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans(mini):  # type: ignore[no-untyped-def]
    """Plan A (the mini plan) and plan B, each with a participant."""
    other, activity = personas.other_plan()
    cafe = mini.activities.get(slug="lektiecafe")
    return {
        "a": mini,
        "b": other,
        "a_person": participant(cafe, initials="AAA"),
        "b_person": participant(activity, initials="BBB"),
        "b_activity": activity,
    }


@pytest.fixture
def admin_of_a(plans) -> Client:  # type: ignore[no-untyped-def]
    """Staff with admin access and every model permission, plan
    administrator of plan A only."""
    person = User.objects.create_user("ada-admin", password="x", is_staff=True)
    person.user_permissions.set(Permission.objects.all())
    membership_grant(user=person, plan=plans["a"], role="plan_admin")
    client = Client()
    log_in_verified(client, person)
    return client


def test_the_admin_lists_no_participant_of_another_plan(admin_of_a, plans) -> None:  # type: ignore[no-untyped-def]
    b_person = plans["b_person"]
    reply = admin_of_a.get(
        f"/admin/registrations/participant/?plan__id__exact={plans['b'].pk}"
    )
    assert b_person.code not in reply.content.decode()
    assert "BBB" not in reply.content.decode()


def test_the_admin_changes_no_participant_of_another_plan(admin_of_a, plans) -> None:  # type: ignore[no-untyped-def]
    b_person = plans["b_person"]
    page = f"/admin/registrations/participant/{b_person.pk}/change/"
    assert "BBB" not in admin_of_a.get(page).content.decode()
    admin_of_a.post(page, {"initials": "XX", "plan": plans["b"].pk})
    b_person.refresh_from_db()
    assert b_person.initials == "BBB"


def test_the_admin_shows_no_personal_data_page_at_all(admin_of_a, plans) -> None:  # type: ignore[no-untyped-def]
    """Participants, households, contacts, follow-ups and answers are the
    team's own pages' (which log every look); the admin has none of them."""
    for model in ("participant", "household", "contact", "followup", "response"):
        assert admin_of_a.get(f"/admin/registrations/{model}/").status_code == 404


def test_the_admin_lists_and_changes_only_its_own_plans_objects(
    admin_of_a, plans
) -> None:  # type: ignore[no-untyped-def]
    b_activity = plans["b_activity"]
    listed = admin_of_a.get(
        f"/admin/plans/activity/?plan__id__exact={plans['b'].pk}"
    ).content.decode()
    assert "Café" not in listed
    own = admin_of_a.get("/admin/plans/activity/").content.decode()
    assert "Lektiecafé" in own or "lektiecafe" in own.lower()
    assert "Andetsteds" not in admin_of_a.get("/admin/plans/plan/").content.decode()

    page = f"/admin/plans/activity/{b_activity.pk}/change/"
    assert admin_of_a.get(page).status_code == 302  # "does not exist"
    admin_of_a.post(page, {"name": "Overtaget", "slug": "lektiecafe"})
    b_activity.refresh_from_db()
    assert b_activity.name == "Café"


def test_the_admin_offers_no_other_plans_rows_to_link_to(admin_of_a, plans) -> None:  # type: ignore[no-untyped-def]
    """A new course can be hung only on an activity of one's own plans."""
    form = admin_of_a.get("/admin/registrations/course/add/").content.decode()
    # The activity's choices, by their options: a bare value="25" may as
    # well be a number field's default.
    assert f'<option value="{plans["b_activity"].pk}"' not in form
    own = plans["a"].activities.first()
    assert f'<option value="{own.pk}"' in form
    # Nor does its own plan's page name another plan's organisation.
    page = admin_of_a.get(f"/admin/plans/plan/{plans['a'].pk}/change/")
    assert page.status_code == 200
    assert "Andetsteds Sekretariat" not in page.content.decode()


def test_the_admin_does_not_show_another_plans_access_log(admin_of_a, plans) -> None:  # type: ignore[no-untyped-def]
    for key, person in (("a", plans["a_person"]), ("b", plans["b_person"])):
        access_log(
            user=None,
            username=f"reader-{key}",
            plan=plans[key],
            action=AccessLogEntry.Action.VIEW,
            participants=[person],
        )
    html = admin_of_a.get("/admin/audit/accesslogentry/").content.decode()
    assert "reader-a" in html
    assert "reader-b" not in html
    b_entry = AccessLogEntry.objects.get(username="reader-b")
    page = f"/admin/audit/accesslogentry/{b_entry.pk}/change/"
    assert "reader-b" not in admin_of_a.get(page).content.decode()


def test_a_session_in_the_admin_logs_who_was_seen_attending(plans) -> None:  # type: ignore[no-untyped-def]
    """The attendance rows of a session name participants: opening the
    session writes the access log, the superuser's look included."""
    cafe = Activity.objects.get(plan=plans["a"], slug="lektiecafe")
    session = Session.objects.create(activity=cafe, date=plans["a"].start)
    Attendance.objects.create(session=session, participant=plans["a_person"])
    root = User.objects.create_superuser("root-admin", password="x")
    client = Client()
    log_in_verified(client, root)
    page = f"/admin/registrations/session/{session.pk}/change/"
    assert client.get(page).status_code == 200
    entry = AccessLogEntry.objects.get(username="root-admin")
    assert entry.participant_id == plans["a_person"].pk
    assert entry.action == AccessLogEntry.Action.VIEW
    assert entry.plan_id == plans["a"].pk


def test_the_admin_offers_users_and_tokens_to_superusers_only(admin_of_a) -> None:  # type: ignore[no-untyped-def]
    """Accounts have no plan: a plan administrator who changed them could
    make himself a superuser."""
    assert admin_of_a.get("/admin/auth/user/").status_code == 403
    assert admin_of_a.get("/admin/api/apitoken/").status_code == 403


def test_plans_administered_by_are_the_plan_administrators_plans(plans) -> None:  # type: ignore[no-untyped-def]
    person = User.objects.create_user("pa")
    membership_grant(user=person, plan=plans["a"], role="plan_admin")
    membership_grant(user=person, plan=plans["b"], role="coordinator")
    assert list(plans_administered_by(person)) == [plans["a"]]
    root = User.objects.create_superuser("root2", password="x")
    assert set(plans_administered_by(root)) == {plans["a"], plans["b"]}
    assert not Participant.objects.filter(
        plan__in=plans_administered_by(AnonymousUser())
    )


def test_every_admin_is_scoped_and_the_models_of_no_plan_are_known() -> None:
    """A model added to the admin is scoped by its path to the plan; one
    with no such path is for superusers only, and is named here so that
    nobody adds one unnoticed."""
    from django.contrib import admin

    from fremdrift.accounts.admin_scoping import PlanScopedAdmin, plan_lookup_for

    registry = admin.site._registry
    assert all(
        isinstance(model_admin, PlanScopedAdmin) for model_admin in registry.values()
    )
    of_no_plan = sorted(m._meta.label for m in registry if plan_lookup_for(m) is None)
    assert of_no_plan == [
        "api.ApiToken",
        "auth.Group",
        "auth.User",
        "axes.AccessAttempt",
        "axes.AccessFailureLog",
        "axes.AccessLog",
        "django_tasks_database.DBTaskResult",
        "otp_totp.TOTPDevice",
        "plans.Organisation",
    ]
