"""The residents of the demo registrations: households, people and
families, drawn with their codes, and how participants are picked among
them (the more engaged more likely)."""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass

from fremdrift.registrations.models import CODE_ALPHABET

from .calendar import DAY, WEEK


@dataclass(eq=False)
class _Household:
    code: str
    area: str | None
    moved_on: datetime.date | None


@dataclass(eq=False)
class _Person:
    code: str
    initials: str
    birth_year: int
    sex: str
    area: str | None
    household: _Household | None
    moved_on: datetime.date | None
    engagement: float
    adult: bool
    children: tuple[int, ...] = ()

    def age(self, day: datetime.date) -> int:
        return day.year - self.birth_year

    def here_on(self, day: datetime.date) -> bool:
        return self.moved_on is None or self.moved_on > day


@dataclass(eq=False)
class _Family:
    household: _Household
    parents: list[_Person]
    children: list[_Person]


class _Residents:
    """Draws the residents and picks participants among them; the base of
    ``activities._Generator``, sharing its random generator."""

    def __init__(self, rng: random.Random, areas: list[str]) -> None:
        self.rng = rng
        self.areas = areas
        self.codes: set[str] = set()
        self.people: list[_Person] = []
        self.families: list[_Family] = []

    # -- people ------------------------------------------------------------

    def _code(self, prefix: str) -> str:
        while True:
            code = prefix + "-" + "".join(self.rng.choices(CODE_ALPHABET, k=6))
            if code not in self.codes:
                self.codes.add(code)
                return code

    def _initials(self) -> str:
        if self.rng.random() < 0.25:
            return ""
        letters = "ABDEFHIJKLMNORSTY"
        return f"{self.rng.choice(letters)}.{self.rng.choice(letters)}."

    def _area(self) -> str | None:
        if not self.areas:
            return None
        # The first area is the largest, the last the smallest.
        weights = [len(self.areas) - i for i in range(len(self.areas))]
        return self.rng.choices(self.areas, weights)[0]

    def _moved_on(
        self, start: datetime.date, end: datetime.date
    ) -> datetime.date | None:
        if self.rng.random() >= 0.25:
            return None
        return start + DAY * self.rng.randrange((end - start).days)

    def _person(
        self,
        birth_year: int,
        sex: str,
        household: _Household | None,
        area: str | None,
        moved_on: datetime.date | None,
        engagement: float,
        adult: bool,
    ) -> _Person:
        person = _Person(
            code=self._code("D"),
            initials=self._initials(),
            birth_year=birth_year,
            sex=sex if self.rng.random() > 0.03 else "",
            area=area,
            household=household,
            moved_on=moved_on,
            engagement=engagement,
            adult=adult,
        )
        self.people.append(person)
        return person

    def residents(self, start: datetime.date, end: datetime.date) -> None:
        """Families with one or two parents and one to four children, young
        people on their own and older residents; about one in four
        households moves away during the plan."""
        rng = self.rng
        for _ in range(260):
            household = _Household(self._code("H"), self._area(), None)
            household.moved_on = self._moved_on(start, end)
            engagement = rng.lognormvariate(0, 0.5)
            n_children = rng.choices((1, 2, 3, 4), (30, 35, 22, 13))[0]
            youngest = rng.randint(2009, 2022)
            births = sorted(
                {youngest - rng.randint(0, 2 * i) for i in range(n_children)}
            )
            parent_year = births[0] - rng.randint(20, 36)
            one_parent = rng.random() < 0.55
            parents = [
                self._person(
                    parent_year,
                    "f" if one_parent and rng.random() < 0.8 else "m",
                    household,
                    household.area,
                    household.moved_on,
                    engagement,
                    True,
                )
            ]
            if not one_parent:
                parents[0].sex = "m"
                parents.insert(
                    0,
                    self._person(
                        parent_year + rng.randint(-3, 3),
                        "f",
                        household,
                        household.area,
                        household.moved_on,
                        engagement,
                        True,
                    ),
                )
            children = [
                self._person(
                    year,
                    rng.choice("fm"),
                    household,
                    household.area,
                    household.moved_on,
                    engagement,
                    False,
                )
                for year in births
            ]
            for parent in parents:
                parent.children = tuple(births)
            self.families.append(_Family(household, parents, children))
        for _ in range(140):
            young = rng.random() < 0.5
            self._person(
                rng.randint(2002, 2008) if young else rng.randint(1946, 1990),
                rng.choice("fm"),
                None,
                self._area(),
                self._moved_on(start, end),
                rng.lognormvariate(0, 0.5),
                True,
            )

    def _pick(self, candidates: Sequence[_Person], k: int) -> list[_Person]:
        """``k`` of the candidates, the more engaged more likely (weighted
        sampling without replacement, Efraimidis-Spirakis)."""
        keyed = [
            (self.rng.random() ** (1.0 / person.engagement), n)
            for n, person in enumerate(candidates)
        ]
        keyed.sort(reverse=True)
        return [candidates[n] for _, n in keyed[:k]]

    def _people(
        self,
        day: datetime.date,
        age_min: int,
        age_max: int,
        k: int,
        taken: set[_Person],
        keep: Sequence[_Person] = (),
        keep_share: float = 0.0,
        *,
        parents: bool = False,
    ) -> list[_Person]:
        """``k`` residents of the age band on ``day``, still living in the
        area a few weeks on (with ``parents``: parents of a child under 16);
        about ``keep_share`` of ``keep`` (last term's group) come back
        first."""
        soon = day + 3 * WEEK

        def fits(person: _Person) -> bool:
            return (
                person not in taken
                and age_min <= person.age(day) <= age_max
                and person.here_on(soon)
                and (
                    not parents
                    or any(0 <= day.year - year <= 15 for year in person.children)
                )
            )

        chosen = [p for p in keep if fits(p) and self.rng.random() < keep_share][:k]
        taken.update(chosen)
        pool = [p for p in self.people if fits(p)]
        chosen += self._pick(pool, k - len(chosen))
        taken.update(chosen)
        return chosen
