"""The area's status under the law from a plan folder: plan.yaml's
law_status binds indicators and populations, the loader checks and
writes it, the dump writes it back, and `fremdrift status` judges every
area on every list under the rules in force then."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from fremdrift.areastatus.models import LawFigure, LawReference
from fremdrift.areastatus.selectors import plan_area_statuses
from fremdrift.planfiles.errors import PlanFileError
from fremdrift.planfiles.services import plan_dump, plan_load
from fremdrift.plans.models import Plan
from fremdrift.reports.assembly import report_build

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


_DERIVED_INDICATORS = """- slug: convicted-per-1000
  name: Dømte beboere pr. 1.000 beboere på 18 år og derover
  unit: per_1000
  better: lower
  source: Fiktive tal
- slug: in-work-or-education
  name: Andel 18-64-årige i job eller uddannelse
  unit: percent
  better: higher
  source: Fiktive tal
"""


def _derived_folder(tmp_path: Path) -> Path:
    """Eksempelby with its convictions given per 1,000 and its attachment
    as the share in work or education, both derived back to the law's
    figures."""
    folder = tmp_path / "derived"
    shutil.copytree(EKSEMPELBY, folder)
    plan_yaml = folder / "plan.yaml"
    text = plan_yaml.read_text(encoding="utf-8")
    text = text.replace(
        "- slug: law-convicted\n", _DERIVED_INDICATORS + "- slug: law-convicted\n"
    )
    text = text.replace(
        "    convicted: law-convicted\n",
        "    convicted: {indicator: convicted-per-1000, derive: per_1000}\n",
    ).replace(
        "    without_attachment: law-without-attachment\n",
        "    without_attachment:\n"
        "      indicator: in-work-or-education\n"
        "      derive: complement\n",
    )
    plan_yaml.write_text(text, encoding="utf-8")
    observations = folder / "observations.csv"
    lines = observations.read_text(encoding="utf-8").splitlines()
    extra = []
    for line in lines[1:]:
        indicator, population, period, value, *rest = line.split(",")
        if indicator == "law-convicted":
            derived = Decimal(value) * 10
            extra.append(
                ",".join(
                    ["convicted-per-1000", population, period, f"{derived}", *rest]
                )
            )
        elif indicator == "law-without-attachment":
            derived = 100 - Decimal(value)
            extra.append(
                ",".join(
                    ["in-work-or-education", population, period, f"{derived}", *rest]
                )
            )
    observations.write_text("\n".join([*lines, *extra]) + "\n", encoding="utf-8")
    return folder


def test_a_figure_derived_from_the_plans_own_indicator_gives_the_same_status(
    plan: Plan, tmp_path: Path
) -> None:
    given = _status_json()
    Plan.objects.all().delete()
    folder = _derived_folder(tmp_path)
    plan_load(folder=folder)
    derived_plan = Plan.objects.get(slug=SLUG)
    assert dict(
        LawFigure.objects.filter(plan=derived_plan)
        .exclude(derivation="")
        .values_list("figure", "derivation")
    ) == {"convicted": "per_1000", "without_attachment": "complement"}
    assert _status_json() == given
    # The report says which figures are derived, and from what.
    document = report_build(plan=derived_plan, kind="final")
    section = next(s for s in document.sections if s.anchor == "lovstatus")
    text = " ".join(section.paragraphs)
    assert (
        "er udledt af planens indikator »Dømte beboere pr. 1.000 beboere på 18 år "
        "og derover«: en rate pr. 1.000 omregnet til procent." in text
    )
    assert "»Andel 18-64-årige i job eller uddannelse«: 100 % minus" in text
    # The dump writes the derivations back, and reloads unchanged.
    plan_dump(plan=derived_plan, folder=tmp_path / "dump")
    dumped = (tmp_path / "dump" / "plan.yaml").read_text(encoding="utf-8")
    assert "derive: per_1000" in dumped and "derive: complement" in dumped
    again = plan_load(folder=tmp_path / "dump")
    assert not again.changed, again.describe()


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        (
            "    income: law-income\n",
            "    income: {indicator: law-income, derive: complement}\n",
            "only a share in per cent can be derived, not 'income'",
        ),
        (
            "    basic_schooling: law-basic-schooling\n",
            "    basic_schooling: {indicator: law-basic-schooling, derive: per_1000}\n",
            "the figure needs per_1000",
        ),
    ],
)
def test_a_derivation_that_does_not_fit_is_refused(
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
    assert any(problem in m and "plan.yaml:" in m for m in messages), messages
