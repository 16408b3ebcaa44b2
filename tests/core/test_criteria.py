"""Judging criteria: tables of inputs -> outcome and the exact sentence.

Rows named ``seed-...`` reproduce the criteria of the Randers Nordby 2017-21
final evaluation (``/work/shared/seed``); the others pin the boundaries.
"""

from datetime import date
from decimal import Decimal

import pytest

from fremdrift.core.criteria import (
    NO_BASELINE,
    NO_DATA,
    NO_RECORDED_VERDICT,
    CriterionSpecError,
    elapsed_fraction,
    judge,
    point_value,
)
from fremdrift.core.model import (
    NO_TARGET,
    Aggregation,
    Better,
    CriterionKind,
    CriterionSpec,
    DataPoint,
    EveryPeriodTarget,
    Flag,
    JudgementContext,
    NumberTarget,
    Outcome,
    Pace,
    Period,
    Unit,
)
from fremdrift.core.periods import parse_period
from fremdrift.core.targets import target_from_fields

K = CriterionKind
D = Decimal

# The plan has ended: every verdict is final.
ENDED = JudgementContext(
    plan_start=date(2017, 6, 1), plan_end=date(2021, 6, 30), as_of=date(2022, 3, 1)
)
# A running plan of exactly 100 days, judged on day 38: 38 % has elapsed.
RUNNING = JudgementContext(
    plan_start=date(2019, 1, 1), plan_end=date(2019, 4, 11), as_of=date(2019, 2, 8)
)


def pt(code, value, *, flags=(), numerator=None, denominator=None):
    return DataPoint(
        period=parse_period(code),
        value=None if value is None else D(value),
        numerator=None if numerator is None else D(numerator),
        denominator=None if denominator is None else D(denominator),
        flags=frozenset(flags),
    )


# The test tables' names for a target's numbers -> the plan.yaml keys.
TARGET_KEYS = {
    "number": "number",
    "minimum": "min",
    "maximum": "max",
    "relative": "relative",
    "absolute": "absolute",
    "threshold": "threshold",
    "tolerance": "tolerance",
    "relative_tolerance": "relative_tolerance",
}


def spec(kind, unit=Unit.COUNT, *, baseline=None, target=None, **options):
    """A spec; its target is ``target`` or made from the named numbers
    (``every_op="at_least"`` with ``number`` for every_period)."""
    every_op = options.pop("every_op", None)
    fields = {
        key: D(options.pop(name))
        for name, key in TARGET_KEYS.items()
        if name in options
    }
    if every_op is not None:
        fields[every_op] = fields.pop("number")
    return CriterionSpec(
        kind=kind,
        target=target_from_fields(kind, fields) if target is None else target,
        unit=unit,
        baseline=baseline,
        **options,
    )


SHARE = Unit.PERCENT
EACH = Aggregation.EACH
UNDATED = Period(code="", start=date(2016, 1, 1), end=date(2016, 12, 31))

CASES = [
    # -- the seed report ---------------------------------------------------
    pytest.param(
        spec(K.AT_LEAST, number="20", unit_label="forløb"),
        [pt("2017-2021", "11")],
        ENDED,
        Outcome.NOT_ACHIEVED,
        "Ikke opnået: 11 forløb mod et mål på mindst 20.",
        id="seed-familiedage-courses-not-achieved",
    ),
    pytest.param(
        spec(K.AT_LEAST, number="80", unit_label="unge"),
        [pt("2017-2021", "111")],
        ENDED,
        Outcome.ACHIEVED,
        "Opnået: 111 unge mod et mål på mindst 80.",
        id="seed-raadgivning-og-mestring-achieved",
    ),
    pytest.param(
        spec(K.RANGE, minimum="24", maximum="40"),
        [pt("2017-2021", "39")],
        ENDED,
        Outcome.ACHIEVED,
        "Opnået: 39 ligger i intervallet 24-40.",
        id="seed-legepatruljen-range-achieved",
    ),
    pytest.param(
        spec(K.RANGE, minimum="150", maximum="350"),
        [pt("2017-2021", "435")],
        ENDED,
        Outcome.ACHIEVED,
        "Opnået: 435 er over det forventede interval 150-350.",
        id="seed-milife-above-range-maximum-achieved",
    ),
    pytest.param(
        spec(K.REDUCE_BY, SHARE, relative="0.1", baseline=pt("2016", "11")),
        [pt("2020", "8.2")],
        ENDED,
        Outcome.ACHIEVED,
        "Opnået: 8,2 % i 2020 mod højst 9,9 % (baseline 11 % i 2016 reduceret "
        "med 10 %).",
        id="seed-language-difficulties-reduce-by-achieved",
    ),
    pytest.param(
        spec(K.REDUCE_BY, SHARE, relative="0.1", baseline=pt("2016", "7")),
        [pt("2021", "8.6")],
        ENDED,
        Outcome.NOT_ACHIEVED,
        "Ikke opnået: 8,6 % i 2021 er over målet på højst 6,3 % (baseline 7 % "
        "i 2016 reduceret med 10 %).",
        id="seed-nussa-language-reduce-by-not-achieved",
    ),
    pytest.param(
        spec(K.REDUCE_BY, SHARE, relative="0.1", baseline=pt("2016", "15")),
        [pt("2021", "2.1")],
        ENDED,
        Outcome.ACHIEVED,
        "Opnået: 2,1 % i 2021 mod højst 13,5 % (baseline 15 % i 2016 reduceret "
        "med 10 %).",
        id="seed-nussa-social-reduce-by-achieved",
    ),
    pytest.param(
        spec(
            K.REDUCE_BY,
            SHARE,
            relative="0.3333",
            threshold="1.46",
            aggregation=Aggregation.MEAN,
            baseline=DataPoint(period=UNDATED, value=D("2.19")),
        ),
        [
            pt("2017", "1.8"),
            pt("2018", "2.0"),
            pt("2019", "2.2"),
            pt("2020", "1.9"),
            pt("2021", "3.1"),
        ],
        ENDED,
        Outcome.NOT_ACHIEVED,
        "Ikke opnået: gennemsnittet 2,2 % for 2017–2021 er over målet på højst "
        "1,46 % (baseline 2,19 % reduceret med en tredjedel).",
        id="seed-youth-charged-mean-reduce-by-a-third-not-achieved",
    ),
    pytest.param(
        spec(
            K.HOLD_BASELINE,
            SHARE,
            tolerance="1",
            better=Better.LOWER,
            baseline=pt("2015", "14"),
        ),
        [pt("2020", "14.7")],
        ENDED,
        Outcome.ACHIEVED,
        "Opnået: 14,7 % i 2020 mod højst 15 % (baseline 14 % i 2015 plus en "
        "tolerance på 1 procentpoint).",
        id="seed-move-out-hold-baseline-achieved",
    ),
    pytest.param(
        spec(K.BELOW_BASELINE, unit_label="sager", baseline=pt("2014", "57")),
        [pt("2020-07-01..2021-06-30", "53")],
        ENDED,
        Outcome.ACHIEVED,
        "Opnået: 53 sager i perioden 1. juli 2020 – 30. juni 2021 er under "
        "baseline 57 i 2014.",
        id="seed-complaints-below-baseline-achieved",
    ),
    pytest.param(
        spec(K.ABOVE_BASELINE, unit_label="følgere", baseline=pt("2017-06-01", "444")),
        [pt("2021-06-30", "917")],
        ENDED,
        Outcome.ACHIEVED,
        "Opnået: 917 følgere pr. 30. juni 2021 er over baseline 444 pr. 1. juni 2017.",
        id="seed-facebook-above-baseline-achieved",
    ),
    pytest.param(
        spec(K.INCREASE_TO, SHARE, number="43", baseline=pt("2016", "38")),
        [pt("2021", "43")],
        ENDED,
        Outcome.ACHIEVED,
        "Opnået: 43 % i 2021 mod et mål på mindst 43 % (baseline 38 % i 2016).",
        id="seed-employment-18-29-increase-to-exactly-at-threshold",
    ),
    pytest.param(
        spec(K.SHARE_AT_LEAST, SHARE, number="80", aggregation=EACH),
        [pt("2017", "79"), pt("2018", "95"), pt("2019", "89")],
        ENDED,
        Outcome.PARTLY_ACHIEVED,
        "Delvist opnået: 2 af 3 perioder når mindst 80 % (2017: 79 %, "
        "2018: 95 %, 2019: 89 %).",
        id="seed-familiedage-completion-each-period-partly-achieved",
    ),
    pytest.param(
        spec(K.REDUCE_TO, SHARE, number="30", baseline=pt("2011-2015", "40.6")),
        [pt("2017-2021", "37.7")],
        ENDED,
        Outcome.NOT_ACHIEVED,
        "Ikke opnået: 37,7 % i 2017–2021 mod et mål på højst 30 % (baseline "
        "40,6 % i 2011–2015).",
        id="seed-basic-school-only-reduce-to-not-achieved",
    ),
    pytest.param(
        spec(
            K.REDUCE_TO,
            Unit.MEAN,
            number="10",
            unit_label="fraværsdage",
            baseline=pt("2014", "14.2"),
        ),
        [pt("2020/21", "14.3")],
        ENDED,
        Outcome.NOT_ACHIEVED,
        "Ikke opnået: 14,3 fraværsdage i skoleåret 2020/21 mod et mål på højst "
        "10 (baseline 14,2 i 2014).",
        id="seed-absence-mean-reduce-to-not-achieved",
    ),
    pytest.param(
        spec(K.HOLD_BASELINE, better=Better.NONE, baseline=pt("2016", "7")),
        [pt("2021", "7")],
        ENDED,
        Outcome.ACHIEVED,
        "Opnået: 7 i 2021 er lig med baseline 7 i 2016.",
        id="seed-associations-hold-without-tolerance-achieved",
    ),
    pytest.param(
        spec(K.EVERY_PERIOD, number="25", every_op="at_least"),
        [pt("2018", "31"), pt("2019", "27"), pt("2020", "24")],
        ENDED,
        Outcome.PARTLY_ACHIEVED,
        "Delvist opnået: 2 af 3 perioder når mindst 25 (2018: 31, 2019: 27, 2020: 24).",
        id="seed-communal-dining-every-period-partly-achieved",
    ),
    # -- boundaries --------------------------------------------------------
    pytest.param(
        spec(K.AT_LEAST, number="80"),
        [pt("2021", "80")],
        ENDED,
        Outcome.ACHIEVED,
        "Opnået: 80 mod et mål på mindst 80.",
        id="at-least-exactly-at-threshold",
    ),
    pytest.param(
        spec(K.AT_MOST, Unit.PER_1000, number="20"),
        [pt("2021", "20")],
        ENDED,
        Outcome.ACHIEVED,
        "Opnået: 20 pr. 1.000 beboere mod et mål på højst 20 pr. 1.000 beboere.",
        id="at-most-exactly-at-threshold",
    ),
    pytest.param(
        spec(K.AT_MOST, Unit.PER_1000, number="20"),
        [pt("2021", "22.2")],
        ENDED,
        Outcome.NOT_ACHIEVED,
        "Ikke opnået: 22,2 pr. 1.000 beboere mod et mål på højst 20 pr. 1.000 beboere.",
        id="at-most-above-threshold",
    ),
    pytest.param(
        spec(K.REDUCE_BY, SHARE, relative="0.1", baseline=pt("2016", "11")),
        [pt("2020", "9.9")],
        ENDED,
        Outcome.ACHIEVED,
        "Opnået: 9,9 % i 2020 mod højst 9,9 % (baseline 11 % i 2016 reduceret "
        "med 10 %).",
        id="reduce-by-exactly-at-threshold",
    ),
    pytest.param(
        spec(K.REDUCE_BY, SHARE, relative="0.5", baseline=pt("2016", "11")),
        [pt("2020", "5.5")],
        ENDED,
        Outcome.ACHIEVED,
        "Opnået: 5,5 % i 2020 mod højst 5,5 % (baseline 11 % i 2016 reduceret "
        "med halvdelen).",
        id="reduce-by-half-exactly-at-threshold",
    ),
    pytest.param(
        spec(
            K.REDUCE_BY,
            SHARE,
            relative="0.3333",
            baseline=DataPoint(period=UNDATED, value=D("2.19")),
        ),
        [pt("2021", "1.46")],
        ENDED,
        Outcome.ACHIEVED,
        "Opnået: 1,46 % i 2021 mod højst 1,46 % (baseline 2,19 % reduceret med "
        "en tredjedel).",
        id="reduce-by-a-third-exactly-at-threshold",
    ),
    pytest.param(
        spec(K.BELOW_BASELINE, baseline=pt("2014", "57")),
        [pt("2021", "57")],
        ENDED,
        Outcome.NOT_ACHIEVED,
        "Ikke opnået: 57 i 2021 er ikke under baseline 57 i 2014.",
        id="below-baseline-exactly-at-baseline",
    ),
    pytest.param(
        spec(K.ABOVE_BASELINE, baseline=pt("2017", "444")),
        [pt("2021", "444")],
        ENDED,
        Outcome.NOT_ACHIEVED,
        "Ikke opnået: 444 i 2021 er ikke over baseline 444 i 2017.",
        id="above-baseline-exactly-at-baseline",
    ),
    pytest.param(
        spec(K.INCREASE_BY, SHARE, relative="0.1", baseline=pt("2016", "38")),
        [pt("2021", "43")],
        ENDED,
        Outcome.ACHIEVED,
        "Opnået: 43 % i 2021 mod mindst 41,8 % (baseline 38 % i 2016 øget med 10 %).",
        id="increase-by-relative",
    ),
    pytest.param(
        spec(K.INCREASE_BY, SHARE, absolute="5", baseline=pt("2016", "38")),
        [pt("2021", "42")],
        ENDED,
        Outcome.NOT_ACHIEVED,
        "Ikke opnået: 42 % i 2021 er under målet på mindst 43 % (baseline 38 % "
        "i 2016 plus 5 procentpoint).",
        id="increase-by-absolute-percentage-points",
    ),
    pytest.param(
        spec(
            K.HOLD_BASELINE,
            SHARE,
            tolerance="1",
            better=Better.HIGHER,
            baseline=pt("2015", "14"),
        ),
        [pt("2020", "12.9")],
        ENDED,
        Outcome.NOT_ACHIEVED,
        "Ikke opnået: 12,9 % i 2020 er under målet på mindst 13 % (baseline "
        "14 % i 2015 minus en tolerance på 1 procentpoint).",
        id="hold-baseline-higher-beyond-tolerance",
    ),
    pytest.param(
        spec(
            K.HOLD_BASELINE,
            relative_tolerance="0.1",
            better=Better.NONE,
            baseline=pt("2016", "7"),
        ),
        [pt("2021", "7.7")],
        ENDED,
        Outcome.ACHIEVED,
        "Opnået: 7,7 i 2021 ligger inden for intervallet 6,3-7,7 (baseline 7 i "
        "2016 ± 10 %).",
        id="hold-baseline-no-direction-exactly-at-band-edge",
    ),
    pytest.param(
        spec(
            K.HOLD_BASELINE,
            relative_tolerance="0.1",
            better=Better.NONE,
            baseline=pt("2016", "7"),
        ),
        [pt("2021", "6")],
        ENDED,
        Outcome.NOT_ACHIEVED,
        "Ikke opnået: 6 i 2021 ligger uden for intervallet 6,3-7,7 (baseline 7 "
        "i 2016 ± 10 %).",
        id="hold-baseline-no-direction-outside-band",
    ),
    pytest.param(
        spec(K.RANGE, minimum="24", maximum="40"),
        [pt("2017-2021", "40")],
        ENDED,
        Outcome.ACHIEVED,
        "Opnået: 40 ligger i intervallet 24-40.",
        id="range-exactly-at-maximum",
    ),
    pytest.param(
        spec(K.RANGE, minimum="24", maximum="40"),
        [pt("2017-2021", "23")],
        ENDED,
        Outcome.NOT_ACHIEVED,
        "Ikke opnået: 23 er under det forventede interval 24-40.",
        id="range-below-minimum",
    ),
    pytest.param(
        spec(K.AT_LEAST, number="20"),
        [],
        ENDED,
        Outcome.NOT_MEASURABLE,
        NO_DATA,
        id="no-data",
    ),
    pytest.param(
        spec(K.AT_LEAST, number="20"),
        [
            pt("2020", None, flags={Flag.MISSING}),
            pt("2021", "25", flags={Flag.SUPPRESSED}),
            pt("2019", None, flags={Flag.UNREADABLE}),
        ],
        ENDED,
        Outcome.NOT_MEASURABLE,
        NO_DATA,
        id="all-flagged-missing",
    ),
    pytest.param(
        spec(K.REDUCE_BY, SHARE, relative="0.1"),
        [pt("2020", "8.2")],
        ENDED,
        Outcome.NOT_MEASURABLE,
        NO_BASELINE,
        id="missing-baseline",
    ),
    pytest.param(
        spec(
            K.BELOW_BASELINE,
            baseline=pt("2014", None, flags={Flag.MISSING}),
        ),
        [pt("2021", "53")],
        ENDED,
        Outcome.NOT_MEASURABLE,
        NO_BASELINE,
        id="baseline-flagged-missing",
    ),
    pytest.param(
        spec(K.REDUCE_BY, SHARE, relative="0.1", baseline=pt("2016", "11")),
        [pt("2021", None, flags={Flag.MISSING}), pt("2020", "8.2")],
        ENDED,
        Outcome.ACHIEVED,
        "Opnået: 8,2 % i 2020 mod højst 9,9 % (baseline 11 % i 2016 reduceret "
        "med 10 %).",
        id="latest-skips-a-flagged-period",
    ),
    pytest.param(
        spec(K.AT_LEAST, SHARE, number="80"),
        [pt("2017-2021", "90"), pt("2021", "70")],
        ENDED,
        Outcome.NOT_ACHIEVED,
        "Ikke opnået: 70 % i 2021 mod et mål på mindst 80 %.",
        id="latest-prefers-the-period-that-starts-later",
    ),
    pytest.param(
        spec(K.SHARE_AT_LEAST, SHARE, number="80"),
        [pt("2021", None, numerator="20", denominator="25")],
        ENDED,
        Outcome.ACHIEVED,
        "Opnået: 80 % mod et mål på mindst 80 %.",
        id="share-from-numerator-and-denominator-exactly-at-threshold",
    ),
    pytest.param(
        spec(
            K.AT_LEAST, number="40", unit_label="deltagere", aggregation=Aggregation.SUM
        ),
        [pt("2019T1", "10"), pt("2019T2", "20"), pt("2019T3", "15")],
        ENDED,
        Outcome.ACHIEVED,
        "Opnået: 45 deltagere i alt for 2019 mod et mål på mindst 40.",
        id="sum-of-tertials",
    ),
    pytest.param(
        spec(K.EVERY_PERIOD, SHARE, number="10", every_op="at_most"),
        [pt("2018", "9"), pt("2019", "10")],
        ENDED,
        Outcome.ACHIEVED,
        "Opnået: 2 af 2 perioder er på højst 10 % (2018: 9 %, 2019: 10 %).",
        id="every-period-at-most-all-exactly-at-threshold",
    ),
    pytest.param(
        spec(K.EVERY_PERIOD, number="25", every_op="at_least"),
        [pt("2018", "24")],
        ENDED,
        Outcome.NOT_ACHIEVED,
        "Ikke opnået: 0 af 1 periode når mindst 25 (2018: 24).",
        id="every-period-none",
    ),
    pytest.param(
        spec(
            K.QUALITATIVE,
            recorded_outcome=Outcome.ACHIEVED,
            evidence="Fokusgruppeinterview/spørgeskemaundersøgelse viser, at "
            "instruktører og pædagoger oplever positiv forandring inden for "
            "alle fire områder, der blev undersøgt.",
        ),
        [],
        ENDED,
        Outcome.ACHIEVED,
        "Opnået: vurderingen er registreret af teamet på grundlag af "
        "»Fokusgruppeinterview/spørgeskemaundersøgelse viser, at instruktører "
        "og pædagoger oplever positiv forandring inden for …«.",
        id="qualitative-recorded-with-evidence",
    ),
    pytest.param(
        spec(K.QUALITATIVE, evidence="Tilfredshed: alle forældre er tilfredse."),
        [],
        ENDED,
        Outcome.NOT_MEASURABLE,
        NO_RECORDED_VERDICT,
        id="qualitative-without-recorded-verdict",
    ),
    # -- a running plan ----------------------------------------------------
    pytest.param(
        spec(K.AT_LEAST, number="100", unit_label="forløb"),
        [pt("2019-01-01..2019-02-08", "40")],
        RUNNING,
        Outcome.PENDING,
        "I gang: 40 af 100 forløb; i rute mod 38 forventet pr. 8. februar 2019.",
        id="pace-on-track",
    ),
    pytest.param(
        spec(K.AT_LEAST, number="100", unit_label="forløb"),
        [pt("2019-01-01..2019-02-08", "38")],
        RUNNING,
        Outcome.PENDING,
        "I gang: 38 af 100 forløb; i rute mod 38 forventet pr. 8. februar 2019.",
        id="pace-exactly-on-expected",
    ),
    pytest.param(
        spec(K.AT_LEAST, number="100", unit_label="forløb"),
        [pt("2019-01-01..2019-02-08", "30")],
        RUNNING,
        Outcome.PENDING,
        "I gang: 30 af 100 forløb; bagud mod 38 forventet pr. 8. februar 2019.",
        id="pace-off-track",
    ),
    pytest.param(
        spec(K.RANGE, minimum="150", maximum="350", unit_label="deltagere"),
        [pt("2019-01-01..2019-02-08", "50")],
        RUNNING,
        Outcome.PENDING,
        "I gang: 50 af 150-350 deltagere; bagud mod 57 forventet pr. 8. februar 2019.",
        id="pace-range-off-track",
    ),
    pytest.param(
        spec(K.AT_LEAST, number="100", unit_label="forløb"),
        [pt("2019-01-01..2019-02-08", "100")],
        RUNNING,
        Outcome.ACHIEVED,
        "Opnået: 100 forløb mod et mål på mindst 100.",
        id="running-count-already-at-target-is-achieved",
    ),
    pytest.param(
        spec(K.AT_LEAST, number="100", unit_label="forløb"),
        [pt("2019-01-21..2019-02-08", "10")],
        JudgementContext(
            plan_start=date(2019, 1, 21),
            plan_end=date(2019, 4, 11),
            as_of=date(2019, 2, 8),
        ),
        Outcome.PENDING,
        "I gang: 10 af 100 forløb; bagud mod 23 forventet pr. 8. februar 2019.",
        id="pace-for-an-activity-that-starts-mid-plan",
    ),
    pytest.param(
        spec(K.REDUCE_BY, SHARE, relative="0.1", baseline=pt("2016", "11")),
        [pt("2018", "9")],
        RUNNING,
        Outcome.PENDING,
        "I gang: 9 % i 2018 mod højst 9,9 % (baseline 11 % i 2016 reduceret med "
        "10 %); i rute pr. 8. februar 2019.",
        id="running-level-on-track",
    ),
    pytest.param(
        spec(K.SHARE_AT_LEAST, SHARE, number="80"),
        [pt("2018", "79")],
        RUNNING,
        Outcome.PENDING,
        "I gang: 79 % mod et mål på mindst 80 %; bagud pr. 8. februar 2019.",
        id="running-share-off-track",
    ),
    pytest.param(
        spec(K.SHARE_AT_LEAST, SHARE, number="80", aggregation=EACH),
        [pt("2017", "85"), pt("2018", "95")],
        RUNNING,
        Outcome.PENDING,
        "I gang: 2 af 2 perioder når mindst 80 % (2017: 85 %, 2018: 95 %); i "
        "rute pr. 8. februar 2019.",
        id="running-each-on-track",
    ),
]


@pytest.mark.parametrize(("spec_", "series", "context", "outcome", "sentence"), CASES)
def test_judge_gives_outcome_and_sentence(spec_, series, context, outcome, sentence):
    verdict = judge(spec_, series, context)
    assert verdict.outcome is outcome
    assert verdict.explanation == sentence


def test_range_criterion_is_achieved_above_its_maximum_with_a_remark():
    verdict = judge(
        spec(K.RANGE, minimum="150", maximum="350"), [pt("2017-2021", "435")], ENDED
    )
    assert verdict.outcome is Outcome.ACHIEVED
    assert verdict.remarks == (
        "Resultatet 435 ligger over det forventede interval 150-350; det tæller "
        "som opnået, fordi minimum er nået.",
    )


def test_printed_threshold_that_disagrees_is_remarked_and_not_used():
    verdict = judge(
        spec(
            K.REDUCE_BY,
            SHARE,
            relative="0.1",
            threshold="9.5",
            baseline=pt("2016", "11"),
        ),
        [pt("2020", "9.7")],
        ENDED,
    )
    assert verdict.outcome is Outcome.ACHIEVED
    assert verdict.threshold == D("9.9")
    assert verdict.remarks == (
        "Den trykte tærskel 9,5 % stemmer ikke med den beregnede 9,9 %; "
        "kriteriet er bedømt mod den beregnede.",
    )


def test_printed_threshold_that_agrees_at_its_precision_gives_no_remark():
    verdict = judge(
        spec(
            K.REDUCE_BY,
            SHARE,
            relative="0.3333",
            threshold="1.46",
            baseline=pt("2016", "2.19"),
        ),
        [pt("2021", "3.1")],
        ENDED,
    )
    assert verdict.threshold == D("1.46")
    assert verdict.remarks == ()


def test_verdict_carries_exact_numbers_and_per_period_outcomes():
    verdict = judge(
        spec(K.SHARE_AT_LEAST, SHARE, number="80", aggregation=EACH),
        [pt("2019", "89"), pt("2017", "79"), pt("2018", "95")],
        ENDED,
    )
    assert verdict.judged_value == D("89")
    assert verdict.threshold == D("80")
    assert verdict.period_outcomes == (
        ("2017", Outcome.NOT_ACHIEVED),
        ("2018", Outcome.ACHIEVED),
        ("2019", Outcome.ACHIEVED),
    )


def test_pace_carries_the_expected_value():
    verdict = judge(
        spec(K.AT_LEAST, number="100"), [pt("2019-01-01..2019-02-08", "40")], RUNNING
    )
    assert verdict.pace is Pace.ON_TRACK
    assert verdict.expected == D("38")


def test_mean_is_exact_before_rounding_for_display():
    verdict = judge(
        spec(K.AT_MOST, SHARE, number="1.47", aggregation=Aggregation.MEAN),
        [pt("2019", "1"), pt("2020", "1.4"), pt("2021", "2")],
        ENDED,
    )
    # 4.4 / 3 = 1.4666...: below 1.47 although it is shown as 1,47.
    assert verdict.outcome is Outcome.ACHIEVED
    assert verdict.explanation == (
        "Opnået: gennemsnittet 1,47 % for 2019–2021 mod et mål på højst 1,47 %."
    )


@pytest.mark.parametrize(
    ("point", "expected"),
    [
        pytest.param(pt("2021", "8.2"), D("8.2"), id="value"),
        pytest.param(pt("2021", None, numerator="1", denominator="3"), None, id="x"),
        pytest.param(
            pt("2021", None, numerator="0", denominator="0"), None, id="zero-den"
        ),
        pytest.param(pt("2021", "5", flags={Flag.DERIVED}), D("5"), id="derived"),
        pytest.param(pt("2021", "5", flags={Flag.SUPPRESSED}), None, id="suppressed"),
    ],
)
def test_point_value(point, expected):
    value = point_value(point, Unit.COUNT)
    assert value == expected


def test_point_value_of_a_share_from_its_counts():
    value = point_value(pt("2021", None, numerator="1", denominator="8"), SHARE)
    assert value == D("12.5")


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        pytest.param(date(2018, 12, 1), 0, id="before-start"),
        pytest.param(date(2019, 1, 1), 0, id="on-start"),
        pytest.param(date(2019, 2, 8), D("0.38"), id="mid"),
        pytest.param(date(2019, 4, 11), 1, id="on-end"),
        pytest.param(date(2020, 1, 1), 1, id="after-end"),
    ],
)
def test_elapsed_fraction(as_of, expected):
    fraction = elapsed_fraction(date(2019, 1, 1), date(2019, 4, 11), as_of)
    assert fraction == expected


@pytest.mark.parametrize(
    ("bad_spec", "message"),
    [
        pytest.param(
            spec(K.AT_LEAST, target=NO_TARGET),
            "at_least criterion takes a NumberTarget, not a NoTarget",
            id="wrong-target-type",
        ),
        pytest.param(
            spec(K.AT_LEAST, target=NumberTarget(D("NaN"))),
            "target.number of a at_least criterion is NaN",
            id="not-finite",
        ),
        pytest.param(
            spec(K.RANGE, minimum="40", maximum="24"), "maximum is below", id="range"
        ),
        pytest.param(
            spec(K.EVERY_PERIOD, target=EveryPeriodTarget("exactly", D(2))),
            "needs target.op 'at_least' or 'at_most'",
            id="every-op",
        ),
        pytest.param(
            spec(
                K.INCREASE_BY,
                relative="0.1",
                absolute="5",
                baseline=pt("2016", "1"),
            ),
            "exactly one of",
            id="increase-by-both",
        ),
    ],
)
def test_a_target_that_does_not_fit_its_kind_is_refused(bad_spec, message):
    with pytest.raises(CriterionSpecError, match=message):
        judge(bad_spec, [pt("2021", "1")], ENDED)
