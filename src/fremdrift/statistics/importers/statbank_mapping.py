"""The mapping file of the StatBank source (docs/import-statbank.md): its
shape, reading it with every problem at its line, and checking it against a
table's metadata (``tableinfo``) before a fetch.

A table knows nothing of a plan's indicators and populations, so a mapping
(YAML, ``format: fremdrift-statbank/1``) says which variable and values
stand for which indicator and population, which rows to keep, and the
language of the file. The same mapping drives ``fremdrift statbank fetch``:
the variables and values it names are the ones requested.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    StringConstraints,
    ValidationError,
    model_validator,
)

from fremdrift.base.yamlio import YamlDocument, format_path
from fremdrift.core.periods import PeriodError, parse_period

from .base import ImportFileError, ImportProblem, Where

if TYPE_CHECKING:
    from fremdrift.statistics.statbank_client import TableInfo, TableVariable

FORMAT = "fremdrift-statbank/1"
VALUE_COLUMN = "INDHOLD"

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]


def _text(value: Any) -> Any:
    # A code such as 101 or a year written without quotes reaches the model
    # as text already (see _MappingLoader); None stays None for "missing".
    return value if value is None or isinstance(value, str) else str(value)


Text = Annotated[str, BeforeValidator(_text), StringConstraints(min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DimensionMap(_Strict):
    """Where a row's indicator (or population) comes from: one variable of
    the table whose values map to slugs, or one slug for every row (a table
    of one key figure, or of one area)."""

    variable: Text | None = None
    values: dict[Text, Slug] = {}
    slug: Slug | None = None

    @model_validator(mode="after")
    def _one_form(self) -> DimensionMap:
        if self.slug is not None and (self.variable is not None or self.values):
            raise ValueError("give either 'slug' or 'variable' with 'values', not both")
        if self.slug is None and self.variable is None:
            raise ValueError(
                "give 'variable' and 'values', or one 'slug' for every row"
            )
        if self.variable is not None and not self.values:
            raise ValueError(f"'values' must map values of {self.variable} to slugs")
        return self


class StatBankMapping(_Strict):
    """A mapping file (docs/import-statbank.md) as validated values."""

    format: Literal["fremdrift-statbank/1"]
    table: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_]+$")]
    lang: Literal["da", "en"] = "da"
    values_by: Literal["text", "code"] = "text"
    time: Text = "TID"
    indicator: DimensionMap
    population: DimensionMap
    filters: dict[Text, list[Text]] = {}
    periods: dict[Text, Text] = {}
    skip_unmapped: bool = False
    # A data call returns every combination of the selected values, with
    # '..' in the cells that have no number; true leaves those rows out
    # instead of importing them as suppressed values.
    skip_dots: bool = False
    # None: the import keeps the note an observation already has.
    note: str | None = None

    @property
    def decimal_comma(self) -> bool:
        """StatBank writes 22,2 in Danish and 22.2 in English."""
        return self.lang == "da"


class _MappingLoader(yaml.SafeLoader):
    """YAML without implicit numbers and dates: StatBank codes such as 000,
    0101 or 2021 must stay the text they are (YAML 1.1 would read 0101 as
    the octal number 65)."""


_MappingLoader.yaml_implicit_resolvers = {
    first: [
        (tag, pattern)
        for tag, pattern in resolvers
        if tag
        not in {
            "tag:yaml.org,2002:int",
            "tag:yaml.org,2002:float",
            "tag:yaml.org,2002:timestamp",
        }
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class LoadedMapping:
    """A validated mapping with its file name and YAML node tree, so that a
    later check (against a table's metadata) can still name the line."""

    spec: StatBankMapping
    name: str
    document: YamlDocument | None = None

    def where(self, path: Sequence[str | int]) -> Where:
        return _where(self.name, self.document, path)


def _where(
    name: str, document: YamlDocument | None, path: Sequence[str | int]
) -> Where:
    line = document.line_of(path) if document else None
    return Where(name, line=line, column=format_path(path) or None)


def load_mapping(path: Path, display_name: str | None = None) -> LoadedMapping:
    """Read and validate a mapping file. Raises ``ImportFileError`` with
    every problem, each with the file's line."""
    name = display_name or str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise ImportFileError(
            [ImportProblem(Where(name), f"cannot be read ({error.strerror})")]
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ImportFileError(
            [ImportProblem(Where(name, line=line), "is not UTF-8; save it as UTF-8")]
        ) from None
    try:
        document = YamlDocument(text)
        data = yaml.load(text, Loader=_MappingLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        reason = getattr(error, "problem", None) or str(error)
        raise ImportFileError(
            [
                ImportProblem(
                    Where(name, line=mark.line + 1 if mark else None),
                    f"is not valid YAML: {reason}",
                )
            ]
        ) from None
    if not isinstance(data, dict):
        raise ImportFileError(
            [
                ImportProblem(
                    Where(name, line=1),
                    f"must be a mapping that starts with 'format: {FORMAT}' "
                    "(see docs/import-statbank.md)",
                )
            ]
        )
    try:
        spec = StatBankMapping.model_validate(data)
    except ValidationError as error:
        raise ImportFileError(
            [
                ImportProblem(
                    _where(name, document, item["loc"]), _pydantic_message(item)
                )
                for item in error.errors()
            ]
        ) from None
    loaded = LoadedMapping(spec=spec, name=name, document=document)
    problems = _cross_checks(loaded)
    if problems:
        raise ImportFileError(problems)
    return loaded


def _pydantic_message(item: Any) -> str:
    kind = item.get("type", "")
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "is not a field of a StatBank mapping (see docs/import-statbank.md)"
    if kind == "literal_error" and tuple(item["loc"]) == ("format",):
        return f"must be {FORMAT!r}"
    if kind == "string_pattern_mismatch":
        return (
            f"{item.get('input')!r} is not a slug (lower-case letters, digits "
            "and hyphens)"
        )
    message = str(item.get("msg", "is invalid"))
    return message.removeprefix("Value error, ")


def _cross_checks(loaded: LoadedMapping) -> list[ImportProblem]:
    spec = loaded.spec
    problems: list[ImportProblem] = []
    seen: dict[str, str] = {}
    candidates: list[tuple[str, list[str | int]]] = [(spec.time, ["time"])]
    if spec.indicator.variable:
        candidates.append((spec.indicator.variable, ["indicator", "variable"]))
    if spec.population.variable:
        candidates.append((spec.population.variable, ["population", "variable"]))
    candidates += [(name, ["filters", name]) for name in spec.filters]
    for name, path in candidates:
        key = name.casefold()
        if key == VALUE_COLUMN.casefold():
            problems.append(
                ImportProblem(
                    loaded.where(path),
                    f"{VALUE_COLUMN} is the value column, not a variable",
                )
            )
        elif key in seen:
            problems.append(
                ImportProblem(
                    loaded.where(path),
                    f"variable {name} is already named by {seen[key]}; a "
                    "variable can have one role only",
                )
            )
        else:
            seen[key] = format_path(path)
    for name, values in spec.filters.items():
        if not values:
            problems.append(
                ImportProblem(
                    loaded.where(["filters", name]),
                    f"list the values of {name} to keep (e.g. [I alt])",
                )
            )
    for code, period in spec.periods.items():
        try:
            parse_period(period)
        except PeriodError as error:
            problems.append(ImportProblem(loaded.where(["periods", code]), str(error)))
    return problems


# -- Checking a mapping against a table's metadata (``tableinfo``) --------


def _variable(info: TableInfo, name: str) -> TableVariable | None:
    for variable in info.variables:
        if variable.id.casefold() == name.casefold():
            return variable
    return None


def _plain_letters(text: str) -> str:
    # KOEN for KØN, OMRAADE for OMRÅDE: how a keyboard without Danish
    # letters writes them.
    lowered = text.casefold()
    for letter, plain in (("æ", "ae"), ("ø", "oe"), ("å", "aa")):
        lowered = lowered.replace(letter, plain)
    return lowered


def _suggest(name: str, known: Sequence[str]) -> str:
    """'; did you mean ...?' with up to three close names, compared
    without case and with æ, ø, å written ae, oe, aa; '' when none is
    close."""
    plain = {_plain_letters(k): k for k in known}
    wanted = _plain_letters(name)
    close = difflib.get_close_matches(wanted, plain, n=3, cutoff=0.6)
    if close:
        return "; did you mean " + " or ".join(repr(plain[c]) for c in close) + "?"
    return ""


def mapping_problems_for_table(
    loaded: LoadedMapping, info: TableInfo
) -> list[ImportProblem]:
    """What the mapping names that the table does not have: each variable
    (the time variable included) and each value, with the closest names as
    suggestions. Values are compared as codes or texts, as the mapping's
    ``values_by`` says."""
    spec = loaded.spec
    problems: list[ImportProblem] = []
    variable_ids = [v.id for v in info.variables]
    by_code = spec.values_by == "code"
    time_variable = next((v for v in info.variables if v.time), None)
    if (
        time_variable is not None
        and time_variable.id.casefold() != spec.time.casefold()
    ):
        problems.append(
            ImportProblem(
                loaded.where(["time"]),
                f"{spec.time} is not the time variable of {info.id}; it is "
                f"{time_variable.id.upper()}",
            )
        )
    checks: list[tuple[list[str | int], str, list[tuple[list[str | int], str]]]] = []
    for role, dimension in (
        ("indicator", spec.indicator),
        ("population", spec.population),
    ):
        if dimension.variable:
            checks.append(
                (
                    [role, "variable"],
                    dimension.variable,
                    [([role, "values", value], value) for value in dimension.values],
                )
            )
    for name, kept in spec.filters.items():
        checks.append(
            (["filters", name], name, [(["filters", name], value) for value in kept])
        )
    for path, name, named_values in checks:
        variable = _variable(info, name)
        if variable is None:
            problems.append(
                ImportProblem(
                    loaded.where(path),
                    f"table {info.id} has no variable {name} (its variables: "
                    + ", ".join(variable_ids)
                    + ")"
                    + _suggest(name, variable_ids),
                )
            )
            continue
        codes = [v.id for v in variable.values]
        texts = [v.text for v in variable.values]
        known, other = (codes, texts) if by_code else (texts, codes)
        for value_path, value in named_values:
            if value in known:
                continue
            hint = _suggest(value, known)
            if value in other:
                kind = "code" if by_code else "text"
                twin = (
                    texts[codes.index(value)]
                    if not by_code
                    else codes[texts.index(value)]
                )
                hint = (
                    f"; it is the {'text' if by_code else 'code'} of {twin!r}: "
                    f"the mapping says values_by: {spec.values_by}, so write the "
                    f"{kind}, or change values_by"
                )
            problems.append(
                ImportProblem(
                    loaded.where(value_path),
                    f"{value!r} is not a {'code' if by_code else 'text'} of "
                    f"{variable.id} in table {info.id} (lang {spec.lang}){hint}",
                )
            )
    return problems


def data_request_variables(
    loaded: LoadedMapping,
    info: TableInfo,
    *,
    periods: Sequence[str] = (),
    bulk: bool = True,
) -> tuple[dict[str, list[str]], list[ImportProblem]]:
    """The ``variables`` of a ``data`` call for the mapping: for each named
    variable the codes of its mapped or kept values, for time ``*`` or
    ``periods``. A variable of the table that the mapping does not name is
    left out when the API may eliminate it (sum it up) and the format is
    CSV; BULK must select every variable, so there it is a problem."""
    spec = loaded.spec
    problems: list[ImportProblem] = []
    request: dict[str, list[str]] = {}
    wanted: dict[str, list[str]] = {}
    if spec.indicator.variable:
        wanted[spec.indicator.variable.casefold()] = list(spec.indicator.values)
    if spec.population.variable:
        wanted[spec.population.variable.casefold()] = list(spec.population.values)
    for name, values in spec.filters.items():
        wanted[name.casefold()] = list(values)
    for variable in info.variables:
        key = variable.id.casefold()
        if variable.time:
            request[variable.id] = list(periods) or ["*"]
        elif key in wanted:
            to_code = {v.text: v.id for v in variable.values}
            if spec.values_by == "code":
                request[variable.id] = wanted[key]
            else:
                request[variable.id] = [to_code.get(text, text) for text in wanted[key]]
        elif variable.elimination and not bulk:
            continue
        else:
            sample = ", ".join(v.text for v in variable.values[:4])
            reason = (
                "format BULK selects every variable"
                if bulk
                else (f"{variable.id} cannot be left out (eliminated)")
            )
            problems.append(
                ImportProblem(
                    loaded.where(["filters"]),
                    f"table {info.id} has variable {variable.id} ({variable.text}: "
                    f"{sample}, ...) that the mapping does not name and {reason}: "
                    f"keep one value with filters: {{{variable.id}: [...]}}",
                )
            )
    return request, problems
