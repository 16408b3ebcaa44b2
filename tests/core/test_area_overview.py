"""The law's statuses across the country, in the core: areas counted once
per list under their headline status, and the next list's criteria
nearest their thresholds in percentage points, in either direction."""

from __future__ import annotations

from decimal import Decimal

import pytest

from fremdrift.core.area_forecast import next_list_outlook
from fremdrift.core.area_overview import (
    distance_text,
    limit_text,
    nearest_crossings,
    status_counts,
    value_text,
)
from fremdrift.core.area_status import AreaFigures, rule_versions, status_history
from fremdrift.core.i18n import use_language

VERSIONS = rule_versions()
TODAY = VERSIONS[-1]


def figures(
    residents: int = 1500, base: int | None = None, **values: str
) -> AreaFigures:
    """One area with the same figure every year: residents and origin as
    of 1 January 2021-2024, the rest 2020-2023."""
    series: dict[str, dict[int, Decimal]] = {
        "residents": {y: Decimal(residents) for y in range(2021, 2025)}
    }
    for figure, value in values.items():
        years = range(2021, 2025) if figure == "non_western" else range(2020, 2024)
        series[figure] = {y: Decimal(value) for y in years}
    if base is not None:
        series["population_18_64"] = {2023: Decimal(base)}
    return AreaFigures(
        values=series,
        national={"convicted": {y: Decimal("0.25") for y in range(2020, 2024)}},
        region={"income": {y: Decimal(200000) for y in range(2020, 2024)}},
    )


def outlook_of(area: AreaFigures):  # type: ignore[no-untyped-def]
    history = status_history(VERSIONS, area, range(2021, 2025))
    return next_list_outlook(TODAY, area, 2025, history[-1]), history


PARALLEL = {
    "non_western": "60",
    "without_attachment": "45",
    "convicted": "0.9",
    "basic_schooling": "65",
    "income": "100000",
}


def test_each_area_is_counted_once_under_its_headline_status() -> None:
    _o, parallel = outlook_of(figures(**PARALLEL))
    _o, small = outlook_of(figures(residents=999, **PARALLEL))
    counts = status_counts([parallel, small], VERSIONS)
    keys = [key for key, _name in counts.columns]
    assert keys == [
        "transformation",
        "parallel",
        "udsat",
        "prevention",
        "none",
        "undecided",
    ]
    # 2021 averages 2019, which is missing: the parallelsamfund is decided
    # on the criteria of one year already; 999 residents is under 1,000.
    assert dict(counts.rows)[2024] == (0, 1, 0, 0, 1, 0)
    assert sum(dict(counts.rows)[2021]) == 2


@pytest.mark.parametrize(
    ("key", "points", "toward"),
    [
        # A share: its distance in percentage points.
        ("without_attachment", 5.0, False),
        # 0.9 % convicted against 3 x 0.25 %: 0.15 points, and met.
        ("convicted", 0.15, False),
        # The income's threshold is 55 % of the region's 200,000 kr.:
        # 100,000 kr. is 5 points of the region's income below it.
        ("income", 5.0, False),
        # 60 % against the forebyggelsesområde's 30 %: 30 points.
        ("prevention_non_western", 30.0, False),
    ],
)
def test_the_distance_is_in_percentage_points(
    key: str, points: float, toward: bool
) -> None:
    outlook, history = outlook_of(figures(**PARALLEL))
    crossings = nearest_crossings([("a", outlook, history[-1])], n=100)
    found = next(c for c in crossings if c.outlook.rule.key == key)
    assert found.points == pytest.approx(points)
    assert found.toward_list is toward


def test_a_criterion_not_met_is_close_to_coming_onto_the_list() -> None:
    outlook, history = outlook_of(figures(**{**PARALLEL, "without_attachment": "39.5"}))
    crossings = nearest_crossings([("a", outlook, history[-1])], n=100)
    found = next(c for c in crossings if c.outlook.rule.key == "without_attachment")
    assert found.toward_list is True
    assert found.direction == "tæt på at komme på listen"
    assert found.points == pytest.approx(0.5)


def test_nearest_first_ties_in_the_areas_order_then_the_criteria() -> None:
    first, h1 = outlook_of(figures(**PARALLEL))
    second, h2 = outlook_of(figures(**{**PARALLEL, "convicted": "0.8"}))
    crossings = nearest_crossings(
        [("first", first, h1[-1]), ("second", second, h2[-1])], n=4
    )
    assert [(c.area, c.outlook.rule.key) for c in crossings] == [
        ("second", "convicted"),  # 0.05
        ("first", "convicted"),  # 0.15
        ("second", "prevention_convicted"),  # 0.3
        ("first", "prevention_convicted"),  # 0.4
    ]


def test_small_areas_and_unknown_figures_are_no_candidates() -> None:
    small, history = outlook_of(figures(residents=999, **PARALLEL))
    assert nearest_crossings([("small", small, history[-1])]) == []
    # Without the income, no threshold: the other criteria remain.
    partial = {k: v for k, v in PARALLEL.items() if k != "income"}
    outlook, history = outlook_of(figures(**partial))
    keys = {c.outlook.rule.key for c in nearest_crossings([("a", outlook, None)], 100)}
    assert "income" not in keys and "without_attachment" in keys


def test_the_texts_follow_the_language_and_discretion() -> None:
    outlook, history = outlook_of(
        figures(base=100, **{**PARALLEL, "without_attachment": "40.5"})
    )
    found = next(
        c
        for c in nearest_crossings([("a", outlook, history[-1])], n=100)
        if c.outlook.rule.key == "without_attachment"
    )
    # 0.5 points of 100 persons: one person.
    assert found.persons == 1
    assert distance_text(found) == "0,5 procentpoint (1 person)"
    assert distance_text(found, threshold=5) == ("0,5 procentpoint (under 5 personer)")
    assert value_text(found) == "40,5 %"
    assert limit_text(found) == "over 40 %"
    with use_language("en"):
        assert distance_text(found) == "0.5 percentage points (1 person)"
        assert limit_text(found) == "above 40%"
