"""The law's figures for a plan made in a test: an indicator per figure
bound in ``LawFigure``, a nation and a region (``LawReference``), and the
same value every year for each area (residents as of 1 January, the
other figures per calendar year), so that which criteria hold can be read
off the numbers given."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from fremdrift.areastatus.models import LawFigure, LawReference
from fremdrift.core.area_status import FIGURE_UNITS
from fremdrift.plans.models import Plan, Population
from fremdrift.statistics.models import Indicator, Observation

UNITS = {figure: unit.value for figure, unit in FIGURE_UNITS.items()}
# What the thresholds of 2018 and 2021 are measured against: convictions
# of 0.25 % nationally (3 x 0.75 %, 2 x 0.5 %) and an income of 200,000
# kr. in the region (55 %: 110,000 kr., 65 %: 130,000 kr.).
NATIONAL = {"convicted": "0.25"}
REGION = {"income": "200000"}
# Residents as of 1 January of each list's year; the other figures of
# the year before. Lists 2021-2024 are judged, 2025 is the next.
RESIDENT_YEARS = range(2021, 2025)
FIGURE_YEARS = range(2020, 2024)


def _observation(
    indicator: Indicator, population: Population, year: int, value: str, day: bool
) -> Observation:
    if day:
        period, start, end = (
            f"{year}-01-01",
            datetime.date(year, 1, 1),
            datetime.date(year, 1, 1),
        )
    else:
        period = str(year)
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return Observation(
        indicator=indicator,
        population=population,
        period=period,
        period_start=start,
        period_end=end,
        value=value,
    )


def bind_law_figures(plan: Plan, areas: Mapping[str, Mapping[str, str]]) -> None:
    """``areas``: by area slug (a population of ``plan``, made an area if
    missing), each figure's value, the same in every year."""
    indicators = {}
    for order, (figure, unit) in enumerate(UNITS.items()):
        indicator = Indicator.objects.create(
            plan=plan,
            slug=f"law-{figure.replace('_', '-')}",
            name=f"Lovens tal: {figure}",
            unit=unit,
            better="none",
            order=100 + order,
        )
        LawFigure.objects.create(plan=plan, figure=figure, indicator=indicator)
        indicators[figure] = indicator
    populations = {}
    for order, slug in enumerate(areas):
        populations[slug], _created = Population.objects.get_or_create(
            plan=plan,
            slug=slug,
            defaults={"name": slug.title(), "kind": "area", "order": order},
        )
    references = {}
    for scope, name in (("national", "Hele landet"), ("region", "Regionen")):
        references[scope] = Population.objects.create(
            plan=plan, slug=f"law-{scope}", name=name, kind="other", order=90
        )
        LawReference.objects.create(
            plan=plan, scope=scope, population=references[scope]
        )
    rows = []
    for slug, values in areas.items():
        for figure, value in values.items():
            day = figure in ("residents", "non_western")
            years = RESIDENT_YEARS if day else FIGURE_YEARS
            rows += [
                _observation(indicators[figure], populations[slug], y, value, day)
                for y in years
            ]
    for scope, values in (("national", NATIONAL), ("region", REGION)):
        for figure, value in values.items():
            rows += [
                _observation(indicators[figure], references[scope], y, value, False)
                for y in FIGURE_YEARS
            ]
    Observation.objects.bulk_create(rows)
