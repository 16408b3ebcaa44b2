"""Which model field holds each field of a plan folder, one table per
entity. The loader and the dumper both read these tables, so that a new
field is added in one place and load -> dump -> load stays a fixed point.

A table lists an entity's fields in the order the plan format writes them
(docs/plan-format.md). The model fields that an entity's load step adds
(the plan a row belongs to, its order, its owner) are not in the file and
not in the table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any

from fremdrift.base.yamlio import decimal_text

from .schema import MeasureSpec


def _same(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class FileField:
    """One field of a plan file and the model field that stores it.

    ``load`` turns the validated file value into the model's value and
    ``dump`` turns it back. ``always`` fields are written even when empty
    (the format requires them). A ``by_step`` field names other rows (a
    slug, a nested list) or depends on them: the entity's load and dump
    steps work it out, and the table only gives its place in the file.
    """

    name: str
    column: str = ""
    load: Callable[[Any], Any] = _same
    dump: Callable[[Any], Any] = _same
    always: bool = False
    by_step: bool = False

    def __post_init__(self) -> None:
        if not self.column:
            object.__setattr__(self, "column", self.name)


def model_values(fields: Iterable[FileField], spec: Any) -> dict[str, Any]:
    """The model's values of the fields that the table converts itself."""
    return {f.column: f.load(getattr(spec, f.name)) for f in fields if not f.by_step}


def model_columns(fields: Iterable[FileField]) -> list[str]:
    return [f.column for f in fields if not f.by_step]


def file_values(
    fields: Iterable[FileField], row: Any, **by_step: Any
) -> dict[str, Any]:
    """The file's fields of ``row`` in the file's order; ``by_step`` gives
    the value of every field that the step works out."""
    fields = list(fields)
    expected = {f.name for f in fields if f.by_step}
    if set(by_step) != expected:
        raise TypeError(
            f"by_step fields: expected {sorted(expected)}, got {sorted(by_step)}"
        )
    return {
        f.name: by_step[f.name] if f.by_step else f.dump(getattr(row, f.column))
        for f in fields
    }


def always_written(fields: Iterable[FileField]) -> list[str]:
    return [f.name for f in fields if f.always]


# An optional text is "" in the database; the file may leave it out.
def _text(value: str | None) -> str:
    return value or ""


def _or_none(value: Any) -> Any:
    return value or None


def _choice(value: Enum) -> Any:
    return value.value


def _optional_choice(value: Enum | None) -> Any:
    return value.value if value else ""


def _choices(values: Iterable[Enum]) -> list[Any]:
    return [value.value for value in values]


def number(value: Decimal | None) -> Decimal | None:
    """A stored decimal as the file writes it, without trailing zeros."""
    return None if value is None else Decimal(value).normalize()


def csv_number(value: Decimal | None) -> str:
    if value is None:
        return ""
    return decimal_text(Decimal(value))


def _measure_json(measure: MeasureSpec | None) -> dict[str, Any]:
    if measure is None:
        return {}
    return measure.model_dump(mode="json", exclude_none=True)


def _measure_data(measure: dict[str, Any]) -> dict[str, Any] | None:
    # A JSON field's keys come back in the database's order (PostgreSQL's
    # jsonb sorts them by length); a dump writes the format's order.
    rank = {key: index for index, key in enumerate(MeasureSpec.model_fields)}
    ordered = sorted(measure.items(), key=lambda item: rank.get(item[0], len(rank)))
    return dict(ordered) or None


def _aggregation_data(aggregation: str) -> str | None:
    # "latest" is the format's default and is left out.
    return None if aggregation == "latest" else aggregation


# A list is copied each way, so that a row never shares a list with the
# validated file or the other way round.
def _list(field: str, column: str = "", load: Callable[[Any], Any] = list) -> FileField:
    return FileField(field, column, load=load, dump=list)


# plan: in plan.yaml, stored on the Plan.
PLAN_FIELDS = (
    FileField("slug", always=True),
    FileField("name", always=True),
    FileField("short_name"),
    FileField("start", always=True),
    FileField("end", always=True),
    FileField("vision"),
    FileField("organisation", always=True, by_step=True),
    FileField("municipality"),
    FileField("predecessor", load=_text),
    FileField("successor", load=_text),
    FileField("introduction"),
    FileField("method"),
    FileField("summary"),
    FileField("size", by_step=True),
    FileField("commentary", by_step=True),
    _list("notes"),
    _list("working_notes"),
)

# The top level of plan.yaml, stored on the Plan; its other keys are the
# sections with tables of their own.
PLAN_FILE_FIELDS = (FileField("other_activities"),)

# supplementary_funding: in plan.yaml, stored on the Plan.
FUNDING_FIELDS = (
    FileField("total_dkk", "funding_total_dkk", dump=number),
    FileField("total_note", "funding_note"),
    FileField("projects", by_step=True),
)

FUNDING_PROJECT_FIELDS = (
    FileField("name", always=True),
    FileField("funder", load=_text),
    FileField("amount_dkk", dump=number),
)

# A plan's or an area's size, one SizeRecord each.
SIZE_FIELDS = (
    FileField("as_of", always=True),
    FileField("source"),
    FileField("housing_organisations"),
    FileField("department_boards"),
    FileField("leases"),
    FileField("residents"),
)

AREA_FIELDS = (
    FileField("slug", always=True),
    FileField("name", always=True),
    _list("aliases"),
    _list("housing_organisations"),
    FileField("size", by_step=True),
)

# The populations that are not areas; every area is a population too,
# which the loader adds and the dumper leaves out.
POPULATION_FIELDS = (
    FileField("slug", always=True),
    FileField("name", always=True),
    FileField("kind", always=True),
    _list("aliases"),
    FileField("parts", by_step=True),
)

INDICATOR_FIELDS = (
    FileField("slug", always=True),
    FileField("name", always=True),
    FileField("short_name"),
    FileField("unit", load=_choice, always=True),
    FileField("unit_label", load=_text),
    FileField("better", load=_choice, always=True),
    FileField("definition"),
    FileField("source"),
    FileField("measured", load=_text),
    FileField("counts_persons"),
    FileField("additive"),
    FileField("change"),
    FileField("denominator_indicator", by_step=True),
    _list("notes"),
    _list("working_notes"),
)

GOAL_FIELDS = (
    FileField("slug", always=True),
    FileField("name", always=True),
    FileField("description"),
    FileField("indicators", by_step=True),
    FileField("criteria", by_step=True),
)

EFFORT_AREA_FIELDS = (
    FileField("slug", always=True),
    FileField("name", always=True),
    FileField("description"),
    FileField("commentary", by_step=True),
    FileField("criteria", by_step=True),
    FileField("activities", by_step=True),
)

ACTIVITY_FIELDS = (
    FileField("slug", always=True),
    FileField("name", always=True),
    FileField("description"),
    FileField("target_group", load=_text),
    _list("partners"),
    FileField("start"),
    FileField("end"),
    FileField("extended_to"),
    FileField("decisions", by_step=True),
    FileField("commentary", by_step=True),
    _list("notes"),
    _list("working_notes"),
    FileField("criteria", by_step=True),
    FileField("sub_activities", by_step=True),
)

DECISION_FIELDS = (
    FileField("date"),
    FileField("text", always=True),
)

# One commentary per period on the plan, on an effort area or on an
# activity; "" is the one without a period.
COMMENTARY_FIELDS = (
    FileField("period", load=_text, dump=_or_none),
    FileField("text", always=True),
    FileField("author"),
)

CRITERION_FIELDS = (
    FileField("id", "ident", always=True),
    FileField("text", always=True),
    FileField("own_defined"),
    FileField("counts_persons"),
    FileField("kind", load=_choice, always=True),
    # Left out of the file when it is the indicator's or the measure's.
    FileField("unit", by_step=True),
    FileField("unit_label", load=_text),
    FileField("better", load=_optional_choice, dump=_or_none),
    FileField("target", by_step=True),
    FileField("target_revisions", by_step=True),
    FileField("aggregation", load=_choice, dump=_aggregation_data),
    FileField("baseline", by_step=True),
    FileField("indicator", by_step=True),
    FileField("population", by_step=True),
    FileField("values", by_step=True),
    FileField("measure", load=_measure_json, dump=_measure_data),
    FileField("period", load=_text, dump=_or_none),
    FileField("reported_verdict", load=_optional_choice, dump=_or_none),
    FileField("evidence", load=_text),
    FileField("verdict", "recorded_verdict", load=_optional_choice, dump=_or_none),
    _list("notes"),
    _list("working_notes"),
)

# A criterion's baseline, stored on the criterion itself.
BASELINE_FIELDS = (
    FileField("value", "baseline_value", dump=number),
    FileField("numerator", "baseline_numerator", dump=number),
    FileField("denominator", "baseline_denominator", dump=number),
    FileField("period", "baseline_period", load=_text, dump=_or_none),
    FileField("note", "baseline_note"),
    _list("flags", "baseline_flags", load=_choices),
)

# A criterion's reported values (ReportedValue).
VALUE_FIELDS = (
    FileField("period", always=True),
    FileField("value", dump=number),
    FileField("numerator", dump=number),
    FileField("denominator", dump=number),
    FileField("source"),
    FileField("note"),
    _list("flags", load=_choices),
)

# observations.csv: its columns, from a validated row to an Observation
# and back to the cells of the file.
OBSERVATION_FIELDS = (
    FileField("indicator", by_step=True),
    FileField("population", by_step=True),
    FileField("period", by_step=True),
    FileField("value", dump=csv_number),
    FileField("numerator", dump=csv_number),
    FileField("denominator", dump=csv_number),
    FileField("note"),
    FileField("flags", load=list, dump=";".join),
)
