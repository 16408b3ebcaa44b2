"""A report's numbers as a snapshot, its fingerprint, and what changed
since: so a report sent to the board can be compared with today's data."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .plan_model import JudgedCriterion, verdict_record


@dataclass(frozen=True, slots=True)
class SnapshotChange:
    """One number or verdict that differs between a snapshot and now."""

    where: str  # "criterion fp-moedre-boern" / "observation education-18-29/nord/2021"
    field: str  # "achieved", "verdict", "value"
    before: object
    after: object


def build_snapshot(
    judged: Iterable[JudgedCriterion],
    observations: Iterable[tuple[str, str, str, str | None]],
) -> dict[str, dict[str, object]]:
    """Every criterion's judged value, verdict and pace, and every observation's
    value (as text, exactly), keyed so two snapshots can be compared."""
    criteria: dict[str, object] = {}
    for item in judged:
        record = verdict_record(item)
        criteria[item.criterion.ident] = {
            "achieved": record["achieved"],
            "verdict": record["verdict"],
            "pace": record["pace"],
        }
    return {
        "criteria": criteria,
        "observations": {
            f"{indicator}/{population}/{period}": value
            for indicator, population, period, value in observations
        },
    }


def fingerprint(snapshot: Mapping[str, object]) -> str:
    """SHA-256 of the snapshot in canonical JSON: equal data, equal print."""
    canonical = json.dumps(
        snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def snapshot_changes(
    before: Mapping[str, Mapping[str, object]],
    after: Mapping[str, Mapping[str, object]],
) -> list[SnapshotChange]:
    """What differs: criteria whose value or verdict changed (or that came
    or went) and observations whose value changed (or that came or went)."""
    changes: list[SnapshotChange] = []
    old_criteria = before.get("criteria", {})
    new_criteria = after.get("criteria", {})
    for ident in sorted(set(old_criteria) | set(new_criteria)):
        old = old_criteria.get(ident)
        new = new_criteria.get(ident)
        if not isinstance(old, Mapping) or not isinstance(new, Mapping):
            changes.append(
                SnapshotChange(
                    f"criterion {ident}", "exists", old is not None, new is not None
                )
            )
            continue
        for field in ("achieved", "verdict", "pace"):
            if old.get(field) != new.get(field):
                changes.append(
                    SnapshotChange(
                        f"criterion {ident}", field, old.get(field), new.get(field)
                    )
                )
    old_obs = before.get("observations", {})
    new_obs = after.get("observations", {})
    for key in sorted(set(old_obs) | set(new_obs)):
        if old_obs.get(key) != new_obs.get(key) or (key in old_obs) != (key in new_obs):
            changes.append(
                SnapshotChange(
                    f"observation {key}", "value", old_obs.get(key), new_obs.get(key)
                )
            )
    return changes
