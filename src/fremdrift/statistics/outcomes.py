"""What an import did to each observation, read back from the database
inside the import's own transaction: new, changed (old -> new) or
unchanged, per indicator, population and period.

The same reading gives the import's fingerprint, a hash of every outcome.
A preview (a dry run) and the import confirmed after it are the same code
run twice; when their fingerprints differ, the stored numbers changed in
between and the confirmation is refused as stale. So what is confirmed is
exactly what was shown.
"""

from __future__ import annotations

import hashlib
import heapq
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from fremdrift.core.model import Flag, Period
from fremdrift.core.report_model import flag_label
from fremdrift.core.text_da import format_number, format_period

from .models import ImportBatch, Observation, ObservationChange

# Rows of the preview's table; the counts always cover every row.
MAX_ROWS_SHOWN = 500
NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"
_VALUES = ("value", "numerator", "denominator", "note", "flags")
STATUS_TEXTS = {
    NEW: gettext_noop("ny"),
    CHANGED: gettext_noop("ændret"),
    UNCHANGED: gettext_noop("uændret"),
}
PART_TEXTS = {
    "numerator": gettext_noop("tæller"),
    "denominator": gettext_noop("nævner"),
    "note": gettext_noop("bemærkning"),
    "flags": gettext_noop("markering"),
}
_KEY_ORDER = (
    "indicator__order",
    "indicator__slug",
    "population__order",
    "population__slug",
    "period_start",
    "period",
)


@dataclass(frozen=True)
class ObservationOutcome:
    """One observation the file names, as the preview shows it."""

    status: str
    indicator: str
    indicator_name: str
    population: str
    population_name: str
    period: str
    period_start: Any
    period_end: Any
    line: int | None
    old: dict[str, Any] | None
    new: dict[str, Any]
    sort_key: tuple[Any, ...] = field(compare=False, repr=False)

    @property
    def status_text(self) -> str:
        return _(STATUS_TEXTS[self.status])

    @property
    def period_text(self) -> str:
        return format_period(Period(self.period, self.period_start, self.period_end))

    @property
    def old_text(self) -> str:
        return value_text(self.old)

    @property
    def new_text(self) -> str:
        return value_text(self.new)

    @property
    def changed_parts(self) -> str:
        """What changed besides the value, in words ('bemærkning')."""
        if self.status != CHANGED or self.old is None:
            return ""
        return ", ".join(
            _(label)
            for name, label in PART_TEXTS.items()
            if _plain_part(self.old[name]) != _plain_part(self.new[name])
        )


@dataclass(frozen=True)
class ImportOutcome:
    fingerprint: str
    rows: list[ObservationOutcome]


def import_outcome(
    *,
    batch: ImportBatch,
    unchanged: Iterable[tuple[int, int]],
    limit: int = MAX_ROWS_SHOWN,
) -> ImportOutcome:
    """The outcome of the import ``batch`` before its transaction ends.

    The fingerprint covers, in an order that does not depend on new rows'
    ids: every observation the batch wrote (its key and values), every
    earlier value it replaced (by observation id), and the ids of the
    observations it left unchanged (``unchanged``: id and line in the
    file). ``limit`` rows are kept for showing.
    """
    digest = hashlib.sha256()
    kept = sorted(unchanged)
    written = Observation.objects.filter(batch=batch).order_by(
        "indicator_id", "population_id", "period"
    )
    for values in written.values_list(
        "indicator_id", "population_id", "period", *_VALUES
    ).iterator(chunk_size=2000):
        digest.update(_encode(values))
    changes = ObservationChange.objects.filter(batch=batch).order_by("observation_id")
    for values in changes.values_list(
        "observation_id",
        "old_value",
        "old_numerator",
        "old_denominator",
        "old_note",
        "old_flags",
        "old_batch_id",
    ).iterator(chunk_size=2000):
        digest.update(_encode(values))
    digest.update(_encode(pk for pk, _line in kept))
    rows = _shown(batch, dict(kept), limit) if limit else []
    return ImportOutcome(digest.hexdigest(), rows)


def _encode(values: Iterable[Any]) -> bytes:
    return (json.dumps([_plain(v) for v in values]) + "\n").encode()


def _plain(value: Any) -> Any:
    """A value the same on both databases: SQLite hands back floats."""
    if isinstance(value, Decimal | float):
        return format(Decimal(str(value)).normalize(), "f")
    return value


def _shown(
    batch: ImportBatch, unchanged: dict[int, int], limit: int
) -> list[ObservationOutcome]:
    """The first ``limit`` outcomes by indicator, population and period."""
    written = list(
        Observation.objects.filter(batch=batch)
        .select_related("indicator", "population")
        .order_by(*_KEY_ORDER)[:limit]
    )
    old = {
        change.observation_id: change
        for change in ObservationChange.objects.filter(
            batch=batch, observation__in=[o.pk for o in written]
        )
    }
    rows = [_row(o, old.get(o.pk)) for o in written]
    rows += _first_unchanged(unchanged, limit)
    rows.sort(key=lambda row: row.sort_key)
    return rows[:limit]


def _first_unchanged(unchanged: dict[int, int], limit: int) -> list[ObservationOutcome]:
    """The first ``limit`` unchanged observations by key, read in chunks of
    ids (a query with a million parameters fails on SQLite)."""
    ids = sorted(unchanged)
    first: list[ObservationOutcome] = []
    for start in range(0, len(ids), 500):
        chunk = Observation.objects.filter(pk__in=ids[start : start + 500])
        first += [
            _row(o, None, unchanged_line=unchanged[o.pk])
            for o in chunk.select_related("indicator", "population")
        ]
        first = heapq.nsmallest(limit, first, key=lambda row: row.sort_key)
    return first


def _row(
    observation: Observation,
    change: ObservationChange | None,
    *,
    unchanged_line: int | None = None,
) -> ObservationOutcome:
    new = {name: getattr(observation, name) for name in _VALUES}
    line = observation.source_line
    if unchanged_line is not None:
        status, old, line = UNCHANGED, new, unchanged_line
    elif change is None:
        status, old = NEW, None
    else:
        status = CHANGED
        old = {
            "value": change.old_value,
            "numerator": change.old_numerator,
            "denominator": change.old_denominator,
            "note": change.old_note,
            "flags": change.old_flags,
        }
    indicator, population = observation.indicator, observation.population
    return ObservationOutcome(
        status=status,
        indicator=indicator.slug,
        indicator_name=str(indicator),
        population=population.slug,
        population_name=population.name,
        period=observation.period,
        period_start=observation.period_start,
        period_end=observation.period_end,
        line=line,
        old=old,
        new=new,
        sort_key=(
            indicator.order,
            indicator.slug,
            population.order,
            population.slug,
            observation.period_start,
            observation.period,
        ),
    )


def value_text(values: dict[str, Any] | None) -> str:
    """A stored value for the preview: the number in the reader's notation
    and what its flags mean ('–' for none)."""
    if values is None:
        return "–"
    number = values["value"]
    text = "–" if number is None else format_number(Decimal(str(number)))
    known = {flag.value for flag in Flag}
    flags = [flag_label(Flag(f)) for f in values["flags"] or [] if f in known]
    return f"{text} ({', '.join(flags)})" if flags else text


def _plain_part(value: Any) -> Any:
    if isinstance(value, list):
        return sorted(value)
    return _plain(value) if value is not None else None
