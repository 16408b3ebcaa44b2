"""The bundled Randers Nordby 2017-21 plan, end to end."""

from __future__ import annotations

import datetime

import pytest

from fremdrift.core.model import Outcome
from fremdrift.evaluation.selectors import plan_judged_criteria

pytestmark = pytest.mark.django_db

AFTER_THE_PLAN = datetime.date(2022, 6, 1)

# Where fremdrift's verdict differs from the printed one, and why. Every
# other criterion with a printed verdict must agree with it.
KNOWN_DISAGREEMENTS = {
    # The achieved figure is unreadable in the source ("9%"); the report
    # says achieved, fremdrift cannot judge an unreadable number.
    "fp-fravaer-moeder": Outcome.NOT_MEASURABLE,
}


def test_every_printed_verdict_is_reproduced(randers) -> None:  # type: ignore[no-untyped-def]
    judged = plan_judged_criteria(plan=randers, as_of=AFTER_THE_PLAN)
    printed = [j for j in judged if j.criterion.reported_outcome is not None]
    assert len(printed) >= 70

    disagreements = {
        j.criterion.ident: j.verdict.outcome
        for j in printed
        if j.verdict.outcome != j.criterion.reported_outcome
    }

    assert disagreements == KNOWN_DISAGREEMENTS


@pytest.mark.parametrize(
    ("ident", "outcome", "sentence_part"),
    [
        (
            "fp-moedre-forloeb",
            Outcome.NOT_ACHIEVED,
            "11 forløb mod et mål på mindst 20",
        ),
        ("ub-milife-deltagere", Outcome.ACHIEVED, "150-350"),
        ("kp-sigtede-10-17", Outcome.NOT_ACHIEVED, "1,46 %"),
        ("tt-klagesager", Outcome.ACHIEVED, "53"),
        ("tt-formidling-facebook", Outcome.ACHIEVED, "917"),
        ("fp-moedre-gennemfoerelse", Outcome.PARTLY_ACHIEVED, "2017: 79 %"),
    ],
)
def test_seed_criteria_are_judged_with_their_numbers(
    randers, ident: str, outcome: Outcome, sentence_part: str
) -> None:  # type: ignore[no-untyped-def]
    judged = {
        j.criterion.ident: j
        for j in plan_judged_criteria(plan=randers, as_of=AFTER_THE_PLAN)
    }
    verdict = judged[ident].verdict
    assert verdict.outcome == outcome
    assert sentence_part in verdict.explanation


def test_extended_activities_are_judged_over_their_extension(randers) -> None:  # type: ignore[no-untyped-def]
    extended = dict(
        randers.activities.filter(extended_to__isnull=False).values_list(
            "slug", "extended_to"
        )
    )
    assert set(extended.values()) == {datetime.date(2021, 12, 31)}
    assert len(extended) == 2
