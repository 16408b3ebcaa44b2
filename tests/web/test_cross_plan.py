"""The cross-plan overview (/oversigt/): every plan the user holds a role in,
its criteria counted by verdict, and one indicator side by side for chosen
areas, with each plan's discretion for that user.

Two copies of the small test plan (A and B) and a third plan the user has
no role in; the user is on B's team and on A's board."""

from __future__ import annotations

import datetime
import re
import shutil
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fremdrift.accounts.policy import audience_for, audiences_for
from fremdrift.accounts.services import membership_grant
from fremdrift.core.discretion import Audience
from fremdrift.core.report_model import OUTCOME_ORDER
from fremdrift.evaluation.selectors import plan_judged_criteria
from fremdrift.planfiles.services import plan_load
from fremdrift.plans.models import Criterion, Plan, Population, ReportedValue
from fremdrift.statistics.models import Indicator, Observation

from ..accounts.verified import log_in_verified
from ..conftest import MINI

pytestmark = pytest.mark.django_db

URL = "/oversigt/"
DAY = datetime.date(2024, 6, 30)
NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@pytest.fixture(autouse=True)
def _live_verdicts(settings):  # type: ignore[no-untyped-def]
    """No stored criterion inputs (base/freshness.py): every verdict, the
    page's and the one it is checked against, is computed from the rows of
    this test."""
    settings.CACHES = NO_CACHE


def _plan_copy(tmp_path: Path, slug: str, name: str) -> Plan:
    """The small test plan loaded again under another slug and name."""
    folder = tmp_path / slug
    shutil.copytree(MINI, folder)
    plan_file = folder / "plan.yaml"
    text = plan_file.read_text(encoding="utf-8")
    text = text.replace("slug: eksempelby-2022-26", f"slug: {slug}", 1)
    text = re.sub(r"(?m)^  name: .*$", f"  name: {name}", text, count=1)
    plan_file.write_text(text, encoding="utf-8")
    plan_load(folder=folder)
    return Plan.objects.get(slug=slug)


def _placements(plan: Plan) -> None:
    """Children placed outside the home, a count of persons: 3 in Nord, 12
    in Syd, 15 in the plan's areas together (additive), in 2023."""
    indicator = Indicator.objects.create(
        plan=plan, slug="placements", name="Anbragte børn", unit="count",
        better="lower", counts_persons=True, additive=True, order=10,
    )  # fmt: skip
    nord = Population.objects.get(plan=plan, slug="nord")
    syd = Population.objects.get(plan=plan, slug="syd")
    total = Population.objects.create(
        plan=plan, slug="i-alt", name="Begge områder", kind="plan_total", order=5
    )
    total.parts.set([nord, syd])
    for population, value in ((nord, 3), (syd, 12), (total, 15)):
        Observation.objects.create(
            indicator=indicator, population=population, period="2023",
            period_start=datetime.date(2023, 1, 1),
            period_end=datetime.date(2023, 12, 31), value=value,
        )  # fmt: skip


@pytest.fixture
def plans(tmp_path: Path) -> dict[str, Plan]:
    found = {
        "a": _plan_copy(tmp_path, "plan-a", "Helhedsplan A"),
        "b": _plan_copy(tmp_path, "plan-b", "Helhedsplan B"),
        "other": _plan_copy(tmp_path, "plan-c", "QXANDENPLAN"),
    }
    for plan in found.values():
        _placements(plan)
    return found


def _user(username: str, roles: dict[Plan, str]) -> User:
    user = User.objects.create(username=username)
    for plan, role in roles.items():
        membership_grant(user=user, plan=plan, role=role)
    return user


def _client(user: User) -> Client:
    client = Client()
    log_in_verified(client, user)
    return client


@pytest.fixture
def reader(plans: dict[str, Plan]) -> Client:
    """On A's board and B's team (staff); no role in the other plan."""
    return _client(_user("reader", {plans["a"]: "board", plans["b"]: "staff"}))


def _population(plan: Plan, slug: str) -> int:
    return Population.objects.get(plan=plan, slug=slug).pk


def _comparison_rows(response) -> dict[str, dict[str, str]]:  # type: ignore[no-untyped-def]
    """The side-by-side table as {column header: {period: text}}."""
    table = response.context["comparison"]
    return {
        header: {row[0].text: row[i].text for row in table.rows}
        for i, header in enumerate(table.columns)
        if i
    }


def test_anonymous_users_are_sent_to_the_login_page() -> None:
    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_counts_are_each_plans_own_verdicts(plans, reader) -> None:  # type: ignore[no-untyped-def]
    response = reader.get(URL, {"dato": DAY.isoformat()})
    assert response.status_code == 200
    rows = {row.plan.slug: row for row in response.context["overview"].rows}
    assert set(rows) == {"plan-a", "plan-b"}
    for slug, row in rows.items():
        plan = plans["a" if slug == "plan-a" else "b"]
        judged = plan_judged_criteria(plan=plan, as_of=DAY)
        expected = Counter(j.verdict.outcome for j in judged)
        assert row.counts == tuple(expected.get(o, 0) for o in OUTCOME_ORDER)
        assert row.total == len(judged) == Criterion.objects.filter(plan=plan).count()
    text = response.content.decode()
    assert f'href="{plans["a"].get_absolute_url()}"' in text
    assert f'href="{plans["b"].get_absolute_url()}"' in text


def test_the_day_changes_the_verdicts(plans, reader) -> None:  # type: ignore[no-untyped-def]
    # Before the plan started nothing is achieved yet; after, A's reported
    # values have been judged.
    before = reader.get(URL, {"dato": "2021-06-30"}).context["overview"]
    after = reader.get(URL, {"dato": "2027-06-30"}).context["overview"]
    for day, overview in (("2021-06-30", before), ("2027-06-30", after)):
        for row in overview.rows:
            judged = plan_judged_criteria(
                plan=row.plan, as_of=datetime.date.fromisoformat(day)
            )
            expected = Counter(j.verdict.outcome for j in judged)
            assert row.counts == tuple(expected.get(o, 0) for o in OUTCOME_ORDER)
    assert before.counts != after.counts


def test_another_plans_rows_never_appear(plans, reader) -> None:  # type: ignore[no-untyped-def]
    response = reader.get(URL)
    text = response.content.decode()
    assert "QXANDENPLAN" not in text
    assert plans["other"].slug not in text
    # Its areas cannot be asked for either: the choice is refused whole.
    other_area = _population(plans["other"], "nord")
    response = reader.get(URL, {"indikator": "placements", "omraade": [other_area]})
    assert response.status_code == 400
    assert "comparison" not in response.context
    assert "QXANDENPLAN" not in response.content.decode()


def test_an_indicator_of_another_plan_only_cannot_be_chosen(plans, reader) -> None:  # type: ignore[no-untyped-def]
    Indicator.objects.create(
        plan=plans["other"], slug="secret", name="QXHEMMELIG", unit="count",
        better="lower",
    )  # fmt: skip
    text = reader.get(URL).content.decode()
    assert "QXHEMMELIG" not in text
    response = reader.get(
        URL, {"indikator": "secret", "omraade": [_population(plans["a"], "nord")]}
    )
    assert response.status_code == 400


def test_a_user_of_one_plan_sees_its_row_and_no_link_from_the_plan_list(
    plans,
) -> None:  # type: ignore[no-untyped-def]
    client = _client(_user("single", {plans["a"]: "board"}))
    response = client.get(URL)
    assert response.status_code == 200
    assert [r.plan for r in response.context["overview"].rows] == [plans["a"]]
    assert reverse("web:cross-plan") not in client.get("/").content.decode()


def test_the_plan_list_offers_the_overview_to_a_user_of_several_plans(
    plans, reader
) -> None:  # type: ignore[no-untyped-def]
    assert reverse("web:cross-plan") in reader.get("/").content.decode()
    assert reverse("web:cross-plan") not in Client().get("/").content.decode()


def test_a_superuser_sees_every_plan(plans) -> None:  # type: ignore[no-untyped-def]
    root = User.objects.create(username="root", is_superuser=True)
    rows = _client(root).get(URL).context["overview"].rows
    assert {row.plan.slug for row in rows} == {"plan-a", "plan-b", "plan-c"}


def test_indicators_side_by_side_with_each_plans_municipality(plans, reader) -> None:  # type: ignore[no-untyped-def]
    response = reader.get(
        URL,
        {
            "indikator": "employment",
            "omraade": [
                _population(plans["a"], "nord"),
                _population(plans["b"], "syd"),
            ],
            "fra": 2022,
            "til": 2023,
        },
    )
    assert response.status_code == 200
    columns = _comparison_rows(response)
    assert list(columns) == [
        "Eksempelby Nord (Helhedsplan A)",
        "Eksempel Kommune (Helhedsplan A)",
        "Eksempelby Syd (Helhedsplan B)",
        "Eksempel Kommune (Helhedsplan B)",
    ]
    assert columns["Eksempelby Nord (Helhedsplan A)"] == {
        "2022": "40,5 %",
        "2023": "42 %",
    }
    assert columns["Eksempelby Syd (Helhedsplan B)"] == {"2022": "44,1 %", "2023": "–"}
    # A value the source lacks is shown as the reports show it.
    assert columns["Eksempel Kommune (Helhedsplan A)"]["2023"] == "mangler"
    assert response.context["comparison"].columns[0] == "Andel i %"
    text = response.content.decode()
    assert "40,5 %" in text and "Eksempelby Syd (Helhedsplan B)" in text


def test_the_years_choose_the_rows(plans, reader) -> None:  # type: ignore[no-untyped-def]
    response = reader.get(
        URL,
        {
            "indikator": "employment",
            "omraade": [_population(plans["b"], "nord")],
            "fra": 2023,
        },
    )
    assert [row[0].text for row in response.context["comparison"].rows] == ["2023"]


def test_small_numbers_are_hidden_from_a_board_member(plans, reader) -> None:  # type: ignore[no-untyped-def]
    query = {
        "indikator": "placements",
        "omraade": [
            _population(plans["a"], "nord"),
            _population(plans["a"], "syd"),
            _population(plans["b"], "nord"),
            _population(plans["b"], "syd"),
        ],
    }
    response = reader.get(URL, query)
    columns = _comparison_rows(response)
    # On A's board: 3 is hidden, and so is 12, which the total 15 would
    # give back (the reports' secondary suppression).
    assert columns["Eksempelby Nord (Helhedsplan A)"] == {"2023": "<5"}
    assert columns["Eksempelby Syd (Helhedsplan A)"] == {"2023": "<5"}
    # On B's team: every number.
    assert columns["Eksempelby Nord (Helhedsplan B)"] == {"2023": "3"}
    assert columns["Eksempelby Syd (Helhedsplan B)"] == {"2023": "12"}
    assert any(
        "diskretionshensyn" in note for note in response.context["comparison"].notes
    )
    text = response.content.decode()
    table = text[text.index("<figure") : text.index("</figure>")]
    assert ">3<" in table  # B's
    assert table.count(">&lt;5<") == 2


def test_a_hidden_count_stays_hidden_when_only_its_neighbour_is_chosen(
    plans, reader
) -> None:  # type: ignore[no-untyped-def]
    response = reader.get(
        URL, {"indikator": "placements", "omraade": [_population(plans["a"], "syd")]}
    )
    assert _comparison_rows(response) == {
        "Eksempelby Syd (Helhedsplan A)": {"2023": "<5"}
    }


def test_audiences_in_one_query_agree_with_each_plans_audience(plans) -> None:  # type: ignore[no-untyped-def]
    user = _user("mixed", {plans["a"]: "board", plans["b"]: "coordinator"})
    every = list(Plan.objects.all())
    with CaptureQueriesContext(connection) as queries:
        found = audiences_for(user, every)
    assert len(queries) == 1
    assert found == {plan.pk: audience_for(user, plan) for plan in every}
    assert found[plans["b"].pk] == Audience.INTERNAL


def test_an_invalid_day_is_refused_with_the_form(plans, reader) -> None:  # type: ignore[no-untyped-def]
    response = reader.get(URL, {"dato": "not-a-day"})
    assert response.status_code == 400
    assert "overview" not in response.context


# ---------------------------------------------------------------- queries


def _more_criteria(plan: Plan, n: int) -> None:
    """``n`` criteria judged on reported values and ``n`` on the plan's
    employment indicator."""
    effort_area = plan.effort_areas.first()
    goal = plan.goals.first()
    employment = Indicator.objects.get(plan=plan, slug="employment")
    nord = Population.objects.get(plan=plan, slug="nord")
    for i in range(n):
        reported = Criterion.objects.create(
            plan=plan, effort_area=effort_area, ident=f"extra-{i}",
            text=f"Ekstra {i}", kind="at_least", unit="count",
            target={"number": "10"}, aggregation="sum", order=100 + i,
        )  # fmt: skip
        for year, value in ((2022, 4), (2023, 7)):
            ReportedValue.objects.create(
                criterion=reported, period=str(year),
                period_start=datetime.date(year, 1, 1),
                period_end=datetime.date(year, 12, 31), value=Decimal(value),
            )  # fmt: skip
        Criterion.objects.create(
            plan=plan, goal=goal, ident=f"bound-{i}", text=f"Bundet {i}",
            kind="above_baseline", unit="percent", indicator=employment,
            population=nord, baseline_period="2022", order=200 + i,
        )  # fmt: skip


def _queries(client: Client, query: dict[str, object]) -> int:
    client.get(URL, query)  # Django's own caches (content types, ...)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL, query)
    assert response.status_code == 200
    return len(captured)


def test_the_queries_do_not_grow_with_the_criteria(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Every criterion computed live (``_live_verdicts``): the number of
    queries depends on the number of plans, never on their criteria; and
    each further plan costs the same few queries (its criteria, their
    reported values, their revised targets, the observations they are
    bound to)."""
    few = [_plan_copy(tmp_path, f"few-{i}", f"Få {i}") for i in range(3)]
    many = [_plan_copy(tmp_path, f"many-{i}", f"Mange {i}") for i in range(3)]
    for plan in many:
        _more_criteria(plan, 15)
    assert (
        Criterion.objects.filter(plan__in=many).count()
        > 8 * Criterion.objects.filter(plan__in=few).count()
    )
    query = {"dato": DAY.isoformat()}
    counts = {}
    for label, group in (("few", few), ("many", many)):
        for size in (1, 3):
            user = _user(f"{label}-{size}", {p: "board" for p in group[:size]})
            counts[(label, size)] = _queries(_client(user), query)
    assert counts[("many", 1)] == counts[("few", 1)]
    assert counts[("many", 3)] == counts[("few", 3)]
    per_plan = (counts[("few", 3)] - counts[("few", 1)]) / 2
    # Four: the criteria's revised targets are read in one query of their
    # own (a criterion is judged on the target in force on the day).
    assert per_plan <= 4
