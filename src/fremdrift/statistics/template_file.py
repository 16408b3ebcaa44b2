"""The empty tidy template for a plan's area statistics."""

from __future__ import annotations

import io

import yaml
from openpyxl import Workbook
from openpyxl.styles import Font

from fremdrift.base.spreadsheets import guard_workbook
from fremdrift.plans.models import Plan, Population

from .importers.tidy import FIELDS, OBSERVATIONS_SHEET
from .models import Indicator

GUIDE_SHEET = "Indikatorer og populationer"
COLUMN_HELP = {
    "indicator": "indikatorens id (se arket »Indikatorer og populationer«)",
    "population": "populationens id (område, kommune, ...)",
    "period": "2021, 2021K3, 2021M08, 2020/21, 2017-2021 ...",
    "value": "tallet; '..' eller '<5' hvis det er diskretioneret",
    "numerator": "tæller, hvis kendt (fx antal personer)",
    "denominator": "nævner, hvis kendt (fx antal beboere)",
    "note": "bemærkning",
    "flags": (
        "missing, unreadable, derived, method_changed, suppressed, "
        "contradictory (adskilt af ;)"
    ),
}


def observations_template(*, plan: Plan) -> bytes:
    """An XLSX workbook with an empty sheet in the tidy layout and a second
    sheet listing the plan's indicators and populations by id."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = OBSERVATIONS_SHEET
    sheet.append(list(FIELDS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, name in enumerate(FIELDS, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = 22 if name != "note" else 40
    guide = workbook.create_sheet(GUIDE_SHEET)
    bold = Font(bold=True)
    guide.append([f"Områdestatistik for {plan.name}"])
    guide["A1"].font = bold
    guide.append(
        [
            "Udfyld arket »Observationer« og indlæs med: fremdrift import "
            f"{plan.slug} FIL (eller upload filen på planens side)"
        ]
    )
    guide.append([])
    guide.append(["Kolonne", "Indhold"])
    for name in FIELDS:
        guide.append([name, COLUMN_HELP[name]])
    guide.append([])
    guide.append(["Indikator (id)", "Navn", "Enhed", "Antal personer", "Ændring"])
    for row in guide.iter_rows(min_row=guide.max_row, max_row=guide.max_row):
        for cell in row:
            cell.font = bold
    for indicator in Indicator.objects.filter(plan=plan).order_by("order"):
        guide.append(
            [
                indicator.slug,
                indicator.name,
                indicator.unit,
                "ja" if indicator.counts_persons else "nej",
                "ja" if indicator.change else "nej",
            ]
        )
    guide.append([])
    guide.append(["Population (id)", "Navn", "Slags", "Andre navne"])
    for row in guide.iter_rows(min_row=guide.max_row, max_row=guide.max_row):
        for cell in row:
            cell.font = bold
    for population in Population.objects.filter(plan=plan).order_by("order", "pk"):
        guide.append(
            [
                population.slug,
                population.name,
                population.get_kind_display(),
                ", ".join(population.aliases),
            ]
        )
    guide.column_dimensions["A"].width = 30
    guide.column_dimensions["B"].width = 60
    buffer = io.BytesIO()
    guard_workbook(workbook)
    workbook.save(buffer)
    return buffer.getvalue()


def statbank_mapping_template(*, plan: Plan) -> str:
    """A mapping file for a StatBank table (docs/import-statbank.md) with
    the plan's indicators and populations filled in: the team corrects the
    table id, the variables and the texts on the left to the table's."""
    indicators = {
        (i.short_name or i.name): i.slug
        for i in Indicator.objects.filter(plan=plan).order_by("order")
    }
    populations = {
        p.name: p.slug
        for p in Population.objects.filter(plan=plan).order_by("order", "pk")
    }
    mapping = {
        "format": "fremdrift-statbank/1",
        "table": "TABEL",
        "lang": "da",
        "values_by": "text",
        "time": "TID",
        "indicator": {"variable": "NØGLETAL", "values": indicators},
        "population": {"variable": "OMRÅDE", "values": populations},
        "skip_unmapped": False,
    }
    return STATBANK_GUIDE.format(plan=plan.name) + _yaml(mapping)


def lbf_mapping_template(*, plan: Plan) -> str:
    """A mapping file for a Landsbyggefonden table: a shipped layout
    (docs/import-lbf.md) with the plan's area names filled in."""
    populations = {
        p.name: p.slug
        for p in Population.objects.filter(plan=plan).order_by("order", "pk")
    }
    mapping: dict[str, object] = {
        "format": "fremdrift-lbf-mapping/1",
        "extends": "lbf-long",
        "population": {"values": populations},
    }
    return LBF_GUIDE.format(plan=plan.name) + _yaml(mapping)


def _yaml(data: object) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


STATBANK_GUIDE = """\
# Mappingfil til en tabel fra Danmarks Statistiks Statistikbank, for
# {plan}. Skriv tabellens id under table, og ret variablenes navne
# (NØGLETAL, OMRÅDE) og teksterne til venstre, så de står som i filen.
# Til højre står planens id'er for indikatorer og populationer.
# En variabel med flere værdier, som ikke er indikator eller population,
# skal have én værdi valgt under filters, fx:
#   filters:
#     KØN: [I alt]
# Se docs/import-statbank.md.
"""

LBF_GUIDE = """\
# Mappingfil til en tabel fra Landsbyggefonden, for {plan}. Den bygger på
# fremdrifts layout lbf-long (én række pr. område og år); brug lbf-wide for
# en tabel med årene på tværs. Teksterne til venstre under population er
# områdernes navne i tabellen, til højre planens id'er.
# Se docs/import-lbf.md.
"""
