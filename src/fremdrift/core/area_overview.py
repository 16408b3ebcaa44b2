"""The law's statuses across the country (the cross-plan view): how many
areas had each status on each list, and which areas are nearest to
crossing one of the next list's thresholds, in either direction.

Counts: each area is counted once per list, under its headline status
(the most severe that holds: an omdannelsesområde is not counted again as
a parallelsamfund or an udsat boligområde); an area with none is counted
as "ingen status" where that is decided, else as "kan ikke afgøres".

Nearest: for each criterion of the next list whose answer is not already
fixed by the known years, the distance between the projected mean and
its threshold in percentage points (of the share, or for the income of
the region's income, since that threshold is a share of it), and in
persons where the forecast gives it (``persons_to_cross``). The
distance in percentage points orders them, being the one measure every
criterion has. Areas too small for any list (the latest residents under
the population minimum) are left out: no criterion brings them on it.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Generic, TypeVar

from .area_forecast import CriterionOutlook, ListOutlook
from .area_status import (
    FIGURE_LABELS,
    SEVERITY,
    Comparison,
    Reference,
    RuleVersion,
    YearStatus,
)
from .i18n import _, gettext_noop, ngettext
from .text_da import format_number

_Key = TypeVar("_Key", bound=Hashable)

# The columns after the statuses.
NO_STATUS = "none"
UNDECIDED = "undecided"
TOWARD_LIST = gettext_noop("tæt på at komme på listen")
OFF_LIST = gettext_noop("tæt på at komme af listen")
# How many areas the nearest list names.
NEAREST = 10


@dataclass(frozen=True, slots=True)
class StatusCounts:
    """Areas per list year (rows, oldest first) and status (``columns``:
    (key, name), the statuses most severe first, then none and
    undecided)."""

    columns: tuple[tuple[str, str], ...]
    rows: tuple[tuple[int, tuple[int, ...]], ...]


def status_names(versions: Sequence[RuleVersion]) -> tuple[tuple[str, str], ...]:
    """Each status of ``SEVERITY`` with the name of the latest version that
    has it (today's names: parallelsamfund, not ghettoområde)."""
    names: dict[str, str] = {}
    for version in versions:
        for status in version.statuses:
            names[status.key] = status.name
    return tuple((key, names[key]) for key in SEVERITY if key in names)


def status_counts(
    histories: Iterable[Sequence[YearStatus]], versions: Sequence[RuleVersion]
) -> StatusCounts:
    """How many areas had each headline status on each list, over every
    area's ``histories`` (one sequence of lists per area)."""
    statuses = status_names(versions)
    columns = (
        *statuses,
        (NO_STATUS, _("ingen status")),
        (UNDECIDED, _("kan ikke afgøres")),
    )
    index = {key: i for i, (key, _name) in enumerate(columns)}
    by_year: dict[int, list[int]] = {}
    for history in histories:
        for status in history:
            row = by_year.setdefault(status.list_year, [0] * len(columns))
            headline = status.headline
            if headline is not None:
                key = headline.rule.key
            else:
                key = NO_STATUS if status.decided else UNDECIDED
            row[index[key]] += 1
    return StatusCounts(
        columns=columns,
        rows=tuple((year, tuple(by_year[year])) for year in sorted(by_year)),
    )


@dataclass(frozen=True, slots=True)
class Crossing(Generic[_Key]):
    """One criterion of an area's next list near its threshold: ``points``
    from it in percentage points, ``persons`` (or None) counted the other
    way to cross it; ``toward_list``: crossing it would meet the criterion
    (the area moves towards the list), else it would stop meeting it."""

    area: _Key
    list_year: int
    outlook: CriterionOutlook
    statuses: tuple[str, ...]  # the names of the statuses the criterion counts in
    points: float
    persons: int | None
    toward_list: bool

    @property
    def direction(self) -> str:
        return _(TOWARD_LIST) if self.toward_list else _(OFF_LIST)


def _points(outlook: CriterionOutlook) -> float | None:
    value, limit = outlook.value, outlook.limit
    if value is None or limit is None:
        return None
    rule = outlook.rule
    if rule.reference is Reference.REGION:
        # The limit is ``threshold`` per cent of the region's figure.
        if limit == 0:
            return None
        return abs(value - limit) * float(rule.threshold) / limit
    return abs(value - limit)


def _statuses_of(version: RuleVersion, key: str) -> tuple[str, ...]:
    return tuple(s.name for s in version.statuses if key in s.any_of or key in s.all_of)


def nearest_crossings(
    areas: Iterable[tuple[_Key, ListOutlook, YearStatus | None]],
    n: int = NEAREST,
) -> list[Crossing[_Key]]:
    """The ``n`` criteria nearest their thresholds over ``areas`` (each:
    its key, its next list's outlook, its latest list or None), nearest
    first; ties in the order of ``areas`` and of the criteria. A criterion
    whose answer the known years fix, or whose value or threshold is not
    known, is no candidate; nor is an area under the population minimum
    on its latest list."""
    found: list[tuple[float, int, int, Crossing[_Key]]] = []
    for position, (key, outlook, latest) in enumerate(areas):
        if latest is not None and latest.large_enough is False:
            continue
        for order, criterion in enumerate(outlook.criteria):
            points = _points(criterion)
            if points is None or criterion.fixed is not None:
                continue
            assert criterion.value is not None and criterion.limit is not None
            met = criterion.rule.is_met(
                Decimal(str(criterion.value)), Decimal(str(criterion.limit))
            )
            crossing = Crossing(
                area=key,
                list_year=outlook.list_year,
                outlook=criterion,
                statuses=_statuses_of(outlook.version, criterion.rule.key),
                points=points,
                persons=criterion.persons_to_cross,
                toward_list=not met,
            )
            found.append((points, position, order, crossing))
    found.sort(key=lambda item: item[:3])
    return [item[3] for item in found[:n]]


def _figure_text(outlook: CriterionOutlook, value: float) -> str:
    if outlook.rule.figure == "income":
        return _("{amount} kr.").format(amount=format_number(round(value)))
    return _("{value} %").format(value=format_number(Decimal(str(round(value, 2)))))


def criterion_label(crossing: Crossing[_Key]) -> str:
    """The criterion in words, with the statuses it counts in:
    "30-59-årige med alene grundskole (udsat boligområde)"."""
    figure = _(FIGURE_LABELS[crossing.outlook.rule.figure])
    if not crossing.statuses:
        return figure
    return _("{figure} ({statuses})").format(
        figure=figure, statuses=", ".join(crossing.statuses)
    )


def value_text(crossing: Crossing[_Key]) -> str:
    """The projected mean: "35,2 %", "206.700 kr."."""
    assert crossing.outlook.value is not None
    return _figure_text(crossing.outlook, crossing.outlook.value)


def limit_text(crossing: Crossing[_Key]) -> str:
    """The threshold with its comparison: "over 40 %", "mindst 2,86 %",
    "under 187.275 kr."."""
    outlook = crossing.outlook
    assert outlook.limit is not None
    limit = _figure_text(outlook, outlook.limit)
    match outlook.rule.comparison:
        case Comparison.EXCEEDS:
            return _("over {limit}").format(limit=limit)
        case Comparison.AT_LEAST:
            return _("mindst {limit}").format(limit=limit)
        case Comparison.BELOW:
            return _("under {limit}").format(limit=limit)


def distance_text(crossing: Crossing[_Key], *, threshold: int | None = None) -> str:
    """The distance in words: "4,8 procentpoint (89 personer)"; with
    ``threshold`` (discretion) a number of persons under it reads "under
    5 personer". Without persons, the percentage points alone."""
    points = format_number(Decimal(str(round(crossing.points, 2))))
    persons = crossing.persons
    if persons is None:
        return _("{points} procentpoint").format(points=points)
    if threshold is not None and 0 < persons < threshold:
        return _("{points} procentpoint (under {threshold} personer)").format(
            points=points, threshold=threshold
        )
    return ngettext(
        "{points} procentpoint ({persons} person)",
        "{points} procentpoint ({persons} personer)",
        persons,
    ).format(points=points, persons=format_number(persons))
