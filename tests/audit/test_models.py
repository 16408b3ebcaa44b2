"""The access log is append-only: the model, the queryset, the admin and
the database itself refuse to change or delete an entry, on SQLite and
PostgreSQL alike."""

from __future__ import annotations

import pytest
from django.contrib.admin.sites import site
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.test import RequestFactory

from fremdrift.audit.models import (
    AccessLogEntry,
    AccessLogReview,
    AppendOnlyError,
)
from fremdrift.audit.refs import participant_ref
from fremdrift.audit.services import access_log, review_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(cafe, ali, alice) -> AccessLogEntry:  # type: ignore[no-untyped-def]
    (logged,) = access_log(
        user=alice,
        plan=cafe.plan,
        action="view",
        participants=[ali.participant],
        object_type="participant",
        object_id=ali.participant.pk,
        purpose="activity",
    )
    return logged


def test_an_entry_names_the_participant_by_id_and_keyed_hash_not_code(
    entry, ali
) -> None:  # type: ignore[no-untyped-def]
    person = ali.participant
    assert entry.participant_id == person.pk
    assert entry.participant_ref == participant_ref(
        plan_id=person.plan_id, code=person.code
    )
    row = AccessLogEntry.objects.filter(pk=entry.pk).values().get()
    assert person.code not in repr(row)
    assert "Ali" not in repr(row)
    # Keyed: another secret key gives another hash.
    assert entry.participant_ref != participant_ref(
        plan_id=person.plan_id, code=person.code, secret="another key"
    )


def test_saving_an_existing_entry_is_refused(entry) -> None:  # type: ignore[no-untyped-def]
    entry.username = "mallory"
    with pytest.raises(AppendOnlyError):
        entry.save()


def test_deleting_an_entry_is_refused(entry) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.filter(pk=entry.pk).update(username="mallory")
    assert AccessLogEntry.objects.get(pk=entry.pk).username == "alice"


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_accesslogentry SET username = 'mallory'",
        "UPDATE audit_accesslogentry SET participant_ref = ''",
        "DELETE FROM audit_accesslogentry",
        "DELETE FROM audit_accesslogentry WHERE id = %s",
    ],
)
def test_raw_sql_cannot_change_or_delete_an_entry(entry, sql: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DatabaseError, match="append-only"):  # noqa: SIM117
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk] if "%s" in sql else None)
    assert AccessLogEntry.objects.get(pk=entry.pk).username == "alice"


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_accesslogreview SET outcome = 'ok'",
        "DELETE FROM audit_accesslogreview",
    ],
)
def test_raw_sql_cannot_change_or_delete_a_review(entry, dora, sql: str) -> None:  # type: ignore[no-untyped-def]
    review_record(entry=entry, reviewer=dora, outcome="follow_up", note="Spørg")
    with pytest.raises(DatabaseError, match="append-only"):  # noqa: SIM117
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AccessLogReview.objects.get().outcome == "follow_up"


def test_inserting_stays_possible_under_the_triggers(entry) -> None:  # type: ignore[no-untyped-def]
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_accesslogentry (at, username, plan_id, plan_slug, "
            "participant_ref, action, object_type, object_id, purpose, "
            "purpose_note, path) SELECT at, username, plan_id, plan_slug, '', "
            "'view', '', '', '', '', '' FROM audit_accesslogentry WHERE id = %s",
            [entry.pk],
        )
    assert AccessLogEntry.objects.count() == 2


def test_a_search_without_a_purpose_is_refused(cafe, alice) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="purpose"):
        access_log(user=alice, plan=cafe.plan, action="search")
    with pytest.raises(ValueError, match="note"):
        access_log(user=alice, plan=cafe.plan, action="search", purpose="other")
    with pytest.raises(IntegrityError), transaction.atomic():
        AccessLogEntry.objects.create(
            plan=cafe.plan, plan_slug="x", username="alice", action="search"
        )


def test_an_entry_needs_someone_and_the_participants_plan(cafe, ali) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import AnonymousUser

    from ..registrations import personas

    with pytest.raises(ValueError, match="logged-in user"):
        access_log(user=AnonymousUser(), plan=cafe.plan, action="view")
    elsewhere, _activity = personas.other_plan()
    with pytest.raises(ValueError, match="another plan"):
        access_log(
            user=None,
            username="cli:test",
            plan=elsewhere,
            action="view",
            participants=[ali.participant],
        )


def test_the_admin_shows_the_log_read_only(entry) -> None:  # type: ignore[no-untyped-def]
    request = RequestFactory().get("/admin/")
    for model in (AccessLogEntry, AccessLogReview):
        admin = site._registry[model]
        assert not admin.has_add_permission(request)
        assert not admin.has_change_permission(request, entry)
        assert not admin.has_delete_permission(request, entry)
