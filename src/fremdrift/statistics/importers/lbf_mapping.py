"""The mapping file that tells the Landsbyggefonden reader how to read one
table layout (format ``fremdrift-lbf-mapping/1``, see docs/import-lbf.md).

Landsbyggefonden's portals export tables meant for people: title rows, a
header row, labels in Danish, years across or down, totals and notes. No
column names are fixed by a published format, so each layout is described by
a small YAML file: which sheet and header row, which columns hold the labels
and how the labels map to the plan's indicator and population slugs, where
the periods are, which rows to ignore and how to scale the numbers.

A mapping may ``extend`` a shipped one (``extends: lbf-wide``) and override
only what differs, typically the plan's own area names. Every problem names
the file and line it comes from, the shipped file's when an inherited value
is at fault.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
)

from fremdrift.base.yamlio import YamlDocument, format_path

from .base import ImportFileError, ImportProblem, Where, column_letter

FORMAT = "fremdrift-lbf-mapping/1"
SHIPPED_DIR = Path(__file__).resolve().parent.parent / "mappings" / "lbf"
# A mapping that extends one that extends another is allowed, up to here;
# deeper chains are more likely a loop than a design.
MAX_EXTENDS = 3

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
# Records a problem at a field's path in the mapping.
_Add = Callable[[Sequence[str | int], str], None]


def normalise_label(text: str) -> str:
    """A label as compared: spaces (also non-breaking) collapsed, case
    ignored, so that 'Eksempelby  Nord' in a cell matches 'eksempelby nord'
    in the mapping."""
    return " ".join(text.replace("\u00a0", " ").split()).casefold()


def _label_key(value: Any) -> Any:
    # YAML reads the key 101 (a department number) as an int and 2019 as a
    # year; both are labels here. A bare yes/no/on/off becomes a bool,
    # which is never what a table label meant.
    if isinstance(value, bool):
        raise ValueError(
            "a label that YAML reads as true/false; put it in quotes ('Ja')"
        )
    if isinstance(value, int | Decimal):
        return str(value)
    return value


def _label_map(value: Any) -> Any:
    if isinstance(value, dict):
        return {_label_key(key): item for key, item in value.items()}
    return value


def _letter(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)  # refused below with the column-letter message
    return value.strip().upper() if isinstance(value, str) else value


ColumnLetter = Annotated[
    str,
    BeforeValidator(_letter),
    StringConstraints(pattern=r"^[A-Z]{1,3}$"),
]
Label = Annotated[str, StringConstraints(min_length=1)]
SheetNumber = Annotated[int, Field(ge=1)]
SheetName = Annotated[str, StringConstraints(min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LabelSpec(_Strict):
    """Where a row's population or indicator comes from: a label column
    with a map from label to slug, or one fixed slug for the whole sheet.
    With ``pass_unmapped`` a label the map does not name is passed on as
    written, for the plan to recognise as a slug or a population's alias."""

    column: ColumnLetter | None = None
    fixed: Slug | None = None
    values: Annotated[dict[Label, Slug | None], BeforeValidator(_label_map)] = {}
    pass_unmapped: bool = False


class PeriodSpec(_Strict):
    """Where the periods are: the header cells of a range of columns
    (``across: C:L``, or ``C:`` for every named column from C on) in the
    wide layout, or one column (``column: B``) in the long layout."""

    across: str | None = None
    column: ColumnLetter | None = None
    labels: Annotated[
        dict[Label, Annotated[str, StringConstraints(min_length=4, max_length=40)]],
        BeforeValidator(_label_map),
    ] = {}


class ValueSpec(_Strict):
    """The long layout's value cells: one column (the indicator comes from
    ``indicator``) or one column per indicator."""

    column: ColumnLetter | None = None
    columns: dict[ColumnLetter, Slug] = {}


class IgnoreSpec(_Strict):
    """Rows to pass over: by a label cell's whole text, or by how the row's
    first text begins (notes such as 'Kilde: ...')."""

    labels: list[Label] = []
    prefixes: list[Label] = []


class MappingFile(_Strict):
    """The YAML file as written (after ``extends`` is resolved)."""

    format: Literal["fremdrift-lbf-mapping/1"]
    extends: str | None = None
    description: str = ""
    layout: Literal["wide", "long"]
    sheet: SheetNumber | SheetName = 1
    header_row: Annotated[int, Field(ge=1)]
    expect_header: dict[ColumnLetter, str] = {}
    population: LabelSpec
    indicator: LabelSpec | None = None
    periods: PeriodSpec
    values: ValueSpec | None = None
    ignore: IgnoreSpec = IgnoreSpec()
    skip_unmapped: bool = False
    scale: (
        Annotated[Decimal, Field(gt=0)] | dict[Slug, Annotated[Decimal, Field(gt=0)]]
    ) = Decimal(1)
    blank: Literal["skip", "suppressed"] = "skip"
    discretion_markers: list[Label] = []


@dataclass(frozen=True)
class LabelRule:
    """A compiled ``LabelSpec``: 0-based column, normalised labels."""

    field: str
    what: str
    column: int | None
    letter: str | None
    fixed: str | None
    values: dict[str, str]
    written: tuple[str, ...]
    pass_unmapped: bool = False

    def slug_for(self, label: str) -> str | None:
        """The slug for ``label``; the label itself when the rule passes
        unmapped labels on; None when it is unknown."""
        if self.fixed:
            return self.fixed
        slug = self.values.get(normalise_label(label))
        if slug is None and self.pass_unmapped:
            return label
        return slug


@dataclass(frozen=True)
class LbfMapping:
    """A validated mapping, ready for the reader: columns as 0-based
    indices, labels normalised."""

    name: str
    layout: str
    sheet: int | str
    header_row: int
    expect_header: dict[int, tuple[str, str]]
    population: LabelRule
    indicator: LabelRule | None
    period_first: int | None
    period_last: int | None
    period_column: int | None
    period_labels: dict[str, str]
    value_column: int | None
    value_columns: dict[int, str]
    ignore_labels: frozenset[str]
    ignore_prefixes: tuple[str, ...]
    skip_unmapped: bool
    scale: Decimal
    scale_by_indicator: dict[str, Decimal]
    blank: str
    discretion_markers: frozenset[str]
    text: str = ""
    path: Path | None = None
    shipped: bool = False
    label_columns: tuple[int, ...] = field(default=())

    def scale_for(self, indicator: str) -> Decimal:
        return self.scale_by_indicator.get(indicator, self.scale)


def column_index(letter: str) -> int:
    """'A' -> 0, 'Z' -> 25, 'AA' -> 26: the inverse of base.column_letter."""
    index = 0
    for char in letter:
        index = index * 26 + (ord(char) - ord("A") + 1)
    return index - 1


def shipped_names() -> list[str]:
    """The names of the mappings shipped with fremdrift (lbf-wide, ...)."""
    return sorted(path.stem for path in SHIPPED_DIR.glob("*.yaml"))


def shipped_path(name: str) -> Path | None:
    """The file of the shipped mapping ``name`` ('lbf-wide' or
    'lbf-wide.yaml'), or None."""
    stem = name[:-5] if name.endswith(".yaml") else name
    if "/" in stem or "\\" in stem or stem.startswith("."):
        return None
    path = SHIPPED_DIR / f"{stem}.yaml"
    return path if path.is_file() else None


@dataclass
class _Source:
    """One YAML file of a mapping chain, for line look-ups."""

    file: str
    document: YamlDocument
    text: str


def load_mapping(mapping: Path | str) -> LbfMapping:
    """Read, merge and validate the mapping ``mapping``: a file, or the name
    of a shipped mapping. Raises ``ImportFileError`` with every problem,
    each with file:line and the field's path."""
    path = Path(mapping)
    if not path.is_file():
        shipped = shipped_path(str(mapping))
        if shipped is None:
            raise ImportFileError(
                [
                    ImportProblem(
                        Where(str(mapping)),
                        "no such mapping file, and no shipped mapping of that "
                        f"name (shipped: {', '.join(shipped_names())})",
                    )
                ]
            )
        path = shipped
    chain: list[_Source] = []
    data = _load_chain(path, chain, seen=[])
    sources = list(reversed(chain))  # the file given first, its bases after
    try:
        spec = MappingFile.model_validate(data)
    except ValidationError as error:
        problems: list[ImportProblem] = []
        seen: set[tuple[str | int, ...]] = set()
        for item in error.errors():
            loc = tuple(s for s in item["loc"] if not _is_union_member(s))
            # A field that may be one of two things fails as both; one
            # problem per field is enough.
            if loc in seen:
                continue
            seen.add(loc)
            problems.append(_problem(sources, list(loc), _pydantic_message(item)))
        raise ImportFileError(problems) from None
    text = "".join(
        (f"# --- extends: {source.file}\n" if i else "") + source.text
        for i, source in enumerate(sources)
    )
    return _compile(spec, sources, name=path.stem, text=text, path=path)


def _read_yaml(path: Path) -> _Source:
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            [ImportProblem(Where(file), f"is not UTF-8 text ({error.reason})")]
        ) from None
    except OSError as error:
        raise ImportFileError(
            [ImportProblem(Where(file), f"cannot be read ({error.strerror})")]
        ) from None
    try:
        document = YamlDocument(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        reason = getattr(error, "problem", None) or str(error)
        raise ImportFileError(
            [
                ImportProblem(
                    Where(file, line=mark.line + 1 if mark else None),
                    f"is not valid YAML: {reason}",
                )
            ]
        ) from None
    if not isinstance(document.data, dict):
        raise ImportFileError(
            [
                ImportProblem(
                    Where(file, line=1),
                    f"must be a YAML mapping that starts with 'format: {FORMAT}'",
                )
            ]
        )
    return _Source(file, document, text)


def _load_chain(
    path: Path, chain: list[_Source], *, seen: list[Path]
) -> dict[str, Any]:
    """The data of ``path`` merged over the mappings it extends; ``chain``
    receives the files, base first; ``seen`` holds the files on the way
    down, to stop a loop."""
    seen.append(path.resolve())
    source = _read_yaml(path)
    data: dict[str, Any] = dict(source.document.data)
    base_name = data.get("extends")
    if base_name is None:
        chain.append(source)
        return data
    where = Where(
        source.file, line=source.document.line_of(["extends"]), column="extends"
    )
    if not isinstance(base_name, str):
        raise ImportFileError(
            [ImportProblem(where, "must name a shipped mapping or a file")]
        )
    base_path = shipped_path(base_name)
    if base_path is None:
        candidate = (path.parent / base_name).resolve()
        base_path = candidate if candidate.is_file() else None
    if base_path is None:
        raise ImportFileError(
            [
                ImportProblem(
                    where,
                    f"{base_name!r} is neither a shipped mapping "
                    f"({', '.join(shipped_names())}) nor a file next to this one",
                )
            ]
        )
    if base_path.resolve() in seen:
        raise ImportFileError(
            [ImportProblem(where, f"{base_name!r} extends this file again (a loop)")]
        )
    if len(seen) >= MAX_EXTENDS:
        raise ImportFileError(
            [ImportProblem(where, f"extends too deeply (at most {MAX_EXTENDS} files)")]
        )
    base = _load_chain(base_path, chain, seen=seen)
    chain.append(source)
    merged = _merge(base, data)
    merged.pop("extends", None)
    return merged


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """``override`` laid over ``base``: mappings merge key by key, anything
    else replaces, and a key set to null removes the inherited value (so a
    plan's mapping can drop a label the shipped one maps)."""
    merged = dict(base)
    for key, value in override.items():
        if value is None:
            merged.pop(key, None)
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _has_path(data: Any, path: Sequence[str | int]) -> int:
    """How many steps of ``path`` exist in ``data``."""
    depth = 0
    for step in path:
        if isinstance(data, dict):
            found = step in data
        elif isinstance(data, list) and isinstance(step, int):
            found = 0 <= step < len(data)
        else:
            found = False
        if not found:
            break
        data = data[step]
        depth += 1
    return depth


def _problem(
    sources: list[_Source], path: Sequence[str | int], message: str
) -> ImportProblem:
    # The file that holds the most of the path is the one to fix; on a tie
    # the file given (first) wins, since that is the one the user wrote.
    best = max(sources, key=lambda s: _has_path(s.document.data, path))
    return ImportProblem(
        Where(
            best.file,
            line=best.document.line_of(path),
            column=format_path(path) or None,
        ),
        message,
    )


def _is_union_member(step: Any) -> bool:
    # pydantic names the union member it tried ("int", "dict[str,...]");
    # the reader of a problem wants the field's path only.
    return isinstance(step, str) and (
        step in {"int", "str", "decimal", "function-after[...]"}
        or "[" in step
        or step.startswith("constrained")
    )


def _pydantic_message(item: Any) -> str:
    kind = item.get("type", "")
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "is not a field of this format (see docs/import-lbf.md)"
    if kind == "string_pattern_mismatch":
        pattern = str(item.get("ctx", {}).get("pattern", ""))
        if "A-Z" in pattern:
            return f"{item.get('input')!r} is not a column letter (A, B, ..., AA)"
        return (
            f"{item.get('input')!r} is not a slug (lower-case letters, digits "
            "and hyphens)"
        )
    if kind == "literal_error" and item["loc"] == ("format",):
        return f"must be '{FORMAT}'"
    return str(item.get("msg", "is invalid"))


def _compile(
    spec: MappingFile, sources: list[_Source], *, name: str, text: str, path: Path
) -> LbfMapping:
    problems: list[ImportProblem] = []

    def add(field_path: Sequence[str | int], message: str) -> None:
        problems.append(_problem(sources, field_path, message))

    population = _label_rule(spec.population, "population", "area", add)
    indicator = (
        _label_rule(spec.indicator, "indicator", "indicator", add)
        if spec.indicator is not None
        else None
    )
    # Each layout reads its own keys; the other layout's keys are problems.
    columns = (_wide_columns if spec.layout == "wide" else _long_columns)(
        spec, indicator, add
    )
    _check_overlap(
        add,
        population,
        indicator,
        columns.period_first,
        columns.period_last,
        columns.period_column,
        columns.value_column,
        columns.value_columns,
    )
    period_labels = _normalised_map(spec.periods.labels, ["periods", "labels"], add)
    if isinstance(spec.sheet, str) and spec.sheet.strip().isdigit():
        # A quoted number is a sheet name to YAML; a sheet named with
        # digits only is rare, so the position was most likely meant.
        add(
            ["sheet"],
            f"{spec.sheet!r} is text; write sheet: {spec.sheet.strip()} "
            "(no quotes) for the sheet's position, or the sheet's name",
        )
    # Every problem in the mapping is reported at once, before any is used.
    if problems:
        raise ImportFileError(problems)
    return _checked_mapping(
        spec,
        population,
        indicator,
        columns,
        period_labels,
        name=name,
        text=text,
        path=path,
    )


@dataclass(frozen=True)
class _LayoutColumns:
    """Where a layout finds its periods and values: a range of period
    columns (wide), or a period column with one value column or one per
    indicator (long)."""

    period_first: int | None = None
    period_last: int | None = None
    period_column: int | None = None
    value_column: int | None = None
    value_columns: dict[int, str] = field(default_factory=dict)


def _checked_mapping(
    spec: MappingFile,
    population: LabelRule,
    indicator: LabelRule | None,
    columns: _LayoutColumns,
    period_labels: dict[str, str],
    *,
    name: str,
    text: str,
    path: Path,
) -> LbfMapping:
    """The mapping a reader uses, from a mapping file found free of
    problems: column letters as indexes, labels normalised."""
    scale, scale_by_indicator = _scales(spec)
    label_columns = tuple(
        rule.column
        for rule in (population, indicator)
        if rule is not None and rule.column is not None
    )
    return LbfMapping(
        name=name,
        layout=spec.layout,
        sheet=spec.sheet,
        header_row=spec.header_row,
        expect_header={
            column_index(letter): (letter, expected)
            for letter, expected in spec.expect_header.items()
        },
        population=population,
        indicator=indicator,
        period_first=columns.period_first,
        period_last=columns.period_last,
        period_column=columns.period_column,
        period_labels=period_labels,
        value_column=columns.value_column,
        value_columns=columns.value_columns,
        ignore_labels=frozenset(normalise_label(t) for t in spec.ignore.labels),
        ignore_prefixes=tuple(normalise_label(t) for t in spec.ignore.prefixes),
        skip_unmapped=spec.skip_unmapped,
        scale=scale,
        scale_by_indicator=scale_by_indicator,
        blank=spec.blank,
        discretion_markers=frozenset(
            normalise_label(t) for t in spec.discretion_markers
        ),
        text=text,
        path=path,
        shipped=path.resolve().parent == SHIPPED_DIR,
        label_columns=label_columns,
    )


def _wide_columns(
    spec: MappingFile, indicator: LabelRule | None, add: _Add
) -> _LayoutColumns:
    """The first and last period columns of a wide sheet (one column per
    period; the last None when the range is open), adding a problem for
    each key the wide layout cannot use or misses."""
    period_first = period_last = None
    periods = spec.periods
    if periods.column is not None:
        add(
            ["periods", "column"],
            "the wide layout reads periods across the header row; use "
            "periods.across (or layout: long)",
        )
    if periods.across is None:
        add(["periods"], "the wide layout needs periods.across, e.g. 'C:L'")
    else:
        parsed = _parse_across(periods.across)
        if parsed is None:
            add(
                ["periods", "across"],
                f"{periods.across!r} is not a column range such as 'C:L' or 'C:'",
            )
        else:
            period_first, period_last = parsed
    if spec.values is not None:
        add(
            ["values"],
            "the wide layout reads values under the period headers; "
            "values is for layout: long",
        )
    if indicator is None:
        add(
            ["indicator"],
            "is required: a label column or a fixed indicator for the sheet",
        )
    return _LayoutColumns(period_first=period_first, period_last=period_last)


def _long_columns(
    spec: MappingFile, indicator: LabelRule | None, add: _Add
) -> _LayoutColumns:
    """The period column, the value column and the per-indicator value
    columns of a long sheet (one row per period), adding a problem for each
    key the long layout cannot use or misses. The indicator comes from
    ``indicator`` with one value column, from the column's own slug with
    several, so exactly one of the two must be given."""
    period_column = value_column = None
    value_columns: dict[int, str] = {}
    periods = spec.periods
    if periods.across is not None:
        add(
            ["periods", "across"],
            "the long layout reads periods from one column; use periods.column",
        )
    if periods.column is None:
        add(["periods"], "the long layout needs periods.column, e.g. 'B'")
    else:
        period_column = column_index(periods.column)
    if spec.values is None:
        add(["values"], "the long layout needs values.column or values.columns")
        return _LayoutColumns(period_column=period_column)
    if (spec.values.column is None) == (not spec.values.columns):
        add(["values"], "give either values.column or values.columns, not both")
    if spec.values.column is not None:
        value_column = column_index(spec.values.column)
        if indicator is None:
            add(
                ["indicator"],
                "is required with values.column: a label column or a fixed indicator",
            )
    if spec.values.columns:
        value_columns = {
            column_index(letter): slug for letter, slug in spec.values.columns.items()
        }
        if indicator is not None:
            add(
                ["indicator"],
                "values.columns names each column's indicator; remove "
                "indicator (in a mapping that extends: indicator: null)",
            )
    return _LayoutColumns(
        period_column=period_column,
        value_column=value_column,
        value_columns=value_columns,
    )


def _scales(spec: MappingFile) -> tuple[Decimal, dict[str, Decimal]]:
    """The factor for every indicator and the factors per indicator: the
    mapping's ``scale`` is either one number or a map from indicator slug
    to number, and an indicator the map leaves out is not scaled."""
    if isinstance(spec.scale, dict):
        return Decimal(1), dict(spec.scale)
    return spec.scale, {}


def _label_rule(spec: LabelSpec, field_name: str, what: str, add: _Add) -> LabelRule:
    if (spec.column is None) == (spec.fixed is None):
        add([field_name], "give either column (with values) or fixed, not both")
    if spec.fixed is not None and spec.values:
        add([field_name, "values"], "a fixed slug takes no values")
    if spec.fixed is not None and spec.pass_unmapped:
        add([field_name, "pass_unmapped"], "a fixed slug has no labels to pass on")
    values = _normalised_map(spec.values, [field_name, "values"], add)
    return LabelRule(
        field=field_name,
        what=what,
        column=column_index(spec.column) if spec.column else None,
        letter=spec.column,
        fixed=spec.fixed,
        values=values,
        written=tuple(label for label, slug in spec.values.items() if slug),
        pass_unmapped=spec.pass_unmapped,
    )


def _normalised_map(
    mapping: Mapping[str, str | None], path: list[str | int], add: _Add
) -> dict[str, str]:
    # Two labels that differ only in case or spacing would silently shadow
    # each other; say so instead.
    result: dict[str, str] = {}
    written: dict[str, str] = {}
    for label, target in mapping.items():
        if target is None:
            continue  # removed by a mapping that extends this one
        key = normalise_label(label)
        if key in written and result[key] != target:
            add(
                [*path, label],
                f"{label!r} and {written[key]!r} are the same label once case "
                "and spaces are ignored, but map to different slugs",
            )
        written.setdefault(key, label)
        result[key] = target
    return result


def _parse_across(text: str) -> tuple[int, int | None] | None:
    first, sep, last = text.replace(" ", "").upper().partition(":")
    if not sep or not first.isalpha() or len(first) > 3:
        return None
    if last and (not last.isalpha() or len(last) > 3):
        return None
    start = column_index(first)
    end = column_index(last) if last else None
    if end is not None and end < start:
        return None
    return start, end


def _check_overlap(
    add: _Add,
    population: LabelRule,
    indicator: LabelRule | None,
    period_first: int | None,
    period_last: int | None,
    period_column: int | None,
    value_column: int | None,
    value_columns: dict[int, str],
) -> None:
    """A column can play one part only: a label column inside the period
    range would be read as numbers, and the other way round."""
    used: dict[int, str] = {}

    def claim(index: int | None, path: list[str | int], what: str) -> None:
        if index is None:
            return
        if index in used:
            add(path, f"column {_letter_of(index)} is already {used[index]}")
        else:
            used[index] = what

    claim(population.column, ["population", "column"], "the population column")
    if indicator is not None:
        claim(indicator.column, ["indicator", "column"], "the indicator column")
    claim(period_column, ["periods", "column"], "the period column")
    claim(value_column, ["values", "column"], "the value column")
    for index in value_columns:
        claim(index, ["values", "columns"], "a value column")
    if period_first is not None:
        for index, what in used.items():
            if index >= period_first and (period_last is None or index <= period_last):
                add(
                    ["periods", "across"],
                    f"the period columns include column {_letter_of(index)}, "
                    f"which is {what}",
                )


def _letter_of(index: int) -> str:
    return column_letter(index)
