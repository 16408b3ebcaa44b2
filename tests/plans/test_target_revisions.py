"""A revised target keeps the target it replaced: ``target_revisions`` in
plan.yaml (read with file:line:field errors, loaded, dumped as a fixed
point, previewed), the revise service (atomic, refused when stale), and
the verdict judged on the target in force on the judging day."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from fremdrift.base.versioning import VersionConflict
from fremdrift.core.model import NumberTarget, Outcome, RangeTarget
from fremdrift.evaluation.selectors import criterion_inputs, plan_judged_criteria
from fremdrift.planfiles.errors import PlanFileError
from fremdrift.planfiles.reader import read_plan_folder
from fremdrift.planfiles.services import (
    criterion_target_revise,
    plan_dump,
    plan_load,
    plan_preview,
)
from fremdrift.plans.models import Criterion, Plan, TargetRevision
from fremdrift.reports.assembly import report_build

pytestmark = pytest.mark.django_db

IDENT = "bf-lektiecafe-boern"
TARGET = "            target: 100\n"
# The café's count criterion (values 40 in 2022 and 70 in 2023, summed to
# 110): first 120, from 1 March 2023 100.
REVISIONS = """\
            target_revisions:
              - date: 2023-03-01
                from: 120
                reason: Caféen har fået et mindre lokale.
"""


def _with_revisions(folder: Path, revisions: str = REVISIONS) -> Path:
    plan_yaml = folder / "plan.yaml"
    text = plan_yaml.read_text(encoding="utf-8")
    assert TARGET in text
    plan_yaml.write_text(text.replace(TARGET, TARGET + revisions), encoding="utf-8")
    return folder


def _line_of(folder: Path, snippet: str) -> int:
    lines = (folder / "plan.yaml").read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if snippet in line)


def _problems(folder: Path) -> list[tuple[int | None, str, str]]:
    with pytest.raises(PlanFileError) as caught:
        read_plan_folder(folder)
    return [(p.line, p.field, p.message) for p in caught.value.problems]


FIELD = "effort_areas[0].activities[0].criteria[0].target_revisions[0]"


# -- plan.yaml ------------------------------------------------------------------


def test_a_revision_is_read_with_the_target_it_replaced(mini_folder: Path) -> None:
    parsed = read_plan_folder(_with_revisions(mini_folder))
    criterion = parsed.plan.effort_areas[0].activities[0].criteria[0]
    [revision] = criterion.target_revisions
    assert revision.date == datetime.date(2023, 3, 1)
    assert revision.previous == NumberTarget(Decimal(120))
    assert revision.reason == "Caféen har fået et mindre lokale."
    assert criterion.target == NumberTarget(Decimal(100))


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        pytest.param(
            "date: 2023-03-01",
            "date: 2023-13-01",
            "date",
            "'2023-13-01' is not a date (YYYY-MM-DD)",
            id="date-format",
        ),
        pytest.param(
            "reason: Caféen har fået et mindre lokale.",
            "reason: '  '",
            "reason",
            "needs the reason for the change",
            id="blank-reason",
        ),
        pytest.param(
            "from: 120",
            "from: {min: 100, max: 120}",
            "from.min",
            "min is not a target of an at_least criterion (allowed: number)",
            id="from-not-fitting-the-kind",
        ),
    ],
)
def test_a_bad_revision_names_the_file_line_and_field(
    mini_folder: Path, old: str, new: str, field: str, message: str
) -> None:
    folder = _with_revisions(mini_folder, REVISIONS.replace(old, new))
    problems = _problems(folder)
    assert (_line_of(folder, new), f"{FIELD}.{field}", message) in problems, problems


def test_a_revision_without_a_reason_is_refused(mini_folder: Path) -> None:
    revisions = REVISIONS.replace(
        "                reason: Caféen har fået et mindre lokale.\n", ""
    )
    folder = _with_revisions(mini_folder, revisions)
    assert (_line_of(folder, "- date: 2023"), f"{FIELD}.reason", "is required") in (
        _problems(folder)
    )


def test_revisions_go_oldest_first_after_the_plans_start(mini_folder: Path) -> None:
    revisions = REVISIONS + (
        "              - date: 2022-01-01\n"
        "                from: 130\n"
        "                reason: Før planen.\n"
    )
    folder = _with_revisions(mini_folder, revisions)
    problems = _problems(folder)
    line = _line_of(folder, "- date: 2022-01-01")
    field = FIELD.removesuffix("[0]") + "[1]"
    messages = {m for n, f, m in problems if n == line and f == f"{field}.date"}
    assert any("not revised during the plan" in m for m in messages), problems
    assert any("oldest first" in m for m in messages), problems


def test_load_dump_load_is_a_fixed_point(mini_folder: Path, tmp_path: Path) -> None:
    plan_load(folder=_with_revisions(mini_folder))
    revision = TargetRevision.objects.get()
    assert revision.previous_target == {"number": "120"}
    assert revision.target == {"number": "100"}
    assert revision.in_force_from == datetime.date(2023, 3, 1)

    plan_dump(plan=Plan.objects.get(), folder=tmp_path / "dump")
    dumped = (tmp_path / "dump" / "plan.yaml").read_text(encoding="utf-8")
    assert "target_revisions:" in dumped
    assert "from: 120" in dumped

    again = plan_load(folder=tmp_path / "dump")
    assert not again.changed, again.describe()
    plan_dump(plan=Plan.objects.get(), folder=tmp_path / "second")
    second = (tmp_path / "second" / "plan.yaml").read_text(encoding="utf-8")
    assert second == dumped


def test_a_web_revision_survives_its_dump_and_reload(
    mini: Plan, tmp_path: Path, django_user_model
) -> None:
    user = django_user_model.objects.create_user("koordinator")
    criterion = Criterion.objects.get(ident=IDENT)
    criterion_target_revise(
        criterion=criterion,
        target=NumberTarget(Decimal(90)),
        in_force_from=datetime.date(2024, 1, 1),
        reason="Færre børn i området.",
        user=user,
        version=criterion.version,
    )
    plan_dump(plan=mini, folder=tmp_path / "dump")
    assert not plan_load(folder=tmp_path / "dump").changed
    revision = TargetRevision.objects.get()
    # Who made it is not in the file, and a reload keeps it.
    assert revision.revised_by == user
    assert Criterion.objects.get(ident=IDENT).target == {"number": "90"}


def test_the_preview_shows_a_revision_as_a_change(mini: Plan, mini_folder) -> None:
    preview = plan_preview(folder=_with_revisions(mini_folder))
    [created] = [c for c in preview.changes if c.kind == "target revisions"]
    assert created.action == "created"
    assert created.key == f"{IDENT} 2023-03-01"
    assert dict(created.values)["from"] == Decimal(120)
    assert created.label == "Caféen har fået et mindre lokale."
    assert TargetRevision.objects.count() == 0  # nothing written

    plan_load(folder=mini_folder)
    text = (mini_folder / "plan.yaml").read_text(encoding="utf-8")
    (mini_folder / "plan.yaml").write_text(
        text.replace("et mindre lokale", "et andet lokale"), encoding="utf-8"
    )
    [updated] = [
        c
        for c in plan_preview(folder=mini_folder).changes
        if c.kind == "target revisions"
    ]
    assert updated.action == "updated"
    assert [c.field for c in updated.changes] == ["reason"]


# -- the service -------------------------------------------------------------------


def _revise(criterion: Criterion, **kwargs):  # type: ignore[no-untyped-def]
    arguments = {
        "criterion": criterion,
        "target": NumberTarget(Decimal(90)),
        "in_force_from": datetime.date(2024, 1, 1),
        "reason": "Færre børn i området.",
        "user": None,
        "version": criterion.version,
        **kwargs,
    }
    return criterion_target_revise(**arguments)


def test_revising_keeps_the_old_target_and_sets_the_new(mini: Plan) -> None:
    criterion = Criterion.objects.get(ident=IDENT)
    version = criterion.version
    revision = _revise(criterion)
    stored = Criterion.objects.get(pk=criterion.pk)
    assert revision.previous_target == {"number": "100"}
    assert revision.target == {"number": "90"}
    assert stored.target == {"number": "90"}
    assert stored.version == version + 1


def test_a_stale_revision_writes_nothing(mini: Plan) -> None:
    criterion = Criterion.objects.get(ident=IDENT)
    with pytest.raises(VersionConflict):
        _revise(criterion, version=criterion.version + 1)
    assert TargetRevision.objects.count() == 0
    assert Criterion.objects.get(pk=criterion.pk).target == {"number": "100"}


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        pytest.param(
            {"target": RangeTarget(Decimal(1), Decimal(2))},
            "target",
            "Målet passer ikke til kriteriets type.",
            id="target-of-another-kind",
        ),
        pytest.param(
            {"target": NumberTarget(Decimal(100))},
            "target",
            "Det nye mål er det samme som det nuværende.",
            id="the-same-target",
        ),
        pytest.param(
            {"in_force_from": datetime.date(2022, 1, 1)},
            "in_force_from",
            "Datoen skal ligge efter planens start og senest 31. december 2026.",
            id="on-the-plans-first-day",
        ),
        pytest.param(
            {"reason": "  "},
            "reason",
            "Skriv, hvorfor målet ændres.",
            id="blank-reason",
        ),
    ],
)
def test_a_revision_against_the_rules_writes_nothing(
    mini: Plan, kwargs, field, message
) -> None:
    criterion = Criterion.objects.get(ident=IDENT)
    with translation.override("da"), pytest.raises(ValidationError) as caught:
        _revise(criterion, **kwargs)
    assert caught.value.message_dict[field] == [message]
    assert TargetRevision.objects.count() == 0
    assert Criterion.objects.get(pk=criterion.pk).version == criterion.version


def test_a_revision_must_come_after_the_latest(mini: Plan) -> None:
    criterion = Criterion.objects.get(ident=IDENT)
    _revise(criterion)
    criterion.refresh_from_db()
    with translation.override("da"), pytest.raises(ValidationError) as caught:
        _revise(criterion, target=NumberTarget(Decimal(80)), version=criterion.version)
    assert caught.value.message_dict["in_force_from"] == [
        "Målet blev sidst ændret 1. januar 2024; datoen skal ligge efter den."
    ]


# -- judged on the target in force ----------------------------------------------


def _judged(plan: Plan, day: datetime.date):  # type: ignore[no-untyped-def]
    [judged] = [
        j
        for j in plan_judged_criteria(plan=plan, as_of=day)
        if j.criterion.ident == IDENT
    ]
    return judged


def test_the_verdict_is_judged_on_the_target_in_force(mini: Plan) -> None:
    criterion = Criterion.objects.get(ident=IDENT)
    # 40 + 70 = 110 children: short of 120, past 100.
    TargetRevision.objects.create(
        criterion=criterion,
        previous_target={"number": "120"},
        target={"number": "100"},
        in_force_from=datetime.date(2024, 6, 1),
        reason="Et mindre lokale.",
    )
    before = _judged(mini, datetime.date(2024, 5, 31))
    assert before.criterion.spec.target == NumberTarget(Decimal(120))
    assert before.criterion.target_changes == ()
    after = _judged(mini, datetime.date(2024, 6, 1))
    assert after.criterion.spec.target == NumberTarget(Decimal(100))
    assert [c.reason for c in after.criterion.target_changes] == ["Et mindre lokale."]
    # A final evaluation after the plan ended is judged at its end.
    final = _judged(mini, datetime.date(2030, 1, 1))
    assert final.criterion.spec.target == NumberTarget(Decimal(100))
    assert final.verdict.outcome == Outcome.ACHIEVED


def test_inputs_before_the_revision_day_use_the_replaced_target(mini: Plan) -> None:
    criterion = Criterion.objects.get(ident=IDENT)
    TargetRevision.objects.create(
        criterion=criterion,
        previous_target={"number": "120"},
        target={"number": "100"},
        in_force_from=datetime.date(2024, 6, 1),
        reason="Et mindre lokale.",
    )
    [item] = [
        i
        for i in criterion_inputs(plan=mini, as_of=datetime.date(2023, 12, 31))
        if i.ident == IDENT
    ]
    assert item.spec.target == NumberTarget(Decimal(120))


def test_every_report_format_prints_the_sentence(mini: Plan) -> None:
    from fremdrift.reports.renderers import RENDERERS

    criterion = Criterion.objects.get(ident=IDENT)
    TargetRevision.objects.create(
        criterion=criterion,
        previous_target={"number": "120"},
        target={"number": "100"},
        in_force_from=datetime.date(2023, 3, 1),
        reason="Et mindre lokale.",
    )
    sentence = (
        "Målet blev ændret fra 120 til 100 børn den 1. marts 2023: Et mindre lokale."
    )
    document = report_build(plan=mini, kind="final", as_of=datetime.date(2027, 1, 1))
    html = RENDERERS["html"](document).decode()
    assert sentence in html
    docx_text = _docx_text(RENDERERS["docx"](document))
    assert sentence in docx_text
    assert sentence in _xlsx_text(RENDERERS["xlsx"](document))
    progress = report_build(plan=mini, kind="progress", year=2022, tertial=3)
    assert "Målet blev ændret" not in RENDERERS["html"](progress).decode()


def _docx_text(data: bytes) -> str:
    import io

    import docx

    document = docx.Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            texts += [cell.text for cell in row.cells]
    return "\n".join(texts)


def _xlsx_text(data: bytes) -> str:
    import io

    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return "\n".join(
        str(cell.value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    )
