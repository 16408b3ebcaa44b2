"""Properties of the tidy import that must hold for every file, not just
the examples: every valid row round-trips exactly (through the database
and through ``fremdrift observations`` re-imported), and a file with one
row corrupted in a known way is refused with exactly that problem and
writes nothing.

Hypothesis writes the files: a random set of keys, values within each
unit's range with up to six decimals, a decimal comma or point, commas or
semicolons, UTF-8 (with or without a BOM) or Windows-1252 with Danish
letters in the notes, the optional columns present or not, English or
Danish column names in any order, and discretion markers. Each example
runs inside a transaction that is rolled back, on the plan the test loaded
once.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fremdrift.base.spreadsheets import unguarded
from fremdrift.statistics.models import ImportBatch, Observation, ObservationChange
from fremdrift.statistics.services import observations_import

PROPERTY_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    # The plan is loaded once per test; every example rolls back its own
    # transaction, so the function-scoped fixture is the same for each.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

# The plan's indicators (tests/statistics/conftest.py): unit bounds for a
# level, whether the value is a whole number of persons.
INDICATORS: dict[str, tuple[Decimal, Decimal, bool]] = {
    "employment": (Decimal(0), Decimal(100), False),
    "charged-per-1000": (Decimal(0), Decimal(1000), False),
    "charged-persons": (Decimal(0), Decimal(10) ** 8, True),
    "employment-change": (Decimal(-1000), Decimal(1000), False),
}
POPULATIONS = ("nord", "syd", "kommunen")
PERIODS = (
    "2012",
    "2022",
    "2023",
    "2031",
    "2024K3",
    "2023M08",
    "2021T2",
    "2020/21",
    "2017-2021",
    "2024-06-01",
    "2020-07-01..2021-06-30",
)
# Column names a file may use: ours or the Danish ones.
NAMES = {
    "indicator": ("indicator", "indikator", "Indicator"),
    "population": ("population",),
    "period": ("period", "periode"),
    "value": ("value", "værdi"),
    "numerator": ("numerator", "tæller"),
    "denominator": ("denominator", "nævner"),
    "note": ("note", "bemærkning"),
    "flags": ("flags", "flag"),
}
OPTIONAL = ("numerator", "denominator", "note", "flags")
NO_VALUE_FLAGS = ("missing", "unreadable", "suppressed")
OTHER_FLAGS = ("derived", "method_changed", "contradictory")
MARKERS = ("..", "<5")
# Text every encoding here can write, Danish letters included; a note
# never starts or ends with a space because cells are stripped.
NOTE_ALPHABET = "abcdefghijklmnopqrstuvwxyzæøåÆØÅé ABC0123456789,;.:-'\"/()%\n"

# The importers' problems as the import command prints them.
pytestmark = pytest.mark.usefixtures("media", "english")


@pytest.fixture
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Imported files are kept under MEDIA_ROOT: keep them in tmp_path."""
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass
class Row:
    indicator: str
    population: str
    period: str
    value: Decimal | None  # None: a marker or an empty value
    value_text: str
    numerator: Decimal | None = None
    numerator_text: str = ""
    denominator: Decimal | None = None
    denominator_text: str = ""
    note: str = ""
    flags: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.indicator, self.population, self.period)


@dataclass
class TidyFile:
    rows: list[Row]
    columns: list[str]  # our field names, in file order
    headers: dict[str, str]  # field -> the header text the file uses
    delimiter: str
    decimal_comma: bool
    encoding: str
    line_end: str

    def text(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, delimiter=self.delimiter, lineterminator=self.line_end)
        writer.writerow([self.headers[c] for c in self.columns])
        for row in self.rows:
            writer.writerow([self.cell(row, c) for c in self.columns])
        return out.getvalue()

    def cell(self, row: Row, column: str) -> str:
        if column == "value":
            return row.value_text
        if column == "numerator":
            return row.numerator_text
        if column == "denominator":
            return row.denominator_text
        if column == "flags":
            return ";".join(row.flags)
        return str(getattr(row, column))

    def line_of(self, index: int) -> int:
        """The line row ``index`` starts on (a note may hold newlines)."""
        out = io.StringIO()
        writer = csv.writer(out, delimiter=self.delimiter, lineterminator=self.line_end)
        writer.writerow([self.headers[c] for c in self.columns])
        for row in self.rows[:index]:
            writer.writerow([self.cell(row, c) for c in self.columns])
        return out.getvalue().count("\n") + 1

    def write(self, path: Path) -> Path:
        path.write_bytes(self.text().encode(self.encoding))
        return path


def number_text(number: Decimal, places: int, decimal_comma: bool, draw) -> str:  # type: ignore[no-untyped-def]
    """``number`` as a person or a program would write it."""
    text = format(number, "f")
    if decimal_comma:
        whole, _, decimals = text.partition(".")
        # The Danish thousands form needs the comma to be read as such.
        if decimals and abs(number) >= 1000 and draw(st.booleans()):
            sign = "-" if whole.startswith("-") else ""
            digits = whole.lstrip("-")
            groups: list[str] = []
            while len(digits) > 3:
                groups.insert(0, digits[-3:])
                digits = digits[:-3]
            whole = sign + ".".join([digits, *groups])
        text = whole + ("," + decimals if decimals else "")
    return text


@st.composite
def decimals_in(draw, low: Decimal, high: Decimal, whole: bool = False):  # type: ignore[no-untyped-def]
    places = 0 if whole else draw(st.integers(0, 6))
    number = draw(
        st.decimals(
            min_value=low,
            max_value=high,
            places=places,
            allow_nan=False,
            allow_infinity=False,
        )
    )
    return number, places


@st.composite
def rows_for(draw, key, columns, decimal_comma):  # type: ignore[no-untyped-def]
    indicator, population, period = key
    low, high, whole = INDICATORS[indicator]
    has_flags = "flags" in columns
    kind = draw(
        st.sampled_from(
            ["number", "number", "number", "marker"] + (["empty"] if has_flags else [])
        )
    )
    flags: list[str] = []
    if kind == "number":
        number, places = draw(decimals_in(low, high, whole))
        value: Decimal | None = number
        value_text = number_text(number, places, decimal_comma, draw)
        if indicator == "employment" and draw(st.booleans()):
            value_text += "%"
        if has_flags:
            flags = draw(st.lists(st.sampled_from(OTHER_FLAGS), unique=True))
    elif kind == "marker":
        value, value_text = None, draw(st.sampled_from(MARKERS))
        if has_flags:
            flags = draw(
                st.lists(st.sampled_from((*OTHER_FLAGS, "suppressed")), unique=True)
            )
    else:
        value, value_text = None, ""
        flags = draw(
            st.lists(
                st.sampled_from((*OTHER_FLAGS, *NO_VALUE_FLAGS)), unique=True
            ).filter(lambda f: set(f) & set(NO_VALUE_FLAGS))
        )
    row = Row(indicator, population, period, value, value_text, flags=flags)
    for part, minimum in (("numerator", Decimal(0)), ("denominator", Decimal(1))):
        if part in columns and draw(st.booleans()):
            number, places = draw(decimals_in(minimum, Decimal(100_000)))
            setattr(row, part, number)
            setattr(
                row, part + "_text", number_text(number, places, decimal_comma, draw)
            )
    if "note" in columns:
        row.note = draw(st.text(NOTE_ALPHABET, max_size=40)).strip()
    return row


@st.composite
def tidy_files(draw) -> TidyFile:  # type: ignore[no-untyped-def]
    optional = draw(st.lists(st.sampled_from(OPTIONAL), unique=True))
    columns = draw(
        st.permutations(["indicator", "population", "period", "value", *optional])
    )
    headers = {c: draw(st.sampled_from(NAMES[c])) for c in columns}
    decimal_comma = draw(st.booleans())
    keys = draw(
        st.lists(
            st.tuples(
                st.sampled_from(sorted(INDICATORS)),
                st.sampled_from(POPULATIONS),
                st.sampled_from(PERIODS),
            ),
            min_size=1,
            max_size=12,
            unique=True,
        )
    )
    rows = [draw(rows_for(key, columns, decimal_comma)) for key in keys]
    return TidyFile(
        rows=rows,
        columns=columns,
        headers=headers,
        delimiter=draw(st.sampled_from([",", ";"])),
        decimal_comma=decimal_comma,
        encoding=draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"])),
        line_end=draw(st.sampled_from(["\n", "\r\n"])),
    )


@contextmanager
def rolled_back() -> Iterator[None]:
    """One example's database work, undone afterwards."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def stored(plan) -> dict[tuple[str, str, str], dict[str, Any]]:  # type: ignore[no-untyped-def]
    return {
        (o.indicator.slug, o.population.slug, o.period): {
            "value": o.value,
            "numerator": o.numerator,
            "denominator": o.denominator,
            "note": o.note,
            "flags": list(o.flags),
        }
        for o in Observation.objects.filter(indicator__plan=plan).select_related(
            "indicator", "population"
        )
    }


def expected(row: Row, columns: list[str], before: dict[str, Any] | None):  # type: ignore[no-untyped-def]
    """What the observation holds after the row: the file's fields, and
    what was there for the columns the file leaves out."""
    kept = before or {"numerator": None, "denominator": None, "note": "", "flags": []}
    suppressed = row.value_text in MARKERS
    if "flags" in columns:
        flags = list(row.flags)
        if suppressed and "suppressed" not in flags:
            flags.append("suppressed")
    else:
        flags = [f for f in kept["flags"] if f not in NO_VALUE_FLAGS]
        if suppressed:
            flags.append("suppressed")
    return {
        "value": row.value,
        "numerator": row.numerator if "numerator" in columns else kept["numerator"],
        "denominator": row.denominator
        if "denominator" in columns
        else kept["denominator"],
        "note": row.note if "note" in columns else kept["note"],
        "flags": flags,
    }


def exported(  # type: ignore[no-untyped-def]
    plan,
) -> tuple[dict[tuple[str, str, str], dict[str, Any]], str]:
    """The plan's observations as ``fremdrift observations`` prints them,
    read back by key (a formula-like note without the apostrophe the
    export guards it with, base/spreadsheets.py), and the text itself."""
    out = io.StringIO()
    call_command("observations", plan.slug, stdout=out)
    reader = csv.DictReader(io.StringIO(out.getvalue(), newline=""))
    return {
        (r["indicator"], r["population"], r["period"]): {
            "value": Decimal(r["value"]) if r["value"] else None,
            "numerator": Decimal(r["numerator"]) if r["numerator"] else None,
            "denominator": Decimal(r["denominator"]) if r["denominator"] else None,
            "note": unguarded(r["note"]),
            "flags": r["flags"].split(";") if r["flags"] else [],
        }
        for r in reader
    }, out.getvalue()


@PROPERTY_SETTINGS
@given(tidy=tidy_files())
def test_every_valid_row_round_trips_exactly(plan, tmp_path, tidy):
    with rolled_back():
        before = stored(plan)
        path = tidy.write(tmp_path / "gyldig.csv")
        result = observations_import(plan=plan, path=path)
        assert result.problems == [], tidy.text()
        assert result.rows == len(tidy.rows)
        assert result.created + result.changed + result.unchanged == len(tidy.rows)
        after = stored(plan)
        for row in tidy.rows:
            assert after[row.key] == expected(row, tidy.columns, before.get(row.key))
        # Nothing else moved.
        keys = {row.key for row in tidy.rows}
        assert {k: v for k, v in after.items() if k not in keys} == {
            k: v for k, v in before.items() if k not in keys
        }
        # The plan's own export carries the rows exactly and imports again
        # with nothing changed.
        rows, text = exported(plan)
        for row in tidy.rows:
            assert rows[row.key] == after[row.key]
        export = tmp_path / "eksport.csv"
        export.write_text(text, encoding="utf-8")
        again = observations_import(plan=plan, path=export)
        assert again.problems == []
        assert again.nothing_changed
        # And so does the file itself.
        assert observations_import(plan=plan, path=path).nothing_changed


# Ways to break one row, each with the problem it must give: the field the
# problem points at and a fragment of its message.
def corruptions(row: Row, tidy: TidyFile, other: Row | None):  # type: ignore[no-untyped-def]
    low, _high, whole = INDICATORS[row.indicator]
    found: list[tuple[str, dict[str, Any], str, str]] = [
        ("value", {"value_text": "fyrre"}, "value", "'fyrre' is not a number"),
        ("period", {"period": "2023Q1"}, "period", "invalid period '2023Q1'"),
        (
            "period",
            {"period": "1990"},
            "period",
            "period '1990' lies outside the plan's data range (2012-2031)",
        ),
        (
            "indicator",
            {"indicator": "ukendt-tal"},
            "indicator",
            "unknown indicator 'ukendt-tal'",
        ),
        (
            "population",
            {"population": "vestbyen"},
            "population",
            "unknown population 'vestbyen'",
        ),
    ]
    if low == 0:
        found.append(("value", {"value_text": "-1"}, "value", "-1 is "))
    if row.indicator == "employment":
        found.append(("value", {"value_text": "100.5"}, "value", "is not a percent"))
    if row.indicator == "charged-per-1000":
        found.append(("value", {"value_text": "1000.5"}, "value", "rate per 1000"))
    if whole:
        found.append(("value", {"value_text": "2.5"}, "value", "whole number"))
    if "flags" in tidy.columns:
        found.append(("flags", {"flags": ["skjult"]}, "flags", "unknown flag 'skjult'"))
    if "denominator" in tidy.columns:
        found.append(
            (
                "denominator",
                {"denominator_text": "0"},
                "denominator",
                "denominator 0 must be greater than zero",
            )
        )
    if other is not None:
        found.append(
            (
                "period",
                # The whole of the other row, so that only the key is wrong.
                {name: getattr(other, name) for name in Row.__dataclass_fields__},
                "period",
                "is given twice (first on line",
            )
        )
    return found


@PROPERTY_SETTINGS
@given(tidy=tidy_files(), data=st.data())
def test_one_corrupted_row_gives_exactly_its_problem_and_writes_nothing(
    plan, tmp_path, tidy, data
):
    index = data.draw(st.integers(0, len(tidy.rows) - 1), label="row")
    row = tidy.rows[index]
    earlier = tidy.rows[:index]
    other = data.draw(st.sampled_from(earlier)) if earlier else None
    name, changes, column, fragment = data.draw(
        st.sampled_from(corruptions(row, tidy, other)), label="corruption"
    )
    for attribute, value in changes.items():
        setattr(row, attribute, value)
    if name == "value":
        row.flags = [f for f in row.flags if f not in NO_VALUE_FLAGS]
    with rolled_back():
        before = (
            stored(plan),
            ImportBatch.objects.count(),
            ObservationChange.objects.count(),
        )
        path = tidy.write(tmp_path / "ugyldig.csv")
        result = observations_import(plan=plan, path=path)
        problems = [(str(p.where), p.message) for p in result.problems]
        assert len(problems) == 1, (problems, tidy.text())
        ((location, message),) = problems
        line = tidy.line_of(index)
        assert location == f"ugyldig.csv:{line}: {tidy.headers[column]}"
        assert fragment in message
        if other is not None and name == "period" and "twice" in fragment:
            assert f"(first on line {tidy.line_of(tidy.rows.index(other))})" in message
        assert result.batch is None
        assert (
            stored(plan),
            ImportBatch.objects.count(),
            ObservationChange.objects.count(),
        ) == before
