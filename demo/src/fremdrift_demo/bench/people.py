"""A generated plan's residents who register: families (one or two parents
with their children, a household each) and people living alone, with a
birth year, sex, area and an engagement that makes some come back term
after term; and picking a small group of them for a course."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from fremdrift.registrations.models import CODE_ALPHABET, Household, Participant

from .writer import BulkWriter

INITIALS = "ABDEFGHIJKLMNOPRSTUVY"


@dataclass(eq=False, slots=True)
class Person:
    """One participant row, as the generator needs it."""

    pk: int
    birth_year: int | None
    area_id: int | None
    engagement: float
    family: Family | None = None


@dataclass(eq=False, slots=True)
class Family:
    household: int
    parents: list[Person] = field(default_factory=list)
    children: list[Person] = field(default_factory=list)


class Residents:
    """The plan's ``count`` participants, written as they are drawn."""

    def __init__(
        self,
        rng: random.Random,
        writer: BulkWriter,
        plan_id: int,
        area_ids: Sequence[int],
        count: int,
        registered: datetime.date,
    ) -> None:
        self.rng = rng
        self.writer = writer
        self.plan_id = plan_id
        self.area_ids = area_ids
        self.codes: set[str] = set()
        self.created_at = datetime.datetime.combine(
            registered, datetime.time(9), tzinfo=datetime.UTC
        )
        self.people: list[Person] = []
        self.families: list[Family] = []
        self.by_year: dict[int, list[Person]] = defaultdict(list)
        self._draw(count)

    def _code(self, prefix: str) -> str:
        while True:
            code = prefix + "-" + "".join(self.rng.choices(CODE_ALPHABET, k=6))
            if code not in self.codes:
                self.codes.add(code)
                return code

    def _area(self) -> int | None:
        # A few have no area recorded (moved away, or never asked).
        if self.rng.random() < 0.03:
            return None
        return self.rng.choice(self.area_ids)

    def _person(
        self, birth_year: int, household: int | None, area: int | None, engaged: float
    ) -> Person:
        rng = self.rng
        year = None if rng.random() < 0.02 else birth_year
        person = Person(0, year, area, engaged)
        person.pk = self.writer.add(
            Participant,
            plan_id=self.plan_id,
            code=self._code("D"),
            initials=rng.choice(INITIALS) + "." + rng.choice(INITIALS) + ".",
            birth_year=year,
            sex=rng.choices("fmx", (49, 49, 2))[0],
            area_id=area,
            household_id=household,
            created_at=self.created_at,
        )
        self.people.append(person)
        if year is not None:
            self.by_year[year].append(person)
        return person

    def _draw(self, count: int) -> None:
        rng = self.rng
        while len(self.people) < count:
            engaged = rng.lognormvariate(0, 0.6)
            if rng.random() < 0.42:
                area = self._area()
                household = self.writer.add(
                    Household, plan_id=self.plan_id, code=self._code("H"), area_id=area
                )
                family = Family(household)
                parent_year = rng.randint(1968, 1996)
                for n in range(1 if rng.random() < 0.35 else 2):
                    if len(self.people) < count:
                        family.parents.append(
                            self._person(parent_year + n, household, area, engaged)
                        )
                first = max(parent_year + 20, 2004)
                for _ in range(rng.choices((1, 2, 3, 4), (30, 38, 22, 10))[0]):
                    if len(self.people) < count:
                        family.children.append(
                            self._person(
                                rng.randint(first, 2022), household, area, engaged
                            )
                        )
                for person in family.parents + family.children:
                    person.family = family
                self.families.append(family)
            else:
                band = rng.random()
                if band < 0.3:
                    year = rng.randint(1997, 2010)
                elif band < 0.8:
                    year = rng.randint(1955, 1996)
                else:
                    year = rng.randint(1930, 1962)
                self._person(year, None, self._area(), engaged)

    def pick(
        self,
        year: int,
        ages: tuple[int, int],
        k: int,
        taken: set[Person],
        keep: Sequence[Person] = (),
        keep_share: float = 0.0,
    ) -> list[Person]:
        """``k`` residents aged ``ages`` in ``year``, not in ``taken``; about
        ``keep_share`` of ``keep`` (last term's group) first, then the more
        engaged more likely."""
        rng = self.rng
        low, high = year - ages[1], year - ages[0]

        def fits(person: Person) -> bool:
            return (
                person not in taken
                and person.birth_year is not None
                and low <= person.birth_year <= high
            )

        chosen = [p for p in keep if rng.random() < keep_share and fits(p)][:k]
        taken.update(chosen)
        pool = [
            p
            for birth in range(low, high + 1)
            for p in self.by_year.get(birth, ())
            if p not in taken
        ]
        if len(pool) > 3 * k:
            pool = rng.sample(pool, 3 * k)
        keyed = sorted(
            pool, key=lambda p: rng.random() ** (1.0 / p.engagement), reverse=True
        )
        chosen += keyed[: k - len(chosen)]
        taken.update(chosen)
        return chosen

    def families_with_children(
        self, year: int, ages: tuple[int, int], k: int, taken: set[Person]
    ) -> list[Family]:
        """``k`` families with a child aged ``ages`` in ``year``."""
        low, high = year - ages[1], year - ages[0]
        pool = [
            f
            for f in self.families
            if f.parents
            and f.parents[0] not in taken
            and any(
                c.birth_year is not None and low <= c.birth_year <= high
                for c in f.children
            )
        ]
        if len(pool) > 3 * k:
            pool = self.rng.sample(pool, 3 * k)
        pool.sort(
            key=lambda f: self.rng.random() ** (1.0 / f.parents[0].engagement),
            reverse=True,
        )
        chosen = pool[:k]
        for family in chosen:
            taken.update(family.parents + family.children)
        return chosen
