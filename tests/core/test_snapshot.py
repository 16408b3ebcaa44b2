"""An issued report's snapshot under discretion: hidden observations and
judged values kept as "<5", old exact snapshots put under discretion, and
a value withheld from one side not listed as changed."""

from __future__ import annotations

from decimal import Decimal

from fremdrift.core.snapshot import (
    DISCRETION_KEY,
    PersonIndicators,
    legacy_snapshot_shown,
    observations_shown,
    snapshot_changes,
)

PLACED = PersonIndicators(
    additive={"placed": True}, totals=(("begge", ("nord", "syd")),)
)
OBSERVATIONS = {
    "placed/nord/2022": "3",
    "placed/syd/2022": "7",
    "placed/begge/2022": "10",
    "placed/nord/2020/21": "12",
    "employment/nord/2022": "2.5",
}


def test_a_small_part_hides_the_next_part_of_its_total_and_nothing_else() -> None:
    shown = observations_shown(OBSERVATIONS, PLACED, 5)
    assert shown == {
        "placed/nord/2022": "<5",
        # 10 - 3 would give 7 back, and 10 - 7 the 3.
        "placed/syd/2022": "<5",
        "placed/begge/2022": "10",
        # A period code with a slash is one period.
        "placed/nord/2020/21": "12",
        # Not a count of persons.
        "employment/nord/2022": "2.5",
    }


def test_a_small_numerator_hides_its_observation() -> None:
    shown = observations_shown(
        {"placed/nord/2022": "40"},
        PersonIndicators(additive={"placed": False}),
        5,
        numerators={"placed/nord/2022": Decimal(2)},
    )
    assert shown == {"placed/nord/2022": "<5"}


def test_an_exact_snapshot_is_shown_under_discretion() -> None:
    exact = {
        "criteria": {
            "children": {"achieved": 3, "verdict": "not_achieved", "pace": None},
            "families": {"achieved": 12, "verdict": "achieved", "pace": None},
            "share": {"achieved": 2.5, "verdict": "achieved", "pace": None},
        },
        "observations": OBSERVATIONS,
    }
    shown = legacy_snapshot_shown(
        exact, person_criteria=["children", "families"], persons=PLACED, threshold=5
    )
    assert shown["criteria"] == {
        "children": {"achieved": "<5", "verdict": "not_achieved", "pace": None},
        # Not small, but perhaps a sum or a change of hidden counts.
        "families": {"verdict": "achieved", "pace": None},
        "share": {"achieved": 2.5, "verdict": "achieved", "pace": None},
    }
    assert shown["observations"]["placed/syd/2022"] == "<5"
    assert shown[DISCRETION_KEY] == {"threshold": 5}


def test_a_withheld_value_is_not_listed_as_changed_but_a_verdict_is() -> None:
    before = {"criteria": {"families": {"verdict": "achieved", "pace": None}}}
    after = {
        "criteria": {
            "families": {"achieved": 14, "verdict": "not_achieved", "pace": None}
        }
    }
    changes = snapshot_changes(before, after)
    assert [(c.field, c.before, c.after) for c in changes] == [
        ("verdict", "achieved", "not_achieved")
    ]
