"""The plan editor's writes. Each one takes the plan's data as
``plan_to_data`` gives it (the data of plan.yaml and observations.csv),
changes it, and then does exactly what ``fremdrift load`` does: the
plan-folder reader validates the folder and the loader writes it, in one
transaction. So a save checks what a load checks, a refused save writes
nothing, and a plan made here dumps to a folder that loads the same.

A form carries the fingerprint of the part it was opened on
(``parts.fingerprint``), a criterion's form its version as well; a save
finds the part changed since is refused (``PartStale``,
``VersionConflict``) with nothing written.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable
from pathlib import Path as FilePath
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from fremdrift.accounts.models import PlanMembership
from fremdrift.base.versioning import version_claim
from fremdrift.base.yamlio import dump_yaml
from fremdrift.planfiles.errors import PlanFileError, Problem
from fremdrift.planfiles.loading import LoadSummary, write_plan
from fremdrift.planfiles.reader import (
    OBSERVATION_COLUMNS,
    OBSERVATIONS_FILE,
    PLAN_FILE,
    read_plan_folder,
)
from fremdrift.planfiles.schema import FORMAT
from fremdrift.planfiles.services import plan_to_data
from fremdrift.plans.models import Criterion, Organisation, Plan

from .parts import (
    PartStale,
    Path,
    container_for,
    fingerprint,
    get_at,
    key_of,
    locate,
    replace_own_fields,
)

__all__ = [
    "EditRefused",
    "PartStale",
    "SlugTaken",
    "criterion_save",
    "part_move",
    "part_remove",
    "part_save",
    "plan_create",
    "reported_values_save",
]

Data = dict[str, Any]
Rows = list[list[str]]


class EditRefused(Exception):
    """The changed plan did not pass the plan folder's checks: every
    problem, and the path of the part the form edited (so that a problem
    can be put on the form field it concerns)."""

    def __init__(self, problems: list[Problem], part_path: Path) -> None:
        self.problems = problems
        self.part_path = part_path
        super().__init__("; ".join(str(p) for p in problems))


class SlugTaken(Exception):
    """A new plan's slug is another plan's already."""


def _write_folder(folder: FilePath, data: Data, rows: Rows) -> None:
    (folder / PLAN_FILE).write_text(dump_yaml(data), encoding="utf-8")
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(OBSERVATION_COLUMNS)
    writer.writerows(rows)
    (folder / OBSERVATIONS_FILE).write_text(buffer.getvalue(), encoding="utf-8")


def _validated_write(data: Data, rows: Rows, part_path: Path) -> LoadSummary:
    """Validate ``data`` and ``rows`` as a plan folder with the reader
    ``fremdrift load`` uses, and write them with its loader; raises
    ``EditRefused`` (nothing written) with the reader's problems."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = FilePath(tmp)
        _write_folder(folder, data, rows)
        try:
            parsed = read_plan_folder(folder)
        except PlanFileError as error:
            problems = [
                Problem(FilePath(p.file).name, p.line, p.field, p.message)
                for p in error.problems
            ]
            raise EditRefused(problems, part_path) from None
    return write_plan(parsed)


def _edit(
    plan: Plan, change: Callable[[Data, Rows], Path]
) -> tuple[LoadSummary, Data, Path]:
    """Change the plan's data with ``change`` (which returns the path of
    the part it changed) and write it as a load would. Call inside a
    transaction."""
    # Concurrent editors of one plan wait here for each other (PostgreSQL;
    # SQLite's transactions are serial already), so that the fingerprint
    # checked is the one the write replaces.
    Plan.objects.select_for_update().filter(pk=plan.pk).first()
    data, rows = plan_to_data(plan)
    part_path = change(data, rows)
    return _validated_write(data, rows, part_path), data, part_path


def _check_fresh(value: Data, opened: str) -> None:
    if fingerprint(value) != opened:
        raise PartStale


# -- a new plan ---------------------------------------------------------------


@transaction.atomic
def plan_create(
    *, user: User, organisation: str, values: Data, other_activities: str = ""
) -> Plan:
    """Create a plan from its facts (``values``: the ``plan`` section of
    plan.yaml without the organisation), for ``organisation`` (a name).
    The creator, unless a superuser, becomes its plan administrator when
    they are one in the organisation's plans, else its coordinator.
    Raises ``SlugTaken`` or ``EditRefused``."""
    slug = values["slug"]
    if Plan.objects.filter(slug=slug).exists():
        raise SlugTaken(slug)
    data: Data = {
        "format": FORMAT,
        "plan": {**values, "organisation": organisation},
        "areas": [],
        "populations": [],
        "indicators": [],
        "goals": [],
        "effort_areas": [],
    }
    if other_activities:
        data["other_activities"] = other_activities
    _validated_write(data, [], ["plan"])
    plan = Plan.objects.get(slug=slug)
    if not user.is_superuser:
        roles = set(
            PlanMembership.objects.filter(
                user=user, plan__organisation__name=organisation
            ).values_list("role", flat=True)
        )
        role = (
            PlanMembership.Role.PLAN_ADMIN
            if PlanMembership.Role.PLAN_ADMIN in roles
            else PlanMembership.Role.COORDINATOR
        )
        PlanMembership.objects.create(user=user, plan=plan, role=role)
    return plan


def organisation_names(organisations: Any) -> list[str]:
    """The names to choose a new plan's organisation from."""
    return list(
        Organisation.objects.filter(pk__in=organisations.values("pk"))
        .order_by("name")
        .values_list("name", flat=True)
    )


# -- the parts ----------------------------------------------------------------


def _put(
    data: Data,
    kind: str,
    key: str,
    values: Data,
    opened: str,
    parent: tuple[str, str],
) -> Path:
    """Put ``values`` as the part's own fields (a new part when ``key`` is
    empty); returns the part's path."""
    if kind in ("plan", "funding") or key:
        located = locate(data, kind, key)
        _check_fresh(located.value, opened)
        replace_own_fields(located.value, values)
        return located.path
    path, container = container_for(data, kind, *parent)
    container.append(dict(values))
    return [*path, len(container) - 1]


@transaction.atomic
def part_save(
    *,
    plan: Plan,
    kind: str,
    key: str = "",
    values: Data,
    fingerprint: str = "",
    parent: tuple[str, str] = ("", ""),
    other_activities: str | None = None,
) -> str:
    """Save a part's own fields (``values``, as plan.yaml writes them):
    the part ``kind``/``key`` as opened with ``fingerprint``, or, without
    a key, a new part (under ``parent``, a kind and key, for activities
    and decisions). Criteria go through ``criterion_save``. Returns the
    part's key. Raises ``PartStale``, ``PartNotFound`` or
    ``EditRefused``."""
    if kind == "criterion":
        raise ValueError("criteria are saved with criterion_save")

    def change(data: Data, rows: Rows) -> Path:
        path = _put(data, kind, key, values, fingerprint, parent)
        if kind == "plan" and other_activities is not None:
            data["other_activities"] = other_activities
        return path

    _summary, data, path = _edit(plan, change)
    if kind in ("plan", "funding"):
        return ""
    return key_of(data, kind, path, get_at(data, path))


def _criterion_claim(plan: Plan, key: str, version: int | None) -> None:
    if key:
        pk = Criterion.objects.filter(plan=plan, ident=key).values_list("pk", flat=True)
        if version is None:
            raise PartStale
        version_claim(Criterion, pk=pk.get(), version=version)


@transaction.atomic
def criterion_save(
    *,
    plan: Plan,
    key: str = "",
    values: Data,
    version: int | None = None,
    parent: tuple[str, str] = ("", ""),
) -> str:
    """Save a criterion: ``values`` are its fields as plan.yaml writes
    them, its target among them. Every change of a criterion's target
    passes through here (the editor has no other way to one), so what a
    changed target needs besides (its date and reason) belongs here.

    An existing criterion (``key``, its id) is saved only while it is at
    ``version`` (else ``VersionConflict``, nothing written); its reported
    values are kept unless ``values`` gives them. A new one goes under
    ``parent`` (a goal, effort area or activity). Returns its id."""
    _criterion_claim(plan, key, version)

    def change(data: Data, rows: Rows) -> Path:
        if key:
            located = locate(data, "criterion", key)
            kept = (
                {"values": located.value["values"]} if "values" in located.value else {}
            )
            located.value.clear()
            located.value.update({**kept, **values})
            return located.path
        path, container = container_for(data, "criterion", *parent)
        container.append(dict(values))
        return [*path, len(container) - 1]

    _summary, data, path = _edit(plan, change)
    return str(get_at(data, path)["id"])


@transaction.atomic
def reported_values_save(
    *, plan: Plan, key: str, values: list[Data], version: int | None
) -> None:
    """Replace the reported values of criterion ``key`` (each as plan.yaml
    writes one: period, value, numerator, denominator, source, note,
    flags), while the criterion is at ``version``."""
    _criterion_claim(plan, key, version)

    def change(data: Data, rows: Rows) -> Path:
        located = locate(data, "criterion", key)
        if values:
            located.value["values"] = list(values)
        else:
            located.value.pop("values", None)
        return located.path

    _edit(plan, change)


# Rows of observations.csv that name a removed indicator or population.
_ROW_REFERENCES = {"indicator": 0, "area": 1, "population": 1}


@transaction.atomic
def part_remove(*, plan: Plan, kind: str, key: str, fingerprint: str) -> None:
    """Remove the part as opened with ``fingerprint`` (and what it holds),
    and the plan folder's observations of a removed indicator or
    population. What other parts point at it must be changed first (the
    reader refuses, naming them)."""

    def change(data: Data, rows: Rows) -> Path:
        located = locate(data, kind, key)
        _check_fresh(located.value, fingerprint)
        if located.container is None or located.index is None:
            raise ValueError(f"{kind} cannot be removed")
        del located.container[located.index]
        if kind in _ROW_REFERENCES:
            column = _ROW_REFERENCES[kind]
            rows[:] = [row for row in rows if row[column] != key]
        return located.path[:-1]

    _edit(plan, change)


@transaction.atomic
def part_move(
    *, plan: Plan, kind: str, key: str, offset: int, fingerprint: str
) -> None:
    """Move the part ``offset`` places in its list (-1 up, 1 down); at
    either end it stays."""

    def change(data: Data, rows: Rows) -> Path:
        located = locate(data, kind, key)
        _check_fresh(located.value, fingerprint)
        if located.container is None or located.index is None:
            raise ValueError(f"{kind} cannot be moved")
        target = located.index + offset
        if 0 <= target < len(located.container):
            items = located.container
            items[located.index], items[target] = items[target], items[located.index]
        return located.path[:-1]

    _edit(plan, change)
