"""Next December, honestly: the chance that each of the law's criteria
holds on the next list, the likely status, and the distance to each
threshold in persons.

The method (docs/area-status.md):

- A criterion on the next list averages some years; those already in the
  figures are known, the others are projected. A projected year follows
  a random walk from the last known value, with the standard deviation
  of the area's own year-to-year changes in that figure: after h years
  its variance is h times that of one year's change. A mean over several
  projected years adds their covariances (``min(i, j)`` steps shared).
  At least ``MIN_CHANGES`` year-to-year changes are needed; with fewer
  the chance is not given.
- A reference (the national or the region's figure) not yet published is
  taken as its last known value: it moves little from year to year
  compared with one area's figure.
- The chance that the mean passes the threshold is read off the normal
  distribution. Where the known years fix the answer, whatever the
  missing ones hold within the figure's bounds (a share stays between 0
  and 100 %), it is certain, and said so (``fixed``).
- Criteria are taken as independent: the chance that at least k of n
  hold is the Poisson binomial sum of their chances.
- The distance in persons: with one year still to come, how many persons
  of the figure's base population (the 18-64-year-olds for attachment,
  say) would have to be counted the other way that year for the mean to
  cross the threshold.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from statistics import NormalDist

from .area_status import (
    SEVERITY,
    AreaFigures,
    Comparison,
    CriterionRule,
    Reference,
    RuleVersion,
    StatusRule,
    YearStatus,
)
from .i18n import _, gettext_noop
from .text_da import format_number

# Year-to-year changes needed before a chance is given.
MIN_CHANGES = 2
# The level of the interval around a projected value.
INTERVAL_LEVEL = 0.8

# The base population of each share: whom a share counts.
BASES = {
    "non_western": "residents",
    "without_attachment": "population_18_64",
    "convicted": "population_18_plus",
    "basic_schooling": "population_30_59",
}
# Figures that are shares, bounded by 0 and 100 per cent.
SHARES = frozenset(BASES)


@dataclass(frozen=True, slots=True)
class CriterionOutlook:
    rule: CriterionRule
    years: tuple[int, ...]
    projected_years: tuple[int, ...]
    value: float | None  # the projected mean
    low: float | None  # its interval at INTERVAL_LEVEL
    high: float | None
    limit: float | None
    chance: float | None  # that the criterion is met
    fixed: bool | None  # met (True) or not (False) whatever is to come
    persons_to_cross: int | None
    base: str | None  # the base population persons_to_cross counts


@dataclass(frozen=True, slots=True)
class StatusOutlook:
    rule: StatusRule
    chance: float | None


@dataclass(frozen=True, slots=True)
class ListOutlook:
    list_year: int
    version: RuleVersion
    criteria: tuple[CriterionOutlook, ...]
    statuses: tuple[StatusOutlook, ...]

    @property
    def likely(self) -> StatusOutlook | None:
        """The most severe status more likely than not; None when none is,
        or a more severe one's chance is not known."""
        for key in SEVERITY:
            found = next((s for s in self.statuses if s.rule.key == key), None)
            if found is None:
                continue
            if found.chance is None:
                return None
            if found.chance > 0.5:
                return found
        return None


def _last(series: dict[int, Decimal] | None, before: int) -> tuple[int, float] | None:
    years = sorted(y for y in (series or {}) if y < before)
    if not years:
        return None
    return years[-1], float((series or {})[years[-1]])


def _change_sd(series: dict[int, Decimal] | None) -> float | None:
    years = sorted(series or {})
    values = [float((series or {})[y]) for y in years]
    changes = [
        (values[i + 1] - values[i]) / (years[i + 1] - years[i])
        for i in range(len(years) - 1)
    ]
    if len(changes) < MIN_CHANGES:
        return None
    # A walk without drift: its step's spread is the root mean square of
    # the changes, not their deviation around their own mean (a steady
    # fall of 1 point a year is a step of 1, not of 0).
    return math.sqrt(sum(c * c for c in changes) / len(changes))


def _reference(
    rule: CriterionRule, figures: AreaFigures, years: Sequence[int]
) -> float | None:
    if rule.reference is Reference.ABSOLUTE:
        return float(rule.threshold)
    source = (
        figures.national if rule.reference is Reference.NATIONAL else figures.region
    )
    series = dict(source.get(rule.figure, {}))
    found = []
    for year in years:
        if year in series:
            found.append(float(series[year]))
        else:
            last = _last(series, year + 1)
            if last is None:
                return None
            found.append(last[1])
    mean = sum(found) / len(found)
    factor = float(rule.threshold)
    return (
        factor * mean if rule.reference is Reference.NATIONAL else factor * mean / 100
    )


def _met(rule: CriterionRule, value: float, limit: float) -> bool:
    match rule.comparison:
        case Comparison.EXCEEDS:
            return value > limit
        case Comparison.AT_LEAST:
            return value >= limit
        case Comparison.BELOW:
            return value < limit


def _chance_met(rule: CriterionRule, mean: float, sd: float, limit: float) -> float:
    if sd == 0:
        return 1.0 if _met(rule, mean, limit) else 0.0
    above = 1 - NormalDist(mean, sd).cdf(limit)
    return 1 - above if rule.comparison is Comparison.BELOW else above


def _fixed(
    rule: CriterionRule, known: list[float], unknown: int, limit: float
) -> bool | None:
    """Met or not whatever the unknown years hold (a share between 0 and
    100 %; any other figure is unbounded above and at least 0)."""
    if unknown == 0:
        return _met(rule, sum(known) / len(known), limit)
    n = len(known) + unknown
    lowest = sum(known) / n
    if rule.figure not in SHARES:
        # Unbounded above: the rest can always lift the mean past any
        # limit, so only what holds at the lowest mean can be fixed.
        at_low = _met(rule, lowest, limit)
        if rule.comparison is Comparison.BELOW:
            return None if at_low else False
        return True if at_low else None
    highest = (sum(known) + 100 * unknown) / n
    at_low, at_high = _met(rule, lowest, limit), _met(rule, highest, limit)
    return at_low if at_low == at_high else None


def criterion_outlook(
    rule: CriterionRule, figures: AreaFigures, list_year: int
) -> CriterionOutlook:
    """``rule`` on the list of ``list_year``, from the figures there are."""
    years = rule.figure_years(list_year)
    series = dict(figures.values.get(rule.figure, {}))
    known = [float(series[y]) for y in years if y in series]
    projected = tuple(y for y in years if y not in series)
    limit = _reference(rule, figures, years)
    last = _last(series, min(projected) if projected else years[0] + 1)
    base_key = BASES.get(rule.figure)
    empty = CriterionOutlook(
        rule, years, projected, None, None, None, limit, None, None, None, base_key
    )
    if limit is None or (projected and last is None):
        return empty
    fixed = _fixed(rule, known, len(projected), limit)
    n = len(years)
    if not projected:
        mean = sum(known) / n
        chance = 1.0 if fixed else 0.0
        return CriterionOutlook(
            rule,
            years,
            projected,
            mean,
            mean,
            mean,
            limit,
            chance,
            fixed,
            None,
            base_key,
        )
    assert last is not None
    last_year, last_value = last
    steps = [y - last_year for y in projected]
    mean = (sum(known) + last_value * len(projected)) / n
    sd_step = _change_sd(series)
    persons = _persons_to_cross(rule, figures, projected, limit)
    if sd_step is None:
        unknown_chance = None if fixed is None else (1.0 if fixed else 0.0)
        return CriterionOutlook(
            rule,
            years,
            projected,
            mean,
            None,
            None,
            limit,
            unknown_chance,
            fixed,
            persons,
            base_key,
        )
    covariance = sum(min(a, b) for a in steps for b in steps)
    sd = sd_step * math.sqrt(covariance) / n
    z = NormalDist().inv_cdf(0.5 + INTERVAL_LEVEL / 2)
    chance = (
        1.0 if fixed else 0.0 if fixed is False else _chance_met(rule, mean, sd, limit)
    )
    return CriterionOutlook(
        rule,
        years,
        projected,
        mean,
        mean - z * sd,
        mean + z * sd,
        limit,
        chance,
        fixed,
        persons,
        base_key,
    )


def _persons_to_cross(
    rule: CriterionRule,
    figures: AreaFigures,
    projected: tuple[int, ...],
    limit: float,
) -> int | None:
    """With one year to come: how many of the base population would have
    to be counted the other way that year, against the last known share,
    for the mean to land on the other side of the threshold. Worked in
    decimals, so landing exactly on a threshold is exact."""
    base_key = BASES.get(rule.figure)
    if base_key is None or len(projected) != 1:
        return None
    coming = projected[0]
    series = figures.values.get(rule.figure, {})
    known = [series[y] for y in rule.figure_years(coming + rule.lag) if y != coming]
    earlier = sorted(y for y in series if y < coming)
    bases = figures.values.get(base_key, {})
    base_years = sorted(y for y in bases if y <= coming)
    if not earlier or not base_years:
        return None
    last = series[earlier[-1]]
    base = bases[base_years[-1]]
    exact_limit = Decimal(str(limit))
    n = len(known) + 1
    # The share in the coming year at which the mean is exactly the limit.
    needed = n * exact_limit - sum(known, Decimal(0))
    if not 0 <= needed <= 100:
        return None  # the known years fix the answer
    gap = abs(last - needed) * base / 100
    persons = int(gap.to_integral_value(rounding=ROUND_CEILING))
    met_now = _met(rule, float((sum(known, Decimal(0)) + last) / n), limit)
    # Exactly on the limit: "exceeds" is not met there and "at least" is,
    # so one more person is needed to cross from the side that keeps it.
    on_limit_keeps = (rule.comparison is Comparison.AT_LEAST) == met_now
    if gap == persons and on_limit_keeps:
        persons += 1
    return max(persons, 1)


def _at_least(chances: Sequence[float], required: int) -> float:
    """The chance that at least ``required`` of independent events with
    ``chances`` happen (Poisson binomial)."""
    distribution = [1.0]
    for p in chances:
        nxt = [0.0] * (len(distribution) + 1)
        for k, q in enumerate(distribution):
            nxt[k] += q * (1 - p)
            nxt[k + 1] += q * p
        distribution = nxt
    return sum(distribution[required:])


def next_list_outlook(
    version: RuleVersion,
    figures: AreaFigures,
    list_year: int,
    last: YearStatus | None = None,
) -> ListOutlook:
    """The list of ``list_year`` under ``version``, forecast from the
    figures there are; ``last``: the area on the list before, for the
    statuses that need years in a row."""
    criteria = tuple(
        criterion_outlook(rule, figures, list_year) for rule in version.criteria
    )
    chance = {c.rule.key: c.chance for c in criteria}
    residents = _last(dict(figures.values.get("residents", {})), list_year + 1)
    large = (
        None if residents is None else float(residents[1] >= version.population_minimum)
    )
    statuses: dict[str, StatusOutlook] = {}
    for rule in version.statuses:
        if rule.streak_of is not None:
            base = statuses[rule.streak_of].chance
            earlier = last.status(rule.streak_of) if last is not None else None
            run = earlier.years_in_a_row if earlier is not None and earlier.holds else 0
            if base is None or run is None:
                statuses[rule.key] = StatusOutlook(rule, None)
            else:
                statuses[rule.key] = StatusOutlook(
                    rule, base if run + 1 >= rule.streak_years else 0.0
                )
            continue
        parts = [large, *(chance[k] for k in rule.all_of)]
        any_of = [chance[k] for k in rule.any_of]
        if any(p is None for p in [*parts, *any_of]):
            statuses[rule.key] = StatusOutlook(rule, None)
            continue
        value = math.prod(p for p in parts if p is not None)
        value *= _at_least([p for p in any_of if p is not None], rule.required)
        statuses[rule.key] = StatusOutlook(rule, value)
    return ListOutlook(list_year, version, criteria, tuple(statuses.values()))


# What one person counted the other way is, by figure and by whether the
# move is towards meeting the criterion (True) or away from it (False).
_MOVES = {
    ("without_attachment", False): gettext_noop(
        "{persons} flere 18-64-årige i job eller uddannelse i {year}"
    ),
    ("without_attachment", True): gettext_noop(
        "{persons} flere 18-64-årige uden job eller uddannelse i {year}"
    ),
    ("convicted", False): gettext_noop("{persons} færre dømte beboere i {year}"),
    ("convicted", True): gettext_noop("{persons} flere dømte beboere i {year}"),
    ("basic_schooling", False): gettext_noop(
        "{persons} flere 30-59-årige med en uddannelse ud over grundskolen i {year}"
    ),
    ("basic_schooling", True): gettext_noop(
        "{persons} flere 30-59-årige med alene grundskole i {year}"
    ),
    ("non_western", False): gettext_noop(
        "{persons} færre beboere med ikke-vestlig baggrund i {year}"
    ),
    ("non_western", True): gettext_noop(
        "{persons} flere beboere med ikke-vestlig baggrund i {year}"
    ),
}


def distance_sentence(
    outlook: CriterionOutlook, *, threshold: int | None = None
) -> str:
    """The distance to the threshold in words: "23 flere 18-64-årige i job
    eller uddannelse i 2025 ville bringe gennemsnittet ned på højst 40 %".
    With ``threshold`` (discretion, for readers outside the team) a
    number of persons under it is written "under 5". Empty where the
    distance is not known or the known years fix the answer."""
    persons = outlook.persons_to_cross
    if persons is None or outlook.value is None or outlook.limit is None:
        return ""
    rule = outlook.rule
    met_now = _met(rule, outlook.value, outlook.limit)
    move = _MOVES.get((rule.figure, not met_now))
    if move is None:
        return ""
    if threshold is not None and 0 < persons < threshold:
        count = _("under {threshold}").format(threshold=threshold)
    else:
        count = format_number(persons)
    subject = _(move).format(persons=count, year=outlook.projected_years[0])
    limit = format_number(Decimal(str(round(outlook.limit, 2))))
    if met_now:
        result = _("ville bringe gennemsnittet ned på højst {limit} %")
        if rule.comparison is Comparison.AT_LEAST:
            result = _("ville bringe gennemsnittet under {limit} %")
    else:
        result = _("ville bringe gennemsnittet over {limit} %")
        if rule.comparison is Comparison.AT_LEAST:
            result = _("ville bringe gennemsnittet op på mindst {limit} %")
    return f"{subject} {result.format(limit=limit)}"


def _rounded(value: float | None, places: int = 2) -> float | None:
    return None if value is None else round(value, places)


def outlook_record(
    outlook: ListOutlook, *, threshold: int | None = None
) -> dict[str, object]:
    """The next list's outlook as plain JSON-ready values; with
    ``threshold`` (discretion) a distance under it is given as null and
    its sentence says "under 5"."""
    likely = outlook.likely
    return {
        "list_year": outlook.list_year,
        "version": outlook.version.key,
        "likely_status": None if likely is None else likely.rule.key,
        "likely_status_name": None if likely is None else likely.rule.name,
        "criteria": [
            {
                "key": c.rule.key,
                "years": list(c.years),
                "projected_years": list(c.projected_years),
                "value": _rounded(c.value),
                "interval": None
                if c.low is None or c.high is None
                else [_rounded(c.low), _rounded(c.high)],
                "threshold": _rounded(c.limit),
                "chance": _rounded(c.chance, 3),
                "fixed": c.fixed,
                "persons_to_cross": None
                if c.persons_to_cross is None
                or (threshold is not None and c.persons_to_cross < threshold)
                else c.persons_to_cross,
                "distance": distance_sentence(c, threshold=threshold),
            }
            for c in outlook.criteria
        ],
        "statuses": [
            {"key": s.rule.key, "name": s.rule.name, "chance": _rounded(s.chance, 3)}
            for s in outlook.statuses
        ],
    }
