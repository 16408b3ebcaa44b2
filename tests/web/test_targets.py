"""The "Ændr målet" page: a coordinator revises a criterion's target with
the day it is in force from and the reason; the old target is kept, the
plan page and the change history tell of it, and every bad answer is told
in Danish on the form field at fault."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.formats import date_format

from fremdrift.plans.models import Criterion, TargetRevision
from tests.accounts.verified import log_in_verified
from tests.api.world import World, build_world

pytestmark = pytest.mark.django_db

IDENT = "bf-lektiecafe-boern"  # at least 100 children
RANGE = "bf-sommer-forloeb"  # 4-6 courses
REASON = "Caféen har fået et mindre lokale."


@pytest.fixture
def world(mini, settings, tmp_path) -> World:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world(mini)


@pytest.fixture
def coordinator(world: World) -> Client:
    client = Client()
    log_in_verified(client, world.users["coordinator"])
    return client


def _page(world: World, ident: str = IDENT) -> str:
    return reverse("web:criterion-target", args=[world.plan.slug, ident])


def _post(client: Client, world: World, ident: str = IDENT, **fields: str):  # type: ignore[no-untyped-def]
    criterion = Criterion.objects.get(plan=world.plan, ident=ident)
    data = {
        "number": "90",
        "in_force_from": "2024-01-01",
        "reason": REASON,
        "version": str(criterion.version),
        **fields,
    }
    return client.post(_page(world, ident), data)


def _field_errors(html: str) -> dict[str, list[str]]:
    """Each field's error messages as the page writes them: in the error
    list tied to the field (``id_<field>_error``)."""
    return {
        name: re.findall(r"<li>(.*?)</li>", items)
        for name, items in re.findall(
            r'<ul class="errorlist" id="id_(\w+)_error">(.*?)</ul>', html, re.S
        )
    }


def _last_day(world: World) -> str:
    world.plan.refresh_from_db()
    return date_format(world.plan.end, "j. F Y")


def test_the_form_shows_the_current_target_and_asks_for_date_and_reason(
    world: World, coordinator: Client
) -> None:
    response = coordinator.get(_page(world))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nuværende mål: mindst 100 børn" in html
    for name in ("number", "in_force_from", "reason", "version"):
        assert f'name="{name}"' in html, name
    assert 'type="date"' in html
    assert "Gælder fra" in html and "Begrundelse" in html


def test_a_revision_keeps_the_old_target_and_the_plan_page_tells_it(
    world: World, coordinator: Client
) -> None:
    response = _post(coordinator, world)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#kriterie-{IDENT}")
    revision = TargetRevision.objects.get()
    assert revision.previous_target == {"number": "100"}
    assert revision.target == {"number": "90"}
    assert revision.in_force_from == datetime.date(2024, 1, 1)
    assert revision.reason == REASON
    assert revision.revised_by == world.users["coordinator"]
    assert Criterion.objects.get(ident=IDENT).target == {"number": "90"}

    sentence = f"Målet blev ændret fra 100 til 90 børn den 1. januar 2024: {REASON}"
    plan_page = coordinator.get(world.plan.get_absolute_url()).content.decode()
    assert sentence in plan_page
    # The form lists it among the earlier changes, and the criterion's
    # change history records who made it.
    assert sentence in coordinator.get(_page(world)).content.decode()
    history = coordinator.get(
        reverse("web:criterion-history", args=[world.plan.slug, IDENT])
    ).content.decode()
    assert "Ændring af målet fra 1. januar 2024: oprettet" in history
    assert "Succeskriteriet: ændret" in history
    assert "coordinator" in history


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        pytest.param(
            {"in_force_from": ""},
            "in_force_from",
            "Skriv den dato, det nye mål gælder fra.",
            id="no-date",
        ),
        pytest.param(
            {"in_force_from": "2024-13-01"},
            "in_force_from",
            "Skriv datoen som dd.mm.åååå, fx 01.03.2024.",
            id="not-a-date",
        ),
        pytest.param(
            {"reason": ""}, "reason", "Skriv, hvorfor målet ændres.", id="no-reason"
        ),
        pytest.param(
            {"reason": "   "},
            "reason",
            "Skriv, hvorfor målet ændres.",
            id="a-reason-of-spaces",
        ),
        pytest.param({"number": ""}, "number", "Skriv det nye mål.", id="no-target"),
        pytest.param(
            {"number": "mange"},
            "number",
            "Skriv et tal, fx 40 eller 12,5.",
            id="not-a-number",
        ),
        pytest.param(
            {"number": "100"},
            "number",
            "Det nye mål er det samme som det nuværende.",
            id="the-same-target",
        ),
    ],
)
def test_a_bad_answer_is_told_in_danish_on_its_field_and_nothing_is_saved(
    world: World, coordinator: Client, fields: dict[str, str], field: str, message: str
) -> None:
    response = _post(coordinator, world, **fields)
    assert response.status_code == 400
    assert _field_errors(response.content.decode()).get(field) == [message]
    assert not TargetRevision.objects.exists()
    assert Criterion.objects.get(ident=IDENT).target == {"number": "100"}


@pytest.mark.parametrize(
    "day",
    [
        pytest.param(lambda plan: plan.start, id="on-the-plans-first-day"),
        pytest.param(
            lambda plan: plan.end + datetime.timedelta(days=1), id="after-the-plan"
        ),
    ],
)
def test_a_day_outside_the_plan_is_refused_on_the_date_field(
    world: World, coordinator: Client, day
) -> None:  # type: ignore[no-untyped-def]
    world.plan.refresh_from_db()
    response = _post(coordinator, world, in_force_from=day(world.plan).isoformat())
    assert response.status_code == 400
    assert _field_errors(response.content.decode()).get("in_force_from") == [
        f"Datoen skal ligge efter planens start og senest {_last_day(world)}."
    ]
    assert not TargetRevision.objects.exists()
    assert Criterion.objects.get(ident=IDENT).target == {"number": "100"}


def test_a_range_whose_minimum_passes_its_maximum_is_refused(
    world: World, coordinator: Client
) -> None:
    response = _post(coordinator, world, RANGE, number="", min="7", max="5")
    assert response.status_code == 400
    errors = _field_errors(response.content.decode())
    assert errors.get("max") == ["Mindst må ikke være større end højst."]
    assert not TargetRevision.objects.exists()


def test_a_range_is_revised_with_both_ends(world: World, coordinator: Client) -> None:
    response = _post(coordinator, world, RANGE, number="", min="3", max="6")
    assert response.status_code == 302
    assert Criterion.objects.get(ident=RANGE).target == {"min": "3", "max": "6"}
    assert TargetRevision.objects.get().previous_target == {"min": "4", "max": "6"}


def test_a_revision_must_come_after_the_latest(
    world: World, coordinator: Client
) -> None:
    assert _post(coordinator, world).status_code == 302
    response = _post(coordinator, world, number="80", in_force_from="2023-06-01")
    assert response.status_code == 400
    assert _field_errors(response.content.decode()).get("in_force_from") == [
        "Målet blev sidst ændret 1. januar 2024; datoen skal ligge efter den."
    ]
    assert TargetRevision.objects.count() == 1


def test_a_form_opened_before_another_save_is_refused_with_409(
    world: World, coordinator: Client
) -> None:
    criterion = Criterion.objects.get(ident=IDENT)
    stale = str(criterion.version)
    criterion.text = "100 unikke børn kommer i caféen"
    criterion.save()
    Criterion.objects.filter(pk=criterion.pk).update(version=criterion.version + 1)
    response = _post(coordinator, world, version=stale)
    assert response.status_code == 409
    assert "En anden har gemt en ændring" in response.content.decode()
    assert not TargetRevision.objects.exists()


def test_a_criterion_without_a_target_has_no_revise_page(
    world: World, coordinator: Client
) -> None:
    criterion = Criterion.objects.get(ident=IDENT)
    criterion.kind = "qualitative"
    criterion.target = {}
    criterion.save()
    assert coordinator.get(_page(world)).status_code == 404


@pytest.mark.parametrize(
    ("who", "linked"),
    [("coordinator", True), ("plan_admin", True), ("auditor", False), ("board", False)],
)
def test_the_plan_page_links_the_revise_form_for_those_who_edit_the_plan(
    world: World, who: str, linked: bool
) -> None:
    client = Client()
    log_in_verified(client, world.users[who])
    html = client.get(world.plan.get_absolute_url()).content.decode()
    assert (_page(world) in html) is linked
