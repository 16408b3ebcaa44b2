"""The auditor's pages: only the plan's auditors and administrators get
in; the log filters by user, participant and date; a participant's extract
gives the dates and purposes of look-ups; spot checks draw entries and
record reviews; the CSV export is itself logged."""

from __future__ import annotations

import csv
import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from fremdrift.audit.models import AccessLogEntry, AccessLogReview
from fremdrift.audit.services import access_log
from fremdrift.privacy.gdpr import Actor, participant_erase

from ..accounts.verified import log_in_verified
from ..registrations import personas
from .conftest import outsider

pytestmark = pytest.mark.django_db

CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")


def page(name: str, plan) -> str:  # type: ignore[no-untyped-def]
    return reverse(f"audit:{name}", args=[plan.slug])


PAGES = ["log", "log-export", "extract", "spot-check"]


def _history(cafe, ali, alice):  # type: ignore[no-untyped-def]
    """Alice looks at Ali three times on three days; someone else once."""
    person = ali.participant
    other = outsider(cafe, initials="Bo")
    for day, who, purpose, about in (
        (datetime.datetime(2025, 3, 3, 10, 0, tzinfo=CPH), alice, "activity", person),
        (datetime.datetime(2025, 3, 4, 23, 30, tzinfo=CPH), alice, "inquiry", person),
        (datetime.datetime(2025, 3, 5, 9, 0, tzinfo=CPH), alice, "follow_up", other),
        (datetime.datetime(2025, 3, 6, 8, 0, tzinfo=CPH), None, "correction", person),
    ):
        access_log(
            user=who,
            username="" if who else "cli:ops",
            plan=cafe.plan,
            action="view",
            participants=[about],
            object_type="participant",
            object_id=about.pk,
            purpose=purpose,
            at=day,
        )
    return person, other


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client: Client, cafe, name) -> None:  # type: ignore[no-untyped-def]
    response = client.get(page(name, cafe.plan))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", PAGES)
def test_staff_and_coordinators_of_the_plan_get_403(alice_client, cafe, name) -> None:  # type: ignore[no-untyped-def]
    assert alice_client.get(page(name, cafe.plan)).status_code == 403
    coordinator = personas.user("carl")
    from fremdrift.accounts.services import membership_grant

    membership_grant(user=coordinator, plan=cafe.plan, role="coordinator")
    client = Client()
    log_in_verified(client, coordinator)
    assert client.get(page(name, cafe.plan)).status_code == 403


@pytest.mark.parametrize("name", PAGES)
def test_a_member_of_another_plan_gets_404(cafe, name) -> None:  # type: ignore[no-untyped-def]
    elsewhere, _activity = personas.other_plan()
    auditor = personas.user("olga")
    from fremdrift.accounts.services import membership_grant

    membership_grant(user=auditor, plan=elsewhere, role="auditor")
    client = Client()
    client.force_login(auditor)
    assert client.get(page(name, cafe.plan)).status_code == 404
    assert client.get(page(name, elsewhere)).status_code in (200, 302)


@pytest.mark.parametrize("name", PAGES)
def test_the_auditor_and_the_administrator_get_in(
    dora_client, erik_client, cafe, name
) -> None:  # type: ignore[no-untyped-def]
    for client in (dora_client, erik_client):
        assert client.get(page(name, cafe.plan)).status_code in (200, 302)


def test_another_plans_entries_never_show(dora_client, cafe, ali, alice) -> None:  # type: ignore[no-untyped-def]
    _history(cafe, ali, alice)
    elsewhere, activity = personas.other_plan()
    stranger = outsider(activity, initials="Zed")
    access_log(
        user=None,
        username="cli:zed-watcher",
        plan=elsewhere,
        action="view",
        participants=[stranger],
    )
    html = dora_client.get(page("log", cafe.plan)).content.decode()
    assert "zed-watcher" not in html and stranger.code not in html
    exported = dora_client.get(page("log-export", cafe.plan)).content.decode()
    assert "zed-watcher" not in exported


def test_the_log_filters_by_user_participant_and_date(
    dora_client, cafe, ali, alice
) -> None:  # type: ignore[no-untyped-def]
    person, other = _history(cafe, ali, alice)

    def shown(**query: str) -> int:
        response = dora_client.get(page("log", cafe.plan), query)
        assert response.status_code == 200
        return response.context["page"].paginator.count

    assert shown() == 4
    assert shown(bruger="alice") == 3
    assert shown(bruger="ALICE") == 3
    assert shown(kode=person.code) == 3
    assert shown(kode=other.code.lower()) == 1
    # Local days: 23:30 on the 4th is the 4th in Copenhagen.
    assert shown(fra="2025-03-04", til="2025-03-04") == 1
    assert shown(fra="2025-03-05", til="2025-03-31") == 2
    assert shown(bruger="alice", kode=person.code, til="2025-03-03") == 1


def test_reading_the_log_is_logged(dora_client, cafe, ali, alice) -> None:  # type: ignore[no-untyped-def]
    person, _other = _history(cafe, ali, alice)
    dora_client.get(page("log", cafe.plan))
    dora_client.get(page("log", cafe.plan), {"kode": person.code})
    mine = AccessLogEntry.objects.filter(username="dora").order_by("id")
    assert [(e.action, e.object_type, e.participant_id, e.purpose) for e in mine] == [
        ("view", "access_log", None, "audit"),
        ("view", "access_log", person.pk, "audit"),
    ]


def test_the_csv_export_has_every_entry_and_is_logged_itself(
    dora_client, cafe, ali, alice
) -> None:  # type: ignore[no-untyped-def]
    person, _other = _history(cafe, ali, alice)
    response = dora_client.get(page("log-export", cafe.plan), {"bruger": "alice"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["tidspunkt"] for r in rows] == [
        "2025-03-05T09:00:00+01:00",
        "2025-03-04T23:30:00+01:00",
        "2025-03-03T10:00:00+01:00",
    ]
    assert rows[2]["deltager"] == person.code
    assert rows[2]["formaal"] == "activity"
    exported = AccessLogEntry.objects.filter(username="dora").get()
    assert (exported.action, exported.object_type) == ("export", "access_log")


def test_the_csv_cannot_carry_a_formula(dora_client, cafe, alice) -> None:  # type: ignore[no-untyped-def]
    access_log(
        user=alice,
        plan=cafe.plan,
        action="search",
        purpose="other",
        purpose_note='=HYPERLINK("http://example.org")',
    )
    text = dora_client.get(page("log-export", cafe.plan)).content.decode()
    assert "'=HYPERLINK" in text


def test_the_extract_gives_dates_and_purposes_of_one_participant(
    dora_client, cafe, ali, alice
) -> None:  # type: ignore[no-untyped-def]
    person, other = _history(cafe, ali, alice)
    response = dora_client.get(
        page("extract", cafe.plan), {"kode": person.code, "formaal": "access_request"}
    )
    assert response.status_code == 200
    listed = response.context["entries"]
    assert [e.purpose for e in listed] == ["activity", "inquiry", "correction"]
    html = response.content.decode()
    assert "Henvendelse fra deltageren eller familien" in html
    assert other.code not in html
    # The extract is a look-up of the participant: logged with its purpose.
    last = AccessLogEntry.objects.latest("id")
    assert (last.username, last.participant_id, last.purpose) == (
        "dora",
        person.pk,
        "access_request",
    )


def test_the_extract_needs_a_purpose(dora_client, cafe, ali) -> None:  # type: ignore[no-untyped-def]
    response = dora_client.get(page("extract", cafe.plan), {"kode": "D-XXXXXX"})
    assert response.status_code == 400
    assert not AccessLogEntry.objects.exists()


def test_the_extract_as_csv_leaves_out_who_looked(
    dora_client, cafe, ali, alice
) -> None:  # type: ignore[no-untyped-def]
    person, _other = _history(cafe, ali, alice)
    response = dora_client.get(
        page("extract", cafe.plan),
        {"kode": person.code, "formaal": "access_request", "format": "csv"},
    )
    text = response.content.decode()
    assert text.splitlines()[0] == "tidspunkt,handling,formaal,begrundelse"
    assert len(text.splitlines()) == 4
    assert "alice" not in text and "cli:ops" not in text
    assert AccessLogEntry.objects.latest("id").action == "export"


def test_an_erased_participants_extract_is_found_by_their_old_code(
    dora_client, cafe, ali, alice
) -> None:  # type: ignore[no-untyped-def]
    person, _other = _history(cafe, ali, alice)
    code = person.code
    participant_erase(
        plan=cafe.plan, code=code, reason="Anmodning", actor=Actor("cli:ops")
    )
    response = dora_client.get(
        page("extract", cafe.plan), {"kode": code, "formaal": "access_request"}
    )
    assert [e.action for e in response.context["entries"]] == [
        "view",
        "view",
        "view",
        "erase",
    ]
    log = dora_client.get(page("log", cafe.plan)).content.decode()
    assert code not in log.replace(f"kode={code}", "")
    assert "slettet" in log


def test_a_spot_check_draws_the_same_sample_for_the_same_number(
    dora_client, cafe, ali, alice
) -> None:  # type: ignore[no-untyped-def]
    for _ in range(12):
        _history(cafe, ali, alice)
    first = dora_client.get(page("spot-check", cafe.plan), {"antal": "5"})
    assert first.status_code == 302
    again = first["Location"]
    assert "udtraek=" in again
    one = dora_client.get(again)
    two = dora_client.get(again)
    ids = [row.entry.pk for row, _form in one.context["rows"]]
    assert len(ids) == 5
    assert ids == [row.entry.pk for row, _form in two.context["rows"]]
    assert all(
        row.entry.participant_id is not None for row, _form in one.context["rows"]
    )


def test_a_review_is_recorded_and_shown(dora_client, cafe, ali, alice) -> None:  # type: ignore[no-untyped-def]
    _history(cafe, ali, alice)
    address = page("spot-check", cafe.plan) + "?antal=2&udtraek=7"
    rows = dora_client.get(address).context["rows"]
    entry = rows[0][0].entry
    response = dora_client.post(
        address, {"entry": entry.pk, "outcome": "follow_up", "note": "Spørg Alice"}
    )
    assert response.status_code == 302
    assert response["Location"] == address
    review = AccessLogReview.objects.get()
    assert (review.entry, review.reviewer_name, review.outcome) == (
        entry,
        "dora",
        "follow_up",
    )
    html = dora_client.get(address).content.decode()
    assert "Gennemgået af dora" in html and "Spørg Alice" in html


def test_another_plans_entry_cannot_be_reviewed(dora_client, cafe) -> None:  # type: ignore[no-untyped-def]
    elsewhere, activity = personas.other_plan()
    (foreign,) = access_log(
        user=None,
        username="cli:x",
        plan=elsewhere,
        action="view",
        participants=[outsider(activity)],
    )
    response = dora_client.post(
        page("spot-check", cafe.plan), {"entry": foreign.pk, "outcome": "ok"}
    )
    assert response.status_code == 404
    assert not AccessLogReview.objects.exists()


def test_the_home_page_links_the_auditor_to_the_log(dora_client, cafe) -> None:  # type: ignore[no-untyped-def]
    html = dora_client.get(reverse("registrations:home")).content.decode()
    assert page("log", cafe.plan) in html


def test_the_log_pages_by_fifty(dora_client, cafe, alice) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(datetime.datetime(2025, 1, 1, 12, tzinfo=CPH)):
        for _ in range(60):
            access_log(user=alice, plan=cafe.plan, action="view")
    html = dora_client.get(page("log", cafe.plan), {"bruger": "alice"}).content.decode()
    assert "Side 1 af 2" in html
    assert "bruger=alice&amp;side=2" in html


def test_a_refused_request_goes_to_the_security_log(
    alice_client, alice, cafe, caplog
) -> None:  # type: ignore[no-untyped-def]
    with caplog.at_level("WARNING", logger="fremdrift.security"):
        alice_client.get(page("log", cafe.plan))
        alice_client.get(f"/registrering/{cafe.plan.slug}/familieklub/deltagere/")
    lines = [r.getMessage() for r in caplog.records if r.name == "fremdrift.security"]
    assert len(lines) == 2
    assert lines[0].startswith(
        f"authorization denied status=403 user_id={alice.pk} ip=127.0.0.1 method=GET"
    )
    assert "reason=access log: role" in lines[0]
    assert lines[1].startswith(f"authorization denied status=404 user_id={alice.pk} ")
    assert "path=/registrering/eksempelby-2022-26/familieklub/deltagere/" in lines[1]
    assert not AccessLogEntry.objects.exists()


def test_a_security_log_line_cannot_forge_another() -> None:
    from fremdrift.audit.security_log import _clean

    assert _clean("/x\nFORGED status=200\r") == "/x\\x0aFORGED status=200\\x0d"
