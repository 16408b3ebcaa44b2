"""A plan full of small counts of persons, and what a count of persons
below 5 looks like in text: shared by the leak tests of the reports, the
pages and the API."""

from __future__ import annotations

import re
from pathlib import Path

from fremdrift.planfiles.services import plan_load
from fremdrift.plans.models import Plan

PERSONS = (
    "personer|børns forældre|børn|deltagere|unge|familier|forældre|beboere|"
    "persons|children|participants|families|parents|residents"
)
# A count of persons below 5 as a reader would read it: "4 personer",
# "3 børn", "2 deltagere" (not "2017", "4-6 forløb", "1,3 pr. 1000").
# A change test's size in persons ("svarer til ca. 2 personer") is a
# difference between two shown rates, not a count: not matched.
SMALL_COUNT = re.compile(rf"(?<![\d.,/-])(?<!ca\. )[1-4] (?:{PERSONS})\b")

SMALL_OBSERVATIONS = """\
indicator,population,period,value,numerator,denominator,note,flags
placed,nord,2022,3,,,,
placed,nord,2023,2,,,,
placed,syd,2022,7,,,3 flyttet til,
placed,syd,2023,9,,,,
placed,begge,2022,10,,,,
placed,begge,2023,11,,,,
employment,nord,2022,40.5,,,,
employment,nord,2023,42.0,,,,
employment,syd,2022,44.1,,,,
"""


def small_count_plan(folder: Path) -> Plan:
    """The mini plan with an additive indicator of persons whose parts are
    small, a goal criterion bound to it with a small baseline, a count of
    children of 1 and 2 with notes that state them."""
    plan_yaml = folder / "plan.yaml"
    text = plan_yaml.read_text(encoding="utf-8")
    text = (
        text.replace(
            "populations:\n  - slug: kommunen",
            "populations:\n  - slug: begge\n    name: Nord og Syd\n"
            "    kind: plan_total\n    parts: [nord, syd]\n  - slug: kommunen",
        )
        .replace(
            "indicators:\n",
            "indicators:\n  - slug: placed\n    name: Personer med anbragte børn\n"
            "    unit: count\n    unit_label: personer\n    better: lower\n"
            "    counts_persons: true\n    additive: true\n",
            1,
        )
        .replace("indicators: [employment]", "indicators: [employment, placed]")
        .replace(
            '              - {period: "2022", value: 40}\n'
            '              - {period: "2023", value: 70}',
            '              - {period: "2022", value: 1, note: "1 barn i 2022"}\n'
            '              - {period: "2023", value: 2}\n'
            "            notes:\n"
            "              - 'Kun 2 børn kom; fra 2022: 1 -> 2'",
        )
    )
    plan_yaml.write_text(text, encoding="utf-8")
    (folder / "observations.csv").write_text(SMALL_OBSERVATIONS, encoding="utf-8")
    plan_load(folder=folder)
    return Plan.objects.get(slug="eksempelby-2022-26")
