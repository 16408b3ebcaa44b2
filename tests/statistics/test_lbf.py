"""Landsbyggefonden's Excel tables: the reader, its mapping files and an
import into the small test plan.

The tables are constructed (tests/statistics/fixtures/lbf/make_fixtures.py)
in the two layouts fremdrift ships mappings for; see docs/import-lbf.md.
"""

from __future__ import annotations

import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from fremdrift.statistics.importers import reader_for
from fremdrift.statistics.importers.base import (
    ImportFileError,
    ImportProblem,
    SourceRow,
)
from fremdrift.statistics.importers.lbf import LbfReader, reader_from_mapping
from fremdrift.statistics.importers.lbf_mapping import SHIPPED_DIR, shipped_names

from .fixtures.lbf import make_fixtures

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "lbf"
WIDE = FIXTURES / "lbf-wide.xlsx"
WIDE_FORMULA = FIXTURES / "lbf-wide-formula.xlsx"
LONG = FIXTURES / "lbf-long.xlsx"

AREAS = """\
population:
  values:
    Eksempelby Nord: nord
    Eksempelby Syd: syd
    Eksempel Kommune: kommunen
"""


def mapping_file(tmp_path: Path, text: str, name: str = "mapping.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def extending(tmp_path: Path, base: str, extra: str = "", areas: str = AREAS) -> Path:
    """A plan's mapping: the shipped ``base`` with the test plan's areas."""
    return mapping_file(
        tmp_path,
        f"format: fremdrift-lbf-mapping/1\nextends: {base}\n{areas}{extra}",
    )


def read(mapping: Path | str, table: Path) -> list[SourceRow | ImportProblem]:
    return list(reader_from_mapping(mapping).read(table, display_name=table.name))


def rows_of(items: list[SourceRow | ImportProblem]) -> list[SourceRow]:
    return [item for item in items if isinstance(item, SourceRow)]


def problems_of(items: list[SourceRow | ImportProblem]) -> list[str]:
    return [str(item) for item in items if isinstance(item, ImportProblem)]


def by_key(rows: list[SourceRow]) -> dict[tuple[str, str, str], SourceRow]:
    return {(r.indicator, r.population, r.period): r for r in rows}


# -- the wide layout ----------------------------------------------------------


def test_wide_table_gives_one_row_per_value_cell_with_sheet_row_and_column(tmp_path):
    items = read(extending(tmp_path, "lbf-wide"), WIDE)

    assert problems_of(items) == []
    rows = rows_of(items)
    # Three areas, two key figures, ten years.
    assert len(rows) == 60
    first = rows[0]
    assert (first.sheet, first.line, first.file) == ("Nøgletal", 5, "lbf-wide.xlsx")
    assert (first.indicator, first.population, first.period) == (
        "employment-18-64",
        "nord",
        "2016",
    )
    assert first.value == "41.2"
    assert first.decimal_comma is False
    assert first.columns == {
        "value": "C",
        "period": "C",
        "population": "A",
        "indicator": "B",
    }
    last = rows[-1]
    assert (last.line, last.columns["value"], last.period) == (10, "L", "2025")
    assert {r.period for r in rows} == {str(year) for year in range(2016, 2026)}


def test_wide_table_passes_discretion_markers_through_as_written(tmp_path):
    rows = by_key(rows_of(read(extending(tmp_path, "lbf-wide"), WIDE)))

    marked = rows[("employment-18-64", "nord", "2019")]
    assert marked.value == ".."
    assert marked.flags is None  # the validator flags it suppressed
    assert rows[("employment-18-64", "syd", "2018")].value == ".."
    # Whole numbers stay whole, floats keep their shortest exact text.
    assert rows[("employment-18-64", "nord", "2017")].value == "42"
    assert rows[("employment-18-64", "nord", "2023")].value == "47"
    assert rows[("education-18-29", "kommunen", "2025")].value == "83.9"


def test_wide_table_ignores_the_totals_row_and_notes_even_with_formulas(tmp_path):
    items = read(extending(tmp_path, "lbf-wide"), WIDE)

    # Row 11 ('I alt') holds AVERAGE formulas; rows 13-14 are notes.
    assert not any(r.line > 10 for r in rows_of(items))
    assert problems_of(items) == []


def test_a_formula_in_a_value_cell_is_a_problem_with_sheet_row_and_column(tmp_path):
    items = read(extending(tmp_path, "lbf-wide"), WIDE_FORMULA)

    problems = [item for item in items if isinstance(item, ImportProblem)]
    assert [(p.where.sheet, p.where.line, p.where.column) for p in problems] == [
        ("Nøgletal", 5, "C"),
        ("Nøgletal", 7, "E"),
    ]
    assert "holds a formula (=41+0.2); save values" in problems[0].message
    assert str(problems[1]).startswith(
        "lbf-wide-formula.xlsx [Nøgletal]:7: E: holds a formula (=D7+1)"
    )
    # The other cells are still read, so that every problem shows at once.
    assert len(rows_of(items)) == 58


def test_unknown_labels_are_reported_once_with_their_count(tmp_path):
    areas = "population:\n  values:\n    Eksempelby Nord: nord\n"
    mapping = mapping_file(
        tmp_path,
        "format: fremdrift-lbf-mapping/1\nextends: lbf-wide\n"
        + areas
        + "  pass_unmapped: false\n",
    )

    items = read(mapping, WIDE)

    problems = [item for item in items if isinstance(item, ImportProblem)]
    assert len(problems) == 2
    syd = problems[0]
    assert (syd.where.line, syd.where.column) == (7, "A")
    assert "unknown area label 'Eksempelby Syd'" in syd.message
    assert "(2 rows, the first here)" in syd.message
    assert "add it to population.values" in syd.message
    assert "unknown area label 'Eksempel Kommune'" in problems[1].message
    assert {r.population for r in rows_of(items)} == {"nord"}


def test_skip_unmapped_passes_over_rows_the_mapping_does_not_name(tmp_path):
    mapping = mapping_file(
        tmp_path,
        "format: fremdrift-lbf-mapping/1\nextends: lbf-wide\n"
        "population:\n  values:\n    eksempelby  NORD: nord\n"
        "  pass_unmapped: false\nskip_unmapped: true\n",
    )

    items = read(mapping, WIDE)

    assert problems_of(items) == []
    # Labels match without regard to case and repeated spaces.
    assert {r.population for r in rows_of(items)} == {"nord"}
    assert len(rows_of(items)) == 20


def test_a_shipped_mapping_used_by_name_passes_area_labels_on_as_written():
    items = read("lbf-wide", WIDE)

    assert problems_of(items) == []
    populations = {r.population for r in rows_of(items)}
    # For the plan to recognise as a population's slug or alias.
    assert populations == {"Eksempelby Nord", "Eksempelby Syd", "Eksempel Kommune"}


def test_an_unknown_indicator_label_of_a_shipped_mapping_says_how_to_extend_it(
    tmp_path,
):
    workbook = make_fixtures.wide()
    workbook["Nøgletal"]["B6"] = "Andel i uddannelse"
    table = tmp_path / "changed.xlsx"
    workbook.save(table)

    problems = problems_of(read("lbf-wide", table))

    assert len(problems) == 1
    assert "changed.xlsx [Nøgletal]:6: B: unknown indicator label" in problems[0]
    assert "write a mapping with 'extends: lbf-wide'" in problems[0]


# -- the long layout ------------------------------------------------------------


def test_long_table_scales_shares_and_leaves_rates_and_markers_alone(tmp_path):
    items = read(extending(tmp_path, "lbf-long"), LONG)

    assert problems_of(items) == []
    rows = by_key(rows_of(items))
    share = rows[("employment-18-64", "nord", "2021")]
    assert share.value == "45.3"  # stored as 0.453, shown as 45.3 %
    assert (share.sheet, share.line) == ("Data", 4)
    assert share.columns == {"value": "C", "period": "B", "population": "A"}
    assert rows[("education-18-29", "nord", "2022")].value == "61"
    assert rows[("charged-per-1000", "nord", "2022")].value == "22.2"
    assert rows[("education-18-29", "nord", "2023")].value == ".."
    assert rows[("charged-per-1000", "syd", "2021")].value == ".."
    # The blank cell gives no row; the totals row and the note are ignored.
    assert ("education-18-29", "syd", "2022") not in rows
    assert len(rows) == 26
    assert max(r.line for r in rows.values()) == 12


def test_long_table_can_read_blank_cells_as_discretioned(tmp_path):
    rows = by_key(
        rows_of(read(extending(tmp_path, "lbf-long", "blank: suppressed\n"), LONG))
    )

    assert rows[("education-18-29", "syd", "2022")].value == ".."
    assert len(rows) == 27


def test_a_share_formatted_as_percent_without_scale_is_reported_once(tmp_path):
    mapping = extending(tmp_path, "lbf-long", "scale: 1\n")

    items = read(mapping, LONG)

    problems = [item for item in items if isinstance(item, ImportProblem)]
    assert len(problems) == 1
    assert (problems[0].where.line, problems[0].where.column) == (4, "C")
    assert "shows 45.3 % but holds 0.453" in problems[0].message
    assert "add 'scale: 100'" in problems[0].message
    assert "(16 cells, the first here)" in problems[0].message
    # Of the numbers, only the rates per 1000 (not percents) are read.
    numbers = [r for r in rows_of(items) if r.value != ".."]
    assert {r.indicator for r in numbers} == {"charged-per-1000"}


def test_text_numbers_are_scaled_too_and_keep_decimal_commas_otherwise(tmp_path):
    workbook = make_fixtures.long()
    sheet = workbook["Data"]
    sheet["C4"] = "0,453"
    sheet["E4"] = "24,1"
    table = tmp_path / "text.xlsx"
    workbook.save(table)

    rows = by_key(rows_of(read(extending(tmp_path, "lbf-long"), table)))

    scaled = rows[("employment-18-64", "nord", "2021")]
    assert (scaled.value, scaled.decimal_comma) == ("45.3", False)
    unscaled = rows[("charged-per-1000", "nord", "2021")]
    assert (unscaled.value, unscaled.decimal_comma) == ("24,1", True)


# -- the sheet and its header ------------------------------------------------------


def test_a_missing_sheet_is_one_problem_that_lists_the_sheets(tmp_path):
    mapping = extending(tmp_path, "lbf-long", "sheet: Tabel 1\n")

    assert problems_of(read(mapping, LONG)) == [
        "lbf-long.xlsx: has no sheet 'Tabel 1' (its sheets: 'Om tabellen', "
        "'Data'); check sheet in the mapping"
    ]


def test_a_sheet_number_past_the_last_sheet_is_one_problem(tmp_path):
    mapping = extending(tmp_path, "lbf-wide", "sheet: 3\n")

    assert problems_of(read(mapping, WIDE)) == [
        "lbf-wide.xlsx: has no sheet number 3; it has 1 ('Nøgletal'); check "
        "sheet in the mapping"
    ]


def test_a_header_row_that_does_not_match_is_one_problem(tmp_path):
    mapping = extending(tmp_path, "lbf-wide", "header_row: 3\n")

    problems = problems_of(read(mapping, WIDE))

    assert problems == [
        "lbf-wide.xlsx [Nøgletal]:3: is not the header row the mapping "
        "expects: A3 is empty, expected 'Område'; B3 is empty, expected "
        "'Nøgletal' (check sheet and header_row in the mapping, or whether "
        "this is the layout the mapping is for)"
    ]


def test_an_empty_sheet_is_one_problem(tmp_path):
    table = tmp_path / "empty.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.title = "Nøgletal"
    workbook.save(table)

    assert problems_of(read(extending(tmp_path, "lbf-wide"), table)) == [
        "empty.xlsx [Nøgletal]: is empty"
    ]


def test_a_sheet_with_a_header_and_no_values_is_one_problem(tmp_path):
    table = tmp_path / "header-only.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in make_fixtures.wide()["Nøgletal"].iter_rows(max_row=4, values_only=True):
        sheet.append(row)
    sheet.append(["Kilde: Landsbyggefonden."])
    workbook.save(table)

    assert problems_of(read(extending(tmp_path, "lbf-wide"), table)) == [
        "header-only.xlsx [Sheet]:5: has a header row but no rows with values under it"
    ]


def test_a_sheet_that_ends_before_the_header_row_is_one_problem(tmp_path):
    table = tmp_path / "short.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Boligsociale data"
    workbook.save(table)

    problems = problems_of(read(extending(tmp_path, "lbf-wide"), table))

    assert len(problems) == 1
    assert (
        "ends before row 4, which the mapping names as the header row" in (problems[0])
    )


# -- files that are not XLSX workbooks ---------------------------------------------


def _zip_without_workbook(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(b"", "is empty (0 bytes)", id="empty"),
        pytest.param(
            "Område;Nøgletal;2016\nEksempelby Nord;Beskæftigelse;41,2\n".encode(),
            "it holds plain text (a CSV file with an .xlsx name?)",
            id="csv-renamed",
        ),
        pytest.param(
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
            + b"\x00" * 504
            + "EncryptedPackage".encode("utf-16-le"),
            "is password-protected; open it in Excel, remove the password",
            id="password-protected",
        ),
        pytest.param(
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + b"Workbook",
            "is an old Excel 97-2003 workbook (.xls), not .xlsx",
            id="xls",
        ),
        pytest.param(
            WIDE.read_bytes()[:300],
            "is not a readable XLSX file: the zip archive is damaged",
            id="truncated",
        ),
        pytest.param(
            b"\x89PNG\r\n\x1a\n" + b"\x00" * 50,
            "is not an XLSX file (it is not a zip archive)",
            id="binary",
        ),
    ],
)
def test_a_file_that_is_not_an_xlsx_workbook_is_one_clear_problem(
    tmp_path, content, expected
):
    table = tmp_path / "tabel.xlsx"
    table.write_bytes(content)

    problems = problems_of(read(extending(tmp_path, "lbf-wide"), table))

    assert len(problems) == 1
    assert problems[0].startswith("tabel.xlsx: ")
    assert expected in problems[0]


def test_a_zip_that_is_no_workbook_is_one_clear_problem(tmp_path):
    table = tmp_path / "tabel.xlsx"
    _zip_without_workbook(table)

    assert problems_of(read(extending(tmp_path, "lbf-wide"), table)) == [
        "tabel.xlsx: is a zip archive but not an Excel workbook; open it in "
        "Excel and save it as Excel Workbook (.xlsx)"
    ]


def test_a_workbook_stored_under_another_name_is_read_by_its_content(tmp_path):
    # Uploads are kept under names of their own; the suffix proves nothing.
    table = tmp_path / "upload.bin"
    table.write_bytes(WIDE.read_bytes())

    assert len(rows_of(read(extending(tmp_path, "lbf-wide"), table))) == 60


# -- mapping files -------------------------------------------------------------------

GOOD = """\
format: fremdrift-lbf-mapping/1
layout: wide
sheet: Nøgletal
header_row: 4
population:
  column: A
  values:
    Eksempelby Nord: nord
indicator:
  fixed: employment
periods:
  across: C:L
skip_unmapped: true
"""


def test_a_complete_mapping_file_without_extends_reads_the_table(tmp_path):
    rows = rows_of(read(mapping_file(tmp_path, GOOD), WIDE))

    # One fixed indicator for the sheet: both of Nord's rows map to it.
    assert {(r.indicator, r.population) for r in rows} == {("employment", "nord")}
    assert len(rows) == 20


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            GOOD.replace("header_row: 4", "header_rows: 4"),
            [
                "mapping.yaml:1: header_row: is required",
                "mapping.yaml:4: header_rows: is not a field of this format",
            ],
            id="misspelt-key",
        ),
        pytest.param(
            GOOD.replace("Eksempelby Nord: nord", "Eksempelby Nord: Nord Area"),
            [
                "mapping.yaml:8: population.values.Eksempelby Nord: 'Nord Area' is "
                "not a slug"
            ],
            id="bad-slug",
        ),
        pytest.param(
            GOOD.replace("column: A", "column: 3"),
            ["mapping.yaml:6: population.column: '3' is not a column letter"],
            id="bad-column",
        ),
        pytest.param(
            GOOD.replace("across: C:L", "across: L:C"),
            ["mapping.yaml:12: periods.across: 'L:C' is not a column range"],
            id="backwards-range",
        ),
        pytest.param(
            GOOD.replace("across: C:L", "across: A:L"),
            [
                "mapping.yaml:12: periods.across: the period columns include "
                "column A, which is the population column"
            ],
            id="overlap",
        ),
        pytest.param(
            GOOD + "values:\n  column: D\n",
            [
                "mapping.yaml:14: values: the wide layout reads values under the "
                "period headers"
            ],
            id="values-in-wide",
        ),
        pytest.param(
            GOOD.replace("  fixed: employment", "  fixed: employment\n  column: B"),
            [
                "mapping.yaml:9: indicator: give either column (with values) or "
                "fixed, not both"
            ],
            id="fixed-and-column",
        ),
        pytest.param(
            GOOD.replace("sheet: Nøgletal", "sheet: '2'"),
            ["mapping.yaml:3: sheet: '2' is text; write sheet: 2"],
            id="quoted-sheet-number",
        ),
        pytest.param(
            GOOD.replace("fremdrift-lbf-mapping/1", "fremdrift-plan/1"),
            ["mapping.yaml:1: format: must be 'fremdrift-lbf-mapping/1'"],
            id="wrong-format",
        ),
        pytest.param(
            GOOD + "scale: -100\n",
            ["mapping.yaml:14: scale: Input should be greater than 0"],
            id="negative-scale",
        ),
        pytest.param(
            GOOD.replace("  values:\n", "  values:\n    Nord: nord\n    NORD: syd\n"),
            [
                "mapping.yaml:9: population.values.NORD: 'NORD' and 'Nord' are the "
                "same label"
            ],
            id="labels-differing-in-case",
        ),
        pytest.param(
            GOOD.replace("  values:\n", "  values:\n    yes: nord\n"),
            [
                "mapping.yaml:7: population.values: Value error, a label that YAML "
                "reads as true/false"
            ],
            id="bool-label",
        ),
        pytest.param(
            "format: fremdrift-lbf-mapping/1\nlayout: [wide\n",
            ["mapping.yaml:3: is not valid YAML"],
            id="broken-yaml",
        ),
        pytest.param(
            "- a list\n",
            ["mapping.yaml:1: must be a YAML mapping"],
            id="not-a-mapping",
        ),
    ],
)
def test_mapping_problems_name_the_file_line_and_field(tmp_path, text, expected):
    path = mapping_file(tmp_path, text)

    with pytest.raises(ImportFileError) as raised:
        reader_from_mapping(path)

    found = sorted(
        str(problem).replace(f"{tmp_path}/", "") for problem in raised.value.problems
    )
    assert len(found) == len(expected), found
    for line, start in zip(found, expected, strict=True):
        assert line.startswith(start), (line, start)


def test_a_problem_with_an_inherited_value_names_the_file_that_holds_it(tmp_path):
    # The plan's file turns the shipped wide layout into a long one with a
    # column per indicator; the shipped file's indicator column is then in
    # the way, and the problem points at it there.
    mapping = extending(
        tmp_path,
        "lbf-wide",
        "layout: long\nperiods:\n  across: null\n  column: C\n"
        "values:\n  columns:\n    D: employment\n",
    )

    with pytest.raises(ImportFileError) as raised:
        reader_from_mapping(mapping)

    shipped = SHIPPED_DIR / "lbf-wide.yaml"
    line = shipped.read_text(encoding="utf-8").splitlines().index("indicator:") + 1
    assert [str(p) for p in raised.value.problems] == [
        f"{shipped}:{line}: indicator: values.columns names each column's "
        "indicator; remove indicator (in a mapping that extends: indicator: null)"
    ]


def test_extends_must_name_a_shipped_mapping_or_a_file(tmp_path):
    mapping = mapping_file(
        tmp_path, "format: fremdrift-lbf-mapping/1\n\nextends: lbf-wiide\n"
    )

    with pytest.raises(ImportFileError) as raised:
        reader_from_mapping(mapping)

    assert str(raised.value).startswith(
        f"{mapping}:3: extends: 'lbf-wiide' is neither a shipped mapping"
    )


def test_extends_may_name_a_file_next_to_the_mapping(tmp_path):
    mapping_file(tmp_path, GOOD, name="base.yaml")
    mapping = mapping_file(
        tmp_path,
        "format: fremdrift-lbf-mapping/1\nextends: base.yaml\n"
        "population:\n  values:\n    Eksempelby Syd: syd\n",
    )

    rows = rows_of(read(mapping, WIDE))

    assert {r.population for r in rows} == {"nord", "syd"}


def test_a_mapping_that_extends_itself_is_refused(tmp_path):
    mapping = mapping_file(
        tmp_path, "format: fremdrift-lbf-mapping/1\nextends: mapping.yaml\n"
    )

    with pytest.raises(ImportFileError, match="a loop"):
        reader_from_mapping(mapping)


def test_the_lbf_source_needs_a_mapping():
    with pytest.raises(ImportFileError, match="need a mapping"):
        reader_from_mapping(None)


def test_an_unknown_mapping_name_lists_the_shipped_ones():
    with pytest.raises(ImportFileError) as raised:
        reader_for("lbf", Path("lbf-wiide"))

    assert str(raised.value) == (
        "lbf-wiide: no such mapping file, and no shipped mapping of that name "
        "(shipped: lbf-long, lbf-wide)"
    )


@pytest.mark.parametrize("name", ["lbf-wide", "lbf-long", "lbf-long.yaml"])
def test_the_registry_finds_the_shipped_mappings_by_name(name):
    reader = reader_for("lbf", Path(name))

    assert isinstance(reader, LbfReader)
    assert reader.source == "lbf"
    assert reader.mapping_path == SHIPPED_DIR / (name.removesuffix(".yaml") + ".yaml")
    assert "format: fremdrift-lbf-mapping/1" in reader.mapping_text


def test_every_shipped_mapping_validates_and_is_documented():
    docs = (Path(__file__).resolve().parents[2] / "docs" / "import-lbf.md").read_text(
        encoding="utf-8"
    )
    assert shipped_names() == ["lbf-long", "lbf-wide"]
    for name in shipped_names():
        reader_from_mapping(name)
        assert f"`{name}`" in docs


def test_a_mapping_that_extends_records_both_texts(tmp_path):
    reader = reader_from_mapping(extending(tmp_path, "lbf-wide"))

    assert reader.mapping_text.startswith("format: fremdrift-lbf-mapping/1\nextends")
    assert f"# --- extends: {SHIPPED_DIR / 'lbf-wide.yaml'}" in reader.mapping_text


# -- the committed fixtures --------------------------------------------------------


def test_the_committed_fixtures_match_their_script(tmp_path):
    make_fixtures.write_all(tmp_path)
    mapping = extending(tmp_path, "lbf-wide")
    long_mapping = mapping_file(
        tmp_path,
        f"format: fremdrift-lbf-mapping/1\nextends: lbf-long\n{AREAS}",
        name="long.yaml",
    )

    for name, used in [
        ("lbf-wide.xlsx", mapping),
        ("lbf-wide-formula.xlsx", mapping),
        ("lbf-long.xlsx", long_mapping),
    ]:
        committed = [str(i) for i in read(used, FIXTURES / name)]
        fresh = [str(i) for i in read(used, tmp_path / name)]
        assert committed == fresh, name


# -- importing into a plan ---------------------------------------------------------

MINI_MAPPING = """\
format: fremdrift-lbf-mapping/1
extends: lbf-wide
population:
  values:
    Eksempelby Nord: nord
    Eksempelby Syd: syd
    Eksempel Kommune: kommunen
indicator:
  values:
    Andel 18-64-årige i beskæftigelse: employment
    # The test plan has no education indicator: drop the shipped label
    # and pass over its rows.
    Andel 18-29-årige med eller i gang med en uddannelse: null
skip_unmapped: true
"""


def _observations(plan, indicator: str):  # type: ignore[no-untyped-def]
    from fremdrift.statistics.models import Observation

    return {
        (o.population.slug, o.period): o
        for o in Observation.objects.filter(
            indicator__plan=plan, indicator__slug=indicator
        ).select_related("population", "batch")
    }


def test_importing_a_wide_table_writes_values_and_discretioned_cells(mini, tmp_path):
    from fremdrift.statistics.services import observations_import

    mapping = mapping_file(tmp_path, MINI_MAPPING)

    result = observations_import(plan=mini, path=WIDE, source="lbf", mapping=mapping)

    assert result.problems == []
    # 3 areas x 10 years; the plan folder already held 5 of them.
    assert (result.created, result.changed, result.unchanged) == (25, 5, 0)
    stored = _observations(mini, "employment")
    assert len(stored) == 30
    assert stored[("nord", "2016")].value == Decimal("41.2")
    assert stored[("nord", "2022")].value == Decimal("46.3")  # was 40.5
    assert stored[("nord", "2016")].source_line == 5
    assert stored[("nord", "2016")].batch == result.batch
    for key in [("nord", "2019"), ("syd", "2018"), ("syd", "2019")]:
        marked = stored[key]
        assert marked.value is None, key  # never 0
        assert marked.flags == ["suppressed"], key
    # A note the team wrote stays; the 'missing' flag goes with its value.
    filled = stored[("kommunen", "2023")]
    assert (filled.value, filled.flags) == (Decimal("75.1"), [])
    assert filled.note == "Ikke offentliggjort endnu"


def test_importing_the_same_table_again_changes_nothing(mini, tmp_path):
    from fremdrift.statistics.services import observations_import

    mapping = mapping_file(tmp_path, MINI_MAPPING)
    observations_import(plan=mini, path=WIDE, source="lbf", mapping=mapping)

    again = observations_import(plan=mini, path=WIDE, source="lbf", mapping=mapping)

    assert again.problems == []
    assert (again.created, again.changed, again.unchanged) == (0, 0, 30)
    assert again.nothing_changed


def test_a_table_with_formulas_is_refused_as_a_whole(mini, tmp_path):
    from fremdrift.statistics.services import observations_import

    mapping = mapping_file(tmp_path, MINI_MAPPING)
    before = {k: o.value for k, o in _observations(mini, "employment").items()}

    result = observations_import(
        plan=mini, path=WIDE_FORMULA, source="lbf", mapping=mapping
    )

    assert [str(p) for p in result.problems] == [
        "lbf-wide-formula.xlsx [Nøgletal]:5: C: holds a formula (=41+0.2); "
        "save values: copy the sheet and use Paste Special > Values, then save",
        "lbf-wide-formula.xlsx [Nøgletal]:7: E: holds a formula (=D7+1); "
        "save values: copy the sheet and use Paste Special > Values, then save",
    ]
    after = {k: o.value for k, o in _observations(mini, "employment").items()}
    assert after == before


LONG_INDICATORS = """\
  - slug: employment-18-64
    name: Andel 18-64-årige i beskæftigelse
    unit: percent
    better: higher
  - slug: education-18-29
    name: Andel 18-29-årige med eller i gang med en uddannelse
    unit: percent
    better: higher
  - slug: charged-per-1000
    name: Sigtede pr. 1.000 indbyggere
    unit: per_1000
    better: lower
"""


@pytest.fixture
def plan_with_aliases(db, mini_folder):  # type: ignore[no-untyped-def]
    """The small test plan with the key figures of the long layout and the
    areas' names as aliases, so that the shipped mapping needs no plan
    file of its own."""
    from fremdrift.planfiles.services import plan_load
    from fremdrift.plans.models import Plan

    plan_yaml = mini_folder / "plan.yaml"
    text = plan_yaml.read_text(encoding="utf-8")
    text = text.replace(
        "    name: Eksempelby Nord\n",
        "    name: Eksempelby Nord\n    aliases: [Eksempelby Nord]\n",
    )
    text = text.replace(
        "    name: Eksempelby Syd\n",
        "    name: Eksempelby Syd\n    aliases: [Eksempelby Syd]\n",
    )
    text = text.replace(
        "    name: Eksempel Kommune\n",
        "    name: Eksempel Kommune\n    aliases: [Eksempel Kommune]\n",
    )
    text = text.replace(
        "    source: Fiktiv kilde\ngoals:",
        "    source: Fiktiv kilde\n" + LONG_INDICATORS + "goals:",
        1,
    )
    plan_yaml.write_text(text, encoding="utf-8")
    plan_load(folder=mini_folder)
    return Plan.objects.get(slug="eksempelby-2022-26")


def test_a_shipped_mapping_imports_a_long_table_by_the_plans_aliases(
    plan_with_aliases,
):
    from fremdrift.statistics.services import observations_import

    result = observations_import(
        plan=plan_with_aliases, path=LONG, source="lbf", mapping=Path("lbf-long")
    )

    assert result.problems == []
    assert result.created == 26
    shares = _observations(plan_with_aliases, "employment-18-64")
    assert shares[("nord", "2021")].value == Decimal("45.3")
    assert shares[("kommunen", "2023")].value == Decimal("75.1")
    rates = _observations(plan_with_aliases, "charged-per-1000")
    assert rates[("nord", "2022")].value == Decimal("22.2")
    assert (rates[("syd", "2021")].value, rates[("syd", "2021")].flags) == (
        None,
        ["suppressed"],
    )
    education = _observations(plan_with_aliases, "education-18-29")
    assert ("syd", "2022") not in education  # blank: no row
