"""One generated plan: its organisation, areas, populations, the national
key figures with 15 years of observations, goals, effort areas, activities
(one with sub-activities), their registrations and criteria of every kind.

A plan is drawn from its own ``random.Random``, seeded by the run's seed
and the plan's number, so that each plan depends only on those two.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.text import slugify

from fremdrift.core.measures import MEASURE_UNITS, MeasureKind
from fremdrift.plans.models import (
    Activity,
    Area,
    Commentary,
    Criterion,
    EffortArea,
    Goal,
    Organisation,
    Plan,
    Population,
    ReportedValue,
    SizeRecord,
)
from fremdrift.statistics.models import Indicator, Observation
from fremdrift_demo.eksempelby import FICTIONAL_MARK

from .catalogue import (
    ARCHETYPES,
    AREA_HEADS,
    AREA_TAILS,
    EFFORT_AREAS,
    INDICATORS,
    RESIDENTS,
    ROTATION,
    Archetype,
    CriterionTemplate,
    IndicatorSpec,
)
from .people import Residents
from .registrations import ActivityGenerator, Drawn
from .writer import BulkWriter

D = datetime.date

# Indicator n belongs to goal n % 5, so the first figures land where they
# belong (employment, education, crime, cash benefits).
GOALS = (
    ("trivsel", "Bedre trivsel for børn og unge"),
    ("beskaeftigelse", "Flere i beskæftigelse"),
    ("uddannelse", "Flere unge i uddannelse"),
    ("tryghed", "Øget tryghed"),
    ("forsoergelse", "Færre på offentlig forsørgelse"),
)

# The goal criteria every plan has, on the plan's areas in total: the kind
# and which indicators fit it (better direction, unit); the target follows
# from the baseline value (``_goal_target``).
GOAL_CRITERIA = (
    ("above_baseline", "higher", ""),
    ("increase_by", "higher", ""),
    ("reduce_by", "lower", ""),
    ("below_baseline", "lower", "count"),
    ("hold_baseline", "none", ""),
    ("reduce_to", "lower", ""),
    ("increase_to", "higher", ""),
    ("at_least", "higher", ""),
    ("at_most", "lower", ""),
    ("range", "higher", "percent"),
    ("share_at_least", "higher", "percent"),
    ("every_period", "lower", ""),
)


def _slug(text: str) -> str:
    for letter, spelled in (("æ", "ae"), ("ø", "oe"), ("å", "aa")):
        text = text.lower().replace(letter, spelled)
    return slugify(text)


def split(total: int, weights: Sequence[float], rng: random.Random) -> list[int]:
    """``total`` in whole parts in proportion to ``weights`` (largest
    remainders first, ties broken by the generator)."""
    whole = sum(weights)
    shares = [total * w / whole for w in weights]
    parts = [int(s) for s in shares]
    order = sorted(
        range(len(weights)), key=lambda i: (parts[i] - shares[i], rng.random())
    )
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


@dataclass(frozen=True)
class PlanOutline:
    """What is decided for a plan before it is drawn: its number, town,
    period, number of areas and activities, participants and budget of
    attendance rows."""

    number: int
    town: str
    start: D
    end: D
    areas: int
    activities: int
    participants: int
    attendance: int

    @property
    def slug(self) -> str:
        return f"bench-{self.number:03d}-{_slug(self.town)}-{self.period}"

    @property
    def period(self) -> str:
        return f"{self.start.year}-{self.end.year % 100:02d}"


class PlanGenerator:
    """Draws and writes one plan."""

    def __init__(
        self,
        outline: PlanOutline,
        rng: random.Random,
        writer: BulkWriter,
        indicators: int,
        years: int,
        until: D,
    ) -> None:
        self.outline = outline
        self.rng = rng
        self.writer = writer
        self.indicator_specs = INDICATORS[:indicators]
        self.years = range(until.year - years, until.year)
        self.until = until
        self.criteria = 0

    def run(self) -> None:
        o, writer = self.outline, self.writer
        organisation = writer.add(
            Organisation, name=f"{o.town} Boligsociale Sekretariat (fiktivt)"
        )
        name = f"Boligsocial helhedsplan for {o.town} {o.period} {FICTIONAL_MARK}"
        self.plan = writer.add(
            Plan,
            organisation_id=organisation,
            slug=o.slug,
            name=name,
            short_name=f"{o.town} {o.period} {FICTIONAL_MARK}",
            start=o.start,
            end=o.end,
            vision=f"{o.town} – et godt sted at bo (fiktivt benchmark-eksempel)",
            municipality=f"{o.town} Kommune",
            introduction="Opdigtet helhedsplan dannet til benchmark af fremdrift.",
            notes=["Fiktiv plan dannet af fremdrift bench generate."],
        )
        self._areas()
        self._indicators()
        self._goals()
        self._effort_areas()
        self._activities()

    # -- areas and statistics ----------------------------------------------

    def _areas(self) -> None:
        o, rng, writer = self.outline, self.rng, self.writer
        names = rng.sample([h + t for h in AREA_HEADS for t in AREA_TAILS], o.areas)
        self.areas: list[tuple[int, str, float]] = []
        self.populations: list[tuple[int, str, float]] = []  # (pk, kind, size)
        residents = 0
        for n, area_name in enumerate(names):
            size = rng.uniform(0.5, 1.6)
            pk = writer.add(
                Area, plan_id=self.plan, slug=_slug(area_name), name=area_name, order=n
            )
            self.areas.append((pk, area_name, size))
            people = round(size * 1100)
            residents += people
            writer.add(
                SizeRecord,
                plan_id=self.plan,
                area_id=pk,
                as_of=o.start - datetime.timedelta(days=270),
                source="Fiktive tal",
                leases=round(people / 2.3),
                residents=people,
            )
            self.populations.append(
                (
                    writer.add(
                        Population,
                        plan_id=self.plan,
                        area_id=pk,
                        slug=_slug(area_name),
                        name=area_name,
                        kind=Population.Kind.AREA.value,
                        order=n,
                    ),
                    "area",
                    size,
                )
            )
        writer.add(
            SizeRecord,
            plan_id=self.plan,
            area_id=None,
            as_of=o.start - datetime.timedelta(days=270),
            source="Fiktive tal",
            housing_organisations=rng.randint(1, 3),
            department_boards=o.areas + rng.randint(0, 3),
            leases=round(residents / 2.3),
            residents=residents,
        )
        order = len(names)
        for slug, pop_name, kind in (
            ("omraaderne-i-alt", "Helhedsplanens områder i alt", "plan_total"),
            ("kommunen", f"{o.town} Kommune", "municipality"),
            (
                "kommunen-ekskl-omraaderne",
                f"{o.town} Kommune ekskl. helhedsplanens områder",
                "municipality_excl_plan",
            ),
        ):
            pk = writer.add(
                Population,
                plan_id=self.plan,
                slug=slug,
                name=pop_name,
                kind=kind,
                order=order,
            )
            order += 1
            self.populations.append((pk, kind, 0.0))
        self.total_population = self.populations[o.areas][0]
        writer.m2m(
            Population.parts.through,
            [
                (self.total_population, pk)
                for pk, kind, _ in self.populations[: o.areas]
            ],
        )

    def _indicators(self) -> None:
        rng, writer = self.rng, self.writer
        self.indicators: dict[str, tuple[int, IndicatorSpec]] = {}
        self.baselines: dict[tuple[str, int], Decimal] = {}
        residents = None
        for n, spec in enumerate(self.indicator_specs):
            pk = writer.add(
                Indicator,
                plan_id=self.plan,
                slug=spec.slug,
                name=spec.name,
                unit=spec.unit,
                unit_label="personer" if spec.unit == "count" else "",
                better=spec.better,
                source="Fiktive tal i stil med Boligstatistiske Nøgletal",
                counts_persons=spec.counts_persons,
                additive=spec.additive,
                denominator_indicator_id=residents if spec.unit == "per_1000" else None,
                order=n,
            )
            if spec.slug == RESIDENTS:
                residents = pk
            self.indicators[spec.slug] = (pk, spec)
            self._observations(pk, spec, rng)

    def _observations(
        self, indicator: int, spec: IndicatorSpec, rng: random.Random
    ) -> None:
        writer = self.writer
        digits = 0 if spec.unit == "count" else 1
        first = self.years[0]
        for year in self.years:
            t = year - first
            values: list[tuple[int, Decimal | None]] = []
            area_values: list[tuple[Decimal, float]] = []
            for pk, kind, size in self.populations:
                if kind == "area":
                    if spec.additive:
                        raw = (spec.area_level + spec.trend * t) * size
                        raw *= rng.uniform(0.92, 1.08)
                    else:
                        raw = spec.area_level * (1 + (size - 1) * 0.1)
                        raw += spec.trend * t + rng.gauss(
                            0, abs(spec.area_level) * 0.04
                        )
                    value = self._clip(spec, raw, digits)
                    area_values.append((value, size))
                    if rng.random() < 0.01:
                        values.append((pk, None))
                        continue
                elif kind == "plan_total":
                    if spec.additive:
                        value = sum(
                            (v for (_, v) in values if v is not None), Decimal(0)
                        )
                    else:
                        weight = sum(s for _, s in area_values)
                        value = self._clip(
                            spec,
                            sum(float(v) * s for v, s in area_values) / weight,
                            digits,
                        )
                elif kind == "municipality":
                    if spec.additive:
                        total = sum(float(v) for v, _ in area_values)
                        value = self._clip(spec, total * rng.uniform(9, 14), 0)
                    else:
                        raw = spec.municipality_level + spec.trend * t * 0.5
                        value = self._clip(spec, raw + rng.gauss(0, 0.3), digits)
                else:
                    municipality = values[-1][1] or Decimal(0)
                    if spec.additive:
                        plan_total = values[-2][1] or Decimal(0)
                        value = municipality - plan_total
                    else:
                        value = self._clip(spec, float(municipality) * 1.01, digits)
                values.append((pk, value))
            for pk, value in values:
                writer.add(
                    Observation,
                    indicator_id=indicator,
                    population_id=pk,
                    period=str(year),
                    period_start=D(year, 1, 1),
                    period_end=D(year, 12, 31),
                    value=value,
                    flags=[] if value is not None else ["missing"],
                    note="" if value is not None else "Ikke opgjort",
                )
                if pk == self.total_population and value is not None:
                    self.baselines[(spec.slug, year)] = value

    @staticmethod
    def _clip(spec: IndicatorSpec, raw: float, digits: int) -> Decimal:
        if spec.unit == "percent":
            raw = min(99.0, raw)
        value = round(max(0.0, raw), digits)
        return Decimal(str(value)) if digits else Decimal(int(value))

    # -- criteria ------------------------------------------------------------

    def _criterion(
        self,
        owner: dict[str, int],
        ident: str,
        text: str,
        kind: str,
        unit: str,
        target: dict[str, object],
        **fields: object,
    ) -> int:
        self.criteria += 1
        owners: dict[str, int | None] = {
            "goal_id": None,
            "effort_area_id": None,
            "activity_id": None,
            **owner,
        }
        return self.writer.add(
            Criterion,
            plan_id=self.plan,
            **owners,
            ident=ident,
            text=text,
            kind=kind,
            unit=unit,
            target={key: _number(value) for key, value in target.items()},
            order=self.criteria,
            **fields,
        )

    @staticmethod
    def _goal_target(kind: str, b: Decimal, unit: str) -> dict[str, object]:
        cap = Decimal(100) if unit == "percent" else b * 10 + 10
        scaled = {
            "reduce_to": b * Decimal("0.95"),
            "increase_to": min(cap, b * Decimal("1.05")),
            "at_least": b * Decimal("1.02"),
            "at_most": b * Decimal("0.98"),
            "every_period": b * Decimal("1.05"),
            "share_at_least": min(cap, b + 2),
        }
        if kind in (
            "reduce_to",
            "increase_to",
            "at_least",
            "at_most",
            "share_at_least",
        ):
            return {"number": round(scaled[kind], 1)}
        if kind == "every_period":
            return {"at_most": round(scaled[kind], 1)}
        if kind == "increase_by":
            return {"absolute": 2}
        if kind == "reduce_by":
            return {"relative": Decimal("0.1")}
        if kind == "hold_baseline":
            return {"relative_tolerance": Decimal("0.05")}
        if kind == "range":
            return {"min": round(b, 1), "max": round(min(cap, b * Decimal("1.2")), 1)}
        return {}

    def _goals(self) -> None:
        o, writer = self.outline, self.writer
        specs = list(self.indicator_specs)
        goals = []
        for n, (slug, name) in enumerate(GOALS):
            pk = writer.add(Goal, plan_id=self.plan, slug=slug, name=name, order=n)
            goals.append(pk)
        writer.m2m(
            Goal.indicators.through,
            [
                (goals[n % len(goals)], self.indicators[spec.slug][0])
                for n, spec in enumerate(specs)
            ],
        )
        baseline_year = o.start.year - 1
        for k, (kind, better, unit) in enumerate(GOAL_CRITERIA):
            fitting = [
                (n, s)
                for n, s in enumerate(specs)
                if s.better == better and (not unit or s.unit == unit)
            ] or [(n, s) for n, s in enumerate(specs) if s.better != "none"]
            n, spec = fitting[k % len(fitting)]
            b = self.baselines[(spec.slug, baseline_year)]
            self._criterion(
                {"goal_id": goals[n % len(goals)]},
                f"maal-{k + 1:02d}-{spec.slug}"[:100],
                f"{spec.name} i helhedsplanens områder ({kind})",
                kind,
                spec.unit,
                self._goal_target(kind, b, spec.unit),
                aggregation="each" if kind == "every_period" else "latest",
                indicator_id=self.indicators[spec.slug][0],
                population_id=self.total_population,
                baseline_period=str(baseline_year),
                baseline_note="Året før helhedsplanens start",
            )

    def _effort_areas(self) -> None:
        rng, writer = self.rng, self.writer
        self.effort_areas = [
            writer.add(EffortArea, plan_id=self.plan, slug=slug, name=name, order=n)
            for n, (slug, name) in enumerate(EFFORT_AREAS)
        ]
        area_population = self.populations[0][0]
        area_name = self.areas[0][1]
        for n, pk in enumerate(self.effort_areas):
            verdict = rng.choice(["achieved", "partly_achieved", "not_achieved"])
            self._criterion(
                {"effort_area_id": pk},
                f"indsats-{n + 1}-kvalitativ",
                f"{EFFORT_AREAS[n][1]}: samarbejdet med kommunen er styrket",
                "qualitative",
                "count",
                {},
                recorded_verdict=verdict,
                evidence="Fiktiv evaluering: interview med samarbejdspartnere.",
            )
        for n, slug, kind in (
            (1, "beskaeftigelse-18-64", "above_baseline"),
            (2, "sigtede-pr-1000", "reduce_by"),
        ):
            if slug not in self.indicators:
                continue
            pk, spec = self.indicators[slug]
            self._criterion(
                {"effort_area_id": self.effort_areas[n]},
                f"indsats-{n + 1}-{slug}",
                f"{spec.name} i {area_name}",
                kind,
                spec.unit,
                self._goal_target(kind, Decimal(0), spec.unit),
                indicator_id=pk,
                population_id=area_population,
                baseline_period=str(self.outline.start.year - 1),
            )

    # -- activities ------------------------------------------------------------

    def _activities(self) -> None:
        o, rng, writer = self.outline, self.rng, self.writer
        plan_end = o.end
        kinds: list[tuple[Archetype, int | None]] = []
        if o.activities >= 8:
            # A homework café run in two places: the parent registers
            # nothing itself, its criteria count both sub-activities.
            kinds = [(ARCHETYPES[0], None), (ARCHETYPES[0], 0), (ARCHETYPES[0], 0)]
        rotation = ROTATION[1:] if kinds else ROTATION
        first = len(kinds)
        while len(kinds) < o.activities:
            turn = rotation[(len(kinds) - first) % len(rotation)]
            kinds.append((ARCHETYPES[turn], None))
        seen: dict[str, int] = {}
        rows = []
        for n, (archetype, parent) in enumerate(kinds):
            seen[archetype.slug] = seen.get(archetype.slug, 0) + 1
            number = seen[archetype.slug]
            slug = archetype.slug if number == 1 else f"{archetype.slug}-{number}"
            name = archetype.name if number == 1 else f"{archetype.name} {number}"
            start = o.start
            if parent is None and rng.random() < 0.25:
                start += datetime.timedelta(days=rng.randint(60, 270))
            end = None
            extended = None
            if parent is None and rng.random() < 0.1:
                end = plan_end - datetime.timedelta(days=365)
            elif parent is None and rng.random() < 0.06:
                extended = plan_end + datetime.timedelta(days=182)
            pk = writer.add(
                Activity,
                plan_id=self.plan,
                effort_area_id=self.effort_areas[archetype.effort_area],
                parent_id=rows[parent][0] if parent is not None else None,
                slug=slug,
                name=name,
                description=f"Fiktiv aktivitet: {archetype.name.lower()}.",
                target_group="",
                start=start if start != o.start else None,
                end=end,
                extended_to=extended,
                order=n,
            )
            rows.append(
                (pk, archetype, parent, start, extended or end or plan_end, slug)
            )
            if rng.random() < 0.3:
                writer.add(
                    Commentary,
                    plan_id=self.plan,
                    activity_id=pk,
                    period="",
                    text="Fiktiv kommentar: aktiviteten kører som planlagt.",
                    author="Benchmark",
                    updated_at=datetime.datetime(
                        o.start.year, 6, 1, tzinfo=datetime.UTC
                    ),
                )
        area_ids = [pk for pk, _, _ in self.areas]
        residents = Residents(rng, writer, self.plan, area_ids, o.participants, o.start)
        generator = ActivityGenerator(rng, writer, residents, self.until)
        parents = {parent for _, _, parent, _, _, _ in rows if parent is not None}
        weights = [
            0.0
            if n in parents or archetype.mode in ("dining", "outreach")
            else archetype.weight * max(1, (min(end, self.until) - start).days)
            for n, (_, archetype, _, start, end, _) in enumerate(rows)
        ]
        budgets = split(o.attendance, weights, rng) if sum(weights) else [0] * len(rows)
        drawn: list[Drawn] = []
        for (pk, archetype, _, start, end, _), budget, weight in zip(
            rows, budgets, weights, strict=True
        ):
            drawn.append(
                Drawn()
                if weight == 0 and archetype.mode not in ("dining", "outreach")
                else generator.run(archetype, pk, start, end, budget)
            )
        for n, (pk, archetype, parent, start, end, slug) in enumerate(rows):
            mine = drawn[n]
            if n in parents:
                for k, (_, _, p, _, _, _) in enumerate(rows):
                    if p == n:
                        mine.unique |= drawn[k].unique
                        mine.courses += drawn[k].courses
            templates = (
                archetype.criteria[:1] if parent is not None else archetype.criteria
            )
            for template in templates:
                self._activity_criterion(pk, slug, template, mine, start, end)

    def _activity_criterion(
        self,
        activity: int,
        slug: str,
        template: CriterionTemplate,
        drawn: Drawn,
        start: D,
        end: D,
    ) -> None:
        rng = self.rng
        owner = {"activity_id": activity}
        ident = f"{slug}-{template.key}"
        target: dict[str, object] = dict(template.target)
        text = template.text[0].upper() + template.text[1:]
        if template.count_of:
            count = drawn.count(template.count_of)
            if template.kind == "every_period":
                number = max(1, round(count * rng.uniform(0.7, 1.1)))
                target = {"at_least": number}
            else:
                span = max(1, (end - start).days)
                done = max(1, (min(end, self.until) - start).days)
                elapsed = min(1.0, max(0.05, done / span))
                number = max(1, round(count * rng.uniform(0.8, 1.3) / elapsed))
                target = {"number": number}
            text = f"Mindst {number} {template.text}"
        elif template.kind == "share_at_least":
            text = f"{_number(target['number'])} {template.text}"
        if template.measure:
            kind = MeasureKind(str(template.measure["kind"]))
            self._criterion(
                owner,
                ident,
                text,
                template.kind,
                MEASURE_UNITS[kind].value,
                target,
                own_defined=True,
                aggregation=template.aggregation,
                unit_label=template.unit_label,
                measure=dict(template.measure),
            )
            return
        low, high = template.reported
        baseline = Decimal(str(round(rng.uniform(low, high), 1)))
        hold = template.kind == "hold_baseline"
        pk = self._criterion(
            owner,
            ident,
            text,
            template.kind,
            template.unit,
            target,
            own_defined=True,
            aggregation=template.aggregation,
            unit_label=template.unit_label,
            baseline_value=baseline if hold else None,
            baseline_period=str(start.year - 1) if hold else "",
        )
        for n, year in enumerate(range(start.year, min(end, self.until).year)):
            value = round(
                rng.uniform(low, high), 1 if template.unit == "percent" else 0
            )
            self.writer.add(
                ReportedValue,
                criterion_id=pk,
                period=str(year),
                period_start=D(year, 1, 1),
                period_end=D(year, 12, 31),
                value=Decimal(str(value)),
                source="Teamets egen opgørelse (fiktiv)",
                order=n,
            )


def _number(value: object) -> str:
    """A target number as the plan loader stores it: plain decimal text."""
    text = format(Decimal(str(value)).normalize(), "f")
    return text
