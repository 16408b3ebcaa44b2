from __future__ import annotations

import filecmp
from decimal import Decimal
from pathlib import Path

import pytest

from fremdrift.planfiles.errors import PlanFileError
from fremdrift.planfiles.services import plan_dump, plan_load
from fremdrift.plans.models import Activity, Criterion, Plan, ReportedValue
from fremdrift.statistics.models import Observation

from ..conftest import RANDERS

pytestmark = pytest.mark.django_db


def _row_counts() -> dict[str, int]:
    return {
        "plans": Plan.objects.count(),
        "criteria": Criterion.objects.count(),
        "values": ReportedValue.objects.count(),
        "observations": Observation.objects.count(),
        "activities": Activity.objects.count(),
    }


def test_loading_the_same_folder_twice_changes_nothing(mini_folder: Path) -> None:
    first = plan_load(folder=mini_folder)
    assert first.changed
    ids = sorted(Criterion.objects.values_list("pk", flat=True))

    second = plan_load(folder=mini_folder)

    assert not second.changed
    assert second.describe() == "Plan eksempelby-2022-26: nothing changed."
    assert sorted(Criterion.objects.values_list("pk", flat=True)) == ids


def test_loading_a_changed_folder_updates_in_place(mini_folder: Path) -> None:
    plan_load(folder=mini_folder)
    criterion_pk = Criterion.objects.get(ident="bf-lektiecafe-boern").pk
    plan_yaml = mini_folder / "plan.yaml"
    text = plan_yaml.read_text(encoding="utf-8")
    plan_yaml.write_text(
        text.replace(
            '{period: "2023", value: 70}', '{period: "2023", value: 75}'
        ).replace(
            "            text: 100 unikke børn deltager",
            "            text: 100 unikke børn deltager i lektiecaféen",
        ),
        encoding="utf-8",
    )
    csv_path = mini_folder / "observations.csv"
    lines = csv_path.read_text(encoding="utf-8").splitlines()
    csv_path.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")

    summary = plan_load(folder=mini_folder)

    criterion = Criterion.objects.get(ident="bf-lektiecafe-boern")
    assert criterion.pk == criterion_pk
    assert criterion.text.endswith("i lektiecaféen")
    assert criterion.reported_values.get(period="2023").value == Decimal(75)
    assert summary.updated["criteria"] == 1
    assert summary.updated["reported values"] == 1
    assert summary.deleted["observations"] == 1
    assert Observation.objects.count() == 4


def test_removed_criteria_and_activities_are_deleted(mini_folder: Path) -> None:
    plan_load(folder=mini_folder)
    plan_yaml = mini_folder / "plan.yaml"
    text = plan_yaml.read_text(encoding="utf-8")
    start = text.index("        sub_activities:")
    plan_yaml.write_text(text[:start], encoding="utf-8")

    summary = plan_load(folder=mini_folder)

    assert not Activity.objects.filter(slug="lektiecafe-sommer").exists()
    assert not Criterion.objects.filter(ident="bf-sommer-forloeb").exists()
    assert summary.deleted["activities"] == 1
    assert summary.deleted["criteria"] == 1


def test_load_dump_load_is_a_fixed_point(tmp_path: Path) -> None:
    plan_load(folder=RANDERS)
    plan = Plan.objects.get(slug="randers-nordby-2017-21")
    first, second = tmp_path / "first", tmp_path / "second"
    plan_dump(plan=plan, folder=first)

    reloaded = plan_load(folder=first)
    plan_dump(plan=plan, folder=second)

    assert not reloaded.changed, reloaded.describe()
    for name in ("plan.yaml", "observations.csv"):
        assert filecmp.cmp(first / name, second / name, shallow=False), name


def test_dumped_folder_loads_into_an_empty_database(tmp_path: Path) -> None:
    plan_load(folder=RANDERS)
    before = _row_counts()
    plan_dump(plan=Plan.objects.get(), folder=tmp_path / "dump")
    Plan.objects.all().delete()

    plan_load(folder=tmp_path / "dump")

    assert _row_counts() == before


def _problems(folder: Path) -> list[str]:
    with pytest.raises(PlanFileError) as caught:
        plan_load(folder=folder)
    return [str(p) for p in caught.value.problems]


def test_a_bad_target_is_reported_with_file_line_and_field(mini_folder: Path) -> None:
    plan_yaml = mini_folder / "plan.yaml"
    text = plan_yaml.read_text(encoding="utf-8")
    plan_yaml.write_text(text.replace("target: {min: 4, max: 6}", "target: {min: 4}"))

    problems = _problems(mini_folder)

    line = next(
        i
        for i, row in enumerate(text.splitlines(), start=1)
        if "{min: 4, max: 6}" in row
    )
    assert problems == [
        f"{plan_yaml}:{line}: effort_areas[0].activities[0].sub_activities[0]"
        ".criteria[0].target: a range criterion needs {max: ...}"
    ]


def test_every_problem_is_reported_at_once_and_nothing_is_written(
    mini_folder: Path,
) -> None:
    plan_yaml = mini_folder / "plan.yaml"
    text = plan_yaml.read_text(encoding="utf-8")
    plan_yaml.write_text(
        text.replace("kind: at_least", "kind: at_leest").replace(
            "indicator: employment\n        population: nord",
            "indicator: employmnt\n        population: nord",
        )
    )
    csv_path = mini_folder / "observations.csv"
    csv_path.write_text(
        csv_path.read_text().replace(
            "employment,nord,2023,42.0", "employment,nord,2023,42,0x"
        )
    )

    problems = _problems(mini_folder)

    assert any(
        "criteria[0].kind" in p and "at_leest" not in p.split(":")[0] for p in problems
    )
    assert any("unknown indicator 'employmnt'" in p for p in problems) or any(
        ".kind" in p for p in problems
    )
    assert _row_counts() == {
        "plans": 0,
        "criteria": 0,
        "values": 0,
        "observations": 0,
        "activities": 0,
    }


def test_observation_errors_name_the_line_and_the_column(mini_folder: Path) -> None:
    csv_path = mini_folder / "observations.csv"
    csv_path.write_text(
        csv_path.read_text()
        .replace("employment,nord,2023,42.0", 'employment,nord,2023,"42,5"')
        .replace("employment,syd,2022,44.1", "employment,vest,2022,44.1")
        + "employment,nord,2022,41,,,,\n"
        + "employment,nord,2024K5,41,,,,\n"
    )

    problems = _problems(mini_folder)

    assert problems[0] == (
        f"{csv_path}:3: value: '42,5' is not a number (use a decimal point, "
        "no thousands separator)"
    )
    assert problems[1] == f"{csv_path}:4: population: unknown population 'vest'"
    assert problems[2].startswith(
        f"{csv_path}:7: period: employment/nord/2022 is given twice"
    )
    assert problems[3].startswith(f"{csv_path}:8: period:")
    assert "2024K5" in problems[3]


def test_an_empty_value_needs_a_flag(mini_folder: Path) -> None:
    csv_path = mini_folder / "observations.csv"
    csv_path.write_text(csv_path.read_text().replace(",missing", ","))

    problems = _problems(mini_folder)

    assert problems == [
        f"{csv_path}:6: value: is empty: give a number or flag it missing, "
        "unreadable or suppressed"
    ]


def test_a_file_that_is_not_utf8_is_refused(mini_folder: Path) -> None:
    plan_yaml = mini_folder / "plan.yaml"
    plan_yaml.write_bytes(plan_yaml.read_text(encoding="utf-8").encode("cp1252"))

    problems = _problems(mini_folder)

    assert len(problems) == 1
    assert "is not UTF-8" in problems[0]


def test_invalid_yaml_names_the_line(mini_folder: Path) -> None:
    plan_yaml = mini_folder / "plan.yaml"
    plan_yaml.write_text(
        "format: fremdrift-plan/1\nplan: [unclosed\n", encoding="utf-8"
    )

    problems = _problems(mini_folder)

    assert problems[0].startswith(f"{plan_yaml}:3: not valid YAML")


def test_duplicate_criterion_ids_are_refused(mini_folder: Path) -> None:
    plan_yaml = mini_folder / "plan.yaml"
    text = plan_yaml.read_text(encoding="utf-8")
    plan_yaml.write_text(text.replace("id: bf-sommer-forloeb", "id: bf-fravaer"))

    problems = _problems(mini_folder)

    assert len(problems) == 1
    assert "criterion id 'bf-fravaer' is used twice (first at line" in problems[0]


def test_a_criterion_bound_to_a_measure_loads_and_dumps(
    mini_folder: Path, tmp_path: Path
) -> None:
    plan_yaml = mini_folder / "plan.yaml"
    text = plan_yaml.read_text(encoding="utf-8")
    start = text.index("            aggregation: sum\n            values:")
    end = text.index("        sub_activities:")
    plan_yaml.write_text(
        text[:start]
        + "            measure: {kind: unique_participants, role: child, age_max: 12}\n"
        + text[end:],
        encoding="utf-8",
    )
    plan_load(folder=mini_folder)
    criterion = Criterion.objects.get(ident="bf-lektiecafe-boern")
    assert criterion.measure == {
        "kind": "unique_participants",
        "role": "child",
        "age_max": 12,
    }
    assert criterion.unit == "count"

    plan_dump(plan=criterion.plan, folder=tmp_path / "dump")
    assert not plan_load(folder=tmp_path / "dump").changed


def test_a_measure_on_an_effort_area_criterion_is_refused(mini_folder: Path) -> None:
    plan_yaml = mini_folder / "plan.yaml"
    text = plan_yaml.read_text(encoding="utf-8")
    plan_yaml.write_text(
        text.replace(
            "        target: {relative: 0.1}\n",
            "        target: {relative: 0.1}\n        measure: {kind: sessions_held}\n",
        ),
        encoding="utf-8",
    )
    problems = _problems(mini_folder)
    assert any("only an activity's criteria can use a measure" in p for p in problems)
