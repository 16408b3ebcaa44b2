"""Erasing a participant, exporting everything about one, and the
retention rule, with a frozen clock: after the deadline no personal row or
file is left (the admin's history included), before it nothing goes; the
verdicts and the issued reports stay as they were; the access log keeps
the erasures but no code or name."""

from __future__ import annotations

import datetime
import json
import stat
import zoneinfo
from pathlib import Path

import pytest
import time_machine
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError

from fremdrift.audit.models import AccessLogEntry, RetentionRule
from fremdrift.core.plan_model import verdict_record
from fremdrift.evaluation.selectors import plan_judged_criteria
from fremdrift.evidence.models import Evidence
from fremdrift.evidence.services import evidence_attach
from fremdrift.plans.models import Activity, Criterion, Plan
from fremdrift.privacy.gdpr import (
    Actor,
    participant_erase,
    participant_export,
    retention_apply,
    retention_review,
)
from fremdrift.registrations.models import (
    Answer,
    Attendance,
    Contact,
    Enrolment,
    FollowUp,
    Household,
    Participant,
    Questionnaire,
    Response,
    Session,
)
from fremdrift.reports.models import IssuedReport
from fremdrift.reports.services import report_issue

from ..registrations import personas
from ..registrations.factories import (
    attend,
    course,
    enrol,
    participant,
    weekly_sessions,
)

pytestmark = pytest.mark.django_db

CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")
OPS = Actor("cli:ops")


def at(day: str) -> time_machine.travel:
    """Freeze the clock at noon, Copenhagen time, on ``day``."""
    moment = datetime.datetime.fromisoformat(day).replace(hour=12, tzinfo=CPH)
    return time_machine.travel(moment, tick=False)


def personal_rows(plan: Plan) -> dict[str, int]:
    return {
        "participants": Participant.objects.filter(plan=plan).count(),
        "households": Household.objects.filter(plan=plan).count(),
        "enrolments": Enrolment.objects.filter(participant__plan=plan).count(),
        "attendance": Attendance.objects.filter(participant__plan=plan).count(),
        "contacts": Contact.objects.filter(participant__plan=plan).count(),
        "follow_ups": FollowUp.objects.filter(
            enrolment__participant__plan=plan
        ).count(),
        "responses": Response.objects.filter(enrolment__participant__plan=plan).count(),
        "answers": Answer.objects.filter(
            response__enrolment__participant__plan=plan
        ).count(),
        "evidence": Evidence.objects.filter(plan=plan).count(),
    }


def files_in(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def history(user, *objects) -> None:  # type: ignore[no-untyped-def]
    """What the admin writes when someone edits ``objects`` there."""
    for obj in objects:
        LogEntry.objects.create(
            user=user,
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
            object_repr=str(obj)[:200],
            action_flag=CHANGE,
            change_message="[]",
        )


def verdicts(plan: Plan, day: str) -> list[dict[str, object]]:
    return [
        verdict_record(item)
        for item in plan_judged_criteria(
            plan=plan, as_of=datetime.date.fromisoformat(day)
        )
    ]


def log_text() -> str:
    return repr(list(AccessLogEntry.objects.values()))


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def registered(mini, media, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """The café in 2023: a course of three children (two siblings), their
    attendance, outcomes, follow-ups, questionnaires, outreach contacts, a
    photo from a session (and a copy of it), and the admin's history about
    them; the café's criterion counted from the registrations."""
    personas.count_children(mini)
    cafe = mini.activities.get(slug="lektiecafe")
    alice = personas.alice(cafe)
    run = course(cafe, "2023-01-09", "2023-06-23", name="Forår 2023")
    sessions = weekly_sessions(run, 10)
    family = Household.objects.create(plan=mini)
    people = [
        participant(cafe, initials="Ali", birth_year=2014, household=family),
        participant(cafe, initials="Aya", birth_year=2016, household=family),
        participant(
            cafe,
            initials="Bo",
            birth_year=2015,
            household=Household.objects.create(plan=mini),
        ),
    ]
    enrolments = [enrol(run, p, end=run.end, outcome="completed") for p in people]
    attend(sessions[:8], *people)
    questionnaire = Questionnaire.objects.create(activity=cafe, name="Trivsel")
    item = questionnaire.items.create(
        text="Jeg kan lide skolen", scale="likert5", purpose="change"
    )
    for enrolment in enrolments:
        FollowUp.objects.create(enrolment=enrolment, due=datetime.date(2023, 9, 23))
        for phase, value in (("pre", 2), ("post", 4)):
            response = Response.objects.create(
                questionnaire=questionnaire,
                enrolment=enrolment,
                phase=phase,
                date=run.start,
            )
            Answer.objects.create(response=response, item=item, value=value)
    Contact.objects.create(
        activity=cafe, date=run.start, kind="contact", participant=people[2]
    )
    Contact.objects.create(
        activity=cafe, date=run.start, kind="contact", anonymous_count=7
    )
    with django_capture_on_commit_callbacks(execute=True):
        photo = evidence_attach(
            plan=mini, data=b"%PDF-1.4 foto", description="Fra lektiecaféen",
            consent="written", uploaded_by="alice", session=sessions[0],
        )  # fmt: skip
        evidence_attach(
            plan=mini, data=b"%PDF-1.4 foto", description="Samme igen",
            consent="written", uploaded_by="alice", activity=cafe,
        )  # fmt: skip
        evidence_attach(
            plan=mini, data=b"%PDF-1.4 plan", description="Referat",
            consent="document", uploaded_by="alice", activity=cafe,
        )  # fmt: skip
    history(alice, *people, *enrolments, family)
    return {
        "plan": mini,
        "cafe": cafe,
        "people": people,
        "photo": photo,
        "alice": alice,
    }


# ---------------------------------------------------------------- erasure


def test_erasing_a_participant_removes_them_and_everything_only_about_them(
    registered, media, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    plan, (ali, aya, _bo) = registered["plan"], registered["people"]
    photo = registered["photo"]
    before = personal_rows(plan)
    with django_capture_on_commit_callbacks(execute=True):
        summary = participant_erase(
            plan=plan,
            code=ali.code,
            reason="Anmodning fra forælder",
            actor=OPS,
            evidence_ids=[photo.pk],
        )
    assert summary.applied
    after = personal_rows(plan)
    assert before["participants"] - after["participants"] == 1
    assert not Participant.objects.filter(pk=ali.pk).exists()
    assert not Enrolment.objects.filter(participant_id=ali.pk).exists()
    assert not Attendance.objects.filter(participant_id=ali.pk).exists()
    assert before["answers"] - after["answers"] == 2
    assert before["follow_ups"] - after["follow_ups"] == 1
    # The household stays: Aya is still in it.
    assert Household.objects.filter(pk=aya.household_id).exists()
    # The photo and its copy are gone, from the disk too; the minutes stay.
    assert list(Evidence.objects.values_list("description", flat=True)) == ["Referat"]
    assert [p.name for p in files_in(media)] == [
        Evidence.objects.get().file.name.rsplit("/", 1)[-1]
    ]
    # The admin's history about Ali and his enrolment is gone; Aya's stays.
    assert not LogEntry.objects.filter(object_repr__contains=ali.code).exists()
    assert LogEntry.objects.filter(object_repr__contains=aya.code).exists()


def test_the_last_member_takes_the_household_along(registered) -> None:  # type: ignore[no-untyped-def]
    plan, (_ali, _aya, bo) = registered["plan"], registered["people"]
    household = bo.household_id
    participant_erase(plan=plan, code=bo.code, reason="Anmodning", actor=OPS)
    assert not Household.objects.filter(pk=household).exists()
    assert Contact.objects.filter(anonymous_count=7).exists()


def test_an_erasure_is_logged_with_who_and_why_and_no_code(registered) -> None:  # type: ignore[no-untyped-def]
    plan, (ali, _aya, _bo) = registered["plan"], registered["people"]
    participant_erase(
        plan=plan, code=ali.code, reason="Anmodning fra forælder", actor=OPS
    )
    entry = AccessLogEntry.objects.get(action="erase")
    assert (entry.username, entry.purpose, entry.purpose_note) == (
        "cli:ops",
        "erasure",
        "Anmodning fra forælder",
    )
    assert entry.participant_id == ali.pk
    assert ali.code not in log_text() and "Ali" not in log_text()


def test_reported_numbers_stay_as_issued_after_an_erasure(registered) -> None:  # type: ignore[no-untyped-def]
    plan, (ali, _aya, _bo) = registered["plan"], registered["people"]
    issued = report_issue(
        plan=plan,
        kind="final",
        fmt="html",
        recipient="Bestyrelsen",
        issued_by="erik",
        as_of=datetime.date(2023, 12, 31),
    )
    kept = (bytes(issued.content), issued.snapshot, issued.data_fingerprint)
    participant_erase(plan=plan, code=ali.code, reason="Anmodning", actor=OPS)
    issued = IssuedReport.objects.get()
    assert (bytes(issued.content), issued.snapshot, issued.data_fingerprint) == kept


def test_an_erasure_without_a_reason_or_for_an_unknown_code_is_refused(
    registered,
) -> None:  # type: ignore[no-untyped-def]
    plan, (ali, _aya, _bo) = registered["plan"], registered["people"]
    with pytest.raises(ValueError, match="reason"):
        participant_erase(plan=plan, code=ali.code, reason=" ", actor=OPS)
    with pytest.raises(LookupError):
        participant_erase(plan=plan, code="D-NOBODY", reason="x", actor=OPS)
    with pytest.raises(ValueError, match="no evidence"):
        participant_erase(
            plan=plan, code=ali.code, reason="x", actor=OPS, evidence_ids=[99999]
        )
    assert Participant.objects.filter(pk=ali.pk).exists()


def test_the_erase_command_needs_yes(registered, capsys) -> None:  # type: ignore[no-untyped-def]
    plan, (ali, _aya, _bo) = registered["plan"], registered["people"]
    with pytest.raises(CommandError, match="--yes"):
        call_command("participant_erase", plan.slug, ali.code, "--reason", "Anmodning")
    assert "would erase" in capsys.readouterr().out
    assert Participant.objects.filter(pk=ali.pk).exists()
    assert not AccessLogEntry.objects.exists()
    call_command(
        "participant_erase", plan.slug, ali.code, "--reason", "Anmodning", "--yes",
        "--by", "erik",
    )  # fmt: skip
    out = capsys.readouterr().out
    assert out.startswith(f"erased {ali.code}: participants: 1, households: 0")
    assert not Participant.objects.filter(pk=ali.pk).exists()
    assert AccessLogEntry.objects.get().username == "cli:erik"


# ---------------------------------------------------------------- export


def test_the_export_holds_everything_about_one_participant(registered) -> None:  # type: ignore[no-untyped-def]
    plan, (ali, aya, _bo) = registered["plan"], registered["people"]
    record = participant_export(plan=plan, code=ali.code.lower(), actor=OPS)
    assert record["participant"]["code"] == ali.code
    assert record["participant"]["initials"] == "Ali"
    assert record["participant"]["birth_year"] == 2014
    assert record["household"]["other_members"] == 1
    assert aya.code not in json.dumps(record) and "Aya" not in json.dumps(record)
    (enrolment,) = record["enrolments"]
    assert enrolment["outcome"] == "completed"
    assert len(enrolment["follow_ups"]) == 1
    assert [r["answers"][0]["value"] for r in enrolment["responses"]] == [2, 4]
    assert len(record["attendance"]) == 8
    assert record["evidence"][0]["description"] == "Fra lektiecaféen"
    assert record["access_log"] == []
    exported = AccessLogEntry.objects.get()
    assert (exported.action, exported.participant_id, exported.purpose) == (
        "export",
        ali.pk,
        "access_request",
    )
    again = participant_export(plan=plan, code=ali.code, actor=OPS)
    assert [e["action"] for e in again["access_log"]] == ["export"]


def test_the_export_command_writes_a_private_json_file(
    registered, tmp_path, capsys
) -> None:  # type: ignore[no-untyped-def]
    plan, (ali, _aya, _bo) = registered["plan"], registered["people"]
    out = tmp_path / "ali.json"
    call_command("participant_export", plan.slug, ali.code, "--out", str(out))
    assert (
        json.loads(out.read_text(encoding="utf-8"))["participant"]["code"] == ali.code
    )
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert capsys.readouterr().out.startswith(f"{out}: {ali.code}: 1 enrolments")
    with pytest.raises(CommandError, match="no participant"):
        call_command("participant_export", plan.slug, "D-NOBODY", "--out", str(out))


# ---------------------------------------------------------------- retention


def test_before_the_plans_deadline_nothing_is_deleted(
    registered, media, capsys
) -> None:  # type: ignore[no-untyped-def]
    plan = registered["plan"]
    before = personal_rows(plan)
    files = files_in(media)
    # The plan ends 2026-12-31; 12 months later is the last day kept.
    with at("2027-12-31"):
        call_command("retention", "--apply")
    assert personal_rows(plan) == before
    assert files_in(media) == files
    assert not AccessLogEntry.objects.exists()
    assert "deleted: nothing" in capsys.readouterr().out


def test_after_the_plans_deadline_no_personal_row_or_file_is_left(
    registered, media, capsys, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    plan, people = registered["plan"], registered["people"]
    issued = report_issue(
        plan=plan, kind="final", fmt="html", recipient="LBF", issued_by="erik",
        as_of=datetime.date(2026, 12, 31),
    )  # fmt: skip
    judged = verdicts(plan, "2028-01-01")
    assert any(v["id"] == "bf-lektiecafe-boern" and v["achieved"] == 3 for v in judged)

    with at("2028-01-01"), django_capture_on_commit_callbacks(execute=True):
        call_command("retention", "--dry-run")
        assert personal_rows(plan)["participants"] == 3
        call_command("retention", "--apply")

    assert personal_rows(plan) == dict.fromkeys(personal_rows(plan), 0)
    assert files_in(media) == []
    # The admin's history went with the rows it named.
    assert not LogEntry.objects.exists()
    # The anonymous head count is not personal, and stays.
    assert Contact.objects.filter(participant__isnull=True).count() == 1
    # Counted criteria were frozen first: the verdicts are unchanged.
    assert verdicts(plan, "2028-01-01") == judged
    frozen = Criterion.objects.get(plan=plan, ident="bf-lektiecafe-boern")
    assert frozen.measure == {} and frozen.counts_persons
    assert IssuedReport.objects.get().snapshot == issued.snapshot
    # The log says what went, but names nobody.
    log = AccessLogEntry.objects.filter(action="retention")
    assert {e.participant_id for e in log if e.participant_id} == {p.pk for p in people}
    for person in people:
        assert person.code not in log_text()
        assert person.initials not in log_text()
    out = capsys.readouterr().out
    assert "eksempelby-2022-26: keep 12 months; plan kept until 2027-12-31" in out
    assert "criteria frozen as reported values: bf-lektiecafe-boern" in out
    assert "dry run: nothing was deleted" in out

    # A second run finds nothing and logs nothing.
    count = AccessLogEntry.objects.count()
    with at("2028-02-01"):
        call_command("retention", "--apply")
    assert AccessLogEntry.objects.count() == count


def test_an_activity_that_ended_early_is_cleared_while_the_plan_runs(
    registered, media, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    plan, (_ali, _aya, bo) = registered["plan"], registered["people"]
    cafe = registered["cafe"]
    kursus = Activity.objects.create(
        plan=plan, effort_area=cafe.effort_area, slug="familiekursus",
        name="Familiekursus", end=datetime.date(2023, 6, 30),
    )  # fmt: skip
    run = course(kursus, "2023-03-01", "2023-06-30")
    only_here = participant(kursus, initials="Dan")
    enrol(run, only_here)
    enrol(run, bo)
    attend(weekly_sessions(run, 3), only_here, bo)
    cafe_rows = Enrolment.objects.filter(course__activity=cafe).count()

    with at("2024-06-30"):
        review = retention_review(plan=plan, today=datetime.date(2024, 6, 30))
        assert sum(review.counts.values()) == 0
    with at("2024-07-01"), django_capture_on_commit_callbacks(execute=True):
        retention_apply(plan=plan, today=datetime.date(2024, 7, 1), actor=OPS)

    assert not Enrolment.objects.filter(course__activity=kursus).exists()
    assert not Attendance.objects.filter(session__activity=kursus).exists()
    assert Session.objects.filter(activity=kursus).count() == 3  # no one in them
    assert not Participant.objects.filter(pk=only_here.pk).exists()
    # Bo is in the café too: he and his café registrations stay.
    assert Participant.objects.filter(pk=bo.pk).exists()
    assert Enrolment.objects.filter(course__activity=cafe).count() == cafe_rows
    assert Participant.objects.filter(plan=plan).count() == 3


def test_a_longer_retention_rule_keeps_the_data_longer(registered) -> None:  # type: ignore[no-untyped-def]
    plan = registered["plan"]
    RetentionRule.objects.create(plan=plan, months=24)
    review = retention_review(plan=plan, today=datetime.date(2028, 1, 1))
    assert review.keep_until == datetime.date(2028, 12, 31)
    assert sum(review.counts.values()) == 0
    review = retention_review(plan=plan, today=datetime.date(2029, 1, 1))
    assert review.counts["participants"] == 3


def test_a_sub_activity_is_kept_as_long_as_its_parent(registered) -> None:  # type: ignore[no-untyped-def]
    plan = registered["plan"]
    summer = Activity.objects.get(plan=plan, slug="lektiecafe-sommer")
    summer.end = datetime.date(2022, 8, 31)
    summer.save()
    review = retention_review(plan=plan, today=datetime.date(2024, 1, 1))
    item = next(a for a in review.activities if a.activity.pk == summer.pk)
    assert item.ended == datetime.date(2026, 12, 31)
    assert not item.due


def test_the_retention_command_refuses_both_modes_and_a_bad_date(mini) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError):
        call_command("retention", "--dry-run", "--apply")
    with pytest.raises(CommandError, match="not a date"):
        call_command("retention", "--as-of", "2028-13-01")


# ---------------------------------------------------------------- admin log


def admin_log_naming(user, people, session) -> None:  # type: ignore[no-untyped-def]
    """The admin's history as it names participants in other rows: a
    session's attendance saved in the admin (the inline's change
    message), an entry left from when participants were in the admin, a
    participant deleted there back then, and an older free-text message."""
    session_type = ContentType.objects.get_for_model(Session)
    for person in people:
        attendance = Attendance.objects.get(participant=person, session=session)
        LogEntry.objects.create(
            user=user,
            content_type=session_type,
            object_id=str(session.pk),
            object_repr=str(session),
            action_flag=CHANGE,
            change_message=json.dumps(
                [
                    {"changed": {"fields": ["Tema"]}},
                    {"added": {"name": "attendance", "object": str(attendance)}},
                ]
            ),
        )
        LogEntry.objects.create(
            user=user,
            content_type=session_type,
            object_id=str(session.pk),
            object_repr=str(session),
            action_flag=CHANGE,
            change_message=f"Rettede fremmøde for {person.code} {person.initials}",
        )
    # Entries left from when participants were in the admin: one about a
    # row since deleted there and made again (another id), and the
    # participants' own.
    for person in people:
        LogEntry.objects.create(
            user=user,
            content_type=ContentType.objects.get_for_model(Participant),
            object_id=str(10_000 + person.pk),
            object_repr=str(person),
            action_flag=CHANGE,
            change_message="[]",
        )
    LogEntry.objects.log_actions(
        user_id=user.pk,
        queryset=Participant.objects.filter(pk__in=[p.pk for p in people]),
        action_flag=CHANGE,
        change_message=[{"changed": {"fields": ["Initialer"]}}],
    )


def admin_log_text() -> list[str]:
    """Every text column of every row of django_admin_log."""
    return [
        str(value)
        for row in LogEntry.objects.values()
        for value in row.values()
        if isinstance(value, str)
    ]


def named_in_admin_log(person: Participant) -> bool:
    return any(
        person.code in text or f" {person.initials}" in text or text == person.initials
        for text in admin_log_text()
    )


def test_after_an_erasure_the_admin_log_names_nobody_erased(registered) -> None:  # type: ignore[no-untyped-def]
    plan, (ali, aya, _bo) = registered["plan"], registered["people"]
    session = Attendance.objects.filter(participant=ali).first().session
    admin_log_naming(registered["alice"], [ali, aya], session)
    assert named_in_admin_log(ali) and named_in_admin_log(aya)

    participant_erase(plan=plan, code=ali.code, reason="Anmodning", actor=OPS)

    assert not named_in_admin_log(ali)
    # Aya is not erased: her history stays as it was.
    assert named_in_admin_log(aya)
    # The session's history says what happened, without the name.
    messages = [
        e.get_change_message()
        for e in LogEntry.objects.filter(object_id=str(session.pk))
        if "slettet efter anmodning" in e.change_message
    ]
    assert len(messages) == 2
    assert any("Tema" in m for m in messages)
    # The other rows of the session's history stay.
    assert (
        LogEntry.objects.filter(
            object_id=str(session.pk), change_message__contains=aya.code
        ).count()
        == 2
    )


def test_after_retention_the_admin_log_names_nobody(registered) -> None:  # type: ignore[no-untyped-def]
    plan, people = registered["plan"], registered["people"]
    session = Attendance.objects.filter(participant=people[0]).first().session
    admin_log_naming(registered["alice"], people, session)
    assert all(named_in_admin_log(p) for p in people)

    with at("2028-01-01"):
        retention_apply(plan=plan, today=datetime.date(2028, 1, 1), actor=OPS)

    assert not any(named_in_admin_log(p) for p in people)
    assert LogEntry.objects.filter(
        change_message__contains="slettet efter opbevaringsfristen"
    ).count() == 2 * len(people)
