"""An area's status under the law: udsat boligområde, parallelsamfund,
omdannelsesområde and forebyggelsesområde (almenboligloven § 61 a and
§ 61 b), and their forerunners back to the first list of 2010.

The rules are data (``data/area_status_rules.toml``): one version per
change of the law, each with the date it took effect, its criteria (a
figure of the area against a threshold that is absolute, a multiple of
the national figure or a share of the region's, averaged over some
years), the statuses built on them and where the version comes from.
``area_status`` judges one area for one list's year under the version in
force on that list's day; ``status_history`` judges a run of years and
counts the years in a row, across changes of the rules.

Three answers, not two: a criterion whose years are not all there is
neither met nor failed but ``None`` ("kan ikke afgøres"), and a status is
decided only where the missing criteria could not change it. Exactly at a
threshold is not "exceeds": 40 % without attachment does not exceed 40 %.
"""

from __future__ import annotations

import enum
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from importlib import resources

from .i18n import _, gettext_noop
from .model import Unit

# The figures a criterion may compare, each per area and year: shares in
# per cent, the income in kroner, residents as of 1 January.
FIGURES = frozenset(
    {
        "residents",
        "non_western",
        "without_attachment",
        "convicted",
        "basic_schooling",
        "income",
    }
)

# The unit each figure is given in, the base populations the forecast's
# distances in persons count included: shares in per cent, the income as
# a mean (kroner), residents and base populations as counts.
FIGURE_UNITS: Mapping[str, Unit] = {
    "residents": Unit.COUNT,
    "non_western": Unit.PERCENT,
    "without_attachment": Unit.PERCENT,
    "convicted": Unit.PERCENT,
    "basic_schooling": Unit.PERCENT,
    "income": Unit.MEAN,
    "population_18_64": Unit.COUNT,
    "population_18_plus": Unit.COUNT,
    "population_30_59": Unit.COUNT,
}

# The statuses from the most to the least severe: an area's headline
# status is the first that holds.
SEVERITY = ("transformation", "parallel", "udsat", "prevention")


class Comparison(enum.StrEnum):
    EXCEEDS = "exceeds"
    AT_LEAST = "at_least"
    BELOW = "below"


class Reference(enum.StrEnum):
    """What a threshold is measured against."""

    ABSOLUTE = "absolute"
    NATIONAL = "national"  # a multiple of the national figure
    REGION = "region"  # a share, in per cent, of the region's figure


class RulesError(ValueError):
    """The rules file contradicts itself."""


@dataclass(frozen=True, slots=True)
class CriterionRule:
    key: str
    figure: str
    comparison: Comparison
    threshold: Decimal
    reference: Reference
    years: int
    lag: int

    def figure_years(self, list_year: int) -> tuple[int, ...]:
        """The years whose figures the list of ``list_year`` averages,
        oldest first."""
        latest = list_year - self.lag
        return tuple(range(latest - self.years + 1, latest + 1))

    def is_met(self, value: Decimal, limit: Decimal) -> bool:
        match self.comparison:
            case Comparison.EXCEEDS:
                return value > limit
            case Comparison.AT_LEAST:
                return value >= limit
            case Comparison.BELOW:
                return value < limit


@dataclass(frozen=True, slots=True)
class StatusRule:
    key: str
    name: str
    all_of: tuple[str, ...] = ()
    any_of: tuple[str, ...] = ()
    required: int = 0
    streak_of: str | None = None
    streak_years: int = 0


@dataclass(frozen=True, slots=True)
class RuleVersion:
    key: str
    in_force_from: date
    title: str
    source: str
    note: str
    population_minimum: int
    criteria: tuple[CriterionRule, ...]
    statuses: tuple[StatusRule, ...]

    def criterion(self, key: str) -> CriterionRule:
        return next(c for c in self.criteria if c.key == key)


@dataclass(frozen=True, slots=True)
class AreaFigures:
    """An area's figures by figure and year (``FIGURES``), and the
    references its thresholds are measured against: the national figure
    (``national``) and the region's (``region``), by figure and year."""

    values: Mapping[str, Mapping[int, Decimal]]
    national: Mapping[str, Mapping[int, Decimal]] = field(default_factory=dict)
    region: Mapping[str, Mapping[int, Decimal]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CriterionResult:
    """One criterion for one list: the figure as averaged, the threshold
    it is held against (in the figure's own unit), and whether it is met
    (None: a year's figure is missing)."""

    rule: CriterionRule
    value: Decimal | None
    limit: Decimal | None
    met: bool | None
    years: tuple[int, ...]
    missing: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class StatusResult:
    rule: StatusRule
    holds: bool | None
    # The years in a row the status (or, for a streak status, the status
    # it counts) has held, this list included; None when an earlier list
    # could not be decided and the count is therefore not known.
    years_in_a_row: int | None = None


@dataclass(frozen=True, slots=True)
class YearStatus:
    """An area on one list: the version in force, each criterion, each
    status, and the headline status."""

    list_year: int
    version: RuleVersion
    residents: Decimal | None
    large_enough: bool | None
    criteria: tuple[CriterionResult, ...]
    statuses: tuple[StatusResult, ...]
    rules_changed: bool = False

    def status(self, key: str) -> StatusResult | None:
        return next((s for s in self.statuses if s.rule.key == key), None)

    @property
    def headline(self) -> StatusResult | None:
        """The most severe status that holds; None when none does."""
        for key in SEVERITY:
            found = self.status(key)
            if found is not None and found.holds is True:
                return found
        return None

    @property
    def undecided(self) -> tuple[StatusResult, ...]:
        """The statuses more severe than the headline (all, when none
        holds) that cannot be decided from the figures there are."""
        result = []
        for key in SEVERITY:
            found = self.status(key)
            if found is None:
                continue
            if found.holds is True:
                break
            if found.holds is None:
                result.append(found)
        return tuple(result)

    @property
    def decided(self) -> bool:
        """Whether the headline is known: no more severe status is open."""
        return not self.undecided


def _mean(values: Sequence[Decimal]) -> Decimal:
    return sum(values, Decimal(0)) / len(values)


def _series_mean(
    series: Mapping[int, Decimal] | None, years: Sequence[int]
) -> tuple[Decimal | None, tuple[int, ...]]:
    """The mean of ``series`` over ``years``, and the years missing."""
    found = series or {}
    missing = tuple(year for year in years if year not in found)
    if missing:
        return None, missing
    return _mean([found[year] for year in years]), ()


def judge_criterion(
    rule: CriterionRule, figures: AreaFigures, list_year: int
) -> CriterionResult:
    """``rule`` on the list of ``list_year``."""
    years = rule.figure_years(list_year)
    value, missing = _series_mean(figures.values.get(rule.figure), years)
    limit: Decimal | None = rule.threshold
    if rule.reference is not Reference.ABSOLUTE:
        references = (
            figures.national if rule.reference is Reference.NATIONAL else figures.region
        )
        reference, missing_reference = _series_mean(references.get(rule.figure), years)
        missing = tuple(sorted(set(missing) | set(missing_reference)))
        if reference is None:
            limit = None
        elif rule.reference is Reference.NATIONAL:
            limit = rule.threshold * reference
        else:
            limit = rule.threshold * reference / 100
    met = None if value is None or limit is None else rule.is_met(value, limit)
    return CriterionResult(rule, value, limit, met, years, missing)


def _at_least(results: Sequence[bool | None], required: int) -> bool | None:
    """Whether at least ``required`` of ``results`` are True, where None is
    not known: decided only if the unknown ones cannot change it."""
    met = sum(1 for r in results if r is True)
    unknown = sum(1 for r in results if r is None)
    if met >= required:
        return True
    if met + unknown < required:
        return False
    return None


def _all(results: Iterable[bool | None]) -> bool | None:
    values = list(results)
    if any(r is False for r in values):
        return False
    if any(r is None for r in values):
        return None
    return True


def _streak(holds_now: bool | None, earlier: Sequence[bool | None]) -> tuple[int, int]:
    """The shortest and longest the run of lists ending now can be
    (``earlier``: the same status on the lists before, newest first),
    reading an undecided list as not holding and as holding."""
    shortest = longest = 0
    chain = [holds_now, *earlier]
    for held in chain:
        if held is False:
            break
        longest += 1
    for held in chain:
        if held is not True:
            break
        shortest += 1
    return shortest, longest


def area_status(
    version: RuleVersion,
    figures: AreaFigures,
    list_year: int,
    earlier: Sequence[YearStatus] = (),
) -> YearStatus:
    """The area on the list of ``list_year`` under ``version``.
    ``earlier``: its status on the lists before, newest first, for the
    statuses that need years in a row (judged each under its own
    version: a status is followed across versions by its key)."""
    residents_years = (list_year,)
    residents, _missing = _series_mean(figures.values.get("residents"), residents_years)
    large_enough = (
        None if residents is None else residents >= version.population_minimum
    )
    criteria = tuple(
        judge_criterion(rule, figures, list_year) for rule in version.criteria
    )
    met = {result.rule.key: result.met for result in criteria}
    statuses: dict[str, StatusResult] = {}
    for rule in version.statuses:
        if rule.streak_of is None:
            holds = _all(
                [
                    large_enough,
                    *(met[key] for key in rule.all_of),
                    _at_least([met[key] for key in rule.any_of], rule.required),
                ]
            )
            history = [_held(e, rule.key) for e in earlier]
            shortest, longest = _streak(holds, history)
            statuses[rule.key] = StatusResult(
                rule, holds, shortest if shortest == longest else None
            )
        else:
            base = statuses[rule.streak_of]
            history = [_held(e, rule.streak_of) for e in earlier]
            shortest, longest = _streak(base.holds, history)
            if shortest >= rule.streak_years:
                holds = True
            elif longest < rule.streak_years:
                holds = False
            else:
                holds = None
            statuses[rule.key] = StatusResult(
                rule, holds, shortest if shortest == longest else None
            )
    changed = bool(earlier) and earlier[0].version.key != version.key
    return YearStatus(
        list_year=list_year,
        version=version,
        residents=residents,
        large_enough=large_enough,
        criteria=criteria,
        statuses=tuple(statuses.values()),
        rules_changed=changed,
    )


def _held(status: YearStatus, key: str) -> bool | None:
    """Whether status ``key`` held on an earlier list; False where that
    list's rules had no such status."""
    found = status.status(key)
    return False if found is None else found.holds


def version_in_force(
    versions: Sequence[RuleVersion], list_year: int
) -> RuleVersion | None:
    """The version in force on the list of ``list_year`` (1 December)."""
    day = date(list_year, 12, 1)
    candidates = [v for v in versions if v.in_force_from <= day]
    return max(candidates, key=lambda v: v.in_force_from) if candidates else None


def status_history(
    versions: Sequence[RuleVersion], figures: AreaFigures, years: Iterable[int]
) -> list[YearStatus]:
    """The area on each list of ``years`` (from the first list of the first
    version, however early ``years`` start), oldest first, each under the
    version in force then; years before any version are left out."""
    wanted = sorted(set(years))
    if not wanted:
        return []
    first = min(v.in_force_from.year for v in versions)
    judged: list[YearStatus] = []
    for year in range(first, wanted[-1] + 1):
        version = version_in_force(versions, year)
        if version is None:
            continue
        judged.insert(0, area_status(version, figures, year, judged))
    return [status for status in reversed(judged) if status.list_year in wanted]


def _criterion(raw: Mapping[str, object]) -> CriterionRule:
    figure = str(raw["figure"])
    if figure not in FIGURES:
        raise RulesError(f"criterion {raw['key']}: unknown figure {figure!r}")
    return CriterionRule(
        key=str(raw["key"]),
        figure=figure,
        comparison=Comparison(str(raw["comparison"])),
        threshold=Decimal(str(raw["threshold"])),
        reference=Reference(str(raw["reference"])),
        years=int(str(raw["years"])),
        lag=int(str(raw["lag"])),
    )


def _status(raw: Mapping[str, object], criteria: set[str]) -> StatusRule:
    all_of = tuple(str(k) for k in raw.get("all_of", ()))  # type: ignore[attr-defined]
    any_of = tuple(str(k) for k in raw.get("any_of", ()))  # type: ignore[attr-defined]
    unknown = (set(all_of) | set(any_of)) - criteria
    if unknown:
        raise RulesError(f"status {raw['key']}: unknown criteria {sorted(unknown)}")
    required = int(str(raw.get("required", 0)))
    if required > len(any_of):
        raise RulesError(f"status {raw['key']}: requires {required} of {len(any_of)}")
    streak_of = raw.get("streak_of")
    return StatusRule(
        key=str(raw["key"]),
        name=str(raw["name"]),
        all_of=all_of,
        any_of=any_of,
        required=required,
        streak_of=None if streak_of is None else str(streak_of),
        streak_years=int(str(raw.get("streak_years", 0))),
    )


def parse_rules(text: str) -> tuple[RuleVersion, ...]:
    """The versions of a rules file (TOML), in the order they took effect."""
    versions: list[RuleVersion] = []
    for raw in tomllib.loads(text)["version"]:
        criteria = tuple(_criterion(c) for c in raw.get("criterion", ()))
        keys = {c.key for c in criteria}
        statuses: list[StatusRule] = []
        for status in raw["status"]:
            rule = _status(status, keys)
            if rule.streak_of is not None and rule.streak_of not in {
                s.key for s in statuses
            }:
                raise RulesError(
                    f"status {rule.key}: counts {rule.streak_of}, not defined before it"
                )
            statuses.append(rule)
        versions.append(
            RuleVersion(
                key=str(raw["key"]),
                in_force_from=raw["in_force_from"],
                title=str(raw["title"]),
                source=str(raw["source"]),
                note=str(raw["note"]),
                population_minimum=int(raw["population_minimum"]),
                criteria=criteria,
                statuses=tuple(statuses),
            )
        )
    dates = [v.in_force_from for v in versions]
    if dates != sorted(dates) or len(set(dates)) != len(dates):
        raise RulesError("versions must be in the order they took effect")
    return tuple(versions)


@cache
def rule_versions() -> tuple[RuleVersion, ...]:
    """The versions shipped with fremdrift, 2010 to today."""
    text = (
        resources.files("fremdrift.core")
        .joinpath("data/area_status_rules.toml")
        .read_text(encoding="utf-8")
    )
    return parse_rules(text)


# The figures in words (translated where they are shown).
FIGURE_LABELS = {
    "residents": gettext_noop("Beboere pr. 1. januar"),
    "non_western": gettext_noop("Indvandrere og efterkommere fra ikke-vestlige lande"),
    "without_attachment": gettext_noop(
        "18-64-årige uden tilknytning til arbejdsmarked eller uddannelse"
    ),
    "convicted": gettext_noop(
        "Dømte for overtrædelse af straffeloven, våbenloven eller lov om "
        "euforiserende stoffer"
    ),
    "basic_schooling": gettext_noop("30-59-årige med alene grundskole"),
    "income": gettext_noop(
        "Gennemsnitlig bruttoindkomst for 15-64-årige (ekskl. uddannelsessøgende)"
    ),
}


# How a figure may follow from an indicator a plan already follows, and
# the words a report uses to say so.
DERIVATIONS = {
    "per_1000": gettext_noop("en rate pr. 1.000 omregnet til procent"),
    "complement": gettext_noop("100 % minus den andel, planen følger"),
}


def derived_value(derivation: str, value: Decimal) -> Decimal:
    """The figure ``value`` gives under ``derivation`` (``DERIVATIONS``;
    blank: the value is the figure): 22 per 1,000 is 2.2 %, 63 % in work
    or education leaves 37 % without attachment."""
    if not derivation:
        return value
    if derivation == "per_1000":
        return value / 10
    if derivation == "complement":
        return Decimal(100) - value
    raise ValueError(f"unknown derivation {derivation!r}")


@dataclass(frozen=True, slots=True)
class DerivedFigure:
    """A figure of the law the plan derives from one of its indicators."""

    figure: str
    indicator: str  # the indicator's name
    derivation: str


def answer_label(value: bool | None) -> str:
    """``ja``, ``nej`` or ``kan ikke afgøres``."""
    if value is None:
        return _("kan ikke afgøres")
    return _("ja") if value else _("nej")


def _number(value: Decimal | None) -> str | None:
    # Fixed-point: normalize() alone writes 1520.00 as "1.52E+3".
    if value is None:
        return None
    return format(value.quantize(Decimal("0.01")).normalize(), "f")


def status_record(status: YearStatus) -> dict[str, object]:
    """One list as plain JSON-ready values (``fremdrift status --format
    json``; docs/area-status.md)."""
    headline = status.headline
    return {
        "list_year": status.list_year,
        "version": status.version.key,
        "rules_changed": status.rules_changed,
        "residents": _number(status.residents),
        "large_enough": status.large_enough,
        "status": None if headline is None else headline.rule.key,
        "status_name": None if headline is None else headline.rule.name,
        "decided": status.decided,
        "criteria": [
            {
                "key": c.rule.key,
                "figure": c.rule.figure,
                "comparison": c.rule.comparison.value,
                "value": _number(c.value),
                "threshold": _number(c.limit),
                "years": list(c.years),
                "missing": list(c.missing),
                "met": c.met,
            }
            for c in status.criteria
        ],
        "statuses": [
            {
                "key": s.rule.key,
                "name": s.rule.name,
                "holds": s.holds,
                "years_in_a_row": s.years_in_a_row,
            }
            for s in status.statuses
        ],
    }
