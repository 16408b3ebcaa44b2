"""The parts of a plan as the editor sees them: places in the plan's data
as ``plan_to_data`` gives it (the data of plan.yaml), found by kind and
key, and the fingerprint a form carries of the part it was opened on.

Nothing here touches the database: an edit is a change to the data, which
the service then validates and writes like ``fremdrift load`` does.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

Path = list[str | int]

# The kinds of part, each with the list its parts live in and what keys
# them: a slug or id, or (decisions, funding projects) the position.
KINDS = (
    "plan",
    "funding",
    "area",
    "population",
    "indicator",
    "goal",
    "effort_area",
    "activity",
    "decision",
    "funding_project",
    "criterion",
)
# Lists a part holds that have their own forms; a part's form leaves them
# as they are, and its fingerprint does not cover them.
CHILD_KEYS = frozenset(
    {
        "criteria",
        "activities",
        "sub_activities",
        "decisions",
        "commentary",
        "values",
        "projects",
    }
)
# The kinds that may hold criteria, activities or decisions.
PARENT_KINDS = {
    "criterion": ("goal", "effort_area", "activity"),
    "activity": ("effort_area", "activity"),
    "decision": ("activity",),
}
_KEY_FIELD = {
    "area": "slug",
    "population": "slug",
    "indicator": "slug",
    "goal": "slug",
    "effort_area": "slug",
    "activity": "slug",
    "criterion": "id",
}


class PartNotFound(LookupError):
    """No part of that kind and key in the plan."""


class PartStale(Exception):
    """The part changed after its form was opened."""


@dataclass(frozen=True)
class Located:
    """A part found in the data: where it is, its list and its position."""

    path: Path
    container: list[Any] | None
    index: int | None
    value: dict[str, Any]


def _activities(prefix: Path, activities: list[Any]) -> Iterator[tuple[Path, Any]]:
    for a, activity in enumerate(activities):
        path = [*prefix, a]
        yield path, activity
        yield from _activities(
            [*path, "sub_activities"], activity.get("sub_activities", [])
        )


def walk(data: dict[str, Any], kind: str) -> Iterator[tuple[Path, dict[str, Any]]]:
    """Every part of ``kind`` in the data, with its path, in file order."""
    if kind in ("area", "population", "indicator", "goal", "effort_area"):
        for i, item in enumerate(data.get(kind + "s", [])):
            yield [kind + "s", i], item
    elif kind == "activity":
        for e, effort_area in enumerate(data.get("effort_areas", [])):
            yield from _activities(
                ["effort_areas", e, "activities"], effort_area.get("activities", [])
            )
    elif kind == "decision":
        for path, activity in walk(data, "activity"):
            for d, decision in enumerate(activity.get("decisions", [])):
                yield [*path, "decisions", d], decision
    elif kind == "funding_project":
        funding = data.get("supplementary_funding") or {}
        for p, project in enumerate(funding.get("projects", [])):
            yield ["supplementary_funding", "projects", p], project
    elif kind == "criterion":
        for owner in ("goal", "effort_area", "activity"):
            for path, item in walk(data, owner):
                for c, criterion in enumerate(item.get("criteria", [])):
                    yield [*path, "criteria", c], criterion


def get_at(data: Any, path: Path) -> Any:
    for step in path:
        data = data[step]
    return data


def key_of(data: dict[str, Any], kind: str, path: Path, value: dict[str, Any]) -> str:
    """The key that names a part in addresses: its slug or id; for a
    decision, its activity's slug and position; for a funding project,
    its position."""
    if kind in _KEY_FIELD:
        return str(value[_KEY_FIELD[kind]])
    if kind == "decision":
        return f"{get_at(data, path[:-2])['slug']}-{path[-1]}"
    return str(path[-1])


def locate(data: dict[str, Any], kind: str, key: str = "") -> Located:
    """The part ``kind``/``key``; raises ``PartNotFound``."""
    if kind == "plan":
        return Located(["plan"], None, None, data["plan"])
    if kind == "funding":
        return Located(
            ["supplementary_funding"],
            None,
            None,
            data.setdefault("supplementary_funding", {}),
        )
    for path, value in walk(data, kind):
        if key_of(data, kind, path, value) == key:
            return Located(path, get_at(data, path[:-1]), int(path[-1]), value)
    raise PartNotFound(f"{kind} {key}")


def container_for(
    data: dict[str, Any], kind: str, parent_kind: str = "", parent_key: str = ""
) -> tuple[Path, list[Any]]:
    """The list a new part of ``kind`` goes into (under the parent, for
    criteria, activities and decisions); made when it is not there yet."""
    if kind in PARENT_KINDS:
        if parent_kind not in PARENT_KINDS[kind]:
            raise PartNotFound(f"{kind} under {parent_kind}")
        parent = locate(data, parent_kind, parent_key)
        name = {
            "criterion": "criteria",
            "decision": "decisions",
            "activity": "sub_activities" if parent_kind == "activity" else "activities",
        }[kind]
        return [*parent.path, name], parent.value.setdefault(name, [])
    if kind == "funding_project":
        funding = data.setdefault("supplementary_funding", {})
        return ["supplementary_funding", "projects"], funding.setdefault("projects", [])
    if kind in ("area", "population", "indicator", "goal", "effort_area"):
        return [kind + "s"], data.setdefault(kind + "s", [])
    raise PartNotFound(kind)


def own_fields(value: dict[str, Any]) -> dict[str, Any]:
    """The part without the lists that have their own forms."""
    return {k: v for k, v in value.items() if k not in CHILD_KEYS}


def fingerprint(value: dict[str, Any]) -> str:
    """A digest of the part's own fields (``own_fields``): the form carries
    the digest of the part it was opened on, and a save is refused when
    the part's digest is another one by then. Any writer changes it, the
    plan folder's load and upload included, with no column to keep."""
    text = json.dumps(own_fields(value), sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def replace_own_fields(value: dict[str, Any], new: dict[str, Any]) -> None:
    """Put ``new`` in place of the part's own fields, its child lists
    kept."""
    kept = {k: v for k, v in value.items() if k in CHILD_KEYS}
    value.clear()
    value.update(new)
    value.update(kept)
