"""A report's numbers as a snapshot, its fingerprint, and what changed
since: so a report sent to the board can be compared with today's data.

A snapshot of a report for readers outside the team holds the numbers as
that report shows them (``build_snapshot`` with ``discretion``, and
``observations_shown``): a hidden count is kept as "<5", never as its
value, so neither the snapshot, its fingerprint nor the changes listed
from it give a hidden count back. Snapshots stored before that held the
exact numbers; ``legacy_snapshot_shown`` turns one into what its audience
may see before it is compared or shown.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .discretion import criterion_counts_persons, is_small, suppressed_text
from .discretion import suppress_series as _suppress_series
from .i18n import _
from .model import DataPoint, Flag, Outcome, Pace, Period, Unit
from .periods import PeriodError, parse_period
from .plan_model import JudgedCriterion, verdict_record
from .report_model import IndicatorSeries
from .text_da import format_number, format_period, outcome_label, pace_label

# The key of a snapshot made for readers outside the team: the threshold
# its numbers were hidden under. A snapshot without it holds exact numbers.
DISCRETION_KEY = "discretion"

_CRITERION_FIELDS = ("achieved", "verdict", "pace")


@dataclass(frozen=True, slots=True)
class SnapshotChange:
    """One number or verdict that differs between a snapshot and now."""

    where: str  # "criterion fp-moedre-boern" / "observation education-18-29/nord/2021"
    field: str  # "achieved", "verdict", "value"
    before: object
    after: object


@dataclass(frozen=True, slots=True)
class PersonIndicators:
    """What discretion needs to know of a plan to hide a snapshot's
    observations: the slugs of the indicators that count persons, with
    whether each is additive, and each total population's slug with its
    parts' slugs."""

    additive: Mapping[str, bool]
    totals: tuple[tuple[str, tuple[str, ...]], ...] = ()


def build_snapshot(
    judged: Iterable[JudgedCriterion],
    observations: Iterable[tuple[str, str, str, str | None]],
    *,
    discretion: int | None = None,
) -> dict[str, dict[str, object]]:
    """Every criterion's judged value, verdict and pace, and every observation's
    value (as text, exactly), keyed so two snapshots can be compared.

    With ``discretion`` (the threshold, for readers outside the team),
    ``judged`` and ``observations`` are already as those readers see them:
    a judged value hidden where the report prints "<5" (its last period
    hidden) is kept as that text, and the snapshot is marked
    (``DISCRETION_KEY``). Without it the snapshot is exactly as before."""
    criteria: dict[str, object] = {}
    for item in judged:
        record = verdict_record(item)
        achieved = record["achieved"]
        if discretion is not None and achieved is None:
            achieved = _hidden_text(item, discretion)
        criteria[item.criterion.ident] = {
            "achieved": achieved,
            "verdict": record["verdict"],
            "pace": record["pace"],
        }
    snapshot: dict[str, dict[str, object]] = {
        "criteria": criteria,
        "observations": {
            f"{indicator}/{population}/{period}": value
            for indicator, population, period, value in observations
        },
    }
    if discretion is not None:
        snapshot[DISCRETION_KEY] = {"threshold": discretion}
    return snapshot


def _hidden_text(item: JudgedCriterion, threshold: int) -> str | None:
    """ "<5" where a report prints it for a hidden judged value (the last
    period is hidden), else None ("–")."""
    series = item.criterion.series
    hidden = suppressed_text(threshold)
    if series and Flag.SUPPRESSED in series[-1].flags and series[-1].note == hidden:
        return hidden
    return None


def observations_shown(
    observations: Mapping[str, str | None],
    persons: PersonIndicators,
    threshold: int,
    numerators: Mapping[str, Decimal] | None = None,
) -> dict[str, str | None]:
    """``observations`` (values as text by "indicator/population/period")
    as a reader outside the team sees them: each indicator that counts
    persons suppressed whole, primary and secondary, as its report table
    is (``discretion.suppress_series``, with ``numerators`` by the same
    key where known); a hidden value becomes "<5". The values of other
    indicators are unchanged. A value that is not a number is kept."""
    numerators = numerators or {}
    grouped: dict[str, dict[str, list[tuple[str, str]]]] = {}
    for key in observations:
        indicator, population, period = key.split("/", 2)
        if indicator in persons.additive:
            grouped.setdefault(indicator, {}).setdefault(population, []).append(
                (period, key)
            )
    shown = dict(observations)
    for indicator, populations in grouped.items():
        series = _suppress_series(
            _series(indicator, populations, observations, persons, numerators),
            threshold,
        )
        for population, points in series.populations:
            for point in points:
                if Flag.SUPPRESSED in point.flags:
                    key = f"{indicator}/{population}/{point.period.code}"
                    shown[key] = suppressed_text(threshold)
    return shown


def _series(
    indicator: str,
    populations: Mapping[str, list[tuple[str, str]]],
    observations: Mapping[str, str | None],
    persons: PersonIndicators,
    numerators: Mapping[str, Decimal],
) -> IndicatorSeries:
    """One indicator's snapshot values as a series keyed by population
    slug; the periods' dates do not matter to suppression."""
    day = datetime.date.min
    return IndicatorSeries(
        slug=indicator,
        name=indicator,
        unit=Unit.COUNT,
        unit_label="",
        source="",
        measured="",
        notes=(),
        populations=tuple(
            (
                population,
                tuple(
                    DataPoint(
                        period=Period(period, day, day),
                        value=_number(observations[key]),
                        numerator=numerators.get(key),
                    )
                    for period, key in found
                ),
            )
            for population, found in populations.items()
        ),
        counts_persons=True,
        additive=persons.additive[indicator],
        totals=persons.totals,
    )


def _number(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def legacy_snapshot_shown(
    snapshot: Mapping[str, Mapping[str, object]],
    *,
    person_criteria: Iterable[str],
    persons: PersonIndicators,
    threshold: int,
) -> dict[str, dict[str, object]]:
    """A snapshot stored with exact numbers (no ``DISCRETION_KEY``) as a
    reader outside the team may see it. Observations: as
    ``observations_shown``. Criteria that count persons
    (``person_criteria``, by id): a small judged value becomes "<5"; any
    other judged value is withheld (the field is left out, and is not
    compared), since the old row does not say whether it was a sum or a
    change that gives a hidden count back. Verdicts and paces stay (they
    disclose no person)."""
    people = set(person_criteria)
    criteria: dict[str, object] = {}
    for ident, record in snapshot.get("criteria", {}).items():
        if ident in people and isinstance(record, Mapping):
            achieved = record.get("achieved")
            record = {k: v for k, v in record.items() if k != "achieved"}
            if isinstance(achieved, int | float) and is_small(
                Decimal(str(achieved)), threshold
            ):
                record["achieved"] = suppressed_text(threshold)
        criteria[ident] = record
    stored = snapshot.get("observations", {})
    observations: dict[str, object] = dict(
        observations_shown(
            {k: None if v is None else str(v) for k, v in stored.items()},
            persons,
            threshold,
        )
    )
    return {
        "criteria": criteria,
        "observations": observations,
        DISCRETION_KEY: {"threshold": threshold},
    }


def person_criteria(judged: Iterable[JudgedCriterion]) -> list[str]:
    """The ids of the criteria of ``judged`` that count persons."""
    return [
        item.criterion.ident
        for item in judged
        if criterion_counts_persons(item.criterion)
        or item.criterion.person_cell is not None
    ]


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
    or went) and observations whose value changed (or that came or went).
    A field one side leaves out (a value withheld from an old snapshot,
    ``legacy_snapshot_shown``) is not compared."""
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
        for field in _CRITERION_FIELDS:
            if field in old and field in new and old[field] != new[field]:
                changes.append(
                    SnapshotChange(f"criterion {ident}", field, old[field], new[field])
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


@dataclass(frozen=True, slots=True)
class ChangeLine:
    """A ``SnapshotChange`` as a reader sees it: where and what in words,
    both values formatted (``"Kriterium: Flere unge i uddannelse"``,
    ``"Vurdering"``, ``"ikke opnået"`` -> ``"opnået"``)."""

    where: str
    field: str
    before: str
    after: str


def _plain_text(value: object) -> str:
    """A snapshot's value in the current language: numbers with its
    separators, a text (such as "<5") as it is, nothing as "–"."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("findes") if value else _("findes ikke")
    number = _number(str(value)) if isinstance(value, str | int | float) else None
    if number is not None and number.is_finite():
        return format_number(number)
    return str(value)


def _field_text(field: str, value: object) -> str:
    if value is None:
        return "–"
    if field == "verdict":
        try:
            return outcome_label(Outcome(str(value)))
        except ValueError:
            return str(value)
    if field == "pace":
        try:
            return pace_label(Pace(str(value)))
        except ValueError:
            return str(value)
    return _plain_text(value)


def _period_text(code: str) -> str:
    try:
        return format_period(parse_period(code))
    except PeriodError:
        return code


def describe_changes(
    changes: Iterable[SnapshotChange],
    *,
    criteria: Mapping[str, str],
    indicators: Mapping[str, str],
    populations: Mapping[str, str],
) -> list[ChangeLine]:
    """``changes`` in words for the issued report's page: a criterion by
    its text (``criteria``: ident -> text), an observation by its
    indicator's name, its population's name and its period in words, a
    field by its label and values formatted; an ident no longer in the
    plan is shown as it is, so a removed criterion is still listed."""
    field_labels = {
        "achieved": _("Resultat"),
        "verdict": _("Vurdering"),
        "pace": _("Tempo"),
        "exists": _("I planen"),
        "value": _("Tal"),
    }
    lines: list[ChangeLine] = []
    for change in changes:
        kind, _space, key = change.where.partition(" ")
        if kind == "criterion":
            where = _("Kriterium: {text}").format(text=criteria.get(key, key))
        else:
            indicator, _slash, rest = key.partition("/")
            # A school year's code holds a slash too ("2020/21").
            population, _slash, period = rest.partition("/")
            names = (
                indicators.get(indicator, indicator),
                populations.get(population, population),
                _period_text(period),
            )
            where = ", ".join(names)
        lines.append(
            ChangeLine(
                where=where,
                field=field_labels.get(change.field, change.field),
                before=_field_text(change.field, change.before),
                after=_field_text(change.field, change.after),
            )
        )
    return lines
