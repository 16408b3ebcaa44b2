"""The plan editor's forms: good input saves, bad input gets a Danish
message on the field it concerns and writes nothing, members without the
role are refused (and the refusal logged), and an edit of a part that
changed since its form was opened is refused with 409."""

from __future__ import annotations

import logging
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from fremdrift.accounts.models import PlanMembership
from fremdrift.editor import services
from fremdrift.editor.parts import fingerprint, locate
from fremdrift.planfiles.services import plan_to_data
from fremdrift.plans.models import Activity, Criterion, EffortArea, Goal, Plan

from .conftest import EDITOR, SLUG, hidden, member

pytestmark = pytest.mark.django_db


def errors_on(html: str, name: str) -> list[str]:
    """The error messages shown in the field block of input ``name``."""
    for block in html.split('<div class="field')[1:]:
        if f'name="{name}"' in block.split("</div>")[0] or f'name="{name}"' in block:
            head = block.split('<div class="field')[0]
            if f'name="{name}"' in head:
                return re.findall(r'class="error" role="alert">([^<]*)<', head)
    raise AssertionError(f"no field {name}")


def _plan_post(**changes: str) -> dict[str, str]:
    data = {
        "slug": "nordby-2026-30",
        "name": "Nordby 2026-30",
        "organisation": "Eksempelby Sekretariat",
        "start": "2026-01-01",
        "end": "2030-12-31",
        "municipality": "Eksempelby Kommune",
        "vision": "Nordby – et godt sted at bo",
    }
    data.update(changes)
    return data


# -- a new plan -------------------------------------------------------------------


def test_a_coordinator_creates_a_plan_and_becomes_its_coordinator(
    coordinator: Client,
) -> None:
    response = coordinator.post("/redigering/ny/", _plan_post())

    assert response.status_code == 302
    assert response["Location"] == "/redigering/nordby-2026-30/"
    plan = Plan.objects.get(slug="nordby-2026-30")
    assert plan.organisation.name == "Eksempelby Sekretariat"
    assert plan.municipality == "Eksempelby Kommune"
    assert plan.memberships.get().role == PlanMembership.Role.COORDINATOR
    assert coordinator.get("/redigering/nordby-2026-30/").status_code == 200


def test_a_plan_that_ends_before_it_starts_is_refused_on_its_end_date(
    coordinator: Client,
) -> None:
    response = coordinator.post("/redigering/ny/", _plan_post(end="2025-12-31"))

    assert response.status_code == 400
    assert errors_on(response.content.decode(), "end") == [
        "Planen slutter, før den begynder."
    ]
    assert not Plan.objects.filter(slug="nordby-2026-30").exists()


def test_a_new_plan_with_a_taken_or_bad_slug_is_refused_on_the_slug(
    coordinator: Client,
) -> None:
    taken = coordinator.post("/redigering/ny/", _plan_post(slug=SLUG))
    bad = coordinator.post("/redigering/ny/", _plan_post(slug="Nordby 2026"))

    assert taken.status_code == 400
    assert errors_on(taken.content.decode(), "slug") == [
        "Der findes allerede en plan med det kortnavn."
    ]
    assert bad.status_code == 400
    assert "små bogstaver" in errors_on(bad.content.decode(), "slug")[0]
    assert Plan.objects.count() == 1


def test_a_plan_for_an_organisation_the_user_does_not_work_for_is_refused(
    coordinator: Client,
) -> None:
    response = coordinator.post(
        "/redigering/ny/", _plan_post(organisation="Andetsteds Sekretariat")
    )

    assert response.status_code == 400
    assert errors_on(response.content.decode(), "organisation")
    assert Plan.objects.count() == 1


# -- who may -------------------------------------------------------------------


@pytest.mark.parametrize(
    "role",
    [
        PlanMembership.Role.STAFF,
        PlanMembership.Role.BOARD,
        PlanMembership.Role.AUDITOR,
    ],
)
def test_members_without_the_role_are_refused_and_the_refusal_is_logged(
    mini: Plan, role: str, caplog: pytest.LogCaptureFixture
) -> None:
    client = member(mini, role)
    with caplog.at_level(logging.WARNING, logger="fremdrift.security"):
        pages = [
            client.get(EDITOR),
            client.get(f"{EDITOR}indsatsomraader/boern-og-familier/"),
            client.post(f"{EDITOR}indsatsomraader/ny/", {"slug": "x", "name": "X"}),
            client.get("/redigering/ny/"),
        ]

    assert [p.status_code for p in pages] == [403, 403, 403, 403]
    assert caplog.text.count("authorization denied status=403") == 4
    assert EffortArea.objects.filter(plan=mini).count() == 1


def test_users_outside_the_plan_get_404_and_anonymous_users_the_login(
    mini: Plan, caplog: pytest.LogCaptureFixture
) -> None:
    other = Plan.objects.create(
        organisation=mini.organisation,
        slug="andet",
        name="Andet",
        start=mini.start,
        end=mini.end,
    )
    outsider = member(other, PlanMembership.Role.COORDINATOR, "outsider")
    with caplog.at_level(logging.WARNING, logger="fremdrift.security"):
        refused = outsider.get(EDITOR)
    anonymous = Client().get(EDITOR)

    assert refused.status_code == 404
    assert "authorization denied status=404" in caplog.text
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/konto/log-ind/")


def test_a_plan_administrator_edits_and_the_plan_page_links_to_the_editor(
    mini: Plan,
) -> None:
    admin = member(mini, PlanMembership.Role.PLAN_ADMIN)
    staff = member(mini, PlanMembership.Role.STAFF, "staff2")

    assert admin.get(EDITOR).status_code == 200
    assert f'href="{EDITOR}"' in admin.get(f"/planer/{SLUG}/").content.decode()
    assert f'href="{EDITOR}"' not in staff.get(f"/planer/{SLUG}/").content.decode()


def test_may_create_plan_holds_for_coordinators_of_the_organisation_only(
    mini: Plan,
) -> None:
    from fremdrift.accounts.policy import may_create_plan

    coordinator = User.objects.create_user("c")
    staff = User.objects.create_user("s")
    PlanMembership.objects.create(user=coordinator, plan=mini, role="coordinator")
    PlanMembership.objects.create(user=staff, plan=mini, role="staff")

    assert may_create_plan(coordinator, mini.organisation)
    assert not may_create_plan(staff)
    assert not may_create_plan(staff, mini.organisation)


# -- the parts -------------------------------------------------------------------


def test_an_effort_area_is_renamed_and_an_activity_added_under_it(
    coordinator: Client, mini: Plan
) -> None:
    url = f"{EDITOR}indsatsomraader/boern-og-familier/"
    page = coordinator.get(url).content.decode()

    renamed = coordinator.post(
        url,
        {"name": "Børn, unge og familier", "fingerprint": hidden(page, "fingerprint")},
    )
    added = coordinator.post(
        f"{EDITOR}aktiviteter/ny/?under=effort_area:boern-og-familier",
        {"slug": "familieklub", "name": "Familieklub", "start": "2023-02-01"},
    )

    assert renamed.status_code == 302 and added.status_code == 302
    assert EffortArea.objects.get(slug="boern-og-familier").name == (
        "Børn, unge og familier"
    )
    activity = Activity.objects.get(plan=mini, slug="familieklub")
    assert activity.effort_area.slug == "boern-og-familier"
    assert str(activity.start) == "2023-02-01"
    # The effort area's criteria and activities were kept.
    assert Activity.objects.filter(plan=mini).count() == 3
    assert Criterion.objects.filter(effort_area__slug="boern-og-familier").exists()


def test_an_activity_ending_before_it_starts_writes_nothing(
    coordinator: Client, mini: Plan
) -> None:
    url = f"{EDITOR}aktiviteter/lektiecafe/"
    page = coordinator.get(url).content.decode()

    response = coordinator.post(
        url,
        {
            "name": "Lektiecafé ny",
            "start": "2024-01-01",
            "end": "2023-01-01",
            "fingerprint": hidden(page, "fingerprint"),
        },
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert errors_on(html, "end") == ["Aktiviteten slutter, før den begynder."]
    assert "Intet er gemt" in html
    assert Activity.objects.get(slug="lektiecafe").name != "Lektiecafé ny"


def test_an_extension_before_the_end_is_refused_on_the_extension(
    coordinator: Client,
) -> None:
    url = f"{EDITOR}aktiviteter/lektiecafe/"
    page = coordinator.get(url).content.decode()

    response = coordinator.post(
        url,
        {
            "name": "Lektiecafé",
            "end": "2025-06-30",
            "extended_to": "2025-01-01",
            "fingerprint": hidden(page, "fingerprint"),
        },
    )

    assert response.status_code == 400
    assert errors_on(response.content.decode(), "extended_to") == [
        "En forlængelse skal slutte efter aktivitetens slutdato."
    ]


def test_a_duplicate_slug_is_refused_in_danish_on_the_slug(coordinator: Client) -> None:
    response = coordinator.post(
        f"{EDITOR}aktiviteter/ny/?under=effort_area:boern-og-familier",
        {"slug": "lektiecafe", "name": "Endnu en lektiecafé"},
    )

    assert response.status_code == 400
    assert errors_on(response.content.decode(), "slug") == [
        "“lektiecafe” er allerede brugt i planen. Vælg et andet."
    ]
    assert Activity.objects.filter(slug="lektiecafe").count() == 1


def test_a_required_field_left_empty_gets_the_danish_message(
    coordinator: Client,
) -> None:
    response = coordinator.post(f"{EDITOR}omraader/ny/", {"slug": "vest", "name": ""})

    assert response.status_code == 400
    assert errors_on(response.content.decode(), "name") == ["Dette felt er påkrævet."]


def test_a_stale_edit_of_a_part_is_refused_with_409_and_writes_nothing(
    coordinator: Client, mini: Plan
) -> None:
    url = f"{EDITOR}indsatsomraader/boern-og-familier/"
    opened = hidden(coordinator.get(url).content.decode(), "fingerprint")
    # Another coordinator saves first.
    data, _rows = plan_to_data(mini)
    part = locate(data, "effort_area", "boern-og-familier").value
    services.part_save(
        plan=mini,
        kind="effort_area",
        key="boern-og-familier",
        values={"slug": "boern-og-familier", "name": "Den andens navn"},
        fingerprint=fingerprint(part),
    )

    response = coordinator.post(url, {"name": "Mit navn", "fingerprint": opened})

    assert response.status_code == 409
    assert "En anden har gemt en ændring" in response.content.decode()
    assert EffortArea.objects.get(slug="boern-og-familier").name == "Den andens navn"


def test_parts_are_reordered_and_removed(coordinator: Client, mini: Plan) -> None:
    page = coordinator.get(EDITOR).content.decode()
    area_print = re.search(
        r'action="/redigering/[^"]+/omraader/nord/flyt/">.*?name="fingerprint" '
        r'value="([0-9a-f]+)"',
        page,
    )
    assert area_print
    moved = coordinator.post(
        f"{EDITOR}omraader/nord/flyt/",
        {"retning": "ned", "fingerprint": area_print.group(1)},
    )
    remove_url = f"{EDITOR}aktiviteter/lektiecafe-sommer/slet/"
    confirm = coordinator.get(remove_url).content.decode()
    removed = coordinator.post(
        remove_url, {"fingerprint": hidden(confirm, "fingerprint")}
    )

    assert moved.status_code == 302 and removed.status_code == 302
    assert list(mini.areas.order_by("order").values_list("slug", flat=True)) == [
        "syd",
        "nord",
    ]
    assert not Activity.objects.filter(slug="lektiecafe-sommer").exists()
    assert not Criterion.objects.filter(ident="bf-sommer-forloeb").exists()


def test_an_indicator_a_goal_follows_cannot_be_removed(
    coordinator: Client, mini: Plan
) -> None:
    url = f"{EDITOR}indikatorer/employment/slet/"
    confirm = coordinator.get(url).content.decode()

    response = coordinator.post(url, {"fingerprint": hidden(confirm, "fingerprint")})

    assert response.status_code == 400
    assert "Ukendt indikator “employment”" in response.content.decode()
    assert mini.indicators.filter(slug="employment").exists()


def test_a_decision_and_funding_are_added(coordinator: Client, mini: Plan) -> None:
    decision = coordinator.post(
        f"{EDITOR}beslutninger/ny/?under=activity:lektiecafe",
        {"date": "2024-03-01", "text": "Styregruppen forlænger lektiecaféen."},
    )
    page = coordinator.get(f"{EDITOR}finansiering/").content.decode()
    total = coordinator.post(
        f"{EDITOR}finansiering/",
        {"total_dkk": "250000", "fingerprint": hidden(page, "fingerprint")},
    )
    project = coordinator.post(
        f"{EDITOR}fundraising/ny/",
        {"name": "Sommerlejr", "funder": "Fonden", "amount_dkk": "50000"},
    )

    assert [decision.status_code, total.status_code, project.status_code] == [302] * 3
    activity = Activity.objects.get(slug="lektiecafe")
    assert list(
        activity.decisions.order_by("order").values_list("text", flat=True)
    ) == [
        "Fortsætter i næste plan",
        "Styregruppen forlænger lektiecaféen.",
    ]
    mini.refresh_from_db()
    assert mini.funding_total_dkk == 250000
    assert mini.funding_projects.get().name == "Sommerlejr"


def test_plan_facts_are_edited_and_the_slug_stays(
    coordinator: Client, mini: Plan
) -> None:
    url = f"{EDITOR}fakta/"
    page = coordinator.get(url).content.decode()

    response = coordinator.post(
        url,
        {
            "slug": "noget-andet",
            "name": "Eksempelby 2022-26, revideret",
            "start": "2022-01-01",
            "end": "2026-12-31",
            "notes": "Første note\n\nAnden note\n",
            "fingerprint": hidden(page, "fingerprint"),
        },
    )

    assert response.status_code == 302
    mini.refresh_from_db()
    assert mini.slug == SLUG
    assert mini.name == "Eksempelby 2022-26, revideret"
    assert mini.notes == ["Første note", "Anden note"]


def test_a_goal_follows_chosen_indicators(coordinator: Client, mini: Plan) -> None:
    response = coordinator.post(
        f"{EDITOR}maal/ny/",
        {"slug": "tryghed", "name": "Tryghed", "indicators": ["employment"]},
    )

    assert response.status_code == 302
    goal = Goal.objects.get(plan=mini, slug="tryghed")
    assert list(goal.indicators.values_list("slug", flat=True)) == ["employment"]


def test_the_overview_names_criterion_kinds_and_decisions_in_danish(
    coordinator: Client,
) -> None:
    page = coordinator.get(EDITOR).content.decode()

    assert "bf-lektiecafe-boern · Mindst et tal" in page
    assert "bf-sommer-forloeb · Inden for et interval" in page
    assert "at_least" not in page and "reduce_by" not in page
    assert 'class="muted">Beslutning</span>' in page
    # A sub-activity is offered no sub-activities of its own.
    assert "?under=activity:lektiecafe-sommer" in page
    assert page.count("Tilføj delaktivitet") == 1


def test_the_plan_list_offers_a_new_plan_to_those_who_may_create_one(
    coordinator: Client, mini: Plan
) -> None:
    staff = member(mini, PlanMembership.Role.STAFF, "medarbejder")

    assert 'href="/redigering/ny/"' in coordinator.get("/").content.decode()
    assert 'href="/redigering/ny/"' not in staff.get("/").content.decode()
    assert 'href="/redigering/ny/"' not in Client().get("/").content.decode()
