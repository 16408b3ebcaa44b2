"""The area's status under the law from a plan folder: plan.yaml's
law_status binds indicators and populations, the loader checks and
writes it, the dump writes it back, and `fremdrift status` judges every
area on every list under the rules in force then."""

from __future__ import annotations

import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from fremdrift.areastatus.models import LawFigure, LawReference
from fremdrift.areastatus.selectors import plan_area_statuses
from fremdrift.planfiles.errors import PlanFileError
from fremdrift.planfiles.services import plan_dump, plan_load
from fremdrift.plans.models import Plan

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
EKSEMPELBY = ROOT / "examples" / "eksempelby-2025-29"
SLUG = "eksempelby-2025-29"


@pytest.fixture
def plan() -> Plan:
    plan_load(folder=EKSEMPELBY)
    return Plan.objects.get(slug=SLUG)


def _status_json(slug: str = SLUG) -> list[dict[str, object]]:
    out = StringIO()
    call_command("status", slug, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_the_plan_folder_binds_the_laws_figures(plan: Plan) -> None:
    assert LawFigure.objects.filter(plan=plan).count() == 9
    scopes = dict(
        LawReference.objects.filter(plan=plan).values_list("scope", "population__slug")
    )
    assert scopes == {"national": "danmark", "region": "region-eksempel"}


def test_status_per_area_and_year_under_the_rules_in_force(plan: Plan) -> None:
    records = {area["area"]: area for area in _status_json()}
    assert list(records) == ["solsikkeparken", "kloevervangen", "valmuegaarden"]
    solsikke = {item["list_year"]: item for item in records["solsikkeparken"]["lists"]}
    # Under the 2013 rules a ghettoområde; under 2018 a hard one after
    # four lists in a row; from 2021, with the share of non-Western origin
    # under 50 %, a forebyggelsesområde.
    assert solsikke[2017]["version"] == "2013"
    assert solsikke[2017]["status_name"] == "ghettoområde"
    assert solsikke[2018]["rules_changed"] is True
    assert solsikke[2019]["status_name"] == "hårdt ghettoområde"
    assert solsikke[2022]["version"] == "2021"
    assert solsikke[2022]["status_name"] == "forebyggelsesområde"
    # Valmuegården has fewer than 1,000 residents: never on a list.
    valmue = records["valmuegaarden"]["lists"]
    assert all(item["large_enough"] is False for item in valmue)
    assert all(item["status"] is None for item in valmue)
    # The next list's outlook, with the distance in persons.
    upcoming = records["solsikkeparken"]["next"]
    assert upcoming["list_year"] == solsikke[max(solsikke)]["list_year"] + 1
    assert upcoming["likely_status_name"] == "forebyggelsesområde"
    attachment = next(
        c for c in upcoming["criteria"] if c["key"] == "without_attachment"
    )
    assert attachment["persons_to_cross"] > 0
    assert "18-64-årige" in attachment["distance"]


def test_the_table_names_statuses_and_changes_of_rules(plan: Plan) -> None:
    out = StringIO()
    call_command("status", SLUG, stdout=out)
    text = out.getvalue()
    assert "Solsikkeparken" in text and "hårdt ghettoområde" in text
    assert "[nye regler 2021]" in text
    assert "Næste liste" in text
    english = StringIO()
    call_command("status", SLUG, "--lang", "en", stdout=english)
    assert "Next list" in english.getvalue()


def test_the_statuses_survive_a_dump_and_a_reload(plan: Plan, tmp_path: Path) -> None:
    before = _status_json()
    plan_dump(plan=plan, folder=tmp_path / "dump")
    assert "law_status:" in (tmp_path / "dump" / "plan.yaml").read_text()
    Plan.objects.all().delete()
    plan_load(folder=tmp_path / "dump")
    assert _status_json() == before
    again = plan_load(folder=tmp_path / "dump")
    assert not again.changed, again.describe()


def test_a_plan_without_law_status_has_none(mini: Plan) -> None:
    assert plan_area_statuses(plan=mini) == []
    out = StringIO()
    call_command("status", mini.slug, stdout=out)
    assert "ingen tal for lovens kriterier" in out.getvalue()


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("national: danmark", "national: atlantis", "unknown population 'atlantis'"),
        (
            "income: law-income",
            "income: law-no-such",
            "unknown indicator 'law-no-such'",
        ),
        ("income: law-income", "income: law-residents", "the figure needs mean"),
        ("    residents: law-residents\n", "    pets: law-residents\n", "pets"),
    ],
)
def test_a_wrong_binding_is_refused_with_its_line(
    tmp_path: Path, old: str, new: str, problem: str
) -> None:
    folder = tmp_path / "plan"
    shutil.copytree(EKSEMPELBY, folder)
    path = folder / "plan.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(PlanFileError) as caught:
        plan_load(folder=folder)
    messages = [str(p) for p in caught.value.problems]
    assert any(
        problem in m and "plan.yaml:" in m and "law_status" in m for m in messages
    ), messages
    assert not Plan.objects.filter(slug=SLUG).exists()
