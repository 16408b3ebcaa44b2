"""Write the Randers Nordby observations as StatBank would deliver them.

Reads ../observations.csv and ../plan.yaml and writes, next to this script:

- ``NORDBY17.csv``: a StatBank CSV/BULK data file (semicolon separated,
  UTF-8 with a BOM, CRLF line ends, Danish texts, decimal comma, ``..`` for
  a suppressed value), one row per observation whose period StatBank's time
  variable can express (a year ``2021``, a quarter ``2021K3`` or a month
  ``2016M10``);
- ``mapping.yaml``: the mapping from the file's texts to the plan's
  indicator and population slugs.

Observations with a school year (``2020/21``), a span of years
(``2017-2021``) or a span of days have no StatBank time code and are left
out; so are numerators, denominators, notes and flags other than
``suppressed``, which a StatBank table does not carry.

Run it from anywhere: ``python make_statbank_file.py [FOLDER]`` (FOLDER
defaults to this script's folder). The output is the same on every run;
tests/statistics/test_statbank_randers.py checks that the committed files
are what it writes.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
PLAN_FOLDER = HERE.parent
TABLE = "NORDBY17"
DATA_FILE = f"{TABLE}.csv"
MAPPING_FILE = "mapping.yaml"
HEADER = ["OMRÅDE", "NØGLETAL", "TID", "INDHOLD"]
# The period codes a StatBank time variable has (years, quarters, months).
STATBANK_PERIOD = re.compile(r"^\d{4}$|^\d{4}K[1-4]$|^\d{4}M(0[1-9]|1[0-2])$")


def danish_number(text: str) -> str:
    """'13.8' -> '13,8': StatBank's Danish output has a decimal comma and
    no thousands separator."""
    return text.replace(".", ",")


def statbank_rows(
    observations: list[dict[str, str]],
    indicator_texts: dict[str, str],
    population_texts: dict[str, str],
) -> list[list[str]]:
    # StatBank's order: the first variable varies slowest, time fastest;
    # areas and key figures in the plan's order.
    area_order = list(population_texts)
    figure_order = list(indicator_texts)
    observations = sorted(
        observations,
        key=lambda o: (
            area_order.index(o["population"]),
            figure_order.index(o["indicator"]),
            o["period"],
        ),
    )
    rows = []
    for observation in observations:
        if not STATBANK_PERIOD.match(observation["period"]):
            continue
        flags = set(filter(None, observation["flags"].split(";")))
        value = ".." if "suppressed" in flags else danish_number(observation["value"])
        rows.append(
            [
                population_texts[observation["population"]],
                indicator_texts[observation["indicator"]],
                observation["period"],
                value,
            ]
        )
    return rows


def mapping_text(
    used_indicators: dict[str, str], used_populations: dict[str, str]
) -> str:
    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = [
        "# Which texts of the StatBank file NORDBY17.csv are which indicator",
        "# and population of the plan randers-nordby-2017-21. Written by",
        "# make_statbank_file.py; see docs/import-statbank.md for the format.",
        "format: fremdrift-statbank/1",
        f"table: {TABLE}",
        "lang: da",
        "values_by: text",
        "time: TID",
        "indicator:",
        "  variable: NØGLETAL",
        "  values:",
    ]
    lines += [f"    {quoted(text)}: {slug}" for text, slug in used_indicators.items()]
    lines += ["population:", "  variable: OMRÅDE", "  values:"]
    lines += [f"    {quoted(text)}: {slug}" for text, slug in used_populations.items()]
    lines += ["skip_unmapped: false", ""]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    folder = Path(argv[1]) if len(argv) > 1 else HERE
    folder.mkdir(parents=True, exist_ok=True)
    plan = yaml.safe_load((PLAN_FOLDER / "plan.yaml").read_text(encoding="utf-8"))
    indicator_texts = {
        item["slug"]: item.get("short_name") or item["name"]
        for item in plan["indicators"]
    }
    population_texts = {item["slug"]: item["name"] for item in plan["areas"]}
    population_texts |= {item["slug"]: item["name"] for item in plan["populations"]}
    with (PLAN_FOLDER / "observations.csv").open(encoding="utf-8", newline="") as f:
        observations = list(csv.DictReader(f))
    rows = statbank_rows(observations, indicator_texts, population_texts)
    with (folder / DATA_FILE).open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, delimiter=";", lineterminator="\r\n")
        writer.writerow(HEADER)
        writer.writerows(rows)
    by_indicator_text = {text: slug for slug, text in indicator_texts.items()}
    by_population_text = {text: slug for slug, text in population_texts.items()}
    used_indicators = {r[1]: by_indicator_text[r[1]] for r in rows}
    used_populations = {r[0]: by_population_text[r[0]] for r in rows}
    (folder / MAPPING_FILE).write_text(
        mapping_text(used_indicators, used_populations),
        encoding="utf-8",
    )
    skipped = len(observations) - len(rows)
    print(
        f"{folder / DATA_FILE}: {len(rows)} rows ({skipped} observations without "
        f"a StatBank time code left out); {folder / MAPPING_FILE} written"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
