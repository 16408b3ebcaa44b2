"""The web pages for importing area statistics: who may, preview, confirm,
undo."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from fremdrift.accounts.services import membership_grant
from fremdrift.plans.models import Organisation, Plan
from fremdrift.statistics.models import ImportBatch, Observation

from ..accounts.verified import log_in_verified

PASSWORD = "hemmeligt-kodeord-42"
GOOD = (
    b"indicator,population,period,value\n"
    b"employment,nord,2023,43\n"
    b"employment,syd,2024,45.5\n"
)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def login(role: str | None, plan: Plan, name: str = "person") -> Client:
    user = User.objects.create_user(name, password=PASSWORD)
    if role:
        membership_grant(user=user, plan=plan, role=role)
    client = Client()
    # Coordinators confirm a one-time code after the password.
    log_in_verified(client, user)
    return client


def upload(client: Client, plan: Plan, content: bytes = GOOD, name: str = "tal.csv"):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("statistics:import-preview", kwargs={"slug": plan.slug}),
        {"file": SimpleUploadedFile(name, content)},
    )


def employment(plan: Plan, population: str, period: str) -> Decimal | None:
    obs = Observation.objects.filter(
        indicator__plan=plan, population__slug=population, period=period
    ).first()
    return None if obs is None else obs.value


def test_a_coordinator_previews_confirms_and_undoes_an_import(mini, media):
    client = login("coordinator", mini)
    page = client.get(reverse("statistics:import-list", kwargs={"slug": mini.slug}))
    assert page.status_code == 200
    preview = upload(client, mini)
    assert preview.status_code == 200
    text = preview.content.decode()
    assert "<strong>1</strong> nye" in text and "<strong>1</strong> ændrede" in text
    assert ">42<" in text and ">43<" in text
    assert employment(mini, "nord", "2023") == Decimal("42")  # nothing written yet
    assert ImportBatch.objects.count() == 0
    confirm = preview.context["confirm"]
    done = client.post(
        reverse("statistics:import-confirm", kwargs={"slug": mini.slug}),
        {name: confirm.initial[name] for name in confirm.fields},
    )
    batch = ImportBatch.objects.get()
    assert done.status_code == 302
    assert done["Location"] == reverse(
        "statistics:import-detail", kwargs={"slug": mini.slug, "pk": batch.pk}
    )
    assert batch.imported_by_name == "person" and batch.file_name == "tal.csv"
    assert employment(mini, "nord", "2023") == Decimal("43")
    detail = client.get(done["Location"])
    assert batch.sha256 in detail.content.decode()
    undone = client.post(
        reverse("statistics:import-undo", kwargs={"slug": mini.slug, "pk": batch.pk})
    )
    assert undone.status_code == 302
    assert employment(mini, "nord", "2023") == Decimal("42")
    assert employment(mini, "syd", "2024") is None


def test_a_file_with_problems_is_listed_and_nothing_is_written(mini, media):
    client = login("coordinator", mini)
    bad = b"indicator,population,period,value\nemployment,nord,2023,140\nfoo,nord,2023,1\n"
    preview = upload(client, mini, bad)
    assert preview.status_code == 422
    text = preview.content.decode()
    assert "tal.csv:2: value" in text and "140 is not a percent" in text
    assert "ukendt indikator &#x27;foo&#x27;" in text
    assert 'action="/planer/eksempelby-2022-26/statistik/bekraeft/"' not in text
    assert ImportBatch.objects.count() == 0


def test_a_file_of_no_known_layout_asks_for_a_mapping_on_the_field(mini, media):
    client = login("coordinator", mini)
    response = upload(client, mini, b"navn;antal\nNord;4\n", "x.csv")
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "mappingfil" in errors["file"][0]
    assert ImportBatch.objects.count() == 0


@pytest.mark.parametrize("role", ["staff", "board", "auditor", "plan_admin"])
def test_other_members_of_the_plan_get_403(mini, media, role):
    client = login(role, mini)
    assert (
        client.get(
            reverse("statistics:import-list", kwargs={"slug": mini.slug})
        ).status_code
        == 403
    )
    assert upload(client, mini).status_code == 403
    assert ImportBatch.objects.count() == 0


def test_a_coordinator_of_another_plan_gets_404_and_anonymous_the_login(mini, media):
    other = Plan.objects.create(
        organisation=Organisation.objects.create(name="Andet sted"),
        slug="andet",
        name="Anden plan",
        start=mini.start,
        end=mini.end,
    )
    charlie = login("coordinator", other, "charlie")
    url = reverse("statistics:import-list", kwargs={"slug": mini.slug})
    assert charlie.get(url).status_code == 404
    assert upload(charlie, mini).status_code == 404
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "/konto/log-ind/" in anonymous["Location"]


def test_posting_without_a_csrf_token_is_refused(mini, media):
    user = User.objects.create_user("koord", password=PASSWORD)
    membership_grant(user=user, plan=mini, role="coordinator")
    client = Client(enforce_csrf_checks=True)
    log_in_verified(client, user)
    assert upload(client, mini).status_code == 403


def test_the_plan_page_links_to_the_imports_for_coordinators_only(mini, media):
    url = reverse("web:plan-detail", kwargs={"slug": mini.slug})
    link = reverse("statistics:import-list", kwargs={"slug": mini.slug})
    assert link in login("coordinator", mini, "k").get(url).content.decode()
    assert link not in login("staff", mini, "s").get(url).content.decode()
