"""How much a generated benchmark data set holds: ``national`` is every
plan Landsbyggefonden funds at one time, ``small`` about 1.5 % of it for
tests and quick runs."""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Scale:
    """The size of a generated data set.

    ``plans``, ``areas``, ``activities`` and ``participants`` are exact;
    ``attendance`` and ``responses`` are what the generator aims at (the
    drawn groups, drop-outs and holidays land within a few per cent of
    them). ``indicators`` is per plan, each observed for ``years`` years
    for every population of the plan.
    """

    name: str
    plans: int
    areas: int
    indicators: int
    years: int
    activities: int
    participants: int
    attendance: int
    responses: int


SCALES: dict[str, Scale] = {
    "national": Scale(
        name="national",
        plans=80,
        areas=250,
        indicators=40,
        years=15,
        activities=1_200,
        participants=150_000,
        attendance=2_000_000,
        responses=200_000,
    ),
    "small": Scale(
        name="small",
        plans=3,
        areas=8,
        indicators=8,
        years=15,
        activities=36,
        participants=2_400,
        attendance=30_000,
        responses=3_000,
    ),
}

# Registrations are generated up to this day, and the benchmark judges as
# of it: a fixed day keeps every run's data and verdicts the same.
UNTIL = datetime.date(2026, 10, 31)
