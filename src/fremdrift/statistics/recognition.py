"""Which of the standard layouts an uploaded file of area statistics is in,
told from its header row, so that the team uploads a file without saying
where it came from and without a mapping file.

- our own tidy template (CSV or XLSX): a header row that names indicator,
  population, period and value (English or Danish names);
- Danmarks Statistik's StatBank (CSV/BULK): a header row of variable ids
  with ``TID`` and ``INDHOLD``. The mapping is made from the plan: the
  variable whose values are the plan's indicator names (slug, name or short
  name) gives the indicator, the one whose values are its population names
  (slug, name or alias) the population; every other variable must have one
  value in the whole file;
- Landsbyggefonden (XLSX): a sheet whose header row is the one a shipped
  mapping expects (``mappings/lbf``). The shipped mapping is extended with
  the plan's population and indicator names.

A file that is none of them needs a mapping file; so does a StatBank file
whose variables are not the plan's names.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext as _

from fremdrift.base.zipguard import ZipTooLarge, zip_check
from fremdrift.plans.models import Plan, Population

from .importers.base import (
    ImportFileError,
    ImportProblem,
    column_letter,
    csv_rows,
    open_text,
)
from .importers.lbf_mapping import (
    LbfMapping,
    load_mapping,
    normalise_label,
    shipped_names,
    shipped_path,
)
from .importers.statbank_mapping import VALUE_COLUMN
from .importers.tidy import ALIASES, OBSERVATIONS_SHEET, REQUIRED, XLSX_MAGIC
from .models import Indicator

# Distinct values read per StatBank variable: a variable with more is no
# indicator or population of a plan.
MAX_DISTINCT = 2000
TIME_COLUMN = "TID"
STATBANK_SEPARATOR = ";"
MAPPING_FORMATS = {
    "fremdrift-statbank/1": "statbank",
    "fremdrift-lbf-mapping/1": "lbf",
}


@dataclass(frozen=True)
class Layout:
    """A recognised layout: the source to import it as, and the mapping
    made for it from the plan's names (YAML; empty for the tidy
    template)."""

    source: str
    label: str
    mapping_yaml: str = ""
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Unrecognised:
    """A file that needs a mapping file, and why (a Danish sentence)."""

    reason: str


def layout_recognise(
    *, plan: Plan, path: Path, display_name: str
) -> Layout | Unrecognised:
    """The layout of the file at ``path``; see the module docstring."""
    with path.open("rb") as handle:
        magic = handle.read(4)
    if magic == XLSX_MAGIC:
        try:
            zip_check(path)
        except ZipTooLarge as error:
            return Unrecognised(error.danish())
        return _workbook_layout(plan, path)
    try:
        header = _first_line(path, display_name)
    except (ImportFileError, UnicodeDecodeError):
        header = ""
    if _is_tidy(_split_any(header)):
        return Layout("tidy", _("fremdrift-skabelonen (CSV)"))
    names = _cells(header, STATBANK_SEPARATOR)
    folded = [name.casefold() for name in names]
    if VALUE_COLUMN.casefold() in folded and TIME_COLUMN.casefold() in folded:
        return _statbank_layout(plan, path, display_name, names)
    return Unrecognised(
        _(
            "Filen ligner hverken fremdrift-skabelonen, en fil fra "
            "Statistikbanken eller en tabel fra Landsbyggefonden. Upload en "
            "mappingfil, der beskriver den."
        )
    )


def mapping_source(path: Path) -> str | None:
    """The source a mapping file is for, by its ``format``; None when the
    file has no known format."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError, OSError):
        return None
    if not isinstance(data, dict):
        return None
    return MAPPING_FORMATS.get(str(data.get("format", "")))


# -- CSV ----------------------------------------------------------------------


def _first_line(path: Path, display_name: str) -> str:
    with open_text(path, display_name) as handle:
        return handle.readline()


def _cells(line: str, separator: str) -> list[str]:
    import csv

    try:
        return [cell.strip() for cell in next(csv.reader([line], delimiter=separator))]
    except (csv.Error, StopIteration):
        return []


def _split_any(line: str) -> list[str]:
    """The header split by whichever separator gives the most cells."""
    return max((_cells(line, s) for s in (",", ";", "\t")), key=len, default=[])


def _is_tidy(names: list[Any]) -> bool:
    found = set()
    for name in names:
        text = "" if name is None else str(name).strip().lower()
        found.add(ALIASES.get(text, text))
    return all(name in found for name in REQUIRED)


# -- StatBank -----------------------------------------------------------------


def _statbank_layout(
    plan: Plan, path: Path, display_name: str, names: list[str]
) -> Layout | Unrecognised:
    folded = [name.casefold() for name in names]
    time = names[folded.index(TIME_COLUMN.casefold())]
    variables = [
        i
        for i, name in enumerate(names)
        if name not in {time} and name.casefold() != VALUE_COLUMN.casefold()
    ]
    distinct, commas = _distinct_values(path, display_name, variables, names)
    indicators = _indicator_labels(plan)
    populations = _population_labels(plan)
    indicator = _best_variable(distinct, indicators)
    population = _best_variable(
        {k: v for k, v in distinct.items() if k != indicator}, populations
    )
    if indicator is None or population is None:
        return Unrecognised(
            _(
                "Filen er fra Statistikbanken, men ingen af dens variable "
                "({variables}) har planens indikatorer og populationer som "
                "værdier. Upload en mappingfil, der siger, hvilke værdier der "
                "er hvilken indikator og population."
            ).format(variables=", ".join(names[i] for i in variables))
        )
    mapping = {
        "format": "fremdrift-statbank/1",
        "table": "UPLOAD",
        "lang": "da" if commas else "en",
        "values_by": "text",
        "time": time,
        "indicator": {
            "variable": indicator,
            "values": _mapped(distinct[indicator], indicators),
        },
        "population": {
            "variable": population,
            "values": _mapped(distinct[population], populations),
        },
    }
    header = (
        "# Made by fremdrift from the plan's indicator and population names\n"
        "# for an uploaded StatBank file (docs/import-statbank.md).\n"
    )
    return Layout(
        "statbank",
        _("Danmarks Statistik (Statistikbanken)"),
        header + yaml.safe_dump(mapping, allow_unicode=True, sort_keys=False),
    )


def _distinct_values(
    path: Path, display_name: str, variables: list[int], names: list[str]
) -> tuple[dict[str, set[str]], bool]:
    """The distinct values of each variable (up to ``MAX_DISTINCT``), and
    whether a value cell holds a decimal comma (Danish output)."""
    distinct: dict[str, set[str]] = {names[i]: set() for i in variables}
    value_index = [n.casefold() for n in names].index(VALUE_COLUMN.casefold())
    commas = False
    with open_text(path, display_name) as handle:
        for item in _records(handle, display_name):
            for i in variables:
                if i < len(item) and len(distinct[names[i]]) < MAX_DISTINCT:
                    distinct[names[i]].add(item[i].strip())
            if value_index < len(item) and "," in item[value_index]:
                commas = True
    return distinct, commas


def _records(handle: Any, display_name: str) -> Iterator[list[str]]:
    rows = csv_rows(handle, delimiter=STATBANK_SEPARATOR, display_name=display_name)
    next(rows, None)
    for row in rows:
        if isinstance(row, ImportProblem):
            return
        yield row[1]


def _indicator_labels(plan: Plan) -> dict[str, str]:
    labels: dict[str, str] = {}
    for slug, name, short in Indicator.objects.filter(plan=plan).values_list(
        "slug", "name", "short_name"
    ):
        for label in (name, short, slug):
            if label:
                labels[normalise_label(label)] = slug
    return labels


def _population_labels(plan: Plan) -> dict[str, str]:
    labels: dict[str, str] = {}
    for slug, name, aliases in Population.objects.filter(plan=plan).values_list(
        "slug", "name", "aliases"
    ):
        for label in (name, *(aliases or []), slug):
            if label:
                labels[normalise_label(str(label))] = slug
    return labels


def _best_variable(distinct: dict[str, set[str]], labels: dict[str, str]) -> str | None:
    """The variable with the most values among ``labels``, when at least
    half of its values are; the rest become problems of the import, each
    with its first line."""
    best: tuple[int, str] | None = None
    for name, values in distinct.items():
        hits = sum(1 for value in values if normalise_label(value) in labels)
        if hits and hits * 2 >= len(values) and (best is None or hits > best[0]):
            best = (hits, name)
    return best[1] if best else None


def _mapped(values: set[str], labels: dict[str, str]) -> dict[str, str]:
    return {
        value: labels[normalise_label(value)]
        for value in sorted(values)
        if normalise_label(value) in labels
    }


# -- XLSX ---------------------------------------------------------------------


def _workbook_layout(plan: Plan, path: Path) -> Layout | Unrecognised:
    import openpyxl

    try:
        with path.open("rb") as handle:
            workbook = openpyxl.load_workbook(handle, read_only=True)
            try:
                return _sheet_layout(plan, workbook)
            finally:
                workbook.close()
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        # The reader says what is wrong with the workbook, at its place.
        return Layout("tidy", _("fremdrift-skabelonen (XLSX)"))


def _sheet_layout(plan: Plan, workbook: Any) -> Layout | Unrecognised:
    names = list(workbook.sheetnames)
    first = workbook[OBSERVATIONS_SHEET if OBSERVATIONS_SHEET in names else names[0]]
    if _is_tidy(_row(first, 1)):
        return Layout("tidy", _("fremdrift-skabelonen (XLSX)"))
    for name in shipped_names():
        mapping = load_mapping(name)
        sheet = _sheet(workbook, mapping.sheet)
        if sheet is None:
            continue
        header = _row(sheet, mapping.header_row)
        if all(
            index < len(header)
            and normalise_label(_text(header[index])) == normalise_label(expected)
            for index, (_letter, expected) in mapping.expect_header.items()
        ):
            text, notes = _lbf_mapping(plan, name, mapping)
            return Layout(
                "lbf",
                _("Landsbyggefonden ({name})").format(name=name),
                text,
                tuple(notes),
            )
    return Unrecognised(
        _(
            "Regnearket ligner hverken fremdrift-skabelonen eller en af "
            "Landsbyggefondens tabeller. Upload en mappingfil, der beskriver "
            "det."
        )
    )


def _sheet(workbook: Any, wanted: int | str) -> Any:
    names = list(workbook.sheetnames)
    if isinstance(wanted, int):
        return workbook[names[wanted - 1]] if wanted <= len(names) else None
    for name in names:
        if normalise_label(name) == normalise_label(wanted):
            return workbook[name]
    return None


def _row(sheet: Any, number: int) -> list[Any]:
    if not hasattr(sheet, "iter_rows"):
        return []
    for values in sheet.iter_rows(min_row=number, max_row=number, values_only=True):
        return list(values)
    return []


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _lbf_mapping(plan: Plan, base: str, mapping: LbfMapping) -> tuple[str, list[str]]:
    """The shipped mapping ``base`` extended with the plan's population
    and indicator names, and notes on what it leaves out: a key figure the
    plan does not follow is not read (its column, or its rows)."""
    extended: dict[str, Any] = {"format": "fremdrift-lbf-mapping/1", "extends": base}
    populations = {
        name: slug
        for slug, name in Population.objects.filter(plan=plan).values_list(
            "slug", "name"
        )
    }
    if populations:
        extended["population"] = {"values": populations}
    notes: list[str] = []
    if mapping.indicator is not None:
        _lbf_indicator_rows(extended, plan, base, mapping, notes)
    if mapping.value_columns:
        _lbf_value_columns(extended, mapping, _indicator_labels(plan), notes)
    header = (
        f"# Made by fremdrift: the shipped mapping {base} with the plan's\n"
        "# population and indicator names (docs/import-lbf.md).\n"
    )
    text = yaml.safe_dump(extended, allow_unicode=True, sort_keys=False)
    return header + text, notes


def _ours(label: str, shipped_slug: str, labels: dict[str, str]) -> str | None:
    """The plan's indicator for a shipped key figure: by its label, or by
    the shipped slug when the plan uses it."""
    return labels.get(normalise_label(label)) or (
        shipped_slug if shipped_slug in labels.values() else None
    )


def _lbf_scale(mapping: LbfMapping, shipped_slug: str, ours: str) -> Any:
    scale = mapping.scale_for(shipped_slug)
    return int(scale) if scale == scale.to_integral_value() else str(scale)


def _lbf_value_columns(
    extended: dict[str, Any],
    mapping: LbfMapping,
    labels: dict[str, str],
    notes: list[str],
) -> None:
    columns: dict[str, str | None] = {}
    scales: dict[str, Any] = {}
    for index, slug in sorted(mapping.value_columns.items()):
        letter, label = mapping.expect_header.get(index, (column_letter(index), slug))
        ours = _ours(label, slug, labels)
        columns[letter] = ours
        if ours is None:
            notes.append(
                _(
                    "Kolonne {letter} ({label}) indlæses ikke: planen har "
                    "ingen indikator med det navn."
                ).format(letter=letter, label=label)
            )
        elif mapping.scale_for(slug) != 1:
            scales[ours] = _lbf_scale(mapping, slug, ours)
    extended["values"] = {"columns": columns}
    if scales:
        extended["scale"] = scales


def _lbf_indicator_rows(
    extended: dict[str, Any],
    plan: Plan,
    base: str,
    mapping: LbfMapping,
    notes: list[str],
) -> None:
    """Key figures by their label in the indicator column: the shipped
    labels the plan follows, the plan's own names, and the shipped labels
    it does not follow added to the ignored rows."""
    labels = _indicator_labels(plan)
    path = shipped_path(base)
    shipped = yaml.safe_load(path.read_text(encoding="utf-8")) if path else {}
    written = (shipped.get("indicator") or {}).get("values") or {}
    values: dict[str, str | None] = {}
    ignored = [str(label) for label in (shipped.get("ignore") or {}).get("labels", [])]
    for label, slug in written.items():
        ours = _ours(str(label), str(slug), labels)
        values[str(label)] = ours
        if ours is None:
            ignored.append(str(label))
            notes.append(
                _(
                    "Nøgletallet »{label}« indlæses ikke: planen har ingen "
                    "indikator med det navn."
                ).format(label=label)
            )
    taken = {normalise_label(label) for label in values}
    for slug, name, short in Indicator.objects.filter(plan=plan).values_list(
        "slug", "name", "short_name"
    ):
        for label in (name, short):
            if label and normalise_label(label) not in taken:
                values[label] = slug
                taken.add(normalise_label(label))
    extended["indicator"] = {"values": values}
    extended["ignore"] = {"labels": ignored}
