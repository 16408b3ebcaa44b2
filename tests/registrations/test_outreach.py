"""Outreach: contacts and bridge-buildings registered on the staff page,
through the API and from the import workbook make the same rows, run the
same checks, and are counted by the contact measures."""

from __future__ import annotations

import datetime
from io import BytesIO
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from fremdrift.audit.models import AccessLogEntry
from fremdrift.core.measures import MeasureKind
from fremdrift.core.model import Period
from fremdrift.plans.models import Area
from fremdrift.registrations.bulk_import import (
    RegistrationImportError,
    registrations_import,
    registrations_template,
)
from fremdrift.registrations.measures import measure, period_counts
from fremdrift.registrations.models import Contact

from ..api.world import World, build_world
from . import personas
from .factories import participant

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def cafe(mini):  # type: ignore[no-untyped-def]
    personas.keep_running(mini)
    return mini.activities.select_related("plan").get(slug="lektiecafe")


@pytest.fixture
def alice_client(cafe) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(personas.alice(cafe))
    return client


def url(name: str, activity, *args) -> str:  # type: ignore[no-untyped-def]
    return reverse(
        f"registrations:{name}", args=[activity.plan.slug, activity.slug, *args]
    )


def _field(html: str, name: str) -> str:
    start = html.index(f'id="id_{name}"')
    wrapper = html.rindex('<div class="field', 0, start)
    end = html.find('<div class="field', start)
    return html[wrapper : end if end != -1 else len(html)]


def _year(activity) -> tuple[D, D]:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    return D(today.year, 1, 1), today


def test_anonymous_and_named_contacts_from_the_page_are_counted(
    alice_client, cafe
) -> None:  # type: ignore[no-untyped-def]
    nord = Area.objects.get(plan=cafe.plan, slug="nord")
    child = participant(cafe, initials="Ali")
    today = timezone.localdate().isoformat()
    first = alice_client.post(
        url("contacts", cafe),
        {
            "date": today,
            "kind": "contact",
            "who": "anonymous",
            "anonymous_count": "4",
            "area": nord.pk,
            "age_group": "13-17",
            "channel": "street",
        },
    )
    assert first.status_code == 302
    alice_client.post(
        url("contacts", cafe),
        {
            "date": today,
            "kind": "contact",
            "who": "named",
            "participant_code": child.code.lower(),
        },
    )
    alice_client.post(
        url("contacts", cafe),
        {"date": today, "kind": "bridge", "who": "named", "participant": child.pk},
    )
    rows = set(
        Contact.objects.values_list(
            "kind",
            "participant_id",
            "anonymous_count",
            "area_id",
            "age_group",
            "channel",
        )
    )
    assert rows == {
        ("contact", None, 4, nord.pk, "13-17", "street"),
        ("contact", child.pk, 0, None, "", ""),
        ("bridge", child.pk, 0, None, "", ""),
    }
    window = _year(cafe)
    assert measure(MeasureKind.CONTACTS, cafe, *window).value == 5
    assert measure(MeasureKind.BRIDGE_BUILDINGS, cafe, *window).value == 1
    counts = period_counts({cafe.pk: [cafe.pk]}, Period("x", *window))[cafe.pk]
    assert counts[MeasureKind.CONTACTS].value == 5
    assert counts[MeasureKind.BRIDGE_BUILDINGS].value == 1
    page = alice_client.get(url("contacts", cafe)).content.decode()
    assert "4 personer uden navn" in page and "Eksempelby Nord" in page
    assert "13-17 år" in page and "Gadeplan/opsøgende" in page
    assert (
        AccessLogEntry.objects.filter(
            object_type="contact",
            action=AccessLogEntry.Action.CREATE,
            participant_id=child.pk,
        ).count()
        == 2
    )


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"who": "anonymous", "anonymous_count": ""},
            "anonymous_count",
            "hvor mange personer",
        ),
        (
            {"who": "anonymous", "anonymous_count": "0"},
            "anonymous_count",
            "større end eller lig 1",
        ),
        ({"who": "named"}, "participant", "Vælg hvilken deltager"),
        (
            {"who": "named", "participant_code": "D-XXXXXX"},
            "participant_code",
            "Ingen deltager har koden D-XXXXXX",
        ),
        (
            {"who": "anonymous", "anonymous_count": "2", "date": "2019-05-01"},
            "date",
            "aktivitetens periode",
        ),
        (
            {"who": "anonymous", "anonymous_count": "2", "kind": "besøg"},
            "kind",
            "gyldig",
        ),
    ],
)
def test_a_bad_contact_says_what_is_wrong_on_the_field_and_writes_nothing(
    alice_client, cafe, data, field, message
) -> None:  # type: ignore[no-untyped-def]
    form = {"date": timezone.localdate().isoformat(), "kind": "contact", **data}
    response = alice_client.post(url("contacts", cafe), form)
    assert response.status_code == 400
    assert message in _field(response.content.decode(), field)
    assert not Contact.objects.exists()


def test_a_contact_is_corrected_and_deleted_and_a_stale_edit_is_refused(
    alice_client, cafe
) -> None:  # type: ignore[no-untyped-def]
    contact = Contact.objects.create(
        activity=cafe, date=timezone.localdate(), kind="contact", anonymous_count=2
    )
    edit = {
        "date": contact.date.isoformat(),
        "kind": "bridge",
        "who": "anonymous",
        "anonymous_count": "3",
        "channel": "phone",
        "version": "0",
    }
    assert (
        alice_client.post(url("contact-edit", cafe, contact.pk), edit).status_code
        == 302
    )
    contact.refresh_from_db()
    assert (
        contact.kind,
        contact.anonymous_count,
        contact.channel,
        contact.version,
    ) == (
        "bridge",
        3,
        "phone",
        1,
    )
    stale = alice_client.post(
        url("contact-edit", cafe, contact.pk), {**edit, "anonymous_count": "9"}
    )
    assert stale.status_code == 409
    contact.refresh_from_db()
    assert contact.anonymous_count == 3
    stale_delete = alice_client.post(
        url("contact-delete", cafe, contact.pk), {"version": "0"}
    )
    assert stale_delete.status_code == 409
    assert (
        alice_client.post(
            url("contact-delete", cafe, contact.pk), {"version": "1"}
        ).status_code
        == 302
    )
    assert not Contact.objects.exists()


def test_another_activitys_staff_get_404(cafe) -> None:  # type: ignore[no-untyped-def]
    bob, _club = personas.bob(cafe.plan)
    contact = Contact.objects.create(
        activity=cafe, date=timezone.localdate(), kind="contact", anonymous_count=2
    )
    client = Client()
    client.force_login(bob)
    assert client.get(url("contacts", cafe)).status_code == 404
    assert (
        client.post(url("contact-delete", cafe, contact.pk), {"version": 0}).status_code
        == 404
    )
    assert Contact.objects.count() == 1


@pytest.fixture
def world(mini, settings, tmp_path) -> World:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world(mini)


def _contacts_url(world: World) -> str:
    return f"/api/v1/plans/{world.plan.slug}/activities/{world.cafe.slug}/contacts"


def test_the_api_registers_and_lists_contacts_like_the_page(world: World) -> None:
    child = world.children[0]
    today = timezone.localdate().isoformat()
    api = world.client("alice")
    made = api.post(
        _contacts_url(world),
        {
            "date": today,
            "kind": "contact",
            "participant": child.pk,
            "area": "syd",
            "age_group": "6-12",
            "channel": "home_visit",
        },
    )
    assert made.status_code == 201
    body = made.json()
    assert (body["participant"], body["code"], body["area"], body["age_group"]) == (
        child.pk,
        child.code,
        "syd",
        "6-12",
    )
    api.post(
        _contacts_url(world), {"date": today, "kind": "bridge", "anonymous_count": 2}
    )
    listed = api.get(_contacts_url(world)).json()
    assert listed["count"] == 2
    assert {item["kind"] for item in listed["items"]} == {"contact", "bridge"}
    window = _year(world.cafe)
    assert measure(MeasureKind.BRIDGE_BUILDINGS, world.cafe, *window).value == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "contact"}, "anonymous_count"),
        (
            {"kind": "contact", "anonymous_count": 2, "participant": "child"},
            "anonymous_count",
        ),
        ({"kind": "contact", "anonymous_count": 1, "area": "vest"}, "area"),
        ({"kind": "contact", "participant": 999999}, "participant"),
        ({"kind": "contact", "anonymous_count": 1, "date": "2019-01-01"}, "date"),
    ],
)
def test_the_api_refuses_what_the_page_refuses_naming_the_field(
    world: World, body, field
) -> None:  # type: ignore[no-untyped-def]
    payload = {"date": timezone.localdate().isoformat(), **body}
    if payload.get("participant") == "child":
        payload["participant"] = world.children[0].pk
    response = world.client("alice").post(_contacts_url(world), payload)
    assert response.status_code == 422
    assert field in [error["field"] for error in response.json()["errors"]]
    assert not Contact.objects.exists()


def _workbook(plan, tmp_path: Path, rows) -> Path:  # type: ignore[no-untyped-def]
    book = load_workbook(BytesIO(registrations_template(plan=plan)))
    for sheet, values in rows.items():
        for row in values:
            book[sheet].append(row)
    path = tmp_path / "kontakter.xlsx"
    book.save(path)
    return path


def test_the_import_sheet_of_contacts_is_counted_and_imported_once(
    mini, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    rows = {
        "deltagere": [["P-001", "AB", 2010, "f", "nord", None]],
        "kontakter": [
            [
                "lektiecafe",
                "2023-03-01",
                "contact",
                "P-001",
                None,
                "nord",
                "13-17",
                "street",
            ],
            ["lektiecafe", "2023-03-01", "contact", None, 3, None, None, None],
            ["lektiecafe", "2023-03-01", "contact", None, 3, None, None, None],
            ["lektiecafe", "2023-03-08", "bridge", "P-001", None, None, None, "phone"],
        ],
    }
    path = _workbook(mini, tmp_path, rows)
    summary = registrations_import(plan=mini, path=path)
    assert summary.created["contacts"] == 4
    cafe = mini.activities.get(slug="lektiecafe")
    window = (D(2023, 1, 1), D(2023, 12, 31))
    assert measure(MeasureKind.CONTACTS, cafe, *window).value == 7
    assert measure(MeasureKind.BRIDGE_BUILDINGS, cafe, *window).value == 1
    again = registrations_import(plan=mini, path=path)
    assert again.created["contacts"] == 0 and again.unchanged["contacts"] == 4
    assert Contact.objects.count() == 4


def test_contact_rows_with_problems_are_reported_by_line_and_column(
    mini, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    rows = {
        "kontakter": [
            ["lektiecafe", "2023-03-01", "contact", None, None, None, None, None],
            ["lektiecafe", "2023-03-01", "visit", None, 2, None, None, None],
            ["lektiecafe", "2023-03-01", "contact", None, 2, "vest", None, None],
            ["lektiecafe", "2023-03-01", "contact", "P-404", None, None, "99+", None],
        ]
    }
    path = _workbook(mini, tmp_path, rows)
    with pytest.raises(RegistrationImportError) as caught:
        registrations_import(plan=mini, path=path)
    messages = [str(p) for p in caught.value.problems]
    assert (
        f"{path}[kontakter]:3: type: 'visit' is not one of contact, bridge" in messages
    )
    assert (
        f"{path}[kontakter]:5: aldersgruppe: '99+' is not one of 0-5, 6-12, 13-17, 18-24, 25-64, 65+"
        in messages
    )
    # Problems only the database shows come after the cells are valid.
    path = _workbook(
        mini, tmp_path, {"kontakter": [rows["kontakter"][0], rows["kontakter"][2]]}
    )
    with pytest.raises(RegistrationImportError) as caught:
        registrations_import(plan=mini, path=path)
    messages = [str(p) for p in caught.value.problems]
    assert messages == [
        f"{path}[kontakter]:2: antal uden navn: give a participant or a number of at least 1",
        f"{path}[kontakter]:3: område: unknown area 'vest'",
    ]
    assert not Contact.objects.exists()
