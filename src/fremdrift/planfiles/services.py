"""Workflows across the plan's models: loading a plan folder into the
database and writing it back out (the work is in ``planfiles``); revising
a criterion's target, held to the plan folder's rules."""

from __future__ import annotations

import datetime
import tempfile
from dataclasses import replace
from pathlib import Path

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from pydantic import ValidationError as SchemaError

from fremdrift.base.versioning import version_claim
from fremdrift.core.model import CriterionKind, Target
from fremdrift.core.targets import target_from_json, target_to_file, target_to_json
from fremdrift.plans.models import Criterion, Plan, TargetRevision

from .archive import plan_folder_unzip
from .dumping import plan_dump_folder, plan_to_data
from .errors import PlanFileError
from .loading import LoadSummary, write_plan
from .preview import PlanPreview, folder_preview, plan_snapshot, snapshot_fingerprint
from .reader import read_plan_folder
from .schema import target_of_kind

__all__ = [
    "FolderForOtherPlan",
    "LoadSummary",
    "PlanPreview",
    "PreviewStale",
    "criterion_target_revise",
    "plan_dump",
    "plan_load",
    "plan_preview",
    "plan_preview_apply",
    "plan_to_data",
    "plan_zip_apply",
    "plan_zip_preview",
]


def plan_load(*, folder: Path, replace_imported: bool = False) -> LoadSummary:
    """Load a plan folder (docs/plan-format.md) into the database.

    Validates everything first and raises ``PlanFileError`` with every
    problem before anything is written; then writes in one transaction.
    Rows are matched on their slugs/ids, so loading the same folder twice
    changes nothing and loading a changed folder updates in place.
    Observations an import brought in are kept when the folder gives them
    otherwise, unless ``replace_imported`` (the summary counts them).
    """
    parsed = read_plan_folder(Path(folder))
    with transaction.atomic():
        return write_plan(parsed, replace_imported=replace_imported)


def plan_dump(*, plan: Plan, folder: Path) -> list[Path]:
    """Write ``plan`` as a plan folder; returns the files written."""
    return plan_dump_folder(plan=plan, folder=Path(folder))


class PreviewStale(Exception):
    """The stored plan changed after the preview was made."""


class FolderForOtherPlan(Exception):
    """The folder is for another plan than the one it was given for."""

    def __init__(self, folder_slug: str) -> None:
        self.folder_slug = folder_slug
        super().__init__(f"the folder is for plan {folder_slug}")


def plan_preview(*, folder: Path, plan_slug: str | None = None) -> PlanPreview:
    """What loading ``folder`` would change, with nothing written
    (``fremdrift load --dry-run``, the web's upload). Validates like
    ``plan_load`` (raises ``PlanFileError``); with ``plan_slug``, refuses
    a folder for another plan (``FolderForOtherPlan``)."""
    parsed = read_plan_folder(Path(folder))
    _check_slug(parsed.plan.plan.slug, plan_slug)
    return folder_preview(parsed)


@transaction.atomic
def plan_preview_apply(
    *, folder: Path, plan_slug: str, fingerprint: str
) -> LoadSummary:
    """Load ``folder`` into plan ``plan_slug`` as its preview showed: only
    while the stored plan is still the one the preview was made from
    (``fingerprint``), else ``PreviewStale`` and nothing is written."""
    parsed = read_plan_folder(Path(folder))
    _check_slug(parsed.plan.plan.slug, plan_slug)
    # Concurrent appliers of one plan wait here for each other (PostgreSQL;
    # SQLite's transactions are serial already).
    list(Plan.objects.select_for_update().filter(slug=plan_slug))
    if snapshot_fingerprint(plan_snapshot(slug=plan_slug)) != fingerprint:
        raise PreviewStale
    return write_plan(parsed)


def _check_slug(folder_slug: str, plan_slug: str | None) -> None:
    if plan_slug is not None and folder_slug != plan_slug:
        raise FolderForOtherPlan(folder_slug)


# -- a plan folder as an uploaded zip -------------------------------------------


def _relative_problems(error: PlanFileError, folder: Path) -> PlanFileError:
    """The problems with their files named as in the zip, not by the
    temporary folder it was unpacked into."""
    problems = [
        replace(p, file=Path(p.file).name if Path(p.file).parent == folder else p.file)
        for p in error.problems
    ]
    return PlanFileError(problems)


def plan_zip_preview(*, data: bytes, plan_slug: str) -> PlanPreview:
    """What the plan folder in the zip ``data`` would change in plan
    ``plan_slug``; raises ``ZipRefused``, ``PlanFileError`` (files named
    as in the zip) or ``FolderForOtherPlan``. Writes nothing."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = plan_folder_unzip(data=data, folder=Path(tmp))
        try:
            return plan_preview(folder=folder, plan_slug=plan_slug)
        except PlanFileError as error:
            raise _relative_problems(error, folder) from None


def plan_zip_apply(*, data: bytes, plan_slug: str, fingerprint: str) -> LoadSummary:
    """Load the plan folder in the zip ``data`` as its preview showed it
    (``plan_preview_apply``): all of it or, on any refusal, nothing."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = plan_folder_unzip(data=data, folder=Path(tmp))
        try:
            return plan_preview_apply(
                folder=folder, plan_slug=plan_slug, fingerprint=fingerprint
            )
        except PlanFileError as error:
            raise _relative_problems(error, folder) from None


# -- a revised target -------------------------------------------------------------


def _period_end(criterion: Criterion) -> datetime.date:
    """The last day of the criterion's period: its activity's (with an
    extension), else the plan's."""
    if criterion.activity is not None:
        return criterion.activity.period_end(criterion.plan)
    return criterion.plan.end


def _revision_problems(
    criterion: Criterion, target: Target, in_force_from: datetime.date, reason: str
) -> dict[str, str]:
    """What keeps the revision from being made, by form field, in Danish:
    the same rules as ``target_revisions`` in plan.yaml (the target fits
    the kind, a day after the plan started, after the latest revision),
    and a target that differs from the one it replaces."""
    kind = CriterionKind(criterion.kind)
    problems: dict[str, str] = {}
    try:
        target_of_kind(kind, target_to_file(target))
    except SchemaError:
        problems["target"] = _("Målet passer ikke til kriteriets type.")
    else:
        if target == target_from_json(kind, criterion.target):
            problems["target"] = _("Det nye mål er det samme som det nuværende.")
    start, end = criterion.plan.start, _period_end(criterion)
    latest = criterion.target_revisions.order_by("in_force_from").last()
    if not start < in_force_from <= end:
        problems["in_force_from"] = _(
            "Datoen skal ligge efter planens start og senest %(end)s."
        ) % {"end": date_format(end, "j. F Y")}
    elif latest is not None and in_force_from <= latest.in_force_from:
        problems["in_force_from"] = _(
            "Målet blev sidst ændret %(day)s; datoen skal ligge efter den."
        ) % {"day": date_format(latest.in_force_from, "j. F Y")}
    if not reason.strip():
        problems["reason"] = _("Skriv, hvorfor målet ændres.")
    return problems


@transaction.atomic
def criterion_target_revise(
    *,
    criterion: Criterion,
    target: Target,
    in_force_from: datetime.date,
    reason: str,
    user: User | AnonymousUser | None,
    version: int,
) -> TargetRevision:
    """Revise ``criterion``'s target to ``target`` from ``in_force_from``
    on, for ``reason``, keeping the target it replaces (``TargetRevision``)
    so that judgements before that day stay on the old target.

    Writes the revision and the criterion's new target in one transaction,
    after the criterion's version claim (``base.versioning``): a form
    opened at another ``version`` raises ``VersionConflict`` and nothing
    is written. A revision that breaks the plan folder's rules raises
    ``ValidationError`` with a Danish message per form field ("target",
    "in_force_from", "reason"), also with nothing written."""
    problems = _revision_problems(criterion, target, in_force_from, reason)
    if problems:
        raise ValidationError(problems)
    criterion.version, criterion.changed_at = version_claim(
        Criterion, pk=criterion.pk, version=version
    )
    revision = TargetRevision.objects.create(
        criterion=criterion,
        previous_target=criterion.target,
        target=target_to_json(target),
        in_force_from=in_force_from,
        reason=reason.strip(),
        revised_by=user if isinstance(user, User) else None,
    )
    criterion.target = revision.target
    criterion.save(update_fields=["target"])
    return revision
