"""The change history: every write path records who, when and old -> new
(web forms, the API, the bulk imports, the plan folder, the statistics
import and its undo), the "Historik" pages show it in Danish to those the
policy lets read it, and viewing participants in it is logged."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import get_history_model_for_model

from fremdrift.audit.models import AccessLogEntry
from fremdrift.core.text_da import format_date
from fremdrift.planfiles.services import plan_load
from fremdrift.plans.models import Commentary, Criterion, Plan
from fremdrift.registrations.models import Attendance, Session
from fremdrift.statistics.models import Observation
from fremdrift.statistics.services import import_batch_undo, observations_import
from tests.accounts.verified import log_in_verified
from tests.api.world import World, build_world

pytestmark = pytest.mark.django_db

HEADER = "indicator,population,period,value,numerator,denominator,note,flags\n"


@pytest.fixture
def world(mini, settings, tmp_path) -> World:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world(mini)


def _history(model):  # type: ignore[no-untyped-def]
    return get_history_model_for_model(model).objects


def _web(world: World, who: str) -> Client:
    client = Client()
    log_in_verified(client, world.users[who])
    return client


def _session_page(world: World) -> str:
    return reverse(
        "registrations:session",
        args=[world.plan.slug, world.cafe.slug, world.session.pk],
    )


def _session_history(world: World) -> str:
    return reverse(
        "web:session-history",
        args=[world.plan.slug, world.cafe.slug, world.session.pk],
    )


def _tick(client: Client, world: World, ids: list[int]) -> None:
    world.session.refresh_from_db(fields=["version"])
    response = client.post(
        _session_page(world), {"present": ids, "version": world.session.version}
    )
    assert response.status_code == 302


# ------------------------------------------------------------ recording


def test_an_attendance_save_on_the_web_records_who_ticked_and_unticked(
    world: World,
) -> None:
    first, second, _third = world.children
    client = _web(world, "alice")
    _tick(client, world, [first.pk, second.pk])
    _tick(client, world, [first.pk])
    rows = _history(Attendance).filter(session_id=world.session.pk)
    assert sorted(
        (r.participant_id, r.history_type, r.history_user.username) for r in rows
    ) == [
        (first.pk, "+", "alice"),
        (second.pk, "+", "alice"),
        (second.pk, "-", "alice"),
    ]


def test_an_attendance_save_through_the_api_records_the_tokens_user(
    world: World,
) -> None:
    first, second, _third = world.children
    path = (
        f"/api/v1/plans/{world.plan.slug}/activities/{world.cafe.slug}"
        f"/sessions/{world.session.pk}/attendance"
    )
    client = world.client("alice")
    assert client.put(path, {"present": [first.pk, second.pk]}).status_code == 200
    assert client.put(path, {"present": [second.pk]}).status_code == 200
    rows = _history(Attendance).filter(session_id=world.session.pk)
    assert sorted(
        (r.participant_id, r.history_type, r.history_user_id) for r in rows
    ) == [
        (first.pk, "+", world.users["alice"].pk),
        (first.pk, "-", world.users["alice"].pk),
        (second.pk, "+", world.users["alice"].pk),
    ]


def test_a_web_edit_records_the_user_and_the_old_and_new_text(world: World) -> None:
    client = _web(world, "coordinator")
    page = reverse("web:plan-commentary", args=[world.plan.slug])
    for text in ("Første udkast.", "Godt i gang."):
        response = client.post(page, {"period": "2023", "text": text})
        assert response.status_code == 302
    commentary = Commentary.objects.get(plan=world.plan, period="2023")
    rows = list(_history(Commentary).filter(id=commentary.pk).order_by("history_id"))
    assert [(r.history_type, r.text, r.history_user.username) for r in rows] == [
        ("+", "Første udkast.", "coordinator"),
        ("~", "Godt i gang.", "coordinator"),
    ]


def test_the_plan_load_command_records_observations_in_bulk_without_a_user(
    db, mini_folder: Path
) -> None:
    call_command("load", str(mini_folder), verbosity=0)
    plan = Plan.objects.get(slug="eksempelby-2022-26")
    stored = Observation.objects.filter(indicator__plan=plan)
    created = _history(Observation).filter(id__in=stored.values("id"))
    assert created.count() == stored.count() > 0
    assert {(r.history_type, r.history_user_id) for r in created} == {("+", None)}
    assert {r.history_change_reason for r in created} == {"fremdrift load"}
    # Criteria, one by one, record theirs by the signals.
    assert _history(Criterion).filter(plan_id=plan.pk).count() == plan.criteria.count()

    csv = mini_folder / "observations.csv"
    csv.write_text(
        csv.read_text(encoding="utf-8").replace(
            "employment,nord,2023,42.0", "employment,nord,2023,43.5"
        ),
        encoding="utf-8",
    )
    call_command("load", str(mini_folder), verbosity=0)
    changed = Observation.objects.get(
        indicator__slug="employment", population__slug="nord", period="2023"
    )
    rows = list(_history(Observation).filter(id=changed.pk).order_by("history_id"))
    assert [(r.history_type, r.value) for r in rows] == [
        ("+", Decimal("42.0")),
        ("~", Decimal("43.5")),
    ]


def test_an_import_and_its_undo_record_every_value_they_wrote(
    mini: Plan, tmp_path: Path, django_user_model, settings
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    user = django_user_model.objects.create_user("koordinator", password="x" * 16)
    path = tmp_path / "beskaeftigelse.csv"
    path.write_text(
        HEADER + "employment,nord,2023,43.0,,,,\nemployment,syd,2024,45.5,,,,\n",
        encoding="utf-8",
    )
    result = observations_import(plan=mini, path=path, user=user)
    assert result.batch is not None
    changed = Observation.objects.get(
        indicator__slug="employment", population__slug="nord", period="2023"
    )
    created = Observation.objects.get(
        indicator__slug="employment", population__slug="syd", period="2024"
    )
    imported = _history(Observation).filter(history_user=user)
    assert sorted((r.id, r.history_type, r.value) for r in imported) == sorted(
        [(changed.pk, "~", Decimal("43.0")), (created.pk, "+", Decimal("45.5"))]
    )
    assert {r.history_change_reason for r in imported} == {
        f"import #{result.batch.pk} beskaeftigelse.csv"
    }

    import_batch_undo(batch=result.batch, user=user)
    last = {
        r.id: r
        for r in _history(Observation)
        .filter(id__in=[changed.pk, created.pk])
        .order_by("history_id")
    }
    assert (last[changed.pk].history_type, last[changed.pk].value) == (
        "~",
        Decimal("42.0"),
    )
    assert last[created.pk].history_type == "-"
    assert {last[changed.pk].history_user, last[created.pk].history_user} == {user}


def test_a_dry_run_import_records_no_history(mini: Plan, tmp_path: Path) -> None:
    before = _history(Observation).count()
    path = tmp_path / "obs.csv"
    path.write_text(HEADER + "employment,nord,2024,44.0,,,,\n", encoding="utf-8")
    result = observations_import(plan=mini, path=path, dry_run=True)
    assert result.created == 1
    assert _history(Observation).count() == before


# ------------------------------------------------------------ the pages


def test_the_session_history_shows_who_ticked_whom_in_danish_and_is_logged(
    world: World,
) -> None:
    first, _second, _third = world.children
    _tick(_web(world, "alice"), world, [first.pk])
    coordinator = world.users["coordinator"]
    response = _web(world, "coordinator").get(_session_history(world))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Fremmøde: oprettet" in text
    assert f"{first.code} AA" in text
    assert "alice" in text
    logged = AccessLogEntry.objects.filter(
        user_id=coordinator.pk, object_type="session_history"
    )
    assert [(e.action, e.participant_id) for e in logged] == [("view", first.pk)]


def test_the_criterion_history_shows_the_target_old_and_new_formatted(
    world: World,
) -> None:
    criterion = world.plan.criteria.exclude(target={}).first()
    assert criterion is not None
    old_target = dict(criterion.target)
    key = next(iter(old_target))
    criterion.target = {**old_target, key: "1250.5"}
    criterion.save()
    response = _web(world, "auditor").get(
        reverse("web:criterion-history", args=[world.plan.slug, criterion.ident])
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Forventet resultat" in text
    assert f"{key}: 1.250,5" in text
    assert "Succeskriteriet: ændret" in text


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("coordinator", 200),
        ("plan_admin", 200),
        ("auditor", 200),
        ("root", 200),
        ("alice", 200),  # staff on the café: its registrations
        ("bob", 403),  # staff on another activity of the plan
        ("board", 403),
        ("charlie", 404),  # another plan's coordinator
    ],
)
def test_the_session_history_is_for_the_team_the_auditor_and_its_staff(
    world: World, who: str, status: int
) -> None:
    assert _web(world, who).get(_session_history(world)).status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("coordinator", 200),
        ("plan_admin", 200),
        ("auditor", 200),
        ("alice", 403),  # staff read their activities' history only
        ("board", 403),
        ("charlie", 404),
    ],
)
def test_the_observation_and_criterion_history_is_for_those_who_run_or_audit(
    world: World, who: str, status: int
) -> None:
    client = _web(world, who)
    criterion = world.plan.criteria.first()
    assert criterion is not None
    pages = [
        reverse("web:criterion-history", args=[world.plan.slug, criterion.ident]),
        reverse(
            "web:observation-history", args=[world.plan.slug, "employment", "nord"]
        ),
    ]
    assert [client.get(page).status_code for page in pages] == [status, status]


def test_a_history_page_needs_a_login(world: World) -> None:
    response = Client().get(_session_history(world))
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/log-ind/")


def test_the_observation_history_names_the_import_not_its_id(
    world: World, tmp_path: Path
) -> None:
    path = tmp_path / "tal.csv"
    path.write_text(HEADER + "employment,nord,2023,43.0,,,,\n", encoding="utf-8")
    observations_import(plan=world.plan, path=path, user=world.users["coordinator"])
    response = _web(world, "coordinator").get(
        reverse("web:observation-history", args=[world.plan.slug, "employment", "nord"])
    )
    text = response.content.decode()
    assert "Observation for 2023: ændret" in text
    assert f"tal.csv indlæst {timezone.localdate().day}." in text
    assert "<td>42</td><td>43</td>" in text.replace("\n", "")


def test_the_course_history_lists_enrolments_and_logs_them(world: World) -> None:
    response = _web(world, "alice").get(
        reverse(
            "web:course-history",
            args=[world.plan.slug, world.cafe.slug, world.course.pk],
        )
    )
    assert response.status_code == 200
    assert "Tilmelding: oprettet" in response.content.decode()
    logged = AccessLogEntry.objects.filter(object_type="course_history")
    assert {e.participant_id for e in logged} == {c.pk for c in world.children}


def test_a_session_corrected_on_the_web_shows_its_old_and_new_date(
    world: World,
) -> None:
    session = Session.objects.get(pk=world.session.pk)
    old = session.date
    session.date = old - datetime.timedelta(days=1)
    session.save()
    text = _web(world, "coordinator").get(_session_history(world)).content.decode()
    assert "Mødegangen: ændret" in text
    cells = text.replace("\n", "")
    assert f"<td>{format_date(old)}</td>" in cells
    assert f"<td>{old.isoformat()}</td>" not in cells


def test_plan_load_records_history_for_a_service_call_too(mini_folder: Path) -> None:
    plan_load(folder=mini_folder)
    assert _history(Observation).exists()
    assert set(
        _history(Observation).values_list("history_change_reason", flat=True)
    ) == {"plan folder"}


# ------------------------------------------------------------ the links


def _criterion_link(world: World) -> str:
    criterion = world.plan.criteria.order_by("order").first()
    assert criterion is not None
    return reverse("web:criterion-history", args=[world.plan.slug, criterion.ident])


@pytest.mark.parametrize(
    ("who", "linked"),
    [
        ("coordinator", True),
        ("plan_admin", True),
        ("auditor", True),
        ("root", True),
        ("alice", False),  # staff: their activities' history only
        ("board", False),
        (None, False),
    ],
)
def test_the_plan_page_links_each_criterion_to_its_history_for_its_readers(
    world: World, who: str | None, linked: bool
) -> None:
    client = _web(world, who) if who else Client()
    text = client.get(world.plan.get_absolute_url()).content.decode()
    assert (_criterion_link(world) in text) is linked
    if linked:
        # Every criterion has its link, named for screen readers.
        assert text.count('class="history-link"') == world.plan.criteria.count()
        assert client.get(_criterion_link(world)).status_code == 200


@pytest.mark.parametrize(
    ("who", "linked"),
    [("coordinator", True), ("auditor", True), ("alice", True), ("bob", False)],
)
def test_the_activity_page_links_its_history_for_its_readers(
    world: World, who: str, linked: bool
) -> None:
    client = _web(world, who)
    page = reverse("web:activity-detail", args=[world.plan.slug, world.cafe.slug])
    history = reverse("web:activity-history", args=[world.plan.slug, world.cafe.slug])
    assert (history in client.get(page).content.decode()) is linked
    assert client.get(history).status_code == (200 if linked else 403)


def test_the_staff_pages_link_the_course_session_and_activity_history(
    world: World,
) -> None:
    client = _web(world, "alice")
    plan, cafe = world.plan.slug, world.cafe.slug
    pages = {
        reverse("registrations:course", args=[plan, cafe, world.course.pk]): reverse(
            "web:course-history", args=[plan, cafe, world.course.pk]
        ),
        _session_page(world): _session_history(world),
        reverse("registrations:activity", args=[plan, cafe]): reverse(
            "web:activity-history", args=[plan, cafe]
        ),
    }
    for page, history in pages.items():
        assert history in client.get(page).content.decode(), page
        assert client.get(history).status_code == 200, history


def test_the_commentary_lists_link_each_commentary_to_its_history(
    world: World,
) -> None:
    coordinator = _web(world, "coordinator")
    page = reverse("web:plan-commentary", args=[world.plan.slug])
    coordinator.post(page, {"period": "2023", "text": "Godt i gang."})
    commentary = Commentary.objects.get(plan=world.plan, period="2023")
    history = reverse("web:commentary-history", args=[world.plan.slug, commentary.pk])
    assert history in coordinator.get(page).content.decode()
    text = coordinator.get(history).content.decode()
    assert "Godt i gang." in text

    alice = _web(world, "alice")
    staff_page = reverse(
        "registrations:commentary", args=[world.plan.slug, world.cafe.slug]
    )
    alice.post(staff_page, {"period": "2023", "text": "Caféen kører."})
    own = Commentary.objects.get(activity=world.cafe, period="2023")
    own_history = reverse("web:commentary-history", args=[world.plan.slug, own.pk])
    assert own_history in alice.get(staff_page).content.decode()
    assert alice.get(own_history).status_code == 200
    # The plan's commentary is not staff's to read the history of.
    assert alice.get(history).status_code == 403


def test_an_imports_changes_link_their_observation_history(
    world: World, tmp_path: Path
) -> None:
    path = tmp_path / "tal.csv"
    path.write_text(HEADER + "employment,nord,2023,43.0,,,,\n", encoding="utf-8")
    result = observations_import(
        plan=world.plan, path=path, user=world.users["coordinator"]
    )
    assert result.batch is not None
    client = _web(world, "coordinator")
    page = reverse("statistics:import-detail", args=[world.plan.slug, result.batch.pk])
    history = reverse(
        "web:observation-history", args=[world.plan.slug, "employment", "nord"]
    )
    assert history in client.get(page).content.decode()
