"""Workflows across the plan's models: loading a plan folder into the
database and writing it back out (the work is in ``planfiles``)."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

from django.db import transaction

from fremdrift.plans.models import Plan

from .archive import plan_folder_unzip
from .dumping import plan_dump_folder, plan_to_data
from .errors import PlanFileError
from .loading import LoadSummary, write_plan
from .preview import PlanPreview, folder_preview, plan_snapshot, snapshot_fingerprint
from .reader import read_plan_folder

__all__ = [
    "FolderForOtherPlan",
    "LoadSummary",
    "PlanPreview",
    "PreviewStale",
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
