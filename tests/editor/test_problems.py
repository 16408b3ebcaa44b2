"""Every problem the plan folder's reader and schema give has its Danish
sentence (planfiles.problems_da): each case below breaks a small, valid
plan folder in one way, reads it with the reader ``fremdrift load`` uses,
and asserts that every problem found is put in Danish, none through the
fallback that keeps the English text."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from fremdrift.base.yamlio import dump_yaml
from fremdrift.planfiles.errors import PlanFileError, Problem
from fremdrift.planfiles.problems_da import MESSAGES, danish_message, sentence_of
from fremdrift.planfiles.reader import read_plan_folder

Data = dict[str, Any]

HEADER = "indicator,population,period,value,numerator,denominator,note,flags"


def _base() -> Data:
    activity = {
        "slug": "cafe",
        "name": "Café",
        "start": "2026-01-01",
        "end": "2026-12-31",
        "criteria": [
            {
                "id": "cafe-boern",
                "text": "Mindst 40 børn",
                "kind": "at_least",
                "unit": "count",
                "target": 40,
                "values": [{"period": "2026", "value": 44}],
            }
        ],
    }
    return {
        "format": "fremdrift-plan/1",
        "plan": {
            "slug": "nordby",
            "name": "Nordby",
            "organisation": "Sekretariatet",
            "start": "2026-01-01",
            "end": "2029-12-31",
        },
        "areas": [{"slug": "nord", "name": "Nord"}],
        "populations": [{"slug": "kommunen", "name": "Kommunen", "kind": "other"}],
        "indicators": [
            {"slug": "job", "name": "Job", "unit": "percent", "better": "higher"},
            {"slug": "beboere", "name": "Beboere", "unit": "count", "better": "none"},
        ],
        "goals": [
            {
                "slug": "maal",
                "name": "Mål",
                "criteria": [
                    {
                        "id": "job-nord",
                        "text": "Flere i job",
                        "kind": "above_baseline",
                        "indicator": "job",
                        "population": "nord",
                        "baseline": {"value": 40, "period": "2025"},
                    }
                ],
            }
        ],
        "effort_areas": [{"slug": "boern", "name": "Børn", "activities": [activity]}],
    }


def _criterion(data: Data) -> Data:
    criterion: Data = data["effort_areas"][0]["activities"][0]["criteria"][0]
    return criterion


def _bound(data: Data) -> Data:
    criterion: Data = data["goals"][0]["criteria"][0]
    return criterion


def _set(path: str, value: Any) -> Callable[[Data], None]:
    """A change that sets the dotted ``path`` (list positions as numbers)."""

    def change(data: Data) -> None:
        steps: list[str | int] = [int(s) if s.isdigit() else s for s in path.split(".")]
        target: Any = data
        for step in steps[:-1]:
            target = target[step]
        target[steps[-1]] = value

    return change


def _crit(**fields: Any) -> Callable[[Data], None]:
    def change(data: Data) -> None:
        criterion = _criterion(data)
        for key, value in fields.items():
            if value is None:
                criterion.pop(key, None)
            else:
                criterion[key] = value

    return change


def _add_area(data: Data) -> None:
    data["areas"].append({"slug": "nord", "name": "Nord igen"})


def _sub_sub(data: Data) -> None:
    activity = data["effort_areas"][0]["activities"][0]
    activity["sub_activities"] = [
        {
            "slug": "sub",
            "name": "Sub",
            "sub_activities": [{"slug": "subsub", "name": "Subsub"}],
        }
    ]


def _goal_measure(data: Data) -> None:
    criterion = _bound(data)
    criterion.pop("indicator")
    criterion.pop("population")
    criterion["measure"] = {"kind": "contacts"}


def _law(unit_of_figure: str) -> Callable[[Data], None]:
    def change(data: Data) -> None:
        data["law_status"] = {"figures": {"residents": unit_of_figure}}

    return change


# Each: what is broken, the change to plan.yaml's data (or the files'
# texts), and a piece of the Danish sentence expected.
PLAN_CASES: list[tuple[str, Callable[[Data], None], str]] = [
    ("a null name", _set("plan.name", None), "Skriv en tekst."),
    ("an empty name", _set("plan.name", ""), "Feltet skal udfyldes."),
    ("a missing field", lambda d: d["plan"].pop("start"), "Feltet skal udfyldes."),
    ("an unknown field", _set("plan.colour", "blå"), "findes ikke i planmappens"),
    ("the format", _set("format", "x"), "fremdrift-plan/1"),
    ("a bad slug", _set("areas.0.slug", "Nord Øst"), "kan ikke bruges som kortnavn"),
    ("a slug used twice", _add_area, "er allerede brugt i planen"),
    ("a date", _set("plan.start", "i morgen"), "Skriv en dato"),
    ("plan dates", _set("plan.end", "2025-01-01"), "Planen slutter, før"),
    (
        "activity dates",
        _set("effort_areas.0.activities.0.end", "2025-01-01"),
        "Aktiviteten slutter, før",
    ),
    (
        "an extension",
        _set("effort_areas.0.activities.0.extended_to", "2026-06-01"),
        "En forlængelse skal slutte efter",
    ),
    ("sub-sub-activities", _sub_sub, "ikke have egne delaktiviteter"),
    (
        "two commentaries",
        _set(
            "plan.commentary",
            [{"period": "2026", "text": "a"}, {"period": "2026", "text": "b"}],
        ),
        "allerede en kommentar",
    ),
    (
        "a goal's unknown indicator",
        _set("goals.0.indicators", ["nej"]),
        "Ukendt indikator “nej”",
    ),
    (
        "an unknown part",
        _set("populations.0.parts", ["syd"]),
        "Ukendt område eller sammenligningsgrundlag “syd”",
    ),
    (
        "a part of itself",
        _set("populations.0.parts", ["kommunen"]),
        "ikke være en del af sig selv",
    ),
    ("a population kind", _set("populations.0.kind", "by"), "Vælg en af de mulige"),
    (
        "a denominator that does not count",
        _set("indicators.1.denominator_indicator", "job"),
        "skal være en anden indikator, der tæller",
    ),
    (
        "an unknown denominator",
        _set("indicators.1.denominator_indicator", "nej"),
        "Ukendt indikator “nej”",
    ),
    ("a unit", _set("indicators.0.unit", "kg"), "Vælg en af de mulige"),
    ("a boolean", _set("indicators.0.additive", "måske"), "Skriv true eller false"),
    ("a list", _set("areas.0.aliases", {"a": 1}), "Skal være en liste"),
    ("a mapping", _set("areas.0.size", "stor"), "Skal være en gruppe af felter"),
    ("a text", _set("areas.0.name", ["a"]), "Skriv en tekst"),
    (
        "a whole number",
        _set("areas.0.size", {"as_of": "2026-01-01", "leases": 1.5}),
        "Skriv et tal",
    ),
    (
        "a negative size",
        _set("areas.0.size", {"as_of": "2026-01-01", "leases": -1}),
        "mindst 0",
    ),
    (
        "a negative amount",
        _set("supplementary_funding", {"total_dkk": -5}),
        "mindst 0",
    ),
    ("an age", _crit(measure={"kind": "contacts", "age_max": 200}), "højst være 120"),
    (
        "min_sessions",
        _crit(measure={"kind": "contacts", "min_sessions": 0}),
        "mindst 1",
    ),
    ("a period too short", _crit(period="20"), "Perioden kan ikke læses"),
    ("a period too long", _crit(period="2" * 41), "Perioden kan ikke læses"),
    ("a period", _crit(period="2024K7"), "Perioden kan ikke læses"),
    ("a month", _crit(period="2024M13"), "Perioden kan ikke læses"),
    ("a tertial", _crit(period="2024T4"), "Perioden kan ikke læses"),
    ("a school year", _crit(period="2024/26"), "Perioden kan ikke læses"),
    ("a span", _crit(period="2026-2024"), "Perioden kan ikke læses"),
    ("a day", _crit(period="2024-02-30"), "Perioden kan ikke læses"),
    ("a date range", _crit(period="2024-03-01..2024-02-01"), "Perioden kan ikke læses"),
    ("a criterion's unit", _crit(unit=None), "Vælg en enhed"),
    (
        "indicator without population",
        lambda d: _bound(d).pop("population"),
        "Vælg både en indikator og",
    ),
    (
        "an unknown indicator",
        lambda d: _bound(d).update(indicator="nej"),
        "Ukendt indikator",
    ),
    (
        "an unknown population",
        lambda d: _bound(d).update(population="nej"),
        "Ukendt område eller sammenligningsgrundlag",
    ),
    (
        "indicator and values",
        lambda d: _bound(d).update(values=[{"period": "2026", "value": 1}]),
        "enten en indikator eller indberettede værdier",
    ),
    ("a goal's measure", _goal_measure, "Kun en aktivitets succeskriterier"),
    (
        "measure and values",
        _crit(measure={"kind": "contacts"}),
        "Brug én kilde til værdierne",
    ),
    (
        "a measure's area",
        _crit(measure={"kind": "contacts", "area": "syd"}, values=None),
        "Ukendt område “syd”",
    ),
    (
        "ages",
        _crit(measure={"kind": "contacts", "age_min": 9, "age_max": 6}, values=None),
        "Mindstealderen er over",
    ),
    ("a measure kind", _crit(measure={"kind": "x"}, values=None), "Vælg en af"),
    (
        "a baseline",
        lambda d: _bound(d).pop("baseline"),
        "skal have en baseline",
    ),
    (
        "qualitative values",
        _crit(kind="qualitative", target=None),
        "har dokumentation, ikke værdier",
    ),
    ("a verdict", _crit(verdict="achieved"), "Kun et kvalitativt kriterium"),
    (
        "a period twice",
        _crit(values=[{"period": "2026", "value": 1}, {"period": "2026", "value": 2}]),
        "Perioden “2026” er angivet to gange",
    ),
    ("an empty value", _crit(values=[{"period": "2026"}]), "Angiv et tal, eller"),
    (
        "a flagged number",
        _crit(values=[{"period": "2026", "value": 1, "flags": ["missing"]}]),
        "har et tal, men er markeret",
    ),
    (
        "a flag",
        _crit(values=[{"period": "2026", "flags": ["x"]}]),
        "Vælg en af de mulige",
    ),
    ("a value", _crit(values=[{"period": "2026", "value": "mange"}]), "Skriv et tal"),
    (
        "digits",
        _crit(values=[{"period": "2026", "value": "nan"}]),
        "Skriv et tal",
    ),
    ("a number target", _crit(target="mange"), "Skriv et tal"),
    ("a missing target", _crit(target=None), "skal have et mål"),
    ("a target's shape", _crit(target=[1]), "Skriv et tal"),
    (
        "a range's order",
        _crit(kind="range", target={"min": 6, "max": 4}),
        "Mindsteværdien er over",
    ),
    ("a range's half", _crit(kind="range", target={"min": 4}), "skal have et mål"),
    (
        "a key of another kind",
        _crit(kind="range", target={"min": 4, "max": 6, "relative": 0.1}),
        "har ikke målet “relative” (kun min, max)",
    ),
    (
        "a relative change",
        _crit(kind="reduce_by", target={"relative": 10}),
        "skrives som en brøk",
    ),
    (
        "relative and absolute",
        _crit(kind="increase_by", target={"relative": 0.1, "absolute": 3}),
        "enten en relativ eller en absolut",
    ),
    (
        "two tolerances",
        _crit(kind="hold_baseline", target={"tolerance": 1, "relative_tolerance": 0.1}),
        "enten en tolerance eller",
    ),
    (
        "two per-period targets",
        _crit(kind="every_period", target={"at_least": 1, "at_most": 3}),
        "enten et mindste eller et højeste",
    ),
    (
        "a target of a kind without one",
        lambda d: _bound(d).update(target=3),
        "har intet mål",
    ),
    ("a criterion kind", _crit(kind="some"), "Vælg en af de mulige"),
    ("a law figure's indicator", _law("nej"), "Ukendt indikator “nej”"),
    ("a law figure's unit", _law("job"), "har enheden percent, men"),
    (
        "a law figure derived that cannot be",
        _set(
            "law_status",
            {"figures": {"residents": {"indicator": "job", "derive": "complement"}}},
        ),
        "Kun en andel i procent kan udledes",
    ),
    (
        "a law population",
        _set("law_status", {"national": "nej"}),
        "Ukendt område eller sammenligningsgrundlag",
    ),
]

FILE_CASES: list[tuple[str, str | None, bytes | None, str]] = [
    ("not UTF-8", None, b"format: \xff\n", "ikke gemt som UTF-8"),
    ("not YAML", None, b"plan: [\n", "kan ikke læses som YAML"),
    ("not a mapping", None, b"- 1\n", "“format” og “plan” øverst"),
    ("an empty csv", "", None, "overskriftslinjen mangler"),
    ("a csv header", "indicator,value\n", None, "Overskriftslinjen skal være"),
    (
        "a semicolon header",
        HEADER.replace(",", ";") + "\n",
        None,
        "adskilt med semikolon",
    ),
    ("a short line", f"{HEADER}\njob,nord,2024\n", None, "Linjen har 3 felter"),
    (
        "a decimal comma",
        f'{HEADER}\njob,nord,2024,"4,5",,,,\n',
        None,
        "brug punktum som decimaltegn",
    ),
    ("a word", f"{HEADER}\njob,nord,2024,mange,,,,\n", None, "er ikke et tal"),
    ("infinity", f"{HEADER}\njob,nord,2024,inf,,,,\n", None, "er ikke et tal"),
    ("a csv flag", f"{HEADER}\njob,nord,2024,,,,,x\n", None, "Ukendt markering"),
    (
        "a csv row twice",
        f"{HEADER}\njob,nord,2024,4,,,,\njob,nord,2024,5,,,,\n",
        None,
        "står to gange i filen; første gang på linje 2",
    ),
    ("a csv indicator", f"{HEADER}\nnej,nord,2024,4,,,,\n", None, "Ukendt indikator"),
    (
        "a csv population",
        f"{HEADER}\njob,syd,2024,4,,,,\n",
        None,
        "Ukendt område eller sammenligningsgrundlag",
    ),
    ("a csv period", f"{HEADER}\njob,nord,20x4,4,,,,\n", None, "Perioden kan ikke"),
    ("a csv empty", f"{HEADER}\njob,nord,2024,,,,,\n", None, "Angiv et tal, eller"),
    (
        "a csv flagged",
        f"{HEADER}\njob,nord,2024,4,,,,missing\n",
        None,
        "har et tal, men er markeret",
    ),
]


def _problems(folder: Path) -> list[Problem]:
    with pytest.raises(PlanFileError) as raised:
        read_plan_folder(folder)
    return raised.value.problems


def _assert_danish(problems: list[Problem], expected: str) -> None:
    assert problems
    unmapped = [p for p in problems if sentence_of(p) is None]
    assert unmapped == [], f"no Danish sentence for {unmapped}"
    texts = [danish_message(p) for p in problems]
    assert any(expected in text for text in texts), (texts, problems)


def test_the_base_folder_is_valid(tmp_path: Path) -> None:
    (tmp_path / "plan.yaml").write_text(dump_yaml(_base()), encoding="utf-8")
    read_plan_folder(tmp_path)


@pytest.mark.parametrize(
    ("case", "change", "expected"), PLAN_CASES, ids=[c[0] for c in PLAN_CASES]
)
def test_every_plan_yaml_problem_is_put_in_danish(
    tmp_path: Path, case: str, change: Callable[[Data], None], expected: str
) -> None:
    _assert_danish(_problems(_plan_folder(tmp_path / "plan", change)), expected)


@pytest.mark.parametrize(
    ("case", "csv_text", "plan_bytes", "expected"),
    FILE_CASES,
    ids=[c[0] for c in FILE_CASES],
)
def test_every_file_problem_is_put_in_danish(
    tmp_path: Path,
    case: str,
    csv_text: str | None,
    plan_bytes: bytes | None,
    expected: str,
) -> None:
    plan = plan_bytes if plan_bytes is not None else dump_yaml(_base()).encode()
    (tmp_path / "plan.yaml").write_bytes(plan)
    if csv_text is not None:
        (tmp_path / "observations.csv").write_text(csv_text, encoding="utf-8")
    _assert_danish(_problems(tmp_path), expected)


def test_a_missing_folder_and_plan_file_are_put_in_danish(tmp_path: Path) -> None:
    _assert_danish(_problems(tmp_path / "nowhere"), "Mappen findes ikke.")
    _assert_danish(_problems(tmp_path), "Mappen mangler filen plan.yaml.")


def _plan_folder(folder: Path, change: Callable[[Data], None]) -> Path:
    data = copy.deepcopy(_base())
    change(data)
    folder.mkdir()
    (folder / "plan.yaml").write_text(dump_yaml(data), encoding="utf-8")
    return folder


def test_every_sentence_is_reached_by_a_case(tmp_path: Path) -> None:
    """No pattern is left untried: each one is the one that puts some
    case's problem in Danish."""
    problems = _problems(tmp_path / "nowhere") + _problems(tmp_path)
    for i, (_case, change, _expected) in enumerate(PLAN_CASES):
        problems += _problems(_plan_folder(tmp_path / f"p{i}", change))
    for i, (_case, csv_text, plan_bytes, _expected) in enumerate(FILE_CASES):
        folder = tmp_path / f"f{i}"
        folder.mkdir()
        plan = plan_bytes if plan_bytes is not None else dump_yaml(_base()).encode()
        (folder / "plan.yaml").write_bytes(plan)
        if csv_text is not None:
            (folder / "observations.csv").write_text(csv_text, encoding="utf-8")
        problems += _problems(folder)
    reached = {found[0] for p in problems if (found := sentence_of(p))}
    assert [pattern for pattern, _sentence in MESSAGES if pattern not in reached] == []
