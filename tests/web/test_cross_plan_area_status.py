"""The cross-plan overview's section on the law's statuses: areas counted
per status and list year over two plans, and the criteria of the next
list nearest their thresholds, nearest first, with each plan's
discretion for the reader.

Plan A's Nord meets all four criteria of an udsat boligområde with a
non-Western share over 50 % (a parallelsamfund, four lists in a row);
its Syd has 800 residents (never on a list). Plan B's Nord is a
forebyggelsesområde, its Syd has no status. The reader is on A's team
and B's board."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from fremdrift.accounts.services import membership_grant
from fremdrift.areastatus.selectors import area_status_overview, figures_for_plans
from fremdrift.planfiles.services import plan_load
from fremdrift.plans.models import Plan

from ..accounts.verified import log_in_verified
from ..areastatus.figures import bind_law_figures
from ..conftest import MINI

pytestmark = pytest.mark.django_db

URL = "/oversigt/"
NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

PARALLEL = {
    "residents": "1500",
    "non_western": "60",
    "without_attachment": "45",
    "convicted": "0.9",
    "basic_schooling": "65",
    "income": "100000",
}
SMALL = {**PARALLEL, "residents": "800"}
PREVENTION = {
    "residents": "1200",
    "non_western": "40",
    "without_attachment": "35",
    "convicted": "0.62",
    "basic_schooling": "50",
    "income": "150000",
    # 1,000 residents of 18 and over: 0.24 percentage points of them is
    # 2.4 persons, so 3 fewer convicted would end the criterion.
    "population_18_plus": "1000",
}
NONE = {
    "residents": "1100",
    "non_western": "20",
    "without_attachment": "20",
    "convicted": "0.05",
    "basic_schooling": "30",
    "income": "250000",
}


@pytest.fixture(autouse=True)
def _live(settings):  # type: ignore[no-untyped-def]
    settings.CACHES = NO_CACHE


def _plan_copy(tmp_path: Path, slug: str, name: str) -> Plan:
    folder = tmp_path / slug
    shutil.copytree(MINI, folder)
    plan_file = folder / "plan.yaml"
    text = plan_file.read_text(encoding="utf-8")
    text = text.replace("slug: eksempelby-2022-26", f"slug: {slug}", 1)
    text = re.sub(r"(?m)^  name: .*$", f"  name: {name}", text, count=1)
    plan_file.write_text(text, encoding="utf-8")
    plan_load(folder=folder)
    return Plan.objects.get(slug=slug)


@pytest.fixture
def plans(tmp_path: Path) -> dict[str, Plan]:
    a = _plan_copy(tmp_path, "plan-a", "Helhedsplan A")
    b = _plan_copy(tmp_path, "plan-b", "Helhedsplan B")
    bind_law_figures(a, {"nord": PARALLEL, "syd": SMALL})
    bind_law_figures(b, {"nord": PREVENTION, "syd": NONE})
    return {"a": a, "b": b}


@pytest.fixture
def reader(plans: dict[str, Plan]) -> Client:
    user = User.objects.create(username="reader")
    membership_grant(user=user, plan=plans["a"], role="coordinator")
    membership_grant(user=user, plan=plans["b"], role="board")
    client = Client()
    log_in_verified(client, user)
    return client


def _overview(plans: dict[str, Plan], threshold: int | None = None):  # type: ignore[no-untyped-def]
    ordered = [plans["a"], plans["b"]]
    return area_status_overview(
        plans=ordered, thresholds={p.pk: threshold for p in ordered}
    )


def test_areas_are_counted_once_per_list_under_their_headline_status(
    plans: dict[str, Plan],
) -> None:
    overview = _overview(plans)
    assert overview is not None
    assert overview.areas == 4
    columns = [key for key, _name in overview.counts.columns]
    assert columns == [
        "transformation",
        "parallel",
        "udsat",
        "prevention",
        "none",
        "undecided",
    ]
    names = dict(overview.counts.columns)
    assert names["parallel"] == "parallelsamfund"
    assert names["transformation"] == "omdannelsesområde"
    # The list of 2021 averages 2019 and 2020, and there is no 2019: A's
    # Nord is a parallelsamfund on the criteria of one year already (not
    # counted again as an udsat boligområde), A's small Syd has no status
    # whatever the figures, and B's areas cannot be decided. From 2022 B's
    # Nord is a forebyggelsesområde and its Syd has no status.
    assert overview.counts.rows == (
        (2021, (0, 1, 0, 0, 1, 2)),
        *((year, (0, 1, 0, 1, 2, 0)) for year in range(2022, 2025)),
    )


def test_the_nearest_thresholds_come_first_in_either_direction(
    plans: dict[str, Plan],
) -> None:
    overview = _overview(plans)
    assert overview is not None
    rows = [
        (
            row.plan.slug,
            row.area.slug,
            row.crossing.outlook.rule.key,
            round(row.crossing.points, 2),
            row.direction,
        )
        for row in overview.nearest
    ]
    on, off = "tæt på at komme på listen", "tæt på at komme af listen"
    assert rows == [
        ("plan-b", "nord", "prevention_convicted", 0.12, off),
        ("plan-b", "nord", "convicted", 0.13, on),
        ("plan-a", "nord", "convicted", 0.15, off),
        ("plan-a", "nord", "prevention_convicted", 0.4, off),
        ("plan-b", "syd", "prevention_convicted", 0.45, on),
        ("plan-b", "syd", "convicted", 0.7, on),
        # Ties (5 points) in the plans' order, then the criteria's: A's
        # Syd, under 1,000 residents, is never a candidate.
        ("plan-a", "nord", "without_attachment", 5.0, off),
        ("plan-a", "nord", "basic_schooling", 5.0, off),
        ("plan-a", "nord", "income", 5.0, off),
        ("plan-a", "nord", "prevention_basic_schooling", 5.0, off),
    ]
    first = overview.nearest[0]
    assert first.distance == "0,12 procentpoint (3 personer)"
    assert first.value == "0,62 %"
    assert first.limit == "mindst 0,5 %"
    assert "(forebyggelsesområde)" in first.criterion
    income = overview.nearest[8]
    assert income.value == "100.000 kr."
    assert income.limit == "under 110.000 kr."
    assert income.distance == "5 procentpoint"


def test_a_board_reader_gets_no_distance_under_five_persons(
    plans: dict[str, Plan],
) -> None:
    overview = _overview(plans, threshold=5)
    assert overview is not None
    first = overview.nearest[0]
    assert first.crossing.persons == 3
    assert first.distance == "0,12 procentpoint (under 5 personer)"


def test_the_page_shows_both_tables_with_each_plans_discretion(
    plans: dict[str, Plan], reader: Client
) -> None:
    response = reader.get(URL)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Områdernes status efter almenboligloven" in text
    assert "Tættest på en grænse ved næste liste" in text
    assert "tæt på at komme af listen" in text
    assert "tæt på at komme på listen" in text
    # The reader is on B's board: B's Nord's 3 persons are not shown.
    assert "under 5 personer" in text
    assert "3 personer" not in text
    section = response.context["area_status"]
    assert section.counts.rows[-1] == (2024, (0, 1, 0, 1, 2, 0))


def test_the_page_has_no_section_without_the_laws_figures(
    tmp_path: Path,
) -> None:
    plan = _plan_copy(tmp_path, "plan-c", "Helhedsplan C")
    user = User.objects.create(username="solo")
    membership_grant(user=user, plan=plan, role="coordinator")
    client = Client()
    log_in_verified(client, user)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["area_status"] is None
    assert "Områdernes status efter almenboligloven" not in response.content.decode()


def test_the_figures_of_every_plan_take_four_queries(
    plans: dict[str, Plan], tmp_path: Path
) -> None:
    ordered = [plans["a"], plans["b"]]
    with CaptureQueriesContext(connection) as two:
        figures = figures_for_plans(plans=ordered)
    more = [*ordered, _plan_copy(tmp_path, "plan-d", "Helhedsplan D")]
    bind_law_figures(more[2], {"nord": PARALLEL, "syd": NONE})
    with CaptureQueriesContext(connection) as three:
        assert len(figures_for_plans(plans=more)) == len(figures) + 2
    assert len(two) == len(three) == 4


def test_the_section_follows_the_chosen_language(
    plans: dict[str, Plan], reader: Client
) -> None:
    reader.post("/i18n/setlang/", {"language": "en", "next": URL})
    text = reader.get(URL).content.decode()
    assert "status under the Social Housing Act</h2>" in text
    assert "close to coming off the list" in text
    assert "0.12 percentage points (under 5 persons)" in text
    assert "DKK 100,000" in text
    assert "tæt på at komme" not in text
