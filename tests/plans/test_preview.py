"""The preview of a plan folder's load: what it lists is what applying the
folder changes, it writes nothing, and a stale preview is not applied."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from fremdrift.base.yamlio import dump_yaml
from fremdrift.planfiles.errors import PlanFileError
from fremdrift.planfiles.preview import (
    FieldChange,
    ObjectChange,
    plan_snapshot,
    snapshot_diff,
    snapshot_fingerprint,
)
from fremdrift.planfiles.services import (
    FolderForOtherPlan,
    PreviewStale,
    plan_preview,
    plan_preview_apply,
)
from fremdrift.plans.models import Activity, Criterion, Decision, Plan
from fremdrift.registrations.models import Session
from fremdrift.statistics.models import Observation

from ..registrations.factories import course, weekly_sessions

pytestmark = pytest.mark.django_db

SLUG = "eksempelby-2022-26"
NEW_ACTIVITY = {
    "slug": "familieklub",
    "name": "Familieklub",
    "description": "Fællesspisning for familier",
}


def modify(folder: Path) -> None:
    """Change a criterion's target, add an activity, remove a decision and
    change one observation: in the small plan's folder as the fixture
    writes it and as `fremdrift dump` does."""
    plan_yaml = folder / "plan.yaml"
    data = yaml.safe_load(plan_yaml.read_text(encoding="utf-8"))
    activities = data["effort_areas"][0]["activities"]
    cafe = activities[0]
    assert cafe["slug"] == "lektiecafe" and len(cafe.pop("decisions")) == 1
    criterion = cafe["criteria"][0]
    assert criterion["id"] == "bf-lektiecafe-boern" and criterion["target"] == 100
    criterion["target"] = 90
    activities.append(NEW_ACTIVITY)
    plan_yaml.write_text(dump_yaml(data), encoding="utf-8")
    csv_path = folder / "observations.csv"
    with csv_path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    (row,) = [r for r in rows if r[:3] == ["employment", "nord", "2023"]]
    row[3] = "43.5"
    with csv_path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def _by_key(changes: tuple[ObjectChange, ...]) -> dict[tuple[str, str], ObjectChange]:
    return {(c.kind, c.key): c for c in changes}


def test_the_preview_lists_created_updated_and_removed_objects(
    mini, mini_folder: Path
) -> None:  # type: ignore[no-untyped-def]
    modify(mini_folder)

    preview = plan_preview(folder=mini_folder)

    found = _by_key(preview.changes)
    assert set(found) == {
        ("activities", "familieklub"),
        ("criteria", "bf-lektiecafe-boern"),
        ("decisions", "lektiecafe #1"),
        ("observations", "employment nord 2023"),
    }
    assert found["activities", "familieklub"].action == "created"
    assert found["activities", "familieklub"].label == "Familieklub"
    assert found["criteria", "bf-lektiecafe-boern"].changes == (
        FieldChange("target", Decimal(100), Decimal(90)),
    )
    assert found["decisions", "lektiecafe #1"].action == "removed"
    assert found["observations", "employment nord 2023"].changes == (
        FieldChange("value", Decimal("42"), Decimal("43.5")),
    )
    assert preview.counts() == {"created": 1, "updated": 2, "removed": 1}


def test_the_preview_writes_nothing(mini, mini_folder: Path) -> None:  # type: ignore[no-untyped-def]
    before = plan_snapshot(slug=SLUG)
    modify(mini_folder)

    plan_preview(folder=mini_folder)

    assert plan_snapshot(slug=SLUG) == before
    assert not Activity.objects.filter(slug="familieklub").exists()
    assert Decision.objects.filter(activity__slug="lektiecafe").count() == 1


def test_applying_changes_exactly_what_the_preview_listed(
    mini, mini_folder: Path
) -> None:  # type: ignore[no-untyped-def]
    before = plan_snapshot(slug=SLUG)
    modify(mini_folder)
    preview = plan_preview(folder=mini_folder)

    summary = plan_preview_apply(
        folder=mini_folder, plan_slug=SLUG, fingerprint=preview.fingerprint
    )

    assert snapshot_diff(before, plan_snapshot(slug=SLUG)) == preview.changes
    assert Criterion.objects.get(ident="bf-lektiecafe-boern").target == {"number": "90"}
    assert Activity.objects.get(slug="familieklub").name == "Familieklub"
    assert not Decision.objects.filter(activity__slug="lektiecafe").exists()
    assert summary.created["activities"] == 1
    assert summary.deleted["decisions"] == 1


def test_a_new_plan_is_previewed_as_created_throughout(mini_folder: Path) -> None:
    preview = plan_preview(folder=mini_folder)

    assert {c.action for c in preview.changes} == {"created"}
    assert ("plan", SLUG) in _by_key(preview.changes)
    assert ("criteria", "bf-sommer-forloeb") in _by_key(preview.changes)
    assert not Plan.objects.exists()


def test_a_stale_preview_is_refused_and_nothing_is_written(
    mini, mini_folder: Path
) -> None:  # type: ignore[no-untyped-def]
    modify(mini_folder)
    preview = plan_preview(folder=mini_folder)
    Criterion.objects.filter(ident="bf-fravaer").update(text="Ændret af en anden")
    before = plan_snapshot(slug=SLUG)

    with pytest.raises(PreviewStale):
        plan_preview_apply(
            folder=mini_folder, plan_slug=SLUG, fingerprint=preview.fingerprint
        )

    assert plan_snapshot(slug=SLUG) == before


def test_a_folder_for_another_plan_is_refused(mini, mini_folder: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(FolderForOtherPlan):
        plan_preview(folder=mini_folder, plan_slug="randers-nordby-2017-21")


def test_an_invalid_folder_is_refused_before_the_preview(
    mini, mini_folder: Path
) -> None:  # type: ignore[no-untyped-def]
    plan_yaml = mini_folder / "plan.yaml"
    text = plan_yaml.read_text(encoding="utf-8")
    plan_yaml.write_text(text.replace("target: 100", "target: lots"), "utf-8")

    with pytest.raises(PlanFileError) as error:
        plan_preview(folder=mini_folder)

    (problem,) = error.value.problems
    assert problem.file.endswith("plan.yaml")
    assert problem.line == 68
    assert "target" in problem.field


def test_the_preview_counts_registrations_a_removal_deletes(
    mini, mini_folder: Path
) -> None:  # type: ignore[no-untyped-def]
    sommer = Activity.objects.get(slug="lektiecafe-sommer")
    weekly_sessions(course(sommer, "2023-06-01", "2023-08-31"), 2)
    plan_yaml = mini_folder / "plan.yaml"
    text = plan_yaml.read_text(encoding="utf-8")
    plan_yaml.write_text(text[: text.index("        sub_activities:")], "utf-8")

    preview = plan_preview(folder=mini_folder)

    cascades = {c.model: c.count for c in preview.cascades}
    assert cascades["registrations.session"] == 2
    assert cascades["registrations.course"] == 1
    assert Session.objects.filter(activity=sommer).exists()


def test_fingerprints_differ_exactly_when_snapshots_do(mini) -> None:  # type: ignore[no-untyped-def]
    first = plan_snapshot(slug=SLUG)
    assert snapshot_fingerprint(first) == snapshot_fingerprint(plan_snapshot(slug=SLUG))
    Observation.objects.filter(period="2022", population__slug="syd").update(
        value=Decimal("44.2")
    )
    assert snapshot_fingerprint(first) != snapshot_fingerprint(plan_snapshot(slug=SLUG))


def test_load_dry_run_prints_the_changes_and_writes_nothing(
    mini, mini_folder: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    before = plan_snapshot(slug=SLUG)
    modify(mini_folder)

    call_command("load", str(mini_folder), "--dry-run")

    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == (
        f"Plan {SLUG}: would create 1, update 2, remove 1 objects "
        "(dry run: nothing was written)."
    )
    assert "  + activities familieklub: Familieklub" in lines
    assert "  ~ criteria bf-lektiecafe-boern: target: 100 -> 90" in lines
    assert "  - decisions lektiecafe #1" in lines
    assert "  ~ observations employment nord 2023: value: 42 -> 43.5" in lines
    assert plan_snapshot(slug=SLUG) == before


def test_load_dry_run_of_an_unchanged_folder_says_so(
    mini, mini_folder: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    call_command("load", str(mini_folder), "--dry-run")

    assert capsys.readouterr().out == f"Plan {SLUG}: nothing would change.\n"


def test_load_dry_run_of_an_invalid_folder_lists_its_problems(
    mini_folder: Path,
) -> None:
    plan_yaml = mini_folder / "plan.yaml"
    text = plan_yaml.read_text(encoding="utf-8")
    plan_yaml.write_text(text.replace("target: 100", "target: lots"), "utf-8")

    with pytest.raises(
        CommandError, match=r"1 problem; nothing was loaded\n.*plan.yaml:68"
    ):
        call_command("load", str(mini_folder), "--dry-run")
