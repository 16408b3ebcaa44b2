"""The team's commentary at every level: the plan, each effort area and
each activity, per tertial and per year, written on the web, printed in
the reports in their place, and carried by the plan folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client

from fremdrift.accounts.services import membership_grant
from fremdrift.core.report_model import ReportDocument, Section, walk_sections
from fremdrift.planfiles.errors import PlanFileError
from fremdrift.planfiles.services import plan_dump, plan_load
from fremdrift.plans.models import Commentary, Plan
from fremdrift.registrations.services import plan_commentary_save
from fremdrift.reports.assembly import report_build

from ..accounts.verified import log_in_verified
from ..registrations import personas

pytestmark = pytest.mark.django_db

EFFORT_AREA = "boern-og-familier"


def _member(plan: Plan, role: str) -> User:
    person = User.objects.create_user(username=role, password=personas.PASSWORD)
    membership_grant(user=person, plan=plan, role=role)
    return person


@pytest.fixture
def coordinator(mini) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    log_in_verified(client, _member(mini, "coordinator"))
    return client


def _plan_url(plan: Plan) -> str:
    return f"/planer/{plan.slug}/kommentarer/"


def _area_url(plan: Plan) -> str:
    return f"/planer/{plan.slug}/indsatsomraader/{EFFORT_AREA}/kommentarer/"


def _section(doc: ReportDocument, title: str) -> Section:
    return next(s for s in walk_sections(doc.sections) if s.title == title)


def test_the_plans_commentary_for_a_tertial_is_printed_in_that_tertials_reports(  # type: ignore[no-untyped-def]
    coordinator: Client, mini
) -> None:
    response = coordinator.post(
        _plan_url(mini), {"period": "2023T2", "text": "Sommeren var travl."}
    )
    assert response.status_code == 302
    saved = Commentary.objects.get(plan=mini, effort_area=None, activity=None)
    assert (saved.period, saved.author) == ("2023T2", "coordinator")

    shown = ("2. tertial 2023", "Sommeren var travl.")
    progress = report_build(plan=mini, kind="progress", year=2023, tertial=2)
    assert _section(progress, "Indledning").commentary == (shown,)
    annual = report_build(plan=mini, kind="annual", year=2023)
    assert _section(annual, "Indledning").commentary == (shown,)
    final = report_build(plan=mini, kind="final")
    assert shown in _section(final, "Indledning").commentary
    other_tertial = report_build(plan=mini, kind="progress", year=2023, tertial=3)
    assert _section(other_tertial, "Indledning").commentary == ()


def test_an_effort_areas_commentary_for_a_year_is_printed_under_the_effort_area(  # type: ignore[no-untyped-def]
    coordinator: Client, mini
) -> None:
    coordinator.post(_area_url(mini), {"period": "2023", "text": "Et godt år."})

    saved = Commentary.objects.get(effort_area__slug=EFFORT_AREA)
    assert saved.plan == mini
    assert saved.activity is None
    annual = report_build(plan=mini, kind="annual", year=2023)
    area = next(
        s
        for s in walk_sections(annual.sections)
        if s.title == "Børn og familier" and s.anchor.startswith("indsats-")
    )
    assert area.commentary == (("2023", "Et godt år."),)
    final = report_build(plan=mini, kind="final")
    assert ("2023", "Et godt år.") in _section(final, "Børn og familier").commentary
    # A year's commentary is not a tertial's.
    progress = report_build(plan=mini, kind="progress", year=2023, tertial=1)
    assert all(
        ("2023", "Et godt år.") not in s.commentary
        for s in walk_sections(progress.sections)
    )


def test_a_progress_report_prints_the_effort_areas_commentary_for_its_tertial(  # type: ignore[no-untyped-def]
    coordinator: Client, mini
) -> None:
    coordinator.post(_area_url(mini), {"period": "2024T1", "text": "Ny lærer."})
    progress = report_build(plan=mini, kind="progress", year=2024, tertial=1)
    heading = next(
        s
        for s in walk_sections(progress.sections)
        if s.anchor == "aktiviteter-børn-og-familier"
    )
    assert heading.commentary == (("1. tertial 2024", "Ny lærer."),)


def test_periods_are_offered_and_listed_in_words_never_as_codes(  # type: ignore[no-untyped-def]
    coordinator: Client, mini
) -> None:
    coordinator.post(_plan_url(mini), {"period": "2026T3", "text": "Sidste tertial."})
    coordinator.post(_plan_url(mini), {"period": "2025", "text": "Året."})

    response = coordinator.get(_plan_url(mini))
    page = response.content.decode()
    choices = dict(response.context["form"].fields["period"].choices)
    assert choices["2026T3"] == "3. tertial 2026"
    assert choices["2022"] == "2022"
    assert choices[""] == "Hele perioden"
    assert set(choices) >= {"2022T1", "2026T3", "2024"}
    listed = [item.period_text for item in response.context["commentaries"]]
    assert listed == ["3. tertial 2026", "2025"]
    assert ">2026T3<" not in page
    assert ">3. tertial 2026</a>" in page


def test_a_written_commentary_is_opened_by_its_period_and_replaced(  # type: ignore[no-untyped-def]
    coordinator: Client, mini
) -> None:
    coordinator.post(_area_url(mini), {"period": "2024T2", "text": "Udkast."})
    opened = coordinator.get(_area_url(mini), {"periode": "2024T2"})
    assert opened.context["form"].initial == {"period": "2024T2", "text": "Udkast."}

    coordinator.post(_area_url(mini), {"period": "2024T2", "text": "Endelig."})

    assert list(
        Commentary.objects.filter(effort_area__slug=EFFORT_AREA).values_list(
            "text", flat=True
        )
    ) == ["Endelig."]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"period": "2023T2", "text": ""}, "text", "Dette felt er påkrævet."),
        (
            {"period": "2031", "text": "Senere."},
            "period",
            "Vælg en af planens perioder.",
        ),
    ],
)
def test_bad_input_is_named_on_its_field_and_writes_nothing(  # type: ignore[no-untyped-def]
    coordinator: Client, mini, data, field, message
) -> None:
    response = coordinator.post(_plan_url(mini), data)
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert not Commentary.objects.filter(activity=None).exists()


@pytest.mark.parametrize("role", ["staff", "board", "auditor"])
def test_only_the_coordinator_and_plan_administrator_write_on_the_plan(  # type: ignore[no-untyped-def]
    mini, role: str
) -> None:
    client = Client()
    client.force_login(_member(mini, role))
    for url in (_plan_url(mini), _area_url(mini)):
        assert client.get(url).status_code == 403
        assert client.post(url, {"period": "", "text": "Nej."}).status_code == 403
    assert not Commentary.objects.filter(activity=None).exists()


def test_the_plan_administrator_writes_on_the_plan(mini) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    log_in_verified(client, _member(mini, "plan_admin"))
    client.post(_plan_url(mini), {"period": "", "text": "Hele perioden."})
    assert Commentary.objects.get(activity=None).author == "plan_admin"


def test_staff_write_on_their_own_activity_per_year_too(mini) -> None:  # type: ignore[no-untyped-def]
    personas.keep_running(mini)
    cafe = mini.activities.get(slug="lektiecafe")
    client = Client()
    client.force_login(personas.alice(cafe))
    url = f"/registrering/{mini.slug}/lektiecafe/kommentar/"

    client.post(url, {"period": "2024", "text": "Et år med lektier."})

    response = client.get(url)
    assert Commentary.objects.get(activity=cafe, period="2024").plan == mini
    assert "2024" in dict(response.context["form"].fields["period"].choices)
    listed = [item.period_text for item in response.context["commentaries"]]
    # The plan folder's commentary on the café, with the new one first.
    assert listed == ["2024", "1. tertial 2023", "Hele perioden"]
    assert ">2023T1<" not in response.content.decode()


def test_commentary_at_every_level_survives_dump_and_load(  # type: ignore[no-untyped-def]
    mini, tmp_path: Path
) -> None:
    root = User.objects.create_superuser("root", password=personas.PASSWORD)
    area = mini.effort_areas.get(slug=EFFORT_AREA)
    plan_commentary_save(
        plan=mini, effort_area=None, period="2023T2", text="Planen.", user=root
    )
    plan_commentary_save(
        plan=mini, effort_area=None, period="", text="Hele planen.", user=root
    )
    plan_commentary_save(
        plan=mini, effort_area=area, period="2024", text="Området.", user=root
    )

    def rows() -> set[tuple[str, str, str, str]]:
        return {
            (
                c.effort_area.slug if c.effort_area else "",
                c.activity.slug if c.activity else "",
                c.period,
                c.text,
            )
            for c in Commentary.objects.select_related("effort_area", "activity")
        }

    before = rows()
    assert len(before) == 5  # with the café's two from the plan folder
    folder = tmp_path / "dump"
    plan_dump(plan=mini, folder=folder)
    assert not plan_load(folder=folder).changed  # a fixed point
    Plan.objects.all().delete()

    plan_load(folder=folder)

    assert rows() == before


def test_a_plan_folder_with_two_commentaries_for_one_period_is_refused(  # type: ignore[no-untyped-def]
    mini_folder: Path,
) -> None:
    plan_yaml = mini_folder / "plan.yaml"
    text = plan_yaml.read_text(encoding="utf-8")
    twice = (
        "  commentary:\n"
        '    - {period: "2023", text: Et}\n'
        '    - {period: "2023", text: To}\n'
    )
    plan_yaml.write_text(
        text.replace("  organisation:", twice + "  organisation:", 1),
        encoding="utf-8",
    )
    with pytest.raises(PlanFileError) as caught:
        plan_load(folder=mini_folder)
    assert any(
        "the plan has one commentary per period" in str(p)
        for p in caught.value.problems
    )
